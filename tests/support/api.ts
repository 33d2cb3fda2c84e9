// Small HTTP helpers for the API tests: real requests to the real server.
import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { documentedTemplate, undocumentedProblems } from "./openapi";

export const baseUrl = () => inject("baseUrl");

export type Answer = { status: number; headers: Headers; text: string; json: any; bytes: Buffer };

type Options = {
  method?: string;
  token?: string;
  cookie?: string;
  json?: unknown;
  form?: Record<string, string>;
  multipart?: Record<string, string>;
  body?: BodyInit;
  headers?: Record<string, string>;
  // Another server than the shared one (a test's own, with its own settings).
  base?: string;
  // Skip the check against the OpenAPI document (for answers a test means to be off the map).
  unchecked?: boolean;
};

export async function call(path: string, options: Options = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  let body: BodyInit | undefined = options.body;
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.cookie = options.cookie;
  if (options.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.json);
  } else if (options.form) {
    body = new URLSearchParams(options.form);
  } else if (options.multipart) {
    const form = new FormData();
    for (const [k, v] of Object.entries(options.multipart)) form.append(k, v);
    body = form;
  }
  const res = await fetch(`${options.base ?? baseUrl()}${path}`, { method: options.method ?? (body ? "POST" : "GET"), headers, body, redirect: "manual" });
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.toString("utf8");
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {}
  const answer = { status: res.status, headers: res.headers, text, json, bytes };
  if (!options.unchecked) await checkAgainstDocument(options.method ?? (body ? "POST" : "GET"), path, answer);
  return answer;
}

// Every answer to a documented route and method must be what GET /api/openapi.json says
// (status, content type, JSON body): the document is proved by every API test.
async function checkAgainstDocument(method: string, path: string, answer: Answer): Promise<void> {
  const template = await documentedTemplate(baseUrl(), path);
  if (template === null) return;
  const problems = await undocumentedProblems(baseUrl(), method, template, answer);
  // A method the route does not implement (405) is not an operation of the document.
  if (problems.length === 1 && problems[0]!.endsWith("is not in the document")) return;
  if (problems.length > 0) throw new Error(`${method} ${path}: the answer does not match the OpenAPI document:\n${problems.join("\n")}`);
}

export type TestUser = { id: string; email: string; password: string; token: string; refreshToken: string };

export async function createUser(label = "user"): Promise<TestUser> {
  const email = `${label}-${randomUUID().slice(0, 8)}@example.com`;
  const password = `pw-${randomUUID()}`;
  const reg = await call("/api/register", { json: { email, password, name: label } });
  if (reg.status !== 201) throw new Error(`register failed: ${reg.status} ${reg.text}`);
  const tok = await call("/api/token", { json: { email, password } });
  if (tok.status !== 200) throw new Error(`token failed: ${tok.status} ${tok.text}`);
  return { id: reg.json.data.user.id, email, password, token: tok.json.data.access_token, refreshToken: tok.json.data.refresh_token };
}

// Signs in through Auth.js's own credentials endpoint, as a browser would, and returns the cookie header.
export async function sessionCookie(user: { email: string; password: string }): Promise<string> {
  const csrf = await fetch(`${baseUrl()}/api/auth/csrf`);
  const csrfCookie = csrf.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${baseUrl()}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { cookie: csrfCookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, email: user.email, password: user.password, callbackUrl: "/" }),
    redirect: "manual",
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith("authjs.session-token="));
  if (!session) throw new Error(`sign-in failed: ${res.status} ${res.headers.get("location")}`);
  return session.split(";")[0]!;
}

export async function generate(user: { token: string }, prompt = `a quiet harbour ${randomUUID()}`, extra: Record<string, string> = {}): Promise<any> {
  const res = await call("/api/generate-image", { token: user.token, json: { prompt, ...extra } });
  if (res.status !== 202) throw new Error(`generate failed: ${res.status} ${res.text}`);
  return res.json.data;
}

export async function waitForStatus(user: { token: string }, jobId: string, wanted: string[], timeoutMs = 20_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const res = await call(`/api/image-status/${jobId}`, { token: user.token });
    if (res.status !== 200) throw new Error(`status failed: ${res.status} ${res.text}`);
    if (wanted.includes(res.json.data.status)) return res.json.data;
    if (Date.now() > deadline) throw new Error(`job ${jobId} stayed ${res.json.data.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const failure = (message: string) => ({ meta: { code: 0, message }, data: null });
