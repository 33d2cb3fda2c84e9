// The GPU backends this server is configured for: whether each answers and
// which models it offers (to copy into IMAGE_MODELS). Administrators only;
// anyone else — signed in or not — gets the ordinary 404 page, exactly as for
// a page that does not exist.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AppShell, PageHeading } from "@/app/_components/app-shell";
import { card } from "@/app/_components/ui";
import { sessionUser } from "@/lib/auth/require-user";
import { backendStatuses } from "@/lib/generation/backends";
import { offeredModelIds } from "@/lib/generation/models";

export const metadata: Metadata = { title: "Backends" };
export const dynamic = "force-dynamic";

export default async function BackendsPage() {
  const user = await sessionUser();
  if (user?.role !== "admin") notFound();
  const backends = await backendStatuses(5000);
  const offered = new Set(offeredModelIds());
  return (
    <AppShell user={user} section={null}>
      <PageHeading title="GPU backends">The self-hosted renderers this server is configured for, and the models each one offers.</PageHeading>
      {backends.length === 0 ? (
        <p className="text-sm text-muted">No GPU backend is configured (set A1111_BASE_URL or COMFYUI_BASE_URL).</p>
      ) : (
        <div className="flex flex-col gap-6" data-testid="backends">
          {backends.map((b) => (
            <section key={b.provider} className={`${card} p-5 sm:p-6`} data-testid={`backend-${b.provider}`}>
              <h2 className="font-display text-xl font-semibold">
                {b.label} <span className="text-sm font-normal text-muted">{b.origin}</span>
              </h2>
              <p className="mt-2 text-sm" data-testid="backend-state">
                {b.reachable ? "Answers" : "Does not answer"}
                {b.detail !== "ok" ? ` — ${b.detail}` : ""}
              </p>
              {b.models.length > 0 ? (
                <ul className="mt-3 list-disc pl-5 text-sm">
                  {b.models.map((m) => {
                    const id = `${b.provider}:${m}`;
                    return (
                      <li key={m}>
                        <code>{id}</code>
                        {offered.has(id) ? " (offered)" : ""}
                      </li>
                    );
                  })}
                </ul>
              ) : null}
            </section>
          ))}
        </div>
      )}
    </AppShell>
  );
}
