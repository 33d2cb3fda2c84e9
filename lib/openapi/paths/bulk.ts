// Bulk actions on several of your jobs at once. All the named jobs are the
// caller's, or nothing changes and the answer is the same 404 as for one missing job.
import { z } from "zod";
import { bulkCollectInput, bulkFavouriteInput, bulkJobsInput } from "@/lib/bulk/input";
import type { PathSpec } from "../spec";

const ALL_OR_NOTHING =
  "All of the named jobs must be yours: one that is someone else's, missing or malformed makes the whole request a 404 and nothing changes.";
const zipFile = {
  status: 200,
  description: "A zip of the jobs' images, streamed",
  file: ["application/zip"],
  headers: { "Content-Disposition": '`attachment; filename="darkroom-images.zip"`', "Cache-Control": "`private, no-store`" },
};

export const bulkPaths: PathSpec[] = [
  {
    path: "/api/bulk/favourite",
    tag: "Bulk actions",
    operations: {
      post: {
        summary: "Star (or, with `favourite: false`, unstar) every image of some jobs",
        description: ALL_OR_NOTHING,
        access: "generate",
        body: bulkFavouriteInput,
        example: { job_ids: ["{job}"], favourite: true },
        errors: [404],
        success: [
          {
            status: 200,
            description: "What changed",
            data: z.object({ job_ids: z.array(z.string()), favourite: z.boolean(), images: z.number().int().describe("images of those jobs") }),
          },
        ],
      },
    },
  },
  {
    path: "/api/bulk/collect",
    tag: "Bulk actions",
    operations: {
      post: {
        summary: "Add every image of some jobs to one of your collections",
        description: `${ALL_OR_NOTHING} Someone else's collection is a 404 too; a collection that would grow past its limit is a 409.`,
        access: "generate",
        body: bulkCollectInput,
        example: { job_ids: ["{job}"], collection_id: "{collection}" },
        errors: [404, 409],
        success: [
          {
            status: 200,
            description: "What was added",
            data: z.object({ job_ids: z.array(z.string()), collection_id: z.string(), added: z.number().int().describe("images newly added") }),
          },
        ],
      },
    },
  },
  {
    path: "/api/bulk/delete",
    tag: "Bulk actions",
    operations: {
      post: {
        summary: "Delete some jobs with their images and files",
        description: ALL_OR_NOTHING,
        access: "generate",
        body: bulkJobsInput,
        example: { job_ids: ["{job}"] },
        errors: [404],
        success: [{ status: 200, description: "Deleted", data: z.object({ job_ids: z.array(z.string()) }) }],
      },
    },
  },
  {
    path: "/api/bulk/download",
    tag: "Bulk actions",
    operations: {
      get: {
        summary: "Download the images of some jobs as one zip (`?job_ids=<id>,<id>`)",
        description: `The gallery's download link: it changes nothing. ${ALL_OR_NOTHING} The 404 comes before any byte of zip.`,
        access: "read",
        query: bulkJobsInput,
        example: { job_ids: ["{job}"] },
        errors: [404],
        success: [zipFile],
      },
      post: {
        summary: "Download the images of some jobs as one zip (JSON body, for API clients)",
        description: `Changes nothing. ${ALL_OR_NOTHING} The 404 comes before any byte of zip.`,
        access: "read",
        body: bulkJobsInput,
        example: { job_ids: ["{job}"] },
        errors: [404],
        success: [zipFile],
      },
    },
  },
];
