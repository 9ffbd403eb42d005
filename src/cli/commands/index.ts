// Every command, in the order --help lists them. Adding a command = one line here.
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
import { secretCommands } from "./secret.ts";
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
  ...secretCommands,
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
