// `hatch mcp sync`: a thin layer that turns argv into a SyncBuilder and renders its plan/result.
import type { HostTarget } from "../../store/hostfile.ts";
import { ADAPTERS } from "../../api/engine.ts";
import { type TestReport, verifyServers } from "../../api/mcptest.ts";
import { env, host, type SyncBuilder, type SyncPlan, sync } from "../../api/sync.ts";
import { splitList } from "../../store/targets.ts";
import { defaultWorkspace } from "../../store/workspace.ts";
import { UsageError } from "../../core/errors.ts";
import { type Invocation, str } from "../command.ts";
import { mark } from "../../system/trace.ts";
import { approve } from "../flow.ts";
import { currentSource } from "../current.ts";
import type { Output } from "../output.ts";
import { startProgress } from "../progress.ts";
import { renderHostPlan } from "../render.ts";
import { printResult, SIGNAL_EXIT, totalsLine, withServerCleanup } from "./mcptest.ts";

function builderFrom(inv: Invocation): { builder: SyncBuilder; isHostSource: boolean } {
  const v = inv.values;
  const fromHost = str(v["from-host"]);
  let fromEnv = str(v["from-env"]);
  const toHost = str(v["to-host"]);
  const toEnv = str(v["to-env"]);
  if (fromHost && fromEnv) {
    throw new UsageError(
      "Give one source: --from-host or --from-env, not both",
      "For example: hatch mcp sync --from-host claude-desktop --to-host cursor",
    );
  }
  if (!toHost && !toEnv) {
    throw new UsageError(
      "Missing target: give --to-host LIST (or all) or --to-env ENV",
      "For example: --to-host cursor,vscode",
    );
  }
  if (!fromHost && !fromEnv) {
    fromEnv = currentSource(inv, "give --from-host or --from-env");
    if (fromEnv === undefined) {
      throw new UsageError(
        "Missing source: give --from-host HOST or --from-env ENV (no current environment is set)",
        'For example: hatch mcp sync --from-host claude-desktop --to-host cursor, or "hatch env use NAME" first',
      );
    }
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
  return { builder: b, isHostSource: fromHost !== undefined };
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

/** Whether a host plan's target is an environment (a `--to-env` target). */
function isEnvTarget(h: SyncPlan["hosts"][number]): boolean {
  return h.host.startsWith("env:");
}

/** The closing line of a successful sync, true to what the run did. */
function completedLine(plan: SyncPlan, isHostSource: boolean): string {
  const envTargets = plan.hosts.filter(isEnvTarget).map((h) => h.host.replace(/^env:/, ""));
  if (envTargets.length === plan.hosts.length && envTargets.length > 0)
    return `Synchronization into environment${envTargets.length === 1 ? "" : "s"} ${envTargets.map((e) => `"${e}"`).join(", ")} completed successfully!`;
  if (envTargets.length > 0) return "Synchronization completed successfully!";
  return `${isHostSource ? "Host-to-host" : "Environment"} synchronization completed successfully!`;
}

export async function runSync(inv: Invocation): Promise<number> {
  mark("loaded");
  const { out } = inv;
  const { builder: b, isHostSource } = builderFrom(inv);
  const dryRun = inv.values["dry-run"] === true;
  const check = inv.values.check === true;
  const verify = inv.values["verify-servers"] === true;
  const reading = startProgress("Reading the source and target hosts", { json: out.json, quiet: out.quiet });
  let plan: SyncPlan;
  try {
    plan = await b.plan();
  } finally {
    reading.stop();
  }
  for (const w of plan.warnings) out.warn(w);

  // A host that cannot be planned (its machine unreachable) fails --check and --dry-run: exit 1.
  const unplanned = plan.hosts.some((h) => h.problem !== undefined);
  if (out.json && (dryRun || check)) {
    out.emitJson({ ...(plan.toJSON() as object), dryRun: true, ok: !unplanned, outcomes: [] });
    return unplanned ? 1 : check && plan.drift ? 3 : 0;
  }
  if (!out.json) {
    out.print(`Synchronizing from ${isHostSource ? "host" : "environment"}: ${plan.source.name}`);
    out.print(`Target hosts: ${plan.hosts.map((h) => h.host).join(", ") || "(none)"}`);
    out.print(`Found servers: ${plan.servers.join(", ") || "(none)"}`);
    out.print();
    renderPlan(out, plan, inv);
    out.print();
  }
  mark("plan shown");
  if (dryRun || check) {
    out.print(
      unplanned
        ? `Failed: ${plan.hosts.filter((h) => h.problem !== undefined).length} host(s) could not be planned (exit 1)`
        : check
          ? plan.drift
            ? "Drift: the targets differ from the source (exit 3)"
            : "In sync: nothing would change"
          : "[DRY RUN] Nothing was written",
    );
    return unplanned ? 1 : check && plan.drift ? 3 : 0;
  }
  if (!plan.drift) {
    // Nothing to write; --verify-servers still tests the selected servers on every target.
    const verification = verify ? await verifyTargets(inv, plan) : undefined;
    if (out.json)
      out.emitJson({
        ...(plan.toJSON() as object),
        dryRun: false,
        ok: verification ? verification.ok : true,
        outcomes: [],
        ...(verification ? { verification: verification.report } : {}),
      });
    else out.print("Everything is in sync: no file needs to change");
    if (verification) verification.render();
    return verification ? verification.code : 0;
  }
  const approval = await approve(inv, {
    json: () => ({ ...(plan.toJSON() as object), dryRun: false }),
    text: "Operation cancelled: nothing was written (exit 1)",
  });
  if (!approval.go) return approval.code;
  const { confirmed } = approval;
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
  const verification = verify && result.ok ? await verifyTargets(inv, plan) : undefined;
  if (out.json) {
    out.emitJson({
      ...(result.toJSON() as object),
      ...(verification ? { ok: verification.ok, verification: verification.report } : {}),
    });
    return !result.ok ? 1 : verification ? verification.code : 0;
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
  let changed = 0;
  let same = 0;
  for (const o of result.outcomes) {
    if (o.status === "failed") {
      out.printProblem(`${out.paint("red", "✗")} ${o.host}: ${o.error}`);
      continue;
    }
    const hp = plan.hosts.find((h) => h.host === o.host && h.path === o.path);
    let skipped = 0;
    for (const c of hp?.changes ?? []) {
      if (c.action === "add" || c.action === "update" || c.action === "remove") changed++;
      else if (c.action === "unchanged") same++;
      else if (c.action === "skip") skipped++;
    }
    // Unchanged because every server was skipped is not "in sync": the skips follow, with why.
    const unchanged =
      o.status !== "unchanged"
        ? ""
        : o.servers === 0 && skipped > 0
          ? ` (nothing written: ${skipped} skipped)`
          : " (already in sync)";
    const note = unchanged + (o.replanned ? " (its file changed meanwhile: planned again)" : "");
    out.print(
      `${out.paint("green", "✓")} ${o.host}: ${o.servers} server${o.servers === 1 ? "" : "s"} configured${note}`,
    );
    for (const l of hp?.losses ?? []) {
      out.print(
        `  ${out.paint("yellow", "!")} ${l.server}${l.field ? `: "${l.field}" dropped` : ""}: ${l.reason}`,
      );
    }
  }
  out.print();
  const failed = result.outcomes.filter((o) => o.status === "failed").length;
  if (failed === 0) {
    out.print(completedLine(plan, isHostSource));
  } else {
    const written = result.outcomes.filter((o) => o.status === "written").length;
    out.printProblem(
      `Synchronization finished with ${failed} failed host${failed === 1 ? "" : "s"}; ${written === 0 ? "no file was written" : `${written} other host file${written === 1 ? " was" : "s were"} written`}`,
    );
  }
  out.print(
    `${changed} total server configuration${changed === 1 ? "" : "s"} synchronized` +
      (same ? ` (${same} already in sync)` : ""),
  );
  if (verification) verification.render();
  return !result.ok ? 1 : verification ? verification.code : 0;
}

/**
 * `--verify-servers`: `hatch mcp test` of the selected servers on every target host (written or
 * already in sync), so a broken server already in a file fails the run too.
 */
async function verifyTargets(
  inv: Invocation,
  plan: SyncPlan,
): Promise<{ ok: boolean; code: number; report: TestReport; render(): void }> {
  const { out } = inv;
  const targets: HostTarget[] = [];
  for (const h of plan.hosts) {
    const adapter = ADAPTERS.get(h.adapterId);
    if (adapter) targets.push({ name: h.host, adapter, path: h.path, scope: "user" });
  }
  const none: TestReport = { results: [], passed: 0, failed: 0, skipped: 0, hostErrors: [], invalid: [] };
  if (targets.length === 0 || plan.servers.length === 0)
    return { ok: true, code: 0, report: none, render() {} };
  const ws = defaultWorkspace(inv.env, inv.system);
  const { value: report, stoppedBy } = await withServerCleanup((signal) =>
    verifyServers(ws, targets, plan.servers, { signal }),
  );
  const code = stoppedBy ? (SIGNAL_EXIT[stoppedBy] ?? 1) : report.ok ? 0 : 1;
  return {
    ok: report.ok && !stoppedBy,
    code,
    report,
    render() {
      out.print();
      out.print("Verifying servers...");
      for (const r of report.results) printResult(r, out);
      for (const h of report.hostErrors) out.error(h.message);
      out.print(totalsLine(report, out));
    },
  };
}
