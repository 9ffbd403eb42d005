import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveTargets } from "./targets.ts";
import { defaultWorkspace, type Workspace } from "./workspace.ts";
import { ApplyError, ConfigError, UsageError } from "../core/errors.ts";
import {
  addHost,
  configPath,
  type HatchConfig,
  loadConfig,
  parseConfig,
  removeGroup,
  removeHost,
  saveConfig,
  setGroup,
} from "./config.ts";

function tempWs(): Workspace {
  const tmp = mkdtempSync(join(tmpdir(), "hatch-config-"));
  return defaultWorkspace({ ...process.env, HATCH_HOME: join(tmp, ".hatch"), HOME: tmp });
}

const COMMENTED = `# my hatch config
settings:
  color: false   # keep me, spacing too

hosts:
  # the staging box
  staging-claude:
    type: claude-desktop
    path: /srv/mcp/staging/claude_desktop_config.json
`;

function withConfig(text: string): { ws: Workspace; cfg: HatchConfig } {
  const ws = tempWs();
  ws.system.mkdirp(ws.hatchHome);
  ws.system.writeAtomic(configPath(ws), text);
  return { ws, cfg: loadConfig(ws) };
}

describe("addHost()", () => {
  test("adds a host in place: comments and spacing survive, the path is absolute", () => {
    const { ws, cfg } = withConfig(COMMENTED);
    const change = addHost(ws, cfg, {
      name: "prod-cursor",
      type: "cursor",
      path: "~/prod/mcp.json",
      description: "Prod",
    });
    expect(change.text.startsWith(COMMENTED)).toBe(true);
    expect(change.config.hosts.get("prod-cursor")).toEqual({
      name: "prod-cursor",
      type: "cursor",
      path: join(ws.ctx.home, "prod/mcp.json"),
      description: "Prod",
    });
    saveConfig(ws, cfg, change);
    expect(loadConfig(ws).hosts.size).toBe(2);
    expect(ws.system.readText(configPath(ws))).toBe(change.text);
  });

  test("stores an alias type as the host id, and starts a new file with a header", () => {
    const ws = tempWs();
    const cfg = loadConfig(ws);
    const change = addHost(ws, cfg, { name: "lab", type: "lm-studio", path: "/x/mcp.json" });
    expect(change.config.hosts.get("lab")?.type).toBe("lmstudio");
    expect(change.text.startsWith("# hatch configuration")).toBe(true);
    saveConfig(ws, cfg, change);
    expect(resolveTargets(ws, "lab").map((t) => [t.name, t.adapter.id, t.path])).toEqual([
      ["lab", "lmstudio", "/x/mcp.json"],
    ]);
  });

  test.each([
    ["cursor", /Cannot name a host "cursor": it is a built-in host/],
    ["lm-studio", /an alias of "lmstudio"/],
    ["all", /Cannot name a host "all"/],
    ["bad/name", /Invalid host name "bad\/name"/],
    ["staging-claude", /Custom host "staging-claude" already exists/],
  ])("refuses the name %j", (name, re) => {
    const { ws, cfg } = withConfig(COMMENTED);
    expect(() => addHost(ws, cfg, { name, type: "cursor", path: "/x" })).toThrow(re);
  });

  test("refuses an unknown type with a suggestion", () => {
    const { ws, cfg } = withConfig(COMMENTED);
    expect(() => addHost(ws, cfg, { name: "x", type: "claude-desktp", path: "/x" })).toThrow(
      /Unknown host type "claude-desktp": did you mean "claude-desktop"\?/,
    );
  });
});

describe("setGroup() and removeGroup()", () => {
  test("creates, replaces and removes a group in place", () => {
    const { ws, cfg } = withConfig(COMMENTED);
    const a = setGroup(cfg, "production-hosts", ["staging-claude", "cursor", "cursor"]);
    expect(a.config.groups.get("production-hosts")).toEqual(["staging-claude", "cursor"]);
    expect(a.text.startsWith(COMMENTED)).toBe(true);
    saveConfig(ws, cfg, a);
    const cfg2 = loadConfig(ws);
    const b = setGroup(cfg2, "production-hosts", ["vscode"]);
    expect(b.config.groups.get("production-hosts")).toEqual(["vscode"]);
    saveConfig(ws, cfg2, b);
    const cfg3 = loadConfig(ws);
    const c = removeGroup(cfg3, "production-hosts");
    expect(c.config.groups.size).toBe(0);
    expect(c.text.startsWith(COMMENTED)).toBe(true);
  });

  test("refuses an unknown member with a suggestion", () => {
    const { cfg } = withConfig(COMMENTED);
    expect(() => setGroup(cfg, "g", ["staging-claud"])).toThrow(
      /Unknown host "staging-claud" in host group "g": did you mean "staging-claude"\?/,
    );
  });

  test("refuses a cycle, naming it", () => {
    const { ws, cfg } = withConfig(COMMENTED);
    const a = setGroup(cfg, "outer", ["staging-claude"]);
    saveConfig(ws, cfg, a);
    const b = setGroup(loadConfig(ws), "inner", ["outer"]);
    saveConfig(ws, loadConfig(ws), b);
    expect(() => setGroup(loadConfig(ws), "outer", ["inner"])).toThrow(
      /Host group "outer" would contain itself: outer → inner → outer/,
    );
    expect(() => setGroup(loadConfig(ws), "self", ["self"])).toThrow(UsageError);
  });

  test("refuses a group name that is a built-in or custom host", () => {
    const { cfg } = withConfig(COMMENTED);
    expect(() => setGroup(cfg, "vscode", ["cursor"])).toThrow(/it is a built-in host/);
    expect(() => setGroup(cfg, "staging-claude", ["cursor"])).toThrow(/a custom host has that name/);
    expect(() => setGroup(cfg, "empty", [])).toThrow(/needs at least one member/);
  });

  test("removeGroup() refuses a group another group lists, and an unknown group", () => {
    const { ws, cfg } = withConfig(COMMENTED);
    saveConfig(ws, cfg, setGroup(cfg, "inner", ["cursor"]));
    saveConfig(ws, loadConfig(ws), setGroup(loadConfig(ws), "outer", ["inner"]));
    expect(() => removeGroup(loadConfig(ws), "inner")).toThrow(
      /Cannot remove host group "inner": host group "outer" still lists it/,
    );
    expect(() => removeGroup(loadConfig(ws), "innr")).toThrow(
      /Unknown host group "innr": did you mean "inner"\?/,
    );
  });
});

describe("removeHost()", () => {
  test("removes a custom host in place", () => {
    const { cfg } = withConfig(COMMENTED);
    const c = removeHost(cfg, "staging-claude");
    expect(c.config.hosts.size).toBe(0);
    expect(c.text).toContain("# my hatch config\nsettings:\n  color: false   # keep me, spacing too\n");
  });
  test("refuses a host a group still lists, naming the group", () => {
    const { ws, cfg } = withConfig(COMMENTED);
    saveConfig(ws, cfg, setGroup(cfg, "production-hosts", ["staging-claude"]));
    expect(() => removeHost(loadConfig(ws), "staging-claude")).toThrow(
      /group "production-hosts" still lists it/,
    );
  });
  test("refuses a built-in host and an unknown host", () => {
    const { cfg } = withConfig(COMMENTED);
    expect(() => removeHost(cfg, "cursor")).toThrow(/it is a built-in host, not a custom host/);
    expect(() => removeHost(cfg, "staging-claud")).toThrow(
      /Unknown custom host "staging-claud": did you mean "staging-claude"\?/,
    );
  });
});

describe("saveConfig() and parseConfig()", () => {
  test("saveConfig() refuses to overwrite a file changed since it was read", () => {
    const { ws, cfg } = withConfig(COMMENTED);
    const change = setGroup(cfg, "g", ["cursor"]);
    ws.system.writeAtomic(configPath(ws), `${COMMENTED}# edited meanwhile\n`);
    expect(() => saveConfig(ws, cfg, change)).toThrow(ApplyError);
    expect(ws.system.readText(configPath(ws))).toBe(`${COMMENTED}# edited meanwhile\n`);
  });
  test("parseConfig() names the file and the field", () => {
    expect(() => parseConfig("/h/config.yaml", "hosts:\n  x:\n    type: cursor\n")).toThrow(ConfigError);
    expect(() => parseConfig("/h/config.yaml", "hosts:\n  x:\n    type: cursor\n")).toThrow(
      /"\/h\/config.yaml": field "hosts.x.path"/,
    );
  });
});

describe("names every JavaScript object has, and over-long names (issue 26)", () => {
  test.each(["__proto__", "constructor", "prototype"])("host add and host group refuse %s", (name) => {
    const ws = tempWs();
    const cfg = loadConfig(ws);
    expect(() => addHost(ws, cfg, { name, type: "cursor", path: "/tmp/x.json" })).toThrow(UsageError);
    expect(() => addHost(ws, cfg, { name, type: "cursor", path: "/tmp/x.json" })).toThrow(/reserved/);
    expect(() => setGroup(cfg, name, ["cursor"])).toThrow(/reserved/);
  });
  test("a hand-edited config.yaml with a __proto__ host is an error naming the field, not a lost host", () => {
    expect(() =>
      parseConfig("/h/config.yaml", "hosts:\n  __proto__:\n    type: cursor\n    path: /x.json\n"),
    ).toThrow(ConfigError);
    expect(() => parseConfig("/h/config.yaml", "groups:\n  constructor: [cursor]\n")).toThrow(
      /"groups.constructor": constructor is not allowed as a name/,
    );
  });
  test("a 300-character host name is a usage error, not a raw ENAMETOOLONG", () => {
    const ws = tempWs();
    expect(() =>
      addHost(ws, loadConfig(ws), { name: "h".repeat(300), type: "cursor", path: "/tmp/x.json" }),
    ).toThrow(/300 characters long, the most is 128/);
  });
});
