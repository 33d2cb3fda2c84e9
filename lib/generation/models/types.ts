// The contract every image model implements, offline or hosted.
// `seed` is this image's own seed (the job's seed + the image's index). The
// settings added with issue 11 are optional: absent means a square image, no
// seed sent to the provider, no negative prompt.
export type ImageRequest = {
  prompt: string;
  style: string;
  quality: string;
  attempt: number;
  aspectRatio?: string;
  seed?: number;
  negativePrompt?: string | null;
};
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
