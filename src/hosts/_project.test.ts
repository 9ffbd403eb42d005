// projectTarget(): the project-scope file of a host, with the adapter bound where the servers'
// place depends on the directory (Claude Code's local scope).
import { describe, expect, test } from "bun:test";
import { UsageError } from "../core/errors.ts";
import { projectTarget } from "./_project.ts";
import { HOSTS, requireHost } from "./registry.ts";

const linux = { platform: "linux" as const, home: "/home/u", env: {} };
const win = { platform: "win32" as const, home: "C:\\Users\\u", env: {} };

describe("projectTarget", () => {
  test.each([
    ["claude-code", "/w/app/.mcp.json"],
    ["cursor", "/w/app/.cursor/mcp.json"],
    ["vscode", "/w/app/.vscode/mcp.json"],
    ["gemini", "/w/app/.gemini/settings.json"],
    ["kiro", "/w/app/.kiro/settings/mcp.json"],
    ["roo-code", "/w/app/.roo/mcp.json"],
    ["opencode", "/w/app/opencode.json"],
    ["codex", "/w/app/.codex/config.toml"],
    ["qwen", "/w/app/.qwen/settings.json"],
    ["junie", "/w/app/.junie/mcp/mcp.json"],
    ["amazon-q", "/w/app/.amazonq/mcp.json"],
    ["copilot-cli", "/w/app/.mcp.json"],
    ["crush", "/w/app/.crush.json"],
    ["amp", "/w/app/.amp/settings.json"],
    ["augment", "/w/app/.augment/settings.json"],
    ["factory", "/w/app/.factory/mcp.json"],
    ["kilo-code", "/w/app/.kilocode/mcp.json"],
    ["zed", "/w/app/.zed/settings.json"],
    ["mistral-vibe", "/w/app/.vibe/config.toml"],
  ])("%s reads %s", (id, path) => {
    const t = projectTarget(requireHost(id), "/w/app", linux);
    expect(t).toEqual({ name: id, adapter: requireHost(id), path, scope: "project" });
  });

  test("claude-code-local binds the container to the project directory in ~/.claude.json", () => {
    const t = projectTarget(requireHost("claude-code-local"), "/w/app/", linux);
    expect(t.path).toBe("/home/u/.claude.json");
    expect(t.adapter.container).toEqual({ kind: "map", path: ["projects", "/w/app", "mcpServers"] });
    expect(t.adapter.id).toBe("claude-code-local");
  });

  test("claude-code-local keys Windows projects with forward slashes", () => {
    const t = projectTarget(requireHost("claude-code-local"), "C:\\src\\app", win);
    expect(t.adapter.container.path).toEqual(["projects", "C:/src/app", "mcpServers"]);
    expect(t.path).toBe("C:\\Users\\u\\.claude.json");
  });

  test("the unbound claude-code-local adapter refuses to be used without a directory", () => {
    expect(() => requireHost("claude-code-local").container).toThrow(TypeError);
  });

  test("a host without a project file is a usage error", () => {
    expect(() => projectTarget(requireHost("claude-desktop"), "/w/app", linux)).toThrow(UsageError);
  });

  test("every host with a project scope gives a path inside the directory or the user's home", () => {
    for (const h of HOSTS) {
      if (!h.projectPath) continue;
      const p = projectTarget(h, "/w/app", linux).path;
      expect(p.startsWith("/w/app/") || p.startsWith("/home/u/")).toBe(true);
    }
  });
});
