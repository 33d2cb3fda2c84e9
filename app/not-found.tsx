// One page for "does not exist" and "is not yours": they must be indistinguishable.
import type { Metadata } from "next";
import Link from "next/link";
import { AppShell } from "@/app/_components/app-shell";
import { Wordmark } from "@/app/_components/logo";
import { button } from "@/app/_components/ui";
import { sessionUser } from "@/lib/auth/require-user";

export const metadata: Metadata = { title: "Not found" };

function Message({ signedIn }: { signedIn: boolean }) {
  return (
    <div className="mx-auto max-w-md py-16 text-center" data-testid="not-found">
      <p className="font-display text-7xl font-semibold tracking-tight text-accent">404</p>
      <h1 className="mt-4 font-display text-2xl font-semibold tracking-tight">Nothing developed here</h1>
      <p className="mt-2 text-sm text-muted">This page doesn't exist, or it isn't yours to see.</p>
      <div className="mt-8 flex flex-wrap justify-center gap-3">
        {signedIn ? (
          <>
            <Link href="/" className={button.primary}>
              Go to the studio
            </Link>
            <Link href="/gallery" className={button.secondary}>
              Open your gallery
            </Link>
          </>
        ) : (
          <Link href="/login" className={button.primary}>
            Sign in
          </Link>
        )}
      </div>
    </div>
  );
}

export default async function NotFound() {
  const user = await sessionUser();
  if (user) {
    return (
      <AppShell user={user} section={null}>
        <Message signedIn />
      </AppShell>
    );
  }
  return (
    <div className="flex min-h-dvh flex-col items-center justify-center px-4">
      <Link href="/login" className="rounded-md text-fg">
        <Wordmark />
      </Link>
      <main id="main">
        <Message signedIn={false} />
      </main>
    </div>
  );
}
