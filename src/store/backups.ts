// The backup store under HATCH_HOME/backups: content-addressed objects (objects/<sha256>; stores
// written before 2026-12 hold them in objects/ab/<sha256>, which is still read), so a file that
// did not change is stored once however many snapshots refer to it, and one JSON manifest per
// snapshot (snapshots/<id>.json). A snapshot's new objects are written as one batch into the one
// directory (one fsync of it, not one per object and fan-out directory), then its manifest. Everything is owner-only (files 0600, dirs 0700).
// Every object is checked against its hash when it is read; a mismatch names the snapshot and
// the file (ApplyError: exit 1, because the store is damaged, not the user's input).
// Writers of the store (snapshot, clean) hold one store lock, so clean's removal of unreferenced
// objects can never race a snapshot that is about to refer to them.
import { join } from "node:path";
import * as v from "valibot";
import type { Workspace } from "./workspace.ts";
import { ApplyError, UsageError } from "../core/errors.ts";
import {
  type AtomicFile,
  decodeUtf8,
  describeErrno,
  invalidUtf8Offset,
  RefusedFileError,
} from "../system/system.ts";
import { type Lock, type LockOptions, lockPath } from "./lock.ts";
import { randomHex, sha256BytesHex, sha256Hex } from "../system/digest.ts";
import { UnreachableError } from "../system/ssh.ts";

export interface SnapshotFile {
  host: string;
  path: string;
  existed: boolean;
  sha256?: string;
  mode?: number;
  size?: number;
  /** The file's owner when it was taken: a restore applies `mode` only to the running user's file. */
  uid?: number;
  /**
   * What the write that took this snapshot left in the file (recorded after it wrote): the last
   * state hatch wrote, which a restore without --id, --name or --before brings back.
   */
  after?: WrittenState;
}

/** A file's content as a write left it (`existed: false`: the write removed it). */
export interface WrittenState {
  existed: boolean;
  sha256?: string;
  mode?: number;
  size?: number;
}

export interface Snapshot {
  id: string;
  time: string;
  name?: string;
  reason: string;
  command?: string;
  files: SnapshotFile[];
}

/** The store is damaged: a manifest cannot be read, or an object is missing or fails its hash. Exit 1. */
export class BackupCorruptError extends ApplyError {
  override name = "BackupCorruptError";
  constructor(
    message: string,
    readonly snapshot: string,
    path?: string,
    host?: string,
  ) {
    super(message, host, path);
  }
}

export function backupsDir(ws: Workspace): string {
  return join(ws.hatchHome, "backups");
}

function snapshotsDir(ws: Workspace): string {
  return join(backupsDir(ws), "snapshots");
}

export function sha256(text: string): string {
  return sha256Hex(text);
}

/** The store hashes and keeps bytes, not decoded text: a file that is not UTF-8 is kept exactly. */
function sha256Bytes(bytes: Uint8Array): string {
  return sha256BytesHex(bytes);
}

/** Where an object is written. */
export function objectPath(ws: Workspace, hash: string): string {
  return join(backupsDir(ws), "objects", hash);
}

/** Where an object written before the store was flat lives (objects/ab/<sha256>). */
function legacyObjectPath(ws: Workspace, hash: string): string {
  return join(backupsDir(ws), "objects", hash.slice(0, 2), hash);
}

/** The path an object is stored at: the flat one, else the fan-out one of an older store. */
function storedObjectPath(ws: Workspace, hash: string): string {
  const flat = objectPath(ws, hash);
  if (ws.system.exists(flat)) return flat;
  const legacy = legacyObjectPath(ws, hash);
  return ws.system.exists(legacy) ? legacy : flat;
}

/** Whether the store holds an intact object of this hash (a damaged one is written again). */
function holdsObject(ws: Workspace, hash: string): boolean {
  for (const obj of [objectPath(ws, hash), legacyObjectPath(ws, hash)]) {
    const stored = readObject(ws, obj);
    if (stored !== undefined && sha256Bytes(stored) === hash) return true;
  }
  return false;
}

export function newSnapshotId(now = new Date()): string {
  const t = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `${t}-${randomHex(3)}`;
}

const ID_RE = /^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$/;
const HASH_RE = /^[0-9a-f]{64}$/;

/** The lock that serialises writers of the store (snapshots and clean). */
function storeLock(ws: Workspace, opts?: LockOptions): Lock {
  return lockPath(ws.hatchHome, join(backupsDir(ws), ".store"), opts);
}

/** A snapshot's host names, in file order, each once. */
export function snapshotHosts(s: Snapshot): string[] {
  return [...new Set(s.files.map((f) => f.host))];
}

/**
 * A file to snapshot. `content`, when given, is what the caller read from it under the lock it
 * holds (null: it does not exist), so the store does not read it again.
 */
export interface SnapshotSource {
  host: string;
  path: string;
  content?: string | null;
}

export interface SnapshotStats {
  snapshot: Snapshot;
  /** Content objects this snapshot added to the store (0 when every file was already stored). */
  newObjects: number;
  /** With `skipUnreachable`: files on machines that could not be reached, left out. */
  unreachable: { host: string; path: string; error: string }[];
}

/**
 * Snapshots files as they are now, like createSnapshot, and says how many objects it added.
 * @throws ApplyError when the store cannot be written (the caller must then write nothing)
 */
export function takeSnapshot(
  ws: Workspace,
  opts: {
    reason: string;
    name?: string;
    command?: string;
    files: readonly SnapshotSource[];
    now?: Date;
    lock?: LockOptions;
    /** Leave out (and list) files on machines that cannot be reached, instead of failing. */
    skipUnreachable?: boolean;
  },
): SnapshotStats {
  const { system } = ws;
  const now = opts.now ?? new Date();
  const id = newSnapshotId(now);
  const files: SnapshotFile[] = [];
  const unreachable: SnapshotStats["unreachable"] = [];
  let lock: Lock | undefined;
  try {
    system.mkdirp(snapshotsDir(ws), 0o700);
    lock = storeLock(ws, opts.lock);
    const seen = new Set<string>();
    const objects = new Map<string, AtomicFile>();
    for (const f of opts.files) {
      if (seen.has(f.path)) continue;
      seen.add(f.path);
      let bytes: Uint8Array | undefined;
      try {
        bytes =
          f.content === undefined
            ? system.readBytes(f.path)
            : f.content === null
              ? undefined
              : Buffer.from(f.content, "utf8");
      } catch (e) {
        if (!opts.skipUnreachable || !(e instanceof UnreachableError)) throw e;
        unreachable.push({ host: f.host, path: f.path, error: e.message });
        continue;
      }
      if (bytes === undefined) {
        files.push({ host: f.host, path: f.path, existed: false });
        continue;
      }
      const hash = stageObject(ws, objects, bytes);
      const st = system.stat(f.path);
      files.push({
        host: f.host,
        path: f.path,
        existed: true,
        sha256: hash,
        ...(st ? { mode: st.mode, size: st.size, ...(st.uid !== undefined ? { uid: st.uid } : {}) } : {}),
      });
    }
    const snap: Snapshot = {
      id,
      time: now.toISOString(),
      ...(opts.name ? { name: opts.name } : {}),
      reason: opts.reason,
      ...(opts.command ? { command: opts.command } : {}),
      files,
    };
    if (files.length === 0 && unreachable.length > 0)
      throw new ApplyError(`no host could be reached (${unreachable.map((u) => u.error).join("; ")})`);
    writeObjects(ws, objects);
    writeManifest(ws, snap);
    return { snapshot: snap, newObjects: objects.size, unreachable };
  } catch (e) {
    // A file that is not a file (a FIFO, a device), too big: bad input (exit 2), as for every read.
    if (e instanceof RefusedFileError) throw e;
    if (e instanceof ApplyError)
      throw new ApplyError(`Cannot create a backup: ${e.message}`, undefined, e.path, { cause: e });
    throw new ApplyError(
      `Cannot create a backup in "${backupsDir(ws)}": ${describeErrno(e)}`,
      undefined,
      undefined,
      {
        cause: e,
      },
    );
  } finally {
    lock?.release();
  }
}

/**
 * Snapshots files as they are now: content stored once by hash, then the manifest.
 * @throws ApplyError when the store cannot be written (the caller must then write nothing)
 */
export function createSnapshot(
  ws: Workspace,
  opts: {
    reason: string;
    name?: string;
    command?: string;
    files: readonly SnapshotSource[];
    now?: Date;
  },
): Snapshot {
  return takeSnapshot(ws, opts).snapshot;
}

/**
 * Adds `bytes` to a snapshot's batch of objects unless the store holds them intact already (a
 * damaged object is written again, so a new snapshot heals the store); returns their hash.
 */
function stageObject(ws: Workspace, objects: Map<string, AtomicFile>, bytes: Uint8Array): string {
  const hash = sha256Bytes(bytes);
  if (!objects.has(hash) && !holdsObject(ws, hash))
    objects.set(hash, { path: objectPath(ws, hash), data: bytes, opts: { mode: 0o600 } });
  return hash;
}

/** Writes a snapshot's new objects as one batch, in their owner-only directory. */
function writeObjects(ws: Workspace, objects: ReadonlyMap<string, AtomicFile>): void {
  if (objects.size === 0) return;
  ws.system.mkdirp(join(backupsDir(ws), "objects"), 0o700);
  ws.system.writeAtomicMany([...objects.values()]);
}

/**
 * Records in a snapshot what a write left in each file it wrote (PRODUCT.md, Backups: "each write
 * also records the content it wrote"), so a restore without --id brings back the last state hatch
 * wrote, not the one before it. `content` undefined: the write removed the file.
 * @throws ApplyError when the store cannot be written (the files themselves are written already)
 */
export function recordWritten(
  ws: Workspace,
  snap: Snapshot,
  written: readonly { path: string; content: string | Uint8Array | undefined }[],
  opts: { lock?: LockOptions } = {},
): Snapshot {
  const byPath = new Map(written.map((w) => [w.path, w.content]));
  let lock: Lock | undefined;
  try {
    lock = storeLock(ws, opts.lock);
    const objects = new Map<string, AtomicFile>();
    const files = snap.files.map((f): SnapshotFile => {
      if (!byPath.has(f.path)) return f;
      const content = byPath.get(f.path);
      if (content === undefined) return { ...f, after: { existed: false } };
      const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
      const hash = stageObject(ws, objects, bytes);
      const st = ws.system.stat(f.path);
      return {
        ...f,
        after: { existed: true, sha256: hash, size: bytes.byteLength, ...(st ? { mode: st.mode } : {}) },
      };
    });
    const next = { ...snap, files };
    writeObjects(ws, objects);
    writeManifest(ws, next);
    return next;
  } catch (e) {
    if (e instanceof ApplyError) throw e;
    throw new ApplyError(
      `Cannot record the written files in backup snapshot "${snap.id}": ${describeErrno(e)}`,
      undefined,
      undefined,
      { cause: e },
    );
  } finally {
    lock?.release();
  }
}

function writeManifest(ws: Workspace, snap: Snapshot): void {
  ws.system.writeAtomic(join(snapshotsDir(ws), `${snap.id}.json`), `${JSON.stringify(snap, null, 2)}\n`, {
    mode: 0o600,
  });
}

const FileSchema = v.object({
  host: v.string(),
  path: v.string(),
  existed: v.boolean(),
  sha256: v.optional(v.pipe(v.string(), v.regex(HASH_RE, "sha256 must be 64 hex digits"))),
  mode: v.optional(v.pipe(v.number(), v.integer())),
  size: v.optional(v.pipe(v.number(), v.integer())),
  uid: v.optional(v.pipe(v.number(), v.integer())),
  after: v.optional(
    v.object({
      existed: v.boolean(),
      sha256: v.optional(v.pipe(v.string(), v.regex(HASH_RE, "sha256 must be 64 hex digits"))),
      mode: v.optional(v.pipe(v.number(), v.integer())),
      size: v.optional(v.pipe(v.number(), v.integer())),
    }),
  ),
});
const SnapshotSchema = v.object({
  id: v.string(),
  time: v.pipe(v.string(), v.isoTimestamp("time must be an ISO timestamp")),
  name: v.optional(v.string()),
  reason: v.string(),
  command: v.optional(v.string()),
  files: v.array(FileSchema),
});

export interface ManifestProblem {
  id: string;
  path: string;
  message: string;
}

function parseManifest(ws: Workspace, id: string): Snapshot {
  const path = join(snapshotsDir(ws), `${id}.json`);
  const damaged = (detail: string) =>
    new BackupCorruptError(`Backup snapshot "${id}" is damaged: manifest "${path}" ${detail}`, id, path);
  const text = ws.system.readText(path);
  if (text === undefined) throw damaged("is missing");
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw damaged(`is not valid JSON (${(e as Error).message})`);
  }
  const r = v.safeParse(SnapshotSchema, doc);
  if (!r.success) {
    const issue = r.issues[0];
    const at = issue ? v.getDotPath(issue) : undefined;
    throw damaged(`is invalid: ${at ? `${at}: ` : ""}${issue?.message ?? "unknown problem"}`);
  }
  const snap = r.output as Snapshot;
  if (snap.id !== id) throw damaged(`names another snapshot ("${snap.id}")`);
  for (const f of snap.files) {
    if (f.existed && !f.sha256) throw damaged(`is invalid: the file "${f.path}" has no sha256`);
    if (f.after?.existed && !f.after.sha256)
      throw damaged(`is invalid: the written state of "${f.path}" has no sha256`);
  }
  return snap;
}

function compareNewestFirst(a: Snapshot, b: Snapshot): number {
  const t = Date.parse(b.time) - Date.parse(a.time);
  return t !== 0 ? t : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Every snapshot, newest first, and the manifests that could not be read (never silently skipped). */
export function listSnapshots(ws: Workspace): { snapshots: Snapshot[]; problems: ManifestProblem[] } {
  const snapshots: Snapshot[] = [];
  const problems: ManifestProblem[] = [];
  for (const name of ws.system.list(snapshotsDir(ws))) {
    if (!name.endsWith(".json")) continue;
    const id = name.slice(0, -".json".length);
    if (!ID_RE.test(id)) continue;
    try {
      snapshots.push(parseManifest(ws, id));
    } catch (e) {
      if (!(e instanceof BackupCorruptError)) throw e;
      problems.push({ id, path: join(snapshotsDir(ws), name), message: e.message });
    }
  }
  snapshots.sort(compareNewestFirst);
  return { snapshots, problems };
}

/**
 * A snapshot by id or by an unambiguous prefix of its id.
 * @throws UsageError for an unknown or ambiguous id; BackupCorruptError for a damaged manifest
 */
export function findSnapshot(ws: Workspace, idOrPrefix: string): Snapshot {
  const ids = ws.system
    .list(snapshotsDir(ws))
    .filter((n) => n.endsWith(".json"))
    .map((n) => n.slice(0, -".json".length))
    .filter((id) => ID_RE.test(id));
  const exact = ids.find((id) => id === idOrPrefix);
  const matches = exact
    ? [exact]
    : idOrPrefix.length >= 4
      ? ids.filter((id) => id.startsWith(idOrPrefix))
      : [];
  if (matches.length === 0) {
    throw new UsageError(
      `Unknown backup snapshot "${idOrPrefix}"`,
      'Run "hatch mcp backup list" to see the snapshots',
    );
  }
  if (matches.length > 1) {
    throw new UsageError(
      `Backup snapshot "${idOrPrefix}" is ambiguous: it starts ${matches.length} ids (${matches.sort().slice(0, 3).join(", ")}${matches.length > 3 ? ", …" : ""})`,
      "Give more characters of the id",
    );
  }
  return parseManifest(ws, matches[0] as string);
}

/** An object's bytes (undefined when missing); a damaged one (a FIFO, too big) reads as missing. */
function readObject(ws: Workspace, obj: string): Uint8Array | undefined {
  try {
    return ws.system.readBytes(obj);
  } catch (e) {
    if (e instanceof RefusedFileError) return undefined;
    throw e;
  }
}

/**
 * The bytes a snapshot holds for a file, checked against its hash.
 * @throws BackupCorruptError naming the snapshot and the file when the object is missing or damaged
 */
export function readSnapshotBytes(ws: Workspace, snap: Snapshot, file: SnapshotFile): Uint8Array | undefined {
  if (!file.existed) return undefined;
  const hash = file.sha256 as string;
  const obj = storedObjectPath(ws, hash);
  const hint = `restore from another snapshot (run "hatch mcp backup list --host ${file.host}")`;
  let bytes: Uint8Array | undefined;
  try {
    bytes = ws.system.readBytes(obj);
  } catch (e) {
    throw new BackupCorruptError(
      `Backup snapshot "${snap.id}" is damaged: cannot read the stored copy of "${file.path}" (host "${file.host}") at "${obj}": ${e instanceof RefusedFileError ? e.detail : describeErrno(e)}`,
      snap.id,
      file.path,
      file.host,
    );
  }
  if (bytes === undefined) {
    throw new BackupCorruptError(
      `Backup snapshot "${snap.id}" is damaged: the stored copy of "${file.path}" (host "${file.host}") is missing ("${obj}"): ${hint}`,
      snap.id,
      file.path,
      file.host,
    );
  }
  if (sha256Bytes(bytes) !== hash) {
    throw new BackupCorruptError(
      `Backup snapshot "${snap.id}" is damaged: the stored copy of "${file.path}" (host "${file.host}") does not match its checksum ("${obj}"): ${hint}`,
      snap.id,
      file.path,
      file.host,
    );
  }
  return bytes;
}

/**
 * The content a snapshot holds for a file as text, checked against its hash.
 * @throws BackupCorruptError as readSnapshotBytes; RefusedFileError (exit 2) when the stored bytes
 * are not UTF-8 (the file was not UTF-8 when it was backed up: use readSnapshotBytes)
 */
export function readSnapshotFile(ws: Workspace, snap: Snapshot, file: SnapshotFile): string | undefined {
  const bytes = readSnapshotBytes(ws, snap, file);
  return bytes === undefined ? undefined : decodeUtf8(bytes, `${file.path} (in backup snapshot ${snap.id})`);
}

/** The file as its snapshot's write left it, as a SnapshotFile (undefined when not recorded). */
export function writtenFile(f: SnapshotFile): SnapshotFile | undefined {
  if (!f.after) return undefined;
  const { after, sha256: _s, size: _z, mode: _m, ...rest } = f;
  return {
    ...rest,
    existed: after.existed,
    ...(after.sha256 ? { sha256: after.sha256 } : {}),
    ...(after.mode !== undefined ? { mode: after.mode } : {}),
    ...(after.size !== undefined ? { size: after.size } : {}),
  };
}

/** Checks every object a snapshot refers to; returns one message per damaged file. */
export function verifySnapshot(ws: Workspace, snap: Snapshot): { file: SnapshotFile; message: string }[] {
  const out: { file: SnapshotFile; message: string }[] = [];
  for (const f of snap.files) {
    try {
      readSnapshotBytes(ws, snap, f);
      const w = writtenFile(f);
      if (w) readSnapshotBytes(ws, snap, w);
    } catch (e) {
      if (!(e instanceof BackupCorruptError)) throw e;
      out.push({ file: f, message: e.message });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Times and durations

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * "30d", "12h", "1w2d", "90s" → milliseconds (units s, m, h, d, w).
 * @throws UsageError for anything else, naming the flag
 */
export function parseDuration(text: string, flag = "--older-than"): number {
  const t = text.trim();
  const re = /(\d+(?:\.\d+)?)([smhdw])/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    matched = re.lastIndex;
  }
  if (t === "" || matched !== t.length) {
    throw new UsageError(
      `Invalid ${flag} "${text}": expected a number and a unit (s, m, h, d, w)`,
      `For example: ${flag} 30d, ${flag} 12h, ${flag} 1w`,
    );
  }
  return total;
}

/**
 * A point in time: an ISO 8601 date or date-time ("2026-01-31", "2026-01-31T12:00:00Z") or a
 * duration meaning that long ago ("2h", "7d").
 * @throws UsageError naming the flag
 */
export function parseTime(text: string, now = new Date(), flag = "--before"): Date {
  if (/^\d+(?:\.\d+)?[smhdw]/.test(text.trim())) return new Date(now.getTime() - parseDuration(text, flag));
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text.trim()) ? Date.parse(text.trim()) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new UsageError(
      `Invalid ${flag} "${text}": expected an ISO date or time, or an age such as 2h or 7d`,
      `For example: ${flag} 2026-01-31T12:00:00Z, ${flag} 2026-01-31, ${flag} 1d`,
    );
  }
  return new Date(ms);
}

// ---------------------------------------------------------------------------------------------
// Restore: a plan (pure reads), then an apply under locks with a safety snapshot first.

/** Which hosts a command means: the files of resolved targets, or recorded host names. */
export interface HostMatcher {
  label: string;
  paths: ReadonlySet<string>;
  names: ReadonlySet<string>;
}

export function matches(m: HostMatcher, f: SnapshotFile): boolean {
  return m.paths.has(f.path) || m.names.has(f.host);
}

/** The reason recorded on the safety snapshot a restore takes first. */
export const PRE_RESTORE = "pre-restore";

export interface RestoreSelection {
  snapshot: Snapshot;
  file: SnapshotFile;
  /** The state the snapshot's write left (`file` is then that state), not the one it found. */
  written?: boolean;
}

/**
 * Chooses what to restore. With `id`: that snapshot's files as they were found (only the matched
 * hosts' when `hosts` is given): it undoes that run. With `name` or `before`: per host, the newest
 * snapshot holding it that passes them, as found, never a restore's own safety snapshot (reason
 * "pre-restore"). With neither: per host, the last state hatch wrote or saw: the newest snapshot
 * holding it, as its write left the file when that was recorded (also a restore's, whose write is
 * the restored state), else as found (never a safety snapshot's found state: running the same
 * restore twice must not undo the first one). Hosts without any such snapshot are in `missing`.
 * @throws UsageError when nothing at all matches
 */
export function selectRestore(
  snapshots: readonly Snapshot[],
  opts: { hosts?: readonly HostMatcher[]; id?: Snapshot; name?: string; before?: Date },
): { selections: RestoreSelection[]; missing: string[] } {
  if (opts.id) {
    const snap = opts.id;
    const files = opts.hosts ? snap.files.filter((f) => opts.hosts?.some((m) => matches(m, f))) : snap.files;
    if (files.length === 0) {
      throw new UsageError(
        `Backup snapshot "${snap.id}" holds no file of ${opts.hosts?.map((m) => `"${m.label}"`).join(", ")}`,
        `It holds: ${snapshotHosts(snap).join(", ")}`,
      );
    }
    const missing = (opts.hosts ?? [])
      .filter((m) => !snap.files.some((f) => matches(m, f)))
      .map((m) => m.label);
    return { selections: files.map((file) => ({ snapshot: snap, file })), missing };
  }
  const hosts = opts.hosts ?? [];
  const selections: RestoreSelection[] = [];
  const missing: string[] = [];
  const taken = new Set<string>();
  const latest = opts.name === undefined && opts.before === undefined;
  for (const m of hosts) {
    let found = false;
    for (const s of snapshots) {
      if (opts.name !== undefined && s.name !== opts.name) continue;
      if (opts.before && Date.parse(s.time) >= opts.before.getTime()) continue;
      let fs = s.files.filter((f) => matches(m, f) && !taken.has(f.path));
      // A safety snapshot's found state is reached only by id; its written state is the latest.
      if (s.reason === PRE_RESTORE) fs = latest ? fs.filter((f) => f.after) : [];
      if (fs.length === 0) continue;
      for (const f of fs) {
        taken.add(f.path);
        const w = latest ? writtenFile(f) : undefined;
        selections.push(w ? { snapshot: s, file: w, written: true } : { snapshot: s, file: f });
      }
      found = true;
      break;
    }
    if (!found) missing.push(m.label);
  }
  if (selections.length === 0) {
    const what = [
      opts.name !== undefined ? `named "${opts.name}"` : "",
      opts.before ? `before ${opts.before.toISOString()}` : "",
    ]
      .filter(Boolean)
      .join(" ");
    throw new UsageError(
      `No backup snapshot${what ? ` ${what}` : ""} holds ${hosts.map((m) => `"${m.label}"`).join(", ") || "any host"}`,
      `Run "hatch mcp backup list" to see the snapshots, or "hatch mcp backup create --host HOST" to make one`,
    );
  }
  return { selections, missing };
}

export interface RestoreItem {
  host: string;
  path: string;
  snapshot: string;
  /** The content comes from what the snapshot's run wrote, not from what it found. */
  written?: boolean;
  /** write: content or mode differs; remove: the file did not exist at snapshot time; unchanged. */
  action: "write" | "remove" | "unchanged";
  /**
   * The file now ("" and exists=false when absent). With planRestore's `bytes` option, `bytes`
   * holds it exactly (undefined when absent) and `text` is for display only.
   */
  current: { exists: boolean; text: string; mode?: number; bytes?: Uint8Array };
  /**
   * What the snapshot holds (text undefined when the file did not exist). With the `bytes`
   * option, `bytes` is what to write (byte for byte) and `text` is for display only. `mode` is
   * left out when the file belonged to another user then (their mode is never applied).
   */
  target: { exists: boolean; text?: string; mode?: number; bytes?: Uint8Array };
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

/**
 * What restoring would change, file by file; reads and checks every object first, so a damaged
 * snapshot stops the restore before anything is written. With `bytes`, items carry the exact
 * bytes (current and target) and a file that is not UTF-8 is restored byte for byte; without it,
 * such a file is refused (RefusedFileError, exit 2) rather than written with replaced bytes.
 * @throws BackupCorruptError naming the snapshot and the file
 */
export function planRestore(
  ws: Workspace,
  selections: readonly RestoreSelection[],
  opts: { bytes?: boolean } = {},
): RestoreItem[] {
  const items: RestoreItem[] = [];
  const me = typeof process.geteuid === "function" ? process.geteuid() : undefined;
  for (const { snapshot, file, written } of selections) {
    const bytes = readSnapshotBytes(ws, snapshot, file);
    let text: string | undefined;
    if (bytes !== undefined) {
      const bad = invalidUtf8Offset(bytes);
      if (bad >= 0 && !opts.bytes) {
        throw new RefusedFileError(
          file.path,
          `its copy in backup snapshot "${snapshot.id}" is not valid UTF-8 (byte offset ${bad}), and this restore can only write text`,
        );
      }
      text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
    }
    let curBytes: Uint8Array | undefined;
    let curText: string | undefined;
    if (opts.bytes) {
      curBytes = ws.system.readBytes(file.path);
      curText =
        curBytes === undefined
          ? undefined
          : Buffer.from(curBytes.buffer, curBytes.byteOffset, curBytes.byteLength).toString("utf8");
    } else curText = ws.system.readText(file.path);
    const curMode = curText === undefined ? undefined : ws.system.stat(file.path)?.mode;
    const current = {
      exists: curText !== undefined,
      text: curText ?? "",
      ...(curMode !== undefined ? { mode: curMode } : {}),
      ...(curBytes !== undefined ? { bytes: curBytes } : {}),
    };
    // A mode recorded from another user's file is not applied (it was theirs to choose).
    const mode =
      file.mode !== undefined && (file.uid === undefined || me === undefined || file.uid === me)
        ? file.mode
        : undefined;
    const differs = opts.bytes ? !sameBytes(curBytes, bytes) : curText !== text;
    let action: RestoreItem["action"];
    if (!file.existed) action = current.exists ? "remove" : "unchanged";
    else if (!current.exists || differs) action = "write";
    else action = mode !== undefined && curMode !== mode ? "write" : "unchanged";
    items.push({
      host: file.host,
      path: file.path,
      snapshot: snapshot.id,
      ...(written ? { written: true } : {}),
      action,
      current,
      target: {
        exists: file.existed,
        ...(text !== undefined ? { text } : {}),
        ...(mode !== undefined ? { mode } : {}),
        ...(opts.bytes && bytes !== undefined ? { bytes } : {}),
      },
    });
  }
  return items;
}

// ---------------------------------------------------------------------------------------------
// Retention

export interface CleanPolicy {
  /** Keep the newest N snapshots of each host file. */
  keep?: number;
  /** Remove only snapshots older than this (ms). */
  olderThanMs?: number;
  /** Only these hosts' files are candidates (default: every file). */
  hosts?: readonly HostMatcher[];
  now?: Date;
}

export interface CleanPlan {
  /** Snapshots every file of which goes: the manifest is removed. */
  remove: Snapshot[];
  /** Snapshots that lose some files (other hosts' files stay): the manifest is rewritten. */
  prune: { snapshot: Snapshot; drop: SnapshotFile[]; keep: SnapshotFile[] }[];
}

/**
 * Applies retention per host file, newest first. A file's entry in a snapshot may go when every
 * given policy allows it: beyond the newest `keep` of that file AND older than `olderThanMs`.
 * Both together therefore keep the newest N and everything younger than the age.
 */
export function planClean(snapshots: readonly Snapshot[], policy: CleanPolicy): CleanPlan {
  if (policy.keep === undefined && policy.olderThanMs === undefined) {
    throw new UsageError(
      "Nothing to clean by: give --keep N, --older-than AGE, or both",
      "For example: --keep 24 --older-than 30d",
    );
  }
  const now = (policy.now ?? new Date()).getTime();
  const seen = new Map<string, number>();
  const plan: CleanPlan = { remove: [], prune: [] };
  for (const s of [...snapshots].sort(compareNewestFirst)) {
    const drop: SnapshotFile[] = [];
    const keep: SnapshotFile[] = [];
    for (const f of s.files) {
      if (policy.hosts && !policy.hosts.some((m) => matches(m, f))) {
        keep.push(f);
        continue;
      }
      const index = seen.get(f.path) ?? 0;
      seen.set(f.path, index + 1);
      const byKeep = policy.keep === undefined || index >= policy.keep;
      const byAge = policy.olderThanMs === undefined || Date.parse(s.time) < now - policy.olderThanMs;
      (byKeep && byAge ? drop : keep).push(f);
    }
    if (drop.length === 0) continue;
    if (keep.length === 0) plan.remove.push(s);
    else plan.prune.push({ snapshot: s, drop, keep });
  }
  return plan;
}

export interface CleanResult {
  plan: CleanPlan;
  /** Objects no remaining snapshot refers to (removed unless dry-run). */
  objects: string[];
  bytes: number;
  /** Damaged manifests: objects are then not collected (their references are unknown). */
  problems: ManifestProblem[];
  dryRun: boolean;
}

function referenced(snapshots: readonly Snapshot[]): Set<string> {
  const refs = new Set<string>();
  for (const s of snapshots)
    for (const f of s.files) {
      if (f.sha256) refs.add(f.sha256);
      if (f.after?.sha256) refs.add(f.after.sha256);
    }
  return refs;
}

/** Every object file in the store, flat or in an older store's fan-out directory: [name, path]. */
function allObjects(ws: Workspace): [string, string][] {
  const root = join(backupsDir(ws), "objects");
  const out: [string, string][] = [];
  for (const name of ws.system.list(root)) {
    if (name.length !== 2) {
      out.push([name, join(root, name)]);
      continue;
    }
    for (const inner of ws.system.list(join(root, name))) out.push([inner, join(root, name, inner)]);
  }
  return out;
}

/**
 * Plans retention and, unless `dryRun`, applies it under the store lock: manifests removed or
 * rewritten, then every object no snapshot refers to removed.
 * @throws UsageError when no policy is given
 */
export function cleanBackups(
  ws: Workspace,
  policy: CleanPolicy,
  opts: { dryRun: boolean; lock?: LockOptions },
): CleanResult {
  // Validate before taking the lock (a usage error writes nothing, not even a lock file).
  planClean([], policy);
  const run = (): CleanResult => {
    const { snapshots, problems } = listSnapshots(ws);
    const plan = planClean(snapshots, policy);
    const removed = new Set(plan.remove.map((s) => s.id));
    const pruned = new Map(plan.prune.map((p) => [p.snapshot.id, p.keep]));
    const after = snapshots
      .filter((s) => !removed.has(s.id))
      .map((s) => (pruned.has(s.id) ? { ...s, files: pruned.get(s.id) as SnapshotFile[] } : s));
    const refs = referenced(after);
    const objects: string[] = [];
    let bytes = 0;
    if (problems.length === 0) {
      for (const [name, path] of allObjects(ws)) {
        if (refs.has(name)) continue;
        objects.push(path);
        bytes += ws.system.stat(path)?.size ?? 0;
      }
    }
    if (!opts.dryRun) {
      for (const p of plan.prune) writeManifest(ws, { ...p.snapshot, files: p.keep });
      for (const s of plan.remove) ws.system.remove(join(snapshotsDir(ws), `${s.id}.json`));
      for (const o of objects) ws.system.remove(o);
    }
    return { plan, objects, bytes, problems, dryRun: opts.dryRun };
  };
  if (opts.dryRun || !ws.system.exists(backupsDir(ws))) return run();
  const lock = storeLock(ws, opts.lock);
  try {
    return run();
  } catch (e) {
    if (e instanceof ApplyError || e instanceof UsageError) throw e;
    throw new ApplyError(
      `Cannot clean the backups in "${backupsDir(ws)}": ${describeErrno(e)}`,
      undefined,
      undefined,
      {
        cause: e,
      },
    );
  } finally {
    lock.release();
  }
}
