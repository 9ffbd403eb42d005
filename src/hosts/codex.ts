// OpenAI Codex CLI (reference: openai/codex `codex-rs/config/src/mcp_types.rs`, Codex docs/config.md).
// - Files: `$CODEX_HOME/config.toml`, else `~/.codex/config.toml` (Windows `%USERPROFILE%\.codex`);
//   project `.codex/config.toml` (honoured for trusted projects only). TOML holding every other
//   Codex setting (model, approval_policy, sandbox_mode, profiles, …): edited in place, never dumped.
// - Servers are `[mcp_servers.<name>]` tables; env as an inline table or `[mcp_servers.<name>.env]`.
// - The transport is inferred: `command` ⇒ stdio, else `url` ⇒ Streamable HTTP (no SSE). There is
//   no `type` key: hatch never adds one (an existing entry's own `type` is left as it is).
// - stdio: `command`, `args`, `env`, `env_vars`, `cwd`, `experimental_environment`.
//   HTTP: `url`, `http_headers`, `env_http_headers`, `bearer_token_env_var`, `oauth`,
//   `oauth_resource`, `scopes` (an inline `bearer_token` is rejected).
//   Shared: `enabled` (default true), `required`, `supports_parallel_tool_calls`,
//   `startup_timeout_sec` (float; alt `startup_timeout_ms`), `tool_timeout_sec` (float seconds:
//   the canonical per-call `timeout`), `default_tools_approval_mode`, `enabled_tools`,
//   `disabled_tools`, `[mcp_servers.<n>.tools.<tool>] approval_mode`. Unknown ones live in `extra`.
// - A stdio-only key on an HTTP server (or the reverse) fails loading the WHOLE file ("url is not
//   supported for stdio"), so a server that changes transport loses the other transport's keys.
// - No `${VAR}` interpolation: canonical references are resolved from the environment on write;
//   secrets belong in `env_vars`, `bearer_token_env_var`, `env_http_headers`.
import { toml } from "./_format/toml.ts";
import { home, join } from "./_paths.ts";
import { standardAdapter } from "./_standard.ts";

/** Keys Codex accepts only on stdio servers, and only on Streamable HTTP servers. */
const STDIO_ONLY: ReadonlySet<string> = new Set([
  "command",
  "args",
  "env",
  "env_vars",
  "cwd",
  "experimental_environment",
]);
const HTTP_ONLY: ReadonlySet<string> = new Set([
  "url",
  "http_headers",
  "env_http_headers",
  "bearer_token_env_var",
  "bearer_token",
  "oauth",
  "oauth_resource",
  "scopes",
]);

export default standardAdapter({
  id: "codex",
  label: "Codex CLI",
  aliases: ["codex-cli", "openai-codex"],
  format: toml,
  container: { kind: "map", path: ["mcp_servers"] },
  userPath: (ctx) => {
    const codexHome = ctx.env.CODEX_HOME;
    return codexHome ? join(ctx, codexHome, "config.toml") : home(ctx, ".codex", "config.toml");
  },
  detectPaths: (ctx) => [ctx.env.CODEX_HOME ? join(ctx, ctx.env.CODEX_HOME) : home(ctx, ".codex")],
  projectPath: (dir, ctx) => join(ctx, dir, ".codex", "config.toml"),
  keys: {
    command: "command",
    args: "args",
    env: "env",
    cwd: "cwd",
    headers: "http_headers",
    disabled: "enabled",
    timeout: "tool_timeout_sec",
    includeTools: "enabled_tools",
    excludeTools: "disabled_tools",
  },
  enabledKey: true,
  timeoutUnit: "s",
  urlKeys: [{ key: "url", implies: "http" }],
  remote: ["http"],
  envSyntax: "none",
  encodeHook(server, out, existing) {
    // Codex has no `type` key; keep one only where the user's entry already has it.
    if (!existing || existing.type === undefined) delete out.type;
    // Keys of the other transport make Codex refuse the whole file.
    const other = "url" in server && typeof server.url === "string" ? STDIO_ONLY : HTTP_ONLY;
    // Over the entry's few keys, not a delete per key of the list (each a runtime call).
    for (const k in out) if (other.has(k)) delete out[k];
  },
  // The hook only deletes keys.
  encodeHookKeepsOrder: true,
});
