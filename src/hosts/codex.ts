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
// - `env_http_headers` (header → the name of the variable holding its value) is the canonical
//   header `"${VAR}"`: Cursor gets `${env:VAR}`, Claude Code `${VAR}`, and a canonical header that
//   is exactly one reference comes back to Codex as `env_http_headers`, never as the secret.
// - Native references (issue 21): Codex forwards a variable of its own environment to a stdio
//   server under the same name (`env_vars = ["GITHUB_TOKEN"]`, read as the canonical env value
//   `${env:GITHUB_TOKEN}`), and sends `Authorization: Bearer <value of VAR>` for
//   `bearer_token_env_var = "VAR"` (read as the header `Bearer ${VAR}`). So an env value that is
//   one reference to the variable of its own name goes back as `env_vars`, a bearer header as
//   `bearer_token_env_var`: never the value. A renamed variable (`API_KEY = "${MY_KEY}"`) or a
//   header of other text cannot be named, and is resolved on write. Codex's own `env` text
//   `"${GITHUB_TOKEN}"` (which Codex does not expand) stays that text in another Codex file.
import { isPlainObject } from "../core/edits.ts";
import { anyRefIn, soleEnvRef } from "../core/envrefs.ts";
import type { Server } from "../core/model.ts";
import type { HostAdapter } from "../core/adapter.ts";
import { toml } from "./_format/toml.ts";
import { home, join } from "./_paths.ts";
import { type StandardSpec, standardAdapter } from "./_standard.ts";

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** `Bearer ${VAR}` (or `${env:VAR}`): what `bearer_token_env_var` means. */
const BEARER_REF = /^Bearer \$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** `env_vars` as canonical env values (`${env:NAME}`), or undefined when it is not a list of names. */
function envVars(x: unknown): Record<string, string> | undefined {
  if (!Array.isArray(x) || x.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const v of x) {
    if (typeof v !== "string" || !VAR_NAME.test(v)) return undefined;
    out[v] = `\${env:${v}}`;
  }
  return out;
}

/** `env_http_headers` as canonical headers, or undefined when it is not a map of variable names. */
function envHeaders(x: unknown): Record<string, string> | undefined {
  if (!isPlainObject(x)) return undefined;
  const out: Record<string, string> = {};
  for (const k in x) {
    if (!Object.hasOwn(x, k)) continue;
    const v = x[k];
    if (typeof v !== "string" || !VAR_NAME.test(v) || k === "__proto__") return undefined;
    out[k] = `\${${v}}`;
  }
  return out;
}

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

/** env_http_headers into the canonical headers (a Codex field as written when it cannot be). */
function headersFromEnv(
  raw: Record<string, unknown>,
  out: Record<string, unknown>,
  owned: Set<string>,
): void {
  const fromEnv = envHeaders(raw.env_http_headers);
  const headers = isPlainObject(out.headers) ? out.headers : {};
  // On a stdio entry, a map that is not header → variable name, or a header in both maps: kept
  // as written, a Codex field.
  if (
    out.url === undefined ||
    fromEnv === undefined ||
    Object.keys(fromEnv).some((h) => Object.hasOwn(headers, h))
  ) {
    owned.delete("env_http_headers");
    return;
  }
  out.headers = { ...headers, ...fromEnv };
}

/** The entry schema; the adapter below adds `env_http_headers`. */
export const CODEX_SPEC: StandardSpec = {
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
  // env_http_headers, bearer_token_env_var and env_vars are read into the canonical headers and
  // env (see splitEnvHeaders and nativeEnv for the way back).
  ownedKeys: ["env_http_headers", "bearer_token_env_var", "env_vars"],
  decodeHook(raw, out, owned) {
    // env_vars on a stdio entry: env values `${env:NAME}`, unless a name is also in `env`.
    const vars = out.url === undefined ? envVars(raw.env_vars) : undefined;
    const env = isPlainObject(out.env) ? out.env : {};
    if (vars === undefined || Object.keys(vars).some((k) => Object.hasOwn(env, k))) owned.delete("env_vars");
    else out.env = { ...env, ...vars };
    headersFromEnv(raw, out, owned);
    // bearer_token_env_var on a remote entry: the header `Authorization: Bearer ${VAR}`, unless
    // the entry also has an Authorization header.
    const bearer = raw.bearer_token_env_var;
    const hs = isPlainObject(out.headers) ? out.headers : {};
    if (
      out.url === undefined ||
      typeof bearer !== "string" ||
      !VAR_NAME.test(bearer) ||
      Object.keys(hs).some((h) => h.toLowerCase() === "authorization")
    ) {
      owned.delete("bearer_token_env_var");
    } else out.headers = { ...hs, Authorization: `Bearer \${${bearer}}` };
  },
  decodeHookIdle: (raw) =>
    raw.env_http_headers === undefined &&
    raw.env_vars === undefined &&
    raw.bearer_token_env_var === undefined,
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
};

const base = standardAdapter(CODEX_SPEC);

/** Codex's native forms of a server's references, and the server left to write as it is. */
interface Native {
  server: Server;
  envHeaders?: Record<string, string>;
  bearer?: string;
  envVars?: string[];
}

/**
 * A server's headers split for Codex: those that are one reference (`${VAR}`) become
 * `env_http_headers` (header → variable name) and an `Authorization: Bearer ${VAR}` header
 * `bearer_token_env_var`, unless the existing entry already writes that very text as a static
 * header; the rest stay static headers. Undefined when there is nothing to move.
 */
export function splitEnvHeaders(server: Server, existing: unknown): Native | undefined {
  if (!("url" in server) || server.headers === undefined || !anyRefIn(server.headers)) return undefined;
  const prev = isPlainObject(existing) ? existing : undefined;
  const staticPrev = isPlainObject(prev?.http_headers) ? prev.http_headers : {};
  const fixed: Record<string, string> = {};
  const byEnv: Record<string, string> = {};
  let bearer: string | undefined;
  for (const [h, v] of Object.entries(server.headers)) {
    if (staticPrev[h] === v) {
      fixed[h] = v;
      continue;
    }
    const sole = soleEnvRef(v);
    const b = h.toLowerCase() === "authorization" ? BEARER_REF.exec(v) : null;
    if (sole !== undefined) byEnv[h] = sole;
    else if (b && bearer === undefined) bearer = b[1] as string;
    else fixed[h] = v;
  }
  if (Object.keys(byEnv).length === 0 && bearer === undefined) return undefined;
  const { headers: _, ...rest } = server;
  const keepFixed = Object.keys(fixed).length > 0 || prev?.http_headers !== undefined;
  return {
    server: { ...rest, ...(keepFixed ? { headers: fixed } : {}) } as Server,
    ...(Object.keys(byEnv).length > 0 ? { envHeaders: byEnv } : {}),
    ...(bearer !== undefined ? { bearer } : {}),
  };
}

/**
 * A stdio server's env values that are one reference to the variable of their own name
 * (`GITHUB_TOKEN = ${GITHUB_TOKEN}`) as `env_vars`. From a Codex file (`literal`), only those it
 * read from `env_vars` (`${env:NAME}`): its `env` text `${NAME}` is copied as text.
 */
export function nativeEnv(server: Server, literal: boolean): Native | undefined {
  if (!("command" in server) || server.env === undefined || !anyRefIn(server.env)) return undefined;
  const fixed: Record<string, string> = {};
  const vars: string[] = [];
  for (const [k, v] of Object.entries(server.env)) {
    if (soleEnvRef(v) === k && !(literal && !v.startsWith("${env:"))) vars.push(k);
    else fixed[k] = v;
  }
  if (vars.length === 0) return undefined;
  const { env: _, ...rest } = server;
  return {
    server: { ...rest, ...(Object.keys(fixed).length > 0 ? { env: fixed } : {}) } as Server,
    envVars: vars,
  };
}

const codex: HostAdapter = {
  ...base,
  encode(name, server, existing, ctx) {
    const native = splitEnvHeaders(server, existing) ?? nativeEnv(server, ctx.sourceKind === "codex");
    if (native === undefined) return base.encode(name, server, existing, ctx);
    const r = base.encode(name, native.server, existing, ctx);
    if (r.raw) {
      if (native.envHeaders) r.raw.env_http_headers = native.envHeaders;
      if (native.bearer !== undefined) r.raw.bearer_token_env_var = native.bearer;
      if (native.envVars) r.raw.env_vars = native.envVars;
    }
    return r;
  },
};

export default codex;
