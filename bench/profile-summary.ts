// Summarises a V8 CPU profile (`BENCH_CPU_PROF=<dir> npm run bench` writes one
// per server): self time by package or app folder, and the top functions.
//   npx tsx bench/profile-summary.ts <file.cpuprofile> [top=25]
import { readFileSync } from "node:fs";

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] };
type Profile = { nodes: Node[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [top]");
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => {
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});

// Where a frame's code lives: an npm package, a part of the app, Node itself, or V8's own bookkeeping.
function area(node: Node): string {
  const { url, functionName } = node.callFrame;
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  if (url.startsWith("node:")) return `node:${url.slice(5).split("/")[0]}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) {
    // Next bundles its own copies of React and friends under next/dist/compiled.
    const compiled = /next\/dist\/compiled\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    return compiled ? `next/compiled/${compiled[1]}` : pkg[1]!;
  }
  const chunk = /\.next[^/]*\/server\/(.+)$/.exec(url);
  return chunk ? `app bundle: ${chunk[1]!.split("/").slice(0, 2).join("/")}` : url;
}

// Shares of the time the process was busy: idle time is left out.
const idle = [...selfUs].filter(([id]) => byId.get(id)?.callFrame.functionName === "(idle)").reduce((a, [, us]) => a + us, 0);
const total = [...selfUs.values()].reduce((a, b) => a + b, 0) - idle;
const sum = (key: (n: Node) => string) => {
  const out = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (node && node.callFrame.functionName !== "(idle)") out.set(key(node), (out.get(key(node)) ?? 0) + us);
  }
  return [...out].sort((a, b) => b[1] - a[1]);
};
const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
const top = Number(topArg ?? 25);
console.log(`${file}: ${(total / 1e6).toFixed(1)} s busy, ${(idle / 1e6).toFixed(1)} s idle (shares below are of the busy time)`);
console.log("\nself time by area");
for (const [k, us] of sum(area).slice(0, top)) console.log(`${pct(us)}  ${k}`);
console.log("\nself time by function");
for (const [k, us] of sum((n) => `${n.callFrame.functionName || "(anonymous)"}  ${area(n)}:${n.callFrame.lineNumber + 1}`).slice(0, top)) {
  console.log(`${pct(us)}  ${k}`);
}
