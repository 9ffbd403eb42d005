// Turning host names into host files: built-in hosts now; custom hosts and groups resolve here too.
import { UsageError } from "../core/errors.ts";
import type { HostAdapter } from "../core/adapter.ts";
import { dirname, type PathContext } from "../hosts/_paths.ts";
import { hasProjectScope, projectTarget } from "../hosts/_project.ts";
import { HOSTS, requireHost } from "../hosts/registry.ts";
import type { System } from "../system/system.ts";
import type { HostTarget } from "./hostfile.ts";
import type { Workspace } from "./workspace.ts";
import { type HatchConfig, loadConfig } from "./config.ts";
import { findHost, unknownHost } from "../hosts/registry.ts";
import { resolve as resolvePath } from "node:path";
import { normalRemotePath } from "../system/remote.ts";
import { isRemotePath } from "../system/sshurl.ts";

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

/** Splits "a,b , c" into names. */
export function splitList(spec: string | readonly string[]): string[] {
  const parts = typeof spec === "string" ? [spec] : spec;
  return parts
    .flatMap((p) => p.split(","))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** The host file of a custom host. @throws UsageError for an unknown adapter type */
export function customTarget(ws: Workspace, name: string, type: string, path: string): HostTarget {
  const adapter = findHost(type);
  if (!adapter) throw unknownHost(type);
  // A file on another machine keeps its URL: the System routes it there (system/remote.ts).
  const p = isRemotePath(path)
    ? normalRemotePath(path)
    : path.startsWith("~/")
      ? resolvePath(ws.ctx.home, path.slice(2))
      : resolvePath(path);
  return { name, adapter, path: p, scope: "custom" };
}

/**
 * Turns host names into host files: built-in ids and aliases, custom hosts, groups (expanded
 * recursively; a cycle is refused), comma lists, and `all` (every detected built-in host plus
 * every custom host). Duplicates (same file) are listed once.
 * @throws UsageError naming an unknown host with a "did you mean" suggestion
 */
export function resolveTargets(
  ws: Workspace,
  names: string | readonly string[],
  config?: HatchConfig,
  opts: { userFallback?: boolean } = {},
): HostTarget[] {
  const cfg = config ?? loadConfig(ws);
  const out: HostTarget[] = [];
  const seen = new Set<string>();
  const add = (t: HostTarget) => {
    if (seen.has(t.path)) return;
    seen.add(t.path);
    out.push(t);
  };
  const project = ws.project;
  const visit = (name: string, stack: string[]) => {
    if (name === "all" && project) {
      // At project scope, "all" is every host whose project file exists in the directory.
      for (const h of HOSTS) {
        if (!hasProjectScope(h)) continue;
        const t = projectTarget(h, project, ws.ctx);
        if (ws.system.exists(t.path)) add(t);
      }
      return;
    }
    if (name === "all") {
      for (const t of detectedTargets(ws.ctx, ws.system)) add(t);
      for (const h of cfg.hosts.values()) add(customTarget(ws, h.name, h.type, h.path));
      return;
    }
    const custom = cfg.hosts.get(name);
    if (custom) return add(customTarget(ws, custom.name, custom.type, custom.path));
    const group = cfg.groups.get(name);
    if (group) {
      if (stack.includes(name)) {
        throw new UsageError(
          `Host group "${name}" contains itself: ${[...stack, name].join(" → ")}`,
          'Remove the cycle with "hatch host group"',
        );
      }
      for (const m of group) visit(m, [...stack, name]);
      return;
    }
    const builtin = findHost(name);
    // At project scope a host without a project file is refused, except as a source to read
    // from (`--from-host claude-desktop --project .` reads the user file).
    if (builtin && project && (hasProjectScope(builtin) || !opts.userFallback)) {
      return add(projectTarget(builtin, project, ws.ctx));
    }
    if (builtin) {
      const t = builtinTarget(builtin, ws.ctx);
      if (!t && builtin.forProject) {
        throw new UsageError(`Host "${builtin.id}" lives in a project: name the project with --project DIR`);
      }
      if (!t) throw new UsageError(`Host "${builtin.id}" has no config file on ${ws.ctx.platform}`);
      return add(t);
    }
    throw unknownHost(name, [...cfg.hosts.keys(), ...cfg.groups.keys(), "all"]);
  };
  for (const n of splitList(names)) visit(n, []);
  return out;
}
