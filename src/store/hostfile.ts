// Reading a host file into canonical servers, through the system seam.
import { HostParseError } from "../core/errors.ts";
import { getAt, isPlainObject } from "../core/edits.ts";
import { type ServerMap, ServerValidationError, UnconvertibleServerError } from "../core/model.ts";
import type { HostAdapter } from "../core/adapter.ts";
import { rawEntries } from "../core/container.ts";
import type { HostPlan } from "../core/plan.ts";
import type { UnreachableError } from "../system/ssh.ts";
import type { System } from "../system/system.ts";

/** One host file hatch can read or write: a built-in host, a custom host, or a project file. */
export interface HostTarget {
  /** What the user calls it: a built-in id or a custom host name. */
  name: string;
  adapter: HostAdapter;
  path: string;
  /** `source`: an environment of a git source (read-only here). */
  scope: "user" | "project" | "custom" | "source";
  /** For `source`: the commit the environment was read at. */
  commit?: string;
}

export interface InvalidEntry {
  name: string;
  problems: string[];
  /** A server the host runs but hatch cannot convert (a Zed extension server): skipped, not broken. */
  unconvertible?: true;
}

export interface HostRead {
  target: HostTarget;
  exists: boolean;
  /** The file's text ("" when it does not exist). */
  text: string;
  doc: unknown;
  raw: Map<string, unknown>;
  servers: ServerMap;
  /** Entries the host file holds that are not valid servers (reported, never dropped). */
  invalid: InvalidEntry[];
  /** Entries that are not MCP servers at all (Goose builtins): kept, not reported. */
  other: string[];
}

/**
 * Reads and decodes a host file.
 * @throws HostParseError naming the host, the file, line and column
 */
export function readHost(target: HostTarget, system: System): HostRead {
  const { adapter, path } = target;
  const text = system.readText(path);
  let doc: unknown;
  try {
    doc = adapter.format.parse(text ?? "", path);
  } catch (e) {
    if (e instanceof HostParseError) throw new HostParseError(path, e.detail, e.line, e.column, target.name);
    throw e;
  }
  if (doc !== undefined && !isPlainObject(doc)) {
    throw new HostParseError(
      path,
      `expected a ${adapter.format.name.toUpperCase()} object at the top level`,
      undefined,
      undefined,
      target.name,
    );
  }
  const at = getAt(doc, adapter.container.path);
  const want = adapter.container.kind === "map" ? "an object" : "a list";
  if (
    at !== undefined &&
    at !== null &&
    (adapter.container.kind === "map" ? !isPlainObject(at) : !Array.isArray(at))
  ) {
    throw new HostParseError(
      path,
      `"${adapter.container.path.join(".")}" must be ${want}`,
      undefined,
      undefined,
      target.name,
    );
  }
  const raw = rawEntries(adapter.container, doc);
  const servers: ServerMap = new Map();
  const invalid: InvalidEntry[] = [];
  const other: string[] = [];
  for (const [name, entry] of raw) {
    try {
      servers.set(name, adapter.decode(name, entry));
    } catch (e) {
      if (!(e instanceof ServerValidationError)) throw e;
      if (e.notAServer) other.push(name);
      else
        invalid.push({
          name,
          problems: e.problems,
          ...(e instanceof UnconvertibleServerError ? { unconvertible: true as const } : {}),
        });
    }
  }
  return { target, exists: text !== undefined, text: text ?? "", doc, raw, servers, invalid, other };
}

/**
 * The plan of a host on a machine that cannot be reached (system/ssh.ts): nothing is known of
 * its file, so nothing is planned; apply fails it with `problem` (its re-read fails the same
 * way) and every other host goes on. `--check` and `--dry-run` exit 1 for it.
 */
export function unreachablePlan(target: HostTarget, e: UnreachableError): HostPlan {
  return {
    host: target.name,
    path: target.path,
    adapterId: target.adapter.id,
    exists: false,
    changes: [],
    losses: [],
    oldText: "",
    newText: "",
    changed: true,
    problem: e.message,
  };
}
