// The API reference page (/docs/api): Scalar served from this app, rendering
// GET /api/openapi.json, under the pages' own CSP with no violation, no console
// error and no request to another host. Public: it needs no sign-in and shows
// nothing about anyone.
import { expect, test } from "@playwright/test";

test("the API reference renders every resource's operations with no CSP violation, error or outside request", async ({ page, baseURL }) => {
  const violations: string[] = [];
  const errors: string[] = [];
  const outside: string[] = [];
  await page.exposeFunction("reportViolation", (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { reportViolation: (t: string) => void }).reportViolation(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("request", (request) => {
    if (!request.url().startsWith(baseURL!) && !/^(data|blob):/.test(request.url())) outside.push(request.url());
  });

  const response = await page.goto("/docs/api");
  expect(response!.status()).toBe(200);
  expect(response!.headers()["content-security-policy"]).toContain("'strict-dynamic'");
  expect(response!.headers()["content-security-policy"]).not.toContain("unsafe-eval");
  expect(await response!.headerValue("set-cookie")).toBeNull();

  await expect(page.getByRole("heading", { name: "Darkroom API" }).first()).toBeVisible();
  for (const summary of [
    "Queue a new image job",
    "List and search your jobs",
    "Download an image",
    "Create a collection",
    "Make an API key",
    "Who the credential belongs to",
  ]) {
    await expect(page.getByText(summary).first(), summary).toBeVisible();
  }
  await page.waitForLoadState("networkidle");

  expect(violations).toEqual([]);
  expect(errors).toEqual([]);
  expect(outside).toEqual([]);
});
