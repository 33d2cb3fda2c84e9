// What a job shows of its rendering (lib/jobs/public.ts): progress and a preview
// while processing only, never a storage key, and nothing at all once finished;
// and the event stream's Last-Event-ID parsing (lib/events/stream.ts).
import { describe, expect, it, vi } from "vitest";
import type { JobRow } from "@/db/schema";
import { toPublicJob } from "@/lib/jobs/public";

vi.mock("@/lib/jobs/service", () => ({}));
vi.mock("@/lib/env", () => ({ getEnv: () => ({ EVENTS_HEARTBEAT_MS: 15_000 }) }));
vi.mock("@/lib/events/listener", () => ({}));
const { parseLastEventId } = await import("@/lib/events/stream");

const ID = "00000000-0000-4000-8000-000000000001";
const at = new Date(Date.UTC(2026, 11, 2, 6, 0, 0));
const row = (fields: Partial<JobRow>): JobRow => ({
  id: ID,
  userId: "11111111-1111-4111-8111-111111111111",
  status: "processing",
  prompt: "p",
  style: "sketch",
  quality: "standard",
  model: "local/sketch",
  aspectRatio: "1:1",
  n: 1,
  seed: 1,
  negativePrompt: null,
  units: 1,
  attempts: 1,
  error: null,
  imageKey: null,
  thumbnailKey: null,
  contentType: null,
  width: null,
  height: null,
  idempotencyKey: null,
  createdAt: at,
  updatedAt: at,
  startedAt: at,
  completedAt: null,
  progressStep: null,
  progressSteps: null,
  previewKey: null,
  ...fields,
});

describe("a job's progress and preview", () => {
  it("shows the fraction, step and steps while processing, and the owner-checked preview route, never the key", () => {
    const job = toPublicJob(row({ progressStep: 2, progressSteps: 3, previewKey: `users/x/jobs/${ID}/preview.webp` }));
    expect(job.progress).toEqual({ fraction: 0.667, step: 2, steps: 3 });
    expect(job.preview_url).toBe(`/api/jobs/${ID}/preview?step=2`);
    expect(JSON.stringify(job)).not.toContain("preview.webp");
  });

  it("is null before the model reports anything, and in every other status whatever the row holds", () => {
    expect(toPublicJob(row({})).progress).toBeNull();
    expect(toPublicJob(row({})).preview_url).toBeNull();
    for (const status of ["queued", "completed", "failed"] as const) {
      const job = toPublicJob(row({ status, progressStep: 1, progressSteps: 4, previewKey: "k" }));
      expect(job.progress).toBeNull();
      expect(job.preview_url).toBeNull();
    }
  });

  it("keeps a step reported past the end within bounds", () => {
    expect(toPublicJob(row({ progressStep: 9, progressSteps: 4 })).progress).toEqual({ fraction: 1, step: 4, steps: 4 });
  });
});

describe("Last-Event-ID", () => {
  it("accepts the stream's own ids (database milliseconds) and ignores anything else", () => {
    expect(parseLastEventId("1764655200000")?.toISOString()).toBe("2025-12-02T06:00:00.000Z");
    for (const bad of [null, "", "abc", "-1", "1e12", "12345678901234567890", "1764655200000; drop"]) expect(parseLastEventId(bad)).toBeUndefined();
  });
});
