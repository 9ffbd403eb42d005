// Turning host names into host files: built-in hosts now; custom hosts and groups resolve here too.
import { UsageError } from "../core/errors.ts";
import type { HostAdapter } from "../hosts/_adapter.ts";
import { dirname, type PathContext } from "../hosts/_paths.ts";
import { HOSTS, requireHost } from "../hosts/registry.ts";
import type { System } from "../system/system.ts";
import type { HostTarget } from "./hostfile.ts";

export interface HostInfo {
  adapter: HostAdapter;
  /** The user-scope file on this OS, or undefined when the host does not exist here. */
  path: string | undefined;
  installed: boolean;
}

/** Whether a host is installed: its detection paths (default: the user file's folder) exist. */
export function hostInfo(adapter: HostAdapter, ctx: PathContext, system: System): HostInfo {
  const path = adapter.userPath(ctx);
  if (path === undefined) return { adapter, path, installed: false };
  const probes = adapter.detectPaths?.(ctx) ?? [dirname(ctx, path)];
  return { adapter, path, installed: system.exists(path) || probes.some((p) => system.exists(p)) };
}

export function builtinTarget(adapter: HostAdapter, ctx: PathContext): HostTarget | undefined {
  const path = adapter.userPath(ctx);
  return path === undefined ? undefined : { name: adapter.id, adapter, path, scope: "user" };
}

/** Every built-in host detected on this machine. */
export function detectedTargets(ctx: PathContext, system: System): HostTarget[] {
  const out: HostTarget[] = [];
  for (const h of HOSTS) {
    const info = hostInfo(h, ctx, system);
    const t = builtinTarget(h, ctx);
    if (info.installed && t) out.push(t);
  }
  return out;
}

/**
 * The host file for a name.
 * @throws UsageError for an unknown name (with a suggestion) or a host that does not exist on this OS
 */
export function resolveTarget(name: string, ctx: PathContext): HostTarget {
  const adapter = requireHost(name);
  const t = builtinTarget(adapter, ctx);
  if (!t) throw new UsageError(`Host "${adapter.id}" has no config file on ${ctx.platform}`);
  return t;
}
