// Windsurf (Cascade): `~/.codeium/windsurf/mcp_config.json`; remote servers use `serverUrl`
// (or `url`); no type field (transport detected); `disabled`. Env refs `${env:VAR}`.
import { json } from "./_format/jsonc.ts";
import { home } from "./_paths.ts";
import { type StandardSpec, standardAdapter } from "./_standard.ts";

/** The entry schema, shared with hosts that read the same file shape. */
export const WINDSURF_SPEC: StandardSpec = {
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
};

export default standardAdapter(WINDSURF_SPEC);
