// The public scripting API: `import { sync, env, host, backup } from "hatch"`. Only what is
// exported here is public. `hatch run script.ts` serves this module to scripts from inside the
// binary; `hatch types` writes its declarations for editors.
export {
  type BackupCreateOptions,
  type BackupRestoreOptions,
  type BackupRestoreResult,
  backup,
} from "./api/backup.ts";
export {
  type EnvRef,
  env,
  type HostRef,
  host,
  type Ref,
  type ServerFilter,
  StrictLossError,
  SyncBuilder,
  type SyncPlan,
  type SyncResult,
  sync,
} from "./api/sync.ts";
export { hosts, type HostSummary } from "./api/hosts.ts";
export type { HostOutcome } from "./apply/apply.ts";
export { ApplyError, ConfigError, HostParseError, UsageError } from "./core/errors.ts";
export type { RemoteServer, Server, StdioServer } from "./core/model.ts";
export type { ChangeAction, FieldChange, HostPlan, ServerChange } from "./core/plan.ts";
export type { Loss } from "./hosts/_adapter.ts";
export type { RestoreOutcome } from "./apply/restore.ts";
export type { RestoreItem, Snapshot, SnapshotFile } from "./store/backups.ts";
