// Personal API keys on the account page: made with the keyboard, shown once,
// usable as a bearer key by another program, and revoked from the list.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { unique } from "./helpers";

async function severeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

test("creates a key shown once, uses it as a bearer key, and revokes it", async ({ newPerson, signedIn }) => {
  const person = await newPerson("Keyholder");
  const { page } = await signedIn(person);
  await page.goto("/account");
  const section = page.getByRole("region", { name: "API keys" });
  await expect(section).toContainText("No keys yet.");
  await expect(page.getByText("Sign out everywhere revokes every key too.")).toBeVisible();

  // Keyboard only: name, untick nothing, a 30-day expiry, Enter.
  await section.getByLabel("Key name").fill("Studio script");
  await section.getByLabel("Expires after (days, optional)").fill("30");
  await section.getByLabel("Expires after (days, optional)").press("Enter");
  const shown = section.getByLabel(/Your new key/);
  await expect(shown).toBeVisible();
  const key = await shown.inputValue();
  expect(key).toMatch(/^dk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
  const prefix = key.slice(3, 15);
  await expect(section.getByTestId("api-keys")).toContainText("Studio script");
  await expect(section.getByTestId("api-keys")).toContainText(`dk_${prefix}_…`);

  // The same scan as the visual tour's, with the new key on show, and in the dark scheme with the list.
  expect(await severeViolations(page)).toEqual([]);
  const dark = await signedIn(person, { colorScheme: "dark" });
  await dark.page.goto("/account");
  await expect(dark.page.getByTestId("api-keys")).toContainText("Studio script");
  expect(await severeViolations(dark.page)).toEqual([]);

  // Another program holding the key: the Authorization header alone decides.
  const auth = { authorization: `Bearer ${key}` };
  const prompt = unique("made with a key");
  const made = await page.request.post("/api/generate-image", { headers: auth, data: { prompt } });
  expect(made.status()).toBe(202);
  const jobs = await page.request.get("/api/jobs", { headers: auth });
  expect(jobs.status()).toBe(200);
  expect(await jobs.text()).toContain(prompt);
  // A key cannot manage keys.
  expect((await page.request.get("/api/account/keys", { headers: auth })).status()).toBe(403);

  // Shown once: after a reload only the prefix is left.
  await page.reload();
  await expect(page.getByRole("region", { name: "API keys" }).getByTestId("api-keys")).toContainText("Last used");
  expect(await page.content()).not.toContain(key.slice(16));

  await page.getByRole("button", { name: `Revoke Studio script (dk_${prefix})` }).click();
  await expect(page.getByRole("region", { name: "API keys" })).toContainText("No keys yet.");
  expect((await page.request.get("/api/jobs", { headers: auth })).status()).toBe(401);
});
