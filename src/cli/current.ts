// The current environment (`hatch env use`) as the source of a command given none: `mcp sync`,
// `mcp test` and `mcp list servers` use it, and say so.
import { envs } from "../api/envs.ts";
import { defaultWorkspace } from "../store/workspace.ts";
import type { Invocation } from "./command.ts";

/**
 * The current environment's name, or undefined when none is set; prints which environment the
 * command uses (human output).
 * @param other how to choose another source, e.g. "--host all for every host"
 */
export function currentSource(inv: Invocation, other: string): string | undefined {
  const name = envs.current({ workspace: defaultWorkspace(inv.env, inv.system) });
  if (name !== undefined)
    inv.out.print(`Using the current environment "${name}" (set by "hatch env use"; ${other})`);
  return name;
}
