// Share links in the browser (issue 13): the owner makes a link from an image's
// page and from a collection's page; an anonymous browser, with JavaScript off,
// sees exactly that image or collection and nothing else; another signed-in
// person can neither list nor revoke the owner's links; revoking, expiry and
// deleting the object end a link at once. The new pages pass an axe scan.
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "@playwright/test";
import { withDatabase } from "./db";
import { BASE_URL, SAME_ORIGIN } from "./env";
import { expect, test } from "./fixtures";
import { createJob, unique, waitForStatus } from "./helpers";

async function assertAccessible(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  const severe = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    severe.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    `serious or critical axe violations on ${name}`,
  ).toEqual([]);
}

// A stranger: no cookies, no JavaScript.
async function anonymous(browser: Browser) {
  const context = await browser.newContext({ baseURL: BASE_URL, javaScriptEnabled: false });
  return { context, page: await context.newPage() };
}

async function makeLink(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Make a share link" }).focus();
  await page.keyboard.press("Enter");
  const url = await page.getByTestId("share-url").inputValue();
  expect(url).toMatch(/\/s\/[A-Za-z0-9_-]{43}$/);
  return new URL(url).pathname;
}

test("a share link shows exactly its object to a stranger, until it is revoked, expires or its object is deleted", async ({
  browser,
  signedIn,
  newPerson,
  babbage,
}) => {
  const owner = await signedIn(await newPerson("Franklin"));
  const { page } = owner;
  const word = unique("helix").split(" ")[1]!;
  const shown = await createJob(page.request, { prompt: `A spiral staircase ${word}`, style: "sketch" });
  const hidden = await createJob(page.request, { prompt: `My secret notebook ${word}`, style: "sketch" });
  const shownDone = await waitForStatus(page.request, shown.job_id, "completed");
  await waitForStatus(page.request, hidden.job_id, "completed");

  // From the image's page, with the defaults: no prompt, no name.
  await page.goto(`/jobs/${shown.job_id}`);
  const link = await makeLink(page);
  await assertAccessible(page, "job-share");

  const stranger = await anonymous(browser);
  const res = await stranger.page.goto(link);
  expect(res?.status()).toBe(200);
  expect(res?.headers()["x-robots-tag"]).toContain("noindex");
  expect(res?.headers()["cache-control"]).toBe("private, no-store");
  await expect(stranger.page.getByRole("heading", { name: "A shared image" })).toBeVisible();
  await expect(stranger.page.locator("img")).toHaveCount(1);
  await expect.poll(() => stranger.page.locator("img").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  const text = await stranger.page.locator("body").innerText();
  for (const secret of ["spiral", "secret notebook", word, "Franklin", owner.person.email, shown.job_id]) expect(text).not.toContain(secret);
  expect(await stranger.page.content()).not.toContain(shownDone.images[0]!.image_id);
  // axe runs as a script: scan the same page in a stranger's browser with JavaScript on.
  const scanner = await browser.newContext({ baseURL: BASE_URL });
  const scanPage = await scanner.newPage();
  await scanPage.goto(link);
  await assertAccessible(scanPage, "share-page");
  await scanner.close();

  // Another signed-in person cannot list or revoke it, and it keeps working (its view count is now 2).
  const listed = await babbage.page.request.get("/api/shares");
  expect(listed.status()).toBe(200);
  const shareId = (await (await page.request.get("/api/shares")).json()).data.shares[0].share_id as string;
  expect(await listed.text()).not.toContain(shareId);
  expect((await babbage.page.request.delete(`/api/shares/${shareId}`, { headers: SAME_ORIGIN })).status()).toBe(404);
  await babbage.page.goto("/shares");
  await expect(babbage.page.locator(`[data-share-id="${shareId}"]`)).toHaveCount(0);
  expect((await stranger.page.goto(link))?.status()).toBe(200);

  // The owner's list counts the page views (three so far) and revokes by keyboard.
  await page.goto("/shares");
  const item = page.locator(`[data-share-id="${shareId}"]`);
  await expect(item.getByTestId("share-views")).toHaveText("3 views");
  await assertAccessible(page, "shares");
  await item.getByRole("button", { name: /^Revoke/ }).focus();
  await page.keyboard.press("Enter");
  await expect(item).toHaveCount(0);
  const gone = await stranger.page.goto(link);
  expect(gone?.status()).toBe(404);
  await expect(stranger.page.getByText("Nothing developed here")).toBeVisible();

  // Expiry: a link whose time is up is the same 404.
  await page.goto(`/jobs/${shown.job_id}`);
  const expiring = await makeLink(page);
  expect((await stranger.page.goto(expiring))?.status()).toBe(200);
  await withDatabase(
    (sql) => sql`update shares set expires_at = now() - interval '1 second' where user_id = (select id from users where email = ${owner.person.email})`,
  );
  expect((await stranger.page.goto(expiring))?.status()).toBe(404);

  // A collection with the prompt and the name shown; deleting the collection ends it.
  await page.goto("/collections");
  await page.getByLabel("New collection").fill(`Stairs ${word}`);
  await page.getByLabel("New collection").press("Enter");
  await page.getByRole("link", { name: new RegExp(`Stairs ${word}`) }).click();
  await expect(page).toHaveURL(/\/collections\/[0-9a-f-]{36}$/);
  const collectionId = page.url().split("/").pop()!;
  expect(
    (await page.request.post(`/api/collections/${collectionId}/images`, { data: { image_id: shownDone.images[0]!.image_id }, headers: SAME_ORIGIN })).status(),
  ).toBe(201);
  await page.reload();
  await page.getByLabel("Show the prompt and settings").check();
  await page.getByLabel("Show who shared it").check();
  const collectionLink = await makeLink(page);
  expect((await stranger.page.goto(collectionLink))?.status()).toBe(200);
  await expect(stranger.page.getByRole("heading", { name: `Stairs ${word}` })).toBeVisible();
  await expect(stranger.page.getByText("Shared by Franklin")).toBeVisible();
  await expect(stranger.page.getByText(`A spiral staircase ${word}`)).toBeVisible();
  await expect(stranger.page.locator("img")).toHaveCount(1);
  expect(await stranger.page.locator("body").innerText()).not.toContain("secret notebook");
  // For people to look at (e2e/artifacts/, like the visual tour's).
  await stranger.page.screenshot({ path: path.join(import.meta.dirname, "artifacts", "share-collection.png"), fullPage: true });
  await page.goto("/shares");
  await page.screenshot({ path: path.join(import.meta.dirname, "artifacts", "shares.png"), fullPage: true });
  await page.goBack();
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Delete collection" }).click();
  await expect(page).toHaveURL(/\/collections$/);
  expect((await stranger.page.goto(collectionLink))?.status()).toBe(404);

  // Deleting the job ends a link to its image.
  await page.goto(`/jobs/${shown.job_id}`);
  const byJob = await makeLink(page);
  expect((await stranger.page.goto(byJob))?.status()).toBe(200);
  expect((await page.request.delete(`/api/jobs/${shown.job_id}`, { headers: SAME_ORIGIN })).status()).toBe(200);
  expect((await stranger.page.goto(byJob))?.status()).toBe(404);
  await stranger.context.close();
});
