// Windsurf (Cascade): `~/.codeium/windsurf/mcp_config.json`; remote servers use `serverUrl`
// (or `url`); `disabled`. Env refs `${env:VAR}`. Windsurf runs stdio, Streamable HTTP and SSE
// servers and detects the transport of a URL entry itself, so the docs show no `type`; but real
// files carry `"type": "sse"` (and "http", "streamable-http", "stdio" as other hosts spell them),
// which says the transport: it is read as the transport, never reported as a dropped Windsurf
// field, and an SSE server stays SSE (Codex, which has no SSE, skips it with the reason). An
// entry keeps its own `type` and one without stays without (Windsurf detects the transport); a
// new SSE entry gets `type: "sse"`, so the file still says SSE to the next reader.
import { json } from "./_format/jsonc.ts";
import { home } from "./_paths.ts";
import { type StandardSpec, standardAdapter } from "./_standard.ts";

/** The entry schema, shared with hosts that read the same file shape. */
export const WINDSURF_SPEC: StandardSpec = {
  id: "windsurf",
  label: "Windsurf",
  aliases: ["codeium"],
  format: json,
  userPath: (ctx) => home(ctx, ".codeium", "windsurf", "mcp_config.json"),
  detectPaths: (ctx) => [home(ctx, ".codeium", "windsurf")],
  keys: { command: "command", args: "args", env: "env", headers: "headers", disabled: "disabled" },
  urlKeys: [{ key: "serverUrl" }, { key: "url" }],
  remote: ["http", "sse"],
  type: {
    key: "type",
    write: { stdio: "stdio", http: "http", sse: "sse" },
    read: {
      stdio: "stdio",
      sse: "sse",
      http: "http",
      "streamable-http": "http",
      streamablehttp: "http",
      streamable_http: "http",
    },
    writeOnStdio: false,
    requiredForRemote: false,
  },
  encodeHook(_server, out, existing) {
    if (existing !== undefined && existing.type === undefined) delete out.type;
  },
  // The hook only deletes a key.
  encodeHookKeepsOrder: true,
  envSyntax: "env-colon",
};

export default standardAdapter(WINDSURF_SPEC);
