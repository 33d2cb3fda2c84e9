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

// What a model that renders in steps (a GPU backend) reports while it works:
// step of steps, and now and then a small preview of the image so far.
export type Progress = { step: number; steps: number; preview?: { bytes: Uint8Array; contentType: string } };

// Optional per call: `onProgress` for models that can report it, and `signal`,
// aborted when the job stops wanting the image (deleted while rendering), so a
// backend can be told to stop working on it.
export type GenerationHooks = { onProgress?: (progress: Progress) => void; signal?: AbortSignal };

export interface ImageModel {
  readonly id: string;
  generate(request: ImageRequest, hooks?: GenerationHooks): Promise<GeneratedImage>;
  /**
   * Optional: `n` images in one backend call (a GPU backend renders a batch in
   * one pass). Image i must be drawn with `request.seed + i`, as `generate`
   * would for each image alone; progress steps count over the whole batch.
   */
  generateBatch?(request: ImageRequest, n: number, hooks?: GenerationHooks): Promise<GeneratedImage[]>;
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
