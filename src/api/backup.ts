// The backup store as both faces use it: the CLI's `hatch mcp backup …` and the scripting API's
// `backup.create/list/show/diff/restore/clean/verify`.
import { applyRestore, type RestoreOutcome } from "../apply/restore.ts";
import { isPlainObject } from "../core/edits.ts";
import { UsageError } from "../core/errors.ts";
import { ENTITY_NAME_RE, SECRET_FIELDS } from "../core/model.ts";
import type { HostAdapter } from "../core/adapter.ts";
import { rawEntries } from "../core/container.ts";
import { findHost } from "../hosts/registry.ts";
import {
  type CleanResult,
  cleanBackups,
  findSnapshot,
  type HostMatcher,
  listSnapshots,
  type ManifestProblem,
  matches,
  parseDuration,
  parseTime,
  planRestore,
  type RestoreItem,
  recordWritten,
  type Snapshot,
  selectRestore,
  takeSnapshot,
  verifySnapshot,
} from "../store/backups.ts";
import { resolveTargets, splitList } from "../store/targets.ts";
import { defaultWorkspace, type Workspace } from "../store/workspace.ts";
import type { HostName } from "./sync.ts";

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
    throw new UsageError("The list of hosts is empty", "Give host names separated by commas, or all");
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

/** The diff library, loaded when a diff is made (not on every start-up: ~1 ms). */
function diffLib(): typeof import("diff") {
  return require("diff") as typeof import("diff");
}

function wsOf(opts: { workspace?: Workspace } | undefined): Workspace {
  return opts?.workspace ?? defaultWorkspace();
}

export interface BackupCreateOptions {
  /** Host names, custom hosts, groups, comma lists or "all". */
  hosts: HostName | readonly HostName[];
  /** A label (letters, digits, ".", "_", "-"; at most 128). */
  name?: string;
  /** Recorded in the manifest (default "script"). */
  label?: string;
  workspace?: Workspace;
}

/**
 * The snapshot taken, how many contents it stored for the first time (an unchanged file is stored
 * once), and the host files on machines that could not be reached (left out; `ok` is false then).
 */
export type BackupCreateResult = Snapshot & {
  newObjects: number;
  unreachable: { host: string; path: string; error: string }[];
  ok: boolean;
};

/** Snapshots the current files of the given hosts into the backup store. */
async function create(opts: BackupCreateOptions): Promise<BackupCreateResult> {
  const ws = wsOf(opts);
  if (opts.hosts === undefined || splitList(opts.hosts).length === 0)
    throw new UsageError(
      "No hosts to back up: name them, or all",
      'For example: backup.create({ hosts: "all" })',
    );
  const name = opts.name;
  if (name !== undefined && (!ENTITY_NAME_RE.test(name) || name.length > 128)) {
    throw new UsageError(
      `Invalid backup name "${name}": names may contain letters, digits, ".", "_", "-" (at most 128)`,
      'For example: "disaster-recovery-2026-01-31"',
    );
  }
  const targets = resolveTargets(ws, opts.hosts);
  if (targets.length === 0) {
    throw new UsageError(
      `No hosts to back up: ${JSON.stringify(splitList(opts.hosts).join(","))} names no host on this machine`,
      'Run "hatch mcp discover hosts" to list hosts',
    );
  }
  // A machine that cannot be reached fails its hosts, not the backup of the others.
  const r = takeSnapshot(ws, {
    reason: "manual",
    ...(name ? { name } : {}),
    command: opts.label ?? "script",
    files: targets.map((t) => ({ host: t.name, path: t.path })),
    skipUnreachable: true,
  });
  const { unreachable } = r;
  return { ...r.snapshot, newObjects: r.newObjects, unreachable, ok: unreachable.length === 0 };
}

/** Snapshots, newest first, each with the hosts it holds that were asked for; `problems`: manifests that cannot be read. */
export type BackupListResult = (Snapshot & { matchedHosts: string[] })[] & { problems: ManifestProblem[] };

/** Snapshots in the store, newest first; with `hosts`, only those holding one of them. */
async function list(
  opts: { hosts?: HostName | readonly HostName[]; workspace?: Workspace } = {},
): Promise<BackupListResult> {
  const ws = wsOf(opts);
  const { snapshots, problems } = listSnapshots(ws);
  const ms = opts.hosts !== undefined ? hostMatchers(ws, opts.hosts, snapshots) : undefined;
  const shown = ms ? snapshots.filter((s) => s.files.some((f) => ms.some((m) => matches(m, f)))) : snapshots;
  const out = shown.map((s) => ({
    ...s,
    matchedHosts: [
      ...new Set(s.files.filter((f) => !ms || ms.some((m) => matches(m, f))).map((f) => f.host)),
    ],
  }));
  return Object.assign(out, { problems });
}

/** One snapshot with its files, each marked intact or not. */
async function show(
  id: string,
  opts: { workspace?: Workspace } = {},
): Promise<Snapshot & { damaged: { path: string; message: string }[]; ok: boolean }> {
  const ws = wsOf(opts);
  const snap = findSnapshot(ws, id);
  const damaged = verifySnapshot(ws, snap).map((d) => ({ path: d.file.path, message: d.message }));
  return { ...snap, damaged, ok: damaged.length === 0 };
}

/** Secret values (env, headers) of the servers in a host file's text, to redact from diffs. */
function secretValues(adapter: HostAdapter | undefined, text: string, path: string): string[] {
  if (!adapter || text === "") return [];
  const out: string[] = [];
  try {
    const doc = adapter.format.parse(text, path);
    for (const [name, raw] of rawEntries(adapter.container, doc)) {
      try {
        const s = adapter.decode(name, raw) as unknown as Record<string, unknown>;
        for (const field of SECRET_FIELDS) {
          const m = s[field];
          if (!isPlainObject(m)) continue;
          for (const val of Object.values(m)) {
            // References such as ${API_KEY} are not secrets; showing them helps.
            if (typeof val === "string" && val.length > 0 && !/\$\{|\{env:/.test(val)) out.push(val);
          }
        }
      } catch {}
    }
  } catch {}
  return out;
}

function adapterFor(ws: Workspace, host: string, path: string): HostAdapter | undefined {
  try {
    const t = resolveTargets(ws, host).find((x) => x.path === path);
    if (t) return t.adapter;
  } catch {}
  return findHost(host);
}

function redactText(text: string, secrets: readonly string[]): string {
  let r = text;
  for (const s of [...new Set(secrets)].sort((a, b) => b.length - a.length)) {
    r = r.split(s).join("******");
    const json = JSON.stringify(s).slice(1, -1);
    if (json !== s) r = r.split(json).join("******");
  }
  return r;
}

function patchOf(ws: Workspace, i: RestoreItem, showSecrets: boolean): string {
  const oldName = i.current.exists ? `a${i.path.startsWith("/") ? "" : "/"}${i.path}` : "/dev/null";
  const newName = i.target.exists ? `b${i.path.startsWith("/") ? "" : "/"}${i.path}` : "/dev/null";
  let patch =
    i.current.text === (i.target.text ?? "")
      ? ""
      : diffLib().createTwoFilesPatch(
          oldName,
          newName,
          i.current.text,
          i.target.text ?? "",
          "current",
          `snapshot ${i.snapshot}`,
        );
  if (!showSecrets && patch) {
    const adapter = adapterFor(ws, i.host, i.path);
    patch = redactText(patch, [
      ...secretValues(adapter, i.current.text, i.path),
      ...secretValues(adapter, i.target.text ?? "", i.path),
    ]);
  }
  return patch.replace(/^=+\n/, "");
}

function octal(mode: number | undefined): string | null {
  return mode === undefined ? null : `0${(mode & 0o7777).toString(8).padStart(3, "0")}`;
}

export interface BackupDiffFile {
  host: string;
  path: string;
  action: RestoreItem["action"];
  modeBefore: string | null;
  modeAfter: string | null;
  /** A unified diff from the file now to the snapshot's copy (secret values redacted unless showSecrets). */
  patch: string;
}

/** What restoring a snapshot would change: a unified diff per file. */
async function diff(
  id: string,
  opts: { hosts?: HostName | readonly HostName[]; showSecrets?: boolean; workspace?: Workspace } = {},
): Promise<{ snapshot: string; files: BackupDiffFile[]; changes: number }> {
  const ws = wsOf(opts);
  const snap = findSnapshot(ws, id);
  const hosts = opts.hosts !== undefined ? hostMatchers(ws, opts.hosts, [snap]) : undefined;
  const { selections } = selectRestore([snap], { id: snap, ...(hosts ? { hosts } : {}) });
  const items = planRestore(ws, selections);
  return {
    snapshot: snap.id,
    files: items.map((i) => ({
      host: i.host,
      path: i.path,
      action: i.action,
      modeBefore: i.current.exists ? octal(i.current.mode) : null,
      modeAfter: i.target.exists ? octal(i.target.mode) : null,
      patch: patchOf(ws, i, opts.showSecrets === true),
    })),
    changes: items.filter((i) => i.action !== "unchanged").length,
  };
}

export interface BackupRestoreOptions {
  /** Hosts to restore (default with `id`: every file of that snapshot). */
  hosts?: HostName | readonly HostName[];
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
  /** Recorded in the safety snapshot's manifest. */
  label?: string;
  workspace?: Workspace;
}

/** What a restore would do: one item per file, and the hosts no snapshot holds. */
export interface RestorePlan {
  items: RestoreItem[];
  /** Hosts asked for that no snapshot holds (skipped). */
  missing: string[];
  /** Manifests that cannot be read (one of them might have been the newest for a host). */
  problems: ManifestProblem[];
  /** Whether applying would change any file. */
  drift: boolean;
  toJSON(): unknown;
}

export interface BackupRestoreResult {
  plan: RestorePlan;
  items: RestoreItem[];
  outcomes: RestoreOutcome[];
  dryRun: boolean;
  /** The safety snapshot that undoes this restore. */
  safetyId?: string;
  ok: boolean;
  toJSON(): unknown;
}

const itemJson = (i: RestoreItem) => ({ host: i.host, path: i.path, snapshot: i.snapshot, action: i.action });

/** Plans a restore (reads the store and the files; writes nothing). */
async function planRestoreOf(opts: BackupRestoreOptions): Promise<RestorePlan> {
  const ws = wsOf(opts);
  if (opts.id !== undefined && (opts.name !== undefined || opts.before !== undefined)) {
    throw new UsageError(
      "Give an id, or a name/before, not both",
      "An id names one snapshot; a name or a time chooses one per host",
    );
  }
  if (opts.id === undefined && opts.hosts === undefined)
    throw new UsageError(
      "Name the hosts to restore, or all, or give a snapshot id",
      'For example: { hosts: "cursor" }',
    );
  const { snapshots, problems } = listSnapshots(ws);
  const snap = opts.id !== undefined ? findSnapshot(ws, opts.id) : undefined;
  const hosts =
    opts.hosts !== undefined ? hostMatchers(ws, opts.hosts, snap ? [snap] : snapshots) : undefined;
  const before = opts.before instanceof Date ? opts.before : opts.before ? parseTime(opts.before) : undefined;
  const { selections, missing } = selectRestore(snapshots, {
    ...(hosts ? { hosts } : {}),
    ...(snap ? { id: snap } : {}),
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    ...(before ? { before } : {}),
  });
  // Bytes: a file that is not valid UTF-8 is restored byte for byte, not refused or re-encoded.
  const items = planRestore(ws, selections, { bytes: true });
  const drift = items.some((i) => i.action !== "unchanged");
  return {
    items,
    missing,
    problems: snap ? [] : problems,
    drift,
    toJSON: () => ({ drift, files: items.map(itemJson), missing }),
  };
}

/** Applies a restore plan: lock, safety snapshot, atomic writes with the recorded modes, read back. */
async function applyRestorePlan(
  plan: RestorePlan,
  opts: Pick<BackupRestoreOptions, "noBackup" | "label" | "workspace" | "dryRun"> & {
    confirmed?: boolean;
  } = {},
): Promise<BackupRestoreResult> {
  const ws = wsOf(opts);
  const dryRun = opts.dryRun === true;
  const r = dryRun
    ? { outcomes: [] as RestoreOutcome[], safety: undefined }
    : applyRestore(ws, plan.items, {
        backup: !opts.noBackup,
        command: opts.label ?? "script",
        confirmed: opts.confirmed === true,
      });
  // The safety snapshot also records what the restore wrote: that is now the last state hatch
  // wrote, which the next `restore --host` without a selector brings back.
  if (r.safety) {
    const byPath = new Map(plan.items.map((i) => [i.path, i]));
    const written = r.outcomes.flatMap((o) => {
      const i = byPath.get(o.path);
      if (!i || (o.status !== "restored" && o.status !== "removed")) return [];
      return [
        {
          path: o.path,
          content: o.status === "removed" ? undefined : (i.target.bytes ?? i.target.text ?? ""),
        },
      ];
    });
    if (written.length > 0) {
      try {
        recordWritten(ws, r.safety, written);
      } catch {
        // The files are restored; without the record the next restore starts from the snapshots.
      }
    }
  }
  const ok = r.outcomes.every((o) => o.status !== "failed");
  const safetyId = r.safety?.id;
  return {
    plan,
    items: plan.items,
    outcomes: r.outcomes,
    dryRun,
    ...(safetyId ? { safetyId } : {}),
    ok,
    toJSON: () => ({
      dryRun,
      ok,
      safetySnapshot: safetyId ?? null,
      files: dryRun ? plan.items.map(itemJson) : r.outcomes.map((o) => ({ ...o, error: o.error ?? null })),
      missing: plan.missing,
    }),
  };
}

/** Restores files from a snapshot: a plan, a safety snapshot, atomic writes. */
async function restore(opts: BackupRestoreOptions): Promise<BackupRestoreResult> {
  return applyRestorePlan(await planRestoreOf(opts), opts);
}

export interface BackupCleanOptions {
  /** Keep the newest N snapshots of each host file. */
  keep?: number;
  /** Remove only snapshots older than this: milliseconds or an age such as "30d". */
  olderThan?: number | string;
  /** Only these hosts' backups. */
  hosts?: HostName | readonly HostName[];
  dryRun?: boolean;
  workspace?: Workspace;
}

/** Applies retention: removes old snapshots and the content nothing refers to any more. */
async function clean(opts: BackupCleanOptions): Promise<CleanResult & { dryRun: boolean; ok: boolean }> {
  const ws = wsOf(opts);
  if (opts.keep !== undefined && (!Number.isInteger(opts.keep) || opts.keep < 0))
    throw new UsageError(
      `Invalid keep ${JSON.stringify(opts.keep)}: expected a whole number, 0 or more`,
      "For example: 24",
    );
  const olderThanMs = typeof opts.olderThan === "string" ? parseDuration(opts.olderThan) : opts.olderThan;
  const hosts =
    opts.hosts !== undefined ? hostMatchers(ws, opts.hosts, listSnapshots(ws).snapshots) : undefined;
  const dryRun = opts.dryRun === true;
  const r = cleanBackups(
    ws,
    {
      ...(opts.keep !== undefined ? { keep: opts.keep } : {}),
      ...(olderThanMs !== undefined ? { olderThanMs } : {}),
      ...(hosts ? { hosts } : {}),
    },
    { dryRun },
  );
  return { ...r, dryRun, ok: r.problems.length === 0 };
}

export interface BackupVerifyResult {
  ok: boolean;
  snapshots: number;
  files: number;
  /** Each damaged file or unreadable manifest. */
  problems: { snapshot: string; host?: string; path: string; message: string }[];
}

/** Checks that every snapshot (or one) can be read and its stored content matches its checksum. */
async function verify(id?: string, opts: { workspace?: Workspace } = {}): Promise<BackupVerifyResult> {
  const ws = wsOf(opts);
  const listed = id !== undefined ? { snapshots: [findSnapshot(ws, id)], problems: [] } : listSnapshots(ws);
  const problems: BackupVerifyResult["problems"] = listed.problems.map((p) => ({
    snapshot: p.id,
    path: p.path,
    message: p.message,
  }));
  let files = 0;
  for (const s of listed.snapshots) {
    files += s.files.length;
    for (const d of verifySnapshot(ws, s))
      problems.push({ snapshot: s.id, host: d.file.host, path: d.file.path, message: d.message });
  }
  return { ok: problems.length === 0, snapshots: listed.snapshots.length, files, problems };
}

export const backup = {
  create,
  list,
  show,
  diff,
  restore,
  planRestore: planRestoreOf,
  applyRestore: applyRestorePlan,
  clean,
  verify,
};
