// The opt-in `?parameters=1` download: the image with its job's prompt and
// settings in a `parameters` text chunk, in the format AUTOMATIC1111 writes and
// reads back ("PNG Info"), so other tools can pick them up. Only the owner gets
// here (lib/images/service.ts), and only when they ask: stored files carry nothing.
import sharp from "sharp";
import type { JobImageRow, JobRow } from "@/db/schema";
import { MAX_SEED } from "@/lib/jobs/input";
import { insertAfterHeader, isPng, textChunk } from "./png-chunks";
import type { ImageFile } from "./service";

// AUTOMATIC1111's quoting of an infotext value (modules/infotext_utils.py `quote`).
const quote = (value: string) => (/[,\n:]/.test(value) ? JSON.stringify(value) : value);

// `<prompt>\nNegative prompt: <neg>\nSeed: …, Size: …, Model: …, Style: …, Quality: …`:
// only what Darkroom knows (no Steps, Sampler or CFG scale, which it never sets).
export function infotext(
  job: Pick<JobRow, "prompt" | "negativePrompt" | "seed" | "model" | "style" | "quality">,
  image: Pick<JobImageRow, "index" | "width" | "height">,
): string {
  const fields: [string, string][] = [];
  if (job.seed !== null) fields.push(["Seed", String((job.seed + image.index) % (MAX_SEED + 1))]);
  fields.push(["Size", `${image.width}x${image.height}`], ["Model", job.model], ["Style", job.style], ["Quality", job.quality]);
  const lines = [job.prompt];
  if (job.negativePrompt) lines.push(`Negative prompt: ${job.negativePrompt}`);
  lines.push(fields.map(([key, value]) => `${key}: ${quote(value)}`).join(", "));
  return lines.join("\n");
}

export async function withParameters(file: ImageFile, job: JobRow, image: JobImageRow): Promise<ImageFile> {
  // A text chunk is a PNG feature: a JPEG or WebP image is converted for this download.
  const png = isPng(file.bytes) ? file.bytes : await sharp(file.bytes).png().toBuffer();
  return {
    bytes: insertAfterHeader(png, [textChunk("parameters", infotext(job, image))]),
    contentType: "image/png",
    filename: file.filename.replace(/\.[a-z]+$/, ".png"),
  };
}
