// The job list's keyset cursor (lib/jobs/service.ts): opaque to clients, it
// round-trips to exactly the (created_at, id) of the last row shown, and
// anything the API did not hand out is refused as a 400 before any query runs.
// The data layer is replaced by a recorder: no database is involved.
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { JobRow } from "@/db/schema";

const listJobsQuery = vi.hoisted(() => vi.fn());
vi.mock("@/lib/jobs/queries", () => ({ listJobs: listJobsQuery }));
// Not reached by listing; stubbed so importing the service loads no SDKs or storage.
vi.mock("@/lib/generation/dispatch", () => ({ dispatchJob: vi.fn(), announceJobDeleted: vi.fn() }));
vi.mock("@/lib/generation/models", () => ({ configuredModelId: () => "local/sketch" }));
vi.mock("@/lib/storage", () => ({ getStorage: vi.fn(), jobPrefix: vi.fn() }));
vi.mock("@/lib/audit/service", () => ({ recordEvent: vi.fn() }));
// A page's images come with it from the (recorded) list query; none here.
vi.mock("@/lib/images/queries", () => ({ listImagesOfJobs: async () => [] }));

const { listJobs } = await import("@/lib/jobs/service");
const { InvalidInputError } = await import("@/lib/errors");

const USER = "11111111-1111-4111-8111-111111111111";

function row(i: number): JobRow {
  const createdAt = new Date(Date.UTC(2026, 0, 1, 12, 0, 0, 0) - i * 1000);
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    userId: USER,
    status: "completed",
    prompt: `prompt ${i}`,
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
    createdAt,
    updatedAt: createdAt,
    startedAt: null,
    completedAt: null,
    progressStep: null,
    progressSteps: null,
    previewKey: null,
  };
}

const encode = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

beforeEach(() => {
  listJobsQuery.mockReset();
});

describe("job list cursor", () => {
  it("asks for one extra row and returns a cursor only when it exists", async () => {
    listJobsQuery.mockResolvedValueOnce({ rows: [row(1), row(2), row(3)], images: [] });
    const page = await listJobs(USER, { limit: 2 });
    expect(listJobsQuery).toHaveBeenCalledWith({
      userId: USER,
      limit: 3,
      after: undefined,
      status: undefined,
      style: undefined,
      filters: { favourite: false },
      relevance: undefined,
    });
    expect(page.jobs.map((j) => j.job_id)).toEqual([row(1).id, row(2).id]);
    expect(page.next_cursor).toMatch(/^[A-Za-z0-9_-]+$/);

    listJobsQuery.mockResolvedValueOnce({ rows: [row(1), row(2)], images: [] });
    expect((await listJobs(USER, { limit: 2 })).next_cursor).toBeNull();
  });

  it("round-trips to the last row's (created_at, id), to the millisecond", async () => {
    listJobsQuery.mockResolvedValueOnce({ rows: [row(1), row(2), row(3)], images: [] });
    const { next_cursor } = await listJobs(USER, { limit: 2, status: "completed", style: "sketch" });
    expect(JSON.parse(Buffer.from(next_cursor!, "base64url").toString("utf8"))).toEqual([row(2).createdAt.toISOString(), row(2).id]);

    listJobsQuery.mockResolvedValueOnce({ rows: [], images: [] });
    await listJobs(USER, { limit: 2, cursor: next_cursor!, status: "completed", style: "sketch" });
    const call = listJobsQuery.mock.calls[1]![0];
    expect(call).toMatchObject({ userId: USER, limit: 3, status: "completed", style: "sketch", after: { id: row(2).id } });
    expect(call.after.createdAt).toBeInstanceOf(Date);
    expect(call.after.createdAt.getTime()).toBe(row(2).createdAt.getTime());
  });

  it.each([
    ["not base64 JSON", "!!!not-a-cursor!!!"],
    ["plain text", encode("hello")],
    ["an object instead of a pair", encode({ createdAt: "2026-01-01T00:00:00.000Z", id: row(1).id })],
    ["an id that is not a uuid", encode(["2026-01-01T00:00:00.000Z", "1 OR 1=1"])],
    ["an unreadable date", encode(["yesterday-ish", row(1).id])],
    ["a number as the date", encode([1767225600000, row(1).id])],
    ["a missing id", encode(["2026-01-01T00:00:00.000Z"])],
    ["JSON null", encode("null")],
  ])("refuses %s with a 400 naming the cursor, before any query", async (_, cursor) => {
    const error = await listJobs(USER, { limit: 20, cursor }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InstanceType<typeof InvalidInputError>).field).toBe("cursor");
    expect((error as Error).message).toBe('Invalid field "cursor": not a cursor returned by this API');
    expect(listJobsQuery).not.toHaveBeenCalled();
  });
});
