// Goose: `extensions` in `~/.config/goose/config.yaml` (XDG; Windows
// `%APPDATA%\Block\goose\config\config.yaml`), a YAML file that also holds GOOSE_PROVIDER,
// GOOSE_MODEL and every other Goose setting (kept byte for byte by the YAML codec).
// Facts from goose's `ExtensionEntry`/`ExtensionConfig` (crates/goose/src/{config/extensions.rs,
// agents/extension.rs}): an entry is `{enabled: bool, ...config}` with `config` tagged by `type`:
//   stdio           name, cmd, args (required, may be []), envs, env_keys, timeout (s), cwd,
//                   description, bundled, available_tools
//   streamable_http name, uri, headers, envs, env_keys, timeout, socket, description, ...
//   sse             read only ("SSE is unsupported, migrate to streamable_http"), never written
//   builtin, platform, frontend, inline_python: Goose's own extensions, not MCP server entries.
// `enabled` is required; goose writes `timeout: 300` (DEFAULT_EXTENSION_TIMEOUT) and the entry's
// `name`, and skips entries it cannot parse. `available_tools` is an allow-list (empty: all tools),
// so a non-empty one is canonical `includeTools`. `env_keys` names variables goose resolves itself
// (from its keyring or the environment) for a stdio server: read as the canonical env values
// `${env:NAME}`, and an env value that is one reference to the variable of its own name goes back
// as `env_keys`, never as the value (issue 21). Other references are resolved on write; the
// `headers`/`uri` `$VAR` substitution from those envs has no canonical equivalent. An empty
// `env_keys` list (goose writes one) stays a Goose-only field.
import { isPlainObject } from "../core/edits.ts";
import { anyRefIn, soleEnvRef } from "../core/envrefs.ts";
import { type Server, ServerValidationError } from "../core/model.ts";
import type { HostAdapter } from "../core/adapter.ts";
import { yaml } from "./_format/yaml.ts";
import { appData, xdgConfig } from "./_paths.ts";
import { type StandardSpec, standardAdapter } from "./_standard.ts";

/** Extension types that are Goose features, not MCP server entries: never read or overwritten. */
const NON_MCP_TYPES: ReadonlySet<string> = new Set(["builtin", "platform", "frontend", "inline_python"]);

/** Goose's DEFAULT_EXTENSION_TIMEOUT, in seconds, written on new entries. */
const DEFAULT_TIMEOUT_S = 300;

/** Key order of a new entry, as goose's own writers and docs show it. */
const NEW_ENTRY_ORDER = [
  "name",
  "type",
  "cmd",
  "args",
  "uri",
  "headers",
  "envs",
  "env_keys",
  "cwd",
  "description",
  "enabled",
  "timeout",
];

/** Host keys that goose accepts as null (serde default); a null one is kept as a Goose-only field. */
const NULLABLE: Record<string, string> = {
  description: "description",
  timeout: "timeout",
  available_tools: "includeTools",
};

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A stdio server's env values that are one reference to the variable of their own name, split off
 * as `env_keys`. From a Goose file (`literal`), only those read from `env_keys` (`${env:NAME}`):
 * its `envs` text `${NAME}` (which goose does not expand) is copied as text.
 */
export function nativeEnv(server: Server, literal: boolean): { server: Server; keys: string[] } | undefined {
  if (!("command" in server) || server.env === undefined || !anyRefIn(server.env)) return undefined;
  const fixed: Record<string, string> = {};
  const keys: string[] = [];
  for (const [k, v] of Object.entries(server.env)) {
    if (soleEnvRef(v) === k && !(literal && !v.startsWith("${env:"))) keys.push(k);
    else fixed[k] = v;
  }
  if (keys.length === 0) return undefined;
  const { env: _, ...rest } = server;
  return { server: { ...rest, ...(Object.keys(fixed).length > 0 ? { env: fixed } : {}) } as Server, keys };
}

/** `${NAME}` or `${env:NAME}` (no default): what goose substitutes in headers from `env_keys`. */
const HEADER_REF = /\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * A remote server's headers whose every reference is to an environment variable: goose
 * substitutes `${NAME}` in headers from the variables of the entry (`env_keys` names them), so
 * they are written as `${NAME}` with NAME in env_keys, never the value. Other headers (with a
 * `${secret:…}` or a default) are resolved on write.
 */
export function nativeHeaders(
  server: Server,
): { server: Server; headers: Record<string, string>; keys: string[] } | undefined {
  if (!("url" in server) || server.headers === undefined || !anyRefIn(server.headers)) return undefined;
  const fixed: Record<string, string> = {};
  const native: Record<string, string> = {};
  const keys = new Set<string>();
  for (const [h, v] of Object.entries(server.headers)) {
    const names = [...v.matchAll(HEADER_REF)].map((m) => m[1] as string);
    const rest = v.replace(HEADER_REF, "");
    if (names.length === 0 || rest.includes("${")) fixed[h] = v;
    else {
      native[h] = v.replace(HEADER_REF, (_m, n: string) => `\${${n}}`);
      for (const n of names) keys.add(n);
    }
  }
  if (keys.size === 0) return undefined;
  return { server: { ...server, headers: fixed } as Server, headers: native, keys: [...keys] };
}

/** A new entry's keys in NEW_ENTRY_ORDER (env_keys is added after the table wrote the rest). */
function ordered(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of NEW_ENTRY_ORDER) if (raw[k] !== undefined) out[k] = raw[k];
  for (const k of Object.keys(raw)) if (!Object.hasOwn(out, k)) out[k] = raw[k];
  return out;
}

function nonMcpType(raw: unknown): string | undefined {
  if (!isPlainObject(raw) || typeof raw.type !== "string") return undefined;
  const t = raw.type.toLowerCase();
  return NON_MCP_TYPES.has(t) ? t : undefined;
}

/** The entry schema; the adapter below adds what is not a table entry (names, builtins). */
export const GOOSE_SPEC: StandardSpec = {
  id: "goose",
  label: "Goose",
  format: yaml,
  container: { kind: "map", path: ["extensions"] },
  userPath: (ctx) =>
    ctx.platform === "win32"
      ? appData(ctx, "Block", "goose", "config", "config.yaml")
      : xdgConfig(ctx, "goose", "config.yaml"),
  keys: {
    command: "cmd",
    args: "args",
    env: "envs",
    cwd: "cwd",
    headers: "headers",
    disabled: "enabled",
    timeout: "timeout",
    includeTools: "available_tools",
    description: "description",
  },
  enabledKey: true,
  timeoutUnit: "s",
  urlKeys: [{ key: "uri" }],
  defaultRemote: "http",
  // SSE entries are still read (transport "sse"), but current Goose no longer runs them.
  remote: ["http"],
  type: {
    key: "type",
    write: { stdio: "stdio", http: "streamable_http", sse: "sse" },
    read: { stdio: "stdio", streamable_http: "http", sse: "sse" },
    writeOnStdio: true,
    requiredForRemote: true,
  },
  envSyntax: "none",
  // `name` equal to the map key is implied (goose fills it in); a different one is a display
  // name, kept as a Goose-only field. New entries carry it (goose identifies them by it) and
  // have their keys in the order goose writes them.
  nameKey: "name",
  newEntryOrder: NEW_ENTRY_ORDER,
  // NEW_ENTRY_ORDER, then the one key the table writes that it does not list.
  orderNewEntry(name, out) {
    const o: Record<string, unknown> = { name };
    let v = out.type;
    if (v !== undefined) o.type = v;
    v = out.cmd;
    if (v !== undefined) o.cmd = v;
    v = out.args;
    if (v !== undefined) o.args = v;
    v = out.uri;
    if (v !== undefined) o.uri = v;
    v = out.headers;
    if (v !== undefined) o.headers = v;
    v = out.envs;
    if (v !== undefined) o.envs = v;
    v = out.env_keys;
    if (v !== undefined) o.env_keys = v;
    v = out.cwd;
    if (v !== undefined) o.cwd = v;
    v = out.description;
    if (v !== undefined) o.description = v;
    v = out.enabled;
    if (v !== undefined) o.enabled = v;
    v = out.timeout;
    if (v !== undefined) o.timeout = v;
    v = out.available_tools;
    if (v !== undefined) o.available_tools = v;
    return o;
  },
  ownedKeys: ["env_keys"],
  decodeHook(raw, out, owned) {
    // env_keys of a stdio entry: env values `${env:NAME}`, unless one is also in `envs`.
    const keys = raw.env_keys;
    const envs = isPlainObject(out.env) ? out.env : {};
    if (
      out.command !== undefined &&
      Array.isArray(keys) &&
      keys.length > 0 &&
      keys.every((k) => typeof k === "string" && VAR_NAME.test(k) && !Object.hasOwn(envs, k))
    ) {
      out.env = { ...envs, ...Object.fromEntries((keys as string[]).map((k) => [k, `\${env:${k}}`])) };
    } else owned.delete("env_keys");
    for (const [key, field] of Object.entries(NULLABLE)) {
      if (raw[key] === null) {
        delete out[field];
        owned.delete(key);
      }
    }
    // `timeout: 300` is what goose assumes without one (resolve_timeout: DEFAULT_EXTENSION_TIMEOUT)
    // and writes on every entry it creates: no timeout the user chose, kept as a Goose field
    // (a default: other hosts lose nothing without it, see _defaults.ts).
    if (raw.timeout === DEFAULT_TIMEOUT_S) {
      delete out.timeout;
      owned.delete("timeout");
    }
    // `available_tools: []` means every tool: no canonical allow-list, kept as written.
    if (Array.isArray(raw.available_tools) && raw.available_tools.length === 0) {
      delete out.includeTools;
      owned.delete("available_tools");
    }
  },
  // The hook changes nothing unless a NULLABLE key is null, the timeout is the default or
  // available_tools is empty.
  decodeHookIdle: (raw) => {
    const tools = raw.available_tools;
    return (
      raw.env_keys === undefined &&
      raw.description !== null &&
      raw.timeout !== null &&
      raw.timeout !== DEFAULT_TIMEOUT_S &&
      tools !== null &&
      !(Array.isArray(tools) && tools.length === 0)
    );
  },
  encodeHook(server, out, existing) {
    // Goose requires `enabled`; when the source does not say, the existing choice stands.
    if (out.enabled === undefined)
      out.enabled = typeof existing?.enabled === "boolean" ? existing.enabled : true;
    // Timeouts are whole seconds (u64); a new entry gets goose's default, an existing entry
    // keeps its own when the source has none.
    if (typeof out.timeout === "number") out.timeout = Math.ceil(out.timeout);
    else if (out.timeout === undefined) {
      if (existing === undefined) out.timeout = DEFAULT_TIMEOUT_S;
      else if (existing.timeout !== undefined) out.timeout = existing.timeout;
    }
    // stdio `args` has no serde default in goose: always present (unless an existing entry
    // already does without it).
    if (
      "command" in server &&
      out.args === undefined &&
      (existing === undefined || existing.args !== undefined)
    ) {
      out.args = [];
    }
  },
};

const base = standardAdapter(GOOSE_SPEC);

const goose: HostAdapter = {
  ...base,
  decode(name: string, raw: unknown): Server {
    const t = nonMcpType(raw);
    if (t)
      throw new ServerValidationError(name, [`Goose "${t}" extensions are not MCP server entries`], true);
    return base.decode(name, raw);
  },
  encode(name, server, existing, ctx) {
    const t = existing === undefined ? undefined : nonMcpType(existing);
    if (t) {
      return {
        skip: `"${name}" is a Goose "${t}" extension, not an MCP server entry; rename the server to add it to Goose`,
        losses: [],
      };
    }
    // New entries get their name and key order from the spec (newEntryOrder).
    const native = nativeEnv(server, ctx.sourceKind === "goose");
    const hs = native === undefined && ctx.sourceKind !== "goose" ? nativeHeaders(server) : undefined;
    if (native === undefined && hs === undefined) return base.encode(name, server, existing, ctx);
    const r = base.encode(name, native?.server ?? (hs as { server: Server }).server, existing, ctx);
    if (r.raw) {
      if (hs) {
        r.raw.headers = { ...(isPlainObject(r.raw.headers) ? r.raw.headers : {}), ...hs.headers };
      }
      r.raw.env_keys = native?.keys ?? (hs as { keys: string[] }).keys;
      if (existing === undefined) r.raw = ordered(r.raw);
    }
    return r;
  },
};

export default goose;
