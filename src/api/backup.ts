// The scripting API's face of the backup store.
import { createSnapshot, type Snapshot } from "../store/backups.ts";
import { resolveTargets } from "./targets.ts";
import { defaultWorkspace, type Workspace } from "./workspace.ts";

export interface BackupCreateOptions {
  /** Host names, custom hosts, groups, comma lists or "all". */
  hosts: string | readonly string[];
  name?: string;
  workspace?: Workspace;
}

/** Snapshots the current files of the given hosts into the backup store. */
async function create(opts: BackupCreateOptions): Promise<Snapshot> {
  const ws = opts.workspace ?? defaultWorkspace();
  const targets = resolveTargets(ws, opts.hosts);
  return createSnapshot(ws, {
    reason: "manual",
    ...(opts.name ? { name: opts.name } : {}),
    command: "script",
    files: targets.map((t) => ({ host: t.name, path: t.path })),
  });
}

export const backup = { create };
