// GitHub Copilot for JetBrains IDEs — id `copilot-jetbrains`.
// Facts: Settings → Tools → GitHub Copilot → Model Context Protocol → Configure opens an
// `mcp.json` with a top-level `servers` map (Adobe AEM "Setting up JetBrains with GitHub Copilot";
// GitHub's github-mcp-server install guide for other Copilot IDEs). The file is the Copilot
// language server's: `%LOCALAPPDATA%\github-copilot\intellij\mcp.json` on Windows (CoplayDev/
// unity-mcp#312, microsoft/apm#1225) and `$XDG_CONFIG_HOME/github-copilot/intellij/mcp.json`
// (default `~/.config/…`, where Copilot keeps `apps.json`) on macOS and Linux — the Unix path is
// not confirmed by GitHub's docs (unverified). Schema as VS Code's: `type` optional (stdio | http |
// sse), `command`, `args`, `env`, `url`, `headers`. No documented env-var interpolation. No
// project file.
import { json } from "./_format/jsonc.ts";
import { join, localAppData, xdgConfig } from "./_paths.ts";
import { standardAdapter, typeStdioHttpSse } from "./_standard.ts";

const dir = (ctx: Parameters<typeof xdgConfig>[0]) =>
  ctx.platform === "win32" ? localAppData(ctx, "github-copilot") : xdgConfig(ctx, "github-copilot");

export default standardAdapter({
  id: "copilot-jetbrains",
  label: "GitHub Copilot (JetBrains)",
  aliases: ["copilot-intellij"],
  format: json,
  container: { kind: "map", path: ["servers"] },
  userPath: (ctx) => join(ctx, dir(ctx), "intellij", "mcp.json"),
  detectPaths: (ctx) => [join(ctx, dir(ctx), "intellij")],
  keys: { command: "command", args: "args", env: "env", headers: "headers" },
  urlKeys: [{ key: "url" }],
  remote: ["http", "sse"],
  defaultRemote: "http",
  type: typeStdioHttpSse(false, false),
  envSyntax: "none",
});
