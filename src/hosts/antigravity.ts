// Google Antigravity — id `antigravity`.
// Facts (hosts.md §23; toolhive and add-mcp client tables): `~/.gemini/antigravity/mcp_config.json`
// (same under %USERPROFILE% on Windows); JSON, `mcpServers`; stdio `command`/`args`/`env`;
// remote servers use `serverUrl` (+ `headers`), no type field (the transport is detected).
// No project file and no env-var interpolation documented.
import { json } from "./_format/jsonc.ts";
import { home } from "./_paths.ts";
import { standardAdapter } from "./_standard.ts";

export default standardAdapter({
  id: "antigravity",
  label: "Antigravity",
  aliases: ["google-antigravity"],
  format: json,
  userPath: (ctx) => home(ctx, ".gemini", "antigravity", "mcp_config.json"),
  detectPaths: (ctx) => [home(ctx, ".gemini", "antigravity")],
  keys: { command: "command", args: "args", env: "env", headers: "headers", disabled: "disabled" },
  urlKeys: [{ key: "serverUrl" }, { key: "url" }],
  remote: ["http", "sse"],
  envSyntax: "none",
});
