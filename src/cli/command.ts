// The command table's shape (the table is src/cli/table/): --help, completions and the README are
// generated from it.
import type { PathContext } from "../hosts/_paths.ts";
import type { System } from "../system/system.ts";
import type { Output } from "./output.ts";

/** Names completions ask the binary for at TAB time (`hatch __complete KIND`), and paths. */
export const NAME_KINDS = [
  "hosts",
  "host",
  "custom-hosts",
  "groups",
  "envs",
  "snapshots",
  "backup-names",
  "servers",
] as const;
/** The shells `hatch completions` writes a script for. */
export const SHELLS = ["bash", "zsh", "fish"] as const;

export type CompleteKind = (typeof NAME_KINDS)[number] | "files" | "dirs";

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /**
   * Takes every value up to the next flag (`--args weather-mcp serve`), as Python's nargs="*";
   * the first value may start with "-". Implies `multiple` (the flag can be repeated too).
   */
  variadic?: boolean;
  /** Shown in --help after the flag, e.g. "HOST". */
  value?: string;
  description: string;
  /**
   * What completions offer for the value: `hosts` a comma list of hosts, groups or `all`;
   * `host` one host (built-in or custom); `custom-hosts`, `groups`, `envs`, `snapshots` (backup
   * ids), `backup-names`, `servers` (a comma list of server names found in hosts and
   * environments); `files`, `dirs`; or fixed words.
   */
  complete?: CompleteKind | readonly string[];
}

export interface Invocation {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  out: Output;
  system: System;
  ctx: PathContext;
  env: Record<string, string | undefined>;
  /** The whole command table (for completions), passed by main.ts so no command imports the table. */
  commands: readonly Command[];
}

export interface Command {
  /** Words after `hatch`, e.g. ["mcp", "list", "servers"]. */
  path: readonly string[];
  summary: string;
  /** Usage after the command words, e.g. "[--host H] [--json]". */
  usage: string;
  positionals?: readonly {
    name: string;
    description: string;
    required?: boolean;
    /** What completions offer for this argument (as OptionSpec.complete). */
    complete?: OptionSpec["complete"];
  }[];
  options: Readonly<Record<string, OptionSpec>>;
  examples: readonly string[];
  /** Everything after the first positional goes to the command untouched (`hatch run`). */
  passThrough?: boolean;
  /** Left out of --help listings and completions (`hatch __complete`). */
  hidden?: boolean;
  /**
   * Runs the command. In the table (table/*.ts) it imports the command's module (commands/*.ts)
   * first, so a run loads only the code of the command it runs.
   */
  run(inv: Invocation): Promise<number> | number;
}

/** Options every command accepts. */
export const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  help: { type: "boolean", short: "h", description: "Show this help" },
  quiet: { type: "boolean", short: "q", description: "Print nothing but errors and warnings" },
  verbose: { type: "boolean", short: "v", description: "Show stack traces and details of errors" },
  "no-color": { type: "boolean", description: "Print without colours (also NO_COLOR=1)" },
};

/** The source and selection flags of every command that copies servers (mcp sync, watch). */
export const SELECTION_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  "from-host": {
    type: "string",
    value: "HOST",
    description: "Source host (built-in id or custom host)",
    complete: "host",
  },
  "from-env": {
    type: "string",
    value: "ENV",
    description: 'Source environment (default: the current one, set by "hatch env use")',
    complete: "envs",
  },
  "to-host": {
    type: "string",
    value: "LIST",
    description: "Target hosts: ids, custom hosts, groups, comma-separated, or all",
    complete: "hosts",
  },
  servers: {
    type: "string",
    value: "a,b",
    description: "Only these servers (each must exist in the source)",
    complete: "servers",
  },
  pattern: {
    type: "string",
    value: "REGEX",
    description: "Only servers whose name matches, from the start (Python re.match; lookahead works)",
  },
  mirror: {
    type: "boolean",
    description: "Also remove target servers the selection covers but the source lacks",
  },
};

export const JSON_OPTION: OptionSpec = { type: "boolean", description: "Print one JSON document on stdout" };
/** `--project DIR`: host names mean the hosts' project files in DIR (sets HATCH_PROJECT). */
export const PROJECT_OPTION: OptionSpec = {
  type: "string",
  value: "DIR",
  description:
    "Use the hosts' project files in DIR (.cursor/mcp.json, .mcp.json, …) instead of their user files",
  complete: "dirs",
};

export const SHOW_SECRETS_OPTION: OptionSpec = {
  type: "boolean",
  description: "Show env values and headers instead of redacting them",
};

export function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}
