// Windsurf (Cascade): `~/.codeium/windsurf/mcp_config.json`; remote servers use `serverUrl`
// (or `url`); no type field (transport detected); `disabled`. Env refs `${env:VAR}`.
import { json } from "./_format/jsonc.ts";
import { home } from "./_paths.ts";
import { standardAdapter } from "./_standard.ts";

export default standardAdapter({
  id: "windsurf",
  label: "Windsurf",
  aliases: ["codeium"],
  format: json,
  userPath: (ctx) => home(ctx, ".codeium", "windsurf", "mcp_config.json"),
  detectPaths: (ctx) => [home(ctx, ".codeium", "windsurf")],
  keys: { command: "command", args: "args", env: "env", headers: "headers", disabled: "disabled" },
  urlKeys: [{ key: "serverUrl" }, { key: "url" }],
  remote: ["http", "sse"],
  envSyntax: "env-colon",
});
