// Everything a command needs from the outside world, built once: OS paths, the I/O seam, the
// environment and hatch's own state directory.
import { join, type PathContext, pathContext, pathsFor } from "../hosts/_paths.ts";
import { withRemoteHosts } from "../system/remote.ts";
import { RealSystem, type System } from "../system/system.ts";

export interface Workspace {
  ctx: PathContext;
  system: System;
  env: Readonly<Record<string, string | undefined>>;
  /** `HATCH_HOME`, default `~/.hatch`. */
  hatchHome: string;
  /**
   * A project directory (`--project DIR` or `HATCH_PROJECT`): host names then mean the hosts'
   * project files there (`.cursor/mcp.json`, `.mcp.json` …) instead of their user files.
   */
  project?: string;
}

export function defaultWorkspace(
  env: Readonly<Record<string, string | undefined>> = process.env,
  system: System = new RealSystem(),
): Workspace {
  const ctx = pathContext(env);
  // `ssh://` host paths reach other machines (system/remote.ts); every other path is local.
  const ws: Workspace = {
    ctx,
    system: withRemoteHosts(system, env),
    env,
    hatchHome: env.HATCH_HOME || join(ctx, ctx.home, ".hatch"),
  };
  if (env.HATCH_PROJECT) ws.project = pathsFor(ctx).resolve(env.HATCH_PROJECT);
  return ws;
}
