// JetBrains Junie — id `junie`.
// Facts (hosts.md §18; jetbrains.com/help/junie/model-context-protocol-mcp.html; rulesync, ruler):
// user `~/.junie/mcp/mcp.json`, project `.junie/mcp/mcp.json`; JSON, `mcpServers` with `command`,
// `args`, `env`. Junie runs stdio servers only (docs), so remote servers are skipped. Tool
// auto-approval lives in Junie's Action Allowlist, not in the file. No env-var interpolation
// documented: references are resolved at sync time.
import { json } from "./_format/jsonc.ts";
import { home, join } from "./_paths.ts";
import { BASIC_KEYS, standardAdapter } from "./_standard.ts";

export default standardAdapter({
  id: "junie",
  label: "Junie",
  format: json,
  userPath: (ctx) => home(ctx, ".junie", "mcp", "mcp.json"),
  detectPaths: (ctx) => [home(ctx, ".junie")],
  projectPath: (dir, ctx) => join(ctx, dir, ".junie", "mcp", "mcp.json"),
  keys: BASIC_KEYS,
  urlKeys: [],
  remote: [],
  envSyntax: "none",
});
