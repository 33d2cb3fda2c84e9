// Issue 11 in the browser: choose a shape, a count and a seed in the studio,
// see every image on the job page, then Use these settings and Vary.
import { expect, test } from "./fixtures";
import { unique } from "./helpers";

test("n=3 at 16:9 gives three 16:9 images on the job page; Use these settings pre-fills the studio; Vary makes a new job", async ({ ada }) => {
  const { page } = ada;
  await page.goto("/");
  const prompt = unique("Three wide harbours");
  await page.getByLabel("Prompt").fill(prompt);
  await expect(page.getByTestId("model-capabilities")).toContainText("16:9");
  await page.getByRole("radio", { name: "16:9" }).check();
  await page.getByLabel("Images").selectOption("3");
  await page.getByText("Advanced").click();
  await page.getByLabel("Seed").fill("4242");
  const created = page.waitForResponse((r) => r.url().endsWith("/api/generate-image") && r.request().method() === "POST");
  await page.getByRole("button", { name: "Generate" }).click();
  const response = await created;
  expect(response.status()).toBe(202);
  const job = (await response.json()).data;
  expect(job).toMatchObject({ prompt, aspect_ratio: "16:9", n: 3, seed: 4242 });

  await page.goto(`/jobs/${job.job_id}`);
  await expect(page.getByTestId("status-badge")).toHaveText("Completed");
  const images = page.locator("img[data-image-index]");
  await expect(images).toHaveCount(3);
  for (let i = 0; i < 3; i++) {
    const image = images.nth(i);
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    const [w, h] = await image.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
    expect(w / h).toBeCloseTo(16 / 9, 0);
  }
  await expect(page.getByTestId("image-files")).toContainText("seed 4244");
  const saveWithSettings = page.getByRole("link", { name: "Save image 3 with settings" });
  await expect(saveWithSettings).toHaveAttribute("href", /^\/api\/images\/[0-9a-f-]{36}\?download=1&parameters=1$/);

  // Use these settings: the studio opens pre-filled.
  await page.getByRole("link", { name: "Use these settings" }).click();
  await expect(page).toHaveURL(/\/\?prompt=/);
  await expect(page.getByLabel("Prompt")).toHaveValue(prompt);
  await expect(page.getByRole("radio", { name: "16:9" })).toBeChecked();
  await expect(page.getByLabel("Images")).toHaveValue("3");
  await expect(page.getByLabel("Seed")).toHaveValue("4242");

  // Vary: a new job with the same settings and another seed.
  await page.goto(`/jobs/${job.job_id}`);
  await page.getByRole("button", { name: "Vary" }).click();
  await expect(page).not.toHaveURL(new RegExp(`/jobs/${job.job_id}$`));
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(prompt);
  await expect(page.getByText("16:9", { exact: true })).toBeVisible();
});
