// `hatch mcp configure` and `hatch mcp remove server` (code: ../commands/configure.ts).
import {
  type Command,
  JSON_OPTION,
  type OptionSpec,
  PROJECT_OPTION,
  SHOW_SECRETS_OPTION,
} from "../command.ts";

const TARGET_OPTIONS: Record<string, OptionSpec> = {
  host: {
    type: "string",
    value: "LIST",
    description: "Target hosts: ids, custom hosts, groups, comma-separated, or all",
    complete: "hosts",
  },
  env: {
    type: "string",
    value: "ENV",
    description: "Target environment (instead of hosts)",
    complete: "envs",
  },
};
const APPLY_OPTIONS: Record<string, OptionSpec> = {
  "dry-run": { type: "boolean", description: "Print the plan and write nothing" },
  "auto-approve": {
    type: "boolean",
    short: "y",
    description: "Apply without asking (also HATCH_AUTO_APPROVE=1)",
  },
  "no-backup": { type: "boolean", description: "Do not snapshot the target files before writing" },
  project: PROJECT_OPTION,
  json: JSON_OPTION,
  "show-secrets": SHOW_SECRETS_OPTION,
};

export const configureCommand: Command = {
  path: ["mcp", "configure"],
  summary: "Add or change one server on hosts or in an environment (only the given flags change)",
  usage:
    "NAME (--host H[,H] | --env E) (--command C [--args A ...] | --url U [--transport http|sse]) [--env-var K=V]... [--header K=V]... [--cwd D] [--timeout MS] [--include-tools a,b] [--exclude-tools a,b] [--disabled|--enabled] [--description D] [--dry-run] [--auto-approve] [--no-backup] [--json]",
  positionals: [{ name: "NAME", description: "The server's name", required: true, complete: "servers" }],
  options: {
    ...TARGET_OPTIONS,
    command: { type: "string", value: "CMD", description: "Program that runs a local (stdio) server" },
    args: {
      type: "string",
      multiple: true,
      variadic: true,
      value: "ARGS...",
      description:
        'Arguments of --command: every value up to the next flag (--args weather-mcp serve); repeatable; each value split like a shell ("-m srv" is two)',
    },
    url: { type: "string", value: "URL", description: "URL of a remote server (http:// or https://)" },
    "http-url": { type: "string", value: "URL", description: "Same as --url URL --transport http" },
    transport: {
      type: "string",
      value: "http|sse",
      description: "Remote transport (default http)",
      complete: ["http", "sse"],
    },
    "env-var": {
      type: "string",
      multiple: true,
      value: "K=V",
      description: "Environment variable of a local server; repeatable",
    },
    header: {
      type: "string",
      multiple: true,
      value: "K=V",
      description: "HTTP header of a remote server; repeatable",
    },
    cwd: {
      type: "string",
      value: "DIR",
      description: "Working directory of a local server",
      complete: "dirs",
    },
    "env-file": {
      type: "string",
      value: "PATH",
      description: "Env file a local server loads (hosts that support it)",
      complete: "files",
    },
    timeout: {
      type: "string",
      value: "MS",
      description: "Timeout in milliseconds (converted to the host's unit)",
    },
    "include-tools": {
      type: "string",
      multiple: true,
      value: "a,b",
      description: "Only these tools (hosts that support it)",
    },
    "exclude-tools": {
      type: "string",
      multiple: true,
      value: "a,b",
      description: "Never these tools (hosts that support it)",
    },
    "auto-approve-tools": {
      type: "string",
      multiple: true,
      value: "a,b",
      description: "Tools the host may run without asking (hosts that support it)",
    },
    disabled: { type: "boolean", description: "Keep the server configured but turned off" },
    enabled: { type: "boolean", description: "Turn a disabled server back on" },
    description: { type: "string", value: "TEXT", description: "What the server is for" },
    ...APPLY_OPTIONS,
  },
  examples: [
    `hatch mcp configure weather-api --host claude-desktop,cursor --command npx --args=-y --args @example/weather-mcp --env-var 'API_KEY=\${WEATHER_KEY}'`,
    "hatch mcp configure news-api --host production-hosts --url https://news.example.com/mcp --header Authorization=Bearer-xyz",
    "hatch mcp configure weather-api --env production --timeout 30000 --dry-run",
  ],
  run: (inv) => import("../commands/configure.ts").then((m) => m.runConfigure(inv)),
};

export const removeServerCommand: Command = {
  path: ["mcp", "remove", "server"],
  summary: "Remove one server from hosts or from an environment",
  usage: "NAME (--host H[,H]|all | --env E) [--dry-run] [--auto-approve] [--no-backup] [--json]",
  positionals: [{ name: "NAME", description: "The server's name", required: true, complete: "servers" }],
  options: { ...TARGET_OPTIONS, ...APPLY_OPTIONS },
  examples: [
    "hatch mcp remove server weather-api --host cursor,vscode",
    "hatch mcp remove server dev-tools --host all --dry-run",
    "hatch mcp remove server weather-api --env staging --auto-approve",
  ],
  run: (inv) => import("../commands/configure.ts").then((m) => m.runRemoveServer(inv)),
};
