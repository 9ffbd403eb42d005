// `hatch host add|remove|list|group|ungroup`: custom hosts (a built-in adapter at a path the user
// gives) and host groups, kept in HATCH_HOME/config.yaml and edited in place (comments survive).
import { splitList } from "../../store/targets.ts";
import { defaultWorkspace } from "../../store/workspace.ts";
import { UsageError } from "../../core/errors.ts";
import {
  addHost,
  type ConfigChange,
  type HatchConfig,
  loadConfig,
  removeGroup,
  removeHost,
  saveConfig,
  setGroup,
} from "../../store/config.ts";
import { tildify } from "../../hosts/_paths.ts";
import { HOSTS } from "../../hosts/registry.ts";
import { type Command, type Invocation, JSON_OPTION, str } from "../command.ts";
import { table } from "../output.ts";

const DRY_RUN = { type: "boolean", description: "Print what would change and write nothing" } as const;

/** Saves a change (unless --dry-run) and prints one line; --json prints the resulting config. */
function commit(
  inv: Invocation,
  before: HatchConfig,
  change: ConfigChange,
  text: { would: string; done: string },
  detail: Record<string, unknown>,
): number {
  const dryRun = inv.values["dry-run"] === true;
  const ws = defaultWorkspace(inv.env, inv.system);
  if (!dryRun) saveConfig(ws, before, change);
  if (inv.out.json) {
    inv.out.emitJson({ ...detail, path: before.path, dryRun, written: !dryRun });
    return 0;
  }
  if (dryRun)
    inv.out.print(`[DRY RUN] Would ${text.would} in ${tildify(inv.ctx, before.path)}; nothing was written`);
  else inv.out.print(`${inv.out.paint("green", "✓")} ${text.done} (${tildify(inv.ctx, before.path)})`);
  return 0;
}

export const hostAdd: Command = {
  path: ["host", "add"],
  summary: "Add a custom host: a built-in host's file format at a path you give",
  usage: "NAME --type ADAPTER --path FILE [--description D] [--dry-run]",
  positionals: [
    { name: "NAME", description: 'The custom host\'s name: letters, digits, ".", "_", "-"', required: true },
  ],
  options: {
    type: {
      type: "string",
      value: "ADAPTER",
      description: `The built-in host whose format the file uses (${HOSTS.map((h) => h.id).join(", ")})`,
      complete: HOSTS.map((h) => h.id),
    },
    path: {
      type: "string",
      value: "FILE",
      description: "The config file (stored absolute; ~/ is expanded)",
      complete: "files",
    },
    description: { type: "string", value: "TEXT", description: "What the host is" },
    "dry-run": DRY_RUN,
    json: JSON_OPTION,
  },
  examples: [
    "hatch host add staging-claude --type claude-desktop --path /srv/mcp/staging/claude_desktop_config.json",
    "hatch mcp sync --from-host staging-claude --to-host production-hosts --auto-approve",
  ],
  run(inv) {
    const name = inv.positionals[0] as string;
    const type = str(inv.values.type);
    const path = str(inv.values.path);
    if (!type || !path) {
      throw new UsageError(
        `Missing ${!type ? "--type" : "--path"} for custom host "${name}"`,
        `For example: hatch host add ${name} --type claude-desktop --path /srv/mcp/claude_desktop_config.json`,
      );
    }
    const ws = defaultWorkspace(inv.env, inv.system);
    const cfg = loadConfig(ws);
    const description = str(inv.values.description);
    const change = addHost(ws, cfg, { name, type, path, ...(description ? { description } : {}) });
    const h = change.config.hosts.get(name);
    const what = `custom host "${name}" (${h?.type} at ${h?.path})`;
    return commit(
      inv,
      cfg,
      change,
      { would: `add ${what}`, done: `Added ${what}` },
      { action: "add", host: h },
    );
  },
};

export const hostRemove: Command = {
  path: ["host", "remove"],
  summary: "Remove a custom host (its config file is not touched)",
  usage: "NAME [--dry-run]",
  positionals: [{ name: "NAME", description: "A custom host", required: true, complete: "hosts" }],
  options: { "dry-run": DRY_RUN, json: JSON_OPTION },
  examples: ["hatch host remove staging-claude"],
  run(inv) {
    const name = inv.positionals[0] as string;
    const ws = defaultWorkspace(inv.env, inv.system);
    const cfg = loadConfig(ws);
    const h = cfg.hosts.get(name);
    const change = removeHost(cfg, name);
    return commit(
      inv,
      cfg,
      change,
      {
        would: `remove custom host "${name}"`,
        done: `Removed custom host "${name}"; its file ${h?.path} was left as it is`,
      },
      {
        action: "remove",
        host: h,
      },
    );
  },
};

export const hostList: Command = {
  path: ["host", "list"],
  summary: "List custom hosts and host groups",
  usage: "[--json]",
  options: { json: JSON_OPTION },
  examples: ["hatch host list", "hatch host list --json"],
  run(inv) {
    const ws = defaultWorkspace(inv.env, inv.system);
    const cfg = loadConfig(ws);
    const hosts = [...cfg.hosts.values()].sort((a, b) => a.name.localeCompare(b.name));
    const groups = [...cfg.groups].sort(([a], [b]) => a.localeCompare(b));
    if (inv.out.json) {
      inv.out.emitJson({
        path: cfg.path,
        hosts: hosts.map((h) => ({ ...h, exists: ws.system.exists(h.path) })),
        groups: groups.map(([name, members]) => ({ name, members })),
      });
      return 0;
    }
    if (hosts.length === 0)
      inv.out.print('No custom hosts: add one with "hatch host add NAME --type ADAPTER --path FILE"');
    else {
      inv.out.print("Custom hosts:");
      inv.out.print(
        table(
          ["Name", "Type", "Config Path", "Description"],
          hosts.map((h) => [
            h.name,
            h.type,
            `${tildify(inv.ctx, h.path)}${ws.system.exists(h.path) ? "" : " (not created yet)"}`,
            h.description ?? "",
          ]),
        ).join("\n"),
      );
    }
    inv.out.print();
    if (groups.length === 0)
      inv.out.print('No host groups: create one with "hatch host group NAME MEMBER,MEMBER"');
    else {
      inv.out.print("Host groups:");
      inv.out.print(
        table(
          ["Name", "Members"],
          groups.map(([n, m]) => [n, m.join(", ")]),
        ).join("\n"),
      );
    }
    inv.out.print();
    inv.out.print('Built-in hosts: run "hatch mcp discover hosts"');
    return 0;
  },
};

export const hostGroup: Command = {
  path: ["host", "group"],
  summary: "Create or replace a host group: a named list of hosts and groups",
  usage: "NAME MEMBER[,MEMBER...] [--dry-run]",
  positionals: [
    { name: "NAME", description: "The group's name", required: true },
    {
      name: "MEMBERS",
      description: "Built-in hosts, custom hosts or groups, comma-separated",
      required: true,
    },
  ],
  options: { "dry-run": DRY_RUN, json: JSON_OPTION },
  examples: [
    "hatch host group production-hosts claude-desktop,cursor,vscode",
    "hatch mcp sync --from-env production --to-host production-hosts --auto-approve",
  ],
  run(inv) {
    const name = inv.positionals[0] as string;
    const members = splitList(inv.positionals[1] as string);
    const ws = defaultWorkspace(inv.env, inv.system);
    const cfg = loadConfig(ws);
    const existed = cfg.groups.has(name);
    const change = setGroup(cfg, name, members);
    const list = change.config.groups.get(name) ?? [];
    const what = `host group "${name}": ${list.join(", ")}`;
    return commit(
      inv,
      cfg,
      change,
      {
        would: `${existed ? "replace" : "create"} ${what}`,
        done: `${existed ? "Replaced" : "Created"} ${what}`,
      },
      {
        action: existed ? "replace" : "create",
        group: { name, members: list },
      },
    );
  },
};

export const hostUngroup: Command = {
  path: ["host", "ungroup"],
  summary: "Remove a host group (its members are not touched)",
  usage: "NAME [--dry-run]",
  positionals: [{ name: "NAME", description: "A host group", required: true, complete: "hosts" }],
  options: { "dry-run": DRY_RUN, json: JSON_OPTION },
  examples: ["hatch host ungroup production-hosts"],
  run(inv) {
    const name = inv.positionals[0] as string;
    const ws = defaultWorkspace(inv.env, inv.system);
    const cfg = loadConfig(ws);
    const members = cfg.groups.get(name);
    const change = removeGroup(cfg, name);
    return commit(
      inv,
      cfg,
      change,
      { would: `remove host group "${name}"`, done: `Removed host group "${name}"` },
      { action: "remove", group: { name, members } },
    );
  },
};

export const HOST_COMMANDS: readonly Command[] = [hostAdd, hostRemove, hostList, hostGroup, hostUngroup];
