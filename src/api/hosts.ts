// `hosts.*`: built-in hosts, custom hosts and groups, as both faces use them (`hatch host …`,
// `hatch mcp list hosts`, scripts). Changes to config.yaml go through the file transaction
// (apply/file.ts): lock, re-plan against a file changed meanwhile, atomic write, read back.
import { dryRunWorkspace } from "../apply/apply.ts";
import { changeFile } from "../apply/file.ts";
import type { Server } from "../core/model.ts";
import { HOSTS } from "../hosts/registry.ts";
import {
  addHost,
  type ConfigChange,
  type CustomHost,
  type HatchConfig,
  loadConfig,
  parseConfig,
  removeGroup,
  removeHost,
  setGroup,
} from "../store/config.ts";
import { readHost } from "../store/hostfile.ts";
import { hostInfo, resolveTargets, splitList } from "../store/targets.ts";
import { defaultWorkspace, type Workspace } from "../store/workspace.ts";
import { UsageError } from "../core/errors.ts";
import { ENTITY_NAME_RE } from "../core/model.ts";
import { pathContext, pathsFor, type Platform } from "../hosts/_paths.ts";
import { remoteFor } from "../system/remote.ts";
import { UnreachableError } from "../system/ssh.ts";
import { formatSshUrl, parseSshMachine, type SshUrl } from "../system/sshurl.ts";

/** A built-in host found on another machine by `hosts.discover()`. */
export interface DiscoveredHost {
  id: string;
  label: string;
  /** Its user file there, as a host path (`ssh://machine/~/.cursor/mcp.json`). */
  path: string;
  /** Whether that file exists yet (the host is installed either way). */
  exists: boolean;
  /** A custom host name for it: MACHINE-ID. */
  name: string;
  /** The command that adds it. */
  add: string;
}

/** What `hosts.discover()` found on a machine. */
export interface DiscoverResult {
  machine: string;
  /** `uname -s` there. */
  os: string;
  platform: Platform;
  home: string;
  hosts: DiscoveredHost[];
}

/** The path of a remote file as a host path: under HOME as `/~/…`, so it survives a HOME move. */
function remoteHostPath(m: SshUrl, home: string, path: string): string {
  const under = home !== "/" && path.startsWith(`${home}/`) ? `~/${path.slice(home.length + 1)}` : path;
  return formatSshUrl({ ...m, path: under });
}

/** A POSIX shell word for a printed command line (left bare when it needs no quotes). */
function shellWord(w: string): string {
  return /^[A-Za-z0-9_@%+=:,./~-]+$/.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`;
}

/** A host hatch knows: a built-in one (installed here or not) or a custom host. */
export type HostSummary =
  | { kind: "builtin"; id: string; label: string; path: string | undefined; installed: boolean }
  | {
      kind: "custom";
      id: string;
      type: string;
      path: string;
      description?: string;
      /** Whether its file exists yet. */
      exists: boolean;
      /** For a file on another machine that cannot be reached now: why (`exists` is then false). */
      unreachable?: string;
    };

/** Options of every call that changes config.yaml. */
export interface ConfigWriteOptions {
  /** Say what would change, write nothing. */
  dryRun?: boolean;
  workspace?: Workspace;
}

/** What a change to config.yaml did (or would do, in a dry run). */
export interface ConfigResult {
  action: "add" | "remove" | "group" | "ungroup";
  name: string;
  path: string;
  dryRun: boolean;
  written: boolean;
  /** The custom host or the group's members, after the change (before it, for a removal). */
  host?: CustomHost;
  members?: string[];
  /** For a group: whether it existed before. */
  replaced?: boolean;
}

/** Whether a custom host's file exists, and why not when its machine cannot be reached now. */
function existence(ws: Workspace, path: string): { exists: boolean; unreachable?: string } {
  try {
    return { exists: ws.system.exists(path) };
  } catch (e) {
    if (e instanceof UnreachableError) return { exists: false, unreachable: e.message };
    throw e;
  }
}

function wsOf(opts: { workspace?: Workspace } | undefined): Workspace {
  return opts?.workspace ?? defaultWorkspace();
}

/** Plans a change, then writes it through the transaction; planned again if the file changed. */
function commitConfig(
  ws: Workspace,
  cfg: HatchConfig,
  change: (c: HatchConfig) => ConfigChange,
  dryRun: boolean,
): { change: ConfigChange; written: boolean } {
  const first = change(cfg);
  // A dry run takes the same steps against a system that only records the write.
  changeFile(dryRun ? dryRunWorkspace(ws) : ws, {
    path: cfg.path,
    expected: cfg.text === "" && !ws.system.exists(cfg.path) ? undefined : cfg.text,
    next: first.text,
    replan: (now) => change(parseConfig(cfg.path, now ?? "")).text,
  });
  return { change: first, written: !dryRun };
}

export const hosts = {
  /** Every built-in host (with its path on this OS and whether it is installed) and every custom host. */
  list(opts: { workspace?: Workspace } = {}): HostSummary[] {
    const ws = wsOf(opts);
    const builtin: HostSummary[] = HOSTS.map((h) => {
      const i = hostInfo(h, ws.ctx, ws.system);
      return { kind: "builtin", id: h.id, label: h.label, path: i.path, installed: i.installed };
    });
    const custom: HostSummary[] = [...loadConfig(ws).hosts.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((h) => ({
        kind: "custom",
        id: h.name,
        type: h.type,
        path: h.path,
        ...(h.description ? { description: h.description } : {}),
        ...existence(ws, h.path),
      }));
    return [...builtin, ...custom];
  },

  /** The servers one host (built-in or custom) holds now. */
  async servers(name: string, opts: { workspace?: Workspace } = {}): Promise<Map<string, Server>> {
    const ws = wsOf(opts);
    const [t] = resolveTargets(ws, name);
    if (!t) return new Map();
    return readHost(t, ws.system).servers;
  },

  /** Adds a custom host: a built-in host's format at a path you give. */
  async add(
    name: string,
    spec: { type: string; path: string; description?: string },
    opts: ConfigWriteOptions = {},
  ): Promise<ConfigResult> {
    const ws = wsOf(opts);
    const cfg = loadConfig(ws);
    const h = {
      name,
      type: spec.type,
      path: spec.path,
      ...(spec.description ? { description: spec.description } : {}),
    };
    const { change, written } = commitConfig(ws, cfg, (c) => addHost(ws, c, h), opts.dryRun === true);
    const host = change.config.hosts.get(name);
    return {
      action: "add",
      name,
      path: cfg.path,
      dryRun: opts.dryRun === true,
      written,
      ...(host ? { host } : {}),
    };
  },

  /** Removes a custom host (its config file is not touched). */
  async remove(name: string, opts: ConfigWriteOptions = {}): Promise<ConfigResult> {
    const ws = wsOf(opts);
    const cfg = loadConfig(ws);
    const host = cfg.hosts.get(name);
    const { written } = commitConfig(ws, cfg, (c) => removeHost(c, name), opts.dryRun === true);
    return {
      action: "remove",
      name,
      path: cfg.path,
      dryRun: opts.dryRun === true,
      written,
      ...(host ? { host } : {}),
    };
  },

  /** Creates or replaces a host group: a named list of hosts and groups (arrays or comma lists). */
  async group(
    name: string,
    members: string | readonly string[],
    opts: ConfigWriteOptions = {},
  ): Promise<ConfigResult> {
    const ws = wsOf(opts);
    const cfg = loadConfig(ws);
    const list = splitList(members);
    const replaced = cfg.groups.has(name);
    const { change, written } = commitConfig(ws, cfg, (c) => setGroup(c, name, list), opts.dryRun === true);
    return {
      action: "group",
      name,
      path: cfg.path,
      dryRun: opts.dryRun === true,
      written,
      members: change.config.groups.get(name) ?? [],
      replaced,
    };
  },

  /** Removes a host group (its members are not touched). */
  async ungroup(name: string, opts: ConfigWriteOptions = {}): Promise<ConfigResult> {
    const ws = wsOf(opts);
    const cfg = loadConfig(ws);
    const members = cfg.groups.get(name) ?? [];
    const { written } = commitConfig(ws, cfg, (c) => removeGroup(c, name), opts.dryRun === true);
    return { action: "ungroup", name, path: cfg.path, dryRun: opts.dryRun === true, written, members };
  },

  /**
   * Which built-in hosts exist on another machine: asks its OS and HOME (and the variables host
   * paths depend on) over one ssh connection, resolves every host's user file for that OS, and
   * checks which of them, or their folders, exist there. Nothing is written.
   * @param machine `ssh://[user@]machine[:port]`
   * @example
   * const found = await hosts.discover("ssh://ws1");
   * for (const h of found.hosts) await hosts.add(h.name, { type: h.id, path: h.path });
   */
  async discover(machine: string, opts: { workspace?: Workspace } = {}): Promise<DiscoverResult> {
    const m = parseSshMachine(machine);
    if (typeof m === "string")
      throw new UsageError(
        `Cannot discover hosts on "${machine}": ${m}`,
        "For example: hatch host discover ssh://ws1 or ssh://me@ws1:2222",
      );
    const ws = wsOf(opts);
    const remote = remoteFor(m, ws.env);
    const facts = remote.facts();
    const platform: Platform = facts.os === "Darwin" ? "darwin" : "linux";
    const home = facts.env.HOME;
    if (!home?.startsWith("/"))
      throw new UsageError(`Cannot discover hosts on "${machine}": its HOME is not set to an absolute path`);
    const ctx = pathContext({ ...facts.env, HATCH_PLATFORM: platform });
    const probes = HOSTS.flatMap((h) => {
      const path = h.userPath(ctx);
      if (path === undefined) return [];
      return [{ h, path, dirs: h.detectPaths?.(ctx) ?? [pathsFor(ctx).dirname(path)] }];
    });
    const found = remote.existing([...new Set(probes.flatMap((p) => [p.path, ...p.dirs]))]);
    const prefix = m.machine.replace(/[^A-Za-z0-9._-]+/g, "-");
    const hosts: DiscoveredHost[] = [];
    for (const { h, path, dirs } of probes) {
      if (!found.has(path) && !dirs.some((d) => found.has(d))) continue;
      const url = remoteHostPath(m, home, path);
      let name = `${prefix}-${h.id}`;
      if (!ENTITY_NAME_RE.test(name)) name = `remote-${h.id}`;
      hosts.push({
        id: h.id,
        label: h.label,
        path: url,
        exists: found.has(path),
        name,
        add: `hatch host add ${shellWord(name)} --type ${h.id} --path ${shellWord(url)}`,
      });
    }
    const label = formatSshUrl({ ...m, path: "" });
    return { machine: label, os: facts.os, platform, home, hosts };
  },

  /** Every host group and its members. */
  groups(opts: { workspace?: Workspace } = {}): Record<string, string[]> {
    return Object.fromEntries([...loadConfig(wsOf(opts)).groups].sort(([a], [b]) => a.localeCompare(b)));
  },
};
