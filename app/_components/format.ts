// Labels and time formatting shared by server and client components. Pure
// functions of their inputs (including `now`), so server and browser render
// the same text and hydration never disagrees.
import { isQuality, isStyle, type Quality, type Style } from "@/lib/client/options";

const STYLE_LABELS: Record<Style, string> = {
  realistic: "Realistic",
  anime: "Anime",
  "digital-art": "Digital art",
  watercolor: "Watercolor",
  "oil-painting": "Oil painting",
  sketch: "Sketch",
  "pixel-art": "Pixel art",
  "3d-render": "3D render",
};

const QUALITY_LABELS: Record<Quality, string> = { standard: "Standard", high: "High" };

// Jobs carry their style and quality as stored text: an unknown one (say,
// from a newer server) is shown as is, or as the default for quality.
export function styleLabel(style: string): string {
  return isStyle(style) ? STYLE_LABELS[style] : style;
}

export function qualityShortLabel(quality: string): string {
  return QUALITY_LABELS[isQuality(quality) ? quality : "standard"];
}

export function qualityLabel(quality: string): string {
  return `${qualityShortLabel(quality)} quality`;
}

export function modelLabel(model: string): string {
  if (model === "local/sketch") return "Offline renderer (local/sketch)";
  return model;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) ms = 0;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function formatAgo(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 45) return "just now";
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  if (d < 14) return `${d} d ago`;
  return new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

export type JobTiming = { status: string; created_at: string; updated_at: string; completed_at: string | null };

// How long the job took (finished) or has been running (pending), in words.
export function describeTiming(job: JobTiming, now: number): string {
  const start = Date.parse(job.created_at);
  switch (job.status) {
    case "completed":
      return `took ${formatDuration(Date.parse(job.completed_at ?? job.updated_at) - start)}`;
    case "failed":
      return `failed after ${formatDuration(Date.parse(job.updated_at) - start)}`;
    case "processing":
      return `developing · ${formatDuration(now - start)}`;
    default:
      return `waiting · ${formatDuration(now - start)}`;
  }
}

export const isPending = (status: string) => status === "queued" || status === "processing";
