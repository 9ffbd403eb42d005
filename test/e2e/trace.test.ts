// HATCH_TRACE=FILE (src/system/trace.ts): the phase marks `make bench` turns into its per-phase
// tables, from the compiled binary. Times are not asserted, only that the marks are there, in
// order, and that a run without the variable leaves no trace.
import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { CLAUDE, CURSOR, hostJson, LMSTUDIO, requireBinary, stdio, TempHome } from "./harness.ts";

beforeAll(requireBinary);

function seeded(): TempHome {
  const h = new TempHome();
  h.write(CLAUDE, hostJson(stdio("weather-api", "news-api")));
  h.write(CURSOR, "{}\n");
  h.write(LMSTUDIO, '{"mcpServers": {}}\n');
  return h;
}

const SYNC = [
  "mcp",
  "sync",
  "--from-host",
  "claude-desktop",
  "--to-host",
  "cursor,lmstudio",
  "--auto-approve",
];

describe("HATCH_TRACE", () => {
  test("a sync with backup appends one line of its phases, in the order they ran", () => {
    const h = seeded();
    const trace = h.path("trace.jsonl");
    expect(h.run(SYNC, { env: { HATCH_TRACE: trace } }).code).toBe(0);
    const lines = readFileSync(trace, "utf8").trim().split("\n");
    expect(lines).toHaveLength(1);
    const marks = JSON.parse(lines[0] as string) as [string, number][];
    expect(marks.map(([label]) => label)).toEqual([
      "entry",
      "loaded",
      "source read",
      "planned cursor",
      "planned lmstudio",
      "plan shown",
      "locked",
      "re-read under the locks",
      "backed up",
      "written",
      "recorded",
      "exit",
    ]);
    const times = marks.map(([, t]) => t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBeGreaterThan(0);
  });

  test("runs append, one line each; --version marks only its start and exit", () => {
    const h = seeded();
    const trace = h.path("trace.jsonl");
    expect(h.run([...SYNC.slice(0, -1), "--dry-run"], { env: { HATCH_TRACE: trace } }).code).toBe(0);
    expect(h.run(["--version"], { env: { HATCH_TRACE: trace } }).code).toBe(0);
    const lines = readFileSync(trace, "utf8").trim().split("\n");
    expect(lines).toHaveLength(2);
    const labels = (JSON.parse(lines[0] as string) as [string, number][]).map(([l]) => l);
    expect(labels).toContain("planned lmstudio");
    expect((JSON.parse(lines[1] as string) as [string, number][]).map(([l]) => l)).toEqual(["entry", "exit"]);
  });

  test("without it nothing is written", () => {
    const h = seeded();
    expect(h.run(SYNC).code).toBe(0);
    expect(existsSync(h.path("trace.jsonl"))).toBe(false);
  });
});
