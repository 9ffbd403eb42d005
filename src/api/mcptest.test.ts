// biome-ignore-all lint/suspicious/noTemplateCurlyInString: env-var references are the test data
// testServers() against real processes (no binary needed); parseDuration()/formatDuration() tables.
import { describe, expect, test } from "bun:test";
import { resolve } from "node:path";
import { UsageError } from "../core/errors.ts";
import type { Server } from "../core/model.ts";
import { formatDuration, parseDuration, type TestItem, testServers } from "./mcptest.ts";

const FIX = resolve(import.meta.dir, "..", "..", "test", "fixtures", "mcp-servers");
const crash: Server = { command: "node", args: [resolve(FIX, "crash.mjs")] };
const item = (name: string, server: Server, host = "h"): TestItem => ({ host, name, server });

describe("parseDuration()", () => {
  test.each([
    ["10s", 10_000],
    ["500ms", 500],
    ["2m", 120_000],
    ["1.5s", 1_500],
    ["10", 10_000],
    ["0.25", 250],
    [" 3S ", 3_000],
  ])("reads %p as %p ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
  test.each(["", "0", "0ms", "-1s", "10 minutes", "1h", "abc", "1e3"])("refuses %p", (text) => {
    expect(() => parseDuration(text)).toThrow(UsageError);
  });
});

describe("formatDuration()", () => {
  test.each([
    [500, "500ms"],
    [10_000, "10s"],
    [1_500, "1.5s"],
    [120_000, "2m"],
    [90_000, "90s"],
  ])("writes %p ms as %p", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("testServers()", () => {
  test("redacts env values in the stderr it reports", async () => {
    const echoes: Server = {
      command: "node",
      args: [
        "-e",
        "console.error('key=' + process.env.KEY + ' other=' + process.env.OTHER); process.exit(4)",
      ],
      env: { KEY: "${HATCH_UNIT_KEY}", OTHER: "plain-secret" },
    };
    const r = await testServers([item("echoes", echoes)], {
      env: { PATH: process.env.PATH, HATCH_UNIT_KEY: "k-123456" },
    });
    expect(r.results[0]?.error).toEqual(
      expect.objectContaining({ kind: "exited", exitCode: 4, stderr: ["key=****** other=******"] }),
    );
  });

  test("skips disabled servers unless they are named", async () => {
    const off: Server = { ...crash, disabled: true };
    const all = await testServers([item("off", off)]);
    expect(all.results[0]).toEqual(expect.objectContaining({ status: "skipped", skipped: "disabled" }));
    expect(all.skipped).toBe(1);
    const named = await testServers([item("off", off)], { servers: ["off"] });
    expect(named.results[0]?.status).toBe("failed");
  });

  test("starts a server defined the same way in several hosts once, and reports it for each", async () => {
    const counter: Server = {
      command: "node",
      args: ["-e", "process.stderr.write('started ' + process.pid + '\\n'); process.exit(1)"],
    };
    const r = await testServers([item("c", counter, "a"), item("c", counter, "b")]);
    expect(r.results.map((x) => x.host)).toEqual(["a", "b"]);
    expect(r.results[0]?.error?.stderr).toEqual(r.results[1]?.error?.stderr);
  });

  test("reports results in input order and calls onResult once per server", async () => {
    const seen: number[] = [];
    const r = await testServers(
      [
        item("a", crash),
        item("b", { command: "hatch-not-installed-x" }),
        item("c", { command: "node", env: { X: "${HATCH_UNIT_UNSET}" } }),
      ],
      { env: { PATH: process.env.PATH }, concurrency: 2, onResult: (_r, i) => seen.push(i) },
    );
    expect(r.results.map((x) => x.server)).toEqual(["a", "b", "c"]);
    expect(r.results.map((x) => x.error?.kind)).toEqual(["exited", "command-not-found", "unset-variable"]);
    expect(seen.sort()).toEqual([0, 1, 2]);
    expect(r.failed).toBe(3);
  });

  test("an unknown name in `servers` is a UsageError with a suggestion", async () => {
    await expect(testServers([item("weather", crash)], { servers: ["wether"] })).rejects.toThrow(
      'Unknown server "wether": did you mean "weather"?',
    );
  });

  test("an aborted signal reports running servers as interrupted", async () => {
    const ac = new AbortController();
    const marker = `unit-abort-${process.pid}-${Date.now()}`;
    const hang: Server = { command: "node", args: [resolve(FIX, "hang.mjs"), marker] };
    const p = testServers([item("hang", hang)], { signal: ac.signal, timeoutMs: 30_000 });
    setTimeout(() => ac.abort(), 800);
    const started = performance.now();
    const r = await p;
    expect(r.results[0]?.error?.kind).toBe("interrupted");
    expect(performance.now() - started).toBeLessThan(5_000);
    const ps = Bun.spawnSync(["ps", "-eo", "args"], { stdout: "pipe" }).stdout.toString();
    expect(ps).not.toContain(marker);
  });
});
