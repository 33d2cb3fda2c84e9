// Turns whatever a hosted image provider throws into a GenerationError whose
// message is ours (fixed, readable) and whose `retryable` decides whether the
// job engine tries again. The provider's own error text is never shown to
// anyone: it goes to the server log only, with secrets scrubbed out.
import { APICallError, NoImageGeneratedError, RetryError } from "ai";
import { GenerationError } from "./types";

export type ProviderFailure = { error: GenerationError; kind: string; status?: number; detail: string };

// OpenAI answers `content_policy_violation` / `moderation_blocked`; other
// providers use words like "safety", "NSFW" or "flagged".
const CONTENT_POLICY = /content[_ -]?policy|safety[_ ]?(system|filter|check)|moderation|nsfw|flagged|unsafe content|prohibited/i;

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === "TimeoutError" || name === "AbortError";
}

export function classifyProviderError(raw: unknown, label: string): ProviderFailure {
  // With maxRetries > 0 the SDK wraps the last attempt's error.
  const error = RetryError.isInstance(raw) ? raw.lastError : raw;
  const service = capitalise(label);
  const fail = (kind: string, message: string, retryable: boolean, status?: number): ProviderFailure => ({
    error: new GenerationError(message, { retryable }),
    kind,
    status,
    detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  });

  if (isTimeout(error) || isTimeout((error as { cause?: unknown } | null)?.cause)) {
    return fail("timeout", `${service} did not answer in time; the job will be retried`, true);
  }
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    if (status === undefined) return fail("unreachable", `${service} could not be reached; the job will be retried`, true);
    if (status === 400 || status === 422) {
      if (CONTENT_POLICY.test(`${error.responseBody ?? ""} ${error.message}`)) {
        return fail("content_policy", `${service} refused this prompt under its content policy`, false, status);
      }
      return fail("invalid_request", `${service} rejected the request as invalid`, false, status);
    }
    if (status === 401 || status === 403) {
      return fail("credentials", `${service} refused this server's credentials; ask the administrator to check its configuration`, false, status);
    }
    if (status === 404) return fail("model_not_found", `${service} does not offer the configured image model`, false, status);
    if (status === 408 || status === 409 || status === 425 || status === 429) {
      return fail("busy", `${service} is busy right now; the job will be retried`, true, status);
    }
    if (status >= 500) return fail("provider_error", `${service} had a temporary failure; the job will be retried`, true, status);
    return fail("rejected", `${service} rejected the request`, false, status);
  }
  if (NoImageGeneratedError.isInstance(error)) return fail("no_image", `${service} returned no image`, true);
  return fail("unreadable", `${service} returned an answer that could not be read`, true);
}

const SECRET_SHAPES = [
  /\bsk-[A-Za-z0-9_-]{6,}/g, // OpenAI-style keys
  /\br8_[A-Za-z0-9]{6,}/g, // Replicate tokens
  /\bAIza[0-9A-Za-z_-]{10,}/g, // Google API keys
  /\b(Bearer|Key|Token)\s+[A-Za-z0-9._~+/:-]{6,}=*/gi,
  /\b(api[_-]?key|key|token|secret|signature)=([^&\s"']+)/gi,
];

// Scrubs every configured secret (and anything shaped like a key) out of text bound for a log.
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 6) out = out.split(secret).join("[redacted]");
  for (const shape of SECRET_SHAPES) out = out.replace(shape, "[redacted]");
  return out.length > 500 ? `${out.slice(0, 500)}…` : out;
}
