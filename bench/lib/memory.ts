// Resident memory of the next-server process, sampled from /proc while the
// scenarios run, with the peak per phase; VmHWM gives the kernel's own peak.
import { readFileSync } from "node:fs";

function readStatus(pid: number): { rssKb: number; hwmKb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
    return { rssKb: field("VmRSS"), hwmKb: field("VmHWM") };
  } catch {
    return null;
  }
}

export class MemorySampler {
  private timer: NodeJS.Timeout | undefined;
  private phase = "start-up";
  readonly peakByPhase = new Map<string, number>();
  private lastHwmKb = 0;

  constructor(private readonly pid: number) {}

  start(intervalMs = 200): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  setPhase(name: string): void {
    this.sample();
    this.phase = name;
    this.sample();
  }

  private sample(): void {
    const s = readStatus(this.pid);
    if (!s) return;
    this.lastHwmKb = Math.max(this.lastHwmKb, s.hwmKb);
    this.peakByPhase.set(this.phase, Math.max(this.peakByPhase.get(this.phase) ?? 0, s.rssKb));
  }

  stop(): { hwmMb: number; currentMb: number; peakByPhaseMb: Record<string, number> } {
    this.sample();
    if (this.timer) clearInterval(this.timer);
    const now = readStatus(this.pid);
    const mb = (kb: number) => Math.round(kb / 1024);
    return {
      hwmMb: mb(Math.max(this.lastHwmKb, now?.hwmKb ?? 0)),
      currentMb: mb(now?.rssKb ?? Number.NaN),
      peakByPhaseMb: Object.fromEntries([...this.peakByPhase].map(([k, v]) => [k, mb(v)])),
    };
  }
}
