// `hatch run SCRIPT.ts [ARGS...]` and `hatch types`.
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "../../core/errors.ts";
import { runScript } from "../../runtime/run.ts";
import { writeTypes } from "../../runtime/types.ts";
import type { Invocation } from "../command.ts";

/** hatch.d.ts as scripts/build.ts generated it from src/mod.ts (compiled into the binary). */
async function declarations(): Promise<string> {
  try {
    // Written by the build: absent in a fresh checkout until then (so no @ts-expect-error).
    // biome-ignore lint/suspicious/noTsIgnore: the file exists after a build, not before
    // @ts-ignore
    const generated: { declarations: string } = await import("../../../dist/hatch-types.json");
    return generated.declarations;
  } catch {
    throw new UsageError(
      "Cannot write hatch.d.ts: this hatch was not built with its declarations",
      'Build it with "make build" (scripts/build.ts generates them from src/mod.ts)',
    );
  }
}

export async function runScriptFile({ positionals }: Invocation): Promise<number> {
  const [script, ...args] = positionals;
  return runScript(script as string, args);
}

export async function runTypes({ positionals, out }: Invocation): Promise<number> {
  const dir = resolve(positionals[0] ?? ".");
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(`Cannot write types into "${positionals[0]}": no such directory`);
  }
  const { written, kept } = writeTypes(dir, await declarations());
  for (const f of written) out.print(`Wrote ${f}`);
  for (const k of kept) out.print(`Kept ${k.path} (${k.reason})`);
  out.print('Scripts in that folder now type-check: import { sync, env, host, backup } from "hatch"');
  return 0;
}
