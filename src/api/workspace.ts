// Everything a command needs from the outside world, built once: OS paths, the I/O seam, the
// environment and hatch's own state directory.
import { type PathContext, join, pathContext } from "../hosts/_paths.ts";
import { RealSystem, type System } from "../system/system.ts";

export interface Workspace {
  ctx: PathContext;
  system: System;
  env: Readonly<Record<string, string | undefined>>;
  /** `HATCH_HOME`, default `~/.hatch`. */
  hatchHome: string;
}

export function defaultWorkspace(
  env: Readonly<Record<string, string | undefined>> = process.env,
  system: System = new RealSystem(),
): Workspace {
  const ctx = pathContext(env);
  return { ctx, system, env, hatchHome: env.HATCH_HOME || join(ctx, ctx.home, ".hatch") };
}
