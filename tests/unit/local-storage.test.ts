// Local-disk storage on a real directory: files land whole under their keys,
// the temporary directory is made once but made again when it disappears, and
// nothing half-written is ever left under a key.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalStorage } from "@/lib/storage/local";

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), "darkroom-local-storage-"));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const bytes = (text: string) => new Uint8Array(Buffer.from(text));
const key = (job: string, name: string) => `users/00000000-0000-4000-8000-000000000001/jobs/${job}/${name}`;

describe("LocalStorage.put", () => {
  it("writes each file whole under its key, owner-only, and leaves no temporary file", async () => {
    const storage = new LocalStorage(dataDir);
    await Promise.all([
      storage.put(key("a", "image.png"), bytes("image a")),
      storage.put(key("a", "thumbnail.webp"), bytes("thumb a")),
      storage.put(key("b", "image.png"), bytes("image b")),
    ]);
    expect((await storage.get(key("a", "image.png")))?.toString()).toBe("image a");
    expect((await storage.get(key("a", "thumbnail.webp")))?.toString()).toBe("thumb a");
    expect((await storage.get(key("b", "image.png")))?.toString()).toBe("image b");
    expect(statSync(path.join(dataDir, "files", key("a", "image.png"))).mode & 0o777).toBe(0o600);
    expect(readdirSync(path.join(dataDir, "files", ".tmp"))).toEqual([]);
  });

  it("makes the temporary directory again when it was removed after the first write", async () => {
    const storage = new LocalStorage(dataDir);
    await storage.put(key("a", "image.png"), bytes("first"));
    rmSync(path.join(dataDir, "files", ".tmp"), { recursive: true });
    await storage.put(key("a", "image.png"), bytes("second"));
    expect(readFileSync(path.join(dataDir, "files", key("a", "image.png")), "utf8")).toBe("second");
  });

  it("writes again after removeLeftovers cleared the temporary directory", async () => {
    const storage = new LocalStorage(dataDir);
    await storage.put(key("a", "image.png"), bytes("before"));
    await storage.removeLeftovers();
    expect(existsSync(path.join(dataDir, "files", ".tmp"))).toBe(false);
    await storage.put(key("a", "image.png"), bytes("after"));
    expect((await storage.get(key("a", "image.png")))?.toString()).toBe("after");
  });
});
