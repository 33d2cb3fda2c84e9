// The account page: a person's own activity, sign out everywhere, and
// deleting the account with its images — and none of it touches anyone else.
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "./fixtures";
import { createJob, unique, waitForStatus } from "./helpers";

test("shows the person's own activity and passes an accessibility scan", async ({ ada, babbage }) => {
  await ada.page.goto("/account");
  await expect(ada.page.getByRole("heading", { name: "Account", level: 1 })).toBeVisible();
  await expect(ada.page.getByTestId("activity")).toContainText("Signed in (browser)");
  const html = await ada.page.content();
  expect(html).not.toContain(babbage.person.email);
  const scan = await new AxeBuilder({ page: ada.page }).analyze();
  expect(scan.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
});

test("signs out everywhere: every other session of the person ends too", async ({ newPerson, signedIn }) => {
  const person = await newPerson("Everywhere");
  const laptop = await signedIn(person);
  const phone = await signedIn(person);
  await phone.page.goto("/gallery");
  await expect(phone.page.getByRole("heading", { name: "Gallery", level: 1 })).toBeVisible();

  await laptop.page.goto("/account");
  await laptop.page.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(laptop.page).toHaveURL(/\/login/);

  await phone.page.reload();
  await expect(phone.page).toHaveURL(/\/login\?next=%2Fgallery/);
  expect((await phone.page.request.get("/api/jobs")).status()).toBe(401);
});

test("deletes the account and its images after the password, leaving others untouched", async ({ newPerson, signedIn, babbage }) => {
  const person = await newPerson("Leaving");
  const session = await signedIn(person);
  // A second browser of theirs, open while the account is deleted.
  const stale = await signedIn(person);
  const job = await createJob(session.page.request, { prompt: unique("goodbye") });
  const done = await waitForStatus(session.page.request, job.job_id, "completed");
  const babbageBefore = await (await babbage.page.request.get("/api/jobs")).text();

  await session.page.goto("/account");
  await session.page.getByLabel("Current password").fill("not my password");
  await session.page.getByRole("button", { name: "Delete my account and every image" }).click();
  await expect(session.page.getByText("That password is not correct.")).toBeVisible();

  await session.page.getByLabel("Current password").fill(person.password);
  await session.page.getByRole("button", { name: "Delete my account and every image" }).click();
  await expect(session.page).toHaveURL(/\/register\?deleted=1/);
  await expect(session.page.getByText("Your account and every image in it were deleted.")).toBeVisible();

  // Nothing of theirs can be fetched any more, even by a session that was open.
  expect((await stale.page.request.get(done.image_url!)).status()).toBe(401);
  expect(await (await babbage.page.request.get("/api/jobs")).text()).toBe(babbageBefore);
});
