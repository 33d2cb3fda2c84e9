// Local-disk storage under DATA_DIR/files: the embedded default.

import { randomUUID } from "node:crypto";
import { mkdir, open, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Storage } from "./index";
import { assertSafeKey, assertSafePrefix } from "./keys";

export class LocalStorage implements Storage {
  private readonly root: string;
  constructor(dataDir: string) {
    this.root = path.resolve(dataDir, "files");
  }

  // Keys are built by the server, but refuse anything that could escape the root anyway.
  private resolve(key: string): string {
    assertSafeKey(key);
    return path.join(this.root, key);
  }

  // Half-written files live here until renamed into place; a crash can leave
  // some behind, and they are removed at the next start.
  private get tempDir(): string {
    return path.join(this.root, ".tmp");
  }

  // Made once per process (and again after removeLeftovers), not once per file:
  // a directory that vanished anyway is made again by the retry in `put`.
  private tempReady: Promise<unknown> | undefined;

  private ensureTempDir(): Promise<unknown> {
    this.tempReady ??= mkdir(this.tempDir, { recursive: true }).catch((error) => {
      this.tempReady = undefined;
      throw error;
    });
    return this.tempReady;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const file = this.resolve(key);
    await Promise.all([mkdir(path.dirname(file), { recursive: true }), this.ensureTempDir()]);
    // Write then rename: a reader never sees a half-written image.
    const temp = path.join(this.tempDir, `${randomUUID()}.tmp`);
    try {
      await writeFile(temp, bytes, { mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      this.tempReady = undefined;
      await this.ensureTempDir();
      await writeFile(temp, bytes, { mode: 0o600 });
    }
    await rename(temp, file);
  }

  async removeLeftovers(): Promise<void> {
    this.tempReady = undefined;
    await rm(this.tempDir, { recursive: true, force: true });
  }

  async stream(key: string): Promise<AsyncIterable<Uint8Array> | null> {
    try {
      // Opened here, so a missing file is null rather than a stream that fails later.
      const handle = await open(this.resolve(key), "r");
      return handle.createReadStream({ highWaterMark: 64 * 1024 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.resolve(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.resolve(key), { force: true });
  }

  async deletePrefix(prefix: string): Promise<void> {
    assertSafePrefix(prefix);
    await rm(this.resolve(prefix.replace(/\/$/, "")), { recursive: true, force: true });
  }
}
