// The public scripting API: `import { sync, configure, remove, envs, hosts, backup, testServers }
// from "hatch"`. Only what is exported here is public. `hatch run script.ts` serves this module to
// scripts from inside the binary; `hatch types` writes its declarations for editors. Every CLI
// command is one of these calls (README, "Scripting").
export {
  type BackupCleanOptions,
  type BackupCreateOptions,
  type BackupCreateResult,
  type BackupDiffFile,
  type BackupListResult,
  type BackupRestoreOptions,
  type BackupRestoreResult,
  type BackupVerifyResult,
  backup,
  type RestorePlan,
} from "./api/backup.ts";
export {
  ConfigureBuilder,
  type ConfigurePlan,
  configure,
  RemoveBuilder,
  type RemovePlan,
  remove,
} from "./api/configure.ts";
export type { Plan, Result } from "./api/engine.ts";
export {
  type EnvCreateResult,
  type EnvDetail,
  type EnvRemoveResult,
  type EnvSummary,
  type EnvUseResult,
  envs,
} from "./api/envs.ts";
export {
  type ConfigResult,
  type ConfigWriteOptions,
  type HostSummary,
  hosts,
} from "./api/hosts.ts";
export type { ServerTestResult, TestFailure, TestReport } from "./api/mcptest.ts";
export { type EnvSource, envSources, type PullResult } from "./api/sources.ts";
export { type SecretEntry, type SecretRemoveResult, type SecretSetResult, secrets } from "./api/secrets.ts";
export { type TestServersOptions, testServers } from "./api/servertest.ts";
export {
  type EnvRef,
  env,
  type HostName,
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
export {
  checkWatch,
  type WatchChange,
  type WatchEvent,
  type WatchFiles,
  type WatchOptions,
  type WatchServiceOptions,
  type WatchServiceResult,
  type WatchSummary,
  type WatchTrigger,
  watch,
  watchService,
} from "./api/watch.ts";
export type { HostOutcome } from "./apply/apply.ts";
export type { RestoreOutcome } from "./apply/restore.ts";
export type { ServerSpec } from "./core/configure.ts";
export { ApplyError, ConfigError, HostParseError, UsageError } from "./core/errors.ts";
export type { RemoteServer, Server, StdioServer } from "./core/model.ts";
export type { ChangeAction, FieldChange, HostPlan, PlanTotals, ServerChange } from "./core/plan.ts";
export type { Loss } from "./core/adapter.ts";
export type { HostId } from "./hosts/registry.ts";
export type { RestoreItem, Snapshot, SnapshotFile } from "./store/backups.ts";
export type { Workspace } from "./store/workspace.ts";
