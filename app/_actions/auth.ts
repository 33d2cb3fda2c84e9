"use server";
// Sign-in, registration and sign-out for the browser. Thin: parse the form,
// call the lib function, translate its failure into words for the form.
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { safeNext } from "@/app/_components/safe-next";
import { clientAddress } from "@/lib/auth/client-address";
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE, issueDeviceCookie } from "@/lib/auth/device-cookie";
import { signIn, signOut } from "@/lib/auth/nextauth";
import { sessionUser } from "@/lib/auth/require-user";
import { getEnv } from "@/lib/env";
import { ConflictError, RateLimitedError, UnavailableError } from "@/lib/errors";
import { errorText, logger } from "@/lib/log";
import { findUncleanText } from "@/lib/text";
import { registerSchema, registerUser } from "@/lib/users/service";

export type LoginState = { error?: string; email?: string };

export type RegisterField = "name" | "email" | "password";
export type RegisterState = {
  errors?: Partial<Record<RegisterField | "form", string>>;
  values?: { name: string; email: string };
};

const text = (form: FormData, key: string) => {
  const value = form.get(key);
  return typeof value === "string" ? value : "";
};

// Sign-in throttling reports itself as a CredentialsSignin with code "rate_limited".
function signInFailure(error: AuthError): string {
  if ((error as { code?: unknown }).code === "busy") return "Darkroom is busy right now. Try again in a moment.";
  if ((error as { code?: unknown }).code === "rate_limited") {
    return "Too many failed sign-in attempts for this account. Try again later, or from a browser you have signed in with before.";
  }
  return "Wrong email or password.";
}

// Signs in; on success the browser also keeps a device cookie for this account,
// so its owner can still sign in while someone else's guesses lock the account.
async function signInAndRemember(email: string, password: string, redirectTo: string): Promise<never> {
  await signIn("credentials", { email, password, redirect: false });
  (await cookies()).set(DEVICE_COOKIE, issueDeviceCookie(email), {
    httpOnly: true,
    sameSite: "lax",
    // Production is served over HTTPS only (docs/deploy.md); local http would drop a Secure cookie.
    secure: getEnv().DARKROOM_ENV === "production",
    path: "/",
    maxAge: DEVICE_COOKIE_MAX_AGE,
  });
  redirect(redirectTo);
}

export async function loginAction(_previous: LoginState, form: FormData): Promise<LoginState> {
  const email = text(form, "email").trim();
  const password = text(form, "password");
  const redirectTo = safeNext(text(form, "next")) ?? "/";
  if (!email || !password) return { error: "Enter your email and password.", email };
  try {
    // On success Auth.js sets the session cookie, and Next's redirect is thrown.
    await signInAndRemember(email, password, redirectTo);
  } catch (error) {
    if (error instanceof AuthError) return { error: signInFailure(error), email };
    throw error;
  }
  return { email };
}

const FIELD_LABELS: Record<RegisterField, string> = { name: "Name", email: "Email", password: "Password" };

export async function registerAction(_previous: RegisterState, form: FormData): Promise<RegisterState> {
  const raw = { name: text(form, "name"), email: text(form, "email"), password: text(form, "password") };
  const values = { name: raw.name, email: raw.email };
  const redirectTo = safeNext(text(form, "next")) ?? "/";

  const errors: RegisterState["errors"] = {};
  const unclean = findUncleanText(raw) as RegisterField | null;
  if (unclean) return { errors: { [unclean]: `${FIELD_LABELS[unclean]} must not contain control characters.` }, values };
  if (!raw.email.trim()) errors.email = "Enter your email address.";
  if (!raw.password) errors.password = "Choose a password of at least 8 characters.";
  const parsed = registerSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as RegisterField | undefined;
      if (key && key in FIELD_LABELS && !errors[key]) errors[key] = `${FIELD_LABELS[key]} ${issue.message}.`;
    }
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { errors, values };

  try {
    // The same service, and so the same sign-up limits, as POST /api/register.
    const address = clientAddress(new Request("http://action.invalid/", { headers: await headers() }));
    await registerUser(parsed.data, address);
  } catch (error) {
    if (error instanceof ConflictError) {
      return { errors: { email: "An account with this email already exists. Sign in instead." }, values };
    }
    if (error instanceof RateLimitedError || error instanceof UnavailableError) {
      return { errors: { form: "Too many sign-ups right now. Wait a few minutes, then try again." }, values };
    }
    // Next would log the error's message, which for a database error quotes the email: log it our way.
    logger.error({ event: "register_failed", error: errorText(error) });
    throw new Error("Registration failed");
  }
  try {
    await signInAndRemember(parsed.data.email, parsed.data.password, redirectTo);
  } catch (error) {
    if (error instanceof AuthError) {
      return { errors: { form: "Your account was created, but signing in failed. Please sign in." }, values: { ...values, email: parsed.data.email } };
    }
    throw error;
  }
  return { values };
}

export async function signOutAction(): Promise<void> {
  // Without a session there is nothing to end: just go to the login page.
  if (!(await sessionUser())) redirect("/login");
  await signOut({ redirectTo: "/login" });
}
