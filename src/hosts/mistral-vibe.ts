// Mistral Vibe — id `mistral-vibe`.
// Facts (mistralai/mistral-vibe `vibe/core/config/_settings.py` — `_MCPBase`, `MCPHttp`,
// `MCPStreamableHttp`, `MCPStdio` — and `vibe/core/paths/_vibe_home.py`; docs.mistral.ai
// mistral-vibe configuration):
// - User `$VIBE_HOME/config.toml`, default `~/.vibe/config.toml` (Windows `%USERPROFILE%\.vibe`);
//   project `.vibe/config.toml` (trusted folders). TOML holding models, providers, tools … (edited
//   in place by the TOML patcher).
// - Servers are an ARRAY OF TABLES `[[mcp_servers]]`, each identified by `name` (Vibe normalises
//   it to `[A-Za-z0-9_-]`). `transport` is required: `stdio` | `http` | `streamable-http` (both
//   HTTP spellings are Streamable HTTP clients; no SSE). stdio: `command` (string, shell-split, or
//   a list), `args`, `env`. HTTP: `url`, `headers`, `api_key_env` / `api_key_header` /
//   `api_key_format` (a token from an env var), kept as Vibe fields. Shared: `prompt`,
//   `startup_timeout_sec` (kept), `tool_timeout_sec` (SECONDS, the canonical per-call timeout),
//   `sampling_enabled`.
// - No env-var interpolation in values: references are resolved at sync time (`api_key_env` is
//   Vibe's way to keep a token out of the file).
import { toml } from "./_format/toml.ts";
import { home, join } from "./_paths.ts";
import { standardAdapter } from "./_standard.ts";

export default standardAdapter({
  id: "mistral-vibe",
  label: "Mistral Vibe",
  aliases: ["vibe"],
  format: toml,
  container: { kind: "list", path: ["mcp_servers"], nameKey: "name" },
  userPath: (ctx) =>
    ctx.env.VIBE_HOME ? join(ctx, ctx.env.VIBE_HOME, "config.toml") : home(ctx, ".vibe", "config.toml"),
  detectPaths: (ctx) => [ctx.env.VIBE_HOME ? join(ctx, ctx.env.VIBE_HOME) : home(ctx, ".vibe")],
  projectPath: (dir, ctx) => join(ctx, dir, ".vibe", "config.toml"),
  keys: { command: "command", args: "args", env: "env", headers: "headers", timeout: "tool_timeout_sec" },
  urlKeys: [{ key: "url" }],
  remote: ["http"],
  type: {
    key: "transport",
    write: { stdio: "stdio", http: "http", sse: "sse" },
    read: { stdio: "stdio", http: "http", "streamable-http": "http" },
    writeOnStdio: true,
    requiredForRemote: true,
  },
  timeoutUnit: "s",
  envSyntax: "none",
  ownedKeys: ["name"],
  decodeHook(raw, out) {
    // `command` may be a list: program and leading arguments.
    if (Array.isArray(raw.command) && raw.command.every((s) => typeof s === "string")) {
      const [cmd, ...rest] = raw.command as string[];
      out.command = cmd;
      const args = [...rest, ...(Array.isArray(out.args) ? (out.args as string[]) : [])];
      if (args.length > 0) out.args = args;
      else delete out.args;
    }
  },
  encodeHook(server, out, existing) {
    // The list item's own `name` stays in the entry (an unchanged server plans as unchanged).
    if (existing !== undefined && Object.hasOwn(existing, "name")) out.name = existing.name;
    // An existing list-form command keeps its form (and its split with `args`) when it still fits.
    const old = existing?.command;
    if (!("command" in server) || !Array.isArray(old) || old[0] !== out.command) return;
    const args = (out.args as string[] | undefined) ?? [];
    const head = old.slice(1) as unknown[];
    const fits = head.length <= args.length && head.every((a, i) => a === args[i]);
    out.command = fits ? [out.command, ...head] : [out.command, ...args];
    const rest = fits ? args.slice(head.length) : [];
    if (rest.length > 0 || existing?.args !== undefined) out.args = rest;
    else delete out.args;
  },
});
