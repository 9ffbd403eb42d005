// VS Code Server (Remote-SSH, WSL, dev containers, code tunnels) — id `vscode-server`.
// Facts (hosts.md §4, §23; toolhive client table): the remote side's user data lives in
// `~/.vscode-server/data/User/`, so its user `mcp.json` is `~/.vscode-server/data/User/mcp.json`,
// same schema as `vscode` (`servers`, `inputs`, `type`, `${env:VAR}`). The server runs on Linux
// (and macOS remotes); there is no Windows VS Code Server layout.
import { home } from "./_paths.ts";
import { standardAdapter } from "./_standard.ts";
import { VSCODE_SPEC } from "./vscode.ts";

const { projectPath: _shared, ...spec } = VSCODE_SPEC;

export default standardAdapter({
  ...spec,
  id: "vscode-server",
  label: "VS Code Server",
  aliases: ["vscode-remote"],
  extraKey: "vscode",
  userPath: (ctx) =>
    ctx.platform === "win32" ? undefined : home(ctx, ".vscode-server", "data", "User", "mcp.json"),
  detectPaths: (ctx) => [home(ctx, ".vscode-server")],
});
