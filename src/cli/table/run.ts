// `hatch run SCRIPT.ts` and `hatch types` (code: ../commands/run.ts).
import type { Command } from "../command.ts";

export const runCommand: Command = {
  path: ["run"],
  summary: 'Run a TypeScript automation script that imports from "hatch" (no node_modules needed)',
  usage: "SCRIPT.ts [ARGS...]",
  positionals: [
    { name: "SCRIPT", description: "The script to run (.ts or .js)", required: true },
    { name: "ARGS", description: "Arguments passed to the script as process.argv.slice(2)" },
  ],
  options: {},
  examples: ["hatch run deploy-to-staging.ts", "hatch run backup.ts --name nightly"],
  passThrough: true,
  run: (inv) => import("../commands/run.ts").then((m) => m.runScriptFile(inv)),
};

export const typesCommand: Command = {
  path: ["types"],
  summary: 'Write hatch.d.ts (and a strict tsconfig.json) so scripts type-check `import … from "hatch"`',
  usage: "[DIR]",
  positionals: [{ name: "DIR", description: "Where to write hatch.d.ts (default: the current directory)" }],
  options: {},
  examples: ["hatch types", "hatch types ./scripts"],
  run: (inv) => import("../commands/run.ts").then((m) => m.runTypes(inv)),
};
