// `hatch host ...` (code: ../commands/host.ts).
import type { HostId } from "../../hosts/registry.ts";
import { type Command, JSON_OPTION } from "../command.ts";

/**
 * The built-in host ids, in the registry's order, for `host add --type`: a list here so the table
 * does not load the registry (every adapter and codec); table.test.ts holds it to HOSTS.
 */
export const BUILT_IN_HOST_IDS = [
  "claude-desktop",
  "claude-code",
  "cursor",
  "vscode",
  "lmstudio",
  "gemini",
  "codex",
  "kiro",
  "windsurf",
  "zed",
  "opencode",
  "goose",
  "claude-code-local",
  "vscode-insiders",
  "vscode-server",
  "visual-studio",
  "copilot-cli",
  "copilot-jetbrains",
  "windsurf-jetbrains",
  "cline",
  "cline-vscode",
  "roo-code",
  "kilo-code",
  "continue",
  "qwen",
  "antigravity",
  "amazon-q",
  "junie",
  "crush",
  "amp",
  "augment",
  "factory",
  "kimi",
  "mistral-vibe",
  "trae",
  "qoder",
  "mcphub",
] as const satisfies readonly HostId[];

const DRY_RUN = { type: "boolean", description: "Print what would change and write nothing" } as const;

export const hostAdd: Command = {
  path: ["host", "add"],
  summary: "Add a custom host: a built-in host's file format at a path you give",
  usage: "NAME --type ADAPTER --path FILE [--description D] [--dry-run]",
  positionals: [
    { name: "NAME", description: 'The custom host\'s name: letters, digits, ".", "_", "-"', required: true },
  ],
  options: {
    type: {
      type: "string",
      value: "ADAPTER",
      description: `The built-in host whose format the file uses (${BUILT_IN_HOST_IDS.join(", ")})`,
      complete: BUILT_IN_HOST_IDS,
    },
    path: {
      type: "string",
      value: "FILE",
      description:
        "The config file: an absolute path, ~/… (expanded), or ssh://[user@]machine[:port]/path on another machine (/~/path: under its HOME)",
      complete: "files",
    },
    description: { type: "string", value: "TEXT", description: "What the host is" },
    "dry-run": DRY_RUN,
    json: JSON_OPTION,
  },
  examples: [
    "hatch host add staging-claude --type claude-desktop --path /srv/mcp/staging/claude_desktop_config.json",
    "hatch host add ws1-cursor --type cursor --path ssh://me@ws1/~/.cursor/mcp.json",
    "hatch mcp sync --from-host staging-claude --to-host production-hosts --auto-approve",
  ],
  run: (inv) => import("../commands/host.ts").then((m) => m.runHostAdd(inv)),
};

export const hostRemove: Command = {
  path: ["host", "remove"],
  summary: "Remove a custom host (its config file is not touched)",
  usage: "NAME [--dry-run]",
  positionals: [{ name: "NAME", description: "A custom host", required: true, complete: "custom-hosts" }],
  options: { "dry-run": DRY_RUN, json: JSON_OPTION },
  examples: ["hatch host remove staging-claude"],
  run: (inv) => import("../commands/host.ts").then((m) => m.runHostRemove(inv)),
};

export const hostList: Command = {
  path: ["host", "list"],
  summary: "List custom hosts and host groups",
  usage: "[--json]",
  options: { json: JSON_OPTION },
  examples: ["hatch host list", "hatch host list --json"],
  run: (inv) => import("../commands/host.ts").then((m) => m.runHostList(inv)),
};

export const hostGroup: Command = {
  path: ["host", "group"],
  summary: "Create or replace a host group: a named list of hosts and groups",
  usage: "NAME MEMBER[,MEMBER...] [--dry-run]",
  positionals: [
    { name: "NAME", description: "The group's name", required: true },
    {
      name: "MEMBERS",
      description: "Built-in hosts, custom hosts or groups, comma-separated",
      required: true,
    },
  ],
  options: { "dry-run": DRY_RUN, json: JSON_OPTION },
  examples: [
    "hatch host group production-hosts claude-desktop,cursor,vscode",
    "hatch mcp sync --from-env production --to-host production-hosts --auto-approve",
  ],
  run: (inv) => import("../commands/host.ts").then((m) => m.runHostGroup(inv)),
};

export const hostUngroup: Command = {
  path: ["host", "ungroup"],
  summary: "Remove a host group (its members are not touched)",
  usage: "NAME [--dry-run]",
  positionals: [{ name: "NAME", description: "A host group", required: true, complete: "groups" }],
  options: { "dry-run": DRY_RUN, json: JSON_OPTION },
  examples: ["hatch host ungroup production-hosts"],
  run: (inv) => import("../commands/host.ts").then((m) => m.runHostUngroup(inv)),
};

export const hostDiscover: Command = {
  path: ["host", "discover"],
  summary: "List the built-in hosts on another machine (over ssh) and the commands that add them",
  usage: "ssh://[user@]MACHINE[:PORT] [--json]",
  positionals: [
    {
      name: "MACHINE",
      description:
        "The machine, as ssh://[user@]machine[:port] (your ssh config, agent and known_hosts apply)",
      required: true,
    },
  ],
  options: { json: JSON_OPTION },
  examples: ["hatch host discover ssh://ws1", "hatch host discover ssh://me@ws1:2222 --json"],
  run: (inv) => import("../commands/host.ts").then((m) => m.runHostDiscover(inv)),
};
