"use client";
// What a person can do to their own account: sign one browser out, sign out
// everywhere, and delete the account (after typing the current password).
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { ApiError, api } from "@/lib/client/api";
import { ActionButton } from "./action-button";
import { Spinner } from "./spinner";
import { button, field } from "./ui";

export function SignOutEverywhereButton() {
  return (
    <ActionButton
      className={button.secondary}
      fallbackError="That did not work. Try again."
      action={async () => {
        await api<null>("/api/account/sessions/revoke", { method: "POST" });
        // This browser's session ended too: sign in again.
        window.location.assign("/login");
      }}
    >
      Sign out everywhere
    </ActionButton>
  );
}

export function EndSessionButton({ sessionId, label }: { sessionId: string; label: string }) {
  const router = useRouter();
  return (
    <ActionButton
      className={button.secondary}
      label={label}
      compact
      fallbackError="That did not work. Try again."
      action={async () => {
        await api<null>(`/api/account/sessions/${sessionId}`, { method: "DELETE" });
        router.refresh();
      }}
    >
      Sign out
    </ActionButton>
  );
}

export function DeleteAccountForm() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const passwordId = useId();
  const errorId = useId();
  return (
    <form
      className="flex max-w-sm flex-col gap-3"
      onSubmit={async (event) => {
        event.preventDefault();
        const password = String(new FormData(event.currentTarget).get("password") ?? "");
        if (!password) return setError("Type your password to confirm.");
        setBusy(true);
        setError(null);
        try {
          await api<null>("/api/account", { method: "DELETE", json: { password } });
          window.location.assign("/register?deleted=1");
        } catch (e) {
          // 403 here means the password did not match; other errors keep their own words.
          setError(e instanceof ApiError && e.status === 403 ? "That password is not correct." : e instanceof Error ? e.message : "That did not work.");
          setBusy(false);
        }
      }}
    >
      <div>
        <label htmlFor={passwordId} className={field.label}>
          Current password
        </label>
        <input
          id={passwordId}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className={field.input}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
        />
      </div>
      {error ? (
        <p id={errorId} role="alert" className={field.error}>
          {error}
        </p>
      ) : null}
      <button type="submit" className={button.dangerSolid} disabled={busy}>
        {busy ? <Spinner /> : null}
        Delete my account and every image
      </button>
    </form>
  );
}
