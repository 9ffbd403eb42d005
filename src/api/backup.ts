// The backup store as both faces use it: the CLI's `hatch mcp backup …` and the scripting API's
// `backup.create/list/restore`.
import { applyRestore, type RestoreOutcome } from "../apply/restore.ts";
import { UsageError } from "../core/errors.ts";
import {
  findSnapshot,
  type HostMatcher,
  listSnapshots,
  parseTime,
  planRestore,
  type RestoreItem,
  type Snapshot,
  selectRestore,
  takeSnapshot,
} from "../store/backups.ts";
import { resolveTargets, splitList } from "../store/targets.ts";
import { defaultWorkspace, type Workspace } from "../store/workspace.ts";

/**
 * Matchers for `--host` values: each name resolves through custom hosts and groups; a name that no
 * longer resolves (a custom host removed since) still matches snapshot files recorded under it.
 * @throws UsageError for an empty list or an unknown name found in no snapshot
 */
export function hostMatchers(
  ws: Workspace,
  spec: string | readonly string[],
  snapshots: readonly Snapshot[],
): HostMatcher[] {
  const names = splitList(spec);
  if (names.length === 0)
    throw new UsageError("--host is empty", "Give host names separated by commas, or all");
  const out: HostMatcher[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    try {
      for (const t of resolveTargets(ws, name)) {
        if (seen.has(t.path)) continue;
        seen.add(t.path);
        out.push({ label: t.name, paths: new Set([t.path]), names: new Set([t.name]) });
      }
    } catch (e) {
      if (!(e instanceof UsageError) || !snapshots.some((s) => s.files.some((f) => f.host === name))) throw e;
      out.push({ label: name, paths: new Set(), names: new Set([name]) });
    }
  }
  return out;
}

export interface BackupCreateOptions {
  /** Host names, custom hosts, groups, comma lists or "all". */
  hosts: string | readonly string[];
  name?: string;
  workspace?: Workspace;
}

export interface BackupRestoreOptions {
  /** Hosts to restore (default with `id`: every file of that snapshot). */
  hosts?: string | readonly string[];
  /** A snapshot id (or a unique prefix). */
  id?: string;
  /** The newest snapshot with this name. */
  name?: string;
  /** The newest snapshot taken before this time (a date or an age like "2h"). */
  before?: string | Date;
  /** Plan only. */
  dryRun?: boolean;
  /** Skip the safety snapshot taken before restoring. */
  noBackup?: boolean;
  workspace?: Workspace;
}

export interface BackupRestoreResult {
  items: RestoreItem[];
  outcomes: RestoreOutcome[];
  /** The safety snapshot that undoes this restore. */
  safetyId?: string;
  ok: boolean;
}

/** Snapshots the current files of the given hosts into the backup store. */
async function create(opts: BackupCreateOptions): Promise<Snapshot> {
  const ws = opts.workspace ?? defaultWorkspace();
  const targets = resolveTargets(ws, opts.hosts);
  return takeSnapshot(ws, {
    reason: "manual",
    ...(opts.name ? { name: opts.name } : {}),
    command: "script",
    files: targets.map((t) => ({ host: t.name, path: t.path })),
  }).snapshot;
}

/** Every snapshot in the store, newest first. */
async function list(opts: { workspace?: Workspace } = {}): Promise<Snapshot[]> {
  return listSnapshots(opts.workspace ?? defaultWorkspace()).snapshots;
}

/** Restores files from a snapshot: a plan, a safety snapshot, atomic writes. */
async function restore(opts: BackupRestoreOptions): Promise<BackupRestoreResult> {
  const ws = opts.workspace ?? defaultWorkspace();
  if (!opts.id && !opts.hosts) throw new TypeError("backup.restore() needs hosts or an id");
  const { snapshots } = listSnapshots(ws);
  const hosts = opts.hosts ? hostMatchers(ws, opts.hosts, snapshots) : undefined;
  const before = opts.before instanceof Date ? opts.before : opts.before ? parseTime(opts.before) : undefined;
  const { selections } = selectRestore(snapshots, {
    ...(hosts ? { hosts } : {}),
    ...(opts.id ? { id: findSnapshot(ws, opts.id) } : {}),
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    ...(before ? { before } : {}),
  });
  const items = planRestore(ws, selections);
  if (opts.dryRun) return { items, outcomes: [], ok: true };
  const r = applyRestore(ws, items, { backup: !opts.noBackup, command: "script" });
  return {
    items,
    outcomes: r.outcomes,
    ...(r.safety ? { safetyId: r.safety.id } : {}),
    ok: r.outcomes.every((o) => o.status !== "failed"),
  };
}

export const backup = { create, list, restore };
