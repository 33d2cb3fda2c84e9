// "Export everything": a zip of a person's images (images/<jobId>.<ext>) and a
// JSON of their jobs (jobs.json), streamed with back-pressure. The stream is
// pull-based: the next page of jobs is listed, and the next image read, only
// when the client has taken what came before, so the server holds about one
// image at a time however many a person has.
import "server-only";
import { Zip, ZipPassThrough } from "fflate";
import type { JobRow } from "@/db/schema";
import { toPublicJob } from "@/lib/jobs/public";
import { listJobs } from "@/lib/jobs/queries";
import { getStorage } from "@/lib/storage";

const PAGE = 100;

export function exportAccount(userId: string): ReadableStream<Uint8Array> {
  const chunks = zipChunks(userId);
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await chunks.next();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        } catch (error) {
          controller.error(error);
        }
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    // One chunk ahead at most: everything else waits in the database and on disk.
    { highWaterMark: 1 },
  );
}

// Every job of the person as of the export's start (newer ones are left for the
// next export), page by page with the keyset cursor.
async function* jobsAsOf(userId: string, asOf: Date, status?: JobRow["status"]): AsyncGenerator<JobRow> {
  let after: { createdAt: Date; id: string } | undefined;
  while (true) {
    const page = await listJobs({ userId, limit: PAGE, after, status });
    for (const row of page) if (row.createdAt <= asOf) yield row;
    if (page.length < PAGE) return;
    const last = page.at(-1)!;
    after = { createdAt: last.createdAt, id: last.id };
  }
}

async function* zipChunks(userId: string): AsyncGenerator<Uint8Array> {
  // The database's clock, not ours: the newest job when the export starts.
  const [newest] = await listJobs({ userId, limit: 1 });
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
  for await (const row of jobsAsOf(userId, asOf, "completed")) {
    if (!row.imageKey) continue;
    // Read in small chunks as the client takes them: no image is ever held whole.
    const chunks = await storage.stream(row.imageKey);
    if (!chunks) continue;
    const file = new ZipPassThrough(`images/${row.id}.${row.imageKey.split(".").pop()}`);
    zip.add(file);
    for await (const chunk of chunks) {
      file.push(chunk);
      yield* drain();
    }
    file.push(new Uint8Array(0), true);
    yield* drain();
  }

  // The same text as JSON.stringify({ jobs }, null, 2), written a job at a time.
  const encoder = new TextEncoder();
  const manifest = new ZipPassThrough("jobs.json");
  zip.add(manifest);
  let count = 0;
  manifest.push(encoder.encode('{\n  "jobs": ['));
  for await (const row of jobsAsOf(userId, asOf)) {
    const job = JSON.stringify(toPublicJob(row), null, 2).replace(/\n/g, "\n    ");
    manifest.push(encoder.encode(`${count++ > 0 ? "," : ""}\n    ${job}`));
    yield* drain();
  }
  manifest.push(encoder.encode(count > 0 ? "\n  ]\n}" : "]\n}"), true);
  zip.end();
  yield* drain();
}
