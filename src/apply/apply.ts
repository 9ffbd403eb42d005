// The only code that writes host files: lock → check unchanged since the plan → backup → atomic
// write → read back and verify. A host whose plan does not change its bytes is never touched.
// A failed host does not stop the others.
import type { Workspace } from "../store/workspace.ts";
import { ApplyError } from "../core/errors.ts";
import { type HostPlan, isVerified } from "../core/plan.ts";
import type { HostAdapter } from "../hosts/_adapter.ts";
import { createSnapshot, type Snapshot } from "../store/backups.ts";
import { type LockOptions, lockAll } from "../store/lock.ts";
import { betweenFiles } from "../system/heap.ts";
import { describeErrno } from "../system/system.ts";

export interface HostOutcome {
  host: string;
  path: string;
  status: "written" | "unchanged" | "failed";
  error?: string;
  /** Servers the host holds from this run (added, updated or unchanged). */
  servers: number;
}

export interface ApplyOptions {
  backup: boolean;
  reason: string;
  command?: string;
  adapters: ReadonlyMap<string, HostAdapter>;
  lock?: LockOptions;
}

export interface ApplyResult {
  outcomes: HostOutcome[];
  snapshot?: Snapshot;
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

  const lock = lockAll(
    ws.hatchHome,
    toWrite.map((p) => p.path),
    opts.lock,
  );
  let snapshot: Snapshot | undefined;
  try {
    // A file changed since it was read (by the host app, or another tool) is not overwritten.
    const ready: HostPlan[] = [];
    for (const p of toWrite) {
      let now: string | undefined;
      try {
        now = ws.system.readText(p.path);
      } catch (e) {
        outcomes.push({
          host: p.host,
          path: p.path,
          status: "failed",
          error: (e as Error).message,
          servers: 0,
        });
        continue;
      }
      if ((now ?? "") !== p.oldText || (now === undefined) === p.exists) {
        outcomes.push({
          host: p.host,
          path: p.path,
          status: "failed",
          error:
            "the file changed after it was read (another program wrote it); nothing was written, run the sync again",
          servers: 0,
        });
        continue;
      }
      ready.push(p);
    }
    if (opts.backup && ready.length > 0) {
      snapshot = createSnapshot(ws, {
        reason: opts.reason,
        ...(opts.command ? { command: opts.command } : {}),
        files: ready.map((p) => ({ host: p.host, path: p.path })),
      });
    }
    for (const p of ready) {
      const adapter = opts.adapters.get(p.adapterId);
      try {
        if (!adapter) throw new ApplyError(`Internal error: no adapter "${p.adapterId}"`);
        // The planner verified the text (core/plan.ts); a plan edited since is not written.
        const problem =
          p.problem ??
          (isVerified(p) ? undefined : "the plan's text was changed after it was verified; plan again");
        if (problem) throw new ApplyError(`Verification failed, nothing was written: ${problem}`);
        ws.system.writeAtomic(p.path, p.newText, { verify: true });
        outcomes.push({ host: p.host, path: p.path, status: "written", servers: configured(p) });
        // A write leaves little garbage (its buffers are reused: system.ts); after a small file a
        // collection costs more than it frees (1,000 servers into 10 files: 17 → 10 young
        // collections, ~28–33 → ~19–23 ms, the same page faults), after a big one it keeps the
        // heap down (10,000 servers into 20 files: fewer page faults).
        if (p.newText.length >= BIG_FILE) betweenFiles();
      } catch (e) {
        const msg = e instanceof ApplyError ? e.message : describeErrno(e);
        outcomes.push({ host: p.host, path: p.path, status: "failed", error: msg, servers: 0 });
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
