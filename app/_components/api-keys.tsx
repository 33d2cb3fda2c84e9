"use client";
// The account page's personal API keys: the list with a revoke button per key,
// and a form that makes a key and shows it once, with a copy button. The key
// itself lives only in this component's state until the page is left.
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import type { PublicApiKey } from "@/lib/api-keys/public";
import { api } from "@/lib/client/api";
import { ActionButton } from "./action-button";
import { LocalTime } from "./local-time";
import { Spinner } from "./spinner";
import { button, field } from "./ui";

const SCOPES = [
  { value: "generate", label: "Generate", hint: "make, retry, vary and delete images" },
  { value: "read", label: "Read", hint: "list jobs and download images" },
] as const;

type Created = PublicApiKey & { key: string };

export function ApiKeyList({ keys }: { keys: PublicApiKey[] }) {
  const router = useRouter();
  if (keys.length === 0) return <p className="mt-3 text-sm text-muted">No keys yet.</p>;
  return (
    <ul className="mt-3 divide-y divide-line" data-testid="api-keys">
      {keys.map((k) => (
        <li key={k.id} className="flex items-center justify-between gap-3 py-3 text-sm">
          <span className="min-w-0">
            <span className="block truncate text-fg">{k.name}</span>
            <span className="block text-xs text-muted">
              <code>dk_{k.prefix}_…</code> · {k.scopes.join(", ")}
            </span>
            <span className="block text-xs text-muted">
              {k.last_used_at ? (
                <>
                  Last used <LocalTime iso={k.last_used_at} />
                </>
              ) : (
                "Never used"
              )}
              {k.expires_at ? (
                <>
                  {" · "}
                  {Date.parse(k.expires_at) <= Date.now() ? "Expired" : "Expires"} <LocalTime iso={k.expires_at} />
                </>
              ) : null}
            </span>
          </span>
          <ActionButton
            className={button.secondary}
            label={`Revoke ${k.name} (dk_${k.prefix})`}
            compact
            fallbackError="That did not work. Try again."
            action={async () => {
              await api<null>(`/api/account/keys/${k.id}`, { method: "DELETE" });
              router.refresh();
            }}
          >
            Revoke
          </ActionButton>
        </li>
      ))}
    </ul>
  );
}

export function CreateApiKeyForm() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const [copied, setCopied] = useState(false);
  const nameId = useId();
  const expiryId = useId();
  const errorId = useId();
  const keyId = useId();
  return (
    <div className="flex flex-col gap-4">
      {created ? (
        <div className="rounded-lg border border-accent/50 p-3" role="status">
          <label htmlFor={keyId} className={field.label}>
            Your new key “{created.name}”
          </label>
          <p className={field.hint}>Copy it now: it is shown only once and cannot be recovered.</p>
          <div className="mt-1.5 flex gap-2">
            <input id={keyId} readOnly value={created.key} className={`${field.input} mt-0 font-mono`} onFocus={(e) => e.currentTarget.select()} />
            <button
              type="button"
              className={button.secondary}
              onClick={async () => {
                try {
                  await navigator.clipboard.writeText(created.key);
                  setCopied(true);
                } catch {
                  setError("Copying is blocked here: select the key and copy it yourself.");
                }
              }}
            >
              {copied ? "Copied" : "Copy"}
            </button>
          </div>
          <button type="button" className={`${button.ghost} mt-2`} onClick={() => setCreated(null)}>
            Done, hide the key
          </button>
        </div>
      ) : null}
      <form
        className="flex flex-col gap-3"
        onSubmit={async (event) => {
          event.preventDefault();
          const form = event.currentTarget;
          const data = new FormData(form);
          const scopes = data.getAll("scopes").map(String);
          if (scopes.length === 0) return setError("Choose at least one permission.");
          const days = String(data.get("expires_in_days") ?? "");
          setBusy(true);
          setError(null);
          try {
            const key = await api<Created>("/api/account/keys", {
              json: { name: String(data.get("name") ?? ""), scopes, ...(days ? { expires_in_days: days } : {}) },
            });
            setCreated(key);
            setCopied(false);
            form.reset();
            router.refresh();
          } catch (e) {
            setError(e instanceof Error ? e.message : "That did not work.");
          } finally {
            setBusy(false);
          }
        }}
      >
        <div>
          <label htmlFor={nameId} className={field.label}>
            Key name
          </label>
          <input id={nameId} name="name" required maxLength={100} placeholder="e.g. Open WebUI" className={field.input} />
        </div>
        <fieldset>
          <legend className={field.label}>Permissions</legend>
          {SCOPES.map((s) => (
            <label key={s.value} className="mt-1.5 flex items-start gap-2 text-sm">
              <input type="checkbox" name="scopes" value={s.value} defaultChecked className="mt-1" />
              <span>
                {s.label} <span className="text-muted">— {s.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <div>
          <label htmlFor={expiryId} className={field.label}>
            Expires after (days, optional)
          </label>
          <input id={expiryId} name="expires_in_days" type="number" min={1} max={365} inputMode="numeric" className={field.input} />
        </div>
        {error ? (
          <p id={errorId} role="alert" className={field.error}>
            {error}
          </p>
        ) : null}
        <button type="submit" className={button.primary} disabled={busy} aria-describedby={error ? errorId : undefined}>
          {busy ? <Spinner /> : null}
          Create key
        </button>
      </form>
    </div>
  );
}
