// GitHub Copilot CLI — id `copilot-cli`.
// Facts (hosts.md §17; docs.github.com/copilot/how-tos/copilot-cli "add MCP servers"; github/docs
// PR 40683 moving the file to `~/.copilot`; rulesync `copilotcli-mcp.ts`):
// - User `$COPILOT_HOME/mcp-config.json`, default `~/.copilot/mcp-config.json` (Windows
//   `%USERPROFILE%\.copilot`). Project: `.mcp.json` at the repository root (the same file as
//   Claude Code's project scope) and `.github/mcp.json`; `.mcp.json` is the one written here.
// - JSON, `mcpServers`. `type`: `local` / `stdio` (same behaviour) or `http` / `sse`; stdio
//   `command`, `args`, `env`; remote `url`, `headers`; `tools`: `["*"]` (all) or a list of tool
//   names — required by the docs, so new entries get `["*"]`, and a list is canonical includeTools.
// - Only PATH (and, since 1.0.10, "safe" system variables) is inherited by servers; other
//   variables must be set in `env`. Since v1.0.10 the CLI expands `$VAR`, `${VAR}` and
//   `${VAR:-default}` in the `env` block (github/copilot-cli#903, #1232; #1403 was a regression
//   in 0.0.407): `${VAR}` is written as it is, never the value (issue 21). Older versions pass
//   the text through.
import { json } from "./_format/jsonc.ts";
import { home, join } from "./_paths.ts";
import { standardAdapter } from "./_standard.ts";

export default standardAdapter({
  id: "copilot-cli",
  label: "GitHub Copilot CLI",
  aliases: ["copilot", "gh-copilot"],
  format: json,
  userPath: (ctx) =>
    ctx.env.COPILOT_HOME
      ? join(ctx, ctx.env.COPILOT_HOME, "mcp-config.json")
      : home(ctx, ".copilot", "mcp-config.json"),
  detectPaths: (ctx) => [ctx.env.COPILOT_HOME ? join(ctx, ctx.env.COPILOT_HOME) : home(ctx, ".copilot")],
  projectPath: (dir, ctx) => join(ctx, dir, ".mcp.json"),
  keys: { command: "command", args: "args", env: "env", headers: "headers", includeTools: "tools" },
  urlKeys: [{ key: "url" }],
  remote: ["http", "sse"],
  type: {
    key: "type",
    write: { stdio: "local", http: "http", sse: "sse" },
    read: { local: "stdio", stdio: "stdio", http: "http", sse: "sse" },
    writeOnStdio: true,
    requiredForRemote: true,
  },
  envSyntax: "dollar",
  decodeHook(raw, out, owned) {
    // `["*"]` means every tool: no canonical allow-list, kept as written.
    if (Array.isArray(raw.tools) && raw.tools.includes("*")) {
      delete out.includeTools;
      owned.delete("tools");
    }
  },
  encodeHook(_server, out) {
    // No allow-list: every tool (an existing `["*"]` comes back through the Copilot fields).
    if (out.tools === undefined) out.tools = ["*"];
  },
});
