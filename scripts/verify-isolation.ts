// `npm run verify-isolation -- <base-url>`: the black-box authorization matrix
// as a tool anyone can point at a deployment (docs/security.md). It reads the
// deployment's OpenAPI document, makes two test accounts (or signs in to the
// two given in VERIFY_OWNER_EMAIL/VERIFY_OWNER_PASSWORD and
// VERIFY_OTHER_EMAIL/VERIFY_OTHER_PASSWORD), gives the other one an object of
// every resource, replays every documented operation, reports every answer that
// tells "someone else's" from "missing", every 5xx and every change to the
// other account, then deletes what it made. Exit code 1 on any finding, 2 if it
// could not run.
import { Client } from "./verify-isolation/http";
import { cleanUp, type Finding, type OpenApi, replay, sessionIds } from "./verify-isolation/run";

const usage = "usage: npm run verify-isolation -- <base-url> [--keep]";

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const base = args.find((a) => !a.startsWith("--"));
  if (!base || !/^https?:\/\//.test(base)) {
    console.error(usage);
    return 2;
  }
  const keep = args.includes("--keep");
  const client = new Client(base);
  const log = (line: string) => console.log(line);
  log(`Darkroom isolation check against ${base}`);
  const docAnswer = await client.call("GET", "/api/openapi.json");
  if (docAnswer.status !== 200) throw new Error(`GET /api/openapi.json answered ${docAnswer.status}`);
  const doc = docAnswer.json as OpenApi;
  const given = (who: string) => {
    const email = process.env[`VERIFY_${who}_EMAIL`];
    const password = process.env[`VERIFY_${who}_PASSWORD`];
    return email && password ? client.signIn(email, password) : client.register(who.toLowerCase());
  };
  const owner = await given("OWNER");
  const other = await given("OTHER");
  log(`  accounts: ${owner.email} (caller) and ${other.email} (the other person)`);
  const sessionsBefore = new Map([
    [owner.email, await sessionIds(client, owner)],
    [other.email, await sessionIds(client, other)],
  ]);
  let findings: Finding[] = [];
  try {
    findings = await replay(client, doc, owner, other, log);
  } finally {
    if (!keep) await cleanUp(client, [owner, other], sessionsBefore, log);
  }
  report(findings, client.calls);
  return findings.length > 0 ? 1 : 0;
}

function report(findings: Finding[], calls: number) {
  console.log("");
  if (findings.length === 0) {
    console.log(`No findings: ${calls} requests, every answer about someone else's object matched a missing one.`);
    return;
  }
  console.log(`${findings.length} finding(s) in ${calls} requests:`);
  const byRoute = new Map<string, Finding[]>();
  for (const f of findings) byRoute.set(f.route, [...(byRoute.get(f.route) ?? []), f]);
  for (const [route, list] of byRoute) {
    console.log(`\n  ${route}`);
    for (const f of list) console.log(`    - ${f.problem}\n      ${f.detail}`);
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`verify-isolation could not run: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
