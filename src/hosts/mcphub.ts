// MCPHub for Neovim (ravitemer/mcphub.nvim, backed by mcp-hub) — id `mcphub`.
// Facts (mcphub.nvim README and v4.0.0 release notes: "Default config path to
// ~/.config/mcphub/servers.json", auto-created with an empty `mcpServers`; mcp-hub README):
// - `~/.config/mcphub/servers.json` on every OS (a plugin option can move it); workspace files
//   (`.mcphub/servers.json`, `.vscode/mcp.json`, `.cursor/mcp.json`) are merged by the plugin —
//   the first is the project file here.
// - JSON, `mcpServers` (VS Code's `servers` is read too, not written); stdio `command`, `args`,
//   `env`, `cwd`; remote `url` + `headers` (Streamable HTTP first, SSE fallback: no type written);
//   `disabled`, `disabled_tools` (= canonical excludeTools), `autoApprove` (true or tool names;
//   a list is canonical), `custom_instructions` kept. Top-level `nativeMCPServers` is kept.
// - Placeholders `${env:VAR}` (and `${cmd: …}`) in command, args, env, url and headers.
import { json } from "./_format/jsonc.ts";
import { home, join } from "./_paths.ts";
import { standardAdapter } from "./_standard.ts";

export default standardAdapter({
  id: "mcphub",
  label: "MCPHub (Neovim)",
  aliases: ["mcphub-nvim", "neovim"],
  format: json,
  userPath: (ctx) => home(ctx, ".config", "mcphub", "servers.json"),
  detectPaths: (ctx) => [home(ctx, ".config", "mcphub")],
  projectPath: (dir, ctx) => join(ctx, dir, ".mcphub", "servers.json"),
  keys: {
    command: "command",
    args: "args",
    env: "env",
    cwd: "cwd",
    headers: "headers",
    disabled: "disabled",
    excludeTools: "disabled_tools",
    autoApprove: "autoApprove",
  },
  urlKeys: [{ key: "url" }],
  remote: ["http", "sse"],
  envSyntax: "env-colon",
  decodeHook(raw, out, owned) {
    // `autoApprove: true` approves every tool: a MCPHub-only setting, kept as written.
    if (typeof raw.autoApprove === "boolean") {
      delete out.autoApprove;
      owned.delete("autoApprove");
    }
  },
});
