// Errors only the OpenAI-compatible gateway has, with the status, `type` and
// `code` OpenAI's clients branch on. Every other failure is an ordinary
// DomainError, which lib/http/openai.ts renders in OpenAI's shape too.
export class GatewayError extends Error {
  readonly status: number;
  readonly type: string;
  readonly code: string | null;
  readonly param: string | null;
  // `false`: OpenAI's SDKs must not retry (a retry would start another job).
  readonly retry: boolean;
  constructor(status: number, message: string, options: { type: string; code?: string | null; param?: string | null; retry?: boolean }) {
    super(message);
    this.name = "GatewayError";
    this.status = status;
    this.type = options.type;
    this.code = options.code ?? null;
    this.param = options.param ?? null;
    this.retry = options.retry ?? true;
  }
}

// One answer for a model that does not exist and one this caller may not use,
// in OpenAI's words: the two must not be told apart.
export const modelNotFound = (id: string) =>
  new GatewayError(404, `The model \`${id}\` does not exist or you do not have access to it.`, { type: "invalid_request_error", code: "model_not_found" });

export const generationTimedOut = (seconds: number, jobId: string) =>
  new GatewayError(504, `The image was not ready within ${seconds} seconds. Job ${jobId} keeps running and will appear in your Darkroom gallery.`, {
    type: "server_error",
    code: "timeout",
    retry: false,
  });

export const generationFailed = (jobId: string, reason: string | null) =>
  new GatewayError(500, `Image generation failed (job ${jobId})${reason ? `: ${reason}` : ""}. You can retry it from your Darkroom gallery.`, {
    type: "server_error",
    code: "generation_failed",
    retry: false,
  });
