// How the production server's Node process is started, in one place: by
// `npm start` (package.json says the same; tests/unit/server-process.test.ts
// compares them), and by the servers the tests, the browser tests and the
// bench start themselves.
//
// Memory (issue 15). On a large machine V8 sizes its heap from the machine's
// memory and collects lazily: under load the server grew to 500–720 MiB
// resident, nearly all of it garbage waiting for a collection. An
// old-generation limit of 384 MiB — two to three times what the server holds
// live under the bench — and 16 MiB semi-spaces kept the bench's peak at
// 332 MiB; 8 MiB semi-spaces saved another 14 MiB but cost 10–15 % more CPU
// per request in scavenges. MALLOC_ARENA_MAX=2 keeps glibc from giving each of
// libvips' and libuv's threads its own arena. A deployment that hands it much
// bigger images (a GPU backend at 4096², many at a time) can raise the limit
// by starting `node` with its own flags.
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=16", "--max-old-space-size=384"] as const;
export const SERVER_ENV = { MALLOC_ARENA_MAX: "2" } as const;

// package.json's "start" script, exactly.
export const START_SCRIPT = `${Object.entries(SERVER_ENV)
  .map(([k, v]) => `${k}=${v}`)
  .join(" ")} node ${SERVER_NODE_FLAGS.join(" ")} node_modules/next/dist/bin/next start`;
