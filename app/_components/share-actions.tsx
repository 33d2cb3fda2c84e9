"use client";
// Making a share link (from an image's page or a collection's) and revoking one
// (the /shares page). A new link is shown once, with a copy button: only its
// hash is kept, so it cannot be shown again.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { sharesApi } from "@/lib/client/shares";
import { ActionButton } from "./action-button";
import { button, field } from "./ui";

const EXPIRIES = [
  { hours: 24, label: "1 day" },
  { hours: 24 * 7, label: "7 days" },
  { hours: 24 * 30, label: "30 days" },
  { hours: 24 * 365, label: "1 year" },
];

type Target = { images: { image_id: string; index: number }[]; collectionId?: undefined } | { collectionId: string; images?: undefined };

export function ShareForm(target: Target) {
  const id = useId();
  const [image, setImage] = useState(target.images?.[0]?.image_id ?? "");
  const [hours, setHours] = useState(24 * 7);
  const [parameters, setParameters] = useState(false);
  const [showName, setShowName] = useState(false);
  const [url, setUrl] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [copyError, setCopyError] = useState<string | null>(null);
  return (
    <div className="flex flex-col gap-3" data-testid="share-form">
      <div className="flex flex-wrap items-end gap-3">
        {target.images && target.images.length > 1 ? (
          <div>
            <label htmlFor={`${id}-i`} className={field.label}>
              Image
            </label>
            <select id={`${id}-i`} className={field.select} value={image} onChange={(e) => setImage(e.target.value)}>
              {target.images.map((i) => (
                <option key={i.image_id} value={i.image_id}>
                  Image {i.index + 1}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div>
          <label htmlFor={`${id}-e`} className={field.label}>
            Link expires after
          </label>
          <select id={`${id}-e`} className={field.select} value={hours} onChange={(e) => setHours(Number(e.target.value))}>
            {EXPIRIES.map((e) => (
              <option key={e.hours} value={e.hours}>
                {e.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={parameters} onChange={(e) => setParameters(e.target.checked)} className="size-4 accent-accent" />
        Show the prompt and settings
      </label>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={showName} onChange={(e) => setShowName(e.target.checked)} className="size-4 accent-accent" />
        Show who shared it
      </label>
      <ActionButton
        className={`${button.secondary} self-start`}
        fallbackError="Could not make the link. Try again."
        action={async () => {
          const base = { expires_in_hours: hours, include_parameters: parameters, show_name: showName };
          const created = await sharesApi.create(target.collectionId ? { ...base, collection_id: target.collectionId } : { ...base, image_id: image });
          setCopied(false);
          setUrl(created.url);
        }}
      >
        Make a share link
      </ActionButton>
      {url ? (
        <div className="rounded-lg border border-accent/50 p-3" role="status">
          <label htmlFor={`${id}-u`} className={field.label}>
            Your share link
          </label>
          <p className={field.hint}>Anyone with this link can see it until it expires or you revoke it. Copy it now: it is shown only once.</p>
          <div className="mt-1.5 flex gap-2">
            <input
              id={`${id}-u`}
              readOnly
              value={url}
              className={`${field.input} mt-0 font-mono`}
              onFocus={(e) => e.currentTarget.select()}
              data-testid="share-url"
            />
            <button
              type="button"
              className={button.secondary}
              onClick={async () => {
                try {
                  await navigator.clipboard.writeText(url);
                  setCopied(true);
                } catch {
                  setCopyError("Copying is blocked here: select the link and copy it yourself.");
                }
              }}
            >
              {copied ? "Copied" : "Copy"}
            </button>
          </div>
          {copyError ? <p className={field.error}>{copyError}</p> : null}
          <Link href="/shares" className={`${button.ghost} mt-2`}>
            Manage share links
          </Link>
        </div>
      ) : null}
    </div>
  );
}

export function RevokeShareButton({ shareId, label }: { shareId: string; label: string }) {
  const router = useRouter();
  return (
    <ActionButton
      className={button.small}
      compact
      label={`Revoke ${label}`}
      fallbackError="Could not revoke the link. Try again."
      action={async () => {
        await sharesApi.revoke(shareId);
        router.refresh();
      }}
    >
      Revoke
    </ActionButton>
  );
}
