// Profile-guided layout of the binary's bytecode (`bun build --bytecode-order`). A run of a binary
// built with --bytecode and BUN_BYTECODE_ORDER_OUT=FILE set records which functions it used; a
// build given those files places that bytecode together at the front, so a run reads and decodes
// fewer pages to start. scripts/build.ts records the runs below with the binary it has just
// built, then builds again with them (scripts/release.ts hands the same files to each cross-compiled
// target: a profile names functions, not machine code). A profile whose functions have since
// changed still applies to the rest; nothing else depends on it.
//
// Measured 2026-12-03 (Bun 1.4.5, the everyday sync: 20 servers into 5 JSON and JSONC files, with
// backup), fresh copies of both builds interleaved: 40 rounds, A/B 0.968 (63.7 → 61.8 ms), 31
// fewer page faults a run.
//
// The runs, most common first (a function the first run used is placed before the others'):
// a sync into the five JSON/JSONC hosts people sync most, `--version`, a sync into TOML, YAML and
// JSONC hosts (Codex, Goose, Zed, opencode), a dry run and `list servers`. Each runs in a throw-away
// HOME on the Linux layout (HATCH_PLATFORM=linux, the same on every build machine), against
// files that already hold the user's settings, comments and servers, as a sync mostly finds them.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

/** Where a build for this machine keeps the profiles it recorded (one file per run). */
export const ORDER_DIR = "dist/bytecode-order";

/** The recorded runs' names, most common first: the order the profiles are given to the build. */
const RUN_NAMES = ["everyday", "version", "formats", "dry-run", "list"] as const;

/** The profiles a build recorded into `dir`, most common first. */
export function orderFiles(dir: string = ORDER_DIR): string[] {
  return RUN_NAMES.map((n) => join(dir, `${n}.txt`)).filter((f) => existsSync(f));
}

/** The source's servers: local ones with arguments and env, remote ones with headers. */
function sourceServers(n: number, round: number): Record<string, unknown> {
  const servers: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    servers[`tool-${i}`] =
      i % 4 === 3
        ? {
            type: "http",
            url: `https://mcp.example.com/tool-${i}/v${round}`,
            headers: { Authorization: "Bearer ${TOOL_TOKEN}" },
          }
        : {
            command: "npx",
            args: ["-y", `@example/tool-${i}@${round}.0.0`, "--stdio"],
            env: { TOOL_HOME: "/opt/tool", LOG_LEVEL: i % 2 ? "info" : "debug" },
          };
  }
  return servers;
}

function own(k: number): Record<string, unknown> {
  return { command: "uvx", args: [`user-tool-${k}`, "--verbose"], env: { HOME_DIR: "/home/me" } };
}

function ownMap(n: number, wrap: (s: Record<string, unknown>) => Record<string, unknown> = (s) => s) {
  return Object.fromEntries(Array.from({ length: n }, (_, k) => [`user-tool-${k}`, wrap(own(k))]));
}

/** Host files as users keep them (HATCH_PLATFORM=linux paths under HOME). */
function seeds(home: string): Map<string, string> {
  const json = (o: unknown) => `${JSON.stringify(o, null, 2)}\n`;
  const vscodeServers = JSON.stringify(
    ownMap(5, (s) => ({ type: "stdio", ...s })),
    null,
    2,
  ).replace(/\n/g, "\n  ");
  return new Map([
    [join(home, ".config/Claude/claude_desktop_config.json"), json({ mcpServers: ownMap(5) })],
    [join(home, ".cursor/mcp.json"), json({ mcpServers: ownMap(5) })],
    [
      join(home, ".config/Code/User/mcp.json"),
      `// My settings\n{\n  "inputs": [], // keep this\n  /* servers */ "servers": ${vscodeServers},\n}\n`,
    ],
    [join(home, ".lmstudio/mcp.json"), json({ mcpServers: ownMap(5) })],
    [join(home, ".gemini/settings.json"), json({ theme: "Default", mcpServers: ownMap(5) })],
    [
      join(home, ".codex/config.toml"),
      '# Codex settings\nmodel = "o3"\napproval_policy = "on-request" # ask first\n\n[mcp_servers.user-tool-0]\ncommand = "uvx"\nargs = ["user-tool-0", "--verbose"]\n',
    ],
    [
      join(home, ".config/goose/config.yaml"),
      "# goose settings\nGOOSE_PROVIDER: openai # default\nextensions:\n  user-tool-0:\n    enabled: true\n    name: user-tool-0\n    type: stdio\n    cmd: uvx\n    args:\n    - user-tool-0\n    timeout: 300\n",
    ],
  ]);
}

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

function run(bin: string, args: string[], env: Record<string, string>, cwd: string): void {
  const p = Bun.spawnSync([bin, ...args], { env, cwd, stdout: "ignore", stderr: "pipe" });
  if (p.exitCode !== 0) {
    throw new Error(
      `bytecode order: hatch ${args.join(" ")} exited ${p.exitCode}: ${p.stderr.toString().trim()}`,
    );
  }
}

/**
 * Runs `bin` through the workloads above and writes one profile per run into `outDir`; returns
 * their paths, most common first.
 */
export function recordOrder(binary: string, outDir: string): string[] {
  const bin = resolve(binary);
  const out = resolve(outDir);
  const dir = mkdtempSync(join(tmpdir(), "hatch-order-"));
  try {
    const home = join(dir, "home");
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: home,
      HATCH_HOME: join(home, ".hatch"),
      HATCH_PLATFORM: "linux",
      NO_COLOR: "1",
    };
    for (const [p, text] of seeds(home)) write(p, text);
    const src = join(dir, "source", "claude.json");
    const source = (n: number, round: number) =>
      write(src, `${JSON.stringify({ numStartups: 3, mcpServers: sourceServers(n, round) }, null, 2)}\n`);
    source(16, 1);
    run(bin, ["host", "add", "src", "--type", "claude-code", "--path", src], env, dir);
    const json = "claude-desktop,cursor,vscode,lmstudio,gemini";
    const other = "codex,goose,zed,opencode";
    // The hosts already hold an older version of most of the source's servers: the recorded
    // syncs update entries and add new ones, the two paths of an everyday run.
    run(bin, ["mcp", "sync", "--from-host", "src", "--to-host", `${json},${other}`, "-y"], env, dir);
    // Then the source changes: every server's version, and four new servers.
    source(20, 2);
    mkdirSync(out, { recursive: true });
    const runs: Record<(typeof RUN_NAMES)[number], string[]> = {
      everyday: ["mcp", "sync", "--from-host", "src", "--to-host", json, "--auto-approve"],
      version: ["--version"],
      formats: ["mcp", "sync", "--from-host", "src", "--to-host", other, "--auto-approve"],
      "dry-run": ["mcp", "sync", "--from-host", "src", "--to-host", "all", "--dry-run"],
      list: ["mcp", "list", "servers", "--host", "cursor"],
    };
    const files: string[] = [];
    for (const name of RUN_NAMES) {
      const args = runs[name];
      const file = join(out, `${name}.txt`);
      rmSync(file, { force: true });
      run(bin, args, { ...env, BUN_BYTECODE_ORDER_OUT: file }, dir);
      files.push(file);
    }
    return files;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
