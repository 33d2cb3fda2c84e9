// Babbage must never see, reach or change anything of Ada's: not in his
// pages, not in the React Server Component payloads behind them, not through
// the image URLs, not through retry or delete. Someone else's job is
// indistinguishable from a job that does not exist.
import type { APIRequestContext, Page } from "@playwright/test";
import { SAME_ORIGIN } from "./env";
import { expect, test } from "./fixtures";
import { createJob, getJob, unique, waitForStatus } from "./helpers";

const MISSING_ID = "00000000-0000-4000-8000-000000000000";

function assertFree(text: string, secrets: string[], where: string) {
  for (const secret of secrets) expect(text.includes(secret), `${where} must not contain ${secret}`).toBe(false);
}

// The HTML of a page and its RSC (flight) payload, as Babbage's session receives them.
async function htmlAndFlight(request: APIRequestContext, path: string) {
  const html = await request.get(path);
  const flight = await request.get(path, { headers: { RSC: "1" } });
  return { html: await html.text(), flight: await flight.text(), flightType: flight.headers()["content-type"] ?? "" };
}

async function notFoundText(page: Page, path: string) {
  const response = await page.goto(path);
  expect(response?.status(), `${path} answers 404`).toBe(404);
  await expect(page.getByTestId("not-found")).toBeVisible();
  return page.getByTestId("not-found").textContent();
}

test("another person's jobs and images are invisible and untouchable", async ({ ada, babbage }) => {
  // Ada develops an image (and leaves one failed); Babbage has one of his own.
  const adaPrompt = unique("Ada's private orchard at dawn");
  const adaJob = await createJob(ada.page.request, { prompt: adaPrompt, style: "oil-painting" });
  const adaFailedPrompt = unique("Ada's broken plate [[fail]]");
  const adaFailed = await createJob(ada.page.request, { prompt: adaFailedPrompt, style: "oil-painting" });
  const bobPrompt = unique("Babbage's difference engine");
  const bobJob = await createJob(babbage.page.request, { prompt: bobPrompt, style: "oil-painting" });
  const ada1 = await waitForStatus(ada.page.request, adaJob.job_id, "completed");
  const ada2 = await waitForStatus(ada.page.request, adaFailed.job_id, "failed");
  await waitForStatus(babbage.page.request, bobJob.job_id, "completed");

  const secrets = [ada1.job_id, ada2.job_id, adaPrompt, adaFailedPrompt, ada1.image_url!, ada1.thumbnail_url!, ada.person.email];

  // His studio, gallery (all styles and Ada's style), job list and his own job page.
  const { page } = babbage;
  await page.goto("/");
  await expect(page.getByTestId("job-feed")).toContainText(bobPrompt);
  assertFree(await page.content(), secrets, "studio DOM");
  await page.goto("/gallery?style=oil-painting");
  await expect(page.getByRole("img", { name: bobPrompt })).toBeVisible();
  assertFree(await page.content(), secrets, "gallery DOM");
  const list = await page.request.get("/api/jobs?limit=100");
  expect(list.status()).toBe(200);
  const listed = (await list.json()).data.jobs as { job_id: string }[];
  expect(listed.map((j) => j.job_id)).toContain(bobJob.job_id);
  assertFree(JSON.stringify(listed), secrets, "job list");

  // Every page he can reach: HTML and the RSC payload, plus the client navigations' payloads.
  const flights: string[] = [];
  page.on("response", async (response) => {
    if ((response.headers()["content-type"] ?? "").includes("text/x-component")) flights.push(await response.text().catch(() => ""));
  });
  for (const path of [
    "/",
    "/gallery",
    "/gallery?style=oil-painting",
    `/jobs/${bobJob.job_id}`,
    `/jobs/${ada1.job_id}`,
    `/jobs/${ada2.job_id}`,
    "/login",
    "/register",
  ]) {
    const { html, flight } = await htmlAndFlight(page.request, path);
    // A page Babbage asked for by id echoes that id (its own URL); nothing else of hers may appear.
    const hidden = secrets.filter((secret) => !path.includes(secret));
    assertFree(html, hidden, `HTML of ${path}`);
    assertFree(flight, hidden, `RSC payload of ${path}`);
  }
  const ownFlight = await htmlAndFlight(page.request, `/jobs/${bobJob.job_id}`);
  expect(ownFlight.flightType).toContain("text/x-component");
  expect(ownFlight.flight).toContain(bobPrompt);
  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Gallery" }).click();
  await page.getByRole("link", { name: bobPrompt }).click();
  await expect(page).toHaveURL(new RegExp(`/jobs/${bobJob.job_id}$`));
  await page.getByRole("link", { name: "Gallery", exact: true }).first().click();
  await expect(page).toHaveURL(/\/gallery$/);
  expect(flights.length).toBeGreaterThan(0);
  for (const flight of flights) assertFree(flight, secrets, "client navigation RSC payload");

  // Ada's job page is the same 404 page as a missing or malformed id.
  const forAda = await notFoundText(page, `/jobs/${ada1.job_id}`);
  const forFailed = await notFoundText(page, `/jobs/${ada2.job_id}`);
  const forMissing = await notFoundText(page, `/jobs/${MISSING_ID}`);
  const forMalformed = await notFoundText(page, "/jobs/not-a-job-id");
  expect(forAda).toBe(forMissing);
  expect(forFailed).toBe(forMissing);
  expect(forMalformed).toBe(forMissing);
  expect(forAda).toContain("Nothing developed here");

  // Her image, thumbnail and download URLs answer him exactly like missing ones.
  const missingBody = await (await page.request.get(`/api/images/${MISSING_ID}`)).json();
  for (const url of [ada1.image_url!, ada1.thumbnail_url!, `${ada1.image_url}?download=1`, `/api/jobs/${ada1.job_id}`, `/api/image-status/${ada1.job_id}`]) {
    const response = await page.request.get(url);
    expect(response.status(), url).toBe(404);
    expect(await response.json()).toEqual(missingBody);
  }
  // In his browser too (an <img> pointed at her image does not load).
  const probe = await page.evaluate(async (src) => (await fetch(src)).status, ada1.image_url!);
  expect(probe).toBe(404);

  // His retry and delete of her jobs: 404, and nothing changes.
  expect((await page.request.post(`/api/retry-job/${ada2.job_id}`, { headers: SAME_ORIGIN })).status()).toBe(404);
  expect((await page.request.delete(`/api/jobs/${ada1.job_id}`, { headers: SAME_ORIGIN })).status()).toBe(404);
  expect((await page.request.delete(`/api/jobs/${ada2.job_id}`, { headers: SAME_ORIGIN })).status()).toBe(404);
  expect((await page.request.post(`/api/retry-job/${MISSING_ID}`, { headers: SAME_ORIGIN })).status()).toBe(404);
  expect(await getJob(ada.page.request, ada1.job_id)).toEqual(ada1);
  expect(await getJob(ada.page.request, ada2.job_id)).toEqual(ada2);
  const image = await ada.page.request.get(ada1.image_url!);
  expect(image.status()).toBe(200);
  expect(image.headers()["content-type"]).toBe("image/png");

  // Ada still sees both, unchanged, in her own pages.
  await ada.page.goto("/gallery");
  await expect(ada.page.getByRole("img", { name: adaPrompt })).toBeVisible();
  await ada.page.goto("/");
  await expect(ada.page.locator(`[data-job-id="${ada2.job_id}"]`).getByTestId("status-badge")).toHaveText("Failed");

  // After Ada signs out, her image URLs answer 401 in her browser.
  await ada.page.getByRole("button", { name: "Sign out" }).click();
  await expect(ada.page).toHaveURL(/\/login$/);
  expect((await ada.page.request.get(ada1.image_url!)).status()).toBe(401);
  expect((await ada.page.request.get(ada1.thumbnail_url!)).status()).toBe(401);
  expect((await ada.page.request.get(`${ada1.image_url}?download=1`)).status()).toBe(401);
  const afterSignOut = await ada.page.goto("/gallery");
  expect(afterSignOut?.url()).toMatch(/\/login\?next=%2Fgallery$/);
});
