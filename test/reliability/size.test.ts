// Size: a 20 MB host file with 20,000 servers can be listed and synced into, in bounded memory
// (peak RSS of the compiled binary, measured by the kernel for the child process).
import { beforeAll, expect, test } from "bun:test";
import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { BIN, claudeSource, FULL, record, requireBinary, TempHome } from "./helpers.ts";

beforeAll(requireBinary);

/**
 * Peak RSS comes from time(1), which runs the binary as its own child: Bun's resourceUsage() for
 * a spawned process also counts the memory it inherits from this test process when forked (a
 * test run that has grown to 400 MB reports 400 MB for `true`), so it is no measure here.
 */
const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

/** Runs the binary; returns its output, time and peak RSS in MB (NaN without time(1)). */
function measured(
  h: TempHome,
  args: string[],
): { code: number; stdout: string; stderr: string; rssMb: number; ms: number } {
  const report = join(h.home, "time-report.txt");
  const start = performance.now();
  const p = Bun.spawnSync(TIME ? [TIME, "-f", "%M", "-o", report, BIN, ...args] : [BIN, ...args], {
    env: h.env(),
    cwd: h.home,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const ms = performance.now() - start;
  // The last line of the report is the peak in KB (a line before it tells a non-zero exit).
  const rssMb = TIME ? Number(readFileSync(report, "utf8").trim().split("\n").pop()) / 1024 : Number.NaN;
  return { code: p.exitCode ?? -1, stdout: p.stdout.toString(), stderr: p.stderr.toString(), rssMb, ms };
}

test("a host file of tens of thousands of servers: list and sync into it work in bounded memory", () => {
  const n = Number(process.env.HATCH_RELIABILITY_SIZE) || (FULL ? 20_000 : 2_000);
  const h = new TempHome();
  // ~1 KB per server: 20,000 servers make a 20 MB file.
  const big = h.write("hosts/big.json", claudeSource(n, "big", 800));
  const sizeMb = statSync(big).size / 1e6;
  // The source updates 100 of the big file's servers and adds 100 new ones.
  const src = JSON.parse(claudeSource(100, "big", 800));
  for (const s of Object.values(src.mcpServers) as { env: Record<string, string> }[]) s.env.REGION = "ap";
  Object.assign(src.mcpServers, JSON.parse(claudeSource(100, "new")).mcpServers);
  h.write("hosts/src.json", `${JSON.stringify(src, null, 2)}\n`);
  expect(h.run(["host", "add", "big", "--type", "claude-desktop", "--path", big]).code).toBe(0);
  expect(
    h.run(["host", "add", "src", "--type", "claude-desktop", "--path", h.path("hosts/src.json")]).code,
  ).toBe(0);

  const list = measured(h, ["mcp", "list", "servers", "--host", "big", "--json"]);
  expect(list.stderr).toBe("");
  expect(list.code).toBe(0);
  // The whole document arrives through a pipe (it used to be cut at a few hundred KB).
  const listed = JSON.parse(list.stdout) as { servers: { name: string }[] };
  expect(listed.servers.length).toBe(n);
  expect(listed.servers.some((x) => x.name === `big-${String(n - 1).padStart(4, "0")}`)).toBe(true);

  const before = readFileSync(big, "utf8");
  const s = measured(h, ["mcp", "sync", "--from-host", "src", "--to-host", "big", "--auto-approve"]);
  expect(s.stderr).toBe("");
  expect(s.code).toBe(0);
  const after = JSON.parse(readFileSync(big, "utf8"));
  const names = Object.keys(after.mcpServers);
  expect(names.length).toBe(n + 100);
  expect(after.mcpServers["big-0050"].env.REGION).toBe("ap");
  expect(after.mcpServers["new-0099"].command).toBe("npx");
  // Untouched servers keep their bytes: big-0100 … the last one are the same text as before.
  const last = `"big-${String(n - 1).padStart(4, "0")}"`;
  const from = before.indexOf(`"big-0100"`);
  const untouched = before.slice(from, before.indexOf("\n    }", before.indexOf(last)) + 6);
  expect(untouched.length).toBeGreaterThan(before.length * 0.9);
  expect(readFileSync(big, "utf8").includes(untouched)).toBe(true);
  expect(h.run(["mcp", "backup", "verify"]).code).toBe(0);

  // Bounded memory: a few times the file, not a blow-up per server.
  const peak = Math.max(list.rssMb, s.rssMb);
  if (TIME) expect(peak).toBeLessThan(300 + 25 * sizeMb);
  const note = `${sizeMb.toFixed(1)} MB file: list ${Math.round(list.ms)} ms / ${Math.round(list.rssMb)} MB peak RSS, sync ${Math.round(s.ms)} ms / ${Math.round(s.rssMb)} MB peak RSS`;
  rmSync(h.home, { recursive: true, force: true }); // 20 MB file and its backup
  return record({ scenario: `${n} servers in one host file`, runs: 2, failures: 0, lost: 0, note });
}, 600_000);
