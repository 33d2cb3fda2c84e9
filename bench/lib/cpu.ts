// CPU time spent by the server process and by its PostgreSQL (postmaster and
// backends, all descendants of the server), from /proc. Divided by the number
// of requests of a run, it says where each request's time goes.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

export type CpuSnapshot = { nodeMs: number; postgresMs: number };

let ticksPerSecond = 100;
try {
  ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
} catch {}

function stat(pid: number): { ppid: number; comm: string; cpuMs: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = text.lastIndexOf(")");
    const comm = text.slice(text.indexOf("(") + 1, close);
    const fields = text.slice(close + 2).split(" ");
    // After the comm: state(0) ppid(1) … utime(11) stime(12)
    return { ppid: Number(fields[1]), comm, cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond };
  } catch {
    return null;
  }
}

export function cpuSnapshot(serverPid: number): CpuSnapshot {
  const all = new Map<number, NonNullable<ReturnType<typeof stat>>>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const s = stat(Number(entry));
    if (s) all.set(Number(entry), s);
  }
  const descends = (pid: number): boolean => {
    for (let p = all.get(pid)?.ppid, depth = 0; p && depth < 10; p = all.get(p)?.ppid, depth++) if (p === serverPid) return true;
    return false;
  };
  let postgresMs = 0;
  for (const [pid, s] of all) if (s.comm.startsWith("postgres") && descends(pid)) postgresMs += s.cpuMs;
  return { nodeMs: all.get(serverPid)?.cpuMs ?? Number.NaN, postgresMs };
}
