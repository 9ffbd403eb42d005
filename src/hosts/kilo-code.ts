// Kilo Code (VS Code extension, a Roo Code fork) — id `kilo-code`.
// Facts (hosts.md §12; kilo.ai docs "MCP in Kilo Code"): global
// `<VSC>/globalStorage/kilocode.kilo-code/settings/mcp_settings.json`, project `.kilocode/mcp.json`;
// Kilo's CLI keeps its own copy at `~/.kilocode/cli/global/settings/mcp_settings.json` (detected as
// a sign of Kilo). Same entry schema as Roo Code (type stdio|sse|streamable-http, url without type
// = SSE, `timeout` in seconds, `alwaysAllow`, `disabledTools`, `${env:VAR}`), so Roo's host-only
// fields are shared.
import { home, join } from "./_paths.ts";
import { standardAdapter } from "./_standard.ts";
import { globalStorage, ROO_SPEC } from "./roo-code.ts";

export default standardAdapter({
  ...ROO_SPEC,
  id: "kilo-code",
  label: "Kilo Code",
  aliases: ["kilo", "kilocode"],
  extraKey: "roo-code",
  userPath: (ctx) => join(ctx, globalStorage(ctx, "kilocode.kilo-code"), "settings", "mcp_settings.json"),
  detectPaths: (ctx) => [globalStorage(ctx, "kilocode.kilo-code"), home(ctx, ".kilocode")],
  projectPath: (dir, ctx) => join(ctx, dir, ".kilocode", "mcp.json"),
});
