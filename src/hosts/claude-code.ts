// Claude Code: user scope is the top-level `mcpServers` of `~/.claude.json` (a big file holding
// sessions and per-project state, all preserved); project scope is `.mcp.json`.
// `type` is stdio|http|sse|ws, `streamable-http` accepted for http, and required on URL entries
// (an entry with `url` and no `type` is skipped by Claude Code). `timeout` is in ms.
// Env refs: `${VAR}` and `${VAR:-default}`.
import { json } from "./_format/jsonc.ts";
import { home, join } from "./_paths.ts";
import { type StandardSpec, standardAdapter } from "./_standard.ts";

/** The entry schema, shared with hosts that read the same file shape. */
export const CLAUDE_CODE_SPEC: StandardSpec = {
  id: "claude-code",
  label: "Claude Code",
  aliases: ["claude_code", "claudecode", "claude"],
  format: json,
  userPath: (ctx) => home(ctx, ".claude.json"),
  detectPaths: (ctx) => [home(ctx, ".claude.json"), home(ctx, ".claude")],
  projectPath: (dir, ctx) => join(ctx, dir, ".mcp.json"),
  keys: { command: "command", args: "args", env: "env", headers: "headers", timeout: "timeout" },
  urlKeys: [{ key: "url" }],
  remote: ["http", "sse"],
  type: {
    key: "type",
    write: { stdio: "stdio", http: "http", sse: "sse" },
    read: { stdio: "stdio", http: "http", "streamable-http": "http", sse: "sse" },
    writeOnStdio: true,
    requiredForRemote: true,
  },
  timeoutUnit: "ms",
  envSyntax: "dollar",
  windowsCmdWrap: true,
};

export default standardAdapter(CLAUDE_CODE_SPEC);
