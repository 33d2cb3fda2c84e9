// HTTP to a self-hosted GPU backend (AUTOMATIC1111, ComfyUI): one place that
// turns "connection refused", "reset", "timed out", an error status and an
// answer that is not the backend's API into GenerationErrors whose message is
// ours and names the server (its origin only: never credentials or paths).
// The backend's own words go to the server log, never to the job's owner.
import "server-only";
import { logger } from "@/lib/log";
import { GenerationError } from "./types";

export type BackendCall = {
  method?: "GET" | "POST";
  json?: unknown;
  /** Aborts the call (the job was deleted, or the whole render timed out). */
  signal?: AbortSignal;
  /** This call's own limit; a timeout is a retryable error. */
  timeoutMs: number;
};

export class BackendClient {
  readonly origin: string;
  constructor(
    readonly label: string,
    private readonly baseUrl: string,
    private readonly headers: Record<string, string> = {},
  ) {
    const url = new URL(baseUrl);
    this.origin = url.origin;
  }

  url(path: string): string {
    return new URL(path.replace(/^\//, ""), this.baseUrl.endsWith("/") ? this.baseUrl : `${this.baseUrl}/`).toString();
  }

  failure(kind: string, message: string, retryable: boolean, detail?: string): GenerationError {
    logger.warn({ event: "gpu_backend_error", backend: this.label, origin: this.origin, kind, retryable, detail: detail?.slice(0, 500) });
    return new GenerationError(message, { retryable });
  }

  unreachable(detail?: string): GenerationError {
    return this.failure("unreachable", `The ${this.label} server at ${this.origin} did not answer; the job will be retried`, true, detail);
  }

  /** The raw answer; throws a GenerationError for a network failure or a timeout (not for an error status). */
  async raw(path: string, call: BackendCall): Promise<Response> {
    const signals = [AbortSignal.timeout(call.timeoutMs)];
    if (call.signal) signals.push(call.signal);
    try {
      return await fetch(this.url(path), {
        method: call.method ?? (call.json === undefined ? "GET" : "POST"),
        headers: { ...this.headers, ...(call.json === undefined ? {} : { "content-type": "application/json" }) },
        body: call.json === undefined ? undefined : JSON.stringify(call.json),
        signal: AbortSignal.any(signals),
        cache: "no-store",
      });
    } catch (error) {
      throw this.networkError(error, call.signal);
    }
  }

  networkError(error: unknown, signal?: AbortSignal): GenerationError {
    const name = (error as { name?: string } | null)?.name;
    // A caller's own deadline aborts its signal with a TimeoutError reason.
    const timedOut = name === "TimeoutError" || (signal?.aborted && (signal.reason as { name?: string } | undefined)?.name === "TimeoutError");
    if (timedOut) return this.failure("timeout", `The ${this.label} server at ${this.origin} did not answer in time; the job will be retried`, true);
    if (signal?.aborted) return new GenerationError("The job was stopped", { retryable: false });
    // undici: "fetch failed" with a cause (ECONNREFUSED, ECONNRESET, "other side closed"…).
    const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
    return this.unreachable(`${String(error)} ${cause?.code ?? ""} ${cause?.message ?? ""}`);
  }

  /** A JSON answer with status 2xx, or a GenerationError (see statusError). */
  async json(path: string, call: BackendCall): Promise<unknown> {
    const response = await this.raw(path, call);
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      // The connection dropped while the body was arriving (a restart mid-answer).
      throw this.networkError(error, call.signal);
    }
    if (!response.ok) throw this.statusError(response.status, text);
    try {
      return text === "" ? null : JSON.parse(text);
    } catch {
      throw this.garbage(`non-JSON answer to ${path}: ${text.slice(0, 200)}`);
    }
  }

  garbage(detail: string): GenerationError {
    // A server that answers, but not with the API: a wrong URL (another
    // service) or an incompatible version. Retrying would not change that.
    return this.failure("unreadable", `The ${this.label} server at ${this.origin} answered with something that is not its API`, false, detail);
  }

  statusError(status: number, body: string): GenerationError {
    const detail = `HTTP ${status}: ${body.slice(0, 300)}`;
    if (status === 401 || status === 403) {
      return this.failure(
        "credentials",
        `The ${this.label} server at ${this.origin} refused this server's credentials; ask the administrator to check its configuration`,
        false,
        detail,
      );
    }
    if (status === 404) return this.failure("not_found", `The ${this.label} server at ${this.origin} does not offer the configured model`, false, detail);
    if (status === 400 || status === 422)
      return this.failure("invalid_request", `The ${this.label} server at ${this.origin} rejected the request as invalid`, false, detail);
    if (status === 408 || status === 429 || status >= 500) {
      return this.failure("backend_error", `The ${this.label} server at ${this.origin} had a failure; the job will be retried`, true, detail);
    }
    return this.failure("rejected", `The ${this.label} server at ${this.origin} rejected the request`, false, detail);
  }
}

/** JPEG or PNG (or WebP) from the first bytes; previews come in either. */
export function sniffImageType(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return "image/png";
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return "image/jpeg";
  if (bytes[0] === 0x52 && bytes[1] === 0x49 && bytes[8] === 0x57 && bytes[9] === 0x45) return "image/webp";
  return undefined;
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
