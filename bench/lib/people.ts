// The bench's accounts, created through the real API (register, token) and the
// real browser sign-in (Auth.js credentials callback), as tests/support/api.ts does.
import { randomUUID } from "node:crypto";
import { assertLoopback } from "./load-protocol";

export type Account = { label: string; id: string; email: string; password: string; token: string };

async function post(url: string, body: unknown): Promise<{ status: number; json: any }> {
  assertLoopback(url);
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json().catch(() => null) };
}

export async function createAccount(baseUrl: string, label: string): Promise<Account> {
  const email = `${label}-${randomUUID().slice(0, 8)}@bench.invalid`;
  const password = `pw-${randomUUID()}`;
  const reg = await post(`${baseUrl}/api/register`, { email, password, name: label });
  if (reg.status !== 201) throw new Error(`register ${label}: HTTP ${reg.status} ${JSON.stringify(reg.json)}`);
  const tok = await post(`${baseUrl}/api/token`, { email, password });
  if (tok.status !== 200) throw new Error(`token ${label}: HTTP ${tok.status} ${JSON.stringify(tok.json)}`);
  return { label, id: reg.json.data.user.id, email, password, token: tok.json.data.access_token };
}

// Creates accounts a few at a time: each one costs a password hash on the server.
export async function createAccounts(baseUrl: string, labels: string[], parallel = 4): Promise<Map<string, Account>> {
  const out = new Map<string, Account>();
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < labels.length) {
        const label = labels[next++]!;
        out.set(label, await createAccount(baseUrl, label));
      }
    }),
  );
  return out;
}

export async function sessionCookie(baseUrl: string, account: { email: string; password: string }): Promise<string> {
  assertLoopback(baseUrl);
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const csrfCookie = csrf.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { cookie: csrfCookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, email: account.email, password: account.password, callbackUrl: "/" }),
    redirect: "manual",
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith("authjs.session-token="));
  if (!session) throw new Error(`browser sign-in failed: HTTP ${res.status} ${res.headers.get("location")}`);
  return session.split(";")[0]!;
}

export async function getJson(url: string, headers: Record<string, string>): Promise<{ status: number; json: any; text: string }> {
  assertLoopback(url);
  const res = await fetch(url, { headers, redirect: "manual" });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, json, text };
}

// The cursor after `after` jobs, from the API itself (pages of 100).
export async function deepCursor(baseUrl: string, person: Account, after: number): Promise<{ cursor: string; createdAt: string; id: string }> {
  let cursor: string | null = null;
  for (let page = 0; page < after / 100; page++) {
    const r = await getJson(`${baseUrl}/api/jobs?limit=100${cursor ? `&cursor=${cursor}` : ""}`, { authorization: `Bearer ${person.token}` });
    if (r.status !== 200) throw new Error(`/api/jobs: HTTP ${r.status} ${r.text.slice(0, 200)}`);
    cursor = r.json.data.next_cursor;
  }
  const [createdAt, id] = JSON.parse(Buffer.from(cursor!, "base64url").toString("utf8")) as [string, string];
  return { cursor: cursor!, createdAt, id };
}
