// Shared by the reliability suite. HATCH_RELIABILITY=full (make test-reliability) runs the full
// counts; unset, each scenario runs a bounded form that fits in `make test`.
import { mkdirSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { BIN, TempHome } from "../e2e/harness.ts";

export { requireBinary } from "../e2e/harness.ts";
export { BIN, TempHome };

export const FULL = process.env.HATCH_RELIABILITY === "full";

/** The count for this run: `full` under HATCH_RELIABILITY=full, `bounded` otherwise. */
export function runs(bounded: number, full: number): number {
  const override = Number(process.env.HATCH_RELIABILITY_RUNS);
  if (Number.isInteger(override) && override > 0) return override;
  return FULL ? full : bounded;
}

/** A deterministic pseudo-random generator (mulberry32), so a failing run can be replayed from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Claude Desktop style source file with `n` stdio servers named `${prefix}-0000` …. */
export function claudeSource(n: number, prefix = "srv", pad = 0): string {
  const servers: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    const name = `${prefix}-${String(i).padStart(4, "0")}`;
    servers[name] = {
      command: "npx",
      args: ["-y", `@acme/${name}`, "--port", String(3000 + i), ...(pad ? ["x".repeat(pad)] : [])],
      env: { API_TOKEN: `tok-${i}`, REGION: i % 2 ? "eu" : "us" },
    };
  }
  return `${JSON.stringify({ mcpServers: servers, globalShortcut: "Ctrl+Space" }, null, 2)}\n`;
}

/** Files whose name marks them as one of hatch's temp files (`.NAME.hatch-PID-T.tmp`). */
export function strayTemps(dirs: readonly string[]): string[] {
  const out: string[] = [];
  for (const d of new Set(dirs)) {
    let names: string[] = [];
    try {
      names = readdirSync(d);
    } catch {
      continue;
    }
    for (const n of names) if (/\.hatch-\d+-[0-9a-z]+\.tmp$/.test(n)) out.push(join(d, n));
  }
  return out;
}

/** Every directory under `root` (inclusive). */
export function allDirs(root: string): string[] {
  const out = [root];
  for (const n of readdirSync(root)) {
    const p = join(root, n);
    if (statSync(p).isDirectory()) out.push(...allDirs(p));
  }
  return out;
}

export function ensureDir(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
}

/** Spawns the binary asynchronously; resolves with code and output. */
export async function runAsync(
  h: TempHome,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const p = Bun.spawn([BIN, ...args], {
    env: h.env(env),
    cwd: h.home,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(p.stdout).text(),
    new Response(p.stderr).text(),
    p.exited,
  ]);
  return { code, stdout, stderr };
}

/** Reliability figures, one line per scenario, appended to HATCH_RELIABILITY_REPORT when set. */
export async function record(row: {
  scenario: string;
  runs: number;
  failures: number;
  lost: number;
  note?: string;
}): Promise<void> {
  const file = process.env.HATCH_RELIABILITY_REPORT;
  const line = JSON.stringify({ ...row, full: FULL });
  if (process.env.HATCH_RELIABILITY_VERBOSE || FULL) console.log(`reliability: ${line}`);
  if (file) {
    const { appendFileSync } = await import("node:fs");
    appendFileSync(file, `${line}\n`);
  }
}
