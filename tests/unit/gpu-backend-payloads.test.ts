// How a job becomes an AUTOMATIC1111 txt2img request and a filled-in ComfyUI
// workflow, and how their answers are read: pure mapping, no server.
import { describe, expect, it } from "vitest";
import { readCheckpointTitles, readProgress, readTxt2ImgAnswer, txt2imgPayload } from "@/lib/generation/models/a1111-payload";
import { parseModelId } from "@/lib/generation/models/catalog";
import { fillWorkflow, parseWorkflow, readHistory } from "@/lib/generation/models/comfyui-workflow";
import flux from "@/workflows/comfyui/flux-schnell.json";
import fluxMap from "@/workflows/comfyui/flux-schnell.map.json";
import sdxl from "@/workflows/comfyui/sdxl.json";
import sdxlMap from "@/workflows/comfyui/sdxl.map.json";

const TITLE = "sd_xl_base_1.0.safetensors [31e35c80fc]";
const request = { prompt: "a lighthouse", style: "watercolor", quality: "high", attempt: 1, aspectRatio: "3:2", seed: 41, negativePrompt: "blurry" };
const defaults = { sampler: "DPM++ 2M", steps: 30, cfgScale: 6.5 };

describe("AUTOMATIC1111 model ids", () => {
  it.each([TITLE, "sdxl/juggernaut XL v9.safetensors [c9e3e68f89]", "v1-5-pruned-emaonly.ckpt", "a"])("accepts the checkpoint title %s", (title) => {
    expect(parseModelId(`a1111:${title}`)).toEqual({ ok: true, ref: { provider: "a1111", model: title } });
  });
  it.each(["", " leading space", "trailing ", "with,comma", "new\nline"])("refuses %j", (title) => {
    expect(parseModelId(`a1111:${title}`).ok).toBe(false);
  });
  it("keeps ComfyUI workflow names to file-name-safe words", () => {
    expect(parseModelId("comfyui:flux-schnell")).toEqual({ ok: true, ref: { provider: "comfyui", model: "flux-schnell" } });
    for (const bad of ["../etc/passwd", "a/b", "sdxl.json", "", "a b"]) expect(parseModelId(`comfyui:${bad}`).ok).toBe(false);
  });
});

describe("txt2imgPayload", () => {
  it("maps a job: style phrase, pixel size of ratio and quality, seed, batch of n, checkpoint, operator defaults, no files kept", () => {
    const payload = txt2imgPayload(TITLE, request, 3, defaults, "darkroom-task-1");
    expect(payload).toEqual({
      prompt: "a lighthouse\n\nStyle: watercolor painting on textured paper, soft washes.",
      negative_prompt: "blurry",
      seed: 41,
      width: 1216,
      height: 832,
      batch_size: 3,
      n_iter: 1,
      steps: 30,
      cfg_scale: 6.5,
      sampler_name: "DPM++ 2M",
      override_settings: { sd_model_checkpoint: TITLE },
      override_settings_restore_afterwards: true,
      force_task_id: "darkroom-task-1",
      save_images: false,
      send_images: true,
    });
  });
  it("sends standard quality at half size and an empty negative prompt when there is none", () => {
    const payload = txt2imgPayload(TITLE, { ...request, quality: "standard", aspectRatio: undefined, negativePrompt: null }, 1, defaults, "t");
    expect(payload).toMatchObject({ width: 512, height: 512, negative_prompt: "", batch_size: 1 });
  });
});

describe("reading AUTOMATIC1111 answers", () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]).toString("base64");
  it("takes the n images after a leading grid", () => {
    const answer = readTxt2ImgAnswer({ images: ["grid", png, png], info: JSON.stringify({ index_of_first_image: 1 }) }, 2);
    expect(answer.ok && answer.images.length).toBe(2);
  });
  it("refuses a wrong shape or count", () => {
    expect(readTxt2ImgAnswer({ detail: "nope" }, 1)).toMatchObject({ ok: false });
    expect(readTxt2ImgAnswer({ images: [png] }, 2)).toMatchObject({ ok: false, reason: "expected 2 images, got 1" });
    expect(readTxt2ImgAnswer("<html>", 1)).toMatchObject({ ok: false });
  });
  it("reads progress with its task and preview, and nothing from an older server without current_task", () => {
    expect(readProgress({ progress: 0.5, state: { sampling_step: 5, sampling_steps: 20 }, current_image: png, current_task: "t1" })).toMatchObject({
      currentTask: "t1",
      step: 5,
      steps: 20,
    });
    expect(readProgress({ progress: 0, state: {} })).toEqual({ currentTask: null, step: 0, steps: 0, preview: undefined });
    expect(readProgress([1, 2])).toBeUndefined();
  });
  it("lists checkpoint titles", () => {
    expect(readCheckpointTitles([{ title: TITLE, model_name: "sd_xl_base_1.0" }])).toEqual([TITLE]);
    expect(readCheckpointTitles({ title: TITLE })).toBeUndefined();
  });
});

describe("ComfyUI workflows", () => {
  it("fills the shipped SDXL workflow's mapped inputs on a copy", () => {
    const workflow = parseWorkflow("sdxl", sdxl, sdxlMap);
    const graph = fillWorkflow(workflow, { prompt: "p", negativePrompt: "n", seed: 7, width: 832, height: 1216, batchSize: 1 });
    expect(graph["6"]!.inputs.text).toBe("p");
    expect(graph["7"]!.inputs.text).toBe("n");
    expect(graph["3"]!.inputs).toMatchObject({ seed: 7 });
    expect(graph["5"]!.inputs).toEqual({ width: 832, height: 1216, batch_size: 1 });
    expect(workflow.graph["6"]!.inputs.text).toBe("");
  });
  it("loads the shipped Flux schnell workflow", () => {
    expect(parseWorkflow("flux-schnell", flux, fluxMap).map.output).toBe("9");
  });
  it("refuses a map naming a node the graph lacks, and a graph that is not API format", () => {
    expect(() => parseWorkflow("x", sdxl, { prompt: { node: "99", input: "text" } })).toThrow(/node "99"/);
    expect(() => parseWorkflow("x", { nodes: [], links: [] }, sdxlMap)).toThrow(/API-format/);
    expect(() => parseWorkflow("x", sdxl, {})).toThrow(/prompt/);
  });
  it("reads history: unknown prompt, error, and the output node's images", () => {
    expect(readHistory({}, "p1")).toEqual({ state: "missing" });
    expect(readHistory({ p1: { outputs: {}, status: { status_str: "error", completed: false } } }, "p1")).toEqual({ state: "error" });
    const images = [{ filename: "darkroom_00001_.png", subfolder: "", type: "output" }];
    expect(readHistory({ p1: { outputs: { "9": { images }, "12": { images: [{ filename: "x", type: "temp" }] } } } }, "p1", "9")).toEqual({
      state: "done",
      images,
    });
    expect(readHistory("nope", "p1")).toEqual({ state: "unreadable" });
  });
});
