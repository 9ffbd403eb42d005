// Windsurf plugin for JetBrains IDEs — id `windsurf-jetbrains`.
// Facts (hosts.md §9; toolhive `windsurf-jetbrains` client): `~/.codeium/mcp_config.json` (the
// Codeium folder, not `~/.codeium/windsurf/`), same schema as Windsurf (`mcpServers`, remote
// `serverUrl` or `url`, `disabled`, `${env:VAR}`), whose host-only fields it shares.
import { home } from "./_paths.ts";
import { standardAdapter } from "./_standard.ts";
import { WINDSURF_SPEC } from "./windsurf.ts";

export default standardAdapter({
  ...WINDSURF_SPEC,
  id: "windsurf-jetbrains",
  label: "Windsurf (JetBrains plugin)",
  aliases: ["codeium-jetbrains"],
  extraKey: "windsurf",
  userPath: (ctx) => home(ctx, ".codeium", "mcp_config.json"),
  detectPaths: (ctx) => [home(ctx, ".codeium", "mcp_config.json")],
});
