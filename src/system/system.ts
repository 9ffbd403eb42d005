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
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { ApplyError } from "../core/errors.ts";

export interface WriteOptions {
  mode?: number;
  verify?: boolean;
}

export interface FileInfo {
  mode: number;
  mtimeMs: number;
  size: number;
}

export interface System {
  /** The file's text, or undefined when it does not exist. Throws when it is not a file. */
  readText(path: string): string | undefined;
  stat(path: string): FileInfo | undefined;
  exists(path: string): boolean;
  /**
   * Writes a whole file atomically: temp file beside it, fsync, rename; mode kept; symlinks
   * written through. With `verify`, reads the file back and throws ApplyError unless it holds
   * exactly the bytes written (compared as bytes: no decoding of what was just encoded).
   */
  writeAtomic(path: string, text: string, opts?: WriteOptions): void;
  remove(path: string): void;
  mkdirp(path: string, mode?: number): void;
  /** Names in a directory ([] when it does not exist). */
  list(dir: string): string[];
}

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/** The real file system. */
export class RealSystem implements System {
  readText(path: string): string | undefined {
    try {
      return readFileSync(path, "utf8");
    } catch (e) {
      if (errno(e) === "ENOENT") return undefined;
      if (errno(e) === "EISDIR")
        throw new ApplyError(`Cannot read "${path}": it is a directory, not a file`, undefined, path);
      if (errno(e) === "EACCES") {
        throw new ApplyError(`Cannot read "${path}": permission denied`, undefined, path, { cause: e });
      }
      throw e;
    }
  }

  stat(path: string): FileInfo | undefined {
    try {
      const s = statSync(path);
      return { mode: s.mode & 0o7777, mtimeMs: s.mtimeMs, size: s.size };
    } catch (e) {
      if (errno(e) === "ENOENT" || errno(e) === "ENOTDIR") return undefined;
      throw e;
    }
  }

  exists(path: string): boolean {
    return existsSync(path);
  }

  writeAtomic(path: string, text: string, opts: WriteOptions = {}): void {
    // Write through a symlink to its target, so the link stays a link.
    let target = resolve(path);
    try {
      if (lstatSync(target).isSymbolicLink()) target = realpathSync(target);
    } catch (e) {
      if (errno(e) !== "ENOENT") throw e;
    }
    const dir = dirname(target);
    const existing = this.stat(target);
    const mode = opts.mode ?? existing?.mode ?? 0o644;
    this.mkdirp(dir);
    const tmp = join(dir, `.${basename(target)}.hatch-${process.pid}-${Date.now().toString(36)}.tmp`);
    let fd: number | undefined;
    const len = encodeScratch(text);
    const buf = scratch.out;
    try {
      fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
      // open() applies the umask; the file must get exactly the mode it had (or was given).
      fchmodSync(fd, mode);
      let off = 0;
      while (off < len) off += writeSync(fd, buf, off, len - off);
      fsyncSync(fd);
      closeSync(fd);
      fd = undefined;
      renameSync(tmp, target);
    } catch (e) {
      if (fd !== undefined) closeSync(fd);
      try {
        unlinkSync(tmp);
      } catch {}
      throw new ApplyError(`Cannot write "${path}": ${describeErrno(e)}`, undefined, path, { cause: e });
    }
    try {
      const dfd = openSync(dir, "r");
      fsyncSync(dfd);
      closeSync(dfd);
    } catch {
      // Directory fsync is not supported everywhere; the rename is already atomic.
    }
    removeStaleTemps(dir);
    if (opts.verify && !fileHolds(target, buf, len)) {
      throw new ApplyError(
        "Verification failed: the file read back differs from what was written",
        undefined,
        path,
      );
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

// A write encodes its text into a buffer, and its check reads the file back into another. A new
// buffer per file is fresh memory for each, which the system hands over one page fault per 4 KB
// (measured on the 2-core benchmark machine, a virtual one: ~12 µs a fault, ~3 ms per MB, more
// than the encoding itself). Two buffers, grown when a file needs more and reused by every write
// of the run, are faulted in once.
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
export function fileHolds(path: string, bytes: Buffer, len: number): boolean {
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
// `.NAME.hatch-PID-T.tmp` beside the file. The next successful write into that directory removes
// the temp files of processes that are gone; a live writer's temp file is never touched.
function removeStaleTemps(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = TEMP_RE.exec(name);
    const pid = Number(m?.[1]);
    if (!m || !Number.isInteger(pid) || pid <= 0 || pid === process.pid || processAlive(pid)) continue;
    try {
      if (lstatSync(join(dir, name)).isFile()) unlinkSync(join(dir, name));
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
  readonly files = new Map<string, { text: string; mode: number; mtimeMs: number }>();
  readText(path: string): string | undefined {
    return this.files.get(path)?.text;
  }
  stat(path: string): FileInfo | undefined {
    const f = this.files.get(path);
    return f ? { mode: f.mode, mtimeMs: f.mtimeMs, size: Buffer.byteLength(f.text) } : undefined;
  }
  exists(path: string): boolean {
    return this.files.has(path) || [...this.files.keys()].some((k) => k.startsWith(`${path}/`));
  }
  writeAtomic(path: string, text: string, opts: WriteOptions = {}): void {
    this.files.set(path, {
      text,
      mode: opts.mode ?? this.files.get(path)?.mode ?? 0o644,
      mtimeMs: Date.now(),
    });
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
