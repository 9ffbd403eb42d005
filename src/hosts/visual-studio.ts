// Visual Studio 2022 (17.14+) / 2026, GitHub Copilot agent mode — id `visual-studio`.
// Facts (learn.microsoft.com/visualstudio/ide/mcp-servers; github/github-mcp-server
// `docs/installation-guides/install-other-copilot-ides.md`): a `.mcp.json` in `%USERPROFILE%`
// (global) or in the solution directory (project; Visual Studio also reads `.vs/mcp.json` and
// `.vscode/mcp.json`). Windows only. JSON with VS Code's schema: top-level `servers`, entries
// `type` (`stdio` | `http` | `sse`; optional — a url entry defaults to HTTP), `command`, `args`,
// `env`, `url`, `headers`; `inputs` kept. Env-var interpolation is not documented for Visual
// Studio (unverified): references are resolved at sync time.
import { json } from "./_format/jsonc.ts";
import { home, join } from "./_paths.ts";
import { standardAdapter, typeStdioHttpSse } from "./_standard.ts";

export default standardAdapter({
  id: "visual-studio",
  label: "Visual Studio",
  aliases: ["vs", "vs2022", "visualstudio"],
  format: json,
  container: { kind: "map", path: ["servers"] },
  userPath: (ctx) => (ctx.platform === "win32" ? home(ctx, ".mcp.json") : undefined),
  detectPaths: (ctx) => [home(ctx, ".mcp.json"), home(ctx, "AppData", "Local", "Microsoft", "VisualStudio")],
  projectPath: (dir, ctx) => join(ctx, dir, ".mcp.json"),
  keys: { command: "command", args: "args", env: "env", headers: "headers" },
  urlKeys: [{ key: "url" }],
  remote: ["http", "sse"],
  defaultRemote: "http",
  type: typeStdioHttpSse(false, false),
  envSyntax: "none",
});
