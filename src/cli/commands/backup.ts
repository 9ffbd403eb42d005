// `hatch mcp backup create|list|show|diff|restore|clean|verify`: thin faces over src/store/backups.ts.
// Fit for cron: create and clean never prompt, --quiet prints nothing on success, and the exit
// code says what happened (0 done, 1 failed or the store is damaged, 2 bad input such as an
// unknown snapshot id or host).
import { backup } from "../../api/backup.ts";
import { defaultWorkspace, type Workspace } from "../../store/workspace.ts";
import { UsageError } from "../../core/errors.ts";
import { tildify } from "../../hosts/_paths.ts";
import { type RestoreItem, type Snapshot, type SnapshotFile, snapshotHosts } from "../../store/backups.ts";
import { type Invocation, str } from "../command.ts";
import { approve } from "../flow.ts";
import { table } from "../output.ts";
import { startProgress } from "../progress.ts";

/** The diff library, loaded when a restore is described (not on every start-up: ~1 ms). */
function diffLib(): typeof import("diff") {
  return require("diff") as typeof import("diff");
}

function workspace(inv: Invocation): Workspace {
  return defaultWorkspace(inv.env, inv.system);
}

function commandLine(): string {
  return `hatch ${process.argv.slice(2).join(" ")}`;
}

/** Success output: silent with --quiet, absent with --json. */
function say(inv: Invocation, line = ""): void {
  if (!inv.out.quiet) inv.out.print(line);
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/** Local time as "YYYY-MM-DD HH:MM:SS". */
function localTime(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

function age(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86_400)}d ago`;
}

function octal(mode: number | undefined): string | null {
  return mode === undefined ? null : `0${(mode & 0o7777).toString(8).padStart(3, "0")}`;
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function fileJson(f: SnapshotFile) {
  return {
    host: f.host,
    path: f.path,
    existed: f.existed,
    sha256: f.sha256 ?? null,
    mode: octal(f.mode),
    size: f.size ?? null,
  };
}

function snapshotJson(s: Snapshot) {
  return {
    id: s.id,
    time: s.time,
    name: s.name ?? null,
    reason: s.reason,
    command: s.command ?? null,
    hosts: snapshotHosts(s),
    files: s.files.map(fileJson),
  };
}

/**
 * `--host` values → one matcher per host file. Names that no longer resolve (a custom host
 * removed since) still match the host name recorded in the snapshots; a name neither resolves
 * nor appears in any snapshot is an error (exit 2).
 */
function warnProblems(inv: Invocation, problems: readonly { message: string }[]): void {
  for (const p of problems) inv.out.error(p.message);
}

// ---------------------------------------------------------------------------------------------
// create

export async function runBackupCreate(inv: Invocation): Promise<number> {
  const spec = str(inv.values.host);
  if (!spec)
    throw new UsageError(
      "Missing --host: name the hosts to snapshot, or all",
      "For example: hatch mcp backup create --host all",
    );
  const name = str(inv.values.name);
  const spinner = startProgress("Backing up host files", { json: inv.out.json, quiet: inv.out.quiet });
  let snapshot: Awaited<ReturnType<typeof backup.create>>;
  try {
    snapshot = await backup.create({
      hosts: spec,
      ...(name !== undefined ? { name } : {}),
      label: commandLine(),
      workspace: workspace(inv),
    });
  } finally {
    spinner.stop();
  }
  const { newObjects, unreachable } = snapshot;
  for (const u of unreachable) inv.out.error(`${u.host}: not backed up: ${u.error}`);
  const code = unreachable.length > 0 ? 1 : 0;
  if (inv.out.json) {
    inv.out.emitJson({ ...snapshotJson(snapshot), newObjects, unreachable, ok: code === 0 });
    return code;
  }
  const present = snapshot.files.filter((f) => f.existed).length;
  say(
    inv,
    `${inv.out.paint("green", "✓")} Created snapshot ${snapshot.id}${name ? ` "${name}"` : ""}: ${present} file${present === 1 ? "" : "s"}, ${newObjects} new in the store`,
  );
  for (const f of snapshot.files) {
    say(
      inv,
      `  ${f.host} (${tildify(inv.ctx, f.path)})${f.existed ? "" : ": no file yet (a restore removes the file)"}`,
    );
  }
  return code;
}

// ---------------------------------------------------------------------------------------------
// list

export async function runBackupList(inv: Invocation): Promise<number> {
  const spec = str(inv.values.host);
  const shown = await backup.list({
    ...(spec !== undefined ? { hosts: spec } : {}),
    workspace: workspace(inv),
  });
  const { problems } = shown;
  const hostsOf = (s: (typeof shown)[number]) => s.matchedHosts;
  if (inv.out.json) {
    inv.out.emitJson({
      snapshots: shown.map((s) => ({ ...snapshotJson(s), hosts: hostsOf(s) })),
      problems: problems.map((p) => ({ id: p.id, path: p.path, message: p.message })),
    });
  } else if (shown.length === 0) {
    inv.out.print(`No backups found${spec ? ` for host "${spec}"` : ""}`);
  } else {
    const now = Date.now();
    const rows = shown.map((s) => [
      s.id,
      `${localTime(s.time)} (${age(s.time, now)})`,
      s.name ?? "-",
      s.reason,
      hostsOf(s).join(", "),
    ]);
    for (const l of table(["ID", "TIME", "NAME", "REASON", "HOSTS"], rows)) inv.out.print(l);
    inv.out.print();
    inv.out.print(`${shown.length} snapshot${shown.length === 1 ? "" : "s"}`);
  }
  warnProblems(inv, problems);
  return problems.length > 0 ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// show

export async function runBackupShow(inv: Invocation): Promise<number> {
  const snap = await backup.show(inv.positionals[0] as string, { workspace: workspace(inv) });
  const damaged = new Map(snap.damaged.map((d) => [d.path, d.message]));
  if (inv.out.json) {
    const doc = snapshotJson(snap);
    inv.out.emitJson({
      ...doc,
      files: doc.files.map((f) => ({ ...f, intact: !damaged.has(f.path) })),
      ok: damaged.size === 0,
    });
  } else {
    const { out } = inv;
    out.print(`Snapshot ${snap.id}`);
    out.print(`  Time:     ${localTime(snap.time)} (${snap.time}, ${age(snap.time)})`);
    if (snap.name) out.print(`  Name:     ${snap.name}`);
    out.print(`  Reason:   ${snap.reason}`);
    if (snap.command) out.print(`  Command:  ${snap.command}`);
    out.print();
    const rows = snap.files.map((f) => [
      f.host,
      tildify(inv.ctx, f.path),
      f.existed ? (damaged.has(f.path) ? out.paint("red", "DAMAGED") : "ok") : "absent",
      octal(f.mode) ?? "-",
      f.size !== undefined ? bytes(f.size) : "-",
      f.sha256?.slice(0, 12) ?? "-",
    ]);
    for (const l of table(["HOST", "PATH", "STATE", "MODE", "SIZE", "SHA256"], rows)) out.print(l);
    if (snap.files.some((f) => !f.existed)) {
      out.print();
      out.print('"absent": the file did not exist then; restoring this snapshot removes it');
    }
  }
  for (const m of damaged.values()) inv.out.error(m);
  return damaged.size > 0 ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// diff

export async function runBackupDiff(inv: Invocation): Promise<number> {
  const spec = str(inv.values.host);
  const { out } = inv;
  const d0 = await backup.diff(inv.positionals[0] as string, {
    ...(spec !== undefined ? { hosts: spec } : {}),
    showSecrets: out.showSecrets,
    workspace: workspace(inv),
  });
  const docs = d0.files;
  if (out.json) {
    out.emitJson(d0);
    return 0;
  }
  for (const d of docs) {
    const where = `${d.host} (${tildify(inv.ctx, d.path)})`;
    if (d.action === "unchanged") {
      out.print(`${out.paint("dim", "=")} ${where}: no change`);
      continue;
    }
    out.print(
      out.paint(
        "bold",
        `${d.action === "remove" ? "-" : "~"} ${where}: ${d.action === "remove" ? "would be removed (it did not exist at snapshot time)" : "would be restored"}`,
      ),
    );
    if (d.modeBefore && d.modeAfter && d.modeBefore !== d.modeAfter)
      out.print(`  mode ${d.modeBefore} → ${d.modeAfter}`);
    if (d.patch) out.print(d.patch.trimEnd());
  }
  const n = d0.changes;
  out.print();
  out.print(
    n === 0
      ? `Nothing would change: the files match snapshot ${d0.snapshot}`
      : `${n} file${n === 1 ? "" : "s"} would change`,
  );
  return 0;
}

// ---------------------------------------------------------------------------------------------
// restore

function describeItem(i: RestoreItem): string {
  switch (i.action) {
    case "remove":
      return "remove (the file did not exist at snapshot time)";
    case "unchanged":
      return "unchanged";
    case "write": {
      if (!i.current.exists) return "recreate (the file is missing now)";
      if (i.current.text === i.target.text) return `mode ${octal(i.current.mode)} → ${octal(i.target.mode)}`;
      let added = 0;
      let removed = 0;
      for (const c of diffLib().diffLines(i.current.text, i.target.text ?? "")) {
        if (c.added) added += c.count ?? 0;
        if (c.removed) removed += c.count ?? 0;
      }
      return `restore (+${added} -${removed} lines)`;
    }
  }
}

export async function runBackupRestore(inv: Invocation): Promise<number> {
  const { out } = inv;
  const id = str(inv.values.id);
  const name = str(inv.values.name);
  const beforeText = str(inv.values.before);
  const spec = str(inv.values.host);
  if (id !== undefined && (name !== undefined || beforeText !== undefined)) {
    throw new UsageError(
      "Give --id, or --name/--before, not both",
      "--id names one snapshot; --name and --before choose one per host",
    );
  }
  if (id === undefined && spec === undefined) {
    throw new UsageError(
      "Missing --host: name the hosts to restore, or all, or give --id",
      "For example: hatch mcp backup restore --host cursor",
    );
  }
  const opts = {
    ...(id !== undefined ? { id } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(beforeText !== undefined ? { before: beforeText } : {}),
    ...(spec !== undefined ? { hosts: spec } : {}),
    noBackup: inv.values["no-backup"] === true,
    label: commandLine(),
    workspace: workspace(inv),
  };
  const plan = await backup.planRestore(opts);
  const { items, missing } = plan;
  // A damaged manifest might have been the newest for a host: say so rather than guess silently.
  for (const p of plan.problems) out.warn(p.message);
  const changes = items.filter((i) => i.action !== "unchanged");
  const dryRun = inv.values["dry-run"] === true;
  const itemJson = (i: RestoreItem) => ({
    host: i.host,
    path: i.path,
    snapshot: i.snapshot,
    written: i.written === true,
    action: i.action,
  });

  if (!out.json) {
    say(inv, "Restore plan:");
    for (const i of items) {
      const mark =
        i.action === "remove"
          ? out.paint("red", "-")
          : i.action === "write"
            ? out.paint("yellow", "~")
            : out.paint("dim", "=");
      say(
        inv,
        `  ${mark} ${i.host} (${tildify(inv.ctx, i.path)}) from ${i.snapshot}${i.written ? " (as hatch wrote it)" : ""}: ${describeItem(i)}`,
      );
    }
    for (const m of missing) say(inv, `  ${out.paint("yellow", "!")} ${m}: no snapshot holds it; skipped`);
    const w = changes.filter((i) => i.action === "write").length;
    say(inv, `${w} to restore, ${changes.length - w} to remove, ${items.length - changes.length} unchanged`);
    say(inv);
  }
  if (dryRun || changes.length === 0) {
    if (out.json)
      out.emitJson({ dryRun, ok: true, safetySnapshot: null, files: items.map(itemJson), missing });
    else if (dryRun) say(inv, "[DRY RUN] Nothing was written");
    else say(inv, "Nothing to restore: every file already matches the snapshot");
    return 0;
  }
  const approval = await approve(inv, {
    json: () => ({ dryRun: false, files: items.map(itemJson), missing }),
    text: "Restore cancelled: nothing was written",
  });
  if (!approval.go) return approval.code;
  const { confirmed } = approval;
  const res = await backup.applyRestore(plan, { ...opts, confirmed });
  const failed = res.outcomes.filter((o) => o.status === "failed");
  if (out.json) {
    out.emitJson(res.toJSON());
    return failed.length === 0 ? 0 : 1;
  }
  if (res.safetyId) say(inv, `${out.paint("green", "✓")} Safety snapshot ${res.safetyId} (pre-restore)`);
  else if (opts.noBackup) say(inv, `${out.paint("yellow", "!")} No safety snapshot (--no-backup)`);
  for (const o of res.outcomes) {
    const where = `${o.host} (${tildify(inv.ctx, o.path)})`;
    if (o.status === "failed") out.printProblem(`${out.paint("red", "✗")} ${where}: ${o.error}`);
    else if (o.status === "restored")
      say(inv, `${out.paint("green", "✓")} ${where}: restored from ${o.snapshot}`);
    else if (o.status === "removed")
      say(inv, `${out.paint("green", "✓")} ${where}: removed (it did not exist in ${o.snapshot})`);
  }
  say(inv);
  if (failed.length > 0) {
    out.printProblem(
      `Restore finished with ${failed.length} failed file${failed.length === 1 ? "" : "s"}; the others were restored`,
    );
    if (res.safetyId) out.print(`To undo: hatch mcp backup restore --id ${res.safetyId}`);
    return 1;
  }
  say(inv, "Restore completed successfully!");
  if (res.safetyId) say(inv, `To undo: hatch mcp backup restore --id ${res.safetyId}`);
  return 0;
}

// ---------------------------------------------------------------------------------------------
// clean

export async function runBackupClean(inv: Invocation): Promise<number> {
  const { out } = inv;
  const keepText = str(inv.values.keep);
  let keep: number | undefined;
  if (keepText !== undefined) {
    if (!/^\d+$/.test(keepText.trim())) {
      throw new UsageError(
        `Invalid --keep "${keepText}": expected a whole number, 0 or more`,
        "For example: --keep 24",
      );
    }
    keep = Number(keepText);
  }
  const olderText = str(inv.values["older-than"]);
  const spec = str(inv.values.host);
  const dryRun = inv.values["dry-run"] === true;
  const r = await backup.clean({
    ...(keep !== undefined ? { keep } : {}),
    ...(olderText !== undefined ? { olderThan: olderText } : {}),
    ...(spec !== undefined ? { hosts: spec } : {}),
    dryRun,
    workspace: workspace(inv),
  });
  const removed = r.plan.remove.length;
  const pruned = r.plan.prune.length;
  if (out.json) {
    out.emitJson({
      dryRun,
      ok: r.problems.length === 0,
      removed: r.plan.remove.map((s) => s.id),
      pruned: r.plan.prune.map((p) => ({
        id: p.snapshot.id,
        hosts: [...new Set(p.drop.map((f) => f.host))],
      })),
      objects: r.objects.length,
      bytes: r.bytes,
      problems: r.problems.map((p) => ({ id: p.id, path: p.path, message: p.message })),
    });
  } else {
    const verb = dryRun ? "Would remove" : "Removed";
    for (const s of r.plan.remove)
      say(
        inv,
        `  ${dryRun ? "would remove" : "removed"} ${s.id} (${snapshotHosts(s).join(", ")}, ${localTime(s.time)})`,
      );
    for (const p of r.plan.prune) {
      say(
        inv,
        `  ${dryRun ? "would drop" : "dropped"} ${[...new Set(p.drop.map((f) => f.host))].join(", ")} from ${p.snapshot.id}`,
      );
    }
    say(
      inv,
      removed + pruned + r.objects.length === 0
        ? "Nothing to clean: every snapshot is kept by the policy"
        : `${verb} ${removed} snapshot${removed === 1 ? "" : "s"}${pruned ? ` and ${pruned === 1 ? "a host" : "hosts"} from ${pruned} other${pruned === 1 ? "" : "s"}` : ""}, ${r.objects.length} unreferenced object${r.objects.length === 1 ? "" : "s"} (${bytes(r.bytes)})`,
    );
    if (dryRun) say(inv, "[DRY RUN] Nothing was removed");
  }
  if (r.problems.length > 0) {
    warnProblems(inv, r.problems);
    out.error(
      "Unreferenced content was not removed because some manifests cannot be read: fix or delete them, then clean again",
    );
    return 1;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// verify

export async function runBackupVerify(inv: Invocation): Promise<number> {
  const v = await backup.verify(inv.positionals[0], { workspace: workspace(inv) });
  const damaged = v.problems;
  const files = v.files;
  if (inv.out.json) {
    inv.out.emitJson({ ok: v.ok, snapshots: v.snapshots, files, damaged });
  } else if (damaged.length === 0) {
    say(
      inv,
      `${inv.out.paint("green", "✓")} ${v.snapshots} snapshot${v.snapshots === 1 ? "" : "s"} verified (${files} file${files === 1 ? "" : "s"})`,
    );
  }
  for (const d of damaged) inv.out.error(d.message);
  return damaged.length === 0 ? 0 : 1;
}
