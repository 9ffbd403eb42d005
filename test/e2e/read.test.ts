// The read-only commands of the compiled binary on a temp HOME.
import { beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, statSync } from "node:fs";
import { HOSTS } from "../../src/hosts/registry.ts";
import { CLAUDE, requireBinary, TempHome } from "./harness.ts";

beforeAll(requireBinary);

const claudeText = `{
  "mcpServers": {
    "weather-api": { "command": "npx", "args": ["-y", "weather"], "env": { "API_KEY": "s3cret" } },
    "notes": { "command": "uvx", "args": ["notes-mcp"] }
  },
  "globalShortcut": "Ctrl+Space"
}
`;

describe("hatch --version and --help", () => {
  test("--version prints the version and commit", () => {
    const r = new TempHome().run(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^hatch \d+\.\d+\.\d+ \(\S+\)\n$/);
  });
  test("--help lists the commands", () => {
    const r = new TempHome().run(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("mcp discover hosts");
    expect(r.stdout).toContain("mcp list servers");
  });
  test("every command has --help with usage and an example", () => {
    const h = new TempHome();
    for (const cmd of [
      ["mcp", "discover", "hosts"],
      ["mcp", "list", "hosts"],
      ["mcp", "list", "servers"],
    ]) {
      const r = h.run([...cmd, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: hatch ${cmd.join(" ")}`);
      expect(r.stdout).toContain("Examples:");
    }
  });
  test("an unknown command suggests the closest one and exits 2", () => {
    const r = new TempHome().run(["mcp", "lst", "servers"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean "hatch mcp list servers"');
  });
  test("an unknown option is named and exits 2", () => {
    const r = new TempHome().run(["mcp", "list", "servers", "--hots", "cursor"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Unknown option "--hots"');
    expect(r.stderr).toContain('did you mean "--host"');
  });
});

describe("hatch mcp discover hosts", () => {
  test("lists every registered host with its path and whether it is installed", () => {
    const h = new TempHome();
    h.write(CLAUDE, claudeText);
    const r = h.run(["mcp", "discover", "hosts", "--json"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.hosts.map((x: { host: string }) => x.host)).toEqual(HOSTS.map((x) => x.id));
    const claude = doc.hosts.find((x: { host: string }) => x.host === "claude-desktop");
    expect(claude).toEqual(expect.objectContaining({ installed: true, path: h.path(CLAUDE) }));
    const cursor = doc.hosts.find((x: { host: string }) => x.host === "cursor");
    expect(cursor.installed).toBe(false);
  });
  test("HATCH_PLATFORM=win32 resolves paths under APPDATA and USERPROFILE", () => {
    const h = new TempHome();
    const r = h.run(["mcp", "discover", "hosts", "--json"], {
      env: {
        HATCH_PLATFORM: "win32",
        APPDATA: "C:\\Users\\u\\AppData\\Roaming",
        USERPROFILE: "C:\\Users\\u",
      },
    });
    expect(r.code).toBe(0);
    const paths = Object.fromEntries(
      JSON.parse(r.stdout).hosts.map((x: { host: string; path: string }) => [x.host, x.path]),
    );
    expect(paths["claude-desktop"]).toBe(
      "C:\\Users\\u\\AppData\\Roaming\\Claude\\claude_desktop_config.json",
    );
    expect(paths.cursor).toBe("C:\\Users\\u\\.cursor\\mcp.json");
    expect(paths.vscode).toBe("C:\\Users\\u\\AppData\\Roaming\\Code\\User\\mcp.json");
  });
  test("HATCH_PLATFORM=darwin resolves Application Support paths", () => {
    const h = new TempHome();
    const r = h.run(["mcp", "discover", "hosts", "--json"], { env: { HATCH_PLATFORM: "darwin" } });
    const paths = Object.fromEntries(
      JSON.parse(r.stdout).hosts.map((x: { host: string; path: string }) => [x.host, x.path]),
    );
    expect(paths["claude-desktop"]).toBe(
      h.path("Library/Application Support/Claude/claude_desktop_config.json"),
    );
    expect(paths.zed).toBe(h.path(".config/zed/settings.json"));
  });
});

describe("hatch mcp list servers", () => {
  test("lists a host's servers and redacts secrets in --json", () => {
    const h = new TempHome();
    h.write(CLAUDE, claudeText);
    const r = h.run(["mcp", "list", "servers", "--host", "claude-desktop", "--json"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.servers.map((s: { name: string }) => s.name)).toEqual(["notes", "weather-api"]);
    const w = doc.servers.find((s: { name: string }) => s.name === "weather-api");
    expect(w.command).toBe("npx");
    expect(w.env).toEqual({ API_KEY: "******" });
    expect(r.stdout).not.toContain("s3cret");
  });
  test("--show-secrets shows env values", () => {
    const h = new TempHome();
    h.write(CLAUDE, claudeText);
    const r = h.run(["mcp", "list", "servers", "--host", "claude-desktop", "--json", "--show-secrets"]);
    expect(JSON.parse(r.stdout).servers[1].env).toEqual({ API_KEY: "s3cret" });
  });
  test("human output is a table of the host's servers", () => {
    const h = new TempHome();
    h.write(CLAUDE, claudeText);
    const r = h.run(["mcp", "list", "servers", "--host", "claude-desktop"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("weather-api");
    expect(r.stdout).toContain("npx -y weather");
    expect(r.stdout).not.toContain("s3cret");
  });
  test("a malformed host file is an error naming the file, line and column, exit 2", () => {
    const h = new TempHome();
    const p = h.write(CLAUDE, '{\n  "mcpServers": {\n    "a": { "command": "x" }\n  ,\n}\n');
    const before = statSync(p).mtimeMs;
    const r = h.run(["mcp", "list", "servers", "--host", "claude-desktop"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(p);
    expect(r.stderr).toMatch(/line \d+, column \d+/);
    expect(r.stdout).not.toContain("No MCP servers");
    expect(statSync(p).mtimeMs).toBe(before);
  });
  test("without --host, a malformed file is reported and the exit code is 2", () => {
    const h = new TempHome();
    h.write(CLAUDE, claudeText);
    h.write(".cursor/mcp.json", "{ not json");
    const r = h.run(["mcp", "list", "servers"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("weather-api");
    expect(r.stderr).toContain(".cursor/mcp.json");
  });
  test("an unknown host gets a suggestion and exit 2", () => {
    const r = new TempHome().run(["mcp", "list", "servers", "--host", "cursr"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Unknown host "cursr": did you mean "cursor"?');
  });
  test("an invalid entry is reported, not silently dropped", () => {
    const h = new TempHome();
    h.write(".cursor/mcp.json", '{"mcpServers": {"ok": {"command": "x"}, "bad": {"args": ["no command"]}}}');
    const r = h.run(["mcp", "list", "servers", "--host", "cursor"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("ok");
    expect(r.stderr).toContain('Skipped entry "bad"');
  });
  test("reading never writes anything in HOME", () => {
    const h = new TempHome();
    h.write(CLAUDE, claudeText);
    h.run(["mcp", "list", "servers"]);
    h.run(["mcp", "list", "hosts"]);
    h.run(["mcp", "discover", "hosts"]);
    expect(readdirSync(h.home).sort()).toEqual([".config"]);
    expect(h.read(CLAUDE)).toBe(claudeText);
  });
});

describe("hatch mcp list hosts", () => {
  test("lists detected hosts with their server counts", () => {
    const h = new TempHome();
    h.write(CLAUDE, claudeText);
    h.write(".cursor/mcp.json", '{"mcpServers": {}}');
    const r = h.run(["mcp", "list", "hosts", "--json"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.hosts.map((x: { host: string; servers: string[] }) => [x.host, x.servers.length])).toEqual([
      ["claude-desktop", 2],
      ["cursor", 0],
    ]);
  });
});
