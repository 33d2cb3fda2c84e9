// The API reference page (/docs/api): Scalar served from this app, rendering
// GET /api/openapi.json, under the pages' own CSP with no violation, no console
// error and no request to another host. Public: it needs no sign-in and shows
// nothing about anyone.
import { expect, type Request, test } from "@playwright/test";

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
  page.on("response", (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
  });
  // Requests still in flight: every one must have finished before the lists above are complete.
  const pending = new Set<Request>();
  page.on("request", (request) => {
    if (!request.url().startsWith(baseURL!) && !/^(data|blob):/.test(request.url())) outside.push(request.url());
    pending.add(request);
  });
  page.on("requestfinished", (request) => pending.delete(request));
  page.on("requestfailed", (request) => pending.delete(request));

  const response = await page.goto("/docs/api");
  expect(response!.status()).toBe(200);
  expect(response!.headers()["content-security-policy"]).toContain("'strict-dynamic'");
  expect(response!.headers()["content-security-policy"]).not.toContain("unsafe-eval");
  expect(await response!.headerValue("set-cookie")).toBeNull();

  await expect(page.getByRole("heading", { name: "Darkroom API" }).first()).toBeVisible();
  // Every resource's group in the sidebar, opened if it is not already, lists its operations.
  const operations: Record<string, string[]> = {
    "Sign-up and tokens": ["Create an account"],
    Jobs: ["Queue a new image job", "List and search your jobs", "Delete a job and its files"],
    Images: ["Download an image", "Star an image (idempotent)"],
    Collections: ["Create a collection", "Reorder a collection's images"],
    Account: ["Who the credential belongs to", "Sign out everywhere"],
    "API keys": ["Make an API key", "Revoke an API key"],
    Administration: ["List accounts"],
  };
  const sidebar = page.getByRole("complementary", { name: /Sidebar/ });
  for (const [tag, summaries] of Object.entries(operations)) {
    const open = sidebar.getByRole("button", { name: `Open Group - ${tag}`, exact: true });
    if (await open.count()) await open.click();
    for (const summary of summaries)
      await expect(sidebar.getByRole("link", { name: new RegExp(`^${summary.replace(/[()]/g, "\\$&")} HTTP Method`) }), summary).toBeVisible();
  }
  // The operation itself renders in the main column.
  await sidebar.getByRole("link", { name: /^Queue a new image job/ }).click();
  await expect(page.getByRole("main").getByText("/api/generate-image").first()).toBeVisible();
  // Not "networkidle": it waits for 500 ms without any connection, and once in CI it never came
  // (the page was complete). This names whatever is still loading instead.
  await expect.poll(() => [...pending].map((r) => r.url()), { timeout: 15_000 }).toEqual([]);

  expect(violations).toEqual([]);
  expect(errors).toEqual([]);
  expect(outside).toEqual([]);
});
