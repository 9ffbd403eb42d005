// Gemini CLI: `~/.gemini/settings.json` (comments allowed; the file holds every CLI setting),
// project `.gemini/settings.json`. `mcpServers`; `url` + optional `type` sse|http (no type: SSE),
// legacy `httpUrl` = Streamable HTTP. `timeout` in ms, `cwd`, `description`, `includeTools`,
// `excludeTools`; `trust`, `oauth` … are kept as Gemini-only fields. Env refs `$VAR`, `${VAR}`,
// `${VAR:-default}`.
import { jsonc } from "./_format/jsonc.ts";
import { home, join } from "./_paths.ts";
import { type KeyMap, standardAdapter } from "./_standard.ts";

/** Gemini CLI's server fields (MCPServerConfig), shared by hosts that use its schema (Qwen Code). */
export const GEMINI_KEYS: KeyMap = {
  command: "command",
  args: "args",
  env: "env",
  cwd: "cwd",
  headers: "headers",
  timeout: "timeout",
  description: "description",
  includeTools: "includeTools",
  excludeTools: "excludeTools",
};

export default standardAdapter({
  id: "gemini",
  label: "Gemini CLI",
  aliases: ["gemini-cli", "gemini_cli"],
  format: jsonc,
  userPath: (ctx) => home(ctx, ".gemini", "settings.json"),
  detectPaths: (ctx) => [home(ctx, ".gemini")],
  projectPath: (dir, ctx) => join(ctx, dir, ".gemini", "settings.json"),
  keys: GEMINI_KEYS,
  urlKeys: [{ key: "url" }, { key: "httpUrl", implies: "http" }],
  remote: ["http", "sse"],
  defaultRemote: "sse",
  type: {
    key: "type",
    write: { http: "http", sse: "sse" },
    read: { http: "http", sse: "sse" },
    writeOnStdio: false,
    requiredForRemote: true,
  },
  timeoutUnit: "ms",
  envSyntax: "dollar-bare",
});
