// scripts/bench-minimal.ts is the floor `make bench` holds hatch to (bench/RESULTS.md): the
// smallest program doing a sync's work. It is a floor only while it does hatch's work, so it is held
// here to writing hatch's bytes, file for file, into every host type it knows, from files hatch
// itself seeded (settings, comments where the format has them, and servers of the user's own), and
// to the phases the bench reads from it. A floor that skipped a file, a server, a conversion or a
// layout would flatter every comparison made with it.
import { expect, test } from "bun:test";
import { cpSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { TempHome } from "./e2e/harness.ts";

const ROOT = join(import.meta.dir, "..");
const SCRIPT = join(ROOT, "scripts", "bench-minimal.ts");
const CLI = join(ROOT, "src", "cli", "entry.ts");

/** The bench's server shapes: stdio with args and env; every fourth an HTTP server with a header. */
function servers(prefix: string, n: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < n; i++)
    out[`${prefix}-${i}`] =
      i % 4 === 3
        ? { type: "http", url: `https://${prefix}-${i}.example.com/mcp`, headers: { "X-Tenant": `t-${i}` } }
        : {
            type: "stdio",
            command: "npx",
            args: ["-y", `@bench/${prefix}-${i}`, "--port", String(3000 + i)],
            env: { LOG_LEVEL: "info", REGION: `region-${i}` },
          };
  return out;
}

/** Every host type the smallest program knows, with the settings its file starts with. */
const COMMENTED_JSONC =
  '// My settings\n{\n  "theme": "dark", // keep this\n  /* block */ "telemetry": false,\n}\n';
const PLAIN_JSON = '{\n  "theme": "dark",\n  "recent": ["a", "b"]\n}\n';
const BASES: Record<string, [string, string]> = {
  "claude-desktop": ["json", PLAIN_JSON],
  "claude-code": ["json", PLAIN_JSON],
  cursor: ["json", PLAIN_JSON],
  lmstudio: ["json", PLAIN_JSON],
  kiro: ["json", PLAIN_JSON],
  windsurf: ["json", PLAIN_JSON],
  vscode: ["json", COMMENTED_JSONC],
  gemini: ["json", COMMENTED_JSONC],
  zed: ["json", COMMENTED_JSONC],
  opencode: ["json", COMMENTED_JSONC],
  codex: [
    "toml",
    '# Codex settings\nmodel = "o3"\napproval_policy = "on-request" # ask first\n\n[profiles.fast]\nmodel = "o4-mini"\n',
  ],
  goose: ["yaml", "# goose settings\nGOOSE_PROVIDER: openai # default\nGOOSE_MODEL: gpt-4o\n"],
};

function hatch(env: Record<string, string>, args: string[]): void {
  const r = Bun.spawnSync([process.execPath, CLI, ...args], { env, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`hatch ${args.join(" ")}: ${r.stderr.toString()}`);
}

/** Runs the smallest program with `args`; its output is checked by the caller. */
function minimal(args: string[], env: Record<string, string | undefined> = process.env) {
  return Bun.spawnSync([process.execPath, SCRIPT, ...args], { env, stderr: "pipe" });
}

/** The smallest program's target arguments: HOST=PATH. */
const targetArgs = (targets: readonly { type: string; path: string }[]) =>
  targets.map((t) => `${t.type}=${t.path}`);

/** A home whose custom hosts (one a type) hatch has seeded with the user's own servers. */
function workspace() {
  const home = new TempHome();
  const env = home.env();
  const source = home.write(
    "source/claude.json",
    `${JSON.stringify({ theme: "dark", mcpServers: servers("srv", 12) }, null, 2)}\n`,
  );
  const own = home.write(
    "own/claude.json",
    `${JSON.stringify({ mcpServers: servers("own", 4) }, null, 2)}\n`,
  );
  const targets = Object.entries(BASES).map(([type, [ext, text]]) => ({
    type,
    path: home.write(`targets/${type}.${ext}`, text),
  }));
  const hosts = [
    "hosts:",
    `  src:\n    type: claude-code\n    path: ${source}`,
    `  own:\n    type: claude-code\n    path: ${own}`,
    ...targets.map((t) => `  t-${t.type}:\n    type: ${t.type}\n    path: ${t.path}`),
  ];
  home.write(".hatch/config.yaml", `${hosts.join("\n")}\n`);
  const to = targets.map((t) => `t-${t.type}`).join(",");
  hatch(env, ["mcp", "sync", "--from-host", "own", "--to-host", to, "--auto-approve", "--no-backup"]);
  const seeds = home.path("seeds");
  cpSync(home.path("targets"), seeds, { recursive: true });
  const restore = () => {
    rmSync(home.path("targets"), { recursive: true, force: true });
    cpSync(seeds, home.path("targets"), { recursive: true });
  };
  return { dir: home.home, env, source, targets, to, restore };
}

test("writes hatch's bytes into every host type it knows, from files hatch seeded", () => {
  const w = workspace();
  hatch(w.env, ["mcp", "sync", "--from-host", "src", "--to-host", w.to, "--auto-approve", "--no-backup"]);
  const byHatch = w.targets.map((t) => readFileSync(t.path, "utf8"));
  w.restore();
  const r = minimal(["--no-backup", join(w.dir, "backups"), w.source, ...targetArgs(w.targets)]);
  expect(r.stderr.toString()).toBe("");
  expect(r.exitCode).toBe(0);
  w.targets.forEach((t, i) => {
    const text = readFileSync(t.path, "utf8");
    // Every source server the host can take (Claude Desktop: the local ones), and the user's own.
    expect(text).toContain("own-2");
    expect(text.includes("own-3")).toBe(t.type !== "claude-desktop");
    expect(text).toContain("srv-2");
    expect(text.includes("srv-3")).toBe(t.type !== "claude-desktop");
    expect({ host: t.type, text }).toEqual({ host: t.type, text: byHatch[i] as string });
  });
  expect(readFileSync(w.targets.find((t) => t.type === "zed")?.path as string, "utf8")).toContain(
    "// keep this",
  );
});

for (const backup of [true, false]) {
  test(`marks its phases as the bench reads them, and backs up only when asked${backup ? " (with backup)" : " (--no-backup)"}`, () => {
    const w = workspace();
    const trace = join(w.dir, "trace.jsonl");
    const backups = join(w.dir, "backups");
    const some = w.targets.filter((t) => ["cursor", "codex", "goose"].includes(t.type));
    const r = minimal([...(backup ? [] : ["--no-backup"]), backups, w.source, ...targetArgs(some)], {
      ...process.env,
      HATCH_TRACE: trace,
    });
    expect(r.stderr.toString()).toBe("");
    expect(r.exitCode).toBe(0);
    const marks = (JSON.parse(readFileSync(trace, "utf8").trim()) as [string, number][]).map(([l]) => l);
    const before = [
      "entry",
      "source read",
      ...some.map((t) => `planned ${t.path}`),
      "read and planned",
      "locked",
    ];
    expect(marks).toEqual(backup ? [...before, "backed up", "written", "recorded"] : [...before, "written"]);
    expect(readdirSync(w.dir).includes("backups")).toBe(backup);
    // Its locks are gone once it is done.
    expect(readdirSync(join(w.dir, "minimal-locks"))).toEqual([]);
  });
}

test("refuses a target it cannot write as hatch would, before writing anything", () => {
  const w = workspace();
  const cursor = w.targets.find((t) => t.type === "cursor")?.path as string;
  const before = readFileSync(cursor, "utf8");
  const r = minimal(["--no-backup", join(w.dir, "b"), w.source, `cursor=${cursor}`, `nosuch=${cursor}`]);
  expect(r.exitCode).not.toBe(0);
  expect(r.stderr.toString()).toContain("nosuch=");
  expect(readFileSync(cursor, "utf8")).toBe(before);
});
