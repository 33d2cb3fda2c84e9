// Secrets generated on first start and kept under DATA_DIR with mode 0600, so a
// fresh clone needs no configuration and restarts keep sessions valid.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export type GeneratedSecrets = { authSecret: string; apiTokenSecret: string; databasePassword: string };

export function loadOrCreateSecrets(dataDir: string): GeneratedSecrets {
  const file = path.resolve(dataDir, "secrets.json");
  try {
    return JSON.parse(readFileSync(file, "utf8")) as GeneratedSecrets;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const secrets: GeneratedSecrets = {
    authSecret: randomBytes(32).toString("base64url"),
    apiTokenSecret: randomBytes(32).toString("base64url"),
    databasePassword: randomBytes(24).toString("base64url"),
  };
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    // `wx`: if two processes race on first start, the loser reads the winner's file.
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return JSON.parse(readFileSync(file, "utf8")) as GeneratedSecrets;
  }
  return secrets;
}
