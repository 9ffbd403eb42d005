// Per-file locks under HATCH_HOME/locks: taken in one fixed order (sorted paths), so syncs of
// different files run in parallel, two syncs of the same file wait for each other, and no two
// runs can deadlock. A lock whose owner process is gone is recovered.
import { createHash } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";
import { ApplyError } from "../core/errors.ts";

export interface LockOptions {
  /** How long to wait for a lock held by another live process (ms). */
  timeoutMs?: number;
  /** Called once per lock when it has to wait. */
  onWait?: (path: string, holderPid: number) => void;
}

export interface Lock {
  release(): void;
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function lockFile(hatchHome: string, path: string): string {
  return join(
    hatchHome,
    "locks",
    `${createHash("sha256").update(resolve(path)).digest("hex").slice(0, 24)}.lock`,
  );
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Takes the lock of one file, waiting for a live holder up to the timeout. */
export function lockPath(hatchHome: string, path: string, opts: LockOptions = {}): Lock {
  const file = lockFile(hatchHome, path);
  mkdirSync(join(hatchHome, "locks"), { recursive: true, mode: 0o700 });
  const deadline = Date.now() + (opts.timeoutMs ?? (Number(process.env.HATCH_LOCK_TIMEOUT_MS) || 30_000));
  let warned = false;
  for (;;) {
    try {
      const fd = openSync(file, "wx", 0o600);
      writeSync(
        fd,
        JSON.stringify({ pid: process.pid, path: resolve(path), since: new Date().toISOString() }),
      );
      closeSync(fd);
      return {
        release() {
          rmSync(file, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new ApplyError(`Cannot lock "${path}": ${(e as Error).message}`, undefined, path, { cause: e });
      }
    }
    let holder = 0;
    try {
      holder = Number(JSON.parse(readFileSync(file, "utf8")).pid);
    } catch {
      // Being written right now, or torn by a crash: a torn lock older than a moment is stale.
      holder = -1;
    }
    if (holder !== -1 && !alive(holder)) {
      rmSync(file, { force: true }); // the holder died (kill -9, power loss): recover
      continue;
    }
    if (holder === -1) {
      sleep(20);
      try {
        holder = Number(JSON.parse(readFileSync(file, "utf8")).pid);
      } catch {
        rmSync(file, { force: true });
        continue;
      }
    }
    if (Date.now() > deadline) {
      throw new ApplyError(
        `Cannot lock "${path}": another hatch process (pid ${holder}) is writing it; try again when it has finished`,
        undefined,
        path,
      );
    }
    if (!warned) {
      if (opts.onWait) opts.onWait(path, holder);
      else
        process.stderr.write(
          `Waiting for another hatch process (pid ${holder}) to finish writing "${path}"\n`,
        );
      warned = true;
    }
    sleep(25);
  }
}

/** Locks several files in a fixed (sorted) order; releases them all if one cannot be taken. */
export function lockAll(hatchHome: string, paths: readonly string[], opts: LockOptions = {}): Lock {
  const unique = [...new Set(paths.map((p) => resolve(p)))].sort();
  const held: Lock[] = [];
  try {
    for (const p of unique) held.push(lockPath(hatchHome, p, opts));
  } catch (e) {
    for (const l of held.reverse()) l.release();
    throw e;
  }
  return {
    release() {
      for (const l of held.reverse()) l.release();
    },
  };
}
