import type { Metadata } from "next";
import Link from "next/link";
import { AppShell, PageHeading } from "@/app/_components/app-shell";
import { LocalTime } from "@/app/_components/local-time";
import { requirePageUser } from "@/app/_components/session";
import { RevokeShareButton } from "@/app/_components/share-actions";
import { card } from "@/app/_components/ui";
import { listCollections } from "@/lib/collections/service";
import { listShares } from "@/lib/shares/service";

export const metadata: Metadata = { title: "Share links" };

// The person's share links: what each shows, its views and expiry, and a revoke
// button. The links themselves are not listed: only their hashes are kept.
export default async function SharesPage() {
  const user = await requirePageUser("/shares");
  const [{ shares }, { collections }] = await Promise.all([listShares(user.id), listCollections(user.id)]);
  const names = new Map(collections.map((c) => [c.collection_id, c.name]));
  return (
    <AppShell user={user} section="shares">
      <PageHeading title="Share links">
        Links you made to show an image or a collection to someone without an account. Anyone with a link sees that one thing until it expires or you revoke it.
        Make new links from an image's page or a collection's page.
      </PageHeading>
      {shares.length === 0 ? (
        <p className="text-sm text-muted" data-testid="shares-empty">
          No share links yet.
        </p>
      ) : (
        <ul className={`${card} divide-y divide-line`} data-testid="shares-list">
          {shares.map((s, n) => {
            const label = s.collection_id ? `collection “${names.get(s.collection_id) ?? "collection"}”` : `image link ${n + 1}`;
            return (
              <li key={s.share_id} className="flex flex-wrap items-center gap-4 px-4 py-3" data-testid="share-item" data-share-id={s.share_id}>
                {s.image_id ? (
                  // biome-ignore lint/performance/noImgElement: private, owner-checked image route; never the optimizer
                  <img
                    src={`/api/images/${s.image_id}/thumbnail`}
                    alt=""
                    width={56}
                    height={56}
                    className="size-14 rounded-lg border border-line object-cover"
                  />
                ) : (
                  <span className="grid size-14 place-items-center rounded-lg border border-line bg-raised text-xs text-muted" aria-hidden="true">
                    Set
                  </span>
                )}
                <div className="min-w-0 flex-1 text-sm">
                  <p className="font-medium text-fg">
                    {s.collection_id ? (
                      <Link href={`/collections/${s.collection_id}`} className="hover:underline">
                        Collection: {names.get(s.collection_id) ?? "collection"}
                      </Link>
                    ) : (
                      "One image"
                    )}
                  </p>
                  <p className="text-xs text-muted">
                    <span data-testid="share-views">
                      {s.view_count} {s.view_count === 1 ? "view" : "views"}
                    </span>
                    {" · "}
                    {s.expired ? (
                      <span className="text-danger">expired</span>
                    ) : (
                      <>
                        expires <LocalTime iso={s.expires_at} />
                      </>
                    )}
                    {s.include_parameters ? " · shows the prompt" : ""}
                    {s.show_name ? " · shows your name" : ""}
                  </p>
                </div>
                <RevokeShareButton shareId={s.share_id} label={label} />
              </li>
            );
          })}
        </ul>
      )}
    </AppShell>
  );
}
