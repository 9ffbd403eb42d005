// Zed: `context_servers` inside the editor's settings.json (JSONC, every editor setting kept).
// Current shape (untagged): stdio `{command, args, env, timeout, enabled}`, http `{url,
// headers, enabled}`; no type, no SSE. `timeout` is in milliseconds (u64; Zed's
// `ContextServerCommand`: "Timeout for tool calls in milliseconds. Defaults to 60000"). Older builds tag entries `"source": "custom"`
// (kept when present) and the oldest nest `"command": {"path", "args", "env"}` (read). `args` is
// not optional in Zed's ContextServerCommand, so it is always written.
import { isPlainObject } from "../core/edits.ts";
import { jsonc } from "./_format/jsonc.ts";
import { appData, join, xdgConfig } from "./_paths.ts";
import { standardAdapter } from "./_standard.ts";

export default standardAdapter({
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
});
