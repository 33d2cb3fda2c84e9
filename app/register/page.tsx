import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { RegisterForm } from "@/app/_components/auth-forms";
import { AuthShell, firstParam } from "@/app/_components/auth-shell";
import { safeNext } from "@/app/_components/safe-next";
import { sessionUser } from "@/lib/auth/require-user";

export const metadata: Metadata = { title: "Create an account" };

export default async function RegisterPage({ searchParams }: PageProps<"/register">) {
  const next = safeNext(firstParam((await searchParams).next));
  if (await sessionUser()) redirect(next ?? "/");
  return (
    <AuthShell title="Create your darkroom" subtitle="A private studio for images you make from words.">
      <RegisterForm next={next} />
    </AuthShell>
  );
}
