// Trae (ByteDance) — id `trae`.
// Facts (hosts.md §21; toolhive and mcpm agree on macOS/Windows): macOS
// `~/Library/Application Support/Trae/User/mcp.json`, Windows `%APPDATA%\Trae\User\mcp.json`;
// Linux is disputed (toolhive `~/.config/Trae/User/mcp.json`, used here; mcpm `~/.config/trae/mcp.json`)
// — unverified. JSON, `mcpServers`; stdio `command`/`args`/`env`, remote `url` (+ `headers`), no
// type field. No project file and no env-var interpolation documented.
import { json } from "./_format/jsonc.ts";
import { appConfig, join } from "./_paths.ts";
import { standardAdapter } from "./_standard.ts";

export default standardAdapter({
  id: "trae",
  label: "Trae",
  format: json,
  userPath: (ctx) => appConfig(ctx, "Trae", "User", "mcp.json"),
  detectPaths: (ctx) => [join(ctx, appConfig(ctx, "Trae"))],
  keys: { command: "command", args: "args", env: "env", headers: "headers" },
  urlKeys: [{ key: "url" }],
  remote: ["http", "sse"],
  envSyntax: "none",
});
