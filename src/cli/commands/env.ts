// `hatch env create|use|current|list|show|remove`: named sets of servers kept by hatch in
// HATCH_HOME/envs/<name>.yaml. Each command is a call of the API's `envs.*`, rendered.
import { envs } from "../../api/envs.ts";
import { isRemote, type Server } from "../../core/model.ts";
import { tildify } from "../../hosts/_paths.ts";
import { envExists } from "../../store/envs.ts";
import { defaultWorkspace, type Workspace } from "../../store/workspace.ts";
import { type Command, type Invocation, JSON_OPTION, SHOW_SECRETS_OPTION, str } from "../command.ts";
import { approve } from "../flow.ts";
import { table } from "../output.ts";
import { serverJson } from "./list.ts";

const DRY_RUN = { type: "boolean", description: "Print what would change and write nothing" } as const;
const AUTO_APPROVE = {
  type: "boolean",
  short: "y",
  description: "Do it without asking (also HATCH_AUTO_APPROVE=1)",
} as const;

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

export const envCreate: Command = {
  path: ["env", "create"],
  summary: "Create an environment (empty, or holding a host's servers with --from-host)",
  usage: "NAME [--description D] [--from-host H] [--dry-run] [--json]",
  positionals: [
    { name: "NAME", description: 'Environment name: letters, digits, ".", "_", "-"', required: true },
  ],
  options: {
    description: { type: "string", short: "D", value: "TEXT", description: "What the environment is for" },
    "from-host": {
      type: "string",
      value: "HOST",
      description: "Capture this host's servers into the new environment",
      complete: "host",
    },
    "dry-run": DRY_RUN,
    json: JSON_OPTION,
  },
  examples: [
    'hatch env create production --description "Servers for production hosts"',
    "hatch env create last-known-good --from-host claude-desktop",
  ],
  async run(inv) {
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
  },
};

export const envUse: Command = {
  path: ["env", "use"],
  summary: "Make an environment the current one",
  usage: "NAME [--dry-run]",
  positionals: [{ name: "NAME", description: "An existing environment", required: true, complete: "envs" }],
  options: { "dry-run": DRY_RUN, json: JSON_OPTION },
  examples: ["hatch env use production"],
  async run(inv) {
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
  },
};

export const envCurrent: Command = {
  path: ["env", "current"],
  summary: "Print the current environment",
  usage: "[--json]",
  options: { json: JSON_OPTION },
  examples: ["hatch env current"],
  run(inv) {
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
  },
};

export const envList: Command = {
  path: ["env", "list"],
  summary: "List the environments (* marks the current one); a file that cannot be read is named, not fatal",
  usage: "[--json]",
  options: { json: JSON_OPTION },
  examples: ["hatch env list", "hatch env list --json"],
  run(inv) {
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
  },
};

export const envShow: Command = {
  path: ["env", "show"],
  summary: "Show an environment's description and servers",
  usage: "NAME [--json] [--show-secrets]",
  positionals: [{ name: "NAME", description: "An existing environment", required: true, complete: "envs" }],
  options: { json: JSON_OPTION, "show-secrets": SHOW_SECRETS_OPTION },
  examples: ["hatch env show production", "hatch env show production --json"],
  run(inv) {
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
  },
};

export const envRemove: Command = {
  path: ["env", "remove"],
  summary: "Remove an environment (asks first; a backup is kept)",
  usage: "NAME [--dry-run] [--auto-approve] [--no-backup]",
  positionals: [{ name: "NAME", description: "An existing environment", required: true, complete: "envs" }],
  options: {
    "dry-run": DRY_RUN,
    "auto-approve": AUTO_APPROVE,
    "no-backup": { type: "boolean", description: "Do not snapshot the environment file before removing it" },
    json: JSON_OPTION,
  },
  examples: ["hatch env remove weather-dashboard", "hatch env remove staging --auto-approve"],
  async run(inv) {
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
      inv.out.print(
        '  It was the current environment: none is current now; set one with "hatch env use NAME"',
      );
    return 0;
  },
};

export const ENV_COMMANDS: readonly Command[] = [envCreate, envUse, envCurrent, envList, envShow, envRemove];
