// Environments: named sets of canonical servers kept by hatch in HATCH_HOME/envs/<name>.yaml,
// readable YAML whose comments survive edits. An environment is read and written through the
// same adapter interface as a host file, so sync can take it as a source or a target.
import { join } from "node:path";
import { type HostTarget, readHost } from "./hostfile.ts";
import { isSourceEnvName, sourceEnvFile } from "./sources.ts";
import type { Workspace } from "./workspace.ts";
import { isPlainObject } from "../core/edits.ts";
import { ConfigError, UsageError } from "../core/errors.ts";
import {
  CANONICAL_FIELDS,
  ENTITY_NAME_RE,
  parseServer,
  RemoteServerSchema,
  type Server,
  type ServerMap,
  ServerValidationError,
  StdioServerSchema,
} from "../core/model.ts";
import type { HostAdapter } from "../core/adapter.ts";
import { containerEdits } from "../core/container.ts";
import { yaml } from "../hosts/_format/yaml.ts";
import { safeStringTags } from "../hosts/_format/yaml-emit.ts";
import { yamlLib } from "../hosts/_format/yaml-lib.ts";
import { suggest } from "../hosts/registry.ts";

/** Canonical servers stored as they are: nothing is lost, env-var references stay `${VAR}`. */
export const envAdapter: HostAdapter = {
  id: "hatch-env",
  label: "hatch environment",
  format: yaml,
  container: { kind: "map", path: ["servers"] },
  fields: new Set(CANONICAL_FIELDS),
  remote: new Set(["http", "sse"]),
  userPath: () => undefined,
  decode: (name, raw) => parseServer(name, raw),
  encode(_name, server: Server, existing) {
    // Keep the existing entry's key order; the canonical model owns every key.
    const out: Record<string, unknown> = {};
    const s = server as Record<string, unknown>;
    if (isPlainObject(existing)) for (const k of Object.keys(existing)) if (s[k] !== undefined) out[k] = s[k];
    for (const [k, v] of Object.entries(s)) if (v !== undefined) out[k] = v;
    return { raw: out, losses: [] };
  },
};

export function envsDir(ws: Workspace): string {
  return join(ws.hatchHome, "envs");
}

export function envPath(ws: Workspace, name: string): string {
  return join(envsDir(ws), `${name}.yaml`);
}

/** @throws UsageError when the name has characters other than letters, digits, ".", "_", "-" */
export function checkEnvName(name: string): void {
  if (!ENTITY_NAME_RE.test(name) || name === "." || name === "..") {
    throw new UsageError(
      `Invalid environment name "${name}": use letters, digits, ".", "_" and "-"`,
      "For example: production, staging-eu, team.v2",
    );
  }
  // A file named ".x.yaml" is hidden (and env list leaves it out).
  if (name.startsWith(".")) {
    throw new UsageError(
      `Invalid environment name "${name}": a name may not start with "."`,
      "For example: production, staging-eu, team.v2",
    );
  }
  // The file name (NAME.yaml, and its temp file beside it) must fit the file system's 255 bytes.
  if (name.length > MAX_NAME_LENGTH) {
    throw new UsageError(
      `Invalid environment name "${name.slice(0, 40)}…": it is ${name.length} characters long, the most is ${MAX_NAME_LENGTH}`,
      "Choose a shorter name",
    );
  }
}

/** The longest environment or host name (an environment's file and temp file must fit 255 bytes). */
export const MAX_NAME_LENGTH = 128;

export function listEnvNames(ws: Workspace): string[] {
  return ws.system
    .list(envsDir(ws))
    .filter((f) => f.endsWith(".yaml") && !f.startsWith("."))
    .map((f) => f.slice(0, -5))
    .sort();
}

/**
 * The environment as a host target (source or destination of a sync).
 * @throws UsageError for an environment that does not exist (with a suggestion) unless `create`
 */
export function envTarget(ws: Workspace, name: string, opts: { create?: boolean } = {}): HostTarget {
  // `team/production[@sha]`: an environment of a git source, read-only (store/sources.ts).
  if (isSourceEnvName(name)) {
    if (opts.create) throw readOnlySource(name);
    const { path, commit } = sourceEnvFile(ws, name);
    return { name: `env:${name}`, adapter: checkedEnvAdapter(path), path, scope: "source", commit };
  }
  checkEnvName(name);
  const path = envPath(ws, name);
  if (!opts.create && !ws.system.exists(path)) {
    const s = suggest(name, listEnvNames(ws));
    throw new UsageError(
      `Unknown environment "${name}"${s ? `: did you mean "${s}"?` : ""}`,
      `Create it with "hatch env create ${name}", or list environments with "hatch env list"`,
    );
  }
  return { name: `env:${name}`, adapter: checkedEnvAdapter(path), path, scope: "custom" };
}

/** Writing into an environment of a git source: the change belongs in the repository. */
export function readOnlySource(name: string): UsageError {
  return new UsageError(
    `Environment "${name}" comes from a git source and is read-only here`,
    'Change it in the repository (a pull request), then run "hatch env pull"',
  );
}

// ---------------------------------------------------------------------------------------------
// Reading, validating and writing environment files

const ENV_KEYS = new Set(["description", "servers"]);

/**
 * Checks an environment file's top level: a mapping holding `description` (text) and `servers`
 * (a mapping of server names to entries). Entries themselves are checked by `decode`.
 * @throws ConfigError naming the file and the field
 */
export function validateEnvDoc(doc: unknown, path: string): void {
  if (doc === undefined || doc === null) return;
  if (!isPlainObject(doc))
    throw new ConfigError(path, 'expected a mapping with "description" and "servers" at the top level');
  for (const k of Object.keys(doc)) {
    if (!ENV_KEYS.has(k)) {
      const s = suggest(k, ENV_KEYS);
      throw new ConfigError(
        path,
        `unknown field "${k}"${s ? ` (did you mean "${s}"?)` : ""}: an environment file holds "description" and "servers"`,
      );
    }
  }
  if (doc.description !== undefined && doc.description !== null && typeof doc.description !== "string") {
    throw new ConfigError(path, 'field "description" must be text');
  }
  if (doc.servers !== undefined && doc.servers !== null && !isPlainObject(doc.servers)) {
    throw new ConfigError(path, 'field "servers" must be a mapping of server names to server entries');
  }
}

const STDIO_KEYS = Object.keys(StdioServerSchema.entries);
const REMOTE_KEYS = Object.keys(RemoteServerSchema.entries);
const SERVER_FIELDS = new Set([...STDIO_KEYS, ...REMOTE_KEYS]);
/** Fields only local (stdio) servers have, and fields only remote ones have. */
const STDIO_ONLY = new Set(STDIO_KEYS.filter((k) => !REMOTE_KEYS.includes(k)));
const REMOTE_ONLY = new Set(REMOTE_KEYS.filter((k) => !STDIO_KEYS.includes(k)));

/**
 * A server entry's first field that no server has (a typo such as `argz`), in words, with the
 * field it resembles; or one that belongs to the other kind of server (`headers` on a local
 * server). Undefined when every field is known (the schema then checks the values).
 */
export function unknownFieldProblem(raw: unknown): string | undefined {
  if (!isPlainObject(raw)) return undefined;
  const remote = raw.url !== undefined && raw.command === undefined;
  const local = raw.command !== undefined && raw.url === undefined;
  for (const k of Object.keys(raw)) {
    if (!SERVER_FIELDS.has(k)) {
      const s = suggest(k, SERVER_FIELDS);
      return s
        ? `unknown field "${k}": did you mean "${s}"?`
        : `unknown field "${k}"; a server's fields are ${[...SERVER_FIELDS].map((f) => `"${f}"`).join(", ")}`;
    }
    if (local && REMOTE_ONLY.has(k))
      return `field "${k}" is for remote servers (with "url"), but this one runs "command"`;
    if (remote && STDIO_ONLY.has(k))
      return `field "${k}" is for local servers (with "command"), but this one connects to "url"`;
  }
  return undefined;
}

/**
 * The adapter for one environment file: the shared `envAdapter` whose reads are validated, so a
 * bad entry is an error naming the file and the server (never silently skipped).
 */
function checkedEnvAdapter(path: string): HostAdapter {
  return {
    ...envAdapter,
    format: {
      ...envAdapter.format,
      parse(text, p) {
        const doc = envAdapter.format.parse(text, p);
        validateEnvDoc(doc, p);
        return doc;
      },
    },
    decode(name, raw) {
      const unknown = unknownFieldProblem(raw);
      if (unknown) throw new ConfigError(path, `server "${name}": ${unknown}`);
      try {
        return parseServer(name, raw);
      } catch (e) {
        if (e instanceof ServerValidationError)
          throw new ConfigError(path, `server "${name}": ${e.problems.join("; ")}`);
        throw e;
      }
    },
  };
}

export interface EnvFile {
  name: string;
  path: string;
  text: string;
  description?: string;
  servers: ServerMap;
}

/**
 * Reads and validates an environment.
 * @throws UsageError for an unknown environment, HostParseError for bad YAML, ConfigError for bad content
 */
export function readEnv(ws: Workspace, name: string): EnvFile {
  const t = envTarget(ws, name);
  const r = readHost(t, ws.system);
  const doc = r.doc as { description?: unknown } | undefined;
  const description = typeof doc?.description === "string" ? doc.description : undefined;
  return {
    name,
    path: t.path,
    text: r.text,
    ...(description !== undefined ? { description } : {}),
    servers: r.servers,
  };
}

export function envExists(ws: Workspace, name: string): boolean {
  checkEnvName(name);
  return ws.system.exists(envPath(ws, name));
}

/** The text of a new environment file: a comment header, the description and the servers. */
export function newEnvText(
  name: string,
  description: string | undefined,
  servers: ServerMap = new Map(),
): string {
  const header =
    `# hatch environment "${name}": MCP server definitions kept by hatch.\n` +
    `# Edit by hand or with "hatch mcp configure SERVER --env ${name}"; comments are kept.\n`;
  const path = `${name}.yaml`;
  let text = `${header}${yamlLib().stringify({ description: description ?? "" }, { lineWidth: 0, customTags: safeStringTags() as never })}servers: {}\n`;
  if (servers.size > 0) {
    const set = new Map<string, Record<string, unknown>>();
    for (const [n, s] of servers)
      set.set(n, envAdapter.encode(n, s, undefined, { env: {}, platform: "linux" }).raw ?? {});
    text = yaml.edit(
      text,
      containerEdits(envAdapter.container, yaml.parse(text, path), { set, remove: [] }),
      path,
    );
  }
  return text;
}

/**
 * Creates an environment file (atomically).
 * @throws UsageError when the name is invalid or the environment exists
 */
export function createEnv(
  ws: Workspace,
  name: string,
  opts: { description?: string; servers?: ServerMap } = {},
): string {
  checkEnvName(name);
  const path = envPath(ws, name);
  if (ws.system.exists(path)) {
    throw new UsageError(
      `Environment "${name}" already exists`,
      `Show it with "hatch env show ${name}", or remove it first with "hatch env remove ${name}"`,
    );
  }
  const text = newEnvText(name, opts.description, opts.servers);
  ws.system.mkdirp(envsDir(ws), 0o700);
  ws.system.writeAtomic(path, text);
  return path;
}

export function currentPath(ws: Workspace): string {
  return join(ws.hatchHome, "current");
}

/** The current environment's name, or undefined when none is set. */
export function currentEnv(ws: Workspace): string | undefined {
  const text = ws.system.readText(currentPath(ws));
  const name = text?.trim();
  return name ? name : undefined;
}

/**
 * Makes an environment the current one.
 * @throws UsageError for an unknown environment
 */
export function useEnv(ws: Workspace, name: string): void {
  envTarget(ws, name);
  ws.system.mkdirp(ws.hatchHome, 0o700);
  ws.system.writeAtomic(currentPath(ws), `${name}\n`);
}

/** Removes an environment file; clears `current` when it named this environment. */
export function removeEnv(ws: Workspace, name: string): { wasCurrent: boolean } {
  const t = envTarget(ws, name);
  const wasCurrent = currentEnv(ws) === name;
  ws.system.remove(t.path);
  if (wasCurrent) ws.system.remove(currentPath(ws));
  return { wasCurrent };
}
