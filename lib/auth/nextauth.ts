// Auth.js (next-auth 5) for the browser: Credentials provider, JWT sessions,
// the user id carried in the token. Configured lazily so `next build` never
// reads secrets.
import "server-only";
import NextAuth, { CredentialsSignin, type DefaultSession } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { recordEvent } from "@/lib/audit/service";
import { getEnv } from "@/lib/env";
import { DomainError, RateLimitedError, UnavailableError } from "@/lib/errors";
import { errorText, logger } from "@/lib/log";
import { credentialsSchema } from "@/lib/users/service";
import { createSession, endSession, SESSION_MAX_AGE_SECONDS } from "./sessions";
import { checkCredentialsThrottled, signInOrigin } from "./throttle";

// Lets the sign-in page say "too many attempts" or "busy" rather than "wrong password".
export class RateLimitedSignIn extends CredentialsSignin {
  code = "rate_limited";
}
export class BusySignIn extends CredentialsSignin {
  code = "busy";
}

declare module "next-auth" {
  interface Session {
    user: { id: string } & DefaultSession["user"];
    // When this sign-in happened (ms), checked against "sign out everywhere".
    issuedAtMs?: number;
    // The server-side session (lib/auth/sessions.ts) this cookie stands for.
    sessionId?: string;
  }
  interface User {
    sessionId?: string;
    issuedAtMs?: number;
  }
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: getEnv().AUTH_SECRET,
  // The app builds no absolute URLs from the Host header except Auth.js's own
  // redirects, which the `redirect` callback pins to this origin.
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/login" },
  // A wrong password is an expected outcome, not an error with a stack: log it
  // as one JSON line (no email, no password) and everything else as an error.
  logger: {
    error(error) {
      if (error.name === "CredentialsSignin" || (error as { type?: string }).type === "CredentialsSignin") {
        logger.info({ event: "sign_in_failed" });
        return;
      }
      logger.error({ event: "authjs_error", error: errorText(error) });
    },
    warn(code) {
      logger.warn({ event: "authjs_warning", code });
    },
    debug() {},
  },
  providers: [
    Credentials({
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, request) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const origin = signInOrigin(request);
        try {
          const user = await checkCredentialsThrottled(parsed.data.email, parsed.data.password, origin);
          const session = await createSession(user.id, { userAgent: request.headers.get("user-agent"), address: origin.address });
          if (!session) return null;
          await recordEvent(user.id, "sign_in", { method: "browser" }, origin.address);
          return { ...user, sessionId: session.sessionId, issuedAtMs: session.issuedAtMs };
        } catch (error) {
          if (error instanceof RateLimitedError) throw new RateLimitedSignIn();
          if (error instanceof UnavailableError) throw new BusySignIn();
          if (error instanceof DomainError) return null;
          throw error;
        }
      },
    }),
  ],
  events: {
    // Signing out ends the session on the server, not only the cookie in this browser.
    async signOut(message) {
      const token = "token" in message ? message.token : null;
      if (typeof token?.uid === "string" && typeof token.sid === "string") await endSession(token.uid, token.sid);
    },
  },
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) {
        token.uid = user.id;
        token.sid = user.sessionId;
        // The database's clock under the account lock (lib/auth/revocation.ts).
        token.iat_ms = user.issuedAtMs;
      }
      return token;
    },
    session({ session, token }) {
      if (typeof token.uid === "string") session.user.id = token.uid;
      if (typeof token.iat_ms === "number") session.issuedAtMs = token.iat_ms;
      if (typeof token.sid === "string") session.sessionId = token.sid;
      return session;
    },
    redirect({ url, baseUrl }) {
      if (url.startsWith("/") && !url.startsWith("//")) return `${baseUrl}${url}`;
      return new URL(url).origin === baseUrl ? url : baseUrl;
    },
  },
}));
