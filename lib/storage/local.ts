// Local-disk storage under DATA_DIR/files: the embedded default.

import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Storage } from "./index";

const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

export class LocalStorage implements Storage {
  private readonly root: string;
  constructor(dataDir: string) {
    this.root = path.resolve(dataDir, "files");
  }

  // Keys are built by the server, but refuse anything that could escape the root anyway.
  private resolve(key: string): string {
    if (!SAFE_KEY.test(key) || key.split("/").some((part) => part === ".." || part === ".")) throw new Error(`unsafe storage key`);
    return path.join(this.root, key);
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const file = this.resolve(key);
    await mkdir(path.dirname(file), { recursive: true });
    // Write then rename: a reader never sees a half-written image.
    const temp = `${file}.${randomUUID()}.tmp`;
    await writeFile(temp, bytes, { mode: 0o600 });
    await rename(temp, file);
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.resolve(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    await rm(this.resolve(prefix.replace(/\/$/, "")), { recursive: true, force: true });
  }
}
