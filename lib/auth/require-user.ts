// The one way to get the caller. If an Authorization header is present it
// alone decides (an invalid bearer is a 401 even with a valid session cookie);
// otherwise the Auth.js session cookie. Either way the user must still exist.
import "server-only";
import { cache } from "react";
import { authenticationRequired, invalidCredentials } from "@/lib/http/errors";
import { findUserById, type PublicUser } from "@/lib/users/queries";
import { auth } from "./nextauth";
import { bearerToken, verifyAccessToken } from "./tokens";

export async function requireUser(request: Request): Promise<PublicUser> {
  const header = request.headers.get("authorization");
  if (header !== null) {
    const userId = await verifyAccessToken(bearerToken(header));
    const user = await findUserById(userId);
    if (!user) throw invalidCredentials();
    return user;
  }
  const user = await sessionUser();
  if (!user) throw authenticationRequired();
  return user;
}

// For server components and actions; React `cache` checks once per render.
export const sessionUser = cache(async (): Promise<PublicUser | null> => {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  return (await findUserById(id)) ?? null;
});
