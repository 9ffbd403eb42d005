// Continue — id `continue`.
// Facts (hosts.md §13; continuedev/continue `docs/customize/deep-dives/mcp.mdx`, config-yaml schema):
// - Global `~/.continue/config.yaml` (Windows `%USERPROFILE%\.continue\config.yaml`), a YAML file
//   holding models, rules, context providers … (edited in place by the YAML codec).
// - `mcpServers` is a LIST of objects identified by `name` (toolhive: YAMLStorageTypeArray with
//   identifier `name`). Fields: `name`, `type` (`stdio` | `sse` | `streamable-http`), `command`,
//   `args`, `env`, `cwd`, `url`, `requestOptions` (its `headers` are the canonical headers; its
//   other keys, e.g. `timeout`, `verifySsl`, are kept), `connectionTimeout` (startup, kept as a
//   Continue field).
// - Workspace servers live in block files `.continue/mcpServers/*.yaml` (each with `name`,
//   `version`, `schema: v1`, `mcpServers: [...]`) — a folder of files, not one project file, so
//   there is no project scope here.
// - Secrets are `${{ secrets.NAME }}` (hub-managed), not environment variables: canonical `${VAR}`
//   references are resolved at sync time, and `${{ … }}` text is kept as written.
import { isPlainObject } from "../core/edits.ts";
import { yaml } from "./_format/yaml.ts";
import { home } from "./_paths.ts";
import { standardAdapter } from "./_standard.ts";

function stringMap(x: unknown): x is Record<string, string> {
  return isPlainObject(x) && Object.values(x).every((v) => typeof v === "string");
}

export default standardAdapter({
  id: "continue",
  label: "Continue",
  aliases: ["continue-dev"],
  format: yaml,
  container: { kind: "list", path: ["mcpServers"], nameKey: "name" },
  userPath: (ctx) => home(ctx, ".continue", "config.yaml"),
  detectPaths: (ctx) => [home(ctx, ".continue")],
  keys: { command: "command", args: "args", env: "env", cwd: "cwd", headers: "headers" },
  urlKeys: [{ key: "url" }],
  remote: ["http", "sse"],
  type: {
    key: "type",
    write: { stdio: "stdio", http: "streamable-http", sse: "sse" },
    read: { stdio: "stdio", sse: "sse", "streamable-http": "http" },
    writeOnStdio: false,
    requiredForRemote: true,
  },
  envSyntax: "none",
  ownedKeys: ["name", "requestOptions"],
  decodeHook(raw, out, owned) {
    delete out.headers;
    const ro = raw.requestOptions;
    if (isPlainObject(ro) && stringMap(ro.headers)) out.headers = ro.headers;
    // requestOptions beyond headers stay a Continue field (with the headers left in them).
    if (isPlainObject(ro) && Object.keys(ro).some((k) => k !== "headers")) owned.delete("requestOptions");
    else if (ro !== undefined && !isPlainObject(ro)) owned.delete("requestOptions");
  },
  encodeHook(server, out, existing) {
    const headers = out.headers;
    delete out.headers;
    const before = isPlainObject(out.requestOptions)
      ? out.requestOptions
      : isPlainObject(existing?.requestOptions)
        ? existing.requestOptions
        : undefined;
    const ro: Record<string, unknown> = { ...(before ?? {}) };
    delete ro.headers;
    if (headers !== undefined && "url" in server) ro.headers = headers;
    if (Object.keys(ro).length > 0) out.requestOptions = ro;
    else delete out.requestOptions;
    // The list item's own `name` (the container's key) stays in the entry, so an unchanged
    // server compares equal to the item it came from and plans as unchanged.
    if (existing !== undefined && Object.hasOwn(existing, "name")) out.name = existing.name;
  },
});
