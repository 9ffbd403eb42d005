// What each host assumes when a field is absent (PRODUCT.md, Sync semantics 9: defaults are not
// losses). A field holding its host's default says nothing a target without the field loses, so
// it is not reported, and `--strict` stops only on real losses. A field that differs from the
// default (a disabled server, a Goose `env_keys` list that names variables) stays a loss.
//
// Two levels:
// - canonical fields: what every host assumes when the field is absent (`disabled: false`: a
//   host without the setting runs the server; empty lists and maps: nothing to pass);
// - host-only fields (canonical `extra`, keyed like `extra`): `null`, an empty list and an empty
//   map are what a field holds when it says nothing (serde `Option`/`#[serde(default)]`, JSON
//   `null`), and each host's table below adds the values it assumes itself. Facts are cited per
//   host; the adapters' tests hold them.
import { deepEqual } from "../core/edits.ts";
import type { CanonicalField } from "../core/model.ts";

/**
 * Canonical fields whose empty value means the same as no value. Not `includeTools`: an empty
 * allow-list can mean "no tool" (Codex `enabled_tools = []`), so it is a real setting.
 */
const EMPTY_IS_DEFAULT: ReadonlySet<CanonicalField> = new Set([
  "args",
  "env",
  "headers",
  "excludeTools",
  "autoApprove",
  "description",
]);

/** Whether a canonical field's value is what every host assumes when the field is absent. */
export function isCanonicalDefault(field: string, value: unknown): boolean {
  if (value === undefined) return true;
  if (field === "disabled") return value === false;
  return EMPTY_IS_DEFAULT.has(field as CanonicalField) && isEmpty(value);
}

/** null, "", [] or {}: what a field holds when it says nothing. */
function isEmpty(value: unknown): boolean {
  if (value === null || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") {
    // A plain map, whatever a parser gave it as prototype (null or Object.prototype).
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return false;
    for (const k in value as object) if (Object.hasOwn(value as object, k)) return false;
    return true;
  }
  return false;
}

/**
 * Host-only fields' defaults, by the key of canonical `extra` (the host id, or the shared key of
 * hosts with one schema: `vscode`, `cline`, `roo-code`) and the host's own field name.
 */
export const HOST_DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  // crates/goose/src/agents/extension.rs: `bundled: Option<bool>` (None), `env_keys` and
  // `available_tools` `#[serde(default)]` (empty: every tool), `timeout: Option<u64>` resolved
  // as DEFAULT_EXTENSION_TIMEOUT = 300 s (config/extensions.rs); goose writes all of them on
  // every entry it creates, so they say nothing the user chose.
  goose: { bundled: null, env_keys: [], available_tools: [], timeout: 300, description: "" },
  // Zed ContextServerSettingsContent: `enabled` (default true), `remote` (default false),
  // `settings` (extension settings, default {}); `"source": "custom"` is the older builds' tag of
  // every non-extension server.
  zed: { settings: {}, remote: false, source: "custom" },
  // opencode config schema (McpLocal/McpRemote): `enabled` defaults to true; `oauth: {}` is
  // automatic OAuth discovery, which is also what an absent `oauth` does.
  opencode: { enabled: true, oauth: {} },
  // openai/codex mcp_types.rs: `enabled` (true), `required` (false), `env_vars` (empty),
  // `startup_timeout_sec` (10 s, DEFAULT_STARTUP_TIMEOUT).
  codex: { enabled: true, required: false, startup_timeout_sec: 10 },
  // GitHub Copilot CLI: `tools: ["*"]` is every tool (the docs' default, written by hatch too).
  "copilot-cli": { tools: ["*"] },
  // Gemini CLI MCPServerConfig (Qwen Code shares it): `trust` (false: confirmations stay on).
  gemini: { trust: false },
  // VS Code IMcpStdioServerConfiguration: `sandboxEnabled` (false), `dev` (no dev mode).
  vscode: { sandboxEnabled: false },
  // Claude Code: `alwaysLoad` (false: tools load on demand).
  "claude-code": { alwaysLoad: false },
};

/** Whether host `extraKey`'s own field `key` holds what the host assumes when it is absent. */
export function isHostDefault(extraKey: string, key: string, value: unknown): boolean {
  if (isEmpty(value)) return true;
  const table = Object.hasOwn(HOST_DEFAULTS, extraKey) ? HOST_DEFAULTS[extraKey] : undefined;
  return table !== undefined && Object.hasOwn(table, key) && deepEqual(table[key], value);
}
