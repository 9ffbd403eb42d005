// Every command, in the order --help lists them. Adding a command = one line here.
import type { Command } from "../command.ts";
import { discoverHosts } from "./discover.ts";
import { listHosts, listServers } from "./list.ts";
import { mcpTestCommand } from "./mcptest.ts";
import { runCommand, typesCommand } from "./run.ts";
import { syncCommand } from "./sync.ts";

export const COMMANDS: readonly Command[] = [discoverHosts, listHosts, listServers, syncCommand, mcpTestCommand, runCommand, typesCommand];
