// VS Code Insiders — id `vscode-insiders`.
// Facts (hosts.md §4; microsoft/vscode-docs `docs/copilot/reference/mcp-configuration.md`): the
// Insiders build keeps its user directory under `Code - Insiders` instead of `Code` (macOS
// `~/Library/Application Support/Code - Insiders/User`, Linux `~/.config/Code - Insiders/User`,
// Windows `%APPDATA%\Code - Insiders\User`); `mcp.json` there, same schema as `vscode` (`servers`,
// `inputs`, required `type`, `${env:VAR}`), whose host-only fields it shares. The workspace file
// `.vscode/mcp.json` is shared with stable VS Code (use `vscode` for project scope).
import { join, vscodeUser } from "./_paths.ts";
import { standardAdapter } from "./_standard.ts";
import { VSCODE_SPEC } from "./vscode.ts";

const { projectPath: _shared, ...spec } = VSCODE_SPEC;

export default standardAdapter({
  ...spec,
  id: "vscode-insiders",
  label: "VS Code Insiders",
  aliases: ["code-insiders"],
  extraKey: "vscode",
  userPath: (ctx) => join(ctx, vscodeUser(ctx, "Code - Insiders"), "mcp.json"),
  detectPaths: (ctx) => [vscodeUser(ctx, "Code - Insiders")],
});
