// The offline renderer (`local/sketch`): draws a deterministic picture from the
// prompt, style, quality, aspect ratio, negative prompt and seed with no network
// and no API key. The same request and seed always give the same bytes; another
// seed gives another picture. It is labelled as such wherever a job is shown.
import { createHash } from "node:crypto";
import sharp from "sharp";
import { getEnv } from "@/lib/env";
import { pixelSize } from "./capabilities";
import type { GeneratedImage, GenerationHooks, ImageModel, ImageRequest } from "./types";

type Palette = { sky: [string, string]; ground: string[]; accent: string; ink: string };

const PALETTES: Record<string, Palette> = {
  realistic: { sky: ["#8ec5ff", "#f7e7c6"], ground: ["#51624a", "#3c4a38", "#2a3327"], accent: "#ffd27a", ink: "#1f2a1d" },
  anime: { sky: ["#ff9ed8", "#8fd3ff"], ground: ["#6fd6a8", "#4bb58b", "#2f8f6a"], accent: "#fff3a0", ink: "#2b2140" },
  "digital-art": { sky: ["#12002e", "#ff2e88"], ground: ["#3a0ca3", "#4361ee", "#4cc9f0"], accent: "#f72585", ink: "#0b0018" },
  watercolor: { sky: ["#fdf6ec", "#cfe3f0"], ground: ["#a9c8b8", "#8fb3a8", "#e7b9a5"], accent: "#f2a68c", ink: "#5a6b78" },
  "oil-painting": { sky: ["#f0b45a", "#5b7fa6"], ground: ["#7a4e2d", "#5e3b22", "#3b2616"], accent: "#ffe08a", ink: "#2a1a0e" },
  sketch: { sky: ["#fbfaf7", "#eeece6"], ground: ["#b9b6ad", "#8f8c84", "#6b6962"], accent: "#d9d6ce", ink: "#3d3b37" },
  "pixel-art": { sky: ["#5fcde4", "#cbdbfc"], ground: ["#6abe30", "#4b692f", "#37946e"], accent: "#fbf236", ink: "#222034" },
  "3d-render": { sky: ["#e8ecf5", "#b9c3d9"], ground: ["#9aa6c2", "#7c88a6", "#5d6888"], accent: "#ff7a59", ink: "#1d2333" },
};

// mulberry32: a tiny seeded PRNG, so the same prompt draws the same picture.
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function ridge(rand: () => number, width: number, height: number, baseY: number, roughness: number, steps: number): string {
  const points: string[] = [`0,${height}`];
  let y = baseY;
  for (let i = 0; i <= steps; i++) {
    y = Math.min(height * 0.95, Math.max(height * 0.3, y + (rand() - 0.5) * roughness));
    points.push(`${((i / steps) * width).toFixed(1)},${y.toFixed(1)}`);
  }
  points.push(`${width},${height}`);
  return points.join(" ");
}

type DrawRequest = Pick<ImageRequest, "prompt" | "style" | "quality"> & Partial<Pick<ImageRequest, "aspectRatio" | "seed" | "negativePrompt">>;

// The whole drawing as its SVG elements, in painting order: the first k of them
// are the picture "so far" (the progress previews below).
function drawParts(request: DrawRequest): { parts: string[]; width: number; height: number } {
  const { width, height } = pixelSize(request.aspectRatio ?? "1:1", request.quality);
  // `size` scales strokes and shapes; x uses the width and y the height.
  const size = Math.min(width, height);
  const key = [request.prompt, request.style, request.quality, request.aspectRatio ?? "1:1", request.negativePrompt ?? "", String(request.seed ?? 0)];
  const digest = createHash("sha256").update(key.join("\u0000")).digest();
  const rand = random(digest.readUInt32LE(0));
  const p = PALETTES[request.style] ?? PALETTES.realistic!;
  const detail = request.quality === "high" ? 2 : 1;
  const parts: string[] = [];
  const [W, H] = [width, height];
  parts.push(
    `<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${p.sky[0]}"/><stop offset="1" stop-color="${p.sky[1]}"/></linearGradient>`,
    `<radialGradient id="orb" cx="0.35" cy="0.35" r="0.7"><stop offset="0" stop-color="#ffffff"/><stop offset="0.4" stop-color="${p.accent}"/><stop offset="1" stop-color="${p.ink}"/></radialGradient>`,
    `<filter id="soft"><feGaussianBlur stdDeviation="${size / 60}"/></filter></defs>`,
    `<rect width="${W}" height="${H}" fill="url(#sky)"/>`,
  );
  const sunX = W * (0.2 + rand() * 0.6);
  const sunY = H * (0.15 + rand() * 0.25);
  const sunR = size * (0.06 + rand() * 0.08);
  parts.push(`<circle cx="${sunX}" cy="${sunY}" r="${sunR * 1.8}" fill="${p.accent}" opacity="0.25" filter="url(#soft)"/>`);
  parts.push(`<circle cx="${sunX}" cy="${sunY}" r="${sunR}" fill="${p.accent}"/>`);

  if (request.style === "digital-art") {
    for (let i = 0; i < 12 * detail; i++) {
      const y = H * 0.55 + (i * H * 0.45) / (12 * detail);
      parts.push(`<line x1="0" y1="${y}" x2="${W}" y2="${y}" stroke="${p.accent}" stroke-opacity="0.35" stroke-width="1"/>`);
    }
  }
  if (request.style === "anime" || request.style === "3d-render") {
    for (let i = 0; i < 6 * detail; i++) {
      const r = size * (0.01 + rand() * 0.02);
      parts.push(`<circle cx="${rand() * W}" cy="${rand() * H * 0.45}" r="${r}" fill="#ffffff" opacity="${(0.5 + rand() * 0.5).toFixed(2)}"/>`);
    }
  }
  p.ground.forEach((color, layer) => {
    const baseY = H * (0.5 + layer * 0.14);
    parts.push(
      `<polygon points="${ridge(rand, W, H, baseY, H * (0.12 - layer * 0.03), 10 * detail + layer * 4)}" fill="${color}"${request.style === "watercolor" ? ' opacity="0.75" filter="url(#soft)"' : ""}/>`,
    );
  });
  if (request.style === "3d-render") {
    const r = size * 0.12;
    const cx = W * (0.3 + rand() * 0.4);
    parts.push(`<ellipse cx="${cx}" cy="${H * 0.86}" rx="${r * 1.1}" ry="${r * 0.25}" fill="#000" opacity="0.25" filter="url(#soft)"/>`);
    parts.push(`<circle cx="${cx}" cy="${H * 0.86 - r}" r="${r}" fill="url(#orb)"/>`);
  }
  if (request.style === "oil-painting") {
    for (let i = 0; i < 90 * detail; i++) {
      const x = rand() * W;
      const y = rand() * H;
      const color = rand() < 0.5 ? p.accent : p.ground[Math.floor(rand() * p.ground.length)]!;
      parts.push(
        `<rect x="${x}" y="${y}" width="${size * 0.05}" height="${size * 0.012}" rx="3" fill="${color}" opacity="0.35" transform="rotate(${(rand() * 60 - 30).toFixed(1)} ${x} ${y})"/>`,
      );
    }
  }
  if (request.style === "sketch") {
    for (let i = 0; i < 40 * detail; i++) {
      const x = rand() * W;
      const y = H * 0.45 + rand() * H * 0.55;
      parts.push(`<line x1="${x}" y1="${y}" x2="${x + size * 0.04}" y2="${y - size * 0.04}" stroke="${p.ink}" stroke-opacity="0.4" stroke-width="1.2"/>`);
    }
  }
  // A small signature strip: eight swatches from the request's hash (seed included),
  // so different prompts and seeds look different at a glance.
  for (let i = 0; i < 8; i++) {
    const hue = Math.round((digest[i + 4]! / 255) * 360);
    parts.push(
      `<rect x="${size * 0.04 + i * size * 0.035}" y="${H - size * 0.07}" width="${size * 0.03}" height="${size * 0.03}" rx="2" fill="hsl(${hue} 70% 55%)" stroke="${p.ink}" stroke-opacity="0.4"/>`,
    );
  }
  return { parts, width, height };
}

const svgOf = (parts: readonly string[], width: number, height: number, scale = 1) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.round(width * scale)}" height="${Math.round(height * scale)}" viewBox="0 0 ${width} ${height}">${parts.join("")}</svg>`;

export function drawSvg(request: DrawRequest): { svg: string; width: number; height: number } {
  const { parts, width, height } = drawParts(request);
  return { svg: svgOf(parts, width, height), width, height };
}

// Progress (issue 12): the picture is "developed" in a few steps, each reported
// through hooks.onProgress with a small preview of the elements drawn so far,
// with LOCAL_RENDER_STEP_MS between steps so progress can be watched offline.
// The final image does not depend on any of this. With no time between steps
// (the default) nobody could see a step or a preview before the image itself:
// nothing is reported, as by any model that reports no progress, and the
// renderer does only the picture's work.
export const LOCAL_RENDER_STEPS = 4;
const PREVIEW_SIZE = 192;

const pause = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });

const stepMs = () => getEnv().LOCAL_RENDER_STEP_MS;

async function reportProgress(request: DrawRequest, hooks: GenerationHooks | undefined): Promise<void> {
  if (!hooks?.onProgress || stepMs() <= 0) return;
  const { parts, width, height } = drawParts(request);
  const scale = PREVIEW_SIZE / Math.max(width, height);
  for (let step = 1; step <= LOCAL_RENDER_STEPS; step++) {
    if (hooks.signal?.aborted) return;
    const shown = parts.slice(0, Math.ceil((parts.length * step) / LOCAL_RENDER_STEPS));
    const preview =
      step < LOCAL_RENDER_STEPS
        ? await sharp(Buffer.from(svgOf(shown, width, height, scale)))
            .webp({ quality: 60 })
            .toBuffer()
        : undefined;
    hooks.onProgress({ step, steps: LOCAL_RENDER_STEPS, preview: preview ? { bytes: preview, contentType: "image/webp" } : undefined });
    if (step < LOCAL_RENDER_STEPS) await pause(stepMs(), hooks.signal);
  }
}

export const localSketchModel: ImageModel = {
  id: "local/sketch",
  async generate(request, hooks): Promise<GeneratedImage> {
    await reportProgress(request, hooks);
    const { svg, width, height } = drawSvg(request);
    let image = sharp(Buffer.from(svg));
    if (request.style === "pixel-art") {
      // Draw small, then scale up without smoothing: real pixels.
      const small = await image
        .resize(64, Math.round((64 * height) / width))
        .png()
        .toBuffer();
      image = sharp(small).resize(width, height, { kernel: "nearest" });
    }
    const bytes = await image.png({ compressionLevel: 6 }).toBuffer();
    return { bytes, contentType: "image/png", width, height };
  },
};
