// `hatch env ...` (code: ../commands/env.ts).
import { type Command, JSON_OPTION, SHOW_SECRETS_OPTION } from "../command.ts";

const DRY_RUN = { type: "boolean", description: "Print what would change and write nothing" } as const;
const AUTO_APPROVE = {
  type: "boolean",
  short: "y",
  description: "Do it without asking (also HATCH_AUTO_APPROVE=1)",
} as const;

export const envCreate: Command = {
  path: ["env", "create"],
  summary: "Create an environment (empty, or holding a host's servers with --from-host)",
  usage: "NAME [--description D] [--from-host H] [--dry-run] [--json]",
  positionals: [
    { name: "NAME", description: 'Environment name: letters, digits, ".", "_", "-"', required: true },
  ],
  options: {
    description: { type: "string", short: "D", value: "TEXT", description: "What the environment is for" },
    "from-host": {
      type: "string",
      value: "HOST",
      description: "Capture this host's servers into the new environment",
      complete: "host",
    },
    "dry-run": DRY_RUN,
    json: JSON_OPTION,
  },
  examples: [
    'hatch env create production --description "Servers for production hosts"',
    "hatch env create last-known-good --from-host claude-desktop",
  ],
  run: (inv) => import("../commands/env.ts").then((m) => m.runEnvCreate(inv)),
};

export const envUse: Command = {
  path: ["env", "use"],
  summary: "Make an environment the current one",
  usage: "NAME [--dry-run]",
  positionals: [{ name: "NAME", description: "An existing environment", required: true, complete: "envs" }],
  options: { "dry-run": DRY_RUN, json: JSON_OPTION },
  examples: ["hatch env use production"],
  run: (inv) => import("../commands/env.ts").then((m) => m.runEnvUse(inv)),
};

export const envCurrent: Command = {
  path: ["env", "current"],
  summary: "Print the current environment",
  usage: "[--json]",
  options: { json: JSON_OPTION },
  examples: ["hatch env current"],
  run: (inv) => import("../commands/env.ts").then((m) => m.runEnvCurrent(inv)),
};

export const envList: Command = {
  path: ["env", "list"],
  summary: "List the environments (* marks the current one); a file that cannot be read is named, not fatal",
  usage: "[--json]",
  options: { json: JSON_OPTION },
  examples: ["hatch env list", "hatch env list --json"],
  run: (inv) => import("../commands/env.ts").then((m) => m.runEnvList(inv)),
};

export const envShow: Command = {
  path: ["env", "show"],
  summary: "Show an environment's description and servers",
  usage: "NAME [--json] [--show-secrets]",
  positionals: [{ name: "NAME", description: "An existing environment", required: true, complete: "envs" }],
  options: { json: JSON_OPTION, "show-secrets": SHOW_SECRETS_OPTION },
  examples: ["hatch env show production", "hatch env show production --json"],
  run: (inv) => import("../commands/env.ts").then((m) => m.runEnvShow(inv)),
};

export const envRemove: Command = {
  path: ["env", "remove"],
  summary: "Remove an environment (asks first; a backup is kept)",
  usage: "NAME [--dry-run] [--auto-approve] [--no-backup]",
  positionals: [{ name: "NAME", description: "An existing environment", required: true, complete: "envs" }],
  options: {
    "dry-run": DRY_RUN,
    "auto-approve": AUTO_APPROVE,
    "no-backup": { type: "boolean", description: "Do not snapshot the environment file before removing it" },
    json: JSON_OPTION,
  },
  examples: ["hatch env remove weather-dashboard", "hatch env remove staging --auto-approve"],
  run: (inv) => import("../commands/env.ts").then((m) => m.runEnvRemove(inv)),
};
