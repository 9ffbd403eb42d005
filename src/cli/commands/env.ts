// `hatch env create|use|current|list|show|remove`: named sets of servers kept by hatch in
// HATCH_HOME/envs/<name>.yaml. Each command is a call of the API's `envs.*`, rendered.
import { envs } from "../../api/envs.ts";
import { isRemote, type Server } from "../../core/model.ts";
import { tildify } from "../../hosts/_paths.ts";
import { envExists } from "../../store/envs.ts";
import { defaultWorkspace, type Workspace } from "../../store/workspace.ts";
import { type Invocation, str } from "../command.ts";
import { approve } from "../flow.ts";
import { table } from "../output.ts";
import { serverJson } from "./list.ts";

function ws(inv: Invocation): Workspace {
  return defaultWorkspace(inv.env, inv.system);
}

function transportOf(s: Server): string {
  return isRemote(s) ? (s.transport ?? "http") : "stdio";
}

function targetOf(s: Server): string {
  if (isRemote(s)) return s.url;
  return [s.command, ...(s.args ?? [])].map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(" ");
}

export async function runEnvCreate(inv: Invocation): Promise<number> {
  const name = inv.positionals[0] as string;
  const description = str(inv.values.description);
  const fromHost = str(inv.values["from-host"]);
  const dryRun = inv.values["dry-run"] === true;
  const r = await envs.create(name, {
    ...(description !== undefined ? { description } : {}),
    ...(fromHost ? { fromHost } : {}),
    dryRun,
    workspace: ws(inv),
  });
  for (const bad of r.skipped)
    inv.out.warn(`Skipped entry "${bad.name}" in ${r.fromHost}: ${bad.problems.join("; ")}`);
  if (inv.out.json) {
    inv.out.emitJson(r);
    return 0;
  }
  const n = r.servers.length;
  const from = r.fromHost ? ` with ${n} server${n === 1 ? "" : "s"} from host "${r.fromHost}"` : "";
  if (dryRun) {
    inv.out.print(`[DRY RUN] Would create environment "${name}"${from} at ${tildify(inv.ctx, r.path)}`);
  } else {
    inv.out.print(
      `${inv.out.paint("green", "✓")} Created environment "${name}"${from} at ${tildify(inv.ctx, r.path)}`,
    );
  }
  if (n > 0) inv.out.print(`  Servers: ${r.servers.join(", ")}`);
  if (!dryRun && !r.fromHost) {
    inv.out.print(
      `  Add servers with "hatch mcp configure SERVER --env ${name} --command ..." or "hatch mcp sync --from-host HOST --to-env ${name}"`,
    );
  }
  return 0;
}

export async function runEnvUse(inv: Invocation): Promise<number> {
  const name = inv.positionals[0] as string;
  const dryRun = inv.values["dry-run"] === true;
  const r = await envs.use(name, { dryRun, workspace: ws(inv) });
  if (inv.out.json) {
    inv.out.emitJson({ current: r.current, previous: r.previous ?? null, dryRun });
    return 0;
  }
  if (dryRun) inv.out.print(`[DRY RUN] Would set the current environment to "${name}"`);
  else inv.out.print(`${inv.out.paint("green", "✓")} Current environment: ${name}`);
  return 0;
}

export function runEnvCurrent(inv: Invocation): number {
  const w = ws(inv);
  const name = envs.current({ workspace: w });
  const exists =
    name !== undefined &&
    (() => {
      try {
        return envExists(w, name);
      } catch {
        return false;
      }
    })();
  if (inv.out.json) {
    inv.out.emitJson({ current: name ?? null, exists });
    return 0;
  }
  if (name === undefined) {
    inv.out.print('No current environment: set one with "hatch env use NAME"');
    return 0;
  }
  inv.out.print(`Current environment: ${name}`);
  if (!exists)
    inv.out.warn(`Environment "${name}" does not exist any more: set another with "hatch env use NAME"`);
  return 0;
}

export function runEnvList(inv: Invocation): number {
  const list = envs.list({ workspace: ws(inv) });
  const broken = list.filter((e) => e.error !== undefined);
  // Every other environment is listed; each unreadable file is a warning, and the exit code 2
  // (bad input) says that one needs fixing, as `mcp list servers` does for a host file.
  const code = broken.length > 0 ? 2 : 0;
  for (const e of broken) inv.out.warn(`Environment "${e.name}" cannot be read: ${e.error}`);
  if (inv.out.json) {
    inv.out.emitJson({
      current: list.find((e) => e.current)?.name ?? envs.current({ workspace: ws(inv) }) ?? null,
      environments: list,
    });
    return code;
  }
  if (list.length === 0) {
    inv.out.print('No environments yet: create one with "hatch env create NAME"');
    return code;
  }
  inv.out.print("Environments:");
  inv.out.print(
    table(
      ["Name", "Servers", "Description"],
      list.map((e) => [
        `${e.current ? "* " : "  "}${e.name}`,
        e.error !== undefined ? "?" : String(e.servers.length),
        e.error !== undefined ? `(cannot be read: ${tildify(inv.ctx, e.path)})` : e.description,
      ]),
    ).join("\n"),
  );
  return code;
}

export function runEnvShow(inv: Invocation): number {
  const e = envs.show(inv.positionals[0] as string, { workspace: ws(inv) });
  const current = e.current;
  const servers = Object.entries(e.servers).sort(([a], [b]) => a.localeCompare(b));
  if (inv.out.json) {
    inv.out.emitJson({
      name: e.name,
      current,
      description: e.description ?? "",
      path: e.path,
      servers: servers.map(([n, s]) => serverJson(n, s, inv.out.showSecrets)),
    });
    return 0;
  }
  inv.out.print(`Environment: ${e.name}${current ? " (current)" : ""}`);
  if (e.description) inv.out.print(`Description: ${e.description}`);
  inv.out.print(`File: ${tildify(inv.ctx, e.path)}`);
  inv.out.print();
  if (servers.length === 0) inv.out.print("No MCP servers configured");
  else
    inv.out.print(
      table(
        ["Server", "Transport", "Command / URL"],
        servers.map(([n, s]) => [n, transportOf(s), targetOf(s)]),
      ).join("\n"),
    );
  return 0;
}

export async function runEnvRemove(inv: Invocation): Promise<number> {
  const name = inv.positionals[0] as string;
  const w = ws(inv);
  // Validates the name and that the environment exists (a broken file can still be removed).
  const dry = await envs.remove(name, { dryRun: true, workspace: w });
  let count: number | undefined;
  try {
    count = Object.keys(envs.show(name, { workspace: w }).servers).length;
  } catch {
    count = undefined;
  }
  const dryRun = inv.values["dry-run"] === true;
  const what = `environment "${name}" (${count === undefined ? "unreadable" : `${count} server${count === 1 ? "" : "s"}`}, ${tildify(inv.ctx, dry.path)})`;
  if (!inv.out.json) {
    inv.out.print(`Remove ${what}${dry.wasCurrent ? "; it is the current environment" : ""}`);
  }
  if (dryRun) {
    if (inv.out.json) inv.out.emitJson({ ...dry, backupId: null });
    else inv.out.print("[DRY RUN] Nothing was removed");
    return 0;
  }
  const approval = await approve(inv, {
    json: () => ({ ...dry, dryRun: false }),
    text: "Operation cancelled: nothing was removed",
  });
  if (!approval.go) return approval.code;
  const r = await envs.remove(name, {
    noBackup: inv.values["no-backup"] === true,
    label: `hatch ${process.argv.slice(2).join(" ")}`,
    workspace: w,
  });
  if (inv.out.json) {
    inv.out.emitJson({ ...r, backupId: r.backupId ?? null });
    return 0;
  }
  inv.out.print(
    `${inv.out.paint("green", "✓")} Removed environment "${name}"${r.backupId ? ` (backup snapshot ${r.backupId})` : ""}`,
  );
  if (r.wasCurrent)
    inv.out.print('  It was the current environment: none is current now; set one with "hatch env use NAME"');
  return 0;
}
