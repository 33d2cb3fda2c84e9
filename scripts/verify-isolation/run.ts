// The black-box authorization matrix, driven by the OpenAPI document: every
// documented operation replayed as nobody and with broken credentials, as
// another person on the owner's objects (compared with missing and malformed
// ids), and as the owner; then the other person's objects are read again.
import { createHash, randomUUID } from "node:crypto";
import {
  type Account,
  type Answer,
  brokenCredentials,
  type Client,
  fillTemplate,
  fillValue,
  makeResource,
  type Recipe,
  templateNames,
  type Vars,
} from "./http";

type Operation = {
  method: string;
  path: string;
  access: string;
  resource?: string;
  effect?: string;
  example?: Record<string, unknown>;
  needs?: string;
  statuses: string[];
};
export type Finding = { route: string; problem: string; detail: string };
export type OpenApi = { paths: Record<string, Record<string, any>>; "x-darkroom": { resources: Record<string, Recipe> } };

export function operationsOf(doc: OpenApi): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      access: op["x-darkroom"]?.access ?? "public",
      resource: op["x-darkroom"]?.resource,
      effect: op["x-darkroom"]?.effect,
      example: op["x-darkroom"]?.example,
      needs: op["x-darkroom"]?.needs,
      statuses: Object.keys(op.responses ?? {}),
    })),
  );
}

// Headers that may differ between two identical answers.
const VOLATILE = new Set(["date", "connection", "keep-alive", "transfer-encoding"]);
const fingerprint = (a: Answer) => ({ status: a.status, headers: [...a.headers.entries()].filter(([k]) => !VOLATILE.has(k)), body: a.text });
function difference(a: Answer, b: Answer): string | null {
  const fa = fingerprint(a);
  const fb = fingerprint(b);
  if (fa.status !== fb.status) return `status ${fa.status} vs ${fb.status}`;
  if (fa.body !== fb.body) return `body ${JSON.stringify(fa.body.slice(0, 160))} vs ${JSON.stringify(fb.body.slice(0, 160))}`;
  const ha = JSON.stringify(fa.headers);
  const hb = JSON.stringify(fb.headers);
  if (ha !== hb) {
    const only = (x: [string, string][], y: [string, string][]) =>
      x.filter(([k, v]) => !y.some(([k2, v2]) => k === k2 && v === v2)).map(([k, v]) => `${k}: ${v}`);
    return `headers differ: ${only(fa.headers, fb.headers).join(", ")} vs ${only(fb.headers, fa.headers).join(", ")}`;
  }
  return null;
}

const fillPath = (path: string, values: Record<string, string>) => path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? "none");
const paramsOf = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

export async function replay(client: Client, doc: OpenApi, owner: Account, other: Account, log: (line: string) => void): Promise<Finding[]> {
  const recipes = doc["x-darkroom"].resources;
  const ops = operationsOf(doc).filter((op) => op.access !== "public");
  const findings: Finding[] = [];
  // An endless answer (server-sent events) is judged by its status and headers.
  const streams = (op: Operation) => op.effect === "streams";
  const shared = (op: Operation) => !!op.resource && !!recipes[op.resource]?.shared;
  const find = (op: Operation, problem: string, detail: string) => findings.push({ route: `${op.method} ${op.path}`, problem, detail });
  const bodyFor = (op: Operation, vars: Vars) => (op.method === "GET" ? undefined : fillValue(op.example ?? {}, vars));
  // A GET's example is its query string (a list is comma-separated: `?job_ids=<id>,<id>`).
  const withQuery = (op: Operation, path: string, vars: Vars) => {
    if (op.method !== "GET" || !op.example) return path;
    const filled = fillValue(op.example, vars) as Record<string, unknown>;
    const query = new URLSearchParams(Object.entries(filled).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : String(v)]));
    return `${path}?${query}`;
  };
  const paramValues = (op: Operation, vars: Vars) =>
    Object.fromEntries(paramsOf(op.path).map((p) => [p, fillTemplate(recipes[op.resource!]!.params[p] ?? "", vars)]));

  // The other person's objects: one of every resource a path names.
  const theirs: Record<string, Vars> = {};
  for (const name of new Set(ops.map((op) => op.resource).filter((r): r is string => !!r))) {
    log(`  making the other person's ${name}`);
    theirs[name] = await makeResource(client, recipes, name, other);
  }
  // A shared object (the operator's catalog) is in everyone's lists: not a leak.
  const theirValues = new Set([
    other.id,
    other.email,
    ...Object.entries(theirs)
      .filter(([name]) => !recipes[name]!.shared)
      .flatMap(([, v]) => Object.values(v)),
  ]);

  // What the other person can read of their own, before and after: every GET without side effects.
  const readable = ops.filter((op) => op.method === "GET" && !op.effect && op.access !== "admin");
  const snapshot = async () => {
    const seen: Record<string, string> = {};
    for (const op of readable) {
      const vars = op.resource ? theirs[op.resource]! : {};
      const path = fillPath(op.path, op.resource ? paramValues(op, vars) : {});
      const res = await client.call("GET", path, { token: other.token, stream: streams(op) });
      seen[path] =
        `${res.status} ${res.headers.get("content-type")?.includes("json") ? res.text : `${res.text.length} characters, sha256 ${createHash("sha256").update(res.text).digest("hex")}`}`;
    }
    return seen;
  };
  const before = await snapshot();

  log(`  replaying ${ops.length} operations as nobody and with ${Object.keys(brokenCredentials(other)).length} broken credentials`);
  for (const op of ops) {
    const target = fillPath(op.path, op.resource ? paramValues(op, theirs[op.resource]!) : {});
    for (const [label, auth] of Object.entries(brokenCredentials(other))) {
      const res = await client.call(op.method, target, { ...auth, json: bodyFor(op, theirs[op.resource ?? ""] ?? {}), stream: streams(op) });
      if (res.status !== 401) find(op, `answered ${res.status} to ${label} (expected 401)`, res.text.slice(0, 200));
    }
  }

  log("  replaying every object route as another person, by bearer and by session cookie: theirs vs missing vs malformed");
  const ownerCookie = await client.browserSignIn(owner);
  const ids = (op: Operation, value: () => string) => Object.fromEntries(paramsOf(op.path).map((p) => [p, value()]));
  for (const op of ops.filter((o) => o.resource)) {
    if (shared(op)) {
      log(`  ${op.method} ${op.path}: ${recipes[op.resource!]!.shared} (not compared)`);
      continue;
    }
    const vars = theirs[op.resource!]!;
    const body = bodyFor(op, vars);
    for (const [via, auth] of [
      ["bearer", { token: owner.token }],
      ["cookie", { cookie: ownerCookie }],
    ] as const) {
      const someoneElses = await client.call(op.method, fillPath(op.path, paramValues(op, vars)), { ...auth, json: body });
      const missing = await client.call(op.method, fillPath(op.path, ids(op, randomUUID)), { ...auth, json: body });
      const malformed = await client.call(
        op.method,
        fillPath(
          op.path,
          ids(op, () => "not-an-id"),
        ),
        { ...auth, json: body },
      );
      if (someoneElses.status >= 200 && someoneElses.status < 300)
        find(op, `someone else's object answered ${someoneElses.status} (${via})`, someoneElses.text.slice(0, 200));
      const vsMissing = difference(someoneElses, missing);
      if (vsMissing) find(op, `someone else's object is distinguishable from a missing one (${via})`, vsMissing);
      const vsMalformed = difference(someoneElses, malformed);
      if (vsMalformed && !vsMissing) find(op, `someone else's object is distinguishable from a malformed id (${via})`, vsMalformed);
    }
  }

  log("  replaying bodies that name an object (the caller's own object, someone else's id inside)");
  const mine: Record<string, Vars> = {};
  const ownVars = async (name: string) => (mine[name] ??= await makeResource(client, recipes, name, owner));
  for (const op of ops.filter((o) => o.example && templateNames(o.example).length > 0)) {
    const own = op.resource ? await ownVars(op.resource) : {};
    const path = fillPath(op.path, op.resource ? paramValues(op, own) : {});
    const named = templateNames(op.example);
    const withTheirs = Object.fromEntries(named.map((n) => [n, Object.values(theirs).find((v) => v[n])?.[n] ?? randomUUID()]));
    const withMissing = Object.fromEntries(named.map((n) => [n, randomUUID()]));
    const send = (values: Vars) =>
      client.call(op.method, withQuery(op, path, { ...own, ...values }), {
        token: owner.token,
        json: op.method === "GET" ? undefined : fillValue(op.example, { ...own, ...values }),
      });
    const a = await send(withTheirs);
    const b = await send(withMissing);
    const diff = difference(a, b);
    if (diff) find(op, "an id of someone else's object in the body is distinguishable from a missing one", diff);
  }

  log("  replaying every operation as the owner");
  for (const op of ops.filter((o) => o.access !== "admin" && o.effect !== "signs-out" && o.effect !== "deletes-account")) {
    // Calls that change or remove the object get a fresh one (an example body such as
    // `{image_ids: []}` fits a new object only); reads share one.
    const vars = op.resource ? (op.method !== "GET" ? await makeResource(client, recipes, op.resource, owner) : await ownVars(op.resource)) : {};
    // Objects a body names: fresh ones too when the call may change or remove them (a bulk delete).
    for (const name of templateNames(op.example)) {
      const recipe = Object.keys(recipes).find((r) => recipes[r]!.params.id === `{${name}}`) ?? name;
      if (!vars[name]) Object.assign(vars, op.method !== "GET" ? await makeResource(client, recipes, recipe, owner) : await ownVars(recipe));
    }
    const path = fillPath(op.path, op.resource ? paramValues(op, vars) : {});
    const res = await client.call(op.method, withQuery(op, path, vars), { token: owner.token, json: bodyFor(op, vars), stream: streams(op) });
    // An operation that needs a state the recipe's object is not in (a preview while rendering) may be its 404.
    if (op.needs && res.status === 404) log(`  ${op.method} ${op.path}: 404 to its owner, as documented (needs ${op.needs})`);
    else if (res.status >= 500) find(op, `answered ${res.status} to its owner`, res.text.slice(0, 200));
    else if (!op.statuses.includes(String(res.status))) find(op, `answered its owner ${res.status}, which the document does not list`, res.text.slice(0, 200));
    // The owner must get through (409: e.g. retrying a job that did not fail), or the replays above proved nothing here.
    else if (op.resource && res.status >= 400 && res.status !== 409)
      find(op, `refused its owner (${res.status}): the check is blind on this route`, res.text.slice(0, 200));
    if (op.method === "GET" && !op.resource) {
      const leaked = [...theirValues].filter((v) => res.text.includes(v));
      if (leaked.length > 0) find(op, "the caller's own list shows the other person's data", leaked.join(", "));
    }
  }

  log("  reading the other person's objects again");
  const after = await snapshot();
  for (const [path, value] of Object.entries(before)) {
    if (after[path] !== value)
      findings.push({
        route: `GET ${path}`,
        problem: "the other person's data changed during the run",
        detail: `${value.slice(0, 160)} → ${after[path]?.slice(0, 160)}`,
      });
  }
  for (const line of client.serverErrors) findings.push({ route: line.split(" → ")[0]!, problem: "server error", detail: line });
  return findings;
}

// Deletes what the run made: a test account it registered goes whole (every job,
// image, key and session with it); on given accounts, each object it made and
// each browser session it opened.
export async function cleanUp(client: Client, accounts: Account[], sessionsBefore: Map<string, string[]>, log: (line: string) => void): Promise<void> {
  for (const account of accounts) {
    if (account.registered) {
      const res = await client.call("DELETE", "/api/account", { token: account.token, json: { password: account.password } });
      log(`  deleted test account ${account.email}: ${res.status}`);
      continue;
    }
    for (const path of client.made.get(account.token) ?? []) await client.call("DELETE", path, { token: account.token });
    const now = await client.call("GET", "/api/account/sessions", { token: account.token });
    for (const session of (now.json?.data?.sessions ?? []) as { id: string }[])
      if (!sessionsBefore.get(account.email)?.includes(session.id))
        await client.call("DELETE", `/api/account/sessions/${session.id}`, { token: account.token });
    log(`  removed what the run made on ${account.email}`);
  }
}

export async function sessionIds(client: Client, account: Account): Promise<string[]> {
  const res = await client.call("GET", "/api/account/sessions", { token: account.token });
  return ((res.json?.data?.sessions ?? []) as { id: string }[]).map((s) => s.id);
}
