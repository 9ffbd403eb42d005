// Environments: named sets of canonical servers kept by hatch in HATCH_HOME/envs/<name>.yaml,
// readable YAML whose comments survive edits. An environment is read and written through the
// same adapter interface as a host file, so sync can take it as a source or a target.
import { join } from "node:path";
import type { HostTarget } from "../api/hostfile.ts";
import type { Workspace } from "../api/workspace.ts";
import { isPlainObject } from "../core/edits.ts";
import { UsageError } from "../core/errors.ts";
import { CANONICAL_FIELDS, ENTITY_NAME_RE, parseServer, type Server } from "../core/model.ts";
import type { HostAdapter } from "../hosts/_adapter.ts";
import { yaml } from "../hosts/_format/yaml.ts";
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
}

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
  checkEnvName(name);
  const path = envPath(ws, name);
  if (!opts.create && !ws.system.exists(path)) {
    const s = suggest(name, listEnvNames(ws));
    throw new UsageError(
      `Unknown environment "${name}"${s ? `: did you mean "${s}"?` : ""}`,
      `Create it with "hatch env create ${name}", or list environments with "hatch env list"`,
    );
  }
  return { name: `env:${name}`, adapter: envAdapter, path, scope: "custom" };
}
