// Per-file locks under HATCH_HOME/locks: taken in one fixed order (sorted paths), so syncs of
// different files run in parallel, two syncs of the same file wait for each other, and no two
// runs can deadlock. A lock whose owner process is gone is recovered.
import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join, resolve } from "node:path";
import { ApplyError } from "../core/errors.ts";
import { randomHex, sha256Hex } from "../system/digest.ts";
import { processAlive, sleepSync } from "../system/system.ts";
import { writeFd } from "../system/terminal.ts";

export interface LockOptions {
  /** How long to wait for a lock held by another live process (ms). */
  timeoutMs?: number;
  /** Called once per lock when it has to wait. */
  onWait?: (path: string, holderPid: number) => void;
}

export interface Lock {
  release(): void;
}

function lockFile(hatchHome: string, path: string): string {
  return join(hatchHome, "locks", `${sha256Hex(resolve(path)).slice(0, 24)}.lock`);
}

function readLock(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function holderOf(text: string): number {
  try {
    const pid = Number(JSON.parse(text).pid);
    return Number.isInteger(pid) && pid > 0 ? pid : -1;
  } catch {
    return -1;
  }
}

/**
 * Creates `file` holding `content`, atomically: written beside it, then hard-linked into place,
 * so a lock file never exists half-written. False when the file exists (someone holds it).
 */
function create(file: string, content: string, path: string): boolean {
  const tmp = `${file}.${process.pid}.${randomHex(4)}.tmp`;
  try {
    writeFileSync(tmp, content, { mode: 0o600 });
    linkSync(tmp, file);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    let err = e;
    if (code === "EPERM" || code === "ENOTSUP" || code === "ENOSYS" || code === "EOPNOTSUPP") {
      // No hard links on this file system: exclusive create, then write (may be seen empty briefly).
      try {
        const fd = openSync(file, "wx", 0o600);
        writeSync(fd, content);
        closeSync(fd);
        return true;
      } catch (e2) {
        if ((e2 as NodeJS.ErrnoException).code === "EEXIST") return false;
        err = e2;
      }
    }
    throw new ApplyError(`Cannot lock "${path}": ${(err as Error).message}`, undefined, path, { cause: err });
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Removes a stale lock, but only if it still holds exactly the text seen: waiters that find the
 * same dead holder take turns through a short-lived `.break` lock, so one of them cannot remove
 * the fresh lock another has just taken (two processes would then both hold the file).
 */
function breakStale(file: string, seen: string, path: string): void {
  const brk = `${file}.break`;
  if (!create(brk, JSON.stringify({ pid: process.pid }), path)) {
    // Another waiter is breaking it. A break lock is held for microseconds: an old one is a crash's.
    try {
      if (Date.now() - statSync(brk).mtimeMs > 10_000) rmSync(brk, { force: true });
    } catch {}
    sleepSync(2);
    return;
  }
  try {
    if (readLock(file) === seen) rmSync(file, { force: true });
  } finally {
    rmSync(brk, { force: true });
  }
}

/** Takes the lock of one file, waiting for a live holder up to the timeout. */
export function lockPath(hatchHome: string, path: string, opts: LockOptions = {}): Lock {
  const file = lockFile(hatchHome, path);
  mkdirSync(join(hatchHome, "locks"), { recursive: true, mode: 0o700 });
  const deadline = Date.now() + (opts.timeoutMs ?? (Number(process.env.HATCH_LOCK_TIMEOUT_MS) || 30_000));
  // The nonce makes this lock's text unique, so a stale-lock breaker and release() can tell it apart.
  const mine = JSON.stringify({
    pid: process.pid,
    path: resolve(path),
    since: new Date().toISOString(),
    nonce: randomHex(6),
  });
  let warned = false;
  for (;;) {
    if (create(file, mine, path)) {
      return {
        release() {
          if (readLock(file) === mine) rmSync(file, { force: true });
        },
      };
    }
    const seen = readLock(file);
    if (seen === undefined) continue; // released meanwhile
    const holder = holderOf(seen);
    if (holder === -1) {
      // Unreadable: a crash (power loss) tore it, or a file system without hard links is showing
      // a lock between its creation and its write. Look again after a moment.
      sleepSync(20);
      if (readLock(file) === seen) {
        breakStale(file, seen, path);
        continue;
      }
      continue;
    }
    if (!processAlive(holder)) {
      breakStale(file, seen, path); // the holder died (kill -9, power loss): recover
      continue;
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
      else writeFd(2, `Waiting for another hatch process (pid ${holder}) to finish writing "${path}"\n`);
      warned = true;
    }
    sleepSync(25);
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
