// Organising and finding in the browser (issue 13): star an image, make a
// collection, add an image to it from the job page, search the gallery with
// the filters in the URL, rename and delete the collection, all by keyboard;
// each new page passes an axe scan. Another person sees none of it.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { SAME_ORIGIN } from "./env";
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

test("star, collect and search by keyboard; the pages are accessible and private", async ({ signedIn, newPerson }) => {
  const { page } = await signedIn(await newPerson("Curie"));
  const word = unique("lighthouse").split(" ")[1]!;
  const house = await createJob(page.request, { prompt: `A lighthouse in the storm ${word}`, style: "watercolor" });
  const boats = await createJob(page.request, { prompt: `Boats in the harbour ${word}`, style: "sketch" });
  await waitForStatus(page.request, house.job_id, "completed");
  await waitForStatus(page.request, boats.job_id, "completed");

  // A collection, created with the keyboard.
  await page.goto("/collections");
  await expect(page.getByTestId("collections-empty")).toBeVisible();
  await assertAccessible(page, "collections-empty");
  await page.getByLabel("New collection").fill("Coast");
  await page.getByLabel("Description").fill("By the sea");
  await page.getByLabel("Description").press("Enter");
  await expect(page.getByTestId("collection-item")).toHaveCount(1);

  // Star the image and add it to the collection from its page.
  await page.goto(`/jobs/${house.job_id}`);
  await page.getByRole("button", { name: "Star image 1" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("favourite").first()).toHaveAttribute("data-favourite", "true");
  await expect(page.getByRole("button", { name: "Unstar image 1" })).toBeVisible();
  await page.getByRole("button", { name: "Add to collection" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByText("Added to Coast.")).toBeVisible();
  await assertAccessible(page, "job-organise");

  // The collection shows it.
  await page.goto("/collections");
  await page.getByRole("link", { name: /Coast/ }).click();
  await expect(page.getByRole("heading", { name: "Coast" })).toBeVisible();
  await expect(page.getByTestId("collection-image")).toHaveCount(1);
  await assertAccessible(page, "collection");
  const collectionId = page.url().split("/").pop()!;
  // A second image, then moved before the first with the keyboard.
  const added = await page.request.post(`/api/collections/${collectionId}/images`, {
    data: { image_id: (await waitForStatus(page.request, boats.job_id, "completed")).images[0]!.image_id },
    headers: SAME_ORIGIN,
  });
  expect(added.status()).toBe(201);
  await page.reload();
  const order = () => page.getByTestId("collection-image").evaluateAll((items) => items.map((i) => i.getAttribute("data-image-id")));
  const [first, second] = await order();
  await page.getByRole("button", { name: "Move image 2 earlier" }).focus();
  await page.keyboard.press("Enter");
  await expect.poll(order).toEqual([second, first]);
  const collectionUrl = page.url();

  // Search the gallery: words, then "starred only"; everything is in the URL.
  await page.goto("/gallery");
  await page.getByLabel("Search your prompts").fill(`lighthouses ${word}`);
  await page.getByLabel("Search your prompts").press("Enter");
  await expect(page).toHaveURL(/[?&]q=lighthouses/);
  await expect(page.getByTestId("gallery-item")).toHaveCount(1);
  await expect(page.getByTestId("gallery-item")).toHaveAttribute("data-job-id", house.job_id);
  await assertAccessible(page, "gallery-search");
  await page.goto(`/gallery?q=${word}`);
  await expect(page.getByTestId("gallery-item")).toHaveCount(2);
  await page.getByLabel("Starred only").check();
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/favourite=1/);
  await expect(page.getByTestId("gallery-item")).toHaveCount(1);
  await page.goto(`/gallery?q=${word}-nothing-like-this`);
  await expect(page.getByTestId("gallery-empty")).toBeVisible();

  // Someone else: the collection page is a 404, and their search finds nothing of Curie's.
  const other = await signedIn(await newPerson("Meitner"));
  const theirs = await other.page.goto(collectionUrl);
  expect(theirs?.status()).toBe(404);
  await other.page.goto(`/gallery?q=${word}`);
  await expect(other.page.getByTestId("gallery-item")).toHaveCount(0);

  // Rename, then delete: the images stay.
  await page.goto(collectionUrl);
  await page.getByLabel("Name").fill("Coastline");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { name: "Coastline" })).toBeVisible();
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Delete collection" }).click();
  await expect(page).toHaveURL(/\/collections$/);
  await expect(page.getByTestId("collections-empty")).toBeVisible();
  await page.goto(`/jobs/${house.job_id}`);
  await expect(page.getByTestId("job-image")).toBeVisible();
});
