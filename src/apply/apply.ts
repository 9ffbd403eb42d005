// The only code that writes host files: lock → check unchanged since the plan → backup → atomic
// write → read back and verify. A host whose plan does not change its bytes is never touched.
// A failed host does not stop the others.
import type { Workspace } from "../store/workspace.ts";
import { ApplyError } from "../core/errors.ts";
import { type HostPlan, isVerified } from "../core/plan.ts";
import type { HostAdapter } from "../core/adapter.ts";
import { createSnapshot, recordWritten, type Snapshot } from "../store/backups.ts";
import { type Lock, type LockOptions, lockAll } from "../store/lock.ts";
import { DryRunSystem } from "../system/dryrun.ts";
import { betweenFiles } from "../system/heap.ts";
import { mark } from "../system/trace.ts";
import { describeErrno } from "../system/system.ts";

export interface HostOutcome {
  host: string;
  path: string;
  status: "written" | "unchanged" | "failed";
  error?: string;
  /** Servers the host holds from this run (added, updated or unchanged). */
  servers: number;
  /** The file changed between plan and write, and was planned again under the lock. */
  replanned?: boolean;
}

export interface ApplyOptions {
  backup: boolean;
  reason: string;
  command?: string;
  adapters: ReadonlyMap<string, HostAdapter>;
  lock?: LockOptions;
  /**
   * Plans a host again against its file as it is now (called under the lock when the file no
   * longer holds the text the plan was made from: another hatch or the host app wrote it).
   * Without it such a host fails, as nothing may be written over a change not planned for.
   */
  replan?: (plan: HostPlan) => HostPlan;
  /**
   * The plans were confirmed by a person: a re-plan that changes what they saw stops that host
   * (PRODUCT.md, Concurrency). Runs approved in advance apply the re-plan.
   */
  confirmed?: boolean;
  /** Whether a plan writes secret values (env values, headers): a file it creates is then owner-only. */
  secret?: (plan: HostPlan) => boolean;
}

/** The servers whose change differs between two plans of the same host (what a person confirmed vs now). */
export function changedUnder(before: HostPlan, after: HostPlan): string[] {
  const key = (p: HostPlan) =>
    new Map(p.changes.map((c) => [c.name, JSON.stringify([c.action, c.fields ?? null, c.reason ?? null])]));
  const a = key(before);
  const b = key(after);
  const names = new Set([...a.keys(), ...b.keys()]);
  return [...names].filter((n) => a.get(n) !== b.get(n));
}

export interface ApplyResult {
  outcomes: HostOutcome[];
  snapshot?: Snapshot;
}

/**
 * The locks of the files a run writes. A dry run writes nothing another run could see, so it
 * takes none (and leaves no lock file behind).
 */
export function takeLocks(ws: Workspace, paths: readonly string[], opts?: LockOptions): Lock {
  if (ws.system instanceof DryRunSystem) return { release() {} };
  return lockAll(ws.hatchHome, paths, opts);
}

/** A workspace whose writes are only recorded (api/ runs dry runs through the same code). */
export function dryRunWorkspace(ws: Workspace): Workspace {
  return ws.system instanceof DryRunSystem ? ws : { ...ws, system: new DryRunSystem(ws.system) };
}

/** Characters of new text from which a written file is followed by a collection (see applyPlans). */
const BIG_FILE = 1 << 20;

function configured(p: HostPlan): number {
  return p.changes.filter((c) => c.action === "add" || c.action === "update" || c.action === "unchanged")
    .length;
}

/**
 * Applies host plans.
 * @throws ApplyError when the backup cannot be made (nothing is written then)
 */
export function applyPlans(ws: Workspace, plans: readonly HostPlan[], opts: ApplyOptions): ApplyResult {
  const outcomes: HostOutcome[] = [];
  const toWrite = plans.filter((p) => p.changed);
  for (const p of plans) {
    if (!p.changed)
      outcomes.push({ host: p.host, path: p.path, status: "unchanged", servers: configured(p) });
  }
  if (toWrite.length === 0) return { outcomes };

  const lock = takeLocks(
    ws,
    toWrite.map((p) => p.path),
    opts.lock,
  );
  let snapshot: Snapshot | undefined;
  mark("locked");
  try {
    // A file changed since it was read (by the host app, or another hatch) is planned again
    // under the lock, against what it holds now; nothing is written over a change not planned for.
    const ready: HostPlan[] = [];
    const replanned = new Set<HostPlan>();
    const fail = (p: HostPlan, error: string) =>
      outcomes.push({ host: p.host, path: p.path, status: "failed", error, servers: 0 });
    for (const planned of toWrite) {
      let p = planned;
      let now: string | undefined;
      try {
        now = ws.system.readText(p.path);
      } catch (e) {
        fail(p, (e as Error).message);
        continue;
      }
      if ((now ?? "") !== p.oldText || (now === undefined) === p.exists) {
        if (!opts.replan) {
          fail(
            p,
            "the file changed after it was read (another program wrote it); nothing was written, run again",
          );
          continue;
        }
        try {
          p = opts.replan(planned);
        } catch (e) {
          fail(
            planned,
            `the file changed after it was read and cannot be planned again: ${(e as Error).message}`,
          );
          continue;
        }
        if (opts.confirmed) {
          const moved = changedUnder(planned, p);
          if (moved.length > 0) {
            fail(
              planned,
              `the file changed after the plan was confirmed (another program wrote it): ${moved.map((n) => `"${n}"`).join(", ")} would change differently; nothing was written, run again`,
            );
            continue;
          }
        }
        replanned.add(p);
        if (!p.changed) {
          outcomes.push({
            host: p.host,
            path: p.path,
            status: "unchanged",
            servers: configured(p),
            replanned: true,
          });
          continue;
        }
      }
      ready.push(p);
    }
    mark("re-read under the locks");
    if (opts.backup && ready.length > 0) {
      snapshot = createSnapshot(ws, {
        reason: opts.reason,
        ...(opts.command ? { command: opts.command } : {}),
        // Each file as read under its lock just above (the plan's text, or the re-plan's).
        files: ready.map((p) => ({ host: p.host, path: p.path, content: p.exists ? p.oldText : null })),
      });
    }
    if (snapshot) mark("backed up");
    for (const p of ready) {
      const adapter = opts.adapters.get(p.adapterId);
      try {
        if (!adapter) throw new ApplyError(`Internal error: no adapter "${p.adapterId}"`);
        // The planner verified the text (core/plan.ts); a plan edited since is not written.
        const problem =
          p.problem ??
          (isVerified(p) ? undefined : "the plan's text was changed after it was verified; plan again");
        if (problem) throw new ApplyError(`Verification failed, nothing was written: ${problem}`);
        ws.system.writeAtomic(p.path, p.newText, {
          verify: true,
          ...(opts.secret?.(p) ? { secret: true } : {}),
        });
        outcomes.push({
          host: p.host,
          path: p.path,
          status: "written",
          servers: configured(p),
          ...(replanned.has(p) ? { replanned: true } : {}),
        });
        // A write leaves little garbage (its buffers are reused: system.ts); after a small file a
        // collection costs more than it frees (1,000 servers into 10 files: 17 → 10 young
        // collections, ~28–33 → ~19–23 ms, the same page faults), after a big one it keeps the
        // heap down (10,000 servers into 20 files: fewer page faults).
        if (p.newText.length >= BIG_FILE) betweenFiles(p.newText.length);
      } catch (e) {
        const msg = e instanceof ApplyError ? e.message : describeErrno(e);
        outcomes.push({ host: p.host, path: p.path, status: "failed", error: msg, servers: 0 });
      }
    }
    // The snapshot also records what each write left (PRODUCT.md, Backups), still under the
    // locks: `backup restore --host H` brings back this state after a hand edit breaks the file.
    mark("written");
    if (snapshot) {
      const done = new Set(outcomes.filter((o) => o.status === "written").map((o) => o.path));
      const written = ready
        .filter((p) => done.has(p.path))
        .map((p) => ({ path: p.path, content: p.newText }));
      if (written.length > 0) {
        try {
          snapshot = recordWritten(ws, snapshot, written);
          mark("recorded");
        } catch {
          // The files are written and their found state is backed up; without this record a
          // restore brings back the found state, as before the record existed.
        }
      }
    }
  } finally {
    lock.release();
  }
  // Keep the caller's host order.
  const order = new Map(plans.map((p, i) => [p.host + "\0" + p.path, i]));
  outcomes.sort(
    (a, b) => (order.get(a.host + "\0" + a.path) ?? 0) - (order.get(b.host + "\0" + b.path) ?? 0),
  );
  return { outcomes, ...(snapshot ? { snapshot } : {}) };
}
