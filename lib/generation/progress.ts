// Turns what a model reports while it renders into the job row's progress
// (which the job's update notification then carries to its owner's event
// streams, see lib/events) and a small preview file in the job's own folder.
// Writes are throttled and never queue up: only the newest report is written.
// A write that finds the job no longer processing (deleted, failed) aborts
// `signal`, so a GPU backend can be told to stop working on it.
import "server-only";
import sharp from "sharp";
import { recordProgress } from "@/lib/jobs/queries";
import { getStorage, jobPrefix } from "@/lib/storage";
import type { GenerationHooks, Progress } from "./models/types";
import type { JobRef } from "./workflow";

const MIN_WRITE_INTERVAL_MS = 400;
const MIN_PREVIEW_INTERVAL_MS = 1000;
export const PREVIEW_WIDTH = 256;

export const previewKey = (ref: JobRef) => `${jobPrefix(ref.userId, ref.jobId)}preview.webp`;

export type ProgressReporter = {
  /** Hooks for image `index` of `count`: steps are counted over the whole job. */
  hooksFor(index: number, count: number): GenerationHooks;
  /** Waits for the last write, so nothing is written after the job ends. */
  settle(): Promise<void>;
};

export function progressReporter(ref: JobRef): ProgressReporter {
  const controller = new AbortController();
  let pending: { progress: Progress; index: number; count: number } | undefined;
  let writing: Promise<void> = Promise.resolve();
  let busy = false;
  // A throttled write waiting for its turn (busy, but nothing in flight).
  let timer: NodeJS.Timeout | undefined;
  let lastWrite = 0;
  let lastPreview = 0;

  async function write(next: { progress: Progress; index: number; count: number }): Promise<void> {
    const { progress, index, count } = next;
    let key: string | undefined;
    const now = Date.now();
    if (progress.preview && now - lastPreview >= MIN_PREVIEW_INTERVAL_MS) {
      // Re-encoded, small and metadata-free whatever the backend sent.
      const small = await sharp(progress.preview.bytes).resize({ width: PREVIEW_WIDTH, withoutEnlargement: true }).webp({ quality: 70 }).toBuffer();
      await getStorage().put(previewKey(ref), small, "image/webp");
      key = previewKey(ref);
      lastPreview = now;
    }
    const steps = Math.max(1, progress.steps);
    const step = Math.min(Math.max(0, progress.step), steps);
    const stillWanted = await recordProgress(ref, { step: index * steps + step, steps: count * steps, previewKey: key });
    lastWrite = Date.now();
    if (!stillWanted) controller.abort(new Error("The job is no longer processing"));
  }

  function drain(): void {
    if (busy || !pending) return;
    const wait = MIN_WRITE_INTERVAL_MS - (Date.now() - lastWrite);
    const last = pending.progress.step >= pending.progress.steps;
    if (wait > 0 && !last) {
      busy = true;
      timer = setTimeout(() => {
        timer = undefined;
        busy = false;
        drain();
      }, wait);
      timer.unref?.();
      return;
    }
    const next = pending;
    pending = undefined;
    busy = true;
    writing = write(next)
      // Progress is a courtesy: a failed write must never fail the render.
      .catch(() => {})
      .finally(() => {
        busy = false;
        drain();
      });
  }

  return {
    hooksFor(index, count) {
      return {
        signal: controller.signal,
        onProgress(progress) {
          if (controller.signal.aborted) return;
          pending = { progress, index, count };
          drain();
        },
      };
    },
    async settle() {
      pending = undefined;
      // A throttled write that has not started is dropped at once: waiting for
      // its timer would hold the job (and its runner slot) for up to
      // MIN_WRITE_INTERVAL_MS after the render is done, for nothing.
      if (timer) {
        clearTimeout(timer);
        timer = undefined;
        busy = false;
      }
      // A write in flight is waited for, so nothing is written after the job ends.
      while (busy) await writing;
    },
  };
}
