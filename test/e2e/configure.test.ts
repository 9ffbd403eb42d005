// `hatch mcp configure` and `hatch mcp remove server` of the compiled binary on a temp HOME:
// exit codes, previews, and the files on disk (content, comments, backups, nothing on refusal).
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: env-var references are the test data
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readdirSync, statSync } from "node:fs";
import { CLAUDE, CURSOR, requireBinary, TempHome } from "./harness.ts";

// Each test spawns the binary several times; on a loaded machine that takes more than Bun's 5 s.
setDefaultTimeout(60_000);

beforeAll(requireBinary);

const claudeText = `{
  "mcpServers": {
    "weather-api": { "command": "npx", "args": ["-y", "weather"], "env": { "API_KEY": "s3cret" } },
    "notes": { "command": "uvx", "args": ["notes-mcp"] }
  },
  "globalShortcut": "Ctrl+Space"
}
`;
const cursorText = `// my cursor servers
{
  "mcpServers": {
    "notes": { "command": "uvx", "args": ["notes-mcp"] } // keep this comment
  }
}
`;

function ok(r: { code: number; stderr: string }): void {
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
}

function snapshots(h: TempHome): string[] {
  const d = h.path(".hatch/backups/snapshots");
  return existsSync(d) ? readdirSync(d) : [];
}

describe("hatch mcp configure on hosts", () => {
  test("adds a new local server, with a preview, a backup, and other keys kept", () => {
    const h = new TempHome();
    h.write(CLAUDE, claudeText);
    const r = h.run([
      "mcp",
      "configure",
      "files",
      "--host",
      "claude-desktop",
      "--command",
      "npx",
      "--args=-y",
      "--args",
      "@mcp/files /srv",
      "--env-var",
      "ROOT=/srv",
      "--auto-approve",
    ]);
    ok(r);
    expect(r.stdout).toContain('Configure server "files":');
    expect(r.stdout).toContain("+ files");
    expect(r.stdout).toContain('✓ claude-desktop: server "files" added');
    const doc = JSON.parse(h.read(CLAUDE));
    expect(doc.mcpServers.files).toEqual({
      command: "npx",
      args: ["-y", "@mcp/files", "/srv"],
      env: { ROOT: "/srv" },
    });
    expect(doc.mcpServers["weather-api"].env).toEqual({ API_KEY: "s3cret" });
    expect(doc.globalShortcut).toBe("Ctrl+Space");
    expect(snapshots(h).length).toBe(1);
  });

  test("a partial update changes only the given flags, keeps comments, and previews field diffs", () => {
    const h = new TempHome();
    h.write(CURSOR, cursorText);
    const r = h.run([
      "mcp",
      "configure",
      "notes",
      "--host",
      "cursor",
      "--env-var",
      "TOKEN=abc",
      "--disabled",
      "-y",
    ]);
    ok(r);
    expect(r.stdout).toContain("~ notes");
    expect(r.stdout).toContain('env: (none) → {"TOKEN":"******"}');
    expect(r.stdout).toContain('! notes: "disabled" dropped: Cursor has no "disabled" setting');
    expect(r.stdout).not.toContain("abc");
    const text = h.read(CURSOR);
    expect(text).toContain("// my cursor servers");
    expect(text).toContain("// keep this comment");
    expect(text).toContain('"args": ["notes-mcp"]');
    expect(text).toContain('"TOKEN": "abc"');
    expect(text).not.toContain("disabled");
  });

  test("switching from --command to --url replaces the transport fields", () => {
    const h = new TempHome();
    h.write(CURSOR, cursorText);
    ok(
      h.run([
        "mcp",
        "configure",
        "notes",
        "--host",
        "cursor",
        "--url",
        "https://notes.example.com/mcp",
        "--transport",
        "sse",
        "-y",
      ]),
    );
    const text = h.read(CURSOR);
    expect(text).not.toContain("uvx");
    expect(text).not.toContain('"args"');
    expect(text).toContain('"url": "https://notes.example.com/mcp"');
    expect(h.run(["mcp", "list", "servers", "--host", "cursor"]).stdout).toMatch(
      /notes\s+sse\s+https:\/\/notes.example.com\/mcp/,
    );
  });

  test("several hosts, a custom host and a group at once; a host that cannot run it is reported", () => {
    const h = new TempHome();
    h.write(CLAUDE, claudeText);
    h.write(CURSOR, cursorText);
    const staging = h.path("srv/staging.json");
    ok(h.run(["host", "add", "staging-cursor", "--type", "cursor", "--path", staging]));
    ok(h.run(["host", "group", "prod", "claude-desktop,cursor"]));
    const r = h.run([
      "mcp",
      "configure",
      "news",
      "--host",
      "prod,staging-cursor",
      "--url",
      "https://news.example.com/mcp",
      "--header",
      "Authorization=Bearer xyz",
      "-y",
    ]);
    ok(r);
    expect(r.stdout).toContain('! claude-desktop: server "news" skipped');
    expect(r.stdout).toContain('✓ cursor: server "news" added');
    expect(r.stdout).toContain('✓ staging-cursor: server "news" added');
    expect(JSON.parse(h.read("srv/staging.json")).mcpServers.news).toEqual({
      url: "https://news.example.com/mcp",
      headers: { Authorization: "Bearer xyz" },
    });
    expect(h.read(CLAUDE)).toBe(claudeText);
  });

  test("--dry-run prints the plan and writes nothing", () => {
    const h = new TempHome();
    h.write(CLAUDE, claudeText);
    const mtime = statSync(h.path(CLAUDE)).mtimeMs;
    const r = h.run([
      "mcp",
      "configure",
      "weather-api",
      "--host",
      "claude-desktop",
      "--args",
      "weather-v2",
      "--dry-run",
    ]);
    ok(r);
    expect(r.stdout).toContain('args: ["-y","weather"] → ["weather-v2"]');
    expect(r.stdout).toContain("[DRY RUN] Nothing was written");
    expect(h.read(CLAUDE)).toBe(claudeText);
    expect(statSync(h.path(CLAUDE)).mtimeMs).toBe(mtime);
    expect(snapshots(h)).toEqual([]);
  });

  test("without a terminal and without approval it refuses (exit 2); EOF is never a yes", () => {
    const h = new TempHome();
    h.write(CLAUDE, claudeText);
    const r = h.run(["mcp", "configure", "weather-api", "--host", "claude-desktop", "--args", "v2"], {
      stdin: "",
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Refusing to write without confirmation");
    expect(h.read(CLAUDE)).toBe(claudeText);
    const y = h.run(["mcp", "configure", "weather-api", "--host", "claude-desktop", "--args", "v2"], {
      env: { HATCH_AUTO_APPROVE: "1" },
    });
    ok(y);
    expect(JSON.parse(h.read(CLAUDE)).mcpServers["weather-api"].args).toEqual(["v2"]);
  });

  test("--no-backup writes without a snapshot; --json prints one document", () => {
    const h = new TempHome();
    h.write(CURSOR, cursorText);
    const r = h.run([
      "mcp",
      "configure",
      "x",
      "--host",
      "cursor",
      "--command",
      "x-mcp",
      "--no-backup",
      "-y",
      "--json",
    ]);
    ok(r);
    const doc = JSON.parse(r.stdout);
    expect(doc).toEqual(
      expect.objectContaining({ kind: "configure", server: "x", ok: true, backupId: null }),
    );
    expect(doc.outcomes).toEqual([expect.objectContaining({ host: "cursor", status: "written" })]);
    expect(snapshots(h)).toEqual([]);
  });

  test("configuring the same values again changes nothing (same bytes, no backup)", () => {
    const h = new TempHome();
    h.write(CLAUDE, claudeText);
    const r = h.run([
      "mcp",
      "configure",
      "notes",
      "--host",
      "claude-desktop",
      "--command",
      "uvx",
      "--args",
      "notes-mcp",
      "-y",
    ]);
    ok(r);
    expect(r.stdout).toContain("Nothing to change");
    expect(h.read(CLAUDE)).toBe(claudeText);
    expect(snapshots(h)).toEqual([]);
  });

  test.each([
    [
      ["--command", "a", "--url", "https://x"],
      "Give --command (a local server) or --url (a remote server), not both",
    ],
    [["--url", "ftp://x"], '"url" must start with http:// or https://'],
    [["--command", ""], '"command" must not be empty'],
    [["--command", "a", "--header", "A=b"], "--header can only be used with --url"],
    [["--url", "https://x", "--args", "a"], "--args can only be used with --command"],
    [["--url", "https://x", "--transport", "ws"], 'Invalid --transport "ws"'],
    [["--command", "a", "--env-var", "NOEQUALS"], 'Invalid --env-var "NOEQUALS": expected KEY=VALUE'],
    [["--command", "a", "--timeout", "10s"], 'Invalid --timeout "10s"'],
    [["--timeout", "10"], 'Server "brand-new" does not exist in host "claude-desktop": give --command'],
    [[], 'Nothing to configure for "brand-new"'],
    [["--command", "a", "--args", "'unclosed"], "unclosed ' quote"],
  ])("%j is refused (exit 2) and nothing is written", (flags, message) => {
    const h = new TempHome();
    h.write(CLAUDE, claudeText);
    const r = h.run(["mcp", "configure", "brand-new", "--host", "claude-desktop", ...flags, "-y"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(h.read(CLAUDE)).toBe(claudeText);
    expect(existsSync(h.path(".hatch/backups"))).toBe(false);
  });

  test("a remote-only flag on an existing local server is refused, naming the host", () => {
    const h = new TempHome();
    h.write(CLAUDE, claudeText);
    const r = h.run(["mcp", "configure", "notes", "--host", "claude-desktop", "--header", "A=b", "-y"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      '--header applies to remote servers, but "notes" in host "claude-desktop" is a local server',
    );
    expect(h.read(CLAUDE)).toBe(claudeText);
  });

  test("an unknown host, or a remote server only for hosts that cannot run it, is exit 2", () => {
    const h = new TempHome();
    h.write(CLAUDE, claudeText);
    const a = h.run(["mcp", "configure", "x", "--host", "cursr", "--command", "x", "-y"]);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('Unknown host "cursr": did you mean "cursor"?');
    const b = h.run([
      "mcp",
      "configure",
      "x",
      "--host",
      "claude-desktop",
      "--url",
      "https://x.example",
      "-y",
    ]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('Cannot configure server "x"');
    const c = h.run(["mcp", "configure", "x", "--command", "x", "-y"]);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain("Missing target");
    const d = h.run(["mcp", "configure", "x", "--host", "cursor", "--env", "e", "--command", "x", "-y"]);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain("Give --host or --env, not both");
    expect(h.read(CLAUDE)).toBe(claudeText);
    expect(existsSync(h.path(CURSOR))).toBe(false);
  });
});

describe("hatch mcp configure --env", () => {
  test("adds and updates servers in an environment file, keeping its comments", () => {
    const h = new TempHome();
    ok(h.run(["env", "create", "production", "--description", "Prod"]));
    ok(
      h.run([
        "mcp",
        "configure",
        "weather-api",
        "--env",
        "production",
        "--command",
        "npx",
        "--args",
        "weather",
        "--env-var",
        "KEY=${WEATHER_KEY}",
        "-y",
      ]),
    );
    const path = ".hatch/envs/production.yaml";
    const withComment = h.read(path).replace("  weather-api:\n", "  # the weather server\n  weather-api:\n");
    h.write(path, withComment);
    ok(
      h.run([
        "mcp",
        "configure",
        "weather-api",
        "--env",
        "production",
        "--timeout",
        "30000",
        "--include-tools",
        "forecast,alerts",
        "-y",
      ]),
    );
    const text = h.read(path);
    expect(text).toContain(
      "# the weather server\n  weather-api:\n    command: npx\n    args:\n      - weather\n    env:\n      KEY: ${WEATHER_KEY}\n    timeout: 30000\n    includeTools:\n      - forecast\n      - alerts\n",
    );
    expect(text).toContain("description: Prod\n");
    expect(text).toMatch(/^# hatch environment "production"/);
    const sync = h.run(["mcp", "sync", "--from-env", "production", "--to-host", "cursor", "-y"], {
      env: { WEATHER_KEY: "k" },
    });
    ok(sync);
    expect(JSON.parse(h.read(CURSOR)).mcpServers["weather-api"].env).toEqual({ KEY: "${env:WEATHER_KEY}" });
  });

  test("an unknown environment is exit 2 with a suggestion, and no file is created", () => {
    const h = new TempHome();
    ok(h.run(["env", "create", "production"]));
    const r = h.run(["mcp", "configure", "x", "--env", "prodution", "--command", "x", "-y"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean "production"?');
    expect(existsSync(h.path(".hatch/envs/prodution.yaml"))).toBe(false);
  });
});

describe("hatch mcp remove server", () => {
  test("removes from the hosts that have it and reports those that do not", () => {
    const h = new TempHome();
    h.write(CLAUDE, claudeText);
    h.write(CURSOR, cursorText);
    const r = h.run(["mcp", "remove", "server", "weather-api", "--host", "claude-desktop,cursor", "-y"]);
    ok(r);
    expect(r.stdout).toContain("- weather-api");
    expect(r.stdout).toContain("cursor (~/.cursor/mcp.json): not configured there, nothing to remove");
    expect(r.stdout).toContain('✓ claude-desktop: server "weather-api" removed');
    const doc = JSON.parse(h.read(CLAUDE));
    expect(Object.keys(doc.mcpServers)).toEqual(["notes"]);
    expect(doc.globalShortcut).toBe("Ctrl+Space");
    expect(h.read(CURSOR)).toBe(cursorText);
    expect(snapshots(h).length).toBe(1);
  });

  test("--host all reaches custom hosts; comments of the other entries stay", () => {
    const h = new TempHome();
    h.write(CURSOR, cursorText);
    const staging = h.write("srv/staging.json", cursorText);
    ok(h.run(["host", "add", "staging-cursor", "--type", "cursor", "--path", staging]));
    ok(h.run(["mcp", "remove", "server", "notes", "--host", "all", "-y"]));
    for (const f of [CURSOR, "srv/staging.json"]) {
      const text = h.read(f);
      expect(text).toContain("// my cursor servers");
      expect(text).not.toContain("notes-mcp");
    }
  });

  test("a server no target has is exit 2 naming it, with a suggestion; nothing written", () => {
    const h = new TempHome();
    h.write(CLAUDE, claudeText);
    const r = h.run(["mcp", "remove", "server", "weather-ap", "--host", "claude-desktop", "-y"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'Server "weather-ap" is not configured in host "claude-desktop": did you mean "weather-api"?',
    );
    expect(h.read(CLAUDE)).toBe(claudeText);
  });

  test("--dry-run and refusal without a terminal write nothing", () => {
    const h = new TempHome();
    h.write(CLAUDE, claudeText);
    const d = h.run(["mcp", "remove", "server", "notes", "--host", "claude-desktop", "--dry-run"]);
    ok(d);
    expect(d.stdout).toContain("[DRY RUN]");
    const r = h.run(["mcp", "remove", "server", "notes", "--host", "claude-desktop"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Refusing to write without confirmation");
    expect(h.read(CLAUDE)).toBe(claudeText);
    expect(snapshots(h)).toEqual([]);
  });

  test("--env removes from an environment file", () => {
    const h = new TempHome();
    h.write(CLAUDE, claudeText);
    ok(h.run(["env", "create", "p", "--from-host", "claude-desktop"]));
    ok(h.run(["mcp", "remove", "server", "notes", "--env", "p", "-y"]));
    const text = h.read(".hatch/envs/p.yaml");
    expect(text).not.toContain("notes");
    expect(text).toContain("weather-api:");
    const missing = h.run(["mcp", "remove", "server", "notes", "--env", "p", "-y"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Server "notes" is not configured in environment "p"');
  });
});

describe("--help of configure and remove server", () => {
  test("has usage, options and examples", () => {
    const h = new TempHome();
    for (const cmd of [
      ["mcp", "configure"],
      ["mcp", "remove", "server"],
    ]) {
      const r = h.run([...cmd, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: hatch ${cmd.join(" ")}`);
      expect(r.stdout).toMatch(/Examples:\n {2}hatch /);
    }
  });
});
