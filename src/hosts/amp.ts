// Amp (Sourcegraph) — id `amp`.
// Facts (hosts.md §20; toolhive client table; rulesync amp paths): user
// `~/.config/amp/settings.json` on macOS and Linux (`settings.jsonc` when that is the file that
// exists), `%APPDATA%\amp\settings.json` on Windows; project `.amp/settings.json`. JSONC holding
// every `amp.*` setting. Servers sit under the FLAT top-level key `"amp.mcpServers"` (one key
// with a dot in it, not `amp` → `mcpServers`). Entries: `command`/`args`/`env`, or `url` +
// `headers` (Amp picks Streamable HTTP or SSE by itself: no type written). Env-var
// interpolation is not documented (unverified): references are resolved at sync time.
import { existsSync } from "node:fs";
import { jsonc } from "./_format/jsonc.ts";
import { appData, join, xdgConfig } from "./_paths.ts";
import { standardAdapter } from "./_standard.ts";

export default standardAdapter({
  id: "amp",
  label: "Amp",
  aliases: ["ampcode"],
  format: jsonc,
  container: { kind: "map", path: ["amp.mcpServers"] },
  userPath: (ctx) => {
    if (ctx.platform === "win32") return appData(ctx, "amp", "settings.json");
    const withComments = xdgConfig(ctx, "amp", "settings.jsonc");
    return existsSync(withComments) ? withComments : xdgConfig(ctx, "amp", "settings.json");
  },
  projectPath: (dir, ctx) => join(ctx, dir, ".amp", "settings.json"),
  keys: { command: "command", args: "args", env: "env", headers: "headers" },
  urlKeys: [{ key: "url" }],
  remote: ["http", "sse"],
  envSyntax: "none",
});
