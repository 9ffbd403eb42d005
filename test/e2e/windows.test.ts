// Windows behaviour on any OS: the compiled binary with HATCH_PLATFORM=win32 resolves host files
// under %USERPROFILE% / %APPDATA% / %LOCALAPPDATA% with backslashes, and writes `npx` servers for
// Claude Desktop as `cmd /c npx …`.
//
// On Linux a Windows path such as C:\Users\u\AppData\Roaming\Claude\claude_desktop_config.json is
// not absolute: it is one file name (backslashes are ordinary characters) relative to the working
// directory. So each run here happens in a fresh temp directory, and the file hatch writes for
// Claude Desktop is that oddly named file in it: the real apply path (backup, atomic write, read
// back, verify) runs end to end, and the test reads what a Windows user would get.
import { describe, expect, test } from "bun:test";
import { HOSTS } from "../../src/hosts/registry.ts";
import { type RunResult, TempHome } from "./harness.ts";

const USERPROFILE = "C:\\Users\\u";
const APPDATA = "D:\\Roaming";
const LOCALAPPDATA = "E:\\Local";
const CLAUDE = `${APPDATA}\\Claude\\claude_desktop_config.json`;

function win(th: TempHome, args: string[], extra: Record<string, string> = {}): RunResult {
  return th.run(args, {
    env: { HATCH_PLATFORM: "win32", USERPROFILE, APPDATA, LOCALAPPDATA, ...extra },
    cwd: th.home,
  });
}

describe("HATCH_PLATFORM=win32", () => {
  test("discover hosts: every registered host's file is a backslashed path under USERPROFILE, APPDATA or LOCALAPPDATA", () => {
    const th = new TempHome();
    const r = win(th, ["mcp", "discover", "hosts", "--json"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      platform: string;
      hosts: { host: string; path: string | null }[];
    };
    expect(doc.platform).toBe("win32");
    expect(doc.hosts.map((h) => h.host)).toEqual(HOSTS.map((h) => h.id));
    const paths = new Map(doc.hosts.map((h) => [h.host, h.path]));
    expect(paths.get("claude-desktop")).toBe(CLAUDE);
    expect(paths.get("cursor")).toBe(`${USERPROFILE}\\.cursor\\mcp.json`);
    expect(paths.get("vscode")).toBe(`${APPDATA}\\Code\\User\\mcp.json`);
    expect(paths.get("claude-code")).toBe(`${USERPROFILE}\\.claude.json`);
    expect(paths.get("codex")).toBe(`${USERPROFILE}\\.codex\\config.toml`);
    const withPath = doc.hosts.filter((h) => h.path !== null);
    expect(withPath.length).toBeGreaterThan(10);
    for (const h of withPath) {
      expect(h.path).not.toContain("/");
      expect(h.path).not.toContain(th.home);
      expect([USERPROFILE, APPDATA, LOCALAPPDATA].some((root) => h.path?.startsWith(`${root}\\`))).toBe(true);
    }
  });

  test("without APPDATA, roaming files live under USERPROFILE\\AppData\\Roaming", () => {
    const th = new TempHome();
    const r = th.run(["mcp", "discover", "hosts", "claude-desktop", "--json"], {
      env: { HATCH_PLATFORM: "win32", USERPROFILE },
    });
    expect(JSON.parse(r.stdout).hosts[0].path).toBe(
      `${USERPROFILE}\\AppData\\Roaming\\Claude\\claude_desktop_config.json`,
    );
  });

  test("sync into claude-desktop writes npx as cmd /c npx, reads it back as npx, and is then in sync", () => {
    const th = new TempHome();
    expect(win(th, ["env", "create", "production"]).code).toBe(0);
    const add = win(th, [
      "mcp",
      "configure",
      "weather-api",
      "--env",
      "production",
      "--command",
      "npx",
      "--args=-y",
      "--args",
      "@example/weather-mcp",
      "--auto-approve",
    ]);
    expect(add.code).toBe(0);

    const plan = win(th, [
      "mcp",
      "sync",
      "--from-env",
      "production",
      "--to-host",
      "claude-desktop",
      "--dry-run",
      "--json",
    ]);
    expect(plan.code).toBe(0);
    const host = JSON.parse(plan.stdout).hosts[0];
    expect(host.path).toBe(CLAUDE);
    expect(host.changes).toEqual([{ name: "weather-api", action: "add" }]);

    const sync = win(th, [
      "mcp",
      "sync",
      "--from-env",
      "production",
      "--to-host",
      "claude-desktop",
      "--auto-approve",
    ]);
    expect(sync.code).toBe(0);
    expect(sync.stdout).toContain("✓ claude-desktop: 1 server configured");
    const written = JSON.parse(th.read(CLAUDE));
    expect(written.mcpServers["weather-api"]).toEqual({
      command: "cmd",
      args: ["/c", "npx", "-y", "@example/weather-mcp"],
    });

    // The canonical view takes the wrapper off, so the host now matches the environment.
    const list = win(th, ["mcp", "list", "servers", "--host", "claude-desktop", "--json"]);
    const server = JSON.parse(list.stdout).servers[0];
    expect([server.command, server.args]).toEqual(["npx", ["-y", "@example/weather-mcp"]]);
    expect(
      win(th, ["mcp", "sync", "--from-env", "production", "--to-host", "claude-desktop", "--check"]).code,
    ).toBe(0);
  });

  test("the same sync on Linux writes npx unwrapped", () => {
    const th = new TempHome();
    th.run(["env", "create", "production"]);
    th.run([
      "mcp",
      "configure",
      "weather-api",
      "--env",
      "production",
      "--command",
      "npx",
      "--args=-y",
      "--auto-approve",
    ]);
    const r = th.run([
      "mcp",
      "sync",
      "--from-env",
      "production",
      "--to-host",
      "claude-desktop",
      "--auto-approve",
    ]);
    expect(r.code).toBe(0);
    const written = JSON.parse(th.read(".config/Claude/claude_desktop_config.json"));
    expect(written.mcpServers["weather-api"]).toEqual({ command: "npx", args: ["-y"] });
  });
});
