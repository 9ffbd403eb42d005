// `hatch run SCRIPT.ts [ARGS...]`: runs a user's automation script inside the binary. The module
// "hatch" is served from the binary itself (registered before the script is imported), so no
// node_modules is needed. A compiled Bun binary never auto-installs packages: any other bare
// import that is not installed near the script fails with Bun's "Cannot find package" (an e2e
// test proves both with the registry unreachable).
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "../core/errors.ts";
import * as api from "../mod.ts";
import { workAhead } from "../system/jit.ts";

let registered = false;

function registerHatchModule(): void {
  if (registered) return;
  registered = true;
  Bun.plugin({
    name: "hatch-api",
    setup(build) {
      build.module("hatch", () => ({ exports: { ...api, default: api }, loader: "object" }));
    },
  });
}

function scriptLine(e: unknown, script: string): string | undefined {
  const stack = e instanceof Error ? (e.stack ?? "") : "";
  const line = stack.split("\n").find((l) => l.includes(script));
  const m = line && /:(\d+):(\d+)\)?\s*$/.exec(line);
  return m ? `${script}:${m[1]}:${m[2]}` : undefined;
}

/** Runs a script; resolves to the exit code it asks for (0 when it ends normally). */
export async function runScript(file: string, args: readonly string[]): Promise<number> {
  const script = resolve(file);
  if (!existsSync(script) || !statSync(script).isFile()) {
    throw new UsageError(`Cannot run "${file}": no such file`, "Give the path of a .ts or .js script");
  }
  registerHatchModule();
  // A user's script may run long (loops, many syncs): the JIT's normal policy from here on.
  workAhead(Number.POSITIVE_INFINITY);
  process.argv = [process.argv[0] as string, script, ...args];
  try {
    // Bun's own, not node:url's: importing that module costs every command ~2 ms at start-up
    // (the command table loads this file).
    await import(Bun.pathToFileURL(script).href);
  } catch (e) {
    const where = scriptLine(e, script);
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`Error: ${msg}${where ? `\n  at ${where}` : ""}\n`);
    if (process.env.DEBUG === "1" && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
  return typeof process.exitCode === "number" ? process.exitCode : 0;
}
