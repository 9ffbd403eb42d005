// Kimi Code CLI (Moonshot) — id `kimi`.
// Facts (hosts.md §23; toolhive table; MoonshotAI/kimi-cli README "MCP": the file follows the
// FastMCP `mcpServers` config): `~/.kimi/mcp.json`; stdio `command`/`args`/`env`; remote `url` +
// `headers` with `transport` `http` | `sse` (`streamable-http` read as HTTP; FastMCP infers SSE
// from a `/sse` URL when it is missing, so hatch always writes it). No project file, no env-var
// interpolation documented.
import { json } from "./_format/jsonc.ts";
import { home } from "./_paths.ts";
import { standardAdapter } from "./_standard.ts";

export default standardAdapter({
  id: "kimi",
  label: "Kimi CLI",
  aliases: ["kimi-cli"],
  format: json,
  userPath: (ctx) => home(ctx, ".kimi", "mcp.json"),
  detectPaths: (ctx) => [home(ctx, ".kimi")],
  keys: { command: "command", args: "args", env: "env", headers: "headers" },
  urlKeys: [{ key: "url" }],
  remote: ["http", "sse"],
  type: {
    key: "transport",
    write: { stdio: "stdio", http: "http", sse: "sse" },
    read: { stdio: "stdio", http: "http", "streamable-http": "http", sse: "sse" },
    writeOnStdio: false,
    requiredForRemote: true,
  },
  envSyntax: "none",
});
