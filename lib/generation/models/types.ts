// The contract every image model implements, offline or hosted.
export type ImageRequest = { prompt: string; style: string; quality: string; attempt: number };
export type GeneratedImage = { bytes: Uint8Array; contentType: string; width: number; height: number };

export interface ImageModel {
  readonly id: string;
  generate(request: ImageRequest): Promise<GeneratedImage>;
}

// `retryable: false` ends the job at once (a refusal, an invalid request);
// `message` is written for the person who owns the job and is shown to them.
export class GenerationError extends Error {
  readonly retryable: boolean;
  constructor(message: string, options: { retryable: boolean }) {
    super(message);
    this.name = "GenerationError";
    this.retryable = options.retryable;
  }
}
