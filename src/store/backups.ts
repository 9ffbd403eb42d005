// The backup store under HATCH_HOME/backups: content-addressed objects (objects/ab/<sha256>),
// so a file that did not change is stored once however many snapshots refer to it, and one JSON
// manifest per snapshot (snapshots/<id>.json). Everything is owner-only.
import { createHash, randomBytes } from "node:crypto";
import { join } from "node:path";
import type { Workspace } from "../api/workspace.ts";
import { ApplyError } from "../core/errors.ts";

export interface SnapshotFile {
  host: string;
  path: string;
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

export function backupsDir(ws: Workspace): string {
  return join(ws.hatchHome, "backups");
}

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function objectPath(ws: Workspace, hash: string): string {
  return join(backupsDir(ws), "objects", hash.slice(0, 2), hash);
}

export function newSnapshotId(now = new Date()): string {
  const t = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `${t}-${randomBytes(3).toString("hex")}`;
}

/**
 * Snapshots files as they are now: content stored once by hash, then the manifest.
 * @throws ApplyError when the store cannot be written (the caller must then write nothing)
 */
export function createSnapshot(
  ws: Workspace,
  opts: { reason: string; name?: string; command?: string; files: readonly { host: string; path: string }[] },
): Snapshot {
  const { system } = ws;
  const id = newSnapshotId();
  const files: SnapshotFile[] = [];
  try {
    system.mkdirp(join(backupsDir(ws), "snapshots"), 0o700);
    for (const f of opts.files) {
      const text = system.readText(f.path);
      if (text === undefined) {
        files.push({ host: f.host, path: f.path, existed: false });
        continue;
      }
      const hash = sha256(text);
      const obj = objectPath(ws, hash);
      if (!system.exists(obj)) {
        system.mkdirp(join(backupsDir(ws), "objects", hash.slice(0, 2)), 0o700);
        system.writeAtomic(obj, text, { mode: 0o600 });
      }
      const st = system.stat(f.path);
      files.push({
        host: f.host,
        path: f.path,
        existed: true,
        sha256: hash,
        ...(st ? { mode: st.mode, size: st.size } : {}),
      });
    }
    const snap: Snapshot = {
      id,
      time: new Date().toISOString(),
      ...(opts.name ? { name: opts.name } : {}),
      reason: opts.reason,
      ...(opts.command ? { command: opts.command } : {}),
      files,
    };
    system.writeAtomic(join(backupsDir(ws), "snapshots", `${id}.json`), `${JSON.stringify(snap, null, 2)}\n`, {
      mode: 0o600,
    });
    return snap;
  } catch (e) {
    if (e instanceof ApplyError) throw new ApplyError(`Cannot create a backup: ${e.message}`, undefined, e.path, { cause: e });
    throw new ApplyError(`Cannot create a backup in "${backupsDir(ws)}": ${(e as Error).message}`, undefined, undefined, {
      cause: e,
    });
  }
}
