import { requireUser } from "@/lib/auth/require-user";
import { getEnv } from "@/lib/env";
import { credentialKey, sharedCheck } from "@/lib/events/credential-check";
import { openEventStream } from "@/lib/events/stream";
import { eventStreamResponse } from "@/lib/http/event-stream";
import { methodNotAllowed, route } from "@/lib/http/handler";

// Live updates of the caller's own jobs (server-sent events, see lib/events/stream.ts).
// A session, an access token, or an API key with the `read` scope.
export const GET = route(async (request) => {
  const user = await requireUser(request, "read");
  // The same credential, checked again for as long as the stream is open
  // (shared by the streams opened with exactly this credential, see credential-check.ts).
  const headers = new Headers(request.headers);
  const key = credentialKey(headers);
  const check = async () => {
    const again = await requireUser(new Request(request.url, { headers }), "read");
    return again.id === user.id && again.apiKeyId === user.apiKeyId && again.sessionId === user.sessionId;
  };
  const stillValid = (fresh: boolean) => sharedCheck(key, check, { maxAgeMs: getEnv().EVENTS_HEARTBEAT_MS / 2, fresh });
  const stream = openEventStream({ userId: user.id, lastEventId: request.headers.get("last-event-id"), stillValid, signal: request.signal });
  return eventStreamResponse(stream);
});

export const dynamic = "force-dynamic";
export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
