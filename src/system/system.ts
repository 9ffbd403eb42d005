// The I/O seam. Every read and write of a host file or of hatch's own state goes through a
// System, so dry-run, read-only checks and fault injection cannot be bypassed by a command.
import {
  closeSync,
  constants,
  existsSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join, resolve, sep } from "node:path";
import { ApplyError, HostParseError } from "../core/errors.ts";
import { randomHex } from "./digest.ts";

export interface WriteOptions {
  /** The exact mode to give the file (a restore's recorded mode, the backup store's 0600). */
  mode?: number;
  verify?: boolean;
  /**
   * The content holds a secret (a resolved env value or header): a file this write creates is
   * owner-only (0600). An existing file keeps its mode either way.
   */
  secret?: boolean;
}

export interface AtomicFile {
  path: string;
  data: string | Uint8Array;
  opts?: WriteOptions;
}

export interface FileInfo {
  mode: number;
  mtimeMs: number;
  size: number;
  /** The owner (undefined where the OS has none: Windows, the memory system). */
  uid?: number;
}

/**
 * The most hatch reads of one file: 64 MiB. A real host file is kilobytes (the 20,000-server
 * file of the size test is 21 MB); more is a mistake or an attack (a link to /dev/zero).
 */
export const MAX_READ_BYTES = 64 * 1024 * 1024;

/**
 * A file hatch will not read: not a regular file (a FIFO, a device, a socket), larger than
 * MAX_READ_BYTES, or not valid UTF-8. Bad input: exit 2, nothing written.
 */
export class RefusedFileError extends HostParseError {
  override name = "RefusedFileError";
}

export interface System {
  /**
   * The file's text, or undefined when it does not exist. Throws ApplyError when it is a
   * directory or unreadable, RefusedFileError when it is not a regular file, is larger than
   * MAX_READ_BYTES or is not valid UTF-8 (with the byte offset of the first bad byte).
   */
  readText(path: string): string | undefined;
  /** The file's bytes (undefined when it does not exist); the same refusals as readText but UTF-8. */
  readBytes(path: string): Uint8Array | undefined;
  stat(path: string): FileInfo | undefined;
  exists(path: string): boolean;
  /**
   * Writes a whole file atomically: temp file beside it, fsync, rename; mode kept; symlinks
   * written through. With `verify`, reads the file back and throws ApplyError unless it holds
   * exactly the bytes written (compared as bytes: no decoding of what was just encoded).
   * Refuses (ApplyError) a path that another user could redirect: see checkWritePath.
   */
  writeAtomic(path: string, data: string | Uint8Array, opts?: WriteOptions): void;
  /**
   * Writes several files as writeAtomic does, each complete on its own; a directory holding
   * several of them is checked and synced once (the backup store writes a snapshot's objects
   * this way). Stops at the first failure (ApplyError); files written before it stay written.
   */
  writeAtomicMany(files: readonly AtomicFile[]): void;
  remove(path: string): void;
  mkdirp(path: string, mode?: number): void;
  /** Names in a directory ([] when it does not exist). */
  list(dir: string): string[];
}

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

function kindOf(st: Stats): string {
  if (st.isFIFO()) return "a named pipe (FIFO)";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}

const MiB = 1024 * 1024;

function tooBig(path: string): RefusedFileError {
  return new RefusedFileError(
    path,
    `the file is larger than ${MAX_READ_BYTES / MiB} MiB, the most hatch reads of a configuration file`,
  );
}

/**
 * The bytes of a regular file, at most MAX_READ_BYTES. Opened non-blocking, so a FIFO with no
 * writer cannot hang the run, and checked with fstat on the open descriptor (what is read is
 * what was checked), so a link to /dev/zero is refused before a byte is read. With `reuse`, the
 * bytes are read into the scratch buffer a write reads its file back into (below), which the
 * caller must be done with before the next read or write: readText decodes them at once. A new
 * buffer per read is fresh memory, one page fault per 4 KB: reading rulesync's workload (1,000
 * servers, seven files and the source, read twice) faulted in ~3 MB.
 */
export function readFileBytes(path: string, reuse = false): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  } catch (e) {
    const code = errno(e);
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    if (code === "EISDIR")
      throw new ApplyError(`Cannot read "${path}": it is a directory, not a file`, undefined, path);
    if (code === "EACCES" || code === "EPERM")
      throw new ApplyError(`Cannot read "${path}": permission denied`, undefined, path, { cause: e });
    // A socket (ENXIO), a link loop (ELOOP), a name too long: not a file hatch can read.
    if (code === "ENXIO" || code === "ELOOP" || code === "ENAMETOOLONG")
      throw new RefusedFileError(path, `not a readable file (${code})`);
    throw e;
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory())
      throw new ApplyError(`Cannot read "${path}": it is a directory, not a file`, undefined, path);
    if (!st.isFile()) throw new RefusedFileError(path, `it is ${kindOf(st)}, not a regular file`);
    if (st.size > MAX_READ_BYTES) throw tooBig(path);
    // One byte more than fstat says, to see a file that grew meanwhile (up to the cap).
    const want = Math.min(st.size + 1, MAX_READ_BYTES + 1);
    let buf: Buffer;
    if (reuse) {
      scratch.back = grown(scratch.back, want);
      buf = scratch.back;
    } else buf = Buffer.allocUnsafe(want);
    // The bytes read go up to `end`: a reused buffer may be longer than this file needs.
    let end = want;
    let got = 0;
    for (;;) {
      if (got === end) {
        if (end > MAX_READ_BYTES) throw tooBig(path);
        const bigger = Buffer.allocUnsafe(Math.min(end * 2, MAX_READ_BYTES + 1));
        buf.copy(bigger, 0, 0, got);
        buf = bigger;
        end = buf.length;
        if (reuse) scratch.back = buf;
      }
      const n = readSync(fd, buf, got, end - got, null);
      if (n === 0) break;
      got += n;
    }
    if (got > MAX_READ_BYTES) throw tooBig(path);
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** Offset of the first byte that is not part of a valid UTF-8 sequence (-1 when all are). */
export function invalidUtf8Offset(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * Whether bytes are all valid UTF-8. Not node:buffer's isUtf8: importing node:buffer costs ~0.6 ms
 * of every start-up (compiled binary, Bun 1.4.5), and this is asked only of a text holding U+FFFD.
 */
function isUtf8(b: Uint8Array): boolean {
  return invalidUtf8Offset(b) === -1;
}

/**
 * The text of UTF-8 bytes, refusing bytes that are not valid UTF-8 (a decoder would replace them
 * with U+FFFD, and a write would then change bytes hatch does not own). A BOM is kept.
 * @throws RefusedFileError naming the file and the offset of the first invalid byte
 */
export function decodeUtf8(bytes: Uint8Array, path: string): string {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = b.toString("utf8");
  // U+FFFD in the text: a real one in the file, or a replaced invalid sequence.
  if (!text.includes("\uFFFD") || isUtf8(b)) return text;
  const at = invalidUtf8Offset(b);
  throw new RefusedFileError(
    path,
    `the file is not valid UTF-8 (byte offset ${at}); hatch edits only UTF-8 text and does not change bytes it cannot read`,
  );
}

// ---------------------------------------------------------------------------------------------
// Who may redirect a write. A write follows the path from the root: a directory on it that
// another user can write (or owns) lets that user swap the file, or a directory above it, for a
// link to a file of the running user's (root's /etc/shadow), and a symlink another user owns
// points wherever that user wants. Such a path is refused unless HATCH_ALLOW_SHARED_PATHS=1.

/** The running user's id (undefined on Windows, where none of this applies). */
function euid(): number | undefined {
  return typeof process.geteuid === "function" ? process.geteuid() : undefined;
}

function egid(): number | undefined {
  return typeof process.getegid === "function" ? process.getegid() : undefined;
}

/** The running user and root: the owners a write may trust. */
function trusted(uid: number, me: number): boolean {
  return uid === me || uid === 0;
}

function octal(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, "0")}`;
}

/** Why a directory lets another user change its entries, or undefined when it does not. */
function sharedDir(st: Stats, me: number): string | undefined {
  if (!trusted(st.uid, me)) return `it is owned by another user (uid ${st.uid})`;
  const otherWrite = (st.mode & 0o002) !== 0;
  const groupWrite = (st.mode & 0o020) !== 0 && st.gid !== egid();
  if (otherWrite || groupWrite)
    return `it is writable by ${otherWrite ? "every user" : `the users of group ${st.gid}`} (mode ${octal(st.mode)})`;
  return undefined;
}

/** Thrown by checkWritePath: the path could be redirected by another user. */
export class SharedPathError extends ApplyError {
  override name = "SharedPathError";
}

/**
 * The file a write of `path` really writes (symlinks followed), after checking every directory
 * and link on the way: each directory must be owned by the running user or root and writable by
 * nobody else (a sticky directory such as /tmp may be, if the entry hatch passes through in it
 * is the running user's or root's), and each symlink must be owned by the running user or root.
 * A missing part is returned as is: hatch creates it (in a directory that passed).
 * @throws SharedPathError naming the directory or link and why
 */
export function checkWritePath(
  path: string,
  opts: { allowShared?: boolean; checked?: Set<string> } = {},
): string {
  const me = euid();
  const check = me !== undefined && !opts.allowShared && process.env.HATCH_ALLOW_SHARED_PATHS !== "1";
  const refuse = (what: string, why: string) =>
    new SharedPathError(
      `Refusing to write "${path}": ${what} ${why}, so another user could redirect the write to another file; ` +
        "move the file, fix the permissions, or set HATCH_ALLOW_SHARED_PATHS=1 to write anyway",
      undefined,
      path,
    );
  let rest = resolve(path).split(sep).filter(Boolean);
  let cur: string = sep;
  // Whether `cur` is a sticky shared directory: its next entry must then be ours or root's.
  let stickyShared = false;
  let links = 0;
  // Directories this batch of writes already passed (real directories, no link on the way, that
  // only the running user or root can change): the walk starts below the deepest one.
  const checked = check ? opts.checked : undefined;
  if (checked?.has(sep)) {
    for (let k = rest.length - 1; k > 0; k--) {
      const dir = sep + rest.slice(0, k).join(sep);
      if (checked.has(dir)) {
        cur = dir;
        rest = rest.slice(k);
        break;
      }
    }
  } else if (check) {
    const root = lstatSync(sep);
    const why = sharedDir(root, me);
    if (why) throw refuse(`the directory "${sep}"`, why);
    checked?.add(sep);
  }
  while (rest.length > 0) {
    const name = rest[0] as string;
    const next = join(cur, name);
    let st: Stats;
    try {
      st = lstatSync(next);
    } catch (e) {
      if (errno(e) === "ENOENT") return join(next, ...rest.slice(1));
      throw e;
    }
    if (check && stickyShared && !trusted(st.uid, me))
      throw refuse(
        `"${next}"`,
        `is owned by another user (uid ${st.uid}) in a directory every user can write`,
      );
    if (st.isSymbolicLink()) {
      if (check && !trusted(st.uid, me))
        throw refuse(`the link "${next}"`, `is owned by another user (uid ${st.uid})`);
      if (++links > 40)
        throw new ApplyError(`Cannot write "${path}": too many levels of symbolic links`, undefined, path);
      const to = resolve(cur, readlinkSync(next));
      rest = [...to.split(sep).filter(Boolean), ...rest.slice(1)];
      cur = sep;
      stickyShared = false;
      continue;
    }
    rest = rest.slice(1);
    if (rest.length === 0) return next;
    if (!st.isDirectory()) return join(next, ...rest); // the write fails with ENOTDIR
    stickyShared = false;
    if (check) {
      const why = sharedDir(st, me);
      if (why) {
        // A sticky directory (/tmp): others cannot rename or remove what is not theirs.
        const sticky = (st.mode & 0o1000) !== 0 && trusted(st.uid, me);
        if (!sticky || rest.length === 1) throw refuse(`the directory "${next}"`, why);
        stickyShared = true;
      }
    }
    if (!stickyShared && links === 0) checked?.add(next);
    cur = next;
  }
  return cur;
}

/** writeAtomicMany as one writeAtomic per file, for systems with nothing to share between them. */
export function writeEach(system: System, files: readonly AtomicFile[]): void {
  for (const f of files) system.writeAtomic(f.path, f.data, f.opts);
}

/**
 * One file of writeAtomicMany: temp file beside it, fsync, rename, read back when asked. Returns
 * the directory it renamed into, which the caller syncs.
 */
function writeOne(path: string, data: string | Uint8Array, opts: WriteOptions, checked: Set<string>): string {
  // Write through a symlink to its target, so the link stays a link; refuse a path another
  // user could redirect.
  const target = checkWritePath(path, { checked });
  const dir = dirname(target);
  let existing: Stats | undefined;
  try {
    existing = statSync(target);
  } catch (e) {
    if (errno(e) !== "ENOENT") throw e;
  }
  // The mode of the file it replaces, if the running user owns it (another user's mode, 0666
  // say, is not copied); a new file gets 0666 less the umask, or 0600 when it holds a secret.
  const me = euid();
  const kept = existing && (me === undefined || existing.uid === me) ? existing.mode & 0o7777 : undefined;
  const mode = opts.mode ?? kept;
  mkdirSync(dir, { recursive: true });
  let len: number;
  let buf: Uint8Array;
  if (typeof data === "string") {
    len = encodeScratch(data);
    buf = scratch.out;
  } else {
    len = data.length;
    buf = data;
  }
  let fd: number | undefined;
  let tmp = "";
  try {
    for (let attempt = 0; ; attempt++) {
      tmp = join(dir, `.${basename(target)}.hatch-${process.pid}-${randomHex(6)}.tmp`);
      try {
        // Created owner-only when its mode is set below (never readable by others meanwhile).
        fd = openSync(
          tmp,
          constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
          mode !== undefined || opts.secret ? 0o600 : 0o666,
        );
        break;
      } catch (e) {
        // A name taken (by chance, or by someone who planted it): another random one.
        if (errno(e) !== "EEXIST" || attempt >= 16) {
          tmp = "";
          throw e;
        }
      }
    }
    // open() applied the umask; a kept or given mode is set exactly.
    if (mode !== undefined) fchmodSync(fd, mode);
    let off = 0;
    while (off < len) off += writeSync(fd, buf, off, len - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, target);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    if (tmp) {
      try {
        unlinkSync(tmp);
      } catch {}
    }
    throw new ApplyError(`Cannot write "${path}": ${describeErrno(e)}`, undefined, path, { cause: e });
  }
  if (opts.verify && !fileHolds(target, buf, len)) {
    throw new ApplyError(
      "Verification failed: the file read back differs from what was written",
      undefined,
      path,
    );
  }
  return dir;
}

/** The real file system. */
export class RealSystem implements System {
  readText(path: string): string | undefined {
    // Read into the reused scratch buffer: the text is decoded (copied) before the next read.
    const bytes = readFileBytes(path, true);
    return bytes === undefined ? undefined : decodeUtf8(bytes, path);
  }

  readBytes(path: string): Uint8Array | undefined {
    return readFileBytes(path);
  }

  stat(path: string): FileInfo | undefined {
    try {
      const s = statSync(path);
      return { mode: s.mode & 0o7777, mtimeMs: s.mtimeMs, size: s.size, uid: s.uid };
    } catch (e) {
      if (errno(e) === "ENOENT" || errno(e) === "ENOTDIR") return undefined;
      throw e;
    }
  }

  exists(path: string): boolean {
    return existsSync(path);
  }

  writeAtomic(path: string, data: string | Uint8Array, opts: WriteOptions = {}): void {
    this.writeAtomicMany([{ path, data, opts }]);
  }

  writeAtomicMany(files: readonly AtomicFile[]): void {
    // A directory's checks, its fsync and its sweep of stale temp files, once for the batch: a
    // backup snapshot of five files writes five objects into one directory. Measured 2026-12-03
    // (everyday sync, 20 servers into 5 files with backup): 30 → 24 fsyncs, 237 → 162 stats.
    const checked = new Set<string>();
    const dirs = new Set<string>();
    try {
      for (const f of files) dirs.add(writeOne(f.path, f.data, f.opts ?? {}, checked));
    } finally {
      for (const dir of dirs) {
        try {
          const dfd = openSync(dir, "r");
          fsyncSync(dfd);
          closeSync(dfd);
        } catch {
          // Directory fsync is not supported everywhere; the rename is already atomic.
        }
        removeDeadTemps(dir, TEMP_RE);
      }
    }
  }

  remove(path: string): void {
    rmSync(path, { force: true });
  }

  mkdirp(path: string, mode?: number): void {
    mkdirSync(path, { recursive: true, ...(mode !== undefined ? { mode } : {}) });
  }

  list(dir: string): string[] {
    try {
      return readdirSync(dir);
    } catch (e) {
      if (errno(e) === "ENOENT" || errno(e) === "ENOTDIR") return [];
      throw e;
    }
  }
}

const TEMP_RE = /^\..+\.hatch-(\d+)-[0-9a-z]+\.tmp$/;

/** Whether a process with this id exists (one we may not signal counts: EPERM). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errno(e) === "EPERM";
  }
}

/** A process's start time in clock ticks since boot (Linux: /proc/PID/stat), or undefined. */
export function processStart(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid …": comm may hold spaces and parentheses; fields follow the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const start = Number(fields[19]);
  return Number.isFinite(start) ? start : undefined;
}

/** Clock ticks per second of /proc's times (USER_HZ: 100 on every Linux hatch runs on). */
const TICKS_PER_SECOND = 100;

let bootTime: number | undefined | null = null;

/** When a process that started `ticks` after boot started (ms since the epoch; Linux), or undefined. */
export function startedAtMs(ticks: number): number | undefined {
  if (bootTime === null) {
    let stat = "";
    try {
      stat = readFileSync("/proc/stat", "utf8");
    } catch {}
    const m = /^btime (\d+)$/m.exec(stat);
    bootTime = m ? Number(m[1]) * 1000 : undefined;
  }
  return bootTime === undefined ? undefined : bootTime + (ticks * 1000) / TICKS_PER_SECOND;
}

/**
 * Whether the process that left a file named for pid `pid`, last changed at `mtimeMs`, is gone:
 * no process has that id, or the one that has it started after the file was written (the id was
 * reused: pids wrap at 32,768 on Linux, and every thread of every process takes one, so a killed
 * run's id soon belongs to someone else). Where start times cannot be read (macOS), a live id
 * counts as the writer.
 */
export function writerGone(pid: number, mtimeMs: number): boolean {
  if (!processAlive(pid)) return true;
  const start = processStart(pid);
  const startedAt = start === undefined ? undefined : startedAtMs(start);
  return startedAt !== undefined && startedAt > mtimeMs + 2_000;
}

// A write encodes its text into a buffer, and its check reads the file back into another. A new
// buffer per file is fresh memory for each, which the system hands over one page fault per 4 KB.
// Two buffers, grown when a file needs more and reused by every write of the run, are faulted in
// once. Measured 2026-12-03 side by side (fresh buffers vs reused, same binary, 6 pairs): 10,000
// servers into 10 files 1.07 s vs 0.93 s (1.16×); held to Buffer.from by system.test.ts.
const scratch: { out: Buffer; back: Buffer } = { out: Buffer.alloc(0), back: Buffer.alloc(0) };

function grown(buf: Buffer, size: number): Buffer {
  return buf.length >= size ? buf : Buffer.allocUnsafe(Math.max(size, buf.length * 2, 64 * 1024));
}

/** Encodes `text` as UTF-8 into `scratch.out`; its length in bytes. */
function encodeScratch(text: string): number {
  scratch.out = grown(scratch.out, Buffer.byteLength(text, "utf8"));
  return scratch.out.write(text, 0, "utf8");
}

/** Whether the file at `path` holds exactly the first `len` bytes of `bytes` (read into a scratch buffer). */
export function fileHolds(path: string, bytes: Uint8Array, len: number): boolean {
  const fd = openSync(path, "r");
  try {
    if (fstatSync(fd).size !== len) return false;
    scratch.back = grown(scratch.back, len + 1);
    const back = scratch.back;
    let got = 0;
    for (let n = 1; n > 0 && got <= len; got += n) n = readSync(fd, back, got, back.length - got, null);
    return got === len && back.compare(bytes, 0, len, 0, len) === 0;
  } finally {
    closeSync(fd);
  }
}

/** Blocks the thread for `ms` milliseconds (lock retries, a full non-blocking pipe). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// A hatch killed between creating its temp file and the rename (kill -9, power loss) leaves
// `.NAME.hatch-PID-RANDOM.tmp` beside the file. The next successful write into that directory
// removes the running user's temp files of processes that are gone; a live writer's temp file,
// and another user's, is never touched.
/**
 * Removes the temp files in `dir` whose names `re` matches (group 1: the writing process's id)
 * and whose writer is gone (writerGone): the running user's own regular files only, since
 * another user's file of that shape is theirs. The write path sweeps its own temp files
 * (TEMP_RE), the lock store its (store/lock.ts).
 */
export function removeDeadTemps(dir: string, re: RegExp): void {
  const me = euid();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(re.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) continue;
    try {
      const st = lstatSync(join(dir, name));
      if (st.isFile() && (me === undefined || st.uid === me) && writerGone(pid, st.mtimeMs))
        unlinkSync(join(dir, name));
    } catch {
      // Removed by another process meanwhile, or not ours to remove.
    }
  }
}

export function describeErrno(e: unknown): string {
  switch (errno(e)) {
    case "ENOSPC":
      return "no space left on the device";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EROFS":
      return "the file system is read-only";
    case "EISDIR":
      return "a directory is in the way";
    case "ENOTDIR":
      return "a file is in the way of a directory";
    default:
      return e instanceof Error ? e.message : String(e);
  }
}

/** An in-memory file system for unit tests. */
export class MemorySystem implements System {
  /** `bytes` is kept for content that is not valid UTF-8 (its `text` is then the lossy decoding). */
  readonly files = new Map<string, { text: string; mode: number; mtimeMs: number; bytes?: Uint8Array }>();
  readText(path: string): string | undefined {
    const f = this.files.get(path);
    if (f?.bytes) return decodeUtf8(f.bytes, path);
    return f?.text;
  }
  readBytes(path: string): Uint8Array | undefined {
    const f = this.files.get(path);
    return f ? (f.bytes ?? Buffer.from(f.text, "utf8")) : undefined;
  }
  stat(path: string): FileInfo | undefined {
    const f = this.files.get(path);
    return f
      ? { mode: f.mode, mtimeMs: f.mtimeMs, size: f.bytes ? f.bytes.length : Buffer.byteLength(f.text) }
      : undefined;
  }
  exists(path: string): boolean {
    return this.files.has(path) || [...this.files.keys()].some((k) => k.startsWith(`${path}/`));
  }
  writeAtomic(path: string, data: string | Uint8Array, opts: WriteOptions = {}): void {
    const bytes = typeof data === "string" ? undefined : Buffer.from(data);
    const text = bytes ? bytes.toString("utf8") : (data as string);
    this.files.set(path, {
      text,
      mode: opts.mode ?? this.files.get(path)?.mode ?? (opts.secret ? 0o600 : 0o644),
      mtimeMs: Date.now(),
      ...(bytes && !isUtf8(bytes) ? { bytes } : {}),
    });
  }
  writeAtomicMany(files: readonly AtomicFile[]): void {
    writeEach(this, files);
  }
  remove(path: string): void {
    this.files.delete(path);
  }
  mkdirp(): void {}
  list(dir: string): string[] {
    const prefix = `${dir}/`;
    const names = new Set<string>();
    for (const k of this.files.keys())
      if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split("/")[0] as string);
    return [...names];
  }
}
