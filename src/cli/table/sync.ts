// `hatch mcp sync` (code: ../commands/sync.ts).
import {
  type Command,
  JSON_OPTION,
  PROJECT_OPTION,
  SELECTION_OPTIONS,
  SHOW_SECRETS_OPTION,
} from "../command.ts";

export const syncCommand: Command = {
  path: ["mcp", "sync"],
  summary: "Copy servers from a host or environment to other hosts (plan, preview, confirm, apply)",
  usage:
    "[--from-host H | --from-env E] (--to-host LIST|GROUP|all | --to-env E) [--servers a,b] [--pattern REGEX] [--dry-run] [--check] [--auto-approve] [--no-backup] [--mirror] [--strict] [--json]",
  options: {
    ...SELECTION_OPTIONS,
    "to-env": {
      type: "string",
      value: "ENV",
      description: "Capture the servers into an environment",
      complete: "envs",
    },
    "dry-run": { type: "boolean", description: "Print the plan and write nothing" },
    check: {
      type: "boolean",
      description: "Exit 3 if the targets differ from the source, 0 if in sync; write nothing",
    },
    "auto-approve": {
      type: "boolean",
      short: "y",
      description: "Apply without asking (also HATCH_AUTO_APPROVE=1)",
    },
    "no-backup": { type: "boolean", description: "Do not snapshot the target files before writing" },
    strict: {
      type: "boolean",
      description: "Fail (exit 2, nothing written) if the conversion would lose anything",
    },
    "verify-servers": {
      type: "boolean",
      description:
        "Then start every selected server on every target as its host would and check the MCP handshake, also when nothing changed (exit 1 if one fails)",
    },
    project: PROJECT_OPTION,
    json: JSON_OPTION,
    "show-secrets": SHOW_SECRETS_OPTION,
  },
  examples: [
    "hatch mcp sync --from-host claude-desktop --to-host cursor,vscode,lmstudio",
    'hatch mcp sync --from-env production --to-host all --pattern "^(?!.*-(beta|alpha|dev)).*" --dry-run',
    "hatch mcp sync --from-host staging-claude --to-host production-hosts --auto-approve",
  ],
  run: (inv) => import("../commands/sync.ts").then((m) => m.runSync(inv)),
};
