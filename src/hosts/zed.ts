// Zed: `context_servers` inside the editor's settings.json (JSONC, every editor setting kept).
// Current shape (untagged): stdio `{command, args, env, timeout, enabled}`, http `{url,
// headers, enabled}`; no type, no SSE. `timeout` is in milliseconds (u64; Zed's
// `ContextServerCommand`: "Timeout for tool calls in milliseconds. Defaults to 60000"). Older builds tag entries `"source": "custom"`
// (kept when present) and the oldest nest `"command": {"path", "args", "env"}` (read). `args` is
// not optional in Zed's ContextServerCommand, so it is always written.
// Extension servers (`ContextServerSettingsContent::Extension`: `{enabled, remote, settings}`,
// tagged `"source": "extension"` by older builds) are started by the installed Zed extension of
// that name: no command or URL to copy to another host. They are listed as such and skipped with
// that reason (UnconvertibleServerError), never reported invalid, and never overwritten by a sync
// of a server with the same name.
import { isPlainObject } from "../core/edits.ts";
import { type Server, UnconvertibleServerError } from "../core/model.ts";
import type { HostAdapter } from "../core/adapter.ts";
import { jsonc } from "./_format/jsonc.ts";
import { appData, join, xdgConfig } from "./_paths.ts";
import { type StandardSpec, standardAdapter } from "./_standard.ts";

/** The keys of Zed's extension variant (and the older tag). */
const EXTENSION_KEYS: ReadonlySet<string> = new Set(["source", "enabled", "remote", "settings"]);

/** Whether a context_servers entry is an extension server: no command, no URL, only its keys. */
export function isExtensionServer(raw: unknown): boolean {
  if (!isPlainObject(raw) || raw.command !== undefined || raw.url !== undefined) return false;
  if (raw.source !== undefined && raw.source !== "extension") return false;
  for (const k in raw) if (Object.hasOwn(raw, k) && !EXTENSION_KEYS.has(k)) return false;
  return true;
}

/** The entry schema of custom (command or URL) servers; the adapter below adds extension servers. */
export const ZED_SPEC: StandardSpec = {
  id: "zed",
  label: "Zed",
  format: jsonc,
  container: { kind: "map", path: ["context_servers"] },
  userPath: (ctx) =>
    ctx.platform === "win32" ? appData(ctx, "Zed", "settings.json") : xdgConfig(ctx, "zed", "settings.json"),
  projectPath: (dir, ctx) => join(ctx, dir, ".zed", "settings.json"),
  keys: {
    command: "command",
    args: "args",
    env: "env",
    headers: "headers",
    timeout: "timeout",
    disabled: "enabled",
  },
  enabledKey: true,
  timeoutUnit: "ms",
  urlKeys: [{ key: "url" }],
  remote: ["http"],
  envSyntax: "none",
  decodeHook(raw, out) {
    const c = raw.command;
    if (isPlainObject(c)) {
      // Oldest shape: {"command": {"path": …, "args": […], "env": {…}}}
      out.command = c.path;
      if (c.args !== undefined) out.args = c.args;
      if (c.env !== undefined) out.env = c.env;
    }
  },
  decodeHookIdle: (raw) => !isPlainObject(raw.command),
  argsAlways: true,
  encodeHook(server, out, existing) {
    if ("command" in server) {
      const old = existing?.command;
      if (isPlainObject(old)) {
        // Keep the oldest shape for an entry that uses it.
        out.command = { ...old, path: out.command, args: out.args, ...(out.env ? { env: out.env } : {}) };
        delete out.args;
        delete out.env;
      }
    }
  },
  // The hook changes the value of `command` and deletes keys.
  encodeHookKeepsOrder: true,
};

const base = standardAdapter(ZED_SPEC);

const zed: HostAdapter = {
  ...base,
  decode(name: string, raw: unknown): Server {
    if (isExtensionServer(raw)) {
      throw new UnconvertibleServerError(
        name,
        `a Zed extension server: Zed starts it from its extension, with no command or URL to copy to another host`,
      );
    }
    return base.decode(name, raw);
  },
  encode(name, server, existing, ctx) {
    if (existing !== undefined && isExtensionServer(existing)) {
      return {
        skip: `"${name}" is a Zed extension server in this file; rename the server to add it to Zed`,
        losses: [],
      };
    }
    return base.encode(name, server, existing, ctx);
  },
};

export default zed;
