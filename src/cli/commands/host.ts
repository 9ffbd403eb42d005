// `hatch host add|remove|list|group|ungroup`: custom hosts (a built-in adapter at a path the user
// gives) and host groups, kept in HATCH_HOME/config.yaml and edited in place (comments survive).
import { type ConfigResult, hosts } from "../../api/hosts.ts";
import { defaultWorkspace } from "../../store/workspace.ts";
import { UsageError } from "../../core/errors.ts";
import { configPath } from "../../store/config.ts";
import { tildify } from "../../hosts/_paths.ts";
import { HOSTS } from "../../hosts/registry.ts";
import { type Command, type Invocation, JSON_OPTION, str } from "../command.ts";
import { table } from "../output.ts";

const DRY_RUN = { type: "boolean", description: "Print what would change and write nothing" } as const;

/** Prints one line for a config change (or its dry run); --json prints the result. */
function report(inv: Invocation, r: ConfigResult, text: { would: string; done: string }): number {
  if (inv.out.json) {
    inv.out.emitJson(r);
    return 0;
  }
  if (r.dryRun)
    inv.out.print(`[DRY RUN] Would ${text.would} in ${tildify(inv.ctx, r.path)}; nothing was written`);
  else inv.out.print(`${inv.out.paint("green", "✓")} ${text.done} (${tildify(inv.ctx, r.path)})`);
  return 0;
}

function opts(inv: Invocation) {
  return { dryRun: inv.values["dry-run"] === true, workspace: defaultWorkspace(inv.env, inv.system) };
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
      description:
        "The config file: an absolute path, ~/… (expanded), or ssh://[user@]machine[:port]/path on another machine (/~/path: under its HOME)",
      complete: "files",
    },
    description: { type: "string", value: "TEXT", description: "What the host is" },
    "dry-run": DRY_RUN,
    json: JSON_OPTION,
  },
  examples: [
    "hatch host add staging-claude --type claude-desktop --path /srv/mcp/staging/claude_desktop_config.json",
    "hatch host add ws1-cursor --type cursor --path ssh://me@ws1/~/.cursor/mcp.json",
    "hatch mcp sync --from-host staging-claude --to-host production-hosts --auto-approve",
  ],
  async run(inv) {
    const name = inv.positionals[0] as string;
    const type = str(inv.values.type);
    const path = str(inv.values.path);
    if (!type || !path) {
      throw new UsageError(
        `Missing ${!type ? "--type" : "--path"} for custom host "${name}"`,
        `For example: hatch host add ${name} --type claude-desktop --path /srv/mcp/claude_desktop_config.json`,
      );
    }
    const description = str(inv.values.description);
    const r = await hosts.add(name, { type, path, ...(description ? { description } : {}) }, opts(inv));
    const what = `custom host "${name}" (${r.host?.type} at ${r.host?.path})`;
    return report(inv, r, { would: `add ${what}`, done: `Added ${what}` });
  },
};

export const hostRemove: Command = {
  path: ["host", "remove"],
  summary: "Remove a custom host (its config file is not touched)",
  usage: "NAME [--dry-run]",
  positionals: [{ name: "NAME", description: "A custom host", required: true, complete: "custom-hosts" }],
  options: { "dry-run": DRY_RUN, json: JSON_OPTION },
  examples: ["hatch host remove staging-claude"],
  async run(inv) {
    const name = inv.positionals[0] as string;
    const r = await hosts.remove(name, opts(inv));
    return report(inv, r, {
      would: `remove custom host "${name}"`,
      done: `Removed custom host "${name}"; its file ${r.host?.path} was left as it is`,
    });
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
    const custom = hosts.list({ workspace: ws }).flatMap((h) => (h.kind === "custom" ? [h] : []));
    const groups = Object.entries(hosts.groups({ workspace: ws }));
    if (inv.out.json) {
      inv.out.emitJson({
        path: configPath(ws),
        hosts: custom.map(({ kind: _, id, ...h }) => ({ name: id, ...h })),
        groups: groups.map(([name, members]) => ({ name, members })),
      });
      return 0;
    }
    if (custom.length === 0)
      inv.out.print('No custom hosts: add one with "hatch host add NAME --type ADAPTER --path FILE"');
    else {
      inv.out.print("Custom hosts:");
      inv.out.print(
        table(
          ["Name", "Type", "Config Path", "Description"],
          custom.map((h) => [
            h.id,
            h.type,
            `${tildify(inv.ctx, h.path)}${h.unreachable ? " (unreachable now)" : h.exists ? "" : " (not created yet)"}`,
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
  async run(inv) {
    const name = inv.positionals[0] as string;
    const r = await hosts.group(name, inv.positionals[1] as string, opts(inv));
    const what = `host group "${name}": ${(r.members ?? []).join(", ")}`;
    return report(inv, r, {
      would: `${r.replaced ? "replace" : "create"} ${what}`,
      done: `${r.replaced ? "Replaced" : "Created"} ${what}`,
    });
  },
};

export const hostUngroup: Command = {
  path: ["host", "ungroup"],
  summary: "Remove a host group (its members are not touched)",
  usage: "NAME [--dry-run]",
  positionals: [{ name: "NAME", description: "A host group", required: true, complete: "groups" }],
  options: { "dry-run": DRY_RUN, json: JSON_OPTION },
  examples: ["hatch host ungroup production-hosts"],
  async run(inv) {
    const name = inv.positionals[0] as string;
    const r = await hosts.ungroup(name, opts(inv));
    return report(inv, r, { would: `remove host group "${name}"`, done: `Removed host group "${name}"` });
  },
};

export const hostDiscover: Command = {
  path: ["host", "discover"],
  summary: "List the built-in hosts on another machine (over ssh) and the commands that add them",
  usage: "ssh://[user@]MACHINE[:PORT] [--json]",
  positionals: [
    {
      name: "MACHINE",
      description:
        "The machine, as ssh://[user@]machine[:port] (your ssh config, agent and known_hosts apply)",
      required: true,
    },
  ],
  options: { json: JSON_OPTION },
  examples: ["hatch host discover ssh://ws1", "hatch host discover ssh://me@ws1:2222 --json"],
  async run(inv) {
    const r = await hosts.discover(inv.positionals[0] as string, {
      workspace: defaultWorkspace(inv.env, inv.system),
    });
    if (inv.out.json) {
      inv.out.emitJson(r);
      return 0;
    }
    if (r.hosts.length === 0) {
      inv.out.print(`No built-in hosts found on ${r.machine} (${r.os}, HOME ${r.home})`);
      return 0;
    }
    inv.out.print(`Hosts on ${r.machine} (${r.os}, HOME ${r.home}):`);
    inv.out.print(
      table(
        ["Host", "Config Path"],
        r.hosts.map((h) => [h.id, `${h.path}${h.exists ? "" : " (not created yet)"}`]),
      ).join("\n"),
    );
    inv.out.print();
    inv.out.print("Add them with:");
    for (const h of r.hosts) inv.out.print(`  ${h.add}`);
    return 0;
  },
};

export const HOST_COMMANDS: readonly Command[] = [
  hostAdd,
  hostRemove,
  hostList,
  hostGroup,
  hostUngroup,
  hostDiscover,
];
