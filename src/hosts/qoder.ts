// Qoder — id `qoder`.
// Facts (hosts.md §23; toolhive table): `~/.qoder/mcp.json` on macOS and Linux,
// `%APPDATA%\Qoder\SharedClientCache\mcp.json` on Windows; JSON, `mcpServers`; stdio
// `command`/`args`/`env`, remote `url` + `headers`, no type field. No project file and no env-var
// interpolation documented.
import { json } from "./_format/jsonc.ts";
import { appData, home } from "./_paths.ts";
import { standardAdapter } from "./_standard.ts";

export default standardAdapter({
  id: "qoder",
  label: "Qoder",
  format: json,
  userPath: (ctx) =>
    ctx.platform === "win32"
      ? appData(ctx, "Qoder", "SharedClientCache", "mcp.json")
      : home(ctx, ".qoder", "mcp.json"),
  keys: { command: "command", args: "args", env: "env", headers: "headers" },
  urlKeys: [{ key: "url" }],
  remote: ["http", "sse"],
  envSyntax: "none",
});
