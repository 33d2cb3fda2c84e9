import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/app/_components/auth-forms";
import { AuthShell, firstParam } from "@/app/_components/auth-shell";
import { safeNext } from "@/app/_components/safe-next";
import { sessionUser } from "@/lib/auth/require-user";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: PageProps<"/login">) {
  const next = safeNext(firstParam((await searchParams).next));
  // Already signed in: straight on to where they were going, or the studio.
  if (await sessionUser()) redirect(next ?? "/");
  return (
    <AuthShell title="Welcome back" subtitle="Sign in to your darkroom.">
      <LoginForm next={next} />
    </AuthShell>
  );
}
