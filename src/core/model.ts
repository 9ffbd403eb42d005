// The canonical server model: every host adapter reads into it and writes from it.
// Env-var references inside values are kept in one canonical spelling, `${VAR}` (with optional
// `${VAR:-default}`); adapters translate to and from their host's syntax (see envrefs.ts).
import * as v from "valibot";

/** Server names: what every host accepts as a map key and what a shell can type. */
export const SERVER_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;
/** Environment, custom host and group names. */
export const ENTITY_NAME_RE = /^[A-Za-z0-9._-]+$/;

const stringMap = v.record(v.string(), v.string());
const stringList = v.array(v.string());

const commonEntries = {
  disabled: v.optional(v.boolean()),
  /** Timeout in milliseconds, whatever unit the host uses. */
  timeout: v.optional(v.pipe(v.number(), v.minValue(0, "timeout must be 0 or more milliseconds"))),
  includeTools: v.optional(stringList),
  excludeTools: v.optional(stringList),
  autoApprove: v.optional(stringList),
  description: v.optional(v.string()),
  /**
   * Host-only fields, keyed by the host id that read them, then by the host's own field name.
   * A round trip through the same host writes them back unchanged.
   */
  extra: v.optional(v.record(v.string(), v.record(v.string(), v.unknown()))),
};

export const StdioServerSchema = v.strictObject({
  command: v.pipe(v.string(), v.nonEmpty('"command" must not be empty')),
  args: v.optional(stringList),
  env: v.optional(stringMap),
  cwd: v.optional(v.string()),
  envFile: v.optional(v.string()),
  ...commonEntries,
});

const urlSchema = v.pipe(
  v.string(),
  v.nonEmpty('"url" must not be empty'),
  v.check(
    (u) => /^(https?):\/\/[^\s/]/i.test(u) || /^\$\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\}/.test(u),
    (issue) => `"url" must start with http:// or https:// (got ${JSON.stringify(issue.input)})`,
  ),
);

export const RemoteServerSchema = v.strictObject({
  url: urlSchema,
  transport: v.optional(v.picklist(["http", "sse"], '"transport" must be "http" or "sse"')),
  headers: v.optional(stringMap),
  ...commonEntries,
});

export type StdioServer = v.InferOutput<typeof StdioServerSchema>;
export type RemoteServer = v.InferOutput<typeof RemoteServerSchema>;
export type Server = StdioServer | RemoteServer;
/** Servers by name, in the order the source lists them. */
export type ServerMap = Map<string, Server>;

export function isRemote(s: Server): s is RemoteServer {
  return "url" in s && typeof (s as RemoteServer).url === "string";
}

export class ServerValidationError extends Error {
  override name = "ServerValidationError";
  constructor(
    readonly serverName: string,
    readonly problems: string[],
    /** The entry is something else the host keeps there (Goose builtins), not a broken server. */
    readonly notAServer = false,
  ) {
    super(`Invalid server "${serverName}": ${problems.join("; ")}`);
  }
}

/**
 * Validates an unknown value as a canonical server and returns it typed.
 * @throws ServerValidationError naming the server and every problem found
 */
export function parseServer(name: string, input: unknown): Server {
  const problems: string[] = [];
  if (!SERVER_NAME_RE.test(name)) {
    problems.push(
      `name ${JSON.stringify(name)} must start with a letter or digit and contain only letters, digits, ".", "_", "@", "-"`,
    );
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new ServerValidationError(name, [...problems, "expected an object"]);
  }
  const o = input as Record<string, unknown>;
  const hasCommand = o.command !== undefined;
  const hasUrl = o.url !== undefined;
  if (hasCommand === hasUrl) {
    problems.push(
      hasCommand
        ? 'set either "command" (a local server) or "url" (a remote server), not both'
        : 'set "command" (a local server) or "url" (a remote server)',
    );
    throw new ServerValidationError(name, problems);
  }
  const result = v.safeParse(hasCommand ? StdioServerSchema : RemoteServerSchema, input);
  if (!result.success) {
    for (const issue of result.issues) {
      const path = v.getDotPath(issue);
      const msg = issue.message;
      problems.push(path && !msg.includes(`"${path}"`) ? `${path}: ${msg}` : msg);
    }
  }
  if (problems.length > 0) throw new ServerValidationError(name, problems);
  return result.output as Server;
}

/** Canonical fields in display and comparison order. */
export const CANONICAL_FIELDS = [
  "command",
  "args",
  "env",
  "cwd",
  "envFile",
  "url",
  "transport",
  "headers",
  "disabled",
  "timeout",
  "includeTools",
  "excludeTools",
  "autoApprove",
  "description",
] as const;
export type CanonicalField = (typeof CANONICAL_FIELDS)[number];

/** Fields whose values are secrets: redacted in every output unless --show-secrets. */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(["env", "headers"]);
