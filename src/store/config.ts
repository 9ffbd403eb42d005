// HATCH_HOME/config.yaml: custom hosts (a built-in adapter at a path the user gives) and host
// groups. Validated on every read with errors that name the file and the field; edited in place
// so the user's comments survive.
import { join } from "node:path";
import * as v from "valibot";
import type { Workspace } from "../api/workspace.ts";
import { ConfigError, HostParseError } from "../core/errors.ts";
import { ENTITY_NAME_RE } from "../core/model.ts";
import { yaml } from "../hosts/_format/yaml.ts";

const NameKey = v.pipe(v.string(), v.regex(ENTITY_NAME_RE, 'names may contain letters, digits, ".", "_", "-"'));

const ConfigSchema = v.object({
  hosts: v.optional(
    v.nullable(
      v.record(
        NameKey,
        v.object({
          type: v.pipe(v.string(), v.nonEmpty("type must name a host adapter, e.g. claude-desktop")),
          path: v.pipe(v.string(), v.nonEmpty("path must be a file path")),
          description: v.optional(v.string()),
        }),
      ),
    ),
  ),
  groups: v.optional(v.nullable(v.record(NameKey, v.array(v.string())))),
  settings: v.optional(v.nullable(v.record(v.string(), v.unknown()))),
});

export interface CustomHost {
  name: string;
  type: string;
  path: string;
  description?: string;
}

export interface HatchConfig {
  path: string;
  /** The file's text ("" when it does not exist), for in-place edits. */
  text: string;
  hosts: Map<string, CustomHost>;
  groups: Map<string, string[]>;
}

export function configPath(ws: Workspace): string {
  return join(ws.hatchHome, "config.yaml");
}

/**
 * Reads and validates config.yaml (an absent file is an empty config).
 * @throws HostParseError for YAML errors, ConfigError for invalid fields
 */
export function loadConfig(ws: Workspace): HatchConfig {
  const path = configPath(ws);
  const text = ws.system.readText(path) ?? "";
  let doc: unknown;
  try {
    doc = yaml.parse(text, path);
  } catch (e) {
    if (e instanceof HostParseError) throw e;
    throw new ConfigError(path, (e as Error).message);
  }
  const r = v.safeParse(ConfigSchema, doc ?? {});
  if (!r.success) {
    const issue = r.issues[0];
    const field = issue ? v.getDotPath(issue) : undefined;
    throw new ConfigError(path, `${field ? `field "${field}": ` : ""}${issue?.message ?? "invalid"}`);
  }
  const hosts = new Map<string, CustomHost>();
  for (const [name, h] of Object.entries(r.output.hosts ?? {})) {
    hosts.set(name, { name, type: h.type, path: h.path, ...(h.description ? { description: h.description } : {}) });
  }
  const groups = new Map<string, string[]>(Object.entries(r.output.groups ?? {}));
  return { path, text, hosts, groups };
}
