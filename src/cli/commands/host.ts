// `hatch host add|remove|list|group|ungroup`: custom hosts (a built-in adapter at a path the user
// gives) and host groups, kept in HATCH_HOME/config.yaml and edited in place (comments survive).
import { type ConfigResult, hosts } from "../../api/hosts.ts";
import { defaultWorkspace } from "../../store/workspace.ts";
import { UsageError } from "../../core/errors.ts";
import { configPath } from "../../store/config.ts";
import { tildify } from "../../hosts/_paths.ts";
import { type Invocation, str } from "../command.ts";
import { table } from "../output.ts";

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

export async function runHostAdd(inv: Invocation): Promise<number> {
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
}

export async function runHostRemove(inv: Invocation): Promise<number> {
  const name = inv.positionals[0] as string;
  const r = await hosts.remove(name, opts(inv));
  return report(inv, r, {
    would: `remove custom host "${name}"`,
    done: `Removed custom host "${name}"; its file ${r.host?.path} was left as it is`,
  });
}

export function runHostList(inv: Invocation): number {
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
}

export async function runHostGroup(inv: Invocation): Promise<number> {
  const name = inv.positionals[0] as string;
  const r = await hosts.group(name, inv.positionals[1] as string, opts(inv));
  const what = `host group "${name}": ${(r.members ?? []).join(", ")}`;
  return report(inv, r, {
    would: `${r.replaced ? "replace" : "create"} ${what}`,
    done: `${r.replaced ? "Replaced" : "Created"} ${what}`,
  });
}

export async function runHostUngroup(inv: Invocation): Promise<number> {
  const name = inv.positionals[0] as string;
  const r = await hosts.ungroup(name, opts(inv));
  return report(inv, r, { would: `remove host group "${name}"`, done: `Removed host group "${name}"` });
}

export async function runHostDiscover(inv: Invocation): Promise<number> {
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
}
