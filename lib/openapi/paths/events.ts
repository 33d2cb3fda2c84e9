// Live updates of the caller's own jobs: a server-sent event stream.
import type { PathSpec } from "../spec";

const EVENTS = [
  "A stream of the caller's own jobs as they change (server-sent events; `EventSource` in a browser). Each event has an `id:`,",
  "a watermark: reconnecting with `Last-Event-ID` re-sends every job changed since (deletions and intermediate progress are not replayed).",
  "",
  "| event | data |",
  "|---|---|",
  "| `ready` | `{}`, once, when the stream is live |",
  '| `job` | the job as `GET /api/jobs/{id}` answers it, or `{job_id, status: "deleted"}` |',
  "| `progress` | `{job_id, fraction, step, steps}` while a job renders |",
  "| `preview` | `{job_id, url}`: a new preview of a rendering job (`GET /api/jobs/{id}/preview`) |",
  "| `reset` | `{}`: too much changed to replay, reload the list |",
  "| `end` | `{reason}`: `credentials` (the credential stopped working), `shutdown` or `unavailable`; the stream closes |",
  "",
  "The credential is checked again at every heartbeat and at once when any of the person's credentials ends. At most 5 streams per person at once (429).",
].join("\n");

export const eventPaths: PathSpec[] = [
  {
    path: "/api/events",
    tag: "Live updates",
    operations: {
      get: {
        summary: "Live updates of your jobs (server-sent events)",
        description: EVENTS,
        access: "read",
        success: [
          {
            status: 200,
            description: "An endless `text/event-stream`",
            file: ["text/event-stream"],
            headers: { "Cache-Control": "`private, no-store, no-transform`" },
          },
        ],
        errors: [429],
        effect: "streams",
      },
    },
  },
];
