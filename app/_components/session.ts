// Identity for pages: the signed-in person, or a redirect to the login page
// that brings them back here afterwards.
import "server-only";
import { redirect } from "next/navigation";
import { sessionUser } from "@/lib/auth/require-user";
import { loginPath } from "./safe-next";

export async function requirePageUser(returnTo: string) {
  const user = await sessionUser();
  if (!user) redirect(loginPath(returnTo));
  return user;
}
