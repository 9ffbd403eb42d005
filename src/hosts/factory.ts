// Factory Droid — id `factory`.
// Facts (hosts.md §23; toolhive table; docs.factory.ai "MCP" page): user `~/.factory/mcp.json`,
// project `.factory/mcp.json`; JSON, `mcpServers`; `type` `stdio` | `http` | `sse` (written on
// every new entry, as `droid mcp add` does), `command`, `args`, `env`, `url`, `headers`, `disabled`.
// No env-var interpolation documented: references are resolved at sync time.
import { json } from "./_format/jsonc.ts";
import { home, join } from "./_paths.ts";
import { standardAdapter, typeStdioHttpSse } from "./_standard.ts";

export default standardAdapter({
  id: "factory",
  label: "Factory Droid",
  aliases: ["droid", "factory-droid"],
  format: json,
  userPath: (ctx) => home(ctx, ".factory", "mcp.json"),
  detectPaths: (ctx) => [home(ctx, ".factory")],
  projectPath: (dir, ctx) => join(ctx, dir, ".factory", "mcp.json"),
  keys: { command: "command", args: "args", env: "env", headers: "headers", disabled: "disabled" },
  urlKeys: [{ key: "url" }],
  remote: ["http", "sse"],
  type: typeStdioHttpSse(true, true),
  envSyntax: "none",
});
