// `hatch env create|use|current|list|show|remove`: named sets of servers kept by hatch in
// HATCH_HOME/envs/<name>.yaml (readable YAML; comments survive edits).
import { readHost } from "../../store/hostfile.ts";
import { resolveTargets } from "../../store/targets.ts";
import { defaultWorkspace, type Workspace } from "../../store/workspace.ts";
import { UsageError } from "../../core/errors.ts";
import { isRemote, type Server, type ServerMap } from "../../core/model.ts";
import { tildify } from "../../hosts/_paths.ts";
import { createSnapshot } from "../../store/backups.ts";
import {
  checkEnvName,
  createEnv,
  currentEnv,
  envExists,
  envPath,
  envTarget,
  listEnvNames,
  newEnvText,
  readEnv,
  removeEnv,
  useEnv,
} from "../../store/envs.ts";
import { lockPath } from "../../store/lock.ts";
import { type Command, type Invocation, JSON_OPTION, SHOW_SECRETS_OPTION, str } from "../command.ts";
import { confirm } from "../confirm.ts";
import { table } from "../output.ts";
import { serverJson } from "./list.ts";
import { autoApproved } from "./sync.ts";

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

/** Reads a host's servers for `env create --from-host`; invalid entries are reported and left out. */
function captureHost(
  inv: Invocation,
  w: Workspace,
  hostName: string,
): { host: string; path: string; servers: ServerMap } {
  const targets = resolveTargets(w, hostName);
  if (targets.length !== 1 || !targets[0]) {
    throw new UsageError(
      `--from-host must name one host, but "${hostName}" names ${targets.length}`,
      "Give a single host id or custom host",
    );
  }
  const r = readHost(targets[0], w.system);
  if (!r.exists) {
    throw new UsageError(
      `Host "${r.target.name}" has no config file at "${tildify(inv.ctx, r.target.path)}"`,
      `Check it with "hatch mcp list servers --host ${hostName}"`,
    );
  }
  for (const bad of r.invalid) {
    inv.out.warn(`Skipped entry "${bad.name}" in ${r.target.name}: ${bad.problems.join("; ")}`);
  }
  return { host: r.target.name, path: r.target.path, servers: r.servers };
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
      complete: "hosts",
    },
    "dry-run": DRY_RUN,
    json: JSON_OPTION,
  },
  examples: [
    'hatch env create production --description "Servers for production hosts"',
    "hatch env create last-known-good --from-host claude-desktop",
  ],
  run(inv) {
    const name = inv.positionals[0] as string;
    checkEnvName(name);
    const w = ws(inv);
    if (envExists(w, name)) {
      throw new UsageError(
        `Environment "${name}" already exists`,
        `Show it with "hatch env show ${name}", or remove it first with "hatch env remove ${name}"`,
      );
    }
    const description = str(inv.values.description);
    const fromHost = str(inv.values["from-host"]);
    const captured = fromHost ? captureHost(inv, w, fromHost) : undefined;
    const servers = captured?.servers ?? new Map();
    const path = envPath(w, name);
    const dryRun = inv.values["dry-run"] === true;
    // Render first: a server the file cannot hold stops here, before anything is written.
    newEnvText(name, description, servers);
    if (!dryRun) createEnv(w, name, { ...(description !== undefined ? { description } : {}), servers });
    if (inv.out.json) {
      inv.out.emitJson({
        environment: name,
        path,
        created: !dryRun,
        dryRun,
        ...(captured ? { fromHost: captured.host } : {}),
        servers: [...servers.keys()],
      });
      return 0;
    }
    const from = captured
      ? ` with ${servers.size} server${servers.size === 1 ? "" : "s"} from host "${captured.host}"`
      : "";
    if (dryRun) {
      inv.out.print(`[DRY RUN] Would create environment "${name}"${from} at ${tildify(inv.ctx, path)}`);
    } else {
      inv.out.print(
        `${inv.out.paint("green", "✓")} Created environment "${name}"${from} at ${tildify(inv.ctx, path)}`,
      );
    }
    if (servers.size > 0) inv.out.print(`  Servers: ${[...servers.keys()].join(", ")}`);
    if (!dryRun && !captured) {
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
  run(inv) {
    const name = inv.positionals[0] as string;
    const w = ws(inv);
    envTarget(w, name);
    const dryRun = inv.values["dry-run"] === true;
    const before = currentEnv(w);
    if (!dryRun && before !== name) useEnv(w, name);
    if (inv.out.json) {
      inv.out.emitJson({ current: name, previous: before ?? null, dryRun });
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
    const name = currentEnv(w);
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
  summary: "List the environments (* marks the current one)",
  usage: "[--json]",
  options: { json: JSON_OPTION },
  examples: ["hatch env list", "hatch env list --json"],
  run(inv) {
    const w = ws(inv);
    const current = currentEnv(w);
    const envs = listEnvNames(w).map((n) => readEnv(w, n));
    if (inv.out.json) {
      inv.out.emitJson({
        current: current ?? null,
        environments: envs.map((e) => ({
          name: e.name,
          current: e.name === current,
          description: e.description ?? "",
          path: e.path,
          servers: [...e.servers.keys()],
        })),
      });
      return 0;
    }
    if (envs.length === 0) {
      inv.out.print('No environments yet: create one with "hatch env create NAME"');
      return 0;
    }
    inv.out.print("Environments:");
    inv.out.print(
      table(
        ["Name", "Servers", "Description"],
        envs.map((e) => [
          `${e.name === current ? "* " : "  "}${e.name}`,
          String(e.servers.size),
          e.description ?? "",
        ]),
      ).join("\n"),
    );
    return 0;
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
    const w = ws(inv);
    const e = readEnv(w, inv.positionals[0] as string);
    const current = currentEnv(w) === e.name;
    const servers = [...e.servers].sort(([a], [b]) => a.localeCompare(b));
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
    // Reading validates the name and the file exists (a broken file can still be removed).
    const t = envTarget(w, name);
    let count: number | undefined;
    try {
      count = readEnv(w, name).servers.size;
    } catch {
      count = undefined;
    }
    const isCurrent = currentEnv(w) === name;
    const dryRun = inv.values["dry-run"] === true;
    const what = `environment "${name}" (${count === undefined ? "unreadable" : `${count} server${count === 1 ? "" : "s"}`}, ${tildify(inv.ctx, t.path)})`;
    if (!inv.out.json) {
      inv.out.print(`Remove ${what}${isCurrent ? "; it is the current environment" : ""}`);
    }
    if (dryRun) {
      if (inv.out.json) inv.out.emitJson({ environment: name, path: t.path, removed: false, dryRun: true });
      else inv.out.print("[DRY RUN] Nothing was removed");
      return 0;
    }
    if (!autoApproved(inv) && !(await confirm(inv.out, "Proceed? [y/N]: "))) {
      if (inv.out.json)
        inv.out.emitJson({ environment: name, path: t.path, removed: false, cancelled: true });
      else inv.out.print("Operation cancelled: nothing was removed");
      return 1;
    }
    const lock = lockPath(w.hatchHome, t.path);
    let backupId: string | undefined;
    try {
      if (inv.values["no-backup"] !== true) {
        backupId = createSnapshot(w, {
          reason: "env remove",
          command: `hatch ${process.argv.slice(2).join(" ")}`,
          files: [{ host: t.name, path: t.path }],
        }).id;
      }
      removeEnv(w, name);
    } finally {
      lock.release();
    }
    if (inv.out.json) {
      inv.out.emitJson({
        environment: name,
        path: t.path,
        removed: true,
        wasCurrent: isCurrent,
        backupId: backupId ?? null,
      });
      return 0;
    }
    inv.out.print(
      `${inv.out.paint("green", "✓")} Removed environment "${name}"${backupId ? ` (backup snapshot ${backupId})` : ""}`,
    );
    if (isCurrent)
      inv.out.print(
        '  It was the current environment: none is current now; set one with "hatch env use NAME"',
      );
    return 0;
  },
};

export const ENV_COMMANDS: readonly Command[] = [envCreate, envUse, envCurrent, envList, envShow, envRemove];
