// The verifier's HTTP side: plain fetch against a base URL, test accounts,
// and the `x-darkroom.resources` recipes of the OpenAPI document. It imports
// nothing from the app: it sees the deployment exactly as a stranger would.
import { createHmac, randomBytes, randomUUID } from "node:crypto";

export type Answer = { status: number; headers: Headers; text: string; json: any };
export type Auth = { token?: string; cookie?: string };
export type Account = { email: string; password: string; id: string; token: string; refreshToken: string; registered: boolean; cookie?: string };
export type Vars = Record<string, string>;

type Step =
  | { call: string; body?: Record<string, unknown>; save?: Record<string, string>; until?: { path: string; in: unknown[] } }
  | { resource: string }
  | { signIn: true };
export type Recipe = { description: string; steps: Step[]; params: Record<string, string>; shared?: string };

export class Client {
  calls = 0;
  // Every 5xx seen, whoever asked: each is a finding.
  serverErrors: string[] = [];
  // What each credential made (a job, a collection, a key), to delete at the end: "DELETE <path>".
  made = new Map<string, Set<string>>();
  constructor(readonly base: string) {}

  // `stream`: an endless answer (server-sent events): only its status and headers are read.
  async call(method: string, path: string, options: Auth & { json?: unknown; headers?: Record<string, string>; stream?: boolean } = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (options.cookie) headers.cookie = options.cookie;
    let body: string | undefined;
    if (options.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    }
    this.calls++;
    const res = await fetch(new URL(path, this.base), { method, headers, body, redirect: "manual" });
    const endless = options.stream && res.status === 200;
    if (endless) await res.body?.cancel();
    const text = endless ? "" : await res.text();
    if (res.status >= 500) this.serverErrors.push(`${method} ${path} → ${res.status} ${text.slice(0, 160)}`);
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {}
    if (method === "POST" && (res.status === 201 || res.status === 202) && options.token) {
      const data = json?.data ?? {};
      const undo = data.job_id
        ? `/api/jobs/${data.job_id}`
        : data.collection_id
          ? `/api/collections/${data.collection_id}`
          : data.share_id
            ? `/api/shares/${data.share_id}`
            : path === "/api/account/keys"
              ? `/api/account/keys/${data.id}`
              : null;
      if (undo) this.made.set(options.token, new Set([...(this.made.get(options.token) ?? []), undo]));
    }
    return { status: res.status, headers: res.headers, text, json };
  }

  async register(label: string): Promise<Account> {
    const email = `isolation-${label}-${randomUUID().slice(0, 8)}@example.com`;
    const password = `iso-${randomBytes(18).toString("base64url")}`;
    const reg = await this.call("POST", "/api/register", { json: { email, password, name: `isolation ${label}` } });
    if (reg.status !== 201) throw new Error(`could not register a test account: ${reg.status} ${reg.text}`);
    return { ...(await this.signIn(email, password)), registered: true };
  }

  async signIn(email: string, password: string): Promise<Account> {
    const tok = await this.call("POST", "/api/token", { json: { email, password } });
    if (tok.status !== 200) throw new Error(`could not sign in as ${email}: ${tok.status} ${tok.text}`);
    const me = await this.call("GET", "/api/account", { token: tok.json.data.access_token });
    return { email, password, id: me.json.data.user.id, token: tok.json.data.access_token, refreshToken: tok.json.data.refresh_token, registered: false };
  }

  // A browser sign-in through Auth.js's credentials endpoint; returns the session cookie.
  async browserSignIn(account: Account): Promise<string> {
    const csrf = await fetch(new URL("/api/auth/csrf", this.base));
    const csrfCookie = csrf.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const res = await fetch(new URL("/api/auth/callback/credentials", this.base), {
      method: "POST",
      headers: { cookie: csrfCookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, email: account.email, password: account.password, callbackUrl: "/" }),
      redirect: "manual",
    });
    const session = res.headers.getSetCookie().find((c) => /^(__Secure-)?authjs\.session-token=/.test(c));
    if (!session) throw new Error(`browser sign-in failed for ${account.email}: ${res.status}`);
    return session.split(";")[0]!;
  }
}

export const fillTemplate = (text: string, vars: Vars) => text.replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
export const fillValue = (value: unknown, vars: Vars): unknown =>
  typeof value === "string"
    ? fillTemplate(value, vars)
    : Array.isArray(value)
      ? value.map((v) => fillValue(v, vars))
      : value && typeof value === "object"
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillValue(v, vars)]))
        : value;
const at = (json: unknown, dotted: string): unknown => dotted.split(".").reduce<any>((v, key) => (v == null ? undefined : v[key]), json);
export const templateNames = (value: unknown): string[] => [...JSON.stringify(value ?? null).matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

// Follows a resource's recipe as `owner`; returns the values it saved (e.g. {job, image}).
export async function makeResource(client: Client, recipes: Record<string, Recipe>, name: string, owner: Account): Promise<Vars> {
  const recipe = recipes[name];
  if (!recipe) throw new Error(`the document has no recipe for resource "${name}"`);
  const vars: Vars = {};
  for (const step of recipe.steps) {
    if ("resource" in step) Object.assign(vars, await makeResource(client, recipes, step.resource, owner));
    else if ("signIn" in step) owner.cookie = await client.browserSignIn(owner);
    else {
      const [method, path] = step.call.split(" ") as [string, string];
      const deadline = Date.now() + 120_000;
      let res: Answer;
      while (true) {
        res = await client.call(method, fillTemplate(path, vars), { token: owner.token, json: step.body ? fillValue(step.body, vars) : undefined });
        if (res.status >= 300) throw new Error(`recipe ${name}: ${step.call} answered ${res.status} ${res.text.slice(0, 200)}`);
        if (!step.until || step.until.in.includes(at(res.json, step.until.path))) break;
        if (Date.now() > deadline) throw new Error(`recipe ${name}: ${step.call} never reached ${step.until.in.join("/")}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      for (const [key, spec] of Object.entries(step.save ?? {})) {
        // `dotted.path~basename`: the last path segment of the URL at that path (a link's token).
        const [dotted, take] = spec.split("~") as [string, string | undefined];
        const found = at(res.json, dotted);
        const value = take === "basename" && typeof found === "string" ? new URL(found, client.base).pathname.split("/").pop() : found;
        if (typeof value !== "string") throw new Error(`recipe ${name}: ${step.call} gave no ${dotted}`);
        vars[key] = value;
      }
    }
  }
  return vars;
}

// Credentials that must all be refused (401), each shaped like a real one.
export function brokenCredentials(victim: Account): Record<string, Auth> {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: victim.id, iat: now, exp: now + 600 };
  const unsigned = `${b64({ alg: "none", typ: "at+jwt" })}.${b64(claims)}.`;
  const head = `${b64({ alg: "HS256", typ: "at+jwt" })}.${b64(claims)}`;
  const wrongKey = `${head}.${createHmac("sha256", "not-the-server-key-but-long-enough-to-sign").update(head).digest("base64url")}`;
  return {
    "no credentials": {},
    "garbage bearer": { token: "garbage" },
    "unsigned JWT (alg none) naming the other person": { token: unsigned },
    "JWT signed with the wrong key": { token: wrongKey },
    "the other person's refresh token as a bearer": { token: victim.refreshToken },
    "forged API key": { token: `dk_${"0".repeat(12)}_${"A".repeat(43)}` },
    "forged session cookie": { cookie: "authjs.session-token=garbage; __Secure-authjs.session-token=garbage" },
  };
}
