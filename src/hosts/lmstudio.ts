// LM Studio: `~/.lmstudio/mcp.json`, "follows Cursor's mcp.json notation": `mcpServers`, stdio
// `command`/`args`/`env`, remote `url` + `headers`. No documented env interpolation.
import { json } from "./_format/jsonc.ts";
import { home } from "./_paths.ts";
import { standardAdapter } from "./_standard.ts";

export default standardAdapter({
  id: "lmstudio",
  label: "LM Studio",
  aliases: ["lm-studio", "lm_studio"],
  format: json,
  userPath: (ctx) => home(ctx, ".lmstudio", "mcp.json"),
  keys: { command: "command", args: "args", env: "env", headers: "headers" },
  urlKeys: [{ key: "url" }],
  remote: ["http"],
  envSyntax: "none",
});
