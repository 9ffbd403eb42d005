// opencode: `~/.config/opencode/opencode.json` (or .jsonc; every setting kept), project
// `opencode.json`. Key `mcp`; `type` "local" (command ARRAY of program + args, `environment`,
// `cwd`) or "remote" (`url`, `headers`, `oauth`); `enabled`; `timeout` in ms. Env refs `{env:VAR}`.
import { existsSync } from "node:fs";
import { jsonc } from "./_format/jsonc.ts";
import { join, xdgConfig } from "./_paths.ts";
import { standardAdapter } from "./_standard.ts";

export default standardAdapter({
  id: "opencode",
  label: "opencode",
  aliases: ["open-code"],
  format: jsonc,
  container: { kind: "map", path: ["mcp"] },
  userPath: (ctx) => {
    // opencode reads opencode.json or opencode.jsonc; edit the one that exists.
    const jsoncPath = xdgConfig(ctx, "opencode", "opencode.jsonc");
    return ctx.platform !== "win32" && existsSync(jsoncPath)
      ? jsoncPath
      : xdgConfig(ctx, "opencode", "opencode.json");
  },
  detectPaths: (ctx) => [xdgConfig(ctx, "opencode")],
  projectPath: (dir, ctx) => join(ctx, dir, "opencode.json"),
  keys: {
    command: "command",
    env: "environment",
    cwd: "cwd",
    headers: "headers",
    timeout: "timeout",
    disabled: "enabled",
  },
  enabledKey: true,
  timeoutUnit: "ms",
  urlKeys: [{ key: "url" }],
  remote: ["http", "sse"],
  type: {
    key: "type",
    write: { stdio: "local", http: "remote", sse: "remote" },
    read: { local: "stdio", remote: "http" },
    writeOnStdio: true,
    requiredForRemote: true,
  },
  envSyntax: "brace",
  commandArray: true,
  // opencode tries Streamable HTTP and falls back to SSE by itself: no transport to record.
  autoTransport: true,
});
