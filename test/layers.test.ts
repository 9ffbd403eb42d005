// The layers of src/ (STYLE.md): each may import only the layers below it, and no module imports
// itself back through others. Read from the import statements of every source file.
import { expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const SRC = resolve(import.meta.dir, "..", "src");

/** Each layer and the layers it may import (itself included). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  core: ["core"],
  hosts: ["core", "hosts"],
  system: ["core", "system"],
  secrets: ["core", "hosts", "system", "secrets"],
  store: ["core", "hosts", "system", "secrets", "store"],
  apply: ["core", "hosts", "system", "secrets", "store", "apply"],
  api: ["core", "hosts", "system", "secrets", "store", "apply", "api"],
  "mod.ts": ["api", "apply", "core", "hosts", "store"],
  runtime: ["core", "system", "mod.ts", "runtime"],
  cli: ["core", "hosts", "system", "secrets", "store", "apply", "api", "runtime", "cli"],
  "assets.d.ts": [],
};

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (name.endsWith(".ts") && !name.endsWith(".test.ts")) out.push(p);
  }
  return out;
}

function layerOf(file: string): string {
  return relative(SRC, file).split("/")[0] as string;
}

/** Relative imports of a file (static and dynamic with a literal), resolved to files. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|^import\s+)"(\.{1,2}\/[^"]+\.ts)"/gm)) {
    out.push(resolve(dirname(file), m[1] as string));
  }
  return out;
}

const FILES = sources(SRC);
const GRAPH = new Map(FILES.map((f) => [f, importsOf(f)] as const));

test("every layer of src/ imports only the layers below it", () => {
  const offenders: string[] = [];
  for (const [file, imports] of GRAPH) {
    const from = layerOf(file);
    const allowed = MAY_IMPORT[from];
    if (!allowed) {
      offenders.push(`${relative(SRC, file)}: layer "${from}" is not in the table`);
      continue;
    }
    for (const target of imports) {
      const to = layerOf(target);
      if (!allowed.includes(to)) offenders.push(`${relative(SRC, file)} → ${relative(SRC, target)}`);
    }
  }
  expect(offenders).toEqual([]);
});

test("no module imports itself back through others (no cycles)", () => {
  const cycles: string[] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, "open");
    stack.push(f);
    for (const t of GRAPH.get(f) ?? []) {
      if (!GRAPH.has(t)) continue;
      const s = state.get(t);
      if (s === "open")
        cycles.push(
          stack
            .slice(stack.indexOf(t))
            .map((x) => relative(SRC, x))
            .join(" → "),
        );
      else if (s === undefined) visit(t);
    }
    stack.pop();
    state.set(f, "done");
  };
  for (const f of FILES) if (!state.has(f)) visit(f);
  expect(cycles).toEqual([]);
});

test("the layer table is read from real imports (a check that can fail)", () => {
  // api/ imports apply/ and store/: if the regex read nothing, these would be missing.
  const api = [...GRAPH].filter(([f]) => layerOf(f) === "api").flatMap(([, i]) => i.map(layerOf));
  expect(api).toContain("apply");
  expect(api).toContain("store");
  expect(FILES.length).toBeGreaterThan(50);
});
