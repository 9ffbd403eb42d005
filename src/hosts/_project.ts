// Project scope: the file a host reads inside a project directory, and the adapter for it.
// Most hosts read the same entry shape from their project file (`.cursor/mcp.json`,
// `.vscode/mcp.json` …) and are used as they are; a host whose servers sit at a key that depends
// on the directory (Claude Code's local scope) binds itself to it through `forProject`.
import { UsageError } from "../core/errors.ts";
import type { HostAdapter } from "../core/adapter.ts";
import { type PathContext, pathsFor } from "./_paths.ts";

/** A host file at project scope (structurally a `HostTarget` of src/store/hostfile.ts). */
export interface ProjectTarget {
  name: string;
  adapter: HostAdapter;
  path: string;
  scope: "project";
}

/** Whether a host reads servers from a file inside a project directory. */
export function hasProjectScope(adapter: HostAdapter): boolean {
  return adapter.projectPath !== undefined;
}

/**
 * The project-scope file of a host for a project directory.
 * @param adapter a built-in host adapter
 * @param dir the project directory (resolved against the current directory when relative)
 * @returns the target to read and write: its adapter is bound to the directory where needed
 * @throws UsageError when the host has no project scope
 * @example projectTarget(requireHost("cursor"), "/work/app", ctx).path // "/work/app/.cursor/mcp.json"
 */
export function projectTarget(adapter: HostAdapter, dir: string, ctx: PathContext): ProjectTarget {
  if (!adapter.projectPath) {
    throw new UsageError(
      `Host "${adapter.id}" has no project scope: it reads servers only from its user file`,
      'Run "hatch mcp discover hosts" to see which hosts have project files',
    );
  }
  const abs = pathsFor(ctx).resolve(dir);
  return {
    name: adapter.id,
    adapter: adapter.forProject?.(abs, ctx) ?? adapter,
    path: adapter.projectPath(abs, ctx),
    scope: "project",
  };
}
