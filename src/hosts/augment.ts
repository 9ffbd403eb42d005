// Augment Code / Auggie CLI — id `augment`.
// Facts (hosts.md §22; augmentcode.com changelog 0.5.4; rulesync): Auggie reads
// `~/.augment/settings.json` (global) and `.augment/settings.json` (workspace, plus a gitignored
// `.augment/settings.local.json` not written here); key `mcpServers` (Claude-style map). The same
// file holds `hooks`, `toolPermissions` … (kept). `auggie mcp add --transport http|sse` writes
// `type` + `url` (+ `headers`); stdio entries need no type. No env-var interpolation documented.
// The IDE extensions manage servers in their settings panel (not a file) — not covered.
import { json } from "./_format/jsonc.ts";
import { home, join } from "./_paths.ts";
import { standardAdapter, typeStdioHttpSse } from "./_standard.ts";

export default standardAdapter({
  id: "augment",
  label: "Augment (Auggie CLI)",
  aliases: ["auggie"],
  format: json,
  userPath: (ctx) => home(ctx, ".augment", "settings.json"),
  detectPaths: (ctx) => [home(ctx, ".augment")],
  projectPath: (dir, ctx) => join(ctx, dir, ".augment", "settings.json"),
  keys: { command: "command", args: "args", env: "env", headers: "headers" },
  urlKeys: [{ key: "url" }],
  remote: ["http", "sse"],
  type: typeStdioHttpSse(false, true),
  envSyntax: "none",
});
