// Hostile input: every codec, every host adapter and hatch's own state files are fed mutated real
// fixtures, random bytes, deep nesting, huge strings, duplicate keys, BOMs, invalid UTF-8 and NULs.
// The answer is a typed error (HostParseError, ConfigError, ServerValidationError, UsageError) or a
// correct result, never a crash, and a file hatch refuses is never written.
import { beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import fc from "fast-check";
import { sync } from "../../src/api/sync.ts";
import { defaultWorkspace, type Workspace } from "../../src/store/workspace.ts";
import { ConfigError, HostParseError, UsageError } from "../../src/core/errors.ts";
import { ServerValidationError } from "../../src/core/model.ts";
import { json, jsonc } from "../../src/hosts/_format/jsonc.ts";
import { toml } from "../../src/hosts/_format/toml.ts";
import { yaml } from "../../src/hosts/_format/yaml.ts";
import { HOSTS } from "../../src/hosts/registry.ts";
import { parseConfig } from "../../src/store/config.ts";
import { envPath, readEnv } from "../../src/store/envs.ts";
import { MemorySystem } from "../../src/system/system.ts";
import { claudeSource, FULL, record, requireBinary, runs, TempHome } from "./helpers.ts";

const TYPED = [HostParseError, ConfigError, ServerValidationError, UsageError];
const CODECS = { json, jsonc, toml, yaml };
const FIXTURES = join(import.meta.dir, "..", "fixtures", "hosts");

interface Fixture {
  host: string;
  file: string;
  text: string;
}
const fixtures: Fixture[] = [];
for (const host of readdirSync(FIXTURES)) {
  for (const c of readdirSync(join(FIXTURES, host))) {
    const dir = join(FIXTURES, host, c);
    if (!statSync(dir).isDirectory()) continue;
    for (const f of readdirSync(dir)) {
      if (f.startsWith("before."))
        fixtures.push({ host, file: join(dir, f), text: readFileSync(join(dir, f), "utf8") });
    }
  }
}

/** Calls f; returns "ok", or "typed" for one of hatch's typed errors; anything else is a crash. */
function outcome(f: () => unknown, crashes: string[], label: string): "ok" | "typed" {
  try {
    f();
    return "ok";
  } catch (e) {
    if (TYPED.some((T) => e instanceof T)) {
      if (!(e as Error).message) crashes.push(`${label}: typed error without a message`);
      return "typed";
    }
    crashes.push(`${label}: ${(e as Error)?.name}: ${String((e as Error)?.message).slice(0, 200)}`);
    return "typed";
  }
}

// Mutations of real text: structural characters, deletions, duplications, BOM, NUL, lone surrogates
// (what invalid UTF-8 decodes near), U+FFFD, control characters, deep nesting, a huge string.
const INSERTS = [
  "{",
  "}",
  "[",
  "]",
  '"',
  "'",
  ",",
  ":",
  "=",
  "#",
  "//",
  "/*",
  "\n",
  "\r\n",
  "\t",
  "- ",
  "\\",
  "\uFEFF",
  "\u0000",
  "\uD800",
  "\uDC00",
  "\uFFFD",
  "\u2028",
  "\u001b",
  "[[",
  "]]",
  "${",
  "{env:",
  "&a",
  "*a",
  "!!binary ",
  "<<: *a",
  "---\n",
  "...\n",
  '"""',
  "'''",
  "0x",
  "1e999",
  "-0",
  "NaN",
  "true",
  "null",
  "~",
];
const mutation = fc.oneof(
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), what: fc.constantFrom(...INSERTS) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant("dup" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 200 }) }),
  fc.record({
    kind: fc.constant("random" as const),
    at: fc.nat(),
    what: fc.string({ maxLength: 12, unit: "binary" }),
  }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;
function mutate(text: string, ms: readonly Mutation[]): string {
  let t = text;
  for (const m of ms) {
    const at = t.length ? m.at % (t.length + 1) : 0;
    if (m.kind === "insert" || m.kind === "random") t = t.slice(0, at) + m.what + t.slice(at);
    else if (m.kind === "delete") t = t.slice(0, at) + t.slice(at + m.len);
    else t = t.slice(0, at) + t.slice(at, at + m.len) + t.slice(at);
  }
  return t;
}

const NASTY: [string, string][] = [
  ["deep JSON arrays", `${"[".repeat(200_000)}${"]".repeat(200_000)}`],
  ["deep JSON objects", `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`],
  ["deep JSON unclosed", '{"mcpServers":'.repeat(100_000)],
  ["deep TOML arrays", `a = ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`],
  ["deep TOML inline tables", `a = ${"{b=".repeat(50_000)}1${"}".repeat(50_000)}\n`],
  ["deep YAML flow", `a: ${"[".repeat(50_000)}${"]".repeat(50_000)}\n`],
  ["deep YAML block", Array.from({ length: 5_000 }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n")],
  [
    "YAML alias bomb",
    `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nmcpServers: [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n`,
  ],
  ["huge string", `{"mcpServers": {"a": {"command": "${"x".repeat(8_000_000)}"}}}`],
  ["huge key", `{"${"k".repeat(2_000_000)}": 1}`],
  ["duplicate JSON keys", '{"mcpServers": {"a": {"command": "x"}, "a": {"command": "y"}}, "mcpServers": {}}'],
  ["duplicate TOML tables", '[mcp_servers.a]\ncommand = "x"\n[mcp_servers.a]\ncommand = "y"\n'],
  ["duplicate YAML keys", "extensions:\n  a: {cmd: x}\n  a: {cmd: y}\nmcpServers: {}\nmcpServers: {}\n"],
  ["BOM", '\uFEFF{"mcpServers": {"a": {"command": "x"}}}\n'],
  ["double BOM", '\uFEFF\uFEFF{"mcpServers": {}}'],
  ["NUL", '{"mcpServers": {"a\u0000b": {"command": "x\u0000"}}}\u0000'],
  ["lone surrogates", '{"mcpServers": {"\uD800": {"command": "\uDFFF"}}}'],
  [
    "__proto__",
    '{"__proto__": {"mcpServers": {"a": {"command": "x"}}}, "mcpServers": {"__proto__": {"command": "x"}, "constructor": {"command": "y"}}}',
  ],
  ["numbers", '{"mcpServers": {"a": {"command": "x", "timeout": 1e999, "args": [-0, 9007199254740993]}}}'],
  [
    "wrong types",
    '{"mcpServers": {"a": {"command": 1, "args": "x", "env": [1], "url": {}}, "b": null, "c": [], "d": "s"}}',
  ],
  ["top-level array", "[1,2,3]"],
  ["top-level string", '"mcpServers"'],
  ["empty", ""],
  ["whitespace", " \n\t\r\n"],
];

describe("codecs and adapters never crash on hostile input", () => {
  test("mutated real fixtures: every adapter's read and a sync into the file end in a typed error or a correct write", async () => {
    const numRuns = runs(150, 5_000);
    const crashes: string[] = [];
    const home = mkdtempSync(join(tmpdir(), "hatch-hostile-"));
    const adapters = new Map(HOSTS.map((h) => [h.id, h]));
    let typed = 0;
    let written = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...fixtures),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        async (fx, ms) => {
          const text = mutate(fx.text, ms);
          const adapter = adapters.get(fx.host);
          // The raw codec of the file's extension.
          const codec = { ".json": jsonc, ".jsonc": jsonc, ".toml": toml, ".yaml": yaml, ".yml": yaml }[
            extname(fx.file)
          ];
          if (codec) outcome(() => codec.parse(text, fx.file), crashes, `${fx.file} parse`);
          if (!adapter) return;
          const mem = new MemorySystem();
          const ws: Workspace = defaultWorkspace(
            { HOME: "/h", HATCH_HOME: join(home, ".hatch"), HATCH_PLATFORM: "linux", PATH: "/usr/bin" },
            mem,
          );
          const target = adapter.userPath(ws.ctx);
          const source = HOSTS.find((h) => h.id === "claude-desktop")?.userPath(ws.ctx);
          if (!target || !source || target === source) return;
          mem.writeAtomic(source, claudeSource(3));
          mem.writeAtomic(target, text);
          try {
            const r = await sync().withWorkspace(ws).from("claude-desktop").to(fx.host).noBackup().apply();
            const after = mem.readText(target);
            for (const o of r.outcomes) {
              if (o.status === "failed") crashes.push(`${fx.file}: sync failed: ${o.error}`);
              if (o.status === "unchanged" && after !== text)
                crashes.push(`${fx.file}: unchanged but rewritten`);
            }
            if (after !== text) {
              written++;
              outcome(() => adapter.format.parse(after ?? "", target), crashes, `${fx.file} re-read`);
            }
          } catch (e) {
            if (!TYPED.some((T) => e instanceof T))
              crashes.push(
                `${fx.file} sync: ${(e as Error)?.name}: ${String((e as Error)?.message).slice(0, 200)}`,
              );
            else typed++;
            if (mem.readText(target) !== text) crashes.push(`${fx.file}: written after a refusal`);
          }
        },
      ),
      { numRuns, seed: Number(process.env.HATCH_RELIABILITY_SEED) || 9 },
    );
    await record({
      scenario: "fuzz: mutated fixtures through every codec and adapter",
      runs: numRuns,
      failures: crashes.length,
      lost: 0,
      note: `${fixtures.length} fixtures; ${typed} typed refusals, ${written} correct writes`,
    });
    expect(crashes).toEqual([]);
  }, 600_000);

  test("random bytes (decoded as UTF-8, so invalid sequences become U+FFFD) through every codec", () => {
    const numRuns = runs(300, 10_000);
    const crashes: string[] = [];
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }),
        fc.constantFrom(...Object.keys(CODECS)),
        (bytes, name) => {
          const text = Buffer.from(bytes).toString("utf8");
          outcome(() => CODECS[name as keyof typeof CODECS].parse(text, "/x"), crashes, `${name} random`);
        },
      ),
      { numRuns },
    );
    expect(crashes).toEqual([]);
  });

  test.each(NASTY)(
    "%s: every codec answers with a result or a typed error",
    (_label, text) => {
      const crashes: string[] = [];
      const start = performance.now();
      for (const [name, codec] of Object.entries(CODECS))
        outcome(() => codec.parse(text, "/x"), crashes, name);
      for (const a of HOSTS) outcome(() => a.format.parse(text, "/x"), crashes, a.id);
      expect(crashes).toEqual([]);
      // Nor a hang: a 5,000-level YAML file once took 30 s per parse (a walk quadratic in depth).
      expect(performance.now() - start).toBeLessThan(30_000);
    },
    120_000,
  );

  test("config.yaml and environment files: mutated and hostile text gives ConfigError/HostParseError or a valid result", () => {
    const numRuns = runs(300, 5_000);
    const crashes: string[] = [];
    const config =
      "hosts:\n  staging-claude:\n    type: claude-desktop\n    path: /srv/a.json\ngroups:\n  prod: [staging-claude, cursor]\n";
    const envText =
      '# env\ndescription: "prod"\nservers:\n  weather:\n    command: npx\n    args: ["-y", "w"]\n    env: {K: "${K}"}\n  remote:\n    url: https://x\n    transport: http\n';
    const home = mkdtempSync(join(tmpdir(), "hatch-hostile-env-"));
    fc.assert(
      fc.property(
        fc.constantFrom(config, envText, ...NASTY.map(([, t]) => t).filter((t) => t.length < 100_000)),
        fc.array(mutation, { maxLength: 6 }),
        (base, ms) => {
          const text = mutate(base, ms);
          outcome(() => parseConfig("/c/config.yaml", text), crashes, "config");
          const mem = new MemorySystem();
          const ws = defaultWorkspace(
            { HOME: "/h", HATCH_HOME: join(home, ".hatch"), HATCH_PLATFORM: "linux" },
            mem,
          );
          mem.writeAtomic(envPath(ws, "prod"), text);
          outcome(() => readEnv(ws, "prod"), crashes, "env");
        },
      ),
      { numRuns },
    );
    expect(crashes).toEqual([]);
  });
});

describe("the CLI refuses hostile host files with exit 2 and never writes them", () => {
  beforeAll(requireBinary);
  const files: [string, string, string | Buffer][] = [
    ["claude-desktop", "bad.json", Buffer.from([0x7b, 0x22, 0x6d, 0xff, 0xfe, 0x22, 0x3a, 0x00, 0x7d])],
    ["cursor", "deep.json", `${"[".repeat(100_000)}`],
    ["vscode", "nul.json", '{\n  "servers": {\u0000}\n}\n'],
    ["codex", "dup.toml", '[mcp_servers.a]\ncommand = "x"\n[mcp_servers.a]\ncommand = "y"\n'],
    ["goose", "tabs.yaml", "extensions:\n\ta: [\n"],
    ["kiro", "bom-garbage.json", '\uFEFF{"mcpServers": {"a": }'],
    ["gemini", "array.json", "[1, 2]\n"],
  ];

  test.each(files)("%s %s", (type, file, content) => {
    const h = new TempHome();
    h.write("hosts/src.json", claudeSource(2));
    expect(
      h.run(["host", "add", "src", "--type", "claude-desktop", "--path", h.path("hosts/src.json")]).code,
    ).toBe(0);
    const p = h.path("hosts", file);
    writeFileSync(p, content);
    expect(h.run(["host", "add", "bad", "--type", type, "--path", p]).code).toBe(0);
    const before = readFileSync(p);
    const mtime = statSync(p).mtimeMs;
    Bun.sleepSync(20);
    for (const args of [
      ["mcp", "sync", "--from-host", "src", "--to-host", "bad", "--auto-approve"],
      ["mcp", "sync", "--from-host", "bad", "--to-host", "src", "--auto-approve"],
      ["mcp", "configure", "x", "--host", "bad", "--command", "node", "--auto-approve"],
      ["mcp", "remove", "server", "a", "--host", "bad", "--auto-approve"],
      ["mcp", "list", "servers", "--host", "bad"],
    ]) {
      const r = h.run(args);
      expect({ args: args.join(" "), code: r.code }).toEqual({ args: args.join(" "), code: 2 });
      expect(r.stderr).toContain(p);
      expect(r.stderr).not.toMatch(/RangeError|TypeError|Maximum call stack|\n\s+at /);
      expect(readFileSync(p).equals(before)).toBe(true);
      expect(statSync(p).mtimeMs).toBe(mtime);
    }
    expect(readFileSync(h.path("hosts/src.json"), "utf8")).toBe(claudeSource(2));
  });

  test("a corrupted config.yaml: exit 2, the file untouched", () => {
    const h = new TempHome();
    const p = h.write(".hatch/config.yaml", "hosts:\n  a: [\u0000\n");
    const mtime = statSync(p).mtimeMs;
    for (const args of [
      ["host", "list"],
      ["host", "add", "x", "--type", "cursor", "--path", "/tmp/x.json"],
    ]) {
      const r = h.run(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("config.yaml");
    }
    expect(readFileSync(p, "utf8")).toBe("hosts:\n  a: [\u0000\n");
    expect(statSync(p).mtimeMs).toBe(mtime);
  });
});

if (FULL) console.log(`reliability: hostile fixtures = ${fixtures.length}`);
