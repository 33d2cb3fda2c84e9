// "Export everything": a zip of a person's images and a JSON of their jobs
// (jobs.json), streamed with back-pressure. Image 0 of a job is
// `images/<job id>.<ext>` as before; image i is `images/<job id>-<i+1>.<ext>`.
// The files are the stored, metadata-free ones unless the person asks for the
// prompt and settings inside them (`parameters`), as with a single download. The stream is
// pull-based: the next page of jobs is listed, and the next image read, only
// when the client has taken what came before, so the server holds about one
// image at a time however many a person has.
import { pullStream } from "@/lib/pull-stream";
import "server-only";
import { Zip, ZipPassThrough } from "fflate";
import type { JobImageRow, JobRow } from "@/db/schema";
import { withParameters } from "@/lib/images/parameters";
import { toPublicJob } from "@/lib/jobs/public";
import { listJobs } from "@/lib/jobs/queries";
import { getStorage } from "@/lib/storage";

const PAGE = 100;

export function exportAccount(userId: string, options: { parameters?: boolean } = {}): ReadableStream<Uint8Array> {
  return pullStream(zipChunks(userId, options.parameters === true));
}

type Page = { rows: JobRow[]; images: JobImageRow[] };

// Every job of the person as of the export's start (newer ones are left for the
// next export), a page at a time with the keyset cursor, with the page's images.
async function* pagesAsOf(userId: string, asOf: Date, status?: JobRow["status"]): AsyncGenerator<Page> {
  let after: { createdAt: Date; id: string } | undefined;
  while (true) {
    const { rows: page, images } = await listJobs({ userId, limit: PAGE, after, status });
    const rows = page.filter((row) => row.createdAt <= asOf);
    const completed = new Set(rows.filter((row) => row.status === "completed").map((row) => row.id));
    yield { rows, images: images.filter((image) => completed.has(image.jobId)) };
    if (page.length < PAGE) return;
    const last = page.at(-1)!;
    after = { createdAt: last.createdAt, id: last.id };
  }
}

const imagesOf = (page: Page, jobId: string) => page.images.filter((i) => i.jobId === jobId).sort((a, b) => a.index - b.index);

async function* zipChunks(userId: string, parameters: boolean): AsyncGenerator<Uint8Array> {
  // The database's clock, not ours: the newest job when the export starts.
  const [newest] = (await listJobs({ userId, limit: 1 })).rows;
  const asOf = newest?.createdAt ?? new Date(0);
  // fflate calls back synchronously as data is pushed; the chunks wait here
  // until the generator hands them out, one pull at a time.
  const ready: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else ready.push(chunk);
  });
  function* drain(): Generator<Uint8Array> {
    if (failure) throw failure;
    while (ready.length > 0) yield ready.shift()!;
  }

  // fflate writes one entry at a time (data for a later entry would be buffered),
  // so images first, then jobs.json from a second walk over the same jobs.
  const storage = getStorage();
  for await (const page of pagesAsOf(userId, asOf, "completed")) {
    for (const row of page.rows) {
      for (const image of imagesOf(page, row.id)) {
        const name = `images/${row.id}${image.index === 0 ? "" : `-${image.index + 1}`}`;
        if (parameters) {
          // The parameters chunk is written into the PNG: this one image is read whole.
          const bytes = await storage.get(image.imageKey);
          if (!bytes) continue;
          const out = await withParameters({ bytes, contentType: image.contentType, filename: image.imageKey }, row, image);
          const entry = new ZipPassThrough(`${name}.${out.filename.split(".").pop()}`);
          zip.add(entry);
          entry.push(out.bytes, true);
          yield* drain();
          continue;
        }
        // Read in small chunks as the client takes them: no image is ever held whole.
        const stream = await storage.stream(image.imageKey);
        if (!stream) continue;
        const entry = new ZipPassThrough(`${name}.${image.imageKey.split(".").pop()}`);
        zip.add(entry);
        for await (const chunk of stream) {
          entry.push(chunk);
          yield* drain();
        }
        entry.push(new Uint8Array(0), true);
        yield* drain();
      }
    }
  }

  // The same text as JSON.stringify({ jobs }, null, 2), written a job at a time.
  const encoder = new TextEncoder();
  const manifest = new ZipPassThrough("jobs.json");
  zip.add(manifest);
  let count = 0;
  manifest.push(encoder.encode('{\n  "jobs": ['));
  for await (const page of pagesAsOf(userId, asOf)) {
    for (const row of page.rows) {
      const job = JSON.stringify(toPublicJob(row, imagesOf(page, row.id)), null, 2).replace(/\n/g, "\n    ");
      manifest.push(encoder.encode(`${count++ > 0 ? "," : ""}\n    ${job}`));
      yield* drain();
    }
  }
  manifest.push(encoder.encode(count > 0 ? "\n  ]\n}" : "]\n}"), true);
  zip.end();
  yield* drain();
}
