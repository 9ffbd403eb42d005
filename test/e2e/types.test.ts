// `hatch types`: the declarations the compiled binary writes are generated from src/mod.ts, agree
// with it name for name, and type-check strictly in an empty folder with nothing installed.
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import ts from "typescript";
import { HOSTS } from "../../src/hosts/registry.ts";
import { requireBinary, TempHome } from "./harness.ts";

setDefaultTimeout(60_000);
beforeAll(requireBinary);

const ROOT = resolve(import.meta.dir, "..", "..");
const TSC = join(ROOT, "node_modules", ".bin", "tsc");

/** A folder holding only what `hatch types` wrote there. */
function typed(): { h: TempHome; dir: string; stdout: string } {
  const h = new TempHome();
  const dir = h.path("scripts");
  h.write("scripts/.keep", "");
  const r = h.run(["types", "scripts"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return { h, dir, stdout: r.stdout };
}

function tsc(dir: string, ...args: string[]): { code: number; out: string } {
  const p = Bun.spawnSync([TSC, "--strict", "--noEmit", "--pretty", "false", ...args], {
    cwd: dir,
    stdout: "pipe",
    stderr: "pipe",
  });
  return { code: p.exitCode ?? -1, out: p.stdout.toString() + p.stderr.toString() };
}

/** Names exported by `declare module "hatch"`, and which of them are values. */
function declared(text: string): { all: string[]; values: string[] } {
  const sf = ts.createSourceFile("hatch.d.ts", text, ts.ScriptTarget.Latest, true);
  const mod = sf.statements.find(
    (s): s is ts.ModuleDeclaration => ts.isModuleDeclaration(s) && s.name.text === "hatch",
  );
  const all: string[] = [];
  const values: string[] = [];
  const body = mod?.body && ts.isModuleBlock(mod.body) ? mod.body.statements : [];
  for (const s of body) {
    const exported = (ts.canHaveModifiers(s) ? (ts.getModifiers(s) ?? []) : []).some(
      (m) => m.kind === ts.SyntaxKind.ExportKeyword,
    );
    if (!exported) continue;
    if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        all.push(d.name.getText());
        values.push(d.name.getText());
      }
    } else if (ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s)) {
      all.push(s.name?.text ?? "");
      values.push(s.name?.text ?? "");
    } else if (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) {
      all.push(s.name.text);
    }
  }
  const uniq = (a: string[]) => [...new Set(a)].sort();
  return { all: uniq(all), values: uniq(values) };
}

/** Every name src/mod.ts exports (types too), read from its source. */
function modExports(): string[] {
  const text = readFileSync(join(ROOT, "src", "mod.ts"), "utf8");
  const sf = ts.createSourceFile("mod.ts", text, ts.ScriptTarget.Latest, true);
  const names: string[] = [];
  for (const s of sf.statements) {
    if (ts.isExportDeclaration(s) && s.exportClause && ts.isNamedExports(s.exportClause)) {
      for (const e of s.exportClause.elements) names.push(e.name.text);
    } else if (
      ts.canHaveModifiers(s) &&
      (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
    ) {
      throw new Error(`src/mod.ts declares something itself: ${s.getText().slice(0, 60)}`);
    }
  }
  return [...new Set(names)].sort();
}

describe("hatch types", () => {
  test("writes hatch.d.ts, the runtime's globals and a strict tsconfig.json into an empty folder", () => {
    const { dir, stdout } = typed();
    expect(readdirSync(dir).sort()).toEqual([".keep", "hatch-globals.d.ts", "hatch.d.ts", "tsconfig.json"]);
    expect(stdout).toContain(`Wrote ${join(dir, "hatch.d.ts")}`);
    const config = JSON.parse(readFileSync(join(dir, "tsconfig.json"), "utf8"));
    expect(config.compilerOptions.strict).toBe(true);
    expect(config.compilerOptions.noEmit).toBe(true);
    expect(config.compilerOptions.types).toEqual([]);
    expect(readFileSync(join(dir, "hatch.d.ts"), "utf8")).toContain('declare module "hatch" {');
  });

  test("leaves a tsconfig.json that exists as it is", () => {
    const h = new TempHome();
    h.write("tsconfig.json", '{ "compilerOptions": {} }\n');
    const r = h.run(["types"]);
    expect(r.code).toBe(0);
    expect(h.read("tsconfig.json")).toBe('{ "compilerOptions": {} }\n');
    expect(r.stdout).toContain("tsconfig.json (exists: left as it is)");
  });

  test("a folder that does not exist is a usage error (exit 2)", () => {
    const r = new TempHome().run(["types", "nope"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Cannot write types into "nope"');
  });

  test("hatch.d.ts exports exactly the names src/mod.ts exports, types included", () => {
    const { dir } = typed();
    const d = declared(readFileSync(join(dir, "hatch.d.ts"), "utf8"));
    expect(d.all).toEqual(modExports());
  });

  test("its values are what src/mod.ts exports at run time and what `hatch run` serves", async () => {
    const { h, dir } = typed();
    const d = declared(readFileSync(join(dir, "hatch.d.ts"), "utf8"));
    const mod = (await import("../../src/mod.ts")) as Record<string, unknown>;
    expect(d.values).toEqual(Object.keys(mod).sort());
    h.write(
      "scripts/keys.ts",
      'import * as hatch from "hatch";\nconsole.log(JSON.stringify(Object.keys(hatch).filter((k) => k !== "default").sort()));\n',
    );
    const r = h.run(["run", "scripts/keys.ts"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(d.values);
  });

  test("what it writes type-checks strictly, library checks included, with nothing installed", () => {
    const { dir } = typed();
    writeFileSync(
      join(dir, "use.ts"),
      `import { env, host, sync, UsageError, type Server } from "hatch";
const plan = await sync().from(env("production")).to(["cursor", "vscode"]).filter(/^(?!dev-)/).plan();
console.log(plan.summary(), plan.drift, process.argv.slice(2), Bun.version, import.meta.dir);
const s: Server = { command: "npx", args: ["-y", "x"] };
await Bun.sleep(1);
setTimeout(() => console.error(s, host("claude-desktop")), 1);
if (process.env.CI) process.exitCode = 3;
try {
  await sync().from("claude-desktop").to("all").apply();
} catch (e) {
  if (e instanceof UsageError) process.exit(2);
}
`,
    );
    const r = tsc(dir, "--skipLibCheck", "false");
    expect(r.out).toBe("");
    expect(r.code).toBe(0);
  });

  test("a script that misuses the API fails the check (the check is real)", () => {
    const { dir } = typed();
    writeFileSync(
      join(dir, "bad.ts"),
      'import { sync } from "hatch";\nconst n: number = await sync().plan();\nprocess.exit(n);\nundefinedGlobal();\n',
    );
    const r = tsc(dir);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain("bad.ts(2,");
    expect(r.out).toContain("bad.ts(4,1): error TS2304: Cannot find name 'undefinedGlobal'");
  });
});

describe("HostId", () => {
  test("registry.ts's HostId union holds every built-in id in HOSTS and nothing else", () => {
    const dir = mkdtempSync(join(tmpdir(), "hatch-hostid-"));
    const registry = join(ROOT, "src", "hosts", "registry.ts");
    const ids = HOSTS.map((h) => h.id);
    // A Record over the union: a missing key or an unknown one is an error.
    writeFileSync(
      join(dir, "check.ts"),
      `import type { HostId } from ${JSON.stringify(registry)};
export const all: Record<HostId, true> = { ${ids.map((i) => `${JSON.stringify(i)}: true`).join(", ")} };
`,
    );
    const r = tsc(
      dir,
      "--module",
      "preserve",
      "--moduleResolution",
      "bundler",
      "--target",
      "esnext",
      "--allowImportingTsExtensions",
      "--resolveJsonModule",
      "--skipLibCheck",
      "--typeRoots",
      join(ROOT, "node_modules", "@types"),
      "--types",
      "bun",
      "check.ts",
    );
    expect(r.out.split("\n").filter((l) => l.startsWith("check.ts"))).toEqual([]);
    expect(ids.length).toBeGreaterThan(30);
  });
});
