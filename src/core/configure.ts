// Configuring one server: the fields a person gives (`hatch mcp configure`'s flags, the API's
// `configure(name)` builder) applied to what a host already holds. Pure: data in, data out.
import { UsageError } from "./errors.ts";
import { parseServer, type Server } from "./model.ts";

/** The fields to set on one server; only those given change. */
export interface ServerSpec {
  command?: string;
  args?: string[];
  url?: string;
  transport?: "http" | "sse";
  env?: Record<string, string>;
  headers?: Record<string, string>;
  cwd?: string;
  envFile?: string;
  timeout?: number;
  includeTools?: string[];
  excludeTools?: string[];
  autoApprove?: string[];
  /** true: turn off; false: turn a disabled server back on. */
  disabled?: boolean;
  description?: string;
}

/** How each field is named to the person who gave it: a CLI flag or an API method. */
export type FieldWords = Readonly<Record<keyof ServerSpec, string>>;

export const API_WORDS: FieldWords = {
  command: ".command()",
  args: ".args()",
  url: ".url()",
  transport: ".transport()",
  env: ".env()",
  headers: ".headers()",
  cwd: ".cwd()",
  envFile: ".envFile()",
  timeout: ".timeout()",
  includeTools: ".includeTools()",
  excludeTools: ".excludeTools()",
  autoApprove: ".autoApprove()",
  disabled: ".disabled()",
  description: ".description()",
};

const LOCAL_FIELDS = ["command", "args", "env", "cwd", "envFile"] as const;
const REMOTE_FIELDS = ["url", "transport", "headers"] as const;

/** Whether the spec changes anything. */
export function hasChange(s: ServerSpec): boolean {
  return Object.values(s).some((v) => v !== undefined);
}

/**
 * Cross-checks the fields given, before any file is read.
 * @throws UsageError naming the fields in the caller's words
 */
export function checkSpec(s: ServerSpec, w: FieldWords = API_WORDS): void {
  if (s.command !== undefined && s.url !== undefined) {
    throw new UsageError(
      `Give ${w.command} (a local server) or ${w.url} (a remote server), not both`,
      "A server either runs a program or connects to a URL",
    );
  }
  if (s.transport !== undefined && s.transport !== "http" && s.transport !== "sse") {
    throw new UsageError(
      `Invalid ${w.transport} "${String(s.transport)}": expected "http" or "sse"`,
      `Local servers need no transport: use ${w.command}`,
    );
  }
  if (s.timeout !== undefined && (!Number.isInteger(s.timeout) || s.timeout < 0)) {
    throw new UsageError(
      `Invalid ${w.timeout} ${JSON.stringify(s.timeout)}: expected a whole number of milliseconds`,
      "For example: 30000",
    );
  }
  if (s.command !== undefined) {
    for (const k of ["headers", "transport"] as const) {
      if (s[k] !== undefined)
        throw new UsageError(
          `${w[k]} can only be used with ${w.url} (remote servers)`,
          `Drop ${w[k]}, or give ${w.url} instead of ${w.command}`,
        );
    }
  }
  if (s.url !== undefined) {
    for (const k of ["args", "env", "cwd", "envFile"] as const) {
      if (s[k] !== undefined)
        throw new UsageError(
          `${w[k]} can only be used with ${w.command} (local servers)`,
          `Drop ${w[k]}, or give ${w.command} instead of ${w.url}`,
        );
    }
  }
}

/**
 * The server after applying the spec to a target's existing entry (partial update): only the
 * given fields change; switching between a command and a URL replaces the transport fields.
 * @param where how the target is named in errors (`host "cursor"`)
 * @throws UsageError for a new server without a command or URL, or a field of the other kind of
 *   server; ServerValidationError for an invalid result
 */
export function mergeServer(
  name: string,
  existing: Server | undefined,
  f: ServerSpec,
  where: string,
  w: FieldWords = API_WORDS,
): Server {
  const s: Record<string, unknown> = existing ? structuredClone(existing) : {};
  if (!existing && f.command === undefined && f.url === undefined) {
    throw new UsageError(
      `Server "${name}" does not exist in ${where}: give ${w.command} (a local server) or ${w.url} (a remote server) to create it`,
      `Give the program that runs it with ${w.command}, or its address with ${w.url}`,
    );
  }
  if (f.command !== undefined) {
    for (const k of REMOTE_FIELDS) delete s[k];
    s.command = f.command;
  }
  if (f.url !== undefined) {
    for (const k of LOCAL_FIELDS) delete s[k];
    s.url = f.url;
  }
  const remote = s.url !== undefined;
  for (const k of remote
    ? (["args", "env", "cwd", "envFile"] as const)
    : (["transport", "headers"] as const)) {
    if (f[k] !== undefined) {
      throw new UsageError(
        `${w[k]} applies to ${remote ? "local" : "remote"} servers, but "${name}" in ${where} is a ${remote ? "remote server (url)" : "local server (command)"}`,
        remote
          ? `Give ${w.command} to turn it into a local server`
          : `Give ${w.url} to turn it into a remote server`,
      );
    }
  }
  if (f.args !== undefined) s.args = f.args;
  if (f.env) s.env = { ...((s.env as Record<string, string> | undefined) ?? {}), ...f.env };
  if (f.headers) s.headers = { ...((s.headers as Record<string, string> | undefined) ?? {}), ...f.headers };
  for (const k of [
    "transport",
    "cwd",
    "envFile",
    "timeout",
    "includeTools",
    "excludeTools",
    "autoApprove",
    "description",
  ] as const) {
    if (f[k] !== undefined) s[k] = f[k];
  }
  if (f.disabled === true) s.disabled = true;
  // Turning a server on: only an entry that was disabled changes (hosts with an `enabled` key need false).
  if (f.disabled === false && s.disabled === true) s.disabled = false;
  return parseServer(name, s);
}
