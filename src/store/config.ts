// HATCH_HOME/config.yaml: custom hosts (a built-in adapter at a path the user gives) and host
// groups. Validated on every read with errors that name the file and the field; edited in place
// so the user's comments survive.
import { join, resolve } from "node:path";
import * as v from "valibot";
import type { Workspace } from "./workspace.ts";
import type { Edit } from "../core/edits.ts";
import { ApplyError, ConfigError, HostParseError, UsageError } from "../core/errors.ts";
import { ENTITY_NAME_RE } from "../core/model.ts";
import { yaml } from "../hosts/_format/yaml.ts";
import { findHost, HOSTS, suggest } from "../hosts/registry.ts";
import { lockPath } from "./lock.ts";
import { pathsFor } from "../hosts/_paths.ts";
import { formatSshUrl, isRemotePath, parseSshUrl, urlScheme } from "../system/sshurl.ts";

/**
 * Names that are properties of every JavaScript object: a host or group so named would be lost
 * by, or collide with, any plain-object lookup (YAML and JSON readers, scripts using the API).
 */
const RESERVED_NAMES = new Set(["__proto__", "constructor", "prototype"]);

/** The longest host or group name: the same limit as an environment's. */
const MAX_NAME_LENGTH = 128;

const NameKey = v.pipe(
  v.string(),
  v.regex(ENTITY_NAME_RE, 'names may contain letters, digits, ".", "_", "-"'),
);

const ConfigSchema = v.object({
  hosts: v.optional(
    v.nullable(
      v.record(
        NameKey,
        v.object({
          type: v.pipe(v.string(), v.nonEmpty("type must name a host adapter, e.g. claude-desktop")),
          path: v.pipe(v.string(), v.nonEmpty("path must be a file path")),
          description: v.optional(v.string()),
        }),
      ),
    ),
  ),
  groups: v.optional(v.nullable(v.record(NameKey, v.array(v.string())))),
  settings: v.optional(v.nullable(v.record(v.string(), v.unknown()))),
});

export interface CustomHost {
  name: string;
  type: string;
  path: string;
  description?: string;
}

export interface HatchConfig {
  path: string;
  /** The file's text ("" when it does not exist), for in-place edits. */
  text: string;
  hosts: Map<string, CustomHost>;
  groups: Map<string, string[]>;
}

export function configPath(ws: Workspace): string {
  return join(ws.hatchHome, "config.yaml");
}

/**
 * Reads and validates config.yaml (an absent file is an empty config).
 * @throws HostParseError for YAML errors, ConfigError for invalid fields
 */
export function loadConfig(ws: Workspace): HatchConfig {
  const path = configPath(ws);
  return parseConfig(path, ws.system.readText(path) ?? "");
}

/**
 * Parses and validates the text of a config.yaml.
 * @throws HostParseError for YAML errors, ConfigError for invalid fields
 */
export function parseConfig(path: string, text: string): HatchConfig {
  let doc: unknown;
  try {
    doc = yaml.parse(text, path);
  } catch (e) {
    if (e instanceof HostParseError) throw e;
    throw new ConfigError(path, (e as Error).message);
  }
  // valibot's record skips these keys without an issue: the entry would vanish unexplained.
  for (const section of ["hosts", "groups"] as const) {
    const m = (doc as Record<string, unknown> | null)?.[section];
    if (typeof m !== "object" || m === null) continue;
    for (const k of Object.getOwnPropertyNames(m)) {
      if (RESERVED_NAMES.has(k))
        throw new ConfigError(
          path,
          `field "${section}.${k}": ${k} is not allowed as a name (every JavaScript object has it)`,
        );
    }
  }
  const r = v.safeParse(ConfigSchema, doc ?? {});
  if (!r.success) {
    const issue = r.issues[0];
    const field = issue ? v.getDotPath(issue) : undefined;
    throw new ConfigError(path, `${field ? `field "${field}": ` : ""}${issue?.message ?? "invalid"}`);
  }
  const hosts = new Map<string, CustomHost>();
  for (const [name, h] of Object.entries(r.output.hosts ?? {})) {
    hosts.set(name, {
      name,
      type: h.type,
      path: h.path,
      ...(h.description ? { description: h.description } : {}),
    });
  }
  const groups = new Map<string, string[]>(Object.entries(r.output.groups ?? {}));
  return { path, text, hosts, groups };
}

// ---------------------------------------------------------------------------------------------
// Changes: each returns the new file text (computed by editing the old text in place through the
// YAML codec, so comments and layout survive) and the config it parses to; nothing is written
// until `saveConfig`. Every refusal is detected here, before any write.

const CONFIG_HEADER =
  "# hatch configuration: custom hosts and host groups.\n" +
  '# Edit by hand or with "hatch host add" and "hatch host group"; comments are kept.\n';

export interface ConfigChange {
  /** The config as it would be after the change. */
  config: HatchConfig;
  /** The new text of config.yaml. */
  text: string;
}

function applyEdits(cfg: HatchConfig, edits: Edit[]): ConfigChange {
  const base = cfg.text.trim() === "" ? CONFIG_HEADER : cfg.text;
  const text = yaml.edit(base, edits, cfg.path);
  // Re-read the result through the same validation as any read.
  const config = parseConfig(cfg.path, text);
  return { config, text };
}

function nameError(kind: string, name: string): UsageError | undefined {
  if (!ENTITY_NAME_RE.test(name) || name === "." || name === "..") {
    return new UsageError(
      `Invalid ${kind} name "${name}": use letters, digits, ".", "_" and "-"`,
      "For example: staging-claude, production-hosts",
    );
  }
  if (RESERVED_NAMES.has(name)) {
    return new UsageError(
      `Cannot name a ${kind} "${name}": it is reserved (every JavaScript object has a property of that name)`,
      "Choose another name",
    );
  }
  if (name.length > MAX_NAME_LENGTH) {
    return new UsageError(
      `Invalid ${kind} name "${name.slice(0, 40)}…": it is ${name.length} characters long, the most is ${MAX_NAME_LENGTH}`,
      "Choose a shorter name",
    );
  }
  if (name.toLowerCase() === "all") {
    return new UsageError(`Cannot name a ${kind} "all": "all" means every host`, "Choose another name");
  }
  const builtin = findHost(name);
  if (builtin) {
    const as = builtin.id === name.toLowerCase() ? "" : ` (an alias of "${builtin.id}")`;
    return new UsageError(
      `Cannot name a ${kind} "${name}": it is a built-in host${as}`,
      'Choose a name that is not a built-in host id; run "hatch mcp discover hosts" to list them',
    );
  }
  return undefined;
}

/**
 * The path a custom host is stored with: an absolute path (on this OS, or HATCH_PLATFORM's),
 * `~/…` expanded, or a file on another machine, `ssh://[user@]machine[:port]/path` (`/~/path`
 * under the remote HOME), kept in one spelling.
 * @throws UsageError for anything else: a relative path (it would depend on the directory hatch
 *   runs in), another URL scheme, a malformed ssh:// URL
 */
export function absoluteHostPath(ws: Workspace, path: string): string {
  if (path === "~") return ws.ctx.home;
  if (path.startsWith("~/") || path.startsWith("~\\")) return resolve(ws.ctx.home, path.slice(2));
  const example = "e.g. /srv/mcp/claude_desktop_config.json, ~/mcp.json or ssh://ws1/~/.cursor/mcp.json";
  const scheme = urlScheme(path);
  if (scheme !== undefined && scheme.toLowerCase() !== "ssh")
    throw new UsageError(
      `Cannot use "${path}" as a host path: "${scheme}://" is not supported (only ssh:// reaches other machines)`,
      `Give an absolute path or an ssh:// URL, ${example}`,
    );
  if (scheme !== undefined) {
    const u = parseSshUrl(isRemotePath(path) ? path : `ssh://${path.slice(6)}`);
    if (typeof u === "string")
      throw new UsageError(
        `Cannot use "${path}" as a host path: ${u}`,
        "Write it as ssh://[user@]machine[:port]/absolute/path or ssh://machine/~/path-under-home",
      );
    return formatSshUrl(u);
  }
  if (!pathsFor(ws.ctx).isAbsolute(path))
    throw new UsageError(
      `Cannot use "${path}" as a host path: it is relative`,
      `Give an absolute path, ${example}`,
    );
  return resolve(path);
}

/**
 * Adds a custom host: a built-in adapter (`type`) at a path.
 * @throws UsageError for an invalid or taken name, an unknown type, or an empty path
 */
export function addHost(
  ws: Workspace,
  cfg: HatchConfig,
  host: { name: string; type: string; path: string; description?: string },
): ConfigChange {
  const bad = nameError("host", host.name);
  if (bad) throw bad;
  if (cfg.hosts.has(host.name)) {
    throw new UsageError(
      `Custom host "${host.name}" already exists (at "${cfg.hosts.get(host.name)?.path}")`,
      `Remove it first with "hatch host remove ${host.name}", or choose another name`,
    );
  }
  if (cfg.groups.has(host.name)) {
    throw new UsageError(
      `Cannot name a host "${host.name}": a host group has that name`,
      "Choose another name",
    );
  }
  const adapter = findHost(host.type);
  if (!adapter) {
    const s = suggest(
      host.type,
      HOSTS.map((h) => h.id),
    );
    throw new UsageError(
      `Unknown host type "${host.type}"${s ? `: did you mean "${s}"?` : ""}`,
      `The type is the built-in host whose file format the custom host uses: ${HOSTS.map((h) => h.id).join(", ")}`,
    );
  }
  if (host.path.trim() === "")
    throw new UsageError(
      "The --path of a custom host must not be empty",
      "Give the host's config file, e.g. --path /srv/mcp/staging/claude_desktop_config.json",
    );
  const entry: Record<string, string> = { type: adapter.id, path: absoluteHostPath(ws, host.path) };
  if (host.description) entry.description = host.description;
  return applyEdits(cfg, [{ path: ["hosts", host.name], value: entry }]);
}

/** Groups that list a member, directly. */
export function groupsUsing(cfg: HatchConfig, member: string): string[] {
  return [...cfg.groups].filter(([, ms]) => ms.includes(member)).map(([g]) => g);
}

/**
 * Removes a custom host.
 * @throws UsageError for an unknown host or one that a group still lists
 */
export function removeHost(cfg: HatchConfig, name: string): ConfigChange {
  if (!cfg.hosts.has(name)) {
    if (findHost(name)) {
      throw new UsageError(
        `Cannot remove "${name}": it is a built-in host, not a custom host`,
        'Run "hatch host list" to list custom hosts',
      );
    }
    const s = suggest(name, cfg.hosts.keys());
    throw new UsageError(
      `Unknown custom host "${name}"${s ? `: did you mean "${s}"?` : ""}`,
      'Run "hatch host list" to list custom hosts',
    );
  }
  const users = groupsUsing(cfg, name);
  if (users.length > 0) {
    throw new UsageError(
      `Cannot remove host "${name}": host group${users.length === 1 ? "" : "s"} ${users.map((g) => `"${g}"`).join(", ")} still list${users.length === 1 ? "s" : ""} it`,
      `Remove it from the group first with "hatch host group ${users[0]} ..." or "hatch host ungroup ${users[0]}"`,
    );
  }
  return applyEdits(cfg, [{ path: ["hosts", name], remove: true }]);
}

/** The first cycle through group `start`, as a path of names, or undefined. */
function findCycle(groups: ReadonlyMap<string, readonly string[]>, start: string): string[] | undefined {
  const walk = (name: string, stack: string[]): string[] | undefined => {
    for (const m of groups.get(name) ?? []) {
      if (m === start) return [...stack, m];
      if (stack.includes(m) || !groups.has(m)) continue;
      const c = walk(m, [...stack, m]);
      if (c) return c;
    }
    return undefined;
  };
  return walk(start, [start]);
}

/**
 * Creates or replaces a host group.
 * @throws UsageError for an invalid or taken name, an unknown member, or a cycle
 */
export function setGroup(cfg: HatchConfig, name: string, members: readonly string[]): ConfigChange {
  const bad = nameError("host group", name);
  if (bad) throw bad;
  if (cfg.hosts.has(name)) {
    throw new UsageError(
      `Cannot name a host group "${name}": a custom host has that name`,
      "Choose another name",
    );
  }
  const list = [...new Set(members)];
  if (list.length === 0) {
    throw new UsageError(
      `Host group "${name}" needs at least one member`,
      `For example: hatch host group ${name} cursor,vscode`,
    );
  }
  const known = [
    ...HOSTS.flatMap((h) => [h.id, ...(h.aliases ?? [])]),
    ...cfg.hosts.keys(),
    ...cfg.groups.keys(),
    "all",
  ];
  for (const m of list) {
    if (m === "all" || cfg.hosts.has(m) || cfg.groups.has(m) || findHost(m)) continue;
    const s = suggest(m, known);
    throw new UsageError(
      `Unknown host "${m}" in host group "${name}"${s ? `: did you mean "${s}"?` : ""}`,
      'Members are built-in hosts, custom hosts ("hatch host list") or other groups',
    );
  }
  const groups = new Map(cfg.groups);
  groups.set(name, list);
  const cycle = findCycle(groups, name);
  if (cycle) {
    throw new UsageError(
      `Host group "${name}" would contain itself: ${cycle.join(" → ")}`,
      "Remove the group that leads back to it from the members",
    );
  }
  return applyEdits(cfg, [{ path: ["groups", name], value: list }]);
}

/**
 * Removes a host group (its members are not touched).
 * @throws UsageError for an unknown group or one that another group lists
 */
export function removeGroup(cfg: HatchConfig, name: string): ConfigChange {
  if (!cfg.groups.has(name)) {
    const s = suggest(name, cfg.groups.keys());
    throw new UsageError(
      `Unknown host group "${name}"${s ? `: did you mean "${s}"?` : ""}`,
      'Run "hatch host list" to list groups',
    );
  }
  const users = groupsUsing(cfg, name).filter((g) => g !== name);
  if (users.length > 0) {
    throw new UsageError(
      `Cannot remove host group "${name}": host group${users.length === 1 ? "" : "s"} ${users.map((g) => `"${g}"`).join(", ")} still list${users.length === 1 ? "s" : ""} it`,
      `Remove it from "${users[0]}" first with "hatch host group ${users[0]} ..."`,
    );
  }
  return applyEdits(cfg, [{ path: ["groups", name], remove: true }]);
}

/**
 * Writes a change atomically, under the file's lock, if config.yaml is still as it was read.
 * @throws ApplyError when another process changed the file meanwhile, or the write fails
 */
export function saveConfig(ws: Workspace, before: HatchConfig, change: ConfigChange): void {
  const lock = lockPath(ws.hatchHome, before.path);
  try {
    const now = ws.system.readText(before.path) ?? "";
    if (now !== before.text) {
      throw new ApplyError(
        `Cannot write "${before.path}": it changed after it was read (another program wrote it); nothing was written, run the command again`,
        undefined,
        before.path,
      );
    }
    ws.system.mkdirp(ws.hatchHome, 0o700);
    ws.system.writeAtomic(before.path, change.text);
  } finally {
    lock.release();
  }
}
