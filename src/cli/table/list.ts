// `hatch mcp list servers|hosts` (code: ../commands/list.ts).
import { type Command, JSON_OPTION, PROJECT_OPTION, SHOW_SECRETS_OPTION } from "../command.ts";

export const listServers: Command = {
  path: ["mcp", "list", "servers"],
  summary: "List the servers configured in a host (or in every detected host)",
  usage: "[--host H | --env E] [--json]",
  options: {
    host: {
      type: "string",
      value: "HOST",
      description:
        "Only these hosts: an id, a custom host, a group, a comma list, or all (default: the current environment if one is set, else every detected host)",
      complete: "hosts",
    },
    env: {
      type: "string",
      value: "ENV",
      description: "The servers of an environment instead of hosts",
      complete: "envs",
    },
    project: PROJECT_OPTION,
    json: JSON_OPTION,
    "show-secrets": SHOW_SECRETS_OPTION,
  },
  examples: [
    "hatch mcp list servers --host claude-desktop",
    "hatch mcp list servers --host staging-claude",
    "hatch mcp list servers --env production",
    "hatch mcp list servers --json",
  ],
  run: (inv) => import("../commands/list.ts").then((m) => m.runListServers(inv)),
};

export const listHosts: Command = {
  path: ["mcp", "list", "hosts"],
  summary: "List the detected hosts and how many servers each configures",
  usage: "[--json]",
  options: { project: PROJECT_OPTION, json: JSON_OPTION },
  examples: ["hatch mcp list hosts"],
  run: (inv) => import("../commands/list.ts").then((m) => m.runListHosts(inv)),
};
