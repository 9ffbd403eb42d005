// The canonical server model: every host adapter reads into it and writes from it.
// Env-var references inside values are kept in one canonical spelling, `${VAR}` (with optional
// `${VAR:-default}`); adapters translate to and from their host's syntax (see envrefs.ts).
import * as v from "valibot";

/**
 * Server names: whatever a host accepts as a key. Real files hold VS Code gallery names
 * (`io.github.ChromeDevTools/chrome-devtools-mcp`) and names with spaces (`Chrome DevTools`, from
 * opencode and Copilot CLI); only an empty name or one holding a control character (a C0/C1 code,
 * DEL: no host file or terminal line can show it) is refused.
 */
export const SERVER_NAME_RE = /^[^\x00-\x1f\x7f-\x9f]+$/;
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

/** What a URL may start with: http(s)://host, or an env reference (`${VAR}`). */
const URL_START = /^(?:https?:\/\/[^\s/]|\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\})/i;

/** Whether the schema accepts `u` as a server's URL. */
export function acceptedUrl(u: string): boolean {
  return u !== "" && URL_START.test(u);
}

const urlSchema = v.pipe(
  v.string(),
  v.nonEmpty('"url" must not be empty'),
  v.check(
    (u) => URL_START.test(u),
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
 * An entry the host runs but hatch cannot convert (a Zed extension server, started from the
 * extension with no command or URL to copy): not broken, so it is listed as such and skipped
 * with `reason`, never reported as invalid and never dropped silently. A ServerValidationError
 * still, so a reader that does not tell them apart keeps it out of the servers with its reason.
 */
export class UnconvertibleServerError extends ServerValidationError {
  override name = "UnconvertibleServerError";
  constructor(
    serverName: string,
    readonly reason: string,
  ) {
    super(serverName, [reason]);
    this.message = `Cannot convert server "${serverName}": ${reason}`;
  }
}

// The schemas' keys, in the order valibot builds its output in.
const STDIO_KEYS = Object.keys(StdioServerSchema.entries);
const REMOTE_KEYS = Object.keys(RemoteServerSchema.entries);
const STDIO_SET = new Set(STDIO_KEYS);
const REMOTE_SET = new Set(REMOTE_KEYS);

function isOwnPlain(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && Object.getPrototypeOf(x) === Object.prototype;
}

/** Keys a valibot record skips; an object holding one goes to valibot. */
function skippedKey(k: string): boolean {
  return k === "__proto__" || k === "prototype" || k === "constructor";
}

/**
 * A copy of a plain object whose every value `value` accepts (and may map), or undefined for
 * anything else: another prototype, a key a valibot record skips, a value `value` refuses.
 */
function copyRecord<T>(x: unknown, value: (v: unknown) => T | undefined): Record<string, T> | undefined {
  if (!isOwnPlain(x)) return undefined;
  const out: Record<string, T> = {};
  for (const k in x) {
    if (skippedKey(k) || !Object.hasOwn(x, k)) return undefined;
    const w = value(x[k]);
    if (w === undefined) return undefined;
    out[k] = w;
  }
  return out;
}

const aString = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const anyValue = (v: unknown): unknown => v;

function copyStrings(x: unknown): string[] | undefined {
  if (!Array.isArray(x)) return undefined;
  for (let i = 0; i < x.length; i++) if (typeof x[i] !== "string") return undefined;
  return x.slice();
}

/**
 * The common case of parseServer without valibot: a plain object holding only the schema's keys,
 * each of the right type. Returns exactly what the schema would (the same keys in the schema's
 * order, arrays and records copied), or undefined for anything else, which the schema then reads
 * and words the problems of. In the short runs of a CLI the schema's generic pipeline runs in the
 * interpreter: parseServer of 10,000 servers took 38–50 ms, 18–20 ms with this path.
 * model.test.ts holds it to the schema.
 */
export function plainServer(o: Record<string, unknown>, remote: boolean): Server | undefined {
  if (!isOwnPlain(o)) return undefined;
  const known = remote ? REMOTE_SET : STDIO_SET;
  for (const k in o) if (!known.has(k) || !Object.hasOwn(o, k)) return undefined;
  const out: Record<string, unknown> = {};
  for (const k of remote ? REMOTE_KEYS : STDIO_KEYS) {
    if (!Object.hasOwn(o, k)) continue;
    const x = o[k];
    let w: unknown;
    switch (k) {
      case "command":
        w = typeof x === "string" && x !== "" ? x : undefined;
        break;
      case "url":
        w = typeof x === "string" && acceptedUrl(x) ? x : undefined;
        break;
      case "cwd":
      case "envFile":
      case "description":
        w = typeof x === "string" ? x : undefined;
        break;
      case "args":
      case "includeTools":
      case "excludeTools":
      case "autoApprove":
        w = copyStrings(x);
        break;
      case "env":
      case "headers":
        w = copyRecord(x, aString);
        break;
      case "disabled":
        w = typeof x === "boolean" ? x : undefined;
        break;
      case "timeout":
        w = typeof x === "number" && !Number.isNaN(x) && x >= 0 ? x : undefined;
        break;
      case "transport":
        w = x === "http" || x === "sse" ? x : undefined;
        break;
      case "extra":
        // Host id → that host's own fields (any values).
        w = copyRecord(x, (fields) => copyRecord(fields, anyValue));
        break;
    }
    if (w === undefined) return undefined;
    out[k] = w;
  }
  return out as Server;
}

/** Why `name` cannot be a server name, or undefined when it can: the one server-name check. */
export function serverNameProblem(name: string): string | undefined {
  if (SERVER_NAME_RE.test(name)) return undefined;
  return name === ""
    ? "the name must not be empty"
    : `name ${JSON.stringify(name)} must not contain control characters`;
}

/**
 * Validates an unknown value as a canonical server and returns it typed.
 * @throws ServerValidationError naming the server and every problem found
 */
export function parseServer(name: string, input: unknown): Server {
  const problems: string[] = [];
  const bad = serverNameProblem(name);
  if (bad !== undefined) problems.push(bad);
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
  if (problems.length === 0) {
    const fast = plainServer(o, hasUrl);
    if (fast) return fast;
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
