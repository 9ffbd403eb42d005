// Claude Code, local scope — id `claude-code-local`.
// Facts (hosts.md §2; code.claude.com/docs/en/mcp "scopes"): `claude mcp add` defaults to the
// LOCAL scope: servers private to one project, stored in `~/.claude.json` under
// `projects["<absolute project path>"].mcpServers` (same entry schema as the user scope:
// `type` stdio|http|sse|ws, `url`, `headers`, `timeout` ms, `${VAR}` / `${VAR:-default}`).
// Precedence local > project (`.mcp.json`) > user. The rest of `~/.claude.json` (sessions, the
// project's trust and history) is kept byte for byte.
// The key path depends on the project directory, so this adapter only works bound to one:
// `projectTarget(adapter, dir, ctx)` (src/hosts/_project.ts) calls `forProject`. The project key is
// the absolute directory as Claude Code records it (`process.cwd()`); on Windows hatch writes it
// with forward slashes (`C:/Users/me/app`) — unverified.
import type { HostAdapter } from "../core/adapter.ts";
import { home, type PathContext, pathsFor } from "./_paths.ts";
import { standardAdapter } from "./_standard.ts";
import { CLAUDE_CODE_SPEC } from "./claude-code.ts";

/** The `projects` key Claude Code uses for a project directory. */
export function projectKey(dir: string, ctx: PathContext): string {
  const abs = pathsFor(ctx).resolve(dir);
  return ctx.platform === "win32" ? abs.replace(/\\/g, "/") : abs;
}

function bound(key: string): HostAdapter {
  const { projectPath: _mcpJson, ...spec } = CLAUDE_CODE_SPEC;
  return standardAdapter({
    ...spec,
    id: "claude-code-local",
    label: "Claude Code (local scope)",
    aliases: ["claude-local"],
    extraKey: "claude-code",
    container: { kind: "map", path: ["projects", key, "mcpServers"] },
    // No user scope: the file is per user, but the servers are per project.
    userPath: () => undefined,
    detectPaths: (ctx) => [home(ctx, ".claude.json")],
    projectPath: (_dir, ctx) => home(ctx, ".claude.json"),
    forProject: (dir, ctx) => bound(projectKey(dir, ctx)),
  });
}

const unbound = bound("");
Object.defineProperty(unbound, "container", {
  enumerable: true,
  get(): never {
    throw new TypeError(
      'Host "claude-code-local" needs a project directory: use projectTarget(adapter, dir, ctx) from src/hosts/_project.ts',
    );
  },
});

export default unbound;
