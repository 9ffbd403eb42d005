// Per-file locks under HATCH_HOME/locks: taken in one fixed order (sorted paths), so syncs of
// different files run in parallel, two syncs of the same file wait for each other, and no two
// runs can deadlock. A lock whose owner process is gone is recovered, and so is one whose pid now
// belongs to another process (pid reuse after a crash or a reboot): the lock records the boot and
// the holder's start time, and a live process that started later, or in another boot, is not it.
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ApplyError } from "../core/errors.ts";
import { nodeOs } from "../system/builtins.ts";
import { randomHex, sha256Hex } from "../system/digest.ts";
import { normalRemotePath, remoteFor, UnreachableError } from "../system/remote.ts";
import { isRemotePath } from "../system/sshurl.ts";
import { processAlive, processStart, removeDeadTemps, sleepSync, startedAtMs } from "../system/system.ts";
import { writeFd } from "../system/terminal.ts";

/** Lock directories made (or found) by this process: made once a run, not once a lock. */
const madeDirs = new Set<string>();

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

interface Holder {
  pid: number;
  since?: string;
  /** /proc/sys/kernel/random/boot_id when it was taken. */
  boot?: string;
  /** The holder's start time, in clock ticks since boot (/proc/PID/stat, field 22). */
  start?: number;
}

function holderOf(text: string): Holder | undefined {
  try {
    const doc = JSON.parse(text) as Record<string, unknown>;
    const pid = Number(doc.pid);
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    return {
      pid,
      ...(typeof doc.since === "string" ? { since: doc.since } : {}),
      ...(typeof doc.boot === "string" ? { boot: doc.boot } : {}),
      ...(typeof doc.start === "number" ? { start: doc.start } : {}),
    };
  } catch {
    return undefined;
  }
}

function readProc(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

let own: number | undefined | null = null;
/** This process's start time (read once: every lock it takes records it). */
function ownStart(): number | undefined {
  if (own === null) own = processStart(process.pid);
  return own;
}

let bootId: string | undefined | null = null;
function currentBoot(): string | undefined {
  if (bootId === null) bootId = readProc("/proc/sys/kernel/random/boot_id")?.trim() || undefined;
  return bootId;
}

/**
 * Whether the lock's holder is still running: its pid is alive and is the same process (where the
 * system can tell: Linux's /proc). A pid that another program now has (reused after a kill and
 * a reboot) is not the holder: the lock is stale.
 */
export function holderAlive(h: Holder): boolean {
  if (!processAlive(h.pid)) return false;
  const start = processStart(h.pid);
  if (start === undefined) return true; // no /proc (macOS): the pid is all there is
  const boot = currentBoot();
  if (h.boot !== undefined && boot !== undefined && h.boot !== boot) return false;
  if (h.start !== undefined) return h.start === start;
  // A lock without a start time (written by an older hatch): a process that started after the
  // lock was taken cannot be its holder.
  const since = h.since ? Date.parse(h.since) : Number.NaN;
  const startedAt = startedAtMs(start);
  if (Number.isFinite(since) && startedAt !== undefined && startedAt > since + 2_000) return false;
  return true;
}

// Temp files of a lock's creation (`NAME.lock.PID.HEX.tmp`) and break locks left by a killed run:
// removed once per process, when the first lock is taken, if their process is gone and they are
// the running user's.
const LOCK_TEMP_RE = /\.lock(?:\.break)?\.(\d+)\.[0-9a-f]+\.tmp$/;
let swept = false;
function sweepLockTemps(dir: string): void {
  if (swept) return;
  swept = true;
  removeDeadTemps(dir, LOCK_TEMP_RE);
}

/** The error of a lock that cannot be created, with the real cause (a read-only HATCH_HOME, …). */
function lockError(path: string, dir: string, e: unknown): ApplyError {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === "EROFS"
      ? "the file system is read-only"
      : code === "EACCES" || code === "EPERM"
        ? "permission denied"
        : code === "ENOSPC"
          ? "no space left on the device"
          : (e as Error).message;
  return new ApplyError(
    `Cannot lock "${path}": cannot write hatch's lock directory "${dir}": ${why} (set HATCH_HOME to a writable directory)`,
    undefined,
    path,
    { cause: e },
  );
}

/**
 * Creates `file` holding `content`, atomically: written beside it, then hard-linked into place,
 * so a lock file never exists half-written. False when the file exists (someone holds it).
 */
function create(file: string, content: string, path: string): boolean {
  const tmp = `${file}.${process.pid}.${randomHex(4)}.tmp`;
  let wrote = false;
  try {
    // open, write, close: the calls every read and write of the run makes (writeFileSync's option
    // handling is one more function to load and run for the first time).
    const fd = openSync(tmp, "wx", 0o600);
    wrote = true;
    try {
      writeSync(fd, content);
    } finally {
      closeSync(fd);
    }
    linkSync(tmp, file);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EEXIST" && wrote) return false;
    if (!wrote) throw lockError(path, dirname(file), e);
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
    throw lockError(path, dirname(file), err);
  } finally {
    // Only a temp file this call made: removing a name never created would, on a read-only file
    // system, fail with an error that hides the real one.
    if (wrote) {
      try {
        rmSync(tmp, { force: true });
      } catch {}
    }
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
  const dir = join(hatchHome, "locks");
  if (!madeDirs.has(dir)) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (e) {
      throw lockError(path, dir, e);
    }
    madeDirs.add(dir);
  }
  sweepLockTemps(dir);
  const deadline = Date.now() + (opts.timeoutMs ?? (Number(process.env.HATCH_LOCK_TIMEOUT_MS) || 30_000));
  // The nonce makes this lock's text unique, so a stale-lock breaker and release() can tell it apart.
  const boot = currentBoot();
  const start = ownStart();
  const mine = JSON.stringify({
    pid: process.pid,
    path: resolve(path),
    since: new Date().toISOString(),
    ...(boot !== undefined ? { boot } : {}),
    ...(start !== undefined ? { start } : {}),
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
    const h = holderOf(seen);
    if (h === undefined) {
      // Unreadable: a crash (power loss) tore it, or a file system without hard links is showing
      // a lock between its creation and its write. Look again after a moment.
      sleepSync(20);
      if (readLock(file) === seen) {
        breakStale(file, seen, path);
        continue;
      }
      continue;
    }
    const holder = h.pid;
    if (!holderAlive(h)) {
      // The holder died (kill -9, power loss), or its pid is another program's now: recover.
      breakStale(file, seen, path);
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

/** Seconds after which a remote lock held from another machine is taken to be a crashed run's. */
const REMOTE_LOCK_STALE_S = 600;

/**
 * Takes the lock of a file on another machine: the directory `.NAME.hatch-lock` beside it, made
 * with mkdir on that machine (system/remote.ts), so two hatch runs from any machines take turns.
 * A local lock keyed by the URL would only serialize runs from this machine. The lock records the
 * machine, pid and start time of its holder: a holder from this machine that is gone is
 * recovered at once; one from another machine (which cannot be asked) after
 * HATCH_REMOTE_LOCK_STALE_S seconds (default 600: a write takes seconds). A machine that cannot
 * be reached gets no lock: nothing can be written there, and each of its steps fails with why.
 */
export function lockRemote(path: string, opts: LockOptions = {}): Lock {
  const remote = remoteFor(path);
  const me = nodeOs().hostname();
  const start = ownStart();
  const owner = `${me} ${process.pid} ${start ?? "-"} ${randomHex(6)}`;
  const timeout = opts.timeoutMs ?? (Number(process.env.HATCH_LOCK_TIMEOUT_MS) || 30_000);
  const staleAfter = Number(process.env.HATCH_REMOTE_LOCK_STALE_S) || REMOTE_LOCK_STALE_S;
  const deadline = Date.now() + timeout;
  let warned = false;
  try {
    for (;;) {
      const a = remote.tryLock(path, owner);
      if (a.taken) {
        return {
          release() {
            try {
              // The line the lock holds is "EPOCH OWNER": removed only if it is still ours.
              remote.unlock(path, owner);
            } catch {
              // Unreachable now: the lock is left; the next run from here recovers it (pid gone).
            }
          },
        };
      }
      const [host, pidText, startText] = (a.holder ?? "").split(" ");
      const pid = Number(pidText);
      const sameMachine = host === me && Number.isInteger(pid) && pid > 0;
      const gone =
        (sameMachine &&
          !holderAlive({ pid, ...(startText && startText !== "-" ? { start: Number(startText) } : {}) })) ||
        (a.ageSeconds !== undefined && a.ageSeconds > staleAfter);
      if (gone && a.line) {
        remote.unlock(path, a.line);
        continue;
      }
      if (Date.now() > deadline) {
        throw new ApplyError(
          `Cannot lock "${path}": another hatch process (${a.holder ? `pid ${pidText} on "${host}"` : "starting"}) is writing it; try again when it has finished`,
          undefined,
          path,
        );
      }
      if (!warned && a.holder) {
        if (opts.onWait) opts.onWait(path, pid);
        else
          writeFd(
            2,
            `Waiting for another hatch process (pid ${pidText} on "${host}") to finish writing "${path}"\n`,
          );
        warned = true;
      }
      sleepSync(200);
    }
  } catch (e) {
    if (e instanceof UnreachableError) return { release() {} };
    throw e;
  }
}

/** Locks several files in a fixed (sorted) order; releases them all if one cannot be taken. */
export function lockAll(hatchHome: string, paths: readonly string[], opts: LockOptions = {}): Lock {
  const unique = [...new Set(paths.map((p) => (isRemotePath(p) ? normalRemotePath(p) : resolve(p))))].sort();
  const held: Lock[] = [];
  try {
    for (const p of unique) held.push(isRemotePath(p) ? lockRemote(p, opts) : lockPath(hatchHome, p, opts));
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
