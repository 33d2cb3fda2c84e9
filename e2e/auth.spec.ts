// Signing in and out, where a person lands afterwards, and what happens when
// the session ends in the middle of using the studio.
import { expect, test } from "./fixtures";
import { createJob, unique, waitForStatus } from "./helpers";

test("unauthenticated visits go to the login page and remember where they were going", async ({ page, baseURL }) => {
  const id = "00000000-0000-4000-8000-000000000000";
  for (const [path, next] of [
    ["/", "%2F"],
    ["/gallery", "%2Fgallery"],
    ["/gallery?style=anime", "%2Fgallery%3Fstyle%3Danime"],
    [`/jobs/${id}`, `%2Fjobs%2F${id}`],
  ] as const) {
    await page.goto(path);
    await expect(page).toHaveURL(`${baseURL}/login?next=${next}`);
    await expect(page.getByRole("heading", { name: "Welcome back" })).toBeVisible();
  }
  // The API answers 401 rather than redirecting.
  expect((await page.request.get("/api/jobs")).status()).toBe(401);
});

test("signing in lands on ?next=, ignores off-site targets, and a signed-in /login goes to the studio", async ({ browser, baseURL, people }) => {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  const signIn = async (email: string, password: string) => {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
  };

  await page.goto("/login?next=%2Fgallery%3Fstyle%3Dsketch");
  await signIn(people.ada.email, "not the password");
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Email")).toHaveValue(people.ada.email);
  await signIn(people.ada.email, people.ada.password);
  await expect(page).toHaveURL(`${baseURL}/gallery?style=sketch`);
  await expect(page.getByTestId("user-email")).toContainText(people.ada.email);

  // Signed in: /login goes straight to the studio.
  await page.goto("/login");
  await expect(page).toHaveURL(`${baseURL}/`);
  await expect(page.getByRole("heading", { name: "Studio", level: 1 })).toBeVisible();

  // Sign out, then an off-site ?next= is ignored.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(`${baseURL}/login`);
  for (const evil of ["//evil.example/x", "/\\evil.example", "https://evil.example/"]) {
    await page.goto(`/login?next=${encodeURIComponent(evil)}`);
    await signIn(people.ada.email, people.ada.password);
    await expect(page).toHaveURL(`${baseURL}/`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(`${baseURL}/login`);
  }
  await context.close();
});

test("registration shows clear field errors", async ({ page, people }) => {
  await page.goto("/register");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("#email-error")).toHaveText("Email must be a valid email address.");
  await expect(page.locator("#password-error")).toHaveText("Password must be at least 8 characters.");
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Email")).toHaveValue("not-an-email");

  await page.getByLabel("Email").fill(people.babbage.email);
  await page.getByLabel("Password").fill("long enough password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("#email-error")).toHaveText("An account with this email already exists. Sign in instead.");
  await expect(page).toHaveURL(/\/register$/);
});

test("an expired session mid-use sends the person to sign in and back", async ({ ada, baseURL }) => {
  const { page, context, person } = ada;
  const signIn = async () => {
    await page.getByLabel("Email").fill(person.email);
    await page.getByLabel("Password").fill(person.password);
    await page.getByRole("button", { name: "Sign in" }).click();
  };

  // In the studio: the session ends, then Generate → login → back in the studio.
  await page.goto("/");
  const draft = unique("After the session ended");
  await page.getByLabel("Prompt").fill(draft);
  await page.getByLabel("Style").selectOption("anime");
  await context.clearCookies();
  await page.getByRole("button", { name: "Generate" }).click();
  await expect(page).toHaveURL(`${baseURL}/login?next=%2F`);
  await signIn();
  await expect(page).toHaveURL(`${baseURL}/`);
  await expect(page.getByRole("heading", { name: "Studio", level: 1 })).toBeVisible();
  // What was being written is still there, and nothing was created without a session.
  await expect(page.getByLabel("Prompt")).toHaveValue(draft);
  await expect(page.getByLabel("Style")).toHaveValue("anime");
  const listed = (await (await page.request.get("/api/jobs?limit=100")).json()).data.jobs as { prompt: string }[];
  expect(listed.some((j) => j.prompt === draft)).toBe(false);

  // On a job page: the session ends, then a click on Gallery → login → the gallery.
  const job = await createJob(page.request, { prompt: unique("Expiring session check") });
  await waitForStatus(page.request, job.job_id, "completed");
  await page.goto(`/jobs/${job.job_id}`);
  await expect(page.getByTestId("job-image")).toBeVisible();
  await context.clearCookies();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Gallery" }).click();
  await expect(page).toHaveURL(`${baseURL}/login?next=%2Fgallery`);
  await signIn();
  await expect(page).toHaveURL(`${baseURL}/gallery`);
  await expect(page.getByRole("img", { name: job.prompt })).toBeVisible();

  // Retrying with the session gone: the API's 401 brings the person back to this job.
  const failed = await createJob(page.request, { prompt: unique("Expiring retry [[fail]]") });
  await waitForStatus(page.request, failed.job_id, "failed");
  await page.goto(`/jobs/${failed.job_id}`);
  await context.clearCookies();
  await page.getByRole("button", { name: "Retry" }).click();
  await expect(page).toHaveURL(`${baseURL}/login?next=${encodeURIComponent(`/jobs/${failed.job_id}`)}`);
  await signIn();
  await expect(page).toHaveURL(`${baseURL}/jobs/${failed.job_id}`);
  await expect(page.getByTestId("status-badge")).toHaveText("Failed");
});

test("per-user pages are sent with Cache-Control: private, no-store", async ({ ada }) => {
  const job = await createJob(ada.page.request, { prompt: unique("Cache check") });
  for (const path of ["/", "/gallery", `/jobs/${job.job_id}`, "/jobs/not-a-job-id"]) {
    for (const headers of [{}, { RSC: "1" }] as Record<string, string>[]) {
      // (An RSC request is first redirected to its cache-busting `_rsc` URL; the final answer counts.)
      const response = await ada.page.request.get(path, { headers });
      expect(new URL(response.url()).pathname).toBe(path);
      const cacheControl = response.headers()["cache-control"] ?? "";
      const where = `${path}${"RSC" in headers ? " (RSC payload)" : ""}`;
      // The HTML carries the 404; an RSC payload always answers 200 and carries the not-found tree.
      if (!("RSC" in headers)) expect(response.status(), where).toBe(path.includes("not-a-job") ? 404 : 200);
      expect(cacheControl, where).toMatch(/\bprivate\b/);
      expect(cacheControl, where).toMatch(/\bno-store\b/);
    }
  }
});
