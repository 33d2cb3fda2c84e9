// Guessing someone's password locks the account, not its owner: a browser that
// signed in before holds a device cookie and still gets in, while the right
// password from anywhere else waits out the lockout. And signed-in browsers are
// listed on the account page, where one can be signed out from another.
import { expect, test } from "./fixtures";

async function signInThroughForm(page: import("@playwright/test").Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("a flood of guesses locks the account out for strangers but not for the owner's own browser", async ({ browser, baseURL, newPerson }) => {
  const person = await newPerson("Guarded");
  // The owner's browser signs in once through the form, and keeps its device cookie.
  const owner = await browser.newContext({ baseURL });
  const ownerPage = await owner.newPage();
  await signInThroughForm(ownerPage, person.email, person.password);
  await expect(ownerPage.getByTestId("user-email")).toContainText(person.email);
  expect((await owner.cookies()).some((c) => c.name === "darkroom_device" && c.httpOnly)).toBe(true);
  await ownerPage.getByRole("button", { name: "Sign out" }).click();
  await expect(ownerPage).toHaveURL(/\/login$/);

  // 30 guesses from 30 claimed addresses: at most 20 reach the password check.
  const attacker = await browser.newContext({ baseURL });
  const statuses: number[] = [];
  for (let i = 0; i < 30; i++) {
    const res = await attacker.request.post("/api/token", {
      data: { email: person.email, password: `guess number ${i}` },
      headers: { "x-forwarded-for": `198.51.100.${i + 1}` },
    });
    statuses.push(res.status());
  }
  expect(statuses.filter((s) => s === 401).length).toBe(20);
  expect(statuses.filter((s) => s === 429).length).toBe(10);

  // A browser without the device cookie, even with the right password, is told to wait.
  const stranger = await attacker.newPage();
  await signInThroughForm(stranger, person.email, person.password);
  await expect(stranger.getByRole("alert").filter({ hasText: "Too many failed sign-in attempts" })).toBeVisible();

  // The owner's browser signs straight in.
  await signInThroughForm(ownerPage, person.email, person.password);
  await expect(ownerPage.getByTestId("user-email")).toContainText(person.email);
  await owner.close();
  await attacker.close();
});

test("lists signed-in browsers on the account page and signs one out from another", async ({ newPerson, signedIn }) => {
  const person = await newPerson("Traveller");
  const laptop = await signedIn(person);
  const phone = await signedIn(person, {
    userAgent: "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0 Mobile Safari/537.36",
  });
  await phone.page.goto("/gallery");
  await expect(phone.page.getByRole("heading", { name: "Gallery", level: 1 })).toBeVisible();

  await laptop.page.goto("/account");
  const sessions = laptop.page.getByTestId("sessions");
  // Three: the browser that registered (it signed in too), the laptop and the phone.
  await expect(sessions.getByRole("listitem")).toHaveCount(3);
  await expect(sessions.getByText("this browser")).toHaveCount(1);
  await expect(sessions.getByRole("listitem").filter({ hasText: "Chrome on Android" })).toHaveCount(1);
  await sessions.getByRole("button", { name: /Sign out Chrome on Android/ }).click();
  await expect(sessions.getByRole("listitem")).toHaveCount(2);
  await expect(sessions).not.toContainText("Chrome on Android");

  await phone.page.reload();
  await expect(phone.page).toHaveURL(/\/login\?next=%2Fgallery/);
  await laptop.page.reload();
  await expect(laptop.page.getByRole("heading", { name: "Account", level: 1 })).toBeVisible();
});
