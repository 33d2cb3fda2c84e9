// The browser's way to call Darkroom's API: same-origin with the session
// cookie, the response envelope unwrapped, and every failure turned into an
// ApiError whose message is written for a person (shown next to the control
// that caused it). A 401 sends the person to sign in and back here afterwards.
import type { Envelope } from "@/lib/envelope";
import type { PublicJob } from "@/lib/jobs/public";
import type { Quality, Style } from "./options";
import type { AspectRatio } from "./settings";

export type Job = PublicJob;
export type NewJob = {
  prompt: string;
  style: Style;
  quality: Quality;
  model?: string;
  aspect_ratio?: AspectRatio;
  n?: number;
  seed?: number;
  negative_prompt?: string;
};

export class ApiError extends Error {
  readonly status: number;
  /** The request field the server complained about (400), e.g. "prompt". */
  readonly field: string | null;
  /** True when the page is already on its way to the login page. */
  readonly redirecting: boolean;
  constructor(status: number, message: string, options: { field?: string | null; redirecting?: boolean } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.field = options.field ?? null;
    this.redirecting = options.redirecting ?? false;
  }
}

const FIELD_NAMES: Record<string, string> = {
  prompt: "prompt",
  style: "style",
  quality: "quality",
  model: "model",
  aspect_ratio: "aspect ratio",
  n: "number of images",
  seed: "seed",
  negative_prompt: "list of things to leave out",
  cursor: "page link",
  limit: "page size",
  "Idempotency-Key": "request key",
};

const sentence = (s: string) => {
  const t = s.trim();
  if (!t) return t;
  return `${t[0]!.toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? "" : "."}`;
};

// A 400 names the field at fault in `meta.field`; its message reads
// `Invalid field "prompt": must not be empty`. Either way the person reads
// "The prompt must not be empty." next to the prompt. Servers that predate
// `meta.field` are understood from the message alone.
export function describeBadRequest(message: string, field?: string): { field: string | null; text: string } {
  const at = field ?? /^Invalid field "([^"]+)": /.exec(message)?.[1];
  if (!at) return { field: null, text: sentence(message || "Something in the request was not accepted") };
  const prefix = `Invalid field "${at}": `;
  const problem = message.startsWith(prefix) ? message.slice(prefix.length) : "";
  const name = FIELD_NAMES[at] ?? at;
  return { field: at, text: problem ? sentence(`the ${name} ${problem}`) : sentence(message || `the ${name} was not accepted`) };
}

function retryAfterSeconds(response: Response): number | null {
  const value = Number(response.headers.get("retry-after"));
  return Number.isFinite(value) && value > 0 ? Math.ceil(value) : null;
}

export function loginUrlForHere(): string {
  const here = `${window.location.pathname}${window.location.search}`;
  return `/login?next=${encodeURIComponent(here)}`;
}

function errorFor(response: Response, meta: Partial<Envelope<unknown>["meta"]>): ApiError {
  const status = response.status;
  const wait = retryAfterSeconds(response);
  const serverMessage = meta.message ?? "";
  switch (status) {
    case 400: {
      const { field, text } = describeBadRequest(serverMessage, meta.field);
      return new ApiError(status, text, { field });
    }
    case 403:
      if (serverMessage === "Model not available") return new ApiError(status, "That model isn't available to you. Choose another one.", { field: "model" });
      return new ApiError(status, "You don't have permission to do that. Try signing out and in again.");
    case 404:
      return new ApiError(status, "That job doesn't exist any more. It may have been deleted.");
    case 409:
      return new ApiError(status, sentence(serverMessage || "That can't be done right now"));
    case 413:
      return new ApiError(status, "That's too much to send at once. Shorten the prompt and try again.");
    case 415:
      return new ApiError(status, "The server didn't accept the format of that request. Reload the page and try again.");
    case 429:
      return new ApiError(
        status,
        wait
          ? `You're going a little fast. Wait ${wait} second${wait === 1 ? "" : "s"} and try again.`
          : "You're going a little fast. Wait a moment and try again.",
      );
    case 503:
      return new ApiError(status, `The studio is busy right now. Try again in ${wait ? `${wait} seconds` : "a few seconds"}.`);
    default:
      return new ApiError(status, "Something went wrong on our side. Try again in a moment.");
  }
}

export type ApiOptions = { method?: string; json?: unknown; headers?: Record<string, string>; signal?: AbortSignal };

export async function api<T>(path: string, options: ApiOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  if (options.json !== undefined) headers["Content-Type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? (options.json === undefined ? "GET" : "POST"),
      credentials: "same-origin",
      cache: "no-store",
      headers,
      body: options.json === undefined ? undefined : JSON.stringify(options.json),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(0, "Can't reach Darkroom right now. Check your connection and try again.");
  }

  if (response.status === 401) {
    // The session ended (expired, signed out elsewhere): sign in, then come back.
    window.location.assign(loginUrlForHere());
    throw new ApiError(401, "Your session has ended. Taking you to sign in…", { redirecting: true });
  }

  const body = await readEnvelope<T>(response);
  if (!response.ok) throw errorFor(response, body?.meta ?? {});
  return (body?.data ?? null) as T;
}

// Whatever answered (Darkroom, or a proxy in front of it), only a body shaped
// like the envelope is read; anything else counts as no body.
async function readEnvelope<T>(response: Response): Promise<Envelope<T> | null> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return null;
  }
  if (typeof body !== "object" || body === null || !("meta" in body)) return null;
  const { meta } = body;
  if (typeof meta !== "object" || meta === null) return null;
  const message = "message" in meta && typeof meta.message === "string" ? meta.message : "";
  const field = "field" in meta && typeof meta.field === "string" && meta.field ? meta.field : undefined;
  const code = "code" in meta && meta.code === 1 ? 1 : 0;
  const data = "data" in body ? (body.data as T | null) : null;
  return { meta: { code, message, ...(field ? { field } : {}) }, data };
}

export const jobsApi = {
  list: (params: { limit: number }, signal?: AbortSignal) => api<{ jobs: Job[]; next_cursor: string | null }>(`/api/jobs?limit=${params.limit}`, { signal }),
  create: (input: NewJob, idempotencyKey: string) => api<Job>("/api/generate-image", { json: input, headers: { "Idempotency-Key": idempotencyKey } }),
  vary: (id: string) => api<Job>(`/api/jobs/${encodeURIComponent(id)}/vary`, { method: "POST" }),
  retry: (id: string) => api<Job>(`/api/retry-job/${encodeURIComponent(id)}`, { method: "POST" }),
  remove: (id: string) => api<null>(`/api/jobs/${encodeURIComponent(id)}`, { method: "DELETE" }),
};
