// Two people, Ada and Babbage, registered through the UI once per worker with
// unique emails. Every test gets fresh browser contexts for them, each signed in
// with a session of its own (sessions live on the server: a test that signs out
// ends only its own), so one test signing out never affects another. `newPerson` registers someone with a clean
// slate for tests that need one (screenshots, empty states).
import { mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, type BrowserContext, type BrowserContextOptions, test as base, expect, type Page } from "@playwright/test";

export type Person = { name: string; email: string; password: string; storageState: string };
export type Session = { person: Person; context: BrowserContext; page: Page };
type People = { ada: Person; babbage: Person };

const AUTH_DIR = path.join(import.meta.dirname, ".auth");

async function registerThroughUi(browser: Browser, baseURL: string, name: string): Promise<Person> {
  const run = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const person: Person = {
    name,
    email: `${name.toLowerCase()}-${run}@example.test`,
    password: `correct horse ${name} ${run}`,
    storageState: path.join(AUTH_DIR, `${name.toLowerCase()}-${run}.json`),
  };
  mkdirSync(AUTH_DIR, { recursive: true });
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto("/register");
  await page.getByLabel("Name").fill(person.name);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(`${baseURL}/`);
  await expect(page.getByTestId("user-email")).toContainText(person.email);
  await context.storageState({ path: person.storageState });
  await context.close();
  return person;
}

// A new server-side session for this context, through Auth.js's own credentials
// endpoint (what the sign-in form's server action calls), without the UI's cost.
export async function signInWithRequest(context: BrowserContext, person: Person): Promise<void> {
  const { csrfToken } = (await (await context.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await context.request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: person.email, password: person.password, callbackUrl: "/" },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(302);
  expect((await context.cookies()).some((c) => c.name === "authjs.session-token")).toBe(true);
}

export const test = base.extend<
  {
    ada: Session;
    babbage: Session;
    signedIn: (person: Person, options?: BrowserContextOptions) => Promise<Session>;
    newPerson: (name: string) => Promise<Person>;
  },
  { people: People; register: (name: string) => Promise<Person> }
>({
  register: [
    async ({ browser }, use, workerInfo) => {
      const baseURL = workerInfo.project.use.baseURL!;
      await use((name) => registerThroughUi(browser, baseURL, name));
    },
    { scope: "worker" },
  ],

  people: [
    async ({ register }, use) => {
      await use({ ada: await register("Ada"), babbage: await register("Babbage") });
    },
    { scope: "worker" },
  ],

  signedIn: async ({ browser, baseURL }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (person, options = {}) => {
      const context = await browser.newContext({ baseURL, ...options });
      contexts.push(context);
      await signInWithRequest(context, person);
      return { person, context, page: await context.newPage() };
    });
    for (const context of contexts) await context.close();
  },

  newPerson: async ({ register }, use) => {
    await use(register);
  },

  ada: async ({ people, signedIn }, use) => use(await signedIn(people.ada)),
  babbage: async ({ people, signedIn }, use) => use(await signedIn(people.babbage)),
});

export { expect };
