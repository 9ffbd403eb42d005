// Runs the compiled binary against a temp HOME, chezmoi-style: command, exit code, files.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

export const BIN = resolve(import.meta.dir, "..", "..", "dist", "hatch");

/** Fails the suite at once, with the fix, when the compiled binary has not been built. */
export function requireBinary(): void {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "make build" first`);
}

/** User-scope host files under a Linux HOME (HATCH_PLATFORM=linux in every run). */
export const CLAUDE = ".config/Claude/claude_desktop_config.json";
export const CURSOR = ".cursor/mcp.json";
export const VSCODE = ".config/Code/User/mcp.json";
export const LMSTUDIO = ".lmstudio/mcp.json";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class TempHome {
  readonly home: string;
  constructor() {
    this.home = mkdtempSync(join(tmpdir(), "hatch-e2e-"));
  }
  path(...parts: string[]): string {
    return join(this.home, ...parts);
  }
  write(rel: string, text: string): string {
    const p = this.path(rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    return p;
  }
  read(rel: string): string {
    return readFileSync(this.path(rel), "utf8");
  }
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: this.home,
      HATCH_HOME: this.path(".hatch"),
      HATCH_PLATFORM: "linux",
      NO_COLOR: "1",
      ...extra,
    };
  }
  run(args: string[], opts: { env?: Record<string, string>; stdin?: string; cwd?: string } = {}): RunResult {
    const p = Bun.spawnSync([BIN, ...args], {
      env: this.env(opts.env),
      cwd: opts.cwd ?? this.home,
      stdin: opts.stdin !== undefined ? Buffer.from(opts.stdin) : "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    return { code: p.exitCode ?? -1, stdout: p.stdout.toString(), stderr: p.stderr.toString() };
  }
}

// Fixtures shared by the workflow tests: servers by name, host files, environment files.
export type Servers = Record<string, Record<string, unknown>>;

export function stdio(...names: string[]): Servers {
  return Object.fromEntries(names.map((n) => [n, { command: "npx", args: ["-y", `@acme/${n}`] }]));
}

export function hostJson(servers: Servers, key = "mcpServers"): string {
  return `${JSON.stringify({ [key]: servers }, null, 2)}\n`;
}

export function envYaml(description: string, servers: Servers): string {
  const lines = [`# hatch environment`, `description: ${description}`, "servers:"];
  for (const [name, s] of Object.entries(servers)) {
    lines.push(
      `  ${name}:`,
      `    command: ${s.command}`,
      `    args: [${(s.args as string[]).map((a) => JSON.stringify(a)).join(", ")}]`,
    );
  }
  return `${lines.join("\n")}\n`;
}
