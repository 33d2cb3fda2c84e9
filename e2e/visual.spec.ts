// Screenshots of the main pages at desktop and phone width in both colour
// schemes (saved in e2e/artifacts/ and attached to the report), and an axe
// accessibility scan of each page that must find nothing serious or critical.
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Page, TestInfo } from "@playwright/test";
import { test as base, expect, type Person, signInWithRequest } from "./fixtures";
import { createJob, type Job, waitForStatus } from "./helpers";

const ARTIFACTS = path.join(import.meta.dirname, "artifacts");

const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 375, height: 812 },
} as const;

const PROMPTS: [string, string][] = [
  ["A lighthouse on black rocks at dusk, long exposure, fog rolling in", "realistic"],
  ["Koi pond seen from above, lily pads, soft morning light", "watercolor"],
  ["A neon-lit ramen stall in the rain", "digital-art"],
  ["Harbour at sunset with fishing boats", "oil-painting"],
  ["A fox curled up asleep in tall grass", "anime"],
  ["Castle on a hill, 16-colour palette", "pixel-art"],
];

type Gallery = { person: Person; done: Job[]; failed: Job };

// Grace, registered and given the same jobs once for both schemes, so the
// pictures show exactly those jobs and nothing from other tests.
const test = base.extend<object, { grace: Gallery }>({
  grace: [
    async ({ browser, register }, use, workerInfo) => {
      const person = await register("Grace");
      const context = await browser.newContext({ baseURL: workerInfo.project.use.baseURL });
      await signInWithRequest(context, person);
      const { request } = await context.newPage();
      const created: Job[] = [];
      for (const [prompt, style] of PROMPTS) {
        created.push(await createJob(request, { prompt, style, quality: style === "oil-painting" ? "high" : "standard" }));
      }
      const failed = await createJob(request, { prompt: "Portrait of a clockmaker at his bench [[fail]]", style: "sketch" });
      const done: Job[] = [];
      for (const job of created) done.push(await waitForStatus(request, job.job_id, "completed"));
      const gallery = { person, done, failed: await waitForStatus(request, failed.job_id, "failed") };
      await context.close();
      await use(gallery);
    },
    { scope: "worker" },
  ],
});

async function shoot(page: Page, testInfo: TestInfo, name: string) {
  // Every image on the page has loaded (nothing half-drawn in the screenshot).
  await expect
    .poll(() => page.evaluate(() => Array.from(document.images).every((img) => img.complete && img.naturalWidth > 0)), { timeout: 10_000 })
    .toBe(true);
  await page.evaluate(() => document.fonts.ready);
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: "disabled" });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}

async function assertAccessible(page: Page, testInfo: TestInfo, name: string) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  const severe = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  await testInfo.attach(`axe-${name}.json`, { body: JSON.stringify(results.violations, null, 2), contentType: "application/json" });
  expect(
    severe.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    `serious or critical axe violations on ${name}`,
  ).toEqual([]);
}

test("a new person's studio and gallery invite a first generation", async ({ signedIn, newPerson }, testInfo) => {
  const { page } = await signedIn(await newPerson("Lovelace"));
  await page.goto("/");
  await expect(page.getByText("The tray is empty")).toBeVisible();
  await page.goto("/gallery");
  const empty = page.getByTestId("gallery-empty");
  await expect(empty).toContainText("Your gallery is empty");
  await assertAccessible(page, testInfo, "gallery-empty-light");
  await shoot(page, testInfo, "gallery-empty-desktop-light");
  await empty.getByRole("link", { name: "Generate your first image" }).click();
  await expect(page.getByRole("heading", { name: "Studio", level: 1 })).toBeVisible();
});

for (const scheme of ["light", "dark"] as const) {
  test(`screenshots and accessibility of every page, desktop and phone, ${scheme}`, async ({ browser, baseURL, signedIn, grace }, testInfo) => {
    test.setTimeout(90_000);
    const featured = grace.done[0]!;
    const { failed } = grace;

    // Signed out: login and register.
    const anonymous = await browser.newContext({ baseURL, colorScheme: scheme, viewport: VIEWPORTS.desktop });
    const anon = await anonymous.newPage();
    await anon.goto("/login");
    await expect(anon.getByRole("heading", { name: "Welcome back" })).toBeVisible();
    await assertAccessible(anon, testInfo, `login-${scheme}`);
    await shoot(anon, testInfo, `login-desktop-${scheme}`);
    await anon.goto("/register");
    await expect(anon.getByRole("heading", { name: "Create your darkroom" })).toBeVisible();
    await assertAccessible(anon, testInfo, `register-${scheme}`);
    await shoot(anon, testInfo, `register-desktop-${scheme}`);
    await anonymous.close();

    for (const [size, viewport] of Object.entries(VIEWPORTS)) {
      const { page } = await signedIn(grace.person, { colorScheme: scheme, viewport });
      await page.goto("/");
      await expect(page.getByTestId("job-card")).toHaveCount(PROMPTS.length + 1);
      await expect(page.locator(`[data-job-id="${failed.job_id}"]`).getByTestId("job-error")).toBeVisible();
      if (size === "desktop") await assertAccessible(page, testInfo, `studio-${scheme}`);
      await shoot(page, testInfo, `studio-${size}-${scheme}`);

      await page.goto("/gallery");
      await expect(page.getByTestId("gallery-item")).toHaveCount(PROMPTS.length);
      if (size === "desktop") await assertAccessible(page, testInfo, `gallery-${scheme}`);
      await shoot(page, testInfo, `gallery-${size}-${scheme}`);

      await page.goto(`/jobs/${featured.job_id}`);
      await expect(page.getByTestId("job-image")).toBeVisible();
      if (size === "desktop") await assertAccessible(page, testInfo, `job-${scheme}`);
      await shoot(page, testInfo, `job-${size}-${scheme}`);

      await page.goto("/account");
      await expect(page.getByTestId("activity")).toBeVisible();
      if (size === "desktop") await assertAccessible(page, testInfo, `account-${scheme}`);
      await shoot(page, testInfo, `account-${size}-${scheme}`);

      // The rarer states: pictured in both schemes, scanned once (light) to keep the run short.
      if (size === "desktop") {
        const scan = scheme === "light";
        await page.goto(`/jobs/${failed.job_id}`);
        await expect(page.getByTestId("job-error")).toBeVisible();
        if (scan) await assertAccessible(page, testInfo, `job-failed-${scheme}`);
        await shoot(page, testInfo, `job-failed-${size}-${scheme}`);

        // The delete confirmation, open; Escape closes it and deletes nothing.
        await page.getByRole("button", { name: "Delete" }).click();
        await expect(page.getByRole("dialog", { name: "Delete this image?" })).toBeVisible();
        if (scan) await assertAccessible(page, testInfo, `delete-dialog-${scheme}`);
        await shoot(page, testInfo, `delete-dialog-${size}-${scheme}`);
        await page.keyboard.press("Escape");
        await expect(page.getByRole("dialog")).toBeHidden();
        await expect(page.getByTestId("status-badge")).toHaveText("Failed");

        await page.goto("/jobs/00000000-0000-4000-8000-000000000000");
        await expect(page.getByTestId("not-found")).toBeVisible();
        if (scan) await assertAccessible(page, testInfo, `not-found-${scheme}`);
        await shoot(page, testInfo, `not-found-${size}-${scheme}`);
      }
    }
  });
}
