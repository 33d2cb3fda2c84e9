// `npm run lint` (after Biome): the layering of the code base (CONVENTIONS.md
// "Layout"), bottom to top: db/ < lib/ < inngest/ < app/. Each layer imports
// only layers below it, so the four cannot form a cycle. tests/, e2e/, bench/
// and scripts/ are leaves on top: nothing shipped imports them and they do not
// import each other (shared helpers live in db/ or lib/), so they cannot be in
// a cycle either. `@/` is resolved through tsconfig.json; dynamic `import()`
// and type-only imports count like any other import.
const TOP = "(app|lib|db|inngest|e2e|tests|bench|scripts)";
const APP_CODE = "^(app|lib|db|inngest)/";
const LEAVES = ["tests", "e2e", "bench", "scripts"];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-top-level-folder-cycles",
      severity: "error",
      comment: "A cycle through the top-level folders means a layer reaches back into one above it (the rules below name the layer broken).",
      scope: "folder",
      from: { path: `^${TOP}$` },
      to: { path: `^${TOP}$`, circular: true },
    },
    {
      name: "inngest-not-to-app",
      severity: "error",
      comment: "inngest/ (client, functions) sits between lib/ and the routes that serve it.",
      from: { path: "^inngest/" },
      to: { path: "^app/" },
    },
    {
      name: "lib-not-to-app-or-inngest",
      severity: "error",
      comment: "lib/ is the application; route handlers (app/) and the job engine's wiring (inngest/) call it, never the other way round.",
      from: { path: "^lib/" },
      to: { path: "^(app|inngest)/" },
    },
    {
      name: "db-not-to-upper-layers",
      severity: "error",
      comment: "db/ (schema, client, migrations, launcher) is the bottom layer.",
      from: { path: "^db/" },
      to: { path: "^(lib|app|inngest)/" },
    },
    {
      name: "app-code-not-to-tests",
      severity: "error",
      comment: "Shipped code never imports test, end-to-end or benchmark code.",
      from: { path: APP_CODE },
      to: { path: "^(tests|e2e|bench)/" },
    },
    ...LEAVES.map((leaf) => ({
      name: `${leaf}-not-to-other-leaves`,
      severity: "error",
      comment: "tests/, e2e/, bench/ and scripts/ stay independent of each other; what two of them need belongs in db/ or lib/.",
      from: { path: `^${leaf}/` },
      to: { path: `^(${LEAVES.filter((other) => other !== leaf).join("|")})/` },
    })),
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment: "An import that resolves to nothing: a typo, a moved file or a missing `@/` alias.",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(\\.next|node_modules|test-results|playwright-report)/" },
    tsConfig: { fileName: "tsconfig.json" },
    // Type-only imports are dependencies too: a type from app/ in lib/ is still lib/ knowing about app/.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
