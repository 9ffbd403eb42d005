// Crush (Charm) — id `crush`.
// Facts (hosts.md §19; charmbracelet/crush `internal/skills/builtin/crush-config/SKILL.md`,
// `internal/config/config.go` MCPConfig; home-manager module docs):
// - JSON era: user `$XDG_CONFIG_HOME/crush/crush.json` or `~/.config/crush/crush.json`, Windows
//   `%LOCALAPPDATA%\crush\crush.json`; project `.crush.json` over `crush.json` (the one that
//   exists is written; a new project file is `.crush.json`). The file also holds providers,
//   models, lsp, options.
// - Key `mcp` (map). Entry: `type` (`stdio` | `http` | `sse`, always written), `command`, `args`,
//   `env`, `url`, `headers`, `disabled`, `timeout` in SECONDS (default 15).
// - String values expand `$VAR`, `${VAR}` and `$(command)` (shell-style).
// - Newest Crush moves to a bash `crushrc` script (`mcp add …` builtins); that format is not
//   edited here — the JSON file is still read.
import { existsSync } from "node:fs";
import { json } from "./_format/jsonc.ts";
import { join, localAppData, xdgConfig } from "./_paths.ts";
import { standardAdapter, typeStdioHttpSse } from "./_standard.ts";

export default standardAdapter({
  id: "crush",
  label: "Crush",
  format: json,
  container: { kind: "map", path: ["mcp"] },
  userPath: (ctx) =>
    ctx.platform === "win32"
      ? localAppData(ctx, "crush", "crush.json")
      : xdgConfig(ctx, "crush", "crush.json"),
  projectPath: (dir, ctx) => {
    const plain = join(ctx, dir, "crush.json");
    return !existsSync(join(ctx, dir, ".crush.json")) && existsSync(plain)
      ? plain
      : join(ctx, dir, ".crush.json");
  },
  keys: {
    command: "command",
    args: "args",
    env: "env",
    headers: "headers",
    disabled: "disabled",
    timeout: "timeout",
  },
  urlKeys: [{ key: "url" }],
  remote: ["http", "sse"],
  type: typeStdioHttpSse(true, true),
  timeoutUnit: "s",
  envSyntax: "dollar-bare",
});
