// The frame of every signed-in page: header (brand, navigation, who is signed
// in, sign-out) and the main column.
import Link from "next/link";
import { signOutAction } from "@/app/_actions/auth";
import { Wordmark } from "./logo";
import { button } from "./ui";

type Section = "studio" | "gallery" | "collections" | "shares" | "account" | null;

const NAV = [
  { key: "studio", href: "/", label: "Studio" },
  { key: "gallery", href: "/gallery", label: "Gallery" },
  { key: "collections", href: "/collections", label: "Collections" },
  { key: "shares", href: "/shares", label: "Shares" },
  { key: "account", href: "/account", label: "Account" },
] as const;

export function AppShell({ user, section, children }: { user: { email: string }; section: Section; children: React.ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-accent px-3 py-2 text-sm font-medium text-accent-fg focus:not-sr-only focus:absolute focus:top-3 focus:left-3"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-40 border-b border-line bg-bg/85 backdrop-blur supports-[backdrop-filter]:bg-bg/70">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:flex-nowrap sm:px-6">
          <Link href="/" className="order-1 shrink-0 rounded-md text-fg" aria-label="Darkroom, go to the studio">
            <Wordmark />
          </Link>
          {/* Phone: a second row with the navigation and the email. Wider: one row. */}
          <div className="order-3 flex w-full min-w-0 items-center gap-3 sm:contents">
            <nav aria-label="Main" className="sm:order-2">
              <ul className="flex items-center gap-1">
                {NAV.map((item) => {
                  const current = section === item.key;
                  return (
                    <li key={item.key}>
                      <Link
                        href={item.href}
                        aria-current={current ? "page" : undefined}
                        className={`block rounded-lg px-3 py-1.5 text-sm font-medium transition-colors ${
                          current ? "bg-raised text-fg" : "text-muted hover:bg-raised hover:text-fg"
                        }`}
                      >
                        {item.label}
                      </Link>
                    </li>
                  );
                })}
              </ul>
            </nav>
            <span className="ml-auto min-w-0 truncate text-xs text-muted sm:order-3 sm:text-sm" data-testid="user-email" title={user.email}>
              <span className="sr-only">Signed in as </span>
              {user.email}
            </span>
          </div>
          <form action={signOutAction} className="order-2 ml-auto shrink-0 sm:order-4 sm:ml-0">
            <button type="submit" className={button.small}>
              Sign out
            </button>
          </form>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl flex-1 px-4 py-8 outline-none sm:px-6 sm:py-10">
        {children}
      </main>
      <footer className="border-t border-line">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-2 px-4 py-5 text-xs text-muted sm:px-6">
          <span>Darkroom</span>
          <span>Your prompts and images are visible to you alone.</span>
        </div>
      </footer>
    </div>
  );
}

export function PageHeading({ title, children, actions }: { title: string; children?: React.ReactNode; actions?: React.ReactNode }) {
  return (
    <div className="mb-8 flex flex-wrap items-end justify-between gap-4">
      <div className="min-w-0">
        <h1 className="font-display text-3xl font-semibold tracking-tight sm:text-4xl">{title}</h1>
        {children ? <p className="mt-2 max-w-prose text-sm text-muted sm:text-base">{children}</p> : null}
      </div>
      {actions}
    </div>
  );
}
