// Qwen Code — id `qwen`.
// Facts (hosts.md §23; QwenLM/qwen-code is a Gemini CLI fork: `docs/tools/mcp-server.md`; mcpm,
// ruler): user `~/.qwen/settings.json`, project `.qwen/settings.json`; JSON with comments holding
// every CLI setting. `mcpServers` with Gemini's `MCPServerConfig`: `command`, `args`, `env`, `cwd`,
// `url` (SSE), `httpUrl` (Streamable HTTP), `headers`, `timeout` (ms), `trust`, `description`,
// `includeTools`, `excludeTools`, `oauth` …. Qwen forked before Gemini added `type`, so the
// transport is told by the key: HTTP servers are written as `httpUrl`, SSE as `url`.
// Env refs `$VAR`, `${VAR}` (Gemini's settings expansion). Gemini's host-only fields are shared.
import { GEMINI_KEYS } from "./gemini.ts";
import { jsonc } from "./_format/jsonc.ts";
import { home, join } from "./_paths.ts";
import { standardAdapter } from "./_standard.ts";

export default standardAdapter({
  id: "qwen",
  label: "Qwen Code",
  aliases: ["qwen-code"],
  extraKey: "gemini",
  format: jsonc,
  userPath: (ctx) => home(ctx, ".qwen", "settings.json"),
  detectPaths: (ctx) => [home(ctx, ".qwen")],
  projectPath: (dir, ctx) => join(ctx, dir, ".qwen", "settings.json"),
  keys: GEMINI_KEYS,
  urlKeys: [
    { key: "httpUrl", implies: "http" },
    { key: "url", implies: "sse" },
  ],
  remote: ["http", "sse"],
  timeoutUnit: "ms",
  envSyntax: "dollar-bare",
});
