// Trae (ByteDance) — id `trae`.
// Facts (hosts.md §21; toolhive and mcpm agree on macOS/Windows): macOS
// `~/Library/Application Support/Trae/User/mcp.json`, Windows `%APPDATA%\Trae\User\mcp.json`;
// Linux is disputed (toolhive `~/.config/Trae/User/mcp.json`, used here; mcpm `~/.config/trae/mcp.json`)
// — unverified. JSON, `mcpServers`; stdio `command`/`args`/`env`, remote `url` (+ `headers`), no
// type field. No env-var interpolation documented. Trae is a VS Code fork (its user directory is
// VS Code's `User/` layout) and reads `mcp.json` as VS Code reads its config files: JSON with
// comments and trailing commas (people keep one file for both, symlinked into VS Code), so the
// file is JSONC here too and its comments survive edits. Trae's gallery installs add
// `fromGalleryId` (mcpm.sh#92), kept as a Trae field. A project `.trae/mcp.json` exists
// (docs.trae.ai/ide/add-mcp-servers, 2026) but its schema is unconfirmed: not a project scope yet.
import { jsonc } from "./_format/jsonc.ts";
import { appConfig, join } from "./_paths.ts";
import { standardAdapter } from "./_standard.ts";

export default standardAdapter({
  id: "trae",
  label: "Trae",
  format: jsonc,
  userPath: (ctx) => appConfig(ctx, "Trae", "User", "mcp.json"),
  detectPaths: (ctx) => [join(ctx, appConfig(ctx, "Trae"))],
  keys: { command: "command", args: "args", env: "env", headers: "headers" },
  urlKeys: [{ key: "url" }],
  remote: ["http", "sse"],
  envSyntax: "none",
});
