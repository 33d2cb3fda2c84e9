// The gallery pages through completed images newest first with an opaque
// cursor (keyset pagination) and keeps the style filter across pages.
import { expect, test } from "./fixtures";
import { createJob, type Job, waitForStatus } from "./helpers";

const PAGE_SIZE = 12;

test("gallery pages by cursor, newest first, and the style filter survives paging", async ({ signedIn, newPerson }) => {
  const { page } = await signedIn(await newPerson("Hopper"));
  // 13 sketches and 1 anime, created one after another (so their order is known).
  const created: Job[] = [];
  for (let i = 1; i <= 13; i++) created.push(await createJob(page.request, { prompt: `Contact sheet frame ${i}`, style: "sketch" }));
  const anime = await createJob(page.request, { prompt: "The odd one out", style: "anime" });
  for (const job of [...created, anime]) await waitForStatus(page.request, job.job_id, "completed");
  const newestFirst = [anime, ...created.slice().reverse()].map((j) => j.job_id);

  const ids = () => page.getByTestId("gallery-item").evaluateAll((items) => items.map((item) => item.getAttribute("data-job-id")));

  // All styles: 12, then the remaining 2, with no overlap and no gap.
  await page.goto("/gallery");
  await expect(page.getByTestId("gallery-item")).toHaveCount(PAGE_SIZE);
  const first = await ids();
  expect(first).toEqual(newestFirst.slice(0, PAGE_SIZE));
  await page.getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(/\/gallery\?cursor=[A-Za-z0-9_-]+$/);
  await expect(page.getByTestId("gallery-item")).toHaveCount(2);
  expect(await ids()).toEqual(newestFirst.slice(PAGE_SIZE));
  await expect(page.getByRole("link", { name: "Next page" })).toHaveCount(0);
  await page.getByRole("link", { name: "Back to newest" }).click();
  await expect(page).toHaveURL(/\/gallery$/);
  expect(await ids()).toEqual(first);

  // Sketch only: 12, then 1; the filter is kept in the next-page link.
  await page.getByRole("link", { name: "Sketch", exact: true }).click();
  await expect(page).toHaveURL(/\/gallery\?style=sketch$/);
  await expect(page.getByRole("link", { name: "Sketch", exact: true })).toHaveAttribute("aria-current", "true");
  await expect(page.getByTestId("gallery-item")).toHaveCount(PAGE_SIZE);
  expect(await ids()).toEqual(newestFirst.slice(1, PAGE_SIZE + 1));
  await page.getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(/\/gallery\?style=sketch&cursor=[A-Za-z0-9_-]+$/);
  expect(await ids()).toEqual([created[0]!.job_id]);

  // A tampered cursor is explained, not a crash.
  const response = await page.goto("/gallery?cursor=not-a-cursor");
  expect(response?.status()).toBe(200);
  await expect(page.getByTestId("gallery-empty")).toContainText("This page link has expired");
});
