// Kiro: `~/.kiro/settings/mcp.json`, workspace `.kiro/settings/mcp.json`; `mcpServers` with
// `disabled`, `autoApprove` and `disabledTools` (= canonical excludeTools); no `type` field.
// Env refs `${VAR}` (Kiro expands only variables the user approved).
import { json } from "./_format/jsonc.ts";
import { home, join } from "./_paths.ts";
import { standardAdapter } from "./_standard.ts";

export default standardAdapter({
  id: "kiro",
  label: "Kiro",
  format: json,
  userPath: (ctx) => home(ctx, ".kiro", "settings", "mcp.json"),
  detectPaths: (ctx) => [home(ctx, ".kiro")],
  projectPath: (dir, ctx) => join(ctx, dir, ".kiro", "settings", "mcp.json"),
  keys: {
    command: "command",
    args: "args",
    env: "env",
    headers: "headers",
    disabled: "disabled",
    autoApprove: "autoApprove",
    excludeTools: "disabledTools",
  },
  urlKeys: [{ key: "url" }],
  remote: ["http", "sse"],
  envSyntax: "dollar",
});
