// Cursor: `~/.cursor/mcp.json`, project `.cursor/mcp.json`, `mcpServers`. Optional `type`
// (stdio, sse, streamable-http; toolhive writes http); `envFile` for stdio. Env refs `${env:NAME}`.
import { jsonc } from "./_format/jsonc.ts";
import { home, join } from "./_paths.ts";
import { standardAdapter } from "./_standard.ts";

export default standardAdapter({
  id: "cursor",
  label: "Cursor",
  format: jsonc,
  userPath: (ctx) => home(ctx, ".cursor", "mcp.json"),
  projectPath: (dir, ctx) => join(ctx, dir, ".cursor", "mcp.json"),
  keys: { command: "command", args: "args", env: "env", envFile: "envFile", headers: "headers" },
  urlKeys: [{ key: "url" }],
  remote: ["http", "sse"],
  type: {
    key: "type",
    write: { stdio: "stdio", http: "http", sse: "sse" },
    read: { stdio: "stdio", http: "http", "streamable-http": "http", streamablehttp: "http", sse: "sse" },
    writeOnStdio: false,
    requiredForRemote: false,
  },
  envSyntax: "env-colon",
});
