// The whole path a person takes: generate, watch it develop live, find it in
// the gallery, download it, recover a failure with retry, delete it.
import { readFile } from "node:fs/promises";
import { SAME_ORIGIN } from "./env";
import { expect, test } from "./fixtures";
import { generateInStudio, getJob, jobCard, PNG_MAGIC, unique } from "./helpers";

test("register → generate → watch it complete live → gallery → download", async ({ ada }) => {
  const { page } = ada;
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Studio", level: 1 })).toBeVisible();
  await expect(page.getByTestId("user-email")).toContainText(ada.person.email);

  // The character count follows the prompt.
  const prompt = unique("A lighthouse at dusk, long exposure");
  await page.getByLabel("Prompt").fill(prompt);
  await expect(page.getByTestId("prompt-count")).toContainText(`${prompt.length} / 2000`);

  // A marker on window survives only if the page is never reloaded.
  await page.evaluate(() => {
    (window as unknown as { __noReload: boolean }).__noReload = true;
  });
  const id = await generateInStudio(page, { prompt, style: "watercolor", quality: "standard" });
  const card = jobCard(page, id);
  await expect(card).toBeVisible();
  await expect(page.getByLabel("Prompt")).toHaveValue("");

  // It develops in place: the badge turns to Completed and the thumbnail appears.
  await expect(card.getByTestId("status-badge")).toHaveText("Completed");
  await expect(card).toHaveAttribute("data-status", "completed");
  await expect(card.getByTestId("elapsed")).toContainText(/^took \d/);
  const thumb = card.locator("img");
  await expect(thumb).toHaveAttribute("src", `/api/images/${id}/thumbnail`);
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
  // With nothing pending the live indicator (and polling) stops.
  await expect(page.getByTestId("live-indicator")).toHaveCount(0);

  // The gallery shows it, newest first, as a thumbnail.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Gallery" }).click();
  await expect(page).toHaveURL(/\/gallery$/);
  const tile = page.getByTestId("gallery-item").first();
  await expect(tile).toHaveAttribute("data-job-id", id);
  const tileImg = tile.getByRole("img", { name: prompt });
  await expect(tileImg).toHaveAttribute("src", `/api/images/${id}/thumbnail`);
  await expect.poll(() => tileImg.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(256);

  // The style filter keeps it under Watercolor and not under Anime.
  await page.getByRole("link", { name: "Watercolor" }).click();
  await expect(page).toHaveURL(/\/gallery\?style=watercolor$/);
  await expect(page.getByTestId("gallery-item").first()).toHaveAttribute("data-job-id", id);
  await page.getByRole("link", { name: "Anime" }).click();
  await expect(page).toHaveURL(/\/gallery\?style=anime$/);
  await expect(page.getByTestId("gallery-empty")).toContainText("No anime images yet");

  // Its page: full image, details, download.
  await page.goto(`/gallery`);
  await page.getByRole("link", { name: prompt }).click();
  await expect(page).toHaveURL(new RegExp(`/jobs/${id}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(prompt);
  await expect(page.getByTestId("job-image")).toHaveAttribute("src", `/api/images/${id}`);
  await expect(page.getByText("Offline renderer (local/sketch)").first()).toBeVisible();
  await expect(page.getByTestId("status-badge")).toHaveText("Completed");

  const downloadLink = page.getByRole("link", { name: "Download" });
  await expect(downloadLink).toHaveAttribute("href", `/api/images/${id}?download=1`);
  const [download] = await Promise.all([page.waitForEvent("download"), downloadLink.click()]);
  expect(download.suggestedFilename()).toMatch(/\.png$/);
  const bytes = await readFile((await download.path())!);
  expect(bytes.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
  expect(bytes.length).toBeGreaterThan(1000);
});

test("a failed job shows its error, retries to completion, and deletes out of the gallery", async ({ ada }) => {
  const { page } = ada;
  await page.goto("/");
  const prompt = unique("A moth on a window [[fail]]");
  const id = await generateInStudio(page, { prompt, style: "sketch" });
  const card = jobCard(page, id);

  // All attempts fail: the card says so, with the renderer's error, and offers a retry.
  await expect(card.getByTestId("status-badge")).toHaveText("Failed");
  await expect(card.getByTestId("job-error")).toHaveText("The renderer failed (injected test failure)");
  const failed = await getJob(page.request, id);
  expect(failed.status).toBe("failed");
  expect(failed.attempts).toBe(3);

  // Retry from the studio; it completes without a reload.
  await card.getByRole("button", { name: /^Retry/ }).click();
  await expect(card.getByTestId("status-badge")).toHaveText("Completed");
  await expect(card.getByTestId("job-error")).toHaveCount(0);
  const retried = await getJob(page.request, id);
  expect(retried.status).toBe("completed");
  expect(retried.error).toBeNull();
  expect(retried.attempts).toBe(4);

  // Retrying a completed job is refused (409) and changes nothing.
  const again = await page.request.post(`/api/retry-job/${id}`, { headers: SAME_ORIGIN });
  expect(again.status()).toBe(409);

  // Delete it from its page, after confirming.
  await card.getByRole("link", { name: prompt }).click();
  await expect(page).toHaveURL(new RegExp(`/jobs/${id}$`));
  await expect(page.getByRole("term").filter({ hasText: "Attempts" })).toBeVisible();
  await expect(page.locator("dd").filter({ hasText: /^4$/ })).toBeVisible();
  await page.getByRole("button", { name: "Delete" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete this image?" });
  await expect(dialog).toBeVisible();
  // Cancel keeps it.
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  expect((await getJob(page.request, id)).status).toBe("completed");
  // Confirm deletes it and returns to the gallery, where it is gone.
  await page.getByRole("button", { name: "Delete" }).click();
  await dialog.getByRole("button", { name: "Delete image" }).click();
  await expect(page).toHaveURL(/\/gallery$/);
  await expect(page.locator(`[data-testid="gallery-item"][data-job-id="${id}"]`)).toHaveCount(0);
  await expect(page.getByRole("img", { name: prompt })).toHaveCount(0);
  expect((await page.request.get(`/api/jobs/${id}`)).status()).toBe(404);
  expect((await page.request.get(`/api/images/${id}`)).status()).toBe(404);
  const gone = await page.goto(`/jobs/${id}`);
  expect(gone?.status()).toBe(404);
});

test("retry from the job page brings a failed job back to completed", async ({ ada }) => {
  const { page } = ada;
  await page.goto("/");
  const prompt = unique("Rain on a tin roof [[fail]]");
  const id = await generateInStudio(page, { prompt });
  await expect(jobCard(page, id).getByTestId("status-badge")).toHaveText("Failed");

  await page.goto(`/jobs/${id}`);
  await expect(page.getByTestId("job-error")).toContainText("The renderer failed (injected test failure)");
  await expect(page.getByRole("link", { name: "Download" })).toHaveCount(0);
  await page.getByRole("button", { name: "Retry" }).click();
  // The page follows the job without a manual reload.
  await expect(page.getByTestId("status-badge")).toHaveText("Completed");
  await expect(page.getByTestId("job-image")).toBeVisible();
  await expect(page.getByRole("link", { name: "Download" })).toBeVisible();
});

test("the studio shows the server's validation message next to the prompt and cannot double-submit", async ({ ada }) => {
  const { page } = ada;
  await page.goto("/");
  // Whitespace passes the browser's `required` but not the server: 400 names the prompt.
  await page.getByLabel("Prompt").fill("   ");
  await page.getByRole("button", { name: "Generate" }).click();
  const promptError = page.getByRole("alert").filter({ hasText: "The prompt must not be empty." });
  await expect(promptError).toBeVisible();
  await expect(page.getByLabel("Prompt")).toHaveAttribute("aria-invalid", "true");

  // A double click creates one job, not two.
  const prompt = unique("Two clicks, one job");
  await page.getByLabel("Prompt").fill(prompt);
  await expect(promptError).toHaveCount(0);
  const posts: string[] = [];
  page.on("request", (r) => {
    if (r.url().endsWith("/api/generate-image") && r.method() === "POST") posts.push(r.url());
  });
  await page.getByRole("button", { name: "Generate" }).dblclick();
  await expect(page.locator('[data-testid="job-card"]').filter({ hasText: prompt })).toHaveCount(1);
  const listed = await page.request.get("/api/jobs?limit=50");
  const jobs = (await listed.json()).data.jobs as { prompt: string }[];
  expect(jobs.filter((j) => j.prompt === prompt)).toHaveLength(1);
  expect(posts).toHaveLength(1);
});

test("without the event stream, polling takes over: it pauses while the tab is hidden and stops once nothing is pending", async ({ ada }) => {
  const { page } = ada;
  // The stream is down (as when a proxy cuts it): the studio falls back to polling.
  await page.route("**/api/events", (route) => route.abort());
  // Page timers under test control: nothing fires unless the test moves the clock.
  await page.clock.install();
  await page.goto("/");
  await page.clock.pauseAt(Date.now() + 1000);
  const polls: string[] = [];
  page.on("request", (r) => {
    if (new URL(r.url()).pathname === "/api/jobs" && r.method() === "GET") polls.push(r.url());
  });
  const setVisibility = (state: "hidden" | "visible") =>
    page.evaluate((value) => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => value });
      document.dispatchEvent(new Event("visibilitychange"));
    }, state);

  const id = await generateInStudio(page, { prompt: unique("Developing behind a closed door") });
  const badge = jobCard(page, id).getByTestId("status-badge");
  await expect(badge).toHaveText("Queued");

  // Hidden: the job completes on the server, time passes, and the page does not ask.
  await setVisibility("hidden");
  polls.length = 0;
  await expect.poll(async () => (await getJob(page.request, id)).status).toBe("completed");
  await page.clock.runFor(30_000);
  await page.evaluate(() => 0);
  expect(polls).toEqual([]);
  await expect(badge).toHaveText("Queued");

  // Visible again: it asks at once and the card catches up.
  await setVisibility("visible");
  await page.clock.runFor(1_000);
  await expect(badge).toHaveText("Completed");
  expect(polls.length).toBeGreaterThan(0);

  // Nothing pending: no more polling, however long the page stays open.
  polls.length = 0;
  await page.clock.runFor(120_000);
  await page.evaluate(() => 0);
  expect(polls).toEqual([]);
});

test("a job develops live over the event stream: the progress bar moves, a preview appears, then the image — without polling", async ({ ada }) => {
  const { page } = ada;
  const polls: string[] = [];
  page.on("request", (r) => {
    if (new URL(r.url()).pathname === "/api/jobs" && r.method() === "GET") polls.push(r.url());
  });
  await page.goto("/");
  // Record every value the progress bar shows and whether a preview was ever shown.
  await page.evaluate(() => {
    const w = window as unknown as { __progress: string[]; __preview: boolean };
    w.__progress = [];
    w.__preview = false;
    new MutationObserver(() => {
      for (const bar of document.querySelectorAll('[data-testid="job-progress"]')) {
        const value = bar.getAttribute("data-value") ?? "";
        if (w.__progress.at(-1) !== value) w.__progress.push(value);
      }
      if (document.querySelector('[data-testid="job-card"] [data-testid="job-preview"]')) w.__preview = true;
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  const id = await generateInStudio(page, { prompt: unique("A darkroom print developing"), style: "sketch" });
  const card = jobCard(page, id);
  // Live, by the stream.
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-source", "stream");
  const bar = card.getByRole("progressbar");
  await expect(bar).toHaveAttribute("aria-valuemin", "0");
  await expect(bar).toHaveAttribute("aria-valuemax", "100");
  await expect(card.getByTestId("job-preview")).toBeVisible();
  await expect(card.getByTestId("status-badge")).toHaveText("Completed");
  await expect(card.locator("img")).toHaveAttribute("src", `/api/images/${id}/thumbnail`);
  const seen = await page.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
  const values = seen.filter((v) => v !== "").map(Number);
  expect(values.length, JSON.stringify(seen)).toBeGreaterThanOrEqual(2);
  expect([...values].sort((a, b) => a - b)).toEqual(values);
  expect(await page.evaluate(() => (window as unknown as { __preview: boolean }).__preview)).toBe(true);
  // The announcement for screen readers still comes (polite live region).
  await expect(page.getByRole("status").filter({ hasText: "Image ready" })).toHaveCount(1);
  expect(polls).toEqual([]);
});

test("a job's own page shows its progress and preview live, then the image, refreshing only when the status changes", async ({ ada }) => {
  const { page } = ada;
  // Four images: sixteen progress steps, long enough to watch on the page.
  const response = await page.request.post("/api/generate-image", { data: { prompt: unique("Four prints in the tray"), n: 4 }, headers: SAME_ORIGIN });
  expect(response.status()).toBe(202);
  const id = ((await response.json()).data as { job_id: string }).job_id;
  const refreshes: string[] = [];
  page.on("request", (r) => {
    if (new URL(r.url()).pathname === `/jobs/${id}` && r.headers().rsc) refreshes.push(r.url());
  });
  await page.goto(`/jobs/${id}`);
  await expect(page.getByTestId("job-placeholder")).toHaveAttribute("data-source", "stream");
  const bar = page.getByRole("progressbar", { name: "Rendering progress" });
  await expect.poll(async () => Number((await bar.getAttribute("aria-valuenow")) ?? 0)).toBeGreaterThan(0);
  await expect(page.getByTestId("job-preview")).toBeVisible();
  await expect(page.getByTestId("job-image")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("status-badge")).toHaveText("Completed");
  // Queued → processing → completed: at most one refresh per change, no polling.
  expect(refreshes.length).toBeLessThanOrEqual(2);
});

test("the studio works from the keyboard alone, with a visible focus ring", async ({ ada }) => {
  const { page } = ada;
  await page.goto("/");
  // First Tab: the skip link, shown when focused; it moves focus to the main content.
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();

  // From there the prompt is the next stop, with the focus ring drawn.
  await page.keyboard.press("Tab");
  const prompt = page.getByLabel("Prompt");
  await expect(prompt).toBeFocused();
  await expect(prompt).toHaveCSS("outline-style", "solid");
  const text = unique("Typed without a mouse");
  await page.keyboard.type(text);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Style")).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Quality")).toBeFocused();
  await page.keyboard.press("Tab");
  const generate = page.getByRole("button", { name: "Generate" });
  await expect(generate).toBeFocused();
  await expect(generate).toHaveCSS("outline-style", "solid");

  // Ctrl+Enter from the prompt submits.
  await prompt.focus();
  await page.keyboard.press("Control+Enter");
  const card = page.locator('[data-testid="job-card"]').filter({ hasText: text });
  await expect(card.getByTestId("status-badge")).toHaveText("Completed");
  // Its prompt is a link reachable by keyboard that opens the job.
  await card.getByRole("link", { name: text }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(text);
});
