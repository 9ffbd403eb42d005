// `hatch mcp sync`: a thin layer that turns argv into a SyncBuilder and renders its plan/result.
import type { HostTarget } from "../../store/hostfile.ts";
import { verifyServers } from "../../api/mcptest.ts";
import { env, host, type SyncBuilder, type SyncPlan, sync } from "../../api/sync.ts";
import { splitList } from "../../store/targets.ts";
import { defaultWorkspace } from "../../store/workspace.ts";
import { UsageError } from "../../core/errors.ts";
import { findHost } from "../../hosts/registry.ts";
import {
  type Command,
  type Invocation,
  JSON_OPTION,
  PROJECT_OPTION,
  SHOW_SECRETS_OPTION,
  str,
} from "../command.ts";
import { confirm } from "../confirm.ts";
import type { Output } from "../output.ts";
import { startProgress } from "../progress.ts";
import { renderHostPlan } from "../render.ts";
import { resultLines, SIGNAL_EXIT, totalsLine, withServerCleanup } from "./mcptest.ts";

export const syncCommand: Command = {
  path: ["mcp", "sync"],
  summary: "Copy servers from a host or environment to other hosts (plan, preview, confirm, apply)",
  usage:
    "(--from-host H | --from-env E) (--to-host LIST|GROUP|all | --to-env E) [--servers a,b] [--pattern REGEX] [--dry-run] [--check] [--auto-approve] [--no-backup] [--mirror] [--strict] [--json]",
  options: {
    "from-host": {
      type: "string",
      value: "HOST",
      description: "Source host (built-in id or custom host)",
      complete: "hosts",
    },
    "from-env": { type: "string", value: "ENV", description: "Source environment", complete: "envs" },
    "to-host": {
      type: "string",
      value: "LIST",
      description: "Target hosts: ids, custom hosts, groups, comma-separated, or all",
      complete: "hosts",
    },
    "to-env": {
      type: "string",
      value: "ENV",
      description: "Capture the servers into an environment",
      complete: "envs",
    },
    servers: {
      type: "string",
      value: "a,b",
      description: "Only these servers (each must exist in the source)",
    },
    pattern: {
      type: "string",
      value: "REGEX",
      description: "Only servers whose name matches, from the start (Python re.match; lookahead works)",
    },
    "dry-run": { type: "boolean", description: "Print the plan and write nothing" },
    check: {
      type: "boolean",
      description: "Exit 3 if the targets differ from the source, 0 if in sync; write nothing",
    },
    "auto-approve": {
      type: "boolean",
      short: "y",
      description: "Apply without asking (also HATCH_AUTO_APPROVE=1)",
    },
    "no-backup": { type: "boolean", description: "Do not snapshot the target files before writing" },
    mirror: {
      type: "boolean",
      description: "Also remove target servers the selection covers but the source lacks",
    },
    strict: {
      type: "boolean",
      description: "Fail (exit 2, nothing written) if the conversion would lose anything",
    },
    "verify-servers": {
      type: "boolean",
      description:
        "After writing, start each synced server as its host would and check the MCP handshake (exit 1 if one fails)",
    },
    project: PROJECT_OPTION,
    json: JSON_OPTION,
    "show-secrets": SHOW_SECRETS_OPTION,
  },
  examples: [
    "hatch mcp sync --from-host claude-desktop --to-host cursor,vscode,lmstudio",
    'hatch mcp sync --from-env production --to-host all --pattern "^(?!.*-(beta|alpha|dev)).*" --dry-run',
    "hatch mcp sync --from-host staging-claude --to-host production-hosts --auto-approve",
  ],
  run: runSync,
};

export function autoApproved(inv: Invocation): boolean {
  return inv.values["auto-approve"] === true || /^(1|true|yes)$/i.test(inv.env.HATCH_AUTO_APPROVE ?? "");
}

function builderFrom(inv: Invocation): SyncBuilder {
  const v = inv.values;
  const fromHost = str(v["from-host"]);
  const fromEnv = str(v["from-env"]);
  const toHost = str(v["to-host"]);
  const toEnv = str(v["to-env"]);
  if (!fromHost === !fromEnv) {
    throw new UsageError(
      fromHost
        ? "Give one source: --from-host or --from-env, not both"
        : "Missing source: give --from-host HOST or --from-env ENV",
      "For example: hatch mcp sync --from-host claude-desktop --to-host cursor",
    );
  }
  if (!toHost && !toEnv) {
    throw new UsageError(
      "Missing target: give --to-host LIST (or all) or --to-env ENV",
      "For example: --to-host cursor,vscode",
    );
  }
  let b = sync()
    .withWorkspace(defaultWorkspace(inv.env, inv.system))
    .from(fromHost ? host(fromHost) : env(fromEnv as string))
    .label(`hatch ${process.argv.slice(2).join(" ")}`);
  if (toHost) b = b.to(...splitList(toHost));
  if (toEnv) b = b.to(env(toEnv));
  const servers = str(v.servers);
  if (servers !== undefined) {
    const names = splitList(servers);
    if (names.length === 0)
      throw new UsageError("--servers is empty", "Give server names separated by commas");
    b = b.servers(...names);
  }
  const pattern = str(v.pattern);
  if (pattern !== undefined) b = b.filter(pattern);
  if (v.mirror) b = b.mirror();
  if (v.strict) b = b.strict();
  if (v["no-backup"]) b = b.noBackup();
  if (inv.out.showSecrets) b = b.showSecrets();
  return b;
}

function renderPlan(out: Output, plan: SyncPlan, inv: Invocation): void {
  out.print("Plan:");
  for (const h of plan.hosts) renderHostPlan(out, h, inv.ctx);
  const t = plan.totals;
  out.print(
    `${t.add} to add, ${t.update} to update, ${t.unchanged} unchanged, ${t.remove} to remove` +
      (t.skip ? `, ${t.skip} skipped` : "") +
      (t.losses ? `, ${t.losses} loss(es)` : ""),
  );
}

async function runSync(inv: Invocation): Promise<number> {
  const { out } = inv;
  const b = builderFrom(inv);
  const dryRun = inv.values["dry-run"] === true;
  const check = inv.values.check === true;
  const reading = startProgress("Reading the source and target hosts", { json: out.json, quiet: out.quiet });
  let plan: SyncPlan;
  try {
    plan = await b.plan();
  } finally {
    reading.stop();
  }
  const isHostSource = inv.values["from-host"] !== undefined;

  if (out.json && (dryRun || check)) {
    out.emitJson({ ...(plan.toJSON() as object), dryRun: true, ok: true, outcomes: [] });
    return check && plan.drift ? 3 : 0;
  }
  if (!out.json) {
    out.print(`Synchronizing from ${isHostSource ? "host" : "environment"}: ${plan.source.name}`);
    out.print(`Target hosts: ${plan.hosts.map((h) => h.host).join(", ") || "(none)"}`);
    out.print(`Found servers: ${plan.servers.join(", ") || "(none)"}`);
    out.print();
    renderPlan(out, plan, inv);
    out.print();
  }
  if (dryRun || check) {
    if (!out.json) {
      out.print(
        check
          ? plan.drift
            ? "Drift: the targets differ from the source (exit 3)"
            : "In sync: nothing would change"
          : "[DRY RUN] Nothing was written",
      );
    }
    return check && plan.drift ? 3 : 0;
  }
  if (!plan.drift) {
    if (out.json)
      out.emitJson({
        ...(plan.toJSON() as object),
        dryRun: false,
        ok: true,
        outcomes: [],
      });
    else out.print("Everything is in sync: no file needs to change");
    return 0;
  }
  const confirmed = !autoApproved(inv);
  if (confirmed) {
    const yes = await confirm(out, "Proceed? [y/N]: ");
    if (!yes) {
      if (out.json)
        out.emitJson({
          ...(plan.toJSON() as object),
          dryRun: false,
          ok: false,
          cancelled: true,
        });
      else out.print("Operation cancelled: nothing was written");
      return 1;
    }
  }
  const writing = startProgress(`Writing ${plan.hosts.filter((h) => h.changed).length} host file(s)`, {
    json: out.json,
    quiet: out.quiet,
  });
  let result: Awaited<ReturnType<SyncBuilder["applyPlan"]>>;
  try {
    result = await b.applyPlan(plan, { confirmed });
  } finally {
    writing.stop();
  }
  if (out.json) {
    out.emitJson(result.toJSON());
    return result.ok ? 0 : 1;
  }
  out.print("Preparing synchronization...");
  out.print(`${out.paint("green", "✓")} Reading source configuration`);
  out.print(`${out.paint("green", "✓")} Validating target hosts`);
  if (result.backupId)
    out.print(
      `${out.paint("green", "✓")} Creating backups for all target hosts (snapshot ${result.backupId})`,
    );
  else if (inv.values["no-backup"]) out.print(`${out.paint("yellow", "!")} No backup (--no-backup)`);
  out.print();
  out.print("Synchronizing servers...");
  let total = 0;
  for (const o of result.outcomes) {
    if (o.status === "failed") {
      out.print(`${out.paint("red", "✗")} ${o.host}: ${o.error}`);
      continue;
    }
    total += o.servers;
    const note =
      (o.status === "unchanged" ? " (already in sync)" : "") +
      (o.replanned ? " (its file changed meanwhile: planned again)" : "");
    out.print(
      `${out.paint("green", "✓")} ${o.host}: ${o.servers} server${o.servers === 1 ? "" : "s"} configured${note}`,
    );
    const hp = plan.hosts.find((h) => h.host === o.host && h.path === o.path);
    for (const l of hp?.losses ?? []) {
      out.print(
        `  ${out.paint("yellow", "!")} ${l.server}${l.field ? `: "${l.field}" dropped` : ""}: ${l.reason}`,
      );
    }
  }
  out.print();
  const failed = result.outcomes.filter((o) => o.status === "failed").length;
  if (failed === 0) {
    out.print(`${isHostSource ? "Host-to-host" : "Environment"} synchronization completed successfully!`);
  } else {
    const written = result.outcomes.filter((o) => o.status === "written").length;
    out.print(
      `Synchronization finished with ${failed} failed host${failed === 1 ? "" : "s"}; ${written === 0 ? "no file was written" : `${written} other host file${written === 1 ? " was" : "s were"} written`}`,
    );
  }
  out.print(`${total} total server configurations synchronized`);
  if (inv.values["verify-servers"] && result.ok) return verifyWritten(inv, plan);
  return result.ok ? 0 : 1;
}

/** `--verify-servers`: `hatch mcp test` on the synced servers of every host file just written. */
async function verifyWritten(inv: Invocation, plan: SyncPlan): Promise<number> {
  const { out } = inv;
  const targets: HostTarget[] = [];
  for (const h of plan.hosts) {
    const adapter = findHost(h.adapterId);
    if (adapter) targets.push({ name: h.host, adapter, path: h.path, scope: "user" });
  }
  const names = new Set(plan.servers);
  const synced = plan.hosts.flatMap((h) =>
    h.changes
      .filter((c) => c.action !== "skip" && c.action !== "remove" && names.has(c.name))
      .map((c) => c.name),
  );
  if (targets.length === 0 || synced.length === 0) return 0;
  out.print();
  out.print("Verifying servers...");
  const ws = defaultWorkspace(inv.env, inv.system);
  const { value: report, stoppedBy } = await withServerCleanup((signal) =>
    verifyServers(ws, targets, [...new Set(synced)], { signal }),
  );
  for (const r of report.results) for (const line of resultLines(r, out)) out.print(line);
  out.print(totalsLine(report, out));
  if (stoppedBy) return SIGNAL_EXIT[stoppedBy] ?? 1;
  return report.ok ? 0 : 1;
}
