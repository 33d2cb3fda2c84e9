// ComfyUI workflows: an API-format graph (ComfyUI's "Save (API)" export:
// `{ "<node id>": { "class_type", "inputs": {…} } }`) in
// COMFYUI_WORKFLOWS_DIR/<name>.json, and beside it <name>.map.json naming the
// node inputs Darkroom fills in:
//   { "prompt": {"node": "6", "input": "text"}, "negative_prompt": {…}, "seed": {…},
//     "width": {…}, "height": {…}, "batch_size": {…}, "output": "9" }
// Only `prompt` is required. `output` is the node whose images are the result
// (default: every node that produced images). The filled-in graph is a copy;
// the template is never changed.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

const target = z.object({ node: z.string().min(1), input: z.string().min(1) });
export const workflowMapSchema = z.object({
  prompt: target,
  negative_prompt: target.optional(),
  seed: target.optional(),
  width: target.optional(),
  height: target.optional(),
  batch_size: target.optional(),
  output: z.string().min(1).optional(),
});
export type WorkflowMap = z.infer<typeof workflowMapSchema>;

const graphSchema = z.record(z.string(), z.object({ class_type: z.string(), inputs: z.record(z.string(), z.unknown()) }).loose());
export type WorkflowGraph = z.infer<typeof graphSchema>;

export type Workflow = { name: string; graph: WorkflowGraph; map: WorkflowMap };

export class WorkflowError extends Error {}

// Checks the map against the graph: every named node exists, so a typo is an
// error at load time and never a silently ignored prompt.
export function parseWorkflow(name: string, graphJson: unknown, mapJson: unknown): Workflow {
  const graph = graphSchema.safeParse(graphJson);
  if (!graph.success) throw new WorkflowError(`${name}.json is not an API-format ComfyUI workflow (export it with "Save (API)")`);
  const map = workflowMapSchema.safeParse(mapJson);
  if (!map.success) throw new WorkflowError(`${name}.map.json: ${map.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  for (const [field, value] of Object.entries(map.data)) {
    const node = typeof value === "string" ? value : value.node;
    if (!graph.data[node]) throw new WorkflowError(`${name}.map.json: ${field} names node "${node}", which ${name}.json does not have`);
  }
  return { name, graph: graph.data, map: map.data };
}

export async function loadWorkflow(dir: string, name: string): Promise<Workflow> {
  // `name` passed parseModelId (letters, digits, "_" and "-"): it cannot leave `dir`.
  const read = async (file: string) => {
    try {
      return JSON.parse(await readFile(path.resolve(dir, file), "utf8")) as unknown;
    } catch (error) {
      throw new WorkflowError(`${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "not found" : "not valid JSON"} in ${dir}`);
    }
  };
  return parseWorkflow(name, await read(`${name}.json`), await read(`${name}.map.json`));
}

export type WorkflowValues = { prompt: string; negativePrompt: string; seed: number; width: number; height: number; batchSize: number };

export function fillWorkflow(workflow: Workflow, values: WorkflowValues): WorkflowGraph {
  const graph = structuredClone(workflow.graph);
  const set = (t: { node: string; input: string } | undefined, value: unknown) => {
    if (t) graph[t.node]!.inputs[t.input] = value;
  };
  set(workflow.map.prompt, values.prompt);
  set(workflow.map.negative_prompt, values.negativePrompt);
  set(workflow.map.seed, values.seed);
  set(workflow.map.width, values.width);
  set(workflow.map.height, values.height);
  set(workflow.map.batch_size, values.batchSize);
  return graph;
}

export type OutputImage = { filename: string; subfolder: string; type: string };

const historyImages = z
  .object({ images: z.array(z.object({ filename: z.string(), subfolder: z.string().default(""), type: z.string().default("output") })).optional() })
  .loose();
const historyEntry = z
  .object({
    outputs: z.record(z.string(), historyImages).default({}),
    status: z.object({ status_str: z.string().optional(), completed: z.boolean().optional() }).loose().optional(),
  })
  .loose();

export type HistoryState = { state: "missing" } | { state: "unreadable" } | { state: "error" } | { state: "done"; images: OutputImage[] };

// GET /history/{prompt_id} answers `{}` for an unknown (or unfinished) prompt and
// `{ [id]: { prompt, outputs: { [node]: { images: [...] } }, status } }` once it ran.
export function readHistory(body: unknown, promptId: string, outputNode?: string): HistoryState {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return { state: "unreadable" };
  const raw = (body as Record<string, unknown>)[promptId];
  if (raw === undefined) return { state: "missing" };
  const entry = historyEntry.safeParse(raw);
  if (!entry.success) return { state: "unreadable" };
  if (entry.data.status?.status_str === "error") return { state: "error" };
  const nodes = outputNode ? [outputNode] : Object.keys(entry.data.outputs).sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const images = nodes.flatMap((node) => entry.data.outputs[node]?.images ?? []).filter((image) => image.type !== "input");
  return { state: "done", images };
}
