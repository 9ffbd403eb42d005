// biome-ignore-all lint/suspicious/noTemplateCurlyInString: env-var references are the test data
// `hatch mcp test` of the compiled binary against real MCP servers (test/fixtures/mcp-servers):
// a good stdio server, one that crashes, one that hangs, one that is not installed, one that
// refuses to initialize, and an HTTP server on 127.0.0.1 (Streamable HTTP, SSE, and a 401).
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Subprocess } from "bun";
import { BIN, CURSOR, TempHome } from "./harness.ts";

const ROOT = resolve(import.meta.dir, "..", "..");
const BUN = resolve(ROOT, "node_modules", ".bin", "bun");
const FIX = resolve(ROOT, "test", "fixtures", "mcp-servers");
const SECRET = "s3cret-token-value-42";

// Every test starts real processes through the compiled binary; a loaded machine needs time.
setDefaultTimeout(60_000);

let http: Subprocess<"ignore", "pipe", "inherit"> | undefined;
let base = "";

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "make build" first`);
  http = Bun.spawn([BUN, resolve(FIX, "http-server.ts")], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HTTP_FIXTURE_TOKEN: SECRET },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "inherit",
  });
  const reader = http.stdout.getReader();
  let text = "";
  const deadline = Date.now() + 10_000;
  while (!/listening (\d+)\n/.test(text)) {
    if (Date.now() > deadline) throw new Error(`HTTP fixture did not start: ${text}`);
    const { value, done } = await reader.read();
    if (done) throw new Error(`HTTP fixture exited: ${text}`);
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  base = `http://127.0.0.1:${/listening (\d+)/.exec(text)?.[1]}`;
});

afterAll(() => {
  http?.kill();
});

function marker(): string {
  return `hatch-mcptest-${process.pid}-${Math.random().toString(36).slice(2)}`;
}

/** Command lines of running processes that contain `needle`. */
function processesWith(needle: string): string[] {
  const ps = Bun.spawnSync(["ps", "-eo", "pid,args"], { stdout: "pipe" });
  return ps.stdout
    .toString()
    .split("\n")
    .filter((l) => l.includes(needle));
}

function cursorHome(servers: Record<string, unknown>): TempHome {
  const h = new TempHome();
  h.write(CURSOR, `${JSON.stringify({ mcpServers: servers }, null, 2)}\n`);
  return h;
}

const good = (extra: Record<string, unknown> = {}) => ({
  command: BUN,
  args: [resolve(FIX, "stdio-good.ts")],
  ...extra,
});
const crash = { command: "node", args: [resolve(FIX, "crash.mjs")] };
const hang = (m: string) => ({ command: "node", args: [resolve(FIX, "hang.mjs"), m] });
const badProtocol = { command: "node", args: [resolve(FIX, "bad-protocol.mjs")] };
const missing = { command: "hatch-no-such-mcp-server" };

interface JsonResult {
  host: string;
  server: string;
  status: string;
  tools?: string[];
  serverInfo?: { name: string; version: string };
  elapsedMs: number;
  error?: {
    kind: string;
    message: string;
    exitCode?: number;
    stderr?: string[];
    httpStatus?: number;
    variables?: string[];
  };
}

function byName(stdout: string): Record<string, JsonResult> {
  const doc = JSON.parse(stdout) as { results: JsonResult[] };
  return Object.fromEntries(doc.results.map((r) => [r.server, r]));
}

describe("hatch mcp test: verdicts", () => {
  test("a good stdio server passes with its tool count, name and version, env resolved from ${env:VAR}", () => {
    const h = cursorHome({
      good: good({ env: { GREETING: "${env:HATCH_TEST_GREETING}", API_KEY: SECRET } }),
    });
    const r = h.run(["mcp", "test"], { env: { HATCH_TEST_GREETING: "hello" } });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    // The third tool exists only when GREETING reached the server.
    expect(r.stdout).toMatch(/^✓ cursor\/good: 3 tools \(fixture-good 1\.2\.3\) in \d+ ms$/m);
    expect(r.stdout).toContain("1 server tested: 1 passed");
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  test("each failure names its reason; the exit code is 1", () => {
    const m = marker();
    const h = cursorHome({ good: good(), crash, hang: hang(m), missing, "bad-protocol": badProtocol });
    const r = h.run(["mcp", "test", "--timeout", "2s"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✓ cursor\/good: 2 tools \(fixture-good 1\.2\.3\) in \d+ ms$/m);
    expect(r.stdout).toContain("✗ cursor/crash: exited with code 3 before answering\n");
    expect(r.stdout).toContain("│ fatal: cannot open database at /nonexistent/db.sqlite");
    expect(r.stdout).toContain("✗ cursor/hang: timed out after 2s waiting for initialize\n");
    expect(r.stdout).toContain(
      '✗ cursor/missing: command not found: "hatch-no-such-mcp-server" (not on PATH)\n',
    );
    expect(r.stdout).toContain("✗ cursor/bad-protocol: protocol error: MCP error -32603: database offline\n");
    expect(r.stdout).toContain("5 servers tested: 1 passed, 4 failed");
    expect(processesWith(m)).toEqual([]);
  });

  test("--json prints one document with a verdict per server", () => {
    const h = cursorHome({ good: good(), crash, missing });
    const r = h.run(["mcp", "test", "--json"]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.summary).toEqual({ total: 3, passed: 1, failed: 2, skipped: 0 });
    const res = byName(r.stdout);
    expect(res.good).toEqual(
      expect.objectContaining({
        host: "cursor",
        status: "ok",
        tools: ["echo", "add"],
        serverInfo: { name: "fixture-good", version: "1.2.3" },
      }),
    );
    expect(res.crash?.error).toEqual(expect.objectContaining({ kind: "exited", exitCode: 3 }));
    expect(res.crash?.error?.stderr).toContain("fatal: cannot open database at /nonexistent/db.sqlite");
    expect(res.missing?.error?.kind).toBe("command-not-found");
  });

  test("an unset variable fails that server, naming the variable; its value is never printed", () => {
    const h = cursorHome({
      needs: good({ env: { TOKEN: "${env:HATCH_TEST_UNSET_TOKEN}" } }),
      echoes: {
        command: "node",
        args: ["-e", "console.error('token is ' + process.env.TOKEN); process.exit(2)"],
        env: { TOKEN: "${env:HATCH_TEST_TOKEN}" },
      },
    });
    const r = h.run(["mcp", "test", "--json"], { env: { HATCH_TEST_TOKEN: SECRET } });
    expect(r.code).toBe(1);
    const res = byName(r.stdout);
    expect(res.needs?.error).toEqual(
      expect.objectContaining({ kind: "unset-variable", variables: ["HATCH_TEST_UNSET_TOKEN"] }),
    );
    expect(res.needs?.error?.message).toContain('"HATCH_TEST_UNSET_TOKEN" is not set');
    expect(res.echoes?.error?.stderr).toEqual(["token is ******"]);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  test("remote servers: Streamable HTTP, SSE, headers from variables, and an HTTP status", () => {
    const h = cursorHome({
      http: { url: `${base}/mcp` },
      sse: { url: `${base}/sse`, type: "sse" },
      private: { url: `${base}/private`, headers: { Authorization: "Bearer ${env:HATCH_TEST_HTTP_TOKEN}" } },
      denied: { url: `${base}/private`, headers: { Authorization: "Bearer wrong" } },
    });
    const r = h.run(["mcp", "test"], { env: { HATCH_TEST_HTTP_TOKEN: SECRET } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✓ cursor\/http: 3 tools \(fixture-http 0\.9\.0\) in \d+ ms$/m);
    expect(r.stdout).toMatch(/^✓ cursor\/sse: 1 tool \(fixture-http 0\.9\.0\) in \d+ ms$/m);
    expect(r.stdout).toMatch(/^✓ cursor\/private: 3 tools/m);
    expect(r.stdout).toMatch(/^✗ cursor\/denied: HTTP 401/m);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  test("a server nothing listens for fails with a connection error", () => {
    const h = cursorHome({ gone: { url: "http://127.0.0.1:9/mcp" } });
    const r = h.run(["mcp", "test"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✗ cursor\/gone: cannot connect to 127\.0\.0\.1:9/m);
  });
});

describe("hatch mcp test: time bound and clean-up", () => {
  test("a hanging server fails within the timeout, and its process group is gone afterwards", () => {
    const m = marker();
    const h = cursorHome({ hang: hang(m) });
    const started = performance.now();
    const r = h.run(["mcp", "test", "--timeout", "1500ms"]);
    const elapsed = performance.now() - started;
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("✗ cursor/hang: timed out after 1.5s waiting for initialize");
    expect(elapsed).toBeLessThan(1_500 + 3_000);
    // The fixture ignores SIGTERM and leaves a grandchild carrying the marker: both must be gone.
    expect(processesWith(m)).toEqual([]);
  });

  test("--concurrency bounds how many servers run at once", () => {
    const m = marker();
    const h = cursorHome({ a: hang(m), b: hang(m) });
    const started = performance.now();
    const r = h.run(["mcp", "test", "--timeout", "500ms", "--concurrency", "1", "--json"]);
    const elapsed = performance.now() - started;
    expect(r.code).toBe(1);
    // One at a time: two timeouts back to back.
    expect(elapsed).toBeGreaterThanOrEqual(1_000);
    expect(processesWith(m)).toEqual([]);
  });

  test("SIGINT kills every server started, reports them interrupted and exits 130", async () => {
    const m = marker();
    const h = cursorHome({ a: hang(m), b: hang(`${m}-b`) });
    const p = Bun.spawn([BIN, "mcp", "test", "--timeout", "60s"], {
      env: h.env(),
      cwd: h.home,
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    const deadline = Date.now() + 10_000;
    // Both servers and their grandchildren are up.
    while (processesWith(m).length < 4 && Date.now() < deadline) await Bun.sleep(50);
    expect(processesWith(m).length).toBe(4);
    const sent = performance.now();
    p.kill("SIGINT");
    const code = await p.exited;
    expect(performance.now() - sent).toBeLessThan(3_000);
    expect(code).toBe(130);
    const stdout = await new Response(p.stdout).text();
    expect(stdout).toContain("✗ cursor/a: interrupted");
    expect(processesWith(m)).toEqual([]);
  });
});

describe("hatch mcp test: selection and input", () => {
  test("--server tests only the named servers; an unknown one is an error naming it (exit 2)", () => {
    const h = cursorHome({ good: good(), crash });
    const ok = h.run(["mcp", "test", "--server", "good"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).not.toContain("crash");
    const bad = h.run(["mcp", "test", "--server", "goood"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Unknown server "goood": did you mean "good"?');
  });

  test("--env tests an environment's servers", () => {
    const h = new TempHome();
    h.write(
      ".hatch/envs/staging.yaml",
      `description: staging\nservers:\n  good:\n    command: ${JSON.stringify(BUN)}\n    args: [${JSON.stringify(resolve(FIX, "stdio-good.ts"))}]\n    env:\n      GREETING: "\${HATCH_TEST_MISSING:-hi}"\n`,
    );
    const r = h.run(["mcp", "test", "--env", "staging"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^✓ env:staging\/good: 3 tools/m);
  });

  test("--project tests the project-scope files in a directory", () => {
    const h = new TempHome();
    h.write("proj/.cursor/mcp.json", JSON.stringify({ mcpServers: { good: good() } }));
    h.write("proj/.mcp.json", JSON.stringify({ mcpServers: { crash } }));
    const r = h.run(["mcp", "test", "--project", h.path("proj")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✓ project:cursor\/good: 2 tools/m);
    expect(r.stdout).toContain("✗ project:claude-code/crash: exited with code 3");
  });

  test("--host takes a host list; a host without servers says so", () => {
    const h = cursorHome({ good: good() });
    h.write(".config/Claude/claude_desktop_config.json", '{ "mcpServers": {} }\n');
    const r = h.run(["mcp", "test", "--host", "claude-desktop"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("No MCP servers configured in claude-desktop");
    const both = h.run(["mcp", "test", "--host", "claude-desktop,cursor"]);
    expect(both.code).toBe(0);
    expect(both.stdout).toMatch(/^✓ cursor\/good/m);
  });

  test.each([
    [["--timeout", "soon"], 'Invalid --timeout "soon"'],
    [["--timeout", "0"], 'Invalid --timeout "0"'],
    [["--concurrency", "0"], 'Invalid --concurrency "0"'],
    [["--host", "cursr"], 'Unknown host "cursr"'],
    [["--host", "cursor", "--env", "x"], "Give --env alone"],
    [["--env", "nope"], 'Unknown environment "nope"'],
  ])("bad input %p exits 2", (args, message) => {
    const h = cursorHome({ good: good() });
    const r = h.run(["mcp", "test", ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  test("the timeout accepts a unit or a plain number of seconds", () => {
    const h = cursorHome({ good: good() });
    for (const [t, ms] of [
      ["2m", 120_000],
      ["30", 30_000],
    ] as const) {
      const r = h.run(["mcp", "test", "--timeout", t, "--json"]);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).timeoutMs).toBe(ms);
    }
  });

  test("--help shows usage and examples", () => {
    const r = new TempHome().run(["mcp", "test", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: hatch mcp test");
    expect(r.stdout).toContain("--timeout DURATION");
    expect(r.stdout).toContain("Examples:");
  });
});
