// `hatch env …` and `hatch host …` of the compiled binary on a temp HOME: exit codes, output and
// the files on disk (content, comments kept, nothing written on refusal).
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readdirSync, statSync } from "node:fs";
import { CLAUDE, requireBinary, TempHome } from "./harness.ts";

// Each test spawns the binary several times; on a loaded machine that takes more than Bun's 5 s.
setDefaultTimeout(60_000);

beforeAll(requireBinary);

const claudeText = `{
  "mcpServers": {
    "weather-api": { "command": "npx", "args": ["-y", "weather"], "env": { "API_KEY": "s3cret" } },
    "notes": { "command": "uvx", "args": ["notes-mcp"] }
  }
}
`;
const ENVS = ".hatch/envs";
const CONFIG = ".hatch/config.yaml";

function ok(r: { code: number; stderr: string }): void {
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
}

describe("hatch env create", () => {
  test("creates a commented YAML file with the description and no servers", () => {
    const h = new TempHome();
    const r = h.run(["env", "create", "production", "--description", "Production servers"]);
    ok(r);
    expect(r.stdout).toContain('Created environment "production"');
    const text = h.read(`${ENVS}/production.yaml`);
    expect(text).toMatch(/^# hatch environment "production"/);
    expect(text).toContain("description: Production servers\nservers: {}\n");
  });

  test("--from-host captures the host's servers", () => {
    const h = new TempHome();
    h.write(CLAUDE, claudeText);
    const r = h.run(["env", "create", "last-known-good", "--from-host", "claude-desktop", "--json"]);
    ok(r);
    expect(JSON.parse(r.stdout)).toEqual(
      expect.objectContaining({
        name: "last-known-good",
        created: true,
        servers: ["weather-api", "notes"],
      }),
    );
    const text = h.read(`${ENVS}/last-known-good.yaml`);
    expect(text).toContain(
      "servers:\n  weather-api:\n    command: npx\n    args:\n      - -y\n      - weather\n",
    );
    const show = h.run(["env", "show", "last-known-good", "--json", "--show-secrets"]);
    ok(show);
    const doc = JSON.parse(show.stdout);
    expect(doc.servers.map((s: { name: string }) => s.name)).toEqual(["notes", "weather-api"]);
    // The literal secret went into the secret store; the file holds a reference (issue 21).
    expect(doc.servers[1].env).toEqual({ API_KEY: "${secret:last-known-good/weather-api/API_KEY}" });
  });

  test("--from-host works with a custom host", () => {
    const h = new TempHome();
    h.write("srv/staging.json", claudeText);
    ok(
      h.run([
        "host",
        "add",
        "staging-claude",
        "--type",
        "claude-desktop",
        "--path",
        h.path("srv/staging.json"),
      ]),
    );
    ok(h.run(["env", "create", "staging", "--from-host", "staging-claude"]));
    expect(h.read(`${ENVS}/staging.yaml`)).toContain("  notes:\n");
  });

  test("refuses an existing environment (exit 2) and leaves its file alone", () => {
    const h = new TempHome();
    ok(h.run(["env", "create", "staging", "--description", "first"]));
    const before = h.read(`${ENVS}/staging.yaml`);
    const r = h.run(["env", "create", "staging", "--description", "second"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Environment "staging" already exists');
    expect(r.stderr).toContain("hatch env show staging");
    expect(h.read(`${ENVS}/staging.yaml`)).toBe(before);
  });

  test.each([["bad/name"], ["a b"], [".."]])("refuses the name %j and writes nothing", (name) => {
    const h = new TempHome();
    const r = h.run(["env", "create", name]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Invalid environment name");
    expect(existsSync(h.path(".hatch"))).toBe(false);
  });

  test("refuses an unknown --from-host with a suggestion and writes nothing", () => {
    const h = new TempHome();
    const r = h.run(["env", "create", "x", "--from-host", "claude-desktp"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean "claude-desktop"');
    expect(existsSync(h.path(ENVS, "x.yaml"))).toBe(false);
  });

  test("--dry-run writes nothing", () => {
    const h = new TempHome();
    const r = h.run(["env", "create", "x", "--dry-run"]);
    ok(r);
    expect(r.stdout).toContain("[DRY RUN]");
    expect(existsSync(h.path(ENVS, "x.yaml"))).toBe(false);
  });
});

describe("hatch env use, current, list, show", () => {
  test("use sets the current environment; current and list show it", () => {
    const h = new TempHome();
    ok(h.run(["env", "create", "staging"]));
    ok(h.run(["env", "create", "production", "--description", "Prod"]));
    expect(h.run(["env", "current"]).stdout).toContain("No current environment");
    ok(h.run(["env", "use", "production"]));
    expect(h.read(".hatch/current")).toBe("production\n");
    expect(h.run(["env", "current"]).stdout).toBe("Current environment: production\n");
    const list = h.run(["env", "list"]);
    ok(list);
    expect(list.stdout).toMatch(/\* production\s+0\s+Prod/);
    expect(list.stdout).toMatch(/ {4}staging/);
    const json = JSON.parse(h.run(["env", "list", "--json"]).stdout);
    expect(json.current).toBe("production");
    expect(json.environments.map((e: { name: string; current: boolean }) => [e.name, e.current])).toEqual([
      ["production", true],
      ["staging", false],
    ]);
  });

  test("use of an unknown environment is exit 2 with a suggestion; current is unchanged", () => {
    const h = new TempHome();
    ok(h.run(["env", "create", "production"]));
    ok(h.run(["env", "use", "production"]));
    const r = h.run(["env", "use", "prodution"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Unknown environment "prodution": did you mean "production"?');
    expect(h.read(".hatch/current")).toBe("production\n");
  });

  test("show redacts secrets unless --show-secrets", () => {
    const h = new TempHome();
    h.write(CLAUDE, claudeText);
    ok(h.run(["env", "create", "p", "--from-host", "claude-desktop"]));
    const r = h.run(["env", "show", "p", "--json"]);
    ok(r);
    expect(r.stdout).not.toContain("s3cret");
    const human = h.run(["env", "show", "p"]);
    expect(human.stdout).toContain("weather-api  stdio      npx -y weather");
  });

  test("a bad server entry in an environment file is exit 2 naming the file and the server", () => {
    const h = new TempHome();
    ok(h.run(["env", "create", "broken"]));
    const path = h.write(
      `${ENVS}/broken.yaml`,
      "description: x\nservers:\n  bad:\n    command: npx\n    timeout: soon\n",
    );
    for (const args of [
      ["env", "show", "broken"],
      ["env", "list"],
      ["mcp", "list", "servers", "--env", "broken"],
      ["mcp", "sync", "--from-env", "broken", "--to-host", "cursor", "--dry-run"],
    ]) {
      const r = h.run(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(path);
      expect(r.stderr).toContain('server "bad"');
      expect(r.stderr).toContain("timeout");
    }
  });

  test("an unknown top-level field in an environment file is named", () => {
    const h = new TempHome();
    ok(h.run(["env", "create", "e"]));
    h.write(`${ENVS}/e.yaml`, "description: x\nserver: {}\n");
    const r = h.run(["env", "show", "e"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown field "server" (did you mean "servers"?)');
  });
});

describe("hatch env remove", () => {
  test("without a terminal and without approval it refuses (exit 2) and keeps the file", () => {
    const h = new TempHome();
    ok(h.run(["env", "create", "staging"]));
    const r = h.run(["env", "remove", "staging"], { stdin: "y\n" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Refusing to write without confirmation");
    expect(existsSync(h.path(ENVS, "staging.yaml"))).toBe(true);
  });

  test("--dry-run keeps the file", () => {
    const h = new TempHome();
    ok(h.run(["env", "create", "staging"]));
    const r = h.run(["env", "remove", "staging", "--dry-run"]);
    ok(r);
    expect(r.stdout).toContain("[DRY RUN]");
    expect(existsSync(h.path(ENVS, "staging.yaml"))).toBe(true);
  });

  test("--auto-approve removes it, backs it up, and clears current when it was current", () => {
    const h = new TempHome();
    ok(h.run(["env", "create", "staging", "--description", "keep me"]));
    ok(h.run(["env", "use", "staging"]));
    const r = h.run(["env", "remove", "staging", "--auto-approve"]);
    ok(r);
    expect(r.stdout).toContain('Removed environment "staging"');
    expect(existsSync(h.path(ENVS, "staging.yaml"))).toBe(false);
    expect(existsSync(h.path(".hatch/current"))).toBe(false);
    const snaps = readdirSync(h.path(".hatch/backups/snapshots"));
    expect(snaps.length).toBe(1);
  });

  test("HATCH_AUTO_APPROVE=1 approves; -y too; unknown env is exit 2", () => {
    const h = new TempHome();
    ok(h.run(["env", "create", "a"]));
    ok(h.run(["env", "create", "b"]));
    ok(h.run(["env", "remove", "a"], { env: { HATCH_AUTO_APPROVE: "1" } }));
    ok(h.run(["env", "remove", "b", "-y", "--no-backup"]));
    expect(readdirSync(h.path(ENVS))).toEqual([]);
    const r = h.run(["env", "remove", "a", "-y"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Unknown environment "a"');
  });
});

const COMMENTED = `# team config: do not remove this comment
settings:
  telemetry: false   # spacing kept
`;

describe("hatch host add, remove, list", () => {
  test("add keeps comments, stores an absolute path, and the host works everywhere a host does", () => {
    const h = new TempHome();
    h.write(CONFIG, COMMENTED);
    h.write("srv/staging/claude_desktop_config.json", claudeText);
    const r = h.run([
      "host",
      "add",
      "staging-claude",
      "--type",
      "claude-desktop",
      "--path",
      "~/srv/staging/claude_desktop_config.json",
      "--description",
      "Staging",
    ]);
    ok(r);
    const text = h.read(CONFIG);
    expect(text.startsWith(COMMENTED)).toBe(true);
    expect(text).toContain(
      `hosts:\n  staging-claude:\n    type: claude-desktop\n    path: ${h.path("srv/staging/claude_desktop_config.json")}\n    description: Staging\n`,
    );
    const list = h.run(["mcp", "list", "servers", "--host", "staging-claude"]);
    ok(list);
    expect(list.stdout).toContain("Host: staging-claude (~/srv/staging/claude_desktop_config.json)");
    expect(list.stdout).toContain("weather-api");
    const hl = JSON.parse(h.run(["host", "list", "--json"]).stdout);
    expect(hl.hosts).toEqual([
      {
        name: "staging-claude",
        type: "claude-desktop",
        path: h.path("srv/staging/claude_desktop_config.json"),
        description: "Staging",
        exists: true,
      },
    ]);
    const human = h.run(["host", "list"]);
    expect(human.stdout).toMatch(
      /staging-claude\s+claude-desktop\s+~\/srv\/staging\/claude_desktop_config.json\s+Staging/,
    );
  });

  test.each([
    [
      ["cursor", "--type", "claude-desktop", "--path", "/x"],
      'Cannot name a host "cursor": it is a built-in host',
    ],
    [["gemini-cli", "--type", "claude-desktop", "--path", "/x"], 'an alias of "gemini"'],
    [["all", "--type", "claude-desktop", "--path", "/x"], 'Cannot name a host "all"'],
    [
      ["x", "--type", "claude-desktp", "--path", "/x"],
      'Unknown host type "claude-desktp": did you mean "claude-desktop"?',
    ],
    [["x", "--path", "/x"], "Missing --type"],
    [["x", "--type", "cursor"], "Missing --path"],
    [["bad/name", "--type", "cursor", "--path", "/x"], 'Invalid host name "bad/name"'],
  ])("add %j is refused (exit 2) and config.yaml is untouched", (args, message) => {
    const h = new TempHome();
    h.write(CONFIG, COMMENTED);
    const mtime = statSync(h.path(CONFIG)).mtimeMs;
    const r = h.run(["host", "add", ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(h.read(CONFIG)).toBe(COMMENTED);
    expect(statSync(h.path(CONFIG)).mtimeMs).toBe(mtime);
  });

  test("add of an existing custom host is refused; --dry-run writes nothing", () => {
    const h = new TempHome();
    ok(h.run(["host", "add", "s", "--type", "cursor", "--path", "/a/mcp.json"]));
    const before = h.read(CONFIG);
    const r = h.run(["host", "add", "s", "--type", "cursor", "--path", "/b/mcp.json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Custom host "s" already exists');
    const d = h.run(["host", "add", "t", "--type", "cursor", "--path", "/b/mcp.json", "--dry-run"]);
    ok(d);
    expect(d.stdout).toContain("[DRY RUN]");
    expect(h.read(CONFIG)).toBe(before);
  });

  test("remove deletes the entry (comments kept) and leaves the host's file alone", () => {
    const h = new TempHome();
    h.write(CONFIG, COMMENTED);
    const file = h.write("srv/mcp.json", claudeText);
    ok(h.run(["host", "add", "s", "--type", "claude-desktop", "--path", file]));
    ok(h.run(["host", "remove", "s"]));
    expect(h.read(CONFIG)).toBe(`${COMMENTED}hosts: {}\n`);
    expect(h.read("srv/mcp.json")).toBe(claudeText);
    const r = h.run(["mcp", "list", "servers", "--host", "s"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Unknown host "s"');
  });

  test("remove refuses a built-in host, an unknown host, and a host a group uses (naming it)", () => {
    const h = new TempHome();
    ok(h.run(["host", "add", "staging-claude", "--type", "claude-desktop", "--path", "/s/c.json"]));
    ok(h.run(["host", "group", "production-hosts", "staging-claude,cursor"]));
    const before = h.read(CONFIG);
    const a = h.run(["host", "remove", "staging-claude"]);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain(
      'Cannot remove host "staging-claude": host group "production-hosts" still lists it',
    );
    const b = h.run(["host", "remove", "cursor"]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain("it is a built-in host");
    const c = h.run(["host", "remove", "staging-claud"]);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('did you mean "staging-claude"?');
    expect(h.read(CONFIG)).toBe(before);
  });

  test("an invalid config.yaml is exit 2 naming the file and the field", () => {
    const h = new TempHome();
    h.write(CONFIG, "hosts:\n  s:\n    type: cursor\n");
    const r = h.run(["host", "list"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(h.path(CONFIG));
    expect(r.stderr).toContain('field "hosts.s.path"');
  });
});

describe("hatch host group and ungroup", () => {
  test("group creates and replaces in place; members resolve through mcp list servers", () => {
    const h = new TempHome();
    h.write(CONFIG, COMMENTED);
    h.write(CLAUDE, claudeText);
    h.write(".cursor/mcp.json", '{ "mcpServers": { "c1": { "command": "x" } } }\n');
    ok(h.run(["host", "group", "production-hosts", "claude-desktop,cursor"]));
    expect(h.read(CONFIG)).toBe(
      `${COMMENTED}groups:\n  production-hosts:\n    - claude-desktop\n    - cursor\n`,
    );
    const r = h.run(["mcp", "list", "servers", "--host", "production-hosts", "--json"]);
    ok(r);
    expect(JSON.parse(r.stdout).hosts.map((x: { host: string }) => x.host)).toEqual([
      "claude-desktop",
      "cursor",
    ]);
    const rep = h.run(["host", "group", "production-hosts", "cursor"]);
    ok(rep);
    expect(rep.stdout).toContain('Replaced host group "production-hosts": cursor');
    expect(h.read(CONFIG)).toBe(`${COMMENTED}groups:\n  production-hosts:\n    - cursor\n`);
  });

  test.each([
    [["g", "cursor,cursr"], 'Unknown host "cursr" in host group "g": did you mean "cursor"?'],
    [["vscode", "cursor"], 'Cannot name a host group "vscode": it is a built-in host'],
    [["all", "cursor"], 'Cannot name a host group "all"'],
    [["g", ","], 'Host group "g" needs at least one member'],
    [["g", "g"], 'Unknown host "g" in host group "g"'],
  ])("group %j is refused (exit 2) and config.yaml is untouched", (args, message) => {
    const h = new TempHome();
    h.write(CONFIG, COMMENTED);
    const r = h.run(["host", "group", ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(h.read(CONFIG)).toBe(COMMENTED);
  });

  test("a cycle is refused, naming it; a cycle written by hand is refused at resolve time", () => {
    const h = new TempHome();
    ok(h.run(["host", "group", "inner", "cursor"]));
    ok(h.run(["host", "group", "outer", "inner"]));
    const before = h.read(CONFIG);
    const r = h.run(["host", "group", "inner", "outer"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Host group "inner" would contain itself: inner → outer → inner');
    expect(h.read(CONFIG)).toBe(before);
    h.write(CONFIG, "groups:\n  a: [b]\n  b: [a]\n");
    const s = h.run(["mcp", "list", "servers", "--host", "a"]);
    expect(s.code).toBe(2);
    expect(s.stderr).toContain("contains itself");
  });

  test("ungroup removes a group, refuses an unknown group or one another group lists", () => {
    const h = new TempHome();
    h.write(CONFIG, COMMENTED);
    ok(h.run(["host", "group", "inner", "cursor"]));
    ok(h.run(["host", "group", "outer", "inner"]));
    const a = h.run(["host", "ungroup", "inner"]);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('host group "outer" still lists it');
    const b = h.run(["host", "ungroup", "innr"]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('Unknown host group "innr": did you mean "inner"?');
    ok(h.run(["host", "ungroup", "outer"]));
    ok(h.run(["host", "ungroup", "inner"]));
    expect(h.read(CONFIG)).toBe(`${COMMENTED}groups: {}\n`);
  });

  test("sync to a group reaches the custom hosts in it", () => {
    const h = new TempHome();
    h.write(CLAUDE, claudeText);
    const staging = h.path("srv/staging.json");
    ok(h.run(["host", "add", "staging-claude", "--type", "claude-desktop", "--path", staging]));
    ok(h.run(["host", "group", "production-hosts", "staging-claude"]));
    ok(
      h.run([
        "mcp",
        "sync",
        "--from-host",
        "claude-desktop",
        "--to-host",
        "production-hosts",
        "--auto-approve",
      ]),
    );
    expect(JSON.parse(h.read("srv/staging.json")).mcpServers.notes).toEqual({
      command: "uvx",
      args: ["notes-mcp"],
    });
  });
});

describe("--help of the env and host commands", () => {
  test("every command has a summary, usage, options and an example", () => {
    const h = new TempHome();
    for (const cmd of [
      ["env", "create"],
      ["env", "use"],
      ["env", "current"],
      ["env", "list"],
      ["env", "show"],
      ["env", "remove"],
      ["host", "add"],
      ["host", "remove"],
      ["host", "list"],
      ["host", "group"],
      ["host", "ungroup"],
    ]) {
      const r = h.run([...cmd, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: hatch ${cmd.join(" ")}`);
      expect(r.stdout).toContain("Options:");
      expect(r.stdout).toMatch(/Examples:\n {2}hatch /);
    }
  });
});
