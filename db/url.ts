// Opening a postgres.js client on a URL that may name a Unix socket the way
// libpq does: `postgres://role:secret@localhost:5432/db?host=/run/postgresql`
// (the directory in `host`, the port choosing the socket file in it). postgres.js
// does not read that parameter — it would send `host` to the server as a
// setting and fail — so it becomes postgres.js's `path` here. node-postgres
// (lib/rate-limits.ts) reads the same form by itself.
import postgres from "postgres";

type Options = NonNullable<Parameters<typeof postgres>[1]>;

export function socketDirectoryOf(url: string): string | null {
  const dir = new URL(url).searchParams.get("host");
  return dir?.startsWith("/") ? dir : null;
}

export function connectPostgres(url: string, options: Options = {}): postgres.Sql {
  const dir = socketDirectoryOf(url);
  if (!dir) return postgres(url, options);
  const parsed = new URL(url);
  parsed.searchParams.delete("host");
  return postgres(parsed.toString(), { ...options, path: `${dir}/.s.PGSQL.${parsed.port || 5432}` });
}

// The same database reached through the socket in `dir` instead of TCP.
export function viaSocket(url: string, dir: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set("host", dir);
  return parsed.toString();
}
