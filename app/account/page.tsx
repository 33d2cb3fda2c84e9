import type { Metadata } from "next";
import { DeleteAccountForm, EndSessionButton, SignOutEverywhereButton } from "@/app/_components/account-actions";
import { ApiKeyList, CreateApiKeyForm } from "@/app/_components/api-keys";
import { AppShell, PageHeading } from "@/app/_components/app-shell";
import { LocalTime } from "@/app/_components/local-time";
import { requirePageUser } from "@/app/_components/session";
import { button, card } from "@/app/_components/ui";
import { listApiKeys } from "@/lib/api-keys/service";
import { listEvents } from "@/lib/audit/service";
import { listSessions } from "@/lib/auth/sessions";

export const metadata: Metadata = { title: "Account" };

const EVENT_LABELS: Record<string, string> = {
  sign_in: "Signed in",
  sign_in_failures_blocked: "Sign-in attempts blocked after repeated failures",
  refresh_token_reuse: "A used API token was presented again; all its tokens were revoked",
  sessions_revoked: "Signed out everywhere",
  job_deleted: "Deleted an image",
  account_disabled_by_admin: "Account disabled by an administrator",
  export_downloaded: "Downloaded an export",
  session_ended: "Signed out a browser",
  api_key_created: "Created an API key",
  api_key_revoked: "Revoked an API key",
  role_granted: "Made an administrator by the operator",
  role_revoked: "No longer an administrator",
};

function eventText(event: string, detail: Record<string, unknown>): string {
  const label = EVENT_LABELS[event] ?? event;
  if (event === "sign_in" && typeof detail.method === "string") return `${label} (${detail.method === "token" ? "API token" : "browser"})`;
  if (event.startsWith("api_key_") && typeof detail.name === "string") return `${label}: ${detail.name}`;
  return label;
}

export default async function AccountPage() {
  const user = await requirePageUser("/account");
  const [events, sessions, { keys }] = await Promise.all([listEvents(user.id, 50), listSessions(user.id, user.sessionId), listApiKeys(user.id)]);
  return (
    <AppShell user={user} section="account">
      <PageHeading title="Account">Your sign-ins and what happened to your account, and the controls that only you have.</PageHeading>
      <div className="grid gap-8 lg:grid-cols-[1fr_22rem]">
        <div className="flex flex-col gap-6 self-start">
          <section aria-labelledby="activity-heading" className={`${card} p-5 sm:p-6`}>
            <h2 id="activity-heading" className="font-display text-xl font-semibold">
              Activity
            </h2>
            {events.length === 0 ? (
              <p className="mt-3 text-sm text-muted">Nothing yet.</p>
            ) : (
              <ul className="mt-4 divide-y divide-line" data-testid="activity">
                {events.map((e) => (
                  <li key={e.id} className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 py-3 text-sm">
                    <span className="text-fg">{eventText(e.event, e.detail)}</span>
                    <span className="text-xs text-muted">
                      <LocalTime iso={e.created_at} />
                      {e.ip ? ` · ${e.ip}` : ""}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="keys-heading" className={`${card} p-5 sm:p-6`}>
            <h2 id="keys-heading" className="font-display text-xl font-semibold">
              API keys
            </h2>
            <p className="mt-2 text-sm text-muted">
              Personal keys for other tools, sent as <code>Authorization: Bearer dk_…</code>. A key can only generate and read images, as its permissions allow:
              it can never manage keys or sessions, sign out everywhere, export or delete your account. Sign out everywhere revokes every key too.
            </p>
            <ApiKeyList keys={keys} />
            <h3 className="mt-6 mb-3 text-sm font-semibold">New key</h3>
            <CreateApiKeyForm />
          </section>
        </div>
        <div className="flex flex-col gap-6">
          <section aria-labelledby="sessions-heading" className={`${card} p-5 sm:p-6`}>
            <h2 id="sessions-heading" className="font-display text-xl font-semibold">
              Sessions
            </h2>
            <p className="mt-2 text-sm text-muted">The browsers signed in to your account.</p>
            <ul className="mt-3 mb-4 divide-y divide-line" data-testid="sessions">
              {sessions.map((s, index) => (
                <li key={s.id} className="flex items-center justify-between gap-3 py-3 text-sm">
                  <span>
                    <span className="block text-fg">
                      {s.browser}
                      {s.current ? <span className="ml-2 text-xs font-medium text-accent">this browser</span> : null}
                    </span>
                    <span className="block text-xs text-muted">
                      Last seen <LocalTime iso={s.last_seen_at} />
                      {s.address ? ` · ${s.address}` : ""}
                    </span>
                  </span>
                  {s.current ? null : <EndSessionButton sessionId={s.id} label={`Sign out ${s.browser} (session ${index + 1})`} />}
                </li>
              ))}
            </ul>
            <p className="mb-4 text-sm text-muted">Sign out everywhere ends every session, API token and API key of yours at once, including this one.</p>
            <SignOutEverywhereButton />
          </section>
          <section aria-labelledby="export-heading" className={`${card} p-5 sm:p-6`}>
            <h2 id="export-heading" className="font-display text-xl font-semibold">
              Export
            </h2>
            <p className="mt-2 mb-4 text-sm text-muted">A zip of all your images and a JSON list of your jobs.</p>
            <a href="/api/account/export" className={button.secondary} download>
              Download everything
            </a>
          </section>
          <section aria-labelledby="delete-heading" className={`${card} border-danger/40 p-5 sm:p-6`}>
            <h2 id="delete-heading" className="font-display text-xl font-semibold text-danger">
              Delete account
            </h2>
            <p className="mt-2 mb-4 text-sm text-muted">Removes your account, every job and every image for good. This cannot be undone.</p>
            <DeleteAccountForm />
          </section>
        </div>
      </div>
    </AppShell>
  );
}
