"use server";
// Sign-in, registration and sign-out for the browser. Thin: parse the form,
// call the lib function, translate its failure into words for the form.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { safeNext } from "@/app/_components/safe-next";
import { signIn, signOut } from "@/lib/auth/nextauth";
import { sessionUser } from "@/lib/auth/require-user";
import { clientAddress } from "@/lib/http/client-address";
import { AppError } from "@/lib/http/errors";
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
  if ((error as { code?: unknown }).code === "rate_limited") {
    return "Too many failed sign-in attempts. Wait a few minutes, then try again.";
  }
  return "Wrong email or password.";
}

export async function loginAction(_previous: LoginState, form: FormData): Promise<LoginState> {
  const email = text(form, "email").trim();
  const password = text(form, "password");
  const redirectTo = safeNext(text(form, "next")) ?? "/";
  if (!email || !password) return { error: "Enter your email and password.", email };
  try {
    // On success Auth.js sets the session cookie and throws Next's redirect.
    await signIn("credentials", { email, password, redirectTo });
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
    if (error instanceof AppError && error.code === "conflict") {
      return { errors: { email: "An account with this email already exists. Sign in instead." }, values };
    }
    if (error instanceof AppError && (error.code === "too_many_requests" || error.code === "unavailable")) {
      return { errors: { form: "Too many sign-ups right now. Wait a few minutes, then try again." }, values };
    }
    // Next would log the error's message, which for a database error quotes the email: log it our way.
    logger.error({ event: "register_failed", error: errorText(error) });
    throw new Error("Registration failed");
  }
  try {
    await signIn("credentials", { email: parsed.data.email, password: parsed.data.password, redirectTo });
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
