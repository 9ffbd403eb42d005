// The command table: every command, in the order --help lists them, as a light descriptor (words,
// summary, usage, flags, examples) whose run() imports the command's module on first call, so a run
// loads only the code of the command it runs (the bundler makes a chunk of each module). Adding a
// command = a descriptor in table/X.ts, one line here, its run function in commands/X.ts.
import type { Command } from "../command.ts";
import {
  backupClean,
  backupCreate,
  backupDiff,
  backupList,
  backupRestore,
  backupShow,
  backupVerify,
} from "./backup.ts";
import { completeCommand, completionsCommand } from "./completions.ts";
import { configureCommand, removeServerCommand } from "./configure.ts";
import { discoverHosts } from "./discover.ts";
import { envCreate, envCurrent, envList, envRemove, envShow, envUse } from "./env.ts";
import { envPull, envSourceAdd, envSourceList, envSourceRemove } from "./envsource.ts";
import { hostAdd, hostDiscover, hostGroup, hostList, hostRemove, hostUngroup } from "./host.ts";
import { listHosts, listServers } from "./list.ts";
import { mcpTestCommand } from "./mcptest.ts";
import { runCommand, typesCommand } from "./run.ts";
import { secretList, secretRemove, secretSet } from "./secret.ts";
import { syncCommand } from "./sync.ts";
import { watchCommand } from "./watch.ts";

export const COMMANDS: readonly Command[] = [
  envCreate,
  envUse,
  envCurrent,
  envList,
  envShow,
  envRemove,
  envSourceAdd,
  envSourceList,
  envSourceRemove,
  envPull,
  hostAdd,
  hostRemove,
  hostList,
  hostGroup,
  hostUngroup,
  hostDiscover,
  discoverHosts,
  listHosts,
  listServers,
  configureCommand,
  removeServerCommand,
  syncCommand,
  watchCommand,
  mcpTestCommand,
  secretSet,
  secretList,
  secretRemove,
  backupCreate,
  backupList,
  backupShow,
  backupDiff,
  backupRestore,
  backupClean,
  backupVerify,
  runCommand,
  typesCommand,
  completionsCommand,
  completeCommand,
];
