// `hatch run SCRIPT.ts [ARGS...]` and `hatch types`.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { runScript } from "../../runtime/run.ts";
import declarations from "../../runtime/hatch-dts.txt" with { type: "text" };
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
  async run({ positionals }) {
    const [script, ...args] = positionals;
    return runScript(script as string, args);
  },
};

export const typesCommand: Command = {
  path: ["types"],
  summary: 'Write hatch.d.ts so editors complete and type-check `import … from "hatch"`',
  usage: "[DIR]",
  positionals: [{ name: "DIR", description: "Where to write hatch.d.ts (default: the current directory)" }],
  options: {},
  examples: ["hatch types", "hatch types ./scripts"],
  run({ positionals, out }) {
    const file = resolve(positionals[0] ?? ".", "hatch.d.ts");
    writeFileSync(file, declarations);
    out.print(`Wrote ${file}`);
    out.print(
      'Scripts in that folder now get completions for: import { sync, env, host, backup } from "hatch"',
    );
    return 0;
  },
};
