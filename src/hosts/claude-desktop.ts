// Claude Desktop: strict JSON, `mcpServers`, stdio only in the file (remote servers are added
// in-app under Settings → Connectors). No env interpolation. On Windows `npx` needs `cmd /c`.
// macOS/Windows are official; Linux is the community builds' `~/.config/Claude`.
import { json } from "./_format/jsonc.ts";
import { appConfig } from "./_paths.ts";
import { BASIC_KEYS, standardAdapter } from "./_standard.ts";

export default standardAdapter({
  id: "claude-desktop",
  label: "Claude Desktop",
  aliases: ["claude_desktop", "claudedesktop"],
  format: json,
  userPath: (ctx) => appConfig(ctx, "Claude", "claude_desktop_config.json"),
  keys: BASIC_KEYS,
  urlKeys: [],
  remote: [],
  envSyntax: "none",
  windowsCmdWrap: true,
});
