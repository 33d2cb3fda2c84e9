// The frame around the login and registration forms.
import Link from "next/link";
import { Wordmark } from "./logo";
import { card } from "./ui";

export function AuthShell({ title, subtitle, children }: { title: string; subtitle: string; children: React.ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col items-center px-4 py-10 sm:justify-center sm:py-16">
      <Link href="/" className="mb-8 rounded-md text-fg">
        <Wordmark />
      </Link>
      <main id="main" className={`${card} w-full max-w-sm p-6 sm:p-8`}>
        <h1 className="font-display text-2xl font-semibold tracking-tight">{title}</h1>
        <p className="mt-1.5 mb-6 text-sm text-muted">{subtitle}</p>
        {children}
      </main>
      <p className="mt-8 max-w-xs text-center text-xs text-muted">Images you develop here are private to your account.</p>
    </div>
  );
}

export function firstParam(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
