// Bulk actions in the gallery (issue 13): select with the mouse (click,
// shift-click for a range, "Select page") and with the keyboard (Space on the
// checkboxes), then star, download one zip and delete; the bar passes an axe scan.
import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { unzipSync } from "fflate";
import { SAME_ORIGIN } from "./env";
import { expect, test } from "./fixtures";
import { createJob, unique, waitForStatus } from "./helpers";

test("select many in the gallery, star, download and delete them, by mouse and keyboard", async ({ signedIn, newPerson }) => {
  const { page } = await signedIn(await newPerson("Hopper"));
  const word = unique("bulk").split(" ")[1]!;
  const jobs = [];
  for (const n of [1, 2, 3]) jobs.push(await createJob(page.request, { prompt: `Punch card ${n} ${word}`, style: "sketch" }));
  for (const job of jobs) await waitForStatus(page.request, job.job_id, "completed");

  await page.goto("/gallery");
  const boxes = page.getByTestId("select-image");
  await expect(boxes).toHaveCount(3);
  // Click the first, shift-click the third: all three.
  await boxes.nth(0).click();
  await boxes.nth(2).click({ modifiers: ["Shift"] });
  await expect(page.getByTestId("bulk-count")).toHaveText("3 images selected");
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  expect(results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

  await page.getByRole("button", { name: "Star", exact: true }).click();
  await expect(page.getByText("Starred 3 images.")).toBeVisible();
  const starred = await (await page.request.get("/api/jobs?favourite=1&limit=100")).json();
  expect(starred.data.jobs).toHaveLength(3);

  // One zip of the three, through the link.
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download zip" }).click();
  const zip = unzipSync(new Uint8Array(readFileSync((await (await download).path())!)));
  expect(Object.keys(zip).sort()).toEqual(jobs.map((j) => `${j.job_id}.png`).sort());

  // Clear, then the keyboard: Space on the first two checkboxes, then delete them.
  await page.getByRole("button", { name: "Clear" }).click();
  await expect(page.getByTestId("bulk-count")).toHaveText("Select images to act on several at once");
  await boxes.nth(0).focus();
  await page.keyboard.press("Space");
  await boxes.nth(1).focus();
  await page.keyboard.press("Space");
  await expect(page.getByTestId("bulk-count")).toHaveText("2 images selected");
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Delete", exact: true }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByText("Deleted 2 images.")).toBeVisible();
  await expect(page.getByTestId("gallery-item")).toHaveCount(1);

  // "Select page" picks what is shown; a hand-made request naming a deleted job besides it changes nothing.
  await page.getByRole("button", { name: "Select page" }).click();
  await expect(page.getByTestId("bulk-count")).toHaveText("1 image selected");
  const left = await page.getByTestId("gallery-item").getAttribute("data-job-id");
  const mixed = await page.request.post("/api/bulk/delete", { data: { job_ids: [left, jobs.find((j) => j.job_id !== left)!.job_id] }, headers: SAME_ORIGIN });
  expect(mixed.status()).toBe(404);
  await page.reload();
  await expect(page.getByTestId("gallery-item")).toHaveCount(1);
});
