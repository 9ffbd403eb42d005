// Cline CLI 3.x / extension 4.x / SDK — id `cline`.
// Facts (hosts.md §11; cline/cline `sdk/packages/shared/src/storage/paths.ts` resolveMcpSettingsPath,
// `docs/mcp/configuring-mcp-servers.mdx`):
// - File: `$CLINE_MCP_SETTINGS_PATH` (the file itself), else `$CLINE_DATA_DIR/settings/…`, else
//   `$CLINE_DIR/data/settings/…`, else `~/.cline/data/settings/cline_mcp_settings.json` (same layout
//   under %USERPROFILE% on Windows). Cline's own mcp-overview page says `~/.cline/mcp.json`: wrong
//   (cline/cline#11671). No project file (cline/cline#2418). The extension 3.x file is `cline-vscode`.
// - JSON, `mcpServers`; flat fields `type` (`stdio` | `sse` | `streamableHttp`), `command`, `args`,
//   `env`, `url`, `headers`, `alwaysAllow` (auto-approved tools), `disabled`, `timeout` in SECONDS
//   (default 60). A `url` without `type` is SSE, so HTTP entries always get `type: streamableHttp`.
// - The new SDK's `cline mcp add` writes a nested `{"transport": {"type", "command", "args", …}}`
//   entry and still reads the flat one: nested entries are read, and an existing nested entry is
//   written back nested.
// - No env-var interpolation documented: references are resolved at sync time.
import { isPlainObject } from "../core/edits.ts";
import { json } from "./_format/jsonc.ts";
import { home, join, type PathContext } from "./_paths.ts";
import { type StandardSpec, standardAdapter } from "./_standard.ts";

const FILE = "cline_mcp_settings.json";

/** Keys the nested SDK shape keeps under `transport`. */
const NESTED = ["type", "command", "args", "env", "url", "headers"];

export const CLINE_SPEC: StandardSpec = {
  id: "cline",
  label: "Cline",
  aliases: ["cline-cli"],
  format: json,
  userPath: (ctx: PathContext) => {
    const e = ctx.env;
    if (e.CLINE_MCP_SETTINGS_PATH) return e.CLINE_MCP_SETTINGS_PATH;
    if (e.CLINE_DATA_DIR) return join(ctx, e.CLINE_DATA_DIR, "settings", FILE);
    if (e.CLINE_DIR) return join(ctx, e.CLINE_DIR, "data", "settings", FILE);
    return home(ctx, ".cline", "data", "settings", FILE);
  },
  detectPaths: (ctx) => [ctx.env.CLINE_DIR ? join(ctx, ctx.env.CLINE_DIR) : home(ctx, ".cline")],
  keys: {
    command: "command",
    args: "args",
    env: "env",
    headers: "headers",
    disabled: "disabled",
    timeout: "timeout",
    autoApprove: "alwaysAllow",
  },
  urlKeys: [{ key: "url" }],
  remote: ["http", "sse"],
  defaultRemote: "sse",
  type: {
    key: "type",
    write: { stdio: "stdio", http: "streamableHttp", sse: "sse" },
    read: { stdio: "stdio", sse: "sse", streamablehttp: "http" },
    writeOnStdio: false,
    requiredForRemote: true,
  },
  timeoutUnit: "s",
  envSyntax: "none",
  ownedKeys: ["transport"],
  decodeHook(raw, out, owned) {
    const t = raw.transport;
    if (!isPlainObject(t)) {
      owned.delete("transport");
      return;
    }
    // Nested SDK shape: the transport object carries what the flat shape has at the top.
    if (typeof t.command === "string") out.command = t.command;
    if (t.args !== undefined) out.args = t.args;
    if (t.env !== undefined) out.env = t.env;
    if (t.headers !== undefined) out.headers = t.headers;
    if (typeof t.url === "string") {
      out.url = t.url;
      const type = typeof t.type === "string" ? t.type.toLowerCase() : undefined;
      out.transport = type === "streamablehttp" || type === "http" ? "http" : "sse";
    }
  },
  encodeHook(_server, out, existing) {
    if (!existing || !isPlainObject(existing.transport)) return;
    // Keep an entry Cline wrote nested in its nested shape.
    const nested: Record<string, unknown> = { ...existing.transport };
    for (const k of NESTED) {
      delete nested[k];
      if (out[k] !== undefined) nested[k] = out[k];
      delete out[k];
    }
    if (nested.type === undefined) nested.type = "url" in nested ? "streamableHttp" : "stdio";
    out.transport = nested;
  },
};

export default standardAdapter(CLINE_SPEC);
