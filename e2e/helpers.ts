// Small helpers shared by the specs: API calls with a person's own session,
// and waiting for a job to settle.
import { type APIRequestContext, expect, type Page } from "@playwright/test";
import type { PublicJob } from "../lib/jobs/public";
import { SAME_ORIGIN } from "./env";

// The API's own public job shape, so the specs cannot drift from it.
export type Job = PublicJob;

export const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export async function getJob(request: APIRequestContext, id: string): Promise<Job> {
  const response = await request.get(`/api/jobs/${id}`);
  expect(response.status()).toBe(200);
  return (await response.json()).data as Job;
}

export async function createJob(request: APIRequestContext, input: { prompt: string; style?: string; quality?: string }): Promise<Job> {
  const response = await request.post("/api/generate-image", { data: input, headers: SAME_ORIGIN });
  expect(response.status()).toBe(202);
  return (await response.json()).data as Job;
}

export async function waitForStatus(request: APIRequestContext, id: string, status: Job["status"]): Promise<Job> {
  await expect.poll(async () => (await getJob(request, id)).status, { timeout: 20_000, intervals: [200, 300, 500] }).toBe(status);
  return getJob(request, id);
}

// The job card in the studio's live list.
export const jobCard = (page: Page, id: string) => page.locator(`[data-testid="job-card"][data-job-id="${id}"]`);

// Submits the studio form and returns the new job's id (read from the card the form adds).
export async function generateInStudio(page: Page, input: { prompt: string; style?: string; quality?: string }): Promise<string> {
  await page.getByLabel("Prompt").fill(input.prompt);
  if (input.style) await page.getByLabel("Style").selectOption(input.style);
  if (input.quality) await page.getByLabel("Quality").selectOption(input.quality);
  const created = page.waitForResponse((r) => r.url().endsWith("/api/generate-image") && r.request().method() === "POST");
  await page.getByRole("button", { name: "Generate" }).click();
  const response = await created;
  expect(response.status()).toBe(202);
  const job = (await response.json()).data as Job;
  expect(job.prompt).toBe(input.prompt);
  return job.job_id;
}
