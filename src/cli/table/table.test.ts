// The command table stays light: what help, completions and parsing read is here, and the code of
// each command is imported when it runs. These tests hold the table's copies of engine facts to
// the engine, and the table's imports to light modules.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS, formatDuration } from "../../api/mcptest.ts";
import { HOSTS } from "../../hosts/registry.ts";
import { BUILT_IN_HOST_IDS, hostAdd } from "./host.ts";
import { COMMANDS } from "./index.ts";
import { mcpTestCommand } from "./mcptest.ts";

const SRC = resolve(import.meta.dir, "..", "..");

/** Modules a file loads when it is evaluated: its static imports that are not type-only. */
function staticImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const out: string[] = [];
  for (const m of text.matchAll(/^import\s+(?!type\s)(?:[^;"]*?\sfrom\s+)?"(\.{1,2}\/[^"]+\.ts)"/gm)) {
    out.push(resolve(dirname(file), m[1] as string));
  }
  return out;
}

/** Every module that evaluating `entry` evaluates, as paths under src/. */
function closure(entry: string): string[] {
  const seen = new Set<string>();
  const stack = [resolve(SRC, entry)];
  while (stack.length > 0) {
    const f = stack.pop() as string;
    if (seen.has(f)) continue;
    seen.add(f);
    stack.push(...staticImports(f));
  }
  return [...seen].map((f) => relative(SRC, f)).sort();
}

describe("the command table", () => {
  test("loads no command's code, no host adapter and no engine: only cli/, errors, paths and the system", () => {
    const loaded = closure("cli/main.ts");
    expect(loaded).toContain("cli/table/index.ts");
    expect(loaded).toContain("cli/table/sync.ts");
    const heavy = loaded.filter(
      (f) =>
        f.startsWith("cli/commands/") ||
        f === "cli/help-topics.ts" ||
        /^(api|apply|store|secrets|runtime)\//.test(f) ||
        (f.startsWith("hosts/") && f !== "hosts/_paths.ts"),
    );
    expect(heavy).toEqual([]);
  });

  test("every command runs through an import of its module", () => {
    for (const c of COMMANDS) expect(String(c.run)).toMatch(/import\("\.\.\/commands\/[a-z]+\.ts"\)/);
  });

  test("host add --type lists the registry's built-in hosts, in its order", () => {
    const ids = HOSTS.map((h) => h.id);
    expect<string[]>([...BUILT_IN_HOST_IDS]).toEqual(ids);
    expect(hostAdd.options.type?.complete).toEqual(ids);
    expect(hostAdd.options.type?.description).toContain(ids.join(", "));
  });

  test("mcp test's help states the engine's defaults", () => {
    expect(mcpTestCommand.options.timeout?.description).toContain(
      `(default ${formatDuration(DEFAULT_TIMEOUT_MS)})`,
    );
    expect(mcpTestCommand.options.concurrency?.description).toContain(`(default ${DEFAULT_CONCURRENCY})`);
  });
});
