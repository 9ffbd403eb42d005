// Cline VS Code extension 3.x — id `cline-vscode`.
// `<VSC>/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json` (hosts.md §11;
// mcpm, toolhive, add-mcp `cline`), where `<VSC>` is the VS Code user directory of each OS. Same
// entry schema as `cline` (flat `type` stdio|sse|streamableHttp, `timeout` in seconds,
// `alwaysAllow`, `disabled`; url without type = SSE; no env interpolation), so host-only fields are
// shared with it. No project file.
import { join, vscodeUser } from "./_paths.ts";
import { standardAdapter } from "./_standard.ts";
import { CLINE_SPEC } from "./cline.ts";

const dir = (ctx: Parameters<typeof vscodeUser>[0]) =>
  join(ctx, vscodeUser(ctx, "Code"), "globalStorage", "saoudrizwan.claude-dev");

export default standardAdapter({
  ...CLINE_SPEC,
  id: "cline-vscode",
  label: "Cline (VS Code extension)",
  aliases: ["claude-dev"],
  extraKey: "cline",
  userPath: (ctx) => join(ctx, dir(ctx), "settings", "cline_mcp_settings.json"),
  detectPaths: (ctx) => [dir(ctx)],
});
