// Roo Code (VS Code extension) — id `roo-code`.
// Facts (hosts.md §12; docs.roocode.com/features/mcp/using-mcp-in-roo; Roo `src/services/mcp/McpHub.ts`):
// - Global `<VSC>/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json`; project
//   `.roo/mcp.json` (project wins on a name clash).
// - JSON, `mcpServers`. stdio: `type?: "stdio"`, `command`, `args`, `cwd`, `env`; remote: `type`
//   `sse` | `streamable-http`, `url`, `headers` — a url without type is SSE, so HTTP entries always
//   get `type: streamable-http`. Shared: `disabled`, `timeout` in SECONDS (1–3600, default 60),
//   `alwaysAllow` (auto-approved tools), `disabledTools`, `watchPaths` (kept as a Roo field).
// - Env refs `${env:VAR}`.
// - The extension was discontinued in 2026 (toolhive); its fork Kilo Code (`kilo-code`) reads the
//   same schema.
import { json } from "./_format/jsonc.ts";
import { join, type PathContext, vscodeUser } from "./_paths.ts";
import { type StandardSpec, standardAdapter } from "./_standard.ts";

/** The extension's globalStorage folder in the VS Code user directory. */
export function globalStorage(ctx: PathContext, extension: string): string {
  return join(ctx, vscodeUser(ctx, "Code"), "globalStorage", extension);
}

export const ROO_SPEC: StandardSpec = {
  id: "roo-code",
  label: "Roo Code",
  aliases: ["roo", "roo-cline"],
  format: json,
  userPath: (ctx) =>
    join(ctx, globalStorage(ctx, "rooveterinaryinc.roo-cline"), "settings", "mcp_settings.json"),
  detectPaths: (ctx) => [globalStorage(ctx, "rooveterinaryinc.roo-cline")],
  projectPath: (dir, ctx) => join(ctx, dir, ".roo", "mcp.json"),
  keys: {
    command: "command",
    args: "args",
    env: "env",
    cwd: "cwd",
    headers: "headers",
    disabled: "disabled",
    timeout: "timeout",
    excludeTools: "disabledTools",
    autoApprove: "alwaysAllow",
  },
  urlKeys: [{ key: "url" }],
  remote: ["http", "sse"],
  defaultRemote: "sse",
  type: {
    key: "type",
    write: { stdio: "stdio", http: "streamable-http", sse: "sse" },
    read: { stdio: "stdio", sse: "sse", "streamable-http": "http" },
    writeOnStdio: false,
    requiredForRemote: true,
  },
  timeoutUnit: "s",
  envSyntax: "env-colon",
};

export default standardAdapter(ROO_SPEC);
