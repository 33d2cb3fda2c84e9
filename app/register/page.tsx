import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { RegisterForm } from "@/app/_components/auth-forms";
import { AuthShell, firstParam } from "@/app/_components/auth-shell";
import { safeNext } from "@/app/_components/safe-next";
import { sessionUser } from "@/lib/auth/require-user";

export const metadata: Metadata = { title: "Create an account" };

export default async function RegisterPage({ searchParams }: PageProps<"/register">) {
  const params = await searchParams;
  const next = safeNext(firstParam(params.next));
  const deleted = firstParam(params.deleted) === "1";
  if (await sessionUser()) redirect(next ?? "/");
  return (
    <AuthShell title="Create your darkroom" subtitle="A private studio for images you make from words.">
      {deleted ? (
        <p role="status" className="mb-4 rounded-lg border border-line bg-raised px-3 py-2 text-sm text-fg">
          Your account and every image in it were deleted.
        </p>
      ) : null}
      <RegisterForm next={next} />
    </AuthShell>
  );
}
