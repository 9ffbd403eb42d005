// Restoring host files from a backup snapshot. Like apply.ts, and with the same steps: lock the
// files (one fixed order), refuse a file changed since the plan, take a safety snapshot, write
// atomically with the recorded mode (or remove a file that did not exist then), read back.
import type { Workspace } from "../store/workspace.ts";
import { ApplyError } from "../core/errors.ts";
import { createSnapshot, PRE_RESTORE, type RestoreItem, type Snapshot } from "../store/backups.ts";
import type { LockOptions } from "../store/lock.ts";
import { takeLocks } from "./apply.ts";
import { describeErrno } from "../system/system.ts";

export interface RestoreOutcome {
  host: string;
  path: string;
  snapshot: string;
  status: "restored" | "removed" | "unchanged" | "failed";
  error?: string;
}

/**
 * Applies a restore plan: lock the files, check they did not change since the plan, take a
 * safety snapshot (reason "pre-restore") unless `backup` is false, then write each file
 * atomically with its recorded mode (or remove it), read it back and verify.
 * @throws ApplyError when the safety snapshot cannot be made (nothing is written then)
 */
export function applyRestore(
  ws: Workspace,
  items: readonly RestoreItem[],
  opts: { backup: boolean; command?: string; lock?: LockOptions; confirmed?: boolean },
): { outcomes: RestoreOutcome[]; safety?: Snapshot } {
  const outcomes: RestoreOutcome[] = [];
  const todo = items.filter((i) => i.action !== "unchanged");
  const base = (i: RestoreItem) => ({ host: i.host, path: i.path, snapshot: i.snapshot });
  for (const i of items) if (i.action === "unchanged") outcomes.push({ ...base(i), status: "unchanged" });
  if (todo.length === 0) return { outcomes };
  const lock = takeLocks(
    ws,
    todo.map((i) => i.path),
    opts.lock,
  );
  let safety: Snapshot | undefined;
  try {
    const ready: RestoreItem[] = [];
    for (const i of todo) {
      // Compared as bytes when the plan holds them (a file that is not valid UTF-8 is restored
      // byte for byte), as text otherwise.
      const asBytes = i.current.bytes !== undefined || i.target.bytes !== undefined;
      let now: string | undefined;
      let nowBytes: Uint8Array | undefined;
      try {
        if (asBytes) {
          nowBytes = ws.system.readBytes(i.path);
          now = nowBytes === undefined ? undefined : Buffer.from(nowBytes).toString("latin1");
        } else now = ws.system.readText(i.path);
      } catch (e) {
        outcomes.push({ ...base(i), status: "failed", error: describeErrno(e) });
        continue;
      }
      const planned = asBytes
        ? i.current.bytes === undefined
          ? undefined
          : Buffer.from(i.current.bytes).toString("latin1")
        : i.current.text;
      const wanted = asBytes
        ? i.target.bytes === undefined
          ? undefined
          : Buffer.from(i.target.bytes).toString("latin1")
        : i.target.text;
      if ((now === undefined) === i.current.exists || (now ?? "") !== (planned ?? "")) {
        // Changed since the plan (the host app, another hatch): a run approved in advance restores
        // over it (the safety snapshot keeps what it found); one a person confirmed stops.
        if (opts.confirmed) {
          outcomes.push({
            ...base(i),
            status: "failed",
            error:
              "the file changed after the restore was confirmed (another program wrote it); nothing was written, run the restore again",
          });
          continue;
        }
        const same = i.action === "remove" ? now === undefined : now === (wanted ?? "");
        if (same) {
          outcomes.push({ ...base(i), status: "unchanged" });
          continue;
        }
      }
      ready.push(i);
    }
    if (opts.backup && ready.length > 0) {
      safety = createSnapshot(ws, {
        reason: PRE_RESTORE,
        ...(opts.command ? { command: opts.command } : {}),
        files: ready.map((i) => ({ host: i.host, path: i.path })),
      });
    }
    for (const i of ready) {
      try {
        if (i.action === "remove") {
          ws.system.remove(i.path);
          if (ws.system.readText(i.path) !== undefined)
            throw new ApplyError("Verification failed: the file is still there");
          outcomes.push({ ...base(i), status: "removed" });
        } else {
          const data = i.target.bytes ?? i.target.text ?? "";
          // Read back and compared byte for byte with the snapshot's copy, as a sync's writes are.
          ws.system.writeAtomic(i.path, data, {
            ...(i.target.mode !== undefined ? { mode: i.target.mode } : {}),
            verify: true,
          });
          outcomes.push({ ...base(i), status: "restored" });
        }
      } catch (e) {
        outcomes.push({
          ...base(i),
          status: "failed",
          error: e instanceof ApplyError ? e.message : describeErrno(e),
        });
      }
    }
  } finally {
    lock.release();
  }
  const order = new Map(items.map((i, n) => [i.path, n]));
  outcomes.sort((a, b) => (order.get(a.path) ?? 0) - (order.get(b.path) ?? 0));
  return { outcomes, ...(safety ? { safety } : {}) };
}
