// The write transaction for one file hatch keeps itself (config.yaml, an environment file, the
// `current` pointer): lock → re-read → re-plan if it changed since the plan → backup → atomic
// write → read back. Host files go through applyPlans (apply.ts), which takes the same steps for
// many files at once.
import { ApplyError } from "../core/errors.ts";
import { createSnapshot } from "../store/backups.ts";
import { takeLocks } from "./apply.ts";
import type { Workspace } from "../store/workspace.ts";
import { dirname } from "node:path";

export interface FileChange {
  path: string;
  /** The text the change was planned against (undefined: the file did not exist). */
  expected: string | undefined;
  /** The new text, or null to remove the file. */
  next: string | null;
  /**
   * Plans the change again against the file as it is now (called under the lock when it no
   * longer holds `expected`). Without it such a file is not written.
   */
  replan?: (now: string | undefined) => string | null;
  /** Snapshot the file before writing it (`host` is how the backup list names it). */
  backup?: { host: string; reason: string; command?: string };
  /** Mode of a file created here (default: owner only, as everything under HATCH_HOME). */
  mode?: number;
}

export interface FileOutcome {
  status: "written" | "removed" | "unchanged";
  backupId?: string;
  replanned?: boolean;
}

/**
 * Applies one change to one file.
 * @throws ApplyError when the file changed and cannot be re-planned, or the write fails (nothing
 *   half-written: the old file stays)
 */
export function changeFile(ws: Workspace, c: FileChange): FileOutcome {
  const lock = takeLocks(ws, [c.path]);
  try {
    const now = ws.system.readText(c.path);
    let next = c.next;
    let replanned = false;
    if (now !== c.expected) {
      if (!c.replan) {
        throw new ApplyError(
          `Cannot write "${c.path}": it changed after it was read (another program wrote it); nothing was written, run again`,
          undefined,
          c.path,
        );
      }
      next = c.replan(now);
      replanned = true;
    }
    if (next === (now ?? null) || (next === null && now === undefined)) {
      return { status: "unchanged", ...(replanned ? { replanned } : {}) };
    }
    const backupId = c.backup
      ? createSnapshot(ws, {
          reason: c.backup.reason,
          ...(c.backup.command ? { command: c.backup.command } : {}),
          files: [{ host: c.backup.host, path: c.path }],
        }).id
      : undefined;
    const extra = { ...(backupId ? { backupId } : {}), ...(replanned ? { replanned } : {}) };
    if (next === null) {
      ws.system.remove(c.path);
      if (ws.system.readText(c.path) !== undefined)
        throw new ApplyError(`Cannot remove "${c.path}": it is still there`, undefined, c.path);
      return { status: "removed", ...extra };
    }
    ws.system.mkdirp(dirname(c.path), 0o700);
    ws.system.writeAtomic(c.path, next, {
      verify: true,
      ...(now === undefined ? { mode: c.mode ?? 0o600 } : {}),
    });
    return { status: "written", ...extra };
  } finally {
    lock.release();
  }
}
