// The one UUID check. Every id that comes from a request (a route's [id], a
// cursor, an admin target) goes through it before any query, so a malformed
// id is answered exactly like a missing one and never reaches SQL.
// (db/client.ts keeps its own copy: db/ must not import lib/.)
import { z } from "zod";

// The pattern's source, for building larger patterns (lib/storage/keys.ts).
export const UUID_SOURCE = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const UUID = new RegExp(`^${UUID_SOURCE}$`, "i");

export const isUuid = (value: unknown): value is string => typeof value === "string" && UUID.test(value);

// Case-insensitive like isUuid (z.uuid() would also enforce the RFC version bits).
export const uuid = z.string().regex(UUID, "must be an id");
