"use client";
// The login and registration forms. They post to server actions, so they work
// before hydration too; errors come back as state and are tied to their field.
import Link from "next/link";
import { useActionState } from "react";
import { useFormStatus } from "react-dom";
import { type LoginState, loginAction, type RegisterState, registerAction } from "@/app/_actions/auth";
import { Spinner } from "./spinner";
import { button, field, link } from "./ui";

function SubmitButton({ idle, busy }: { idle: string; busy: string }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" className={`${button.primary} w-full py-3`} disabled={pending} aria-disabled={pending}>
      {pending ? <Spinner /> : null}
      {pending ? busy : idle}
    </button>
  );
}

function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={id} className={`${field.error} mt-1.5`}>
      {message}
    </p>
  );
}

function withNext(path: string, next: string | null) {
  return next ? `${path}?next=${encodeURIComponent(next)}` : path;
}

export function LoginForm({ next }: { next: string | null }) {
  const [state, action] = useActionState<LoginState, FormData>(loginAction, {});
  return (
    <form action={action} noValidate className="space-y-5" aria-describedby={state.error ? "login-error" : undefined}>
      {next ? <input type="hidden" name="next" value={next} /> : null}
      {state.error ? (
        <div id="login-error" role="alert" className="rounded-lg border border-danger/40 bg-danger-soft px-3 py-2.5 text-sm text-danger">
          {state.error}
        </div>
      ) : null}
      <div>
        <label htmlFor="email" className={field.label}>
          Email
        </label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={state.email ?? ""}
          key={`email-${state.email ?? ""}`}
          aria-invalid={state.error ? true : undefined}
          className={field.input}
        />
      </div>
      <div>
        <label htmlFor="password" className={field.label}>
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={state.error ? true : undefined}
          className={field.input}
        />
      </div>
      <SubmitButton idle="Sign in" busy="Signing in…" />
      <p className="text-center text-sm text-muted">
        New here?{" "}
        <Link href={withNext("/register", next)} className={link}>
          Create an account
        </Link>
      </p>
    </form>
  );
}

export function RegisterForm({ next }: { next: string | null }) {
  const [state, action] = useActionState<RegisterState, FormData>(registerAction, {});
  const errors = state.errors ?? {};
  const values = state.values ?? { name: "", email: "" };
  const describedBy = (name: string, hint?: boolean) =>
    [errors[name as keyof typeof errors] ? `${name}-error` : null, hint ? `${name}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <form action={action} noValidate className="space-y-5">
      {next ? <input type="hidden" name="next" value={next} /> : null}
      {errors.form ? (
        <div role="alert" className="rounded-lg border border-danger/40 bg-danger-soft px-3 py-2.5 text-sm text-danger">
          {errors.form}{" "}
          <Link href={withNext("/login", next)} className="font-medium underline">
            Sign in
          </Link>
        </div>
      ) : null}
      <div>
        <label htmlFor="name" className={field.label}>
          Name <span className="font-normal text-muted">(optional)</span>
        </label>
        <input
          id="name"
          name="name"
          type="text"
          autoComplete="name"
          maxLength={100}
          defaultValue={values.name}
          key={`name-${values.name}`}
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={describedBy("name")}
          className={field.input}
        />
        <FieldError id="name-error" message={errors.name} />
      </div>
      <div>
        <label htmlFor="email" className={field.label}>
          Email
        </label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={values.email}
          key={`email-${values.email}`}
          aria-invalid={errors.email ? true : undefined}
          aria-describedby={describedBy("email")}
          className={field.input}
        />
        <FieldError id="email-error" message={errors.email} />
      </div>
      <div>
        <label htmlFor="password" className={field.label}>
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          maxLength={128}
          aria-invalid={errors.password ? true : undefined}
          aria-describedby={describedBy("password", true)}
          className={field.input}
        />
        <p id="password-hint" className={`${field.hint} mt-1.5`}>
          At least 8 characters.
        </p>
        <FieldError id="password-error" message={errors.password} />
      </div>
      <SubmitButton idle="Create account" busy="Creating your account…" />
      <p className="text-center text-sm text-muted">
        Already have an account?{" "}
        <Link href={withNext("/login", next)} className={link}>
          Sign in
        </Link>
      </p>
    </form>
  );
}
