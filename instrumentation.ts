// Runs once when `next start` (or `next dev`) boots, before any request.
// The one top-level place that wires inngest/ into lib/: the Inngest runner
// registers itself here (lib/ never imports inngest/), then lib/boot starts
// whichever runner JOB_RUNNER selects.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ registerRunner }, { inngestRunner }] = await Promise.all([import("./lib/generation/runners"), import("./inngest/runner")]);
  registerRunner(inngestRunner);
  const { bootOrExit } = await import("./lib/boot");
  await bootOrExit();
}
