// VS Code (Copilot Chat): `<VSC>/mcp.json` (JSONC) with `servers` and a top-level `inputs` array
// (kept untouched); project `.vscode/mcp.json`. `type` stdio|http|sse is required by the docs.
// Env refs `${env:NAME}`; `${input:id}` and `${workspaceFolder}` pass through as text.
// stdio entries also take `cwd` (microsoft/vscode `src/vs/platform/mcp/common/mcpPlatformTypes.ts`,
// IMcpStdioServerConfiguration: command, args, env, envFile, cwd, sandboxEnabled, dev): the
// canonical `cwd`, which Codex, Gemini, opencode, Goose … share, not a VS Code-only field.
import { jsonc } from "./_format/jsonc.ts";
import { join, vscodeUser } from "./_paths.ts";
import { type StandardSpec, standardAdapter, typeStdioHttpSse } from "./_standard.ts";

/** The entry schema, shared with hosts that read the same file shape. */
export const VSCODE_SPEC: StandardSpec = {
  id: "vscode",
  label: "VS Code",
  aliases: ["vs-code", "code"],
  format: jsonc,
  container: { kind: "map", path: ["servers"] },
  userPath: (ctx) => join(ctx, vscodeUser(ctx, "Code"), "mcp.json"),
  detectPaths: (ctx) => [vscodeUser(ctx, "Code")],
  projectPath: (dir, ctx) => join(ctx, dir, ".vscode", "mcp.json"),
  keys: {
    command: "command",
    args: "args",
    env: "env",
    cwd: "cwd",
    envFile: "envFile",
    headers: "headers",
  },
  urlKeys: [{ key: "url" }],
  remote: ["http", "sse"],
  type: typeStdioHttpSse(true, true),
  envSyntax: "env-colon",
};

export default standardAdapter(VSCODE_SPEC);
