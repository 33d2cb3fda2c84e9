// INNGEST_DEV selects the Inngest dev mode (no signature checks), so what counts
// as "on" must match the SDK exactly: a false positive in production is a hole.
import { describe, expect, it } from "vitest";
import { inngestDevMode } from "@/lib/env";

describe("inngestDevMode", () => {
  it.each([undefined, "", "   ", "0", "false", "FALSE", " False "])("is off for %j", (value) => {
    expect(inngestDevMode(value)).toBe(false);
  });

  it.each(["1", "true", "TRUE", " true "])("is on for %j", (value) => {
    expect(inngestDevMode(value)).toBe(true);
  });

  it.each(["http://localhost:8288", "https://inngest.internal:8288/", "localhost:8288", "127.0.0.1:8288"])("is on for the dev server URL %j", (value) => {
    expect(inngestDevMode(value)).toBe(true);
  });

  it.each(["http://", "not a url", "http://exa mple.com"])("is off for the unparseable %j", (value) => {
    expect(inngestDevMode(value)).toBe(false);
  });
});
