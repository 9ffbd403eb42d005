// Amazon Q Developer CLI — id `amazon-q`.
// Facts (hosts.md §16; aws/amazon-q-developer-cli `docs/agent-format.md`; AWS docs "qdev-mcp"):
// - Global `~/.aws/amazonq/mcp.json` (the "legacy" file, still read by agents with
//   `"useLegacyMcpJson": true`, the default agent's setting); workspace `.amazonq/mcp.json`.
//   Agent files `~/.aws/amazonq/cli-agents/<agent>.json` also hold `mcpServers` (not managed here).
// - JSON, `mcpServers`: `command`, `args`, `env`, `timeout` (MILLISECONDS, default 120000),
//   `disabled`. Remote: `type: "http"` + `url` + `headers` (AWS docs: HTTP servers with OAuth);
//   exact remote field names are not verified beyond that, so SSE is not written.
// - No env-var interpolation documented: references are resolved at sync time.
// - Superseded by Kiro CLI (`kiro`), which reads `~/.kiro/settings/mcp.json`.
import { json } from "./_format/jsonc.ts";
import { home, join } from "./_paths.ts";
import { standardAdapter } from "./_standard.ts";

export default standardAdapter({
  id: "amazon-q",
  label: "Amazon Q Developer CLI",
  aliases: ["amazonq", "q-cli", "amazon-q-cli"],
  format: json,
  userPath: (ctx) => home(ctx, ".aws", "amazonq", "mcp.json"),
  detectPaths: (ctx) => [home(ctx, ".aws", "amazonq")],
  projectPath: (dir, ctx) => join(ctx, dir, ".amazonq", "mcp.json"),
  keys: {
    command: "command",
    args: "args",
    env: "env",
    headers: "headers",
    timeout: "timeout",
    disabled: "disabled",
  },
  urlKeys: [{ key: "url" }],
  remote: ["http"],
  type: {
    key: "type",
    write: { stdio: "stdio", http: "http", sse: "sse" },
    read: { stdio: "stdio", http: "http" },
    writeOnStdio: false,
    requiredForRemote: true,
  },
  timeoutUnit: "ms",
  envSyntax: "none",
});
