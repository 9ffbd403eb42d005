// `hatch mcp sync` end to end: the compiled binary on a temp HOME, files checked on disk.
import { beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, symlinkSync } from "node:fs";
import { CLAUDE, CURSOR, LMSTUDIO, requireBinary, TempHome, VSCODE } from "./harness.ts";

beforeAll(requireBinary);

const claude = `{
  "mcpServers": {
    "weather-api": { "command": "npx", "args": ["-y", "weather"], "env": { "API_KEY": "s3cret" } },
    "news-aggregator": { "command": "uvx", "args": ["news"] },
    "file-manager": { "command": "npx", "args": ["-y", "fs", "/data"] },
    "dev-monitoring-tools": { "command": "python3", "args": ["-m", "mon"] }
  },
  "globalShortcut": "Ctrl+Space"
}
`;
const vscode = `{
  // my comment
  "inputs": [],
  "servers": {
    "mine": { "type": "stdio", "command": "node", "args": ["mine.js"] }
  }
}
`;

function seed(): TempHome {
  const h = new TempHome();
  h.write(CLAUDE, claude);
  h.write(CURSOR, '{\n  "mcpServers": {}\n}\n');
  h.write(VSCODE, vscode);
  h.write(LMSTUDIO, "{}\n");
  return h;
}

const yes = ["--auto-approve"];

describe("hatch mcp sync", () => {
  test("copies all servers to several hosts, in the tutorial's output shape", () => {
    const h = seed();
    const r = h.run([
      "mcp",
      "sync",
      "--from-host",
      "claude-desktop",
      "--to-host",
      "cursor,vscode,lmstudio",
      ...yes,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Synchronizing from host: claude-desktop");
    expect(r.stdout).toContain("Target hosts: cursor, vscode, lmstudio");
    expect(r.stdout).toContain(
      "Found servers: weather-api, news-aggregator, file-manager, dev-monitoring-tools",
    );
    expect(r.stdout).toContain("✓ cursor: 4 servers configured");
    expect(r.stdout).toContain("✓ vscode: 4 servers configured");
    expect(r.stdout).toContain("✓ lmstudio: 4 servers configured");
    expect(r.stdout).toContain("12 total server configurations synchronized");
    expect(r.stdout).not.toContain("s3cret");
    const cursor = JSON.parse(h.read(CURSOR));
    expect(Object.keys(cursor.mcpServers)).toEqual([
      "weather-api",
      "news-aggregator",
      "file-manager",
      "dev-monitoring-tools",
    ]);
    expect(cursor.mcpServers["weather-api"]).toEqual({
      command: "npx",
      args: ["-y", "weather"],
      env: { API_KEY: "s3cret" },
    });
    const vs = h.read(VSCODE);
    expect(vs).toContain("// my comment");
    expect(vs).toContain('"mine": { "type": "stdio", "command": "node", "args": ["mine.js"] }');
    expect(vs).toContain('"type": "stdio"');
    expect(h.read(CLAUDE)).toBe(claude);
  });

  test("--dry-run prints the plan and changes no byte", () => {
    const h = seed();
    const before = h.read(CURSOR);
    const r = h.run(["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor", "--dry-run"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("+ weather-api");
    expect(r.stdout).toContain("DRY RUN");
    expect(h.read(CURSOR)).toBe(before);
    expect(existsSync(h.path(".hatch"))).toBe(false);
  });

  test("a second identical sync changes no byte and no mtime, and makes no backup", () => {
    const h = seed();
    expect(
      h.run(["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor,vscode", ...yes]).code,
    ).toBe(0);
    const m1 = statSync(h.path(CURSOR)).mtimeMs;
    const m2 = statSync(h.path(VSCODE)).mtimeMs;
    const snaps = readdirSync(h.path(".hatch/backups/snapshots")).length;
    const r = h.run(["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor,vscode", ...yes]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("in sync");
    expect(statSync(h.path(CURSOR)).mtimeMs).toBe(m1);
    expect(statSync(h.path(VSCODE)).mtimeMs).toBe(m2);
    expect(readdirSync(h.path(".hatch/backups/snapshots")).length).toBe(snaps);
  });

  test("--check exits 3 on drift and 0 when in sync", () => {
    const h = seed();
    expect(
      h.run(["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor", "--check"]).code,
    ).toBe(3);
    h.run(["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor", ...yes]);
    expect(
      h.run(["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor", "--check"]).code,
    ).toBe(0);
  });

  test("--pattern matches from the start with lookahead; --servers and --pattern intersect", () => {
    const h = seed();
    let r = h.run([
      "mcp",
      "sync",
      "--from-host",
      "claude-desktop",
      "--to-host",
      "cursor",
      "--pattern",
      "^(?!dev-).*",
      ...yes,
    ]);
    expect(r.code).toBe(0);
    expect(Object.keys(JSON.parse(h.read(CURSOR)).mcpServers)).toEqual([
      "weather-api",
      "news-aggregator",
      "file-manager",
    ]);
    r = h.run([
      "mcp",
      "sync",
      "--from-host",
      "claude-desktop",
      "--to-host",
      "lmstudio",
      "--servers",
      "weather-api,dev-monitoring-tools",
      "--pattern",
      ".*api.*",
      ...yes,
    ]);
    expect(r.code).toBe(0);
    expect(Object.keys(JSON.parse(h.read(LMSTUDIO)).mcpServers)).toEqual(["weather-api"]);
  });

  test("an invalid pattern is exit 2 and writes nothing", () => {
    const h = seed();
    const before = h.read(CURSOR);
    const r = h.run([
      "mcp",
      "sync",
      "--from-host",
      "claude-desktop",
      "--to-host",
      "cursor",
      "--pattern",
      "(oops",
      ...yes,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Invalid pattern "(oops"');
    expect(h.read(CURSOR)).toBe(before);
  });

  test("a --servers name the source lacks is exit 2 naming it", () => {
    const h = seed();
    const r = h.run([
      "mcp",
      "sync",
      "--from-host",
      "claude-desktop",
      "--to-host",
      "cursor",
      "--servers",
      "nope",
      ...yes,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"nope"');
  });

  test("a malformed target stops the run before any write", () => {
    const h = seed();
    h.write(VSCODE, '{ "servers": { ');
    const before = h.read(CURSOR);
    const r = h.run(["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor,vscode", ...yes]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(h.path(VSCODE));
    expect(h.read(CURSOR)).toBe(before);
    expect(existsSync(h.path(".hatch"))).toBe(false);
  });

  test("an unknown target stops the run before any write, with a suggestion", () => {
    const h = seed();
    const before = h.read(CURSOR);
    const r = h.run(["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor,vscod", ...yes]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean "vscode"');
    expect(h.read(CURSOR)).toBe(before);
  });

  test("without a terminal and without --auto-approve it refuses with exit 2, even on EOF", () => {
    const h = seed();
    const before = h.read(CURSOR);
    const r = h.run(["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor"], { stdin: "" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--auto-approve");
    expect(h.read(CURSOR)).toBe(before);
    const r2 = h.run(["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor"], {
      stdin: "y\n",
    });
    expect(r2.code).toBe(2);
    expect(h.read(CURSOR)).toBe(before);
  });

  test("HATCH_AUTO_APPROVE=1 approves", () => {
    const h = seed();
    const r = h.run(["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor"], {
      env: { HATCH_AUTO_APPROVE: "1" },
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(h.read(CURSOR)).mcpServers["weather-api"]).toBeDefined();
  });

  test("additive by default; --mirror removes only servers the selection covers", () => {
    const h = seed();
    h.write(
      CURSOR,
      JSON.stringify({ mcpServers: { "old-api": { command: "x" }, keep: { command: "y" } } }, null, 2),
    );
    h.run(["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor", ...yes]);
    expect(Object.keys(JSON.parse(h.read(CURSOR)).mcpServers)).toContain("old-api");
    const r = h.run([
      "mcp",
      "sync",
      "--from-host",
      "claude-desktop",
      "--to-host",
      "cursor",
      "--pattern",
      ".*api",
      "--mirror",
      ...yes,
    ]);
    expect(r.code).toBe(0);
    const names = Object.keys(JSON.parse(h.read(CURSOR)).mcpServers);
    expect(names).not.toContain("old-api");
    expect(names).toContain("keep");
  });

  test("target-only fields of an existing entry are kept", () => {
    const h = seed();
    h.write(
      ".kiro/settings/mcp.json",
      JSON.stringify({
        mcpServers: {
          "weather-api": { command: "old", autoApprove: ["get_forecast"], disabled: false, custom: 1 },
        },
      }),
    );
    const r = h.run(["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "kiro", ...yes]);
    expect(r.code).toBe(0);
    const w = JSON.parse(h.read(".kiro/settings/mcp.json")).mcpServers["weather-api"];
    expect(w).toEqual({
      command: "npx",
      autoApprove: ["get_forecast"],
      disabled: false,
      custom: 1,
      args: ["-y", "weather"],
      env: { API_KEY: "s3cret" },
    });
  });

  test("a remote server is skipped for Claude Desktop with the reason, and --strict refuses", () => {
    const h = seed();
    h.write(
      CURSOR,
      JSON.stringify({
        mcpServers: { remote: { url: "https://mcp.example.com/mcp" }, local: { command: "x" } },
      }),
    );
    let r = h.run([
      "mcp",
      "sync",
      "--from-host",
      "cursor",
      "--to-host",
      "claude-desktop",
      "--strict",
      ...yes,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Strict mode");
    expect(h.read(CLAUDE)).toBe(claude);
    r = h.run(["mcp", "sync", "--from-host", "cursor", "--to-host", "claude-desktop", ...yes]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("! remote");
    expect(r.stdout).toContain("local (stdio) servers");
    const c = JSON.parse(h.read(CLAUDE));
    expect(c.mcpServers.local).toEqual({ command: "x" });
    expect(c.mcpServers.remote).toBeUndefined();
    expect(c.globalShortcut).toBe("Ctrl+Space");
  });

  test("env-var references are translated per host, and resolved (or refused) where the host has none", () => {
    const h = seed();
    h.write(
      CURSOR,
      JSON.stringify({
        mcpServers: {
          gh: { url: "https://api.example.com/mcp", headers: { Authorization: "Bearer ${env:GH_TOKEN}" } },
        },
      }),
    );
    // No target can take it (LM Studio has no interpolation): exit 2, nothing written.
    let r = h.run(["mcp", "sync", "--from-host", "cursor", "--to-host", "lmstudio", ...yes]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"GH_TOKEN" is not set');
    const lmBefore = h.read(LMSTUDIO);
    // One unset variable does not stop the targets that expand it themselves (issue 21): Claude
    // Code gets its own reference, LM Studio skips the server with the reason.
    r = h.run(["mcp", "sync", "--from-host", "cursor", "--to-host", "claude-code,lmstudio", ...yes]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("GH_TOKEN");
    expect(JSON.parse(h.read(".claude.json")).mcpServers.gh.headers).toEqual({
      Authorization: "Bearer ${GH_TOKEN}",
    });
    expect(h.read(LMSTUDIO)).toBe(lmBefore);
    r = h.run(["mcp", "sync", "--from-host", "cursor", "--to-host", "claude-code,lmstudio", ...yes], {
      env: { GH_TOKEN: "t0k" },
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(h.read(".claude.json")).mcpServers.gh).toEqual({
      type: "http",
      url: "https://api.example.com/mcp",
      headers: { Authorization: "Bearer ${GH_TOKEN}" },
    });
    expect(JSON.parse(h.read(LMSTUDIO)).mcpServers.gh.headers.Authorization).toBe("Bearer t0k");
    expect(r.stdout).not.toContain("t0k");
  });

  test("--json prints one document with the plan and the outcome", () => {
    const h = seed();
    const r = h.run([
      "mcp",
      "sync",
      "--from-host",
      "claude-desktop",
      "--to-host",
      "cursor",
      "--json",
      ...yes,
    ]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.source).toEqual(expect.objectContaining({ kind: "host", name: "claude-desktop" }));
    expect(doc.hosts[0].changes.filter((c: { action: string }) => c.action === "add").length).toBe(4);
    expect(doc.outcomes[0]).toEqual(
      expect.objectContaining({ host: "cursor", status: "written", servers: 4 }),
    );
    expect(typeof doc.backupId).toBe("string");
    expect(r.stdout).not.toContain("s3cret");
  });

  test("keeps the file mode and writes through a symlink", () => {
    const h = seed();
    const real = h.write("dotfiles/cursor-mcp.json", '{"mcpServers": {}}\n');
    chmodSync(real, 0o600);
    const link = h.path(CURSOR);
    Bun.spawnSync(["rm", link]);
    symlinkSync(real, link);
    const r = h.run(["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor", ...yes]);
    expect(r.code).toBe(0);
    expect(Bun.spawnSync(["test", "-L", link]).exitCode).toBe(0);
    expect(JSON.parse(h.read("dotfiles/cursor-mcp.json")).mcpServers["weather-api"]).toBeDefined();
    expect(statSync(real).mode & 0o777).toBe(0o600);
  });

  test("a directory where a target file should be stops the run before any write, naming the path", () => {
    const h = seed();
    Bun.spawnSync(["rm", h.path(CURSOR)]);
    mkdirSync(h.path(CURSOR));
    const before = h.read(LMSTUDIO);
    const r = h.run(["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "lmstudio,cursor", ...yes]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`"${h.path(CURSOR)}": it is a directory`);
    expect(h.read(LMSTUDIO)).toBe(before);
  });

  test("a target file that does not exist yet is created", () => {
    const h = seed();
    const r = h.run(["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "kiro", ...yes]);
    expect(r.code).toBe(0);
    expect(Object.keys(JSON.parse(h.read(".kiro/settings/mcp.json")).mcpServers).length).toBe(4);
  });
});

describe("hatch mcp sync --verify-servers", () => {
  const ROOT = `${import.meta.dir}/../..`;
  const good = {
    command: `${ROOT}/node_modules/.bin/bun`,
    args: [`${ROOT}/test/fixtures/mcp-servers/stdio-good.ts`],
  };
  const crash = { command: "node", args: [`${ROOT}/test/fixtures/mcp-servers/crash.mjs`] };

  test("tests the servers the sync just wrote, exit 0 when they answer", () => {
    const h = new TempHome();
    h.write(CLAUDE, JSON.stringify({ mcpServers: { good } }));
    h.write(CURSOR, "{}\n");
    const r = h.run([
      "mcp",
      "sync",
      "--from-host",
      "claude-desktop",
      "--to-host",
      "cursor",
      "--verify-servers",
      ...yes,
    ]);
    expect(r.stdout).toContain("Verifying servers...");
    expect(r.stdout).toMatch(/✓ cursor\/good: 2 tools/);
    expect(r.code).toBe(0);
  });

  test("a server that crashes makes the exit code 1, after the files are written", () => {
    const h = new TempHome();
    h.write(CLAUDE, JSON.stringify({ mcpServers: { good, crash } }));
    h.write(CURSOR, "{}\n");
    const r = h.run([
      "mcp",
      "sync",
      "--from-host",
      "claude-desktop",
      "--to-host",
      "cursor",
      "--verify-servers",
      ...yes,
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ cursor\/crash: .*exited with code 3/);
    expect(Object.keys(JSON.parse(h.read(CURSOR)).mcpServers)).toEqual(["good", "crash"]);
  });
});

describe("hatch mcp sync --to-env", () => {
  test("captures a host's servers into a new environment file with a header, then syncs it back out", () => {
    const h = seed();
    let r = h.run([
      "mcp",
      "sync",
      "--from-host",
      "claude-desktop",
      "--to-env",
      "captured",
      "--pattern",
      "^(?!dev-)",
      ...yes,
    ]);
    expect(r.code).toBe(0);
    const text = h.read(".hatch/envs/captured.yaml");
    expect(text).toStartWith('# hatch environment "captured"');
    expect(text).toContain('description: Captured from host "claude-desktop"');
    expect(text).toContain("weather-api:");
    expect(text).not.toContain("dev-monitoring-tools");
    r = h.run(["env", "show", "captured"]);
    expect(r.code).toBe(0);
    r = h.run(["mcp", "sync", "--from-env", "captured", "--to-host", "kiro", ...yes]);
    expect(r.code).toBe(0);
    expect(Object.keys(JSON.parse(h.read(".kiro/settings/mcp.json")).mcpServers)).toEqual([
      "weather-api",
      "news-aggregator",
      "file-manager",
    ]);
  });
});

describe("--project DIR", () => {
  test("sync writes the hosts' project files; list reads them; user files stay untouched", () => {
    const h = seed();
    const userCursor = h.read(CURSOR);
    h.write("app/.cursor/mcp.json", '{\n  // project servers\n  "mcpServers": {}\n}\n');
    let r = h.run([
      "mcp",
      "sync",
      "--from-host",
      "claude-desktop",
      "--to-host",
      "cursor,claude-code",
      "--project",
      "app",
      ...yes,
    ]);
    expect(r.code).toBe(0);
    expect(h.read("app/.cursor/mcp.json")).toContain("// project servers");
    expect(Object.keys(JSON.parse(h.read("app/.mcp.json")).mcpServers)).toContain("weather-api");
    expect(h.read(CURSOR)).toBe(userCursor);
    expect(existsSync(h.path(".claude.json"))).toBe(false);
    r = h.run(["mcp", "list", "servers", "--host", "cursor", "--project", "app", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).servers.length).toBe(4);
  });

  test("a target without a project file is refused at project scope", () => {
    const h = seed();
    const r = h.run([
      "mcp",
      "sync",
      "--from-host",
      "cursor",
      "--to-host",
      "lmstudio",
      "--project",
      ".",
      ...yes,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Host "lmstudio" has no project scope');
  });

  test("a string option takes a value that starts with a dash", () => {
    const h = seed();
    const r = h.run([
      "mcp",
      "sync",
      "--from-host",
      "claude-desktop",
      "--to-host",
      "cursor",
      "--pattern",
      "-nothing",
      "--dry-run",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Found servers: (none)");
  });
});
