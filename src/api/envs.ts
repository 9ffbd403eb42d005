// `envs.*`: environments kept by hatch (HATCH_HOME/envs/NAME.yaml), as both faces use them
// (`hatch env …` and scripts). Writes go through the file transaction (apply/file.ts).
import { dryRunWorkspace } from "../apply/apply.ts";
import { changeFile } from "../apply/file.ts";
import { ConfigError, HostParseError, UsageError } from "../core/errors.ts";
import type { Server, ServerMap } from "../core/model.ts";
import {
  checkEnvName,
  currentEnv,
  currentPath,
  envExists,
  envPath,
  envTarget,
  listEnvNames,
  newEnvText,
  readEnv,
} from "../store/envs.ts";
import { captureSecrets } from "../secrets/capture.ts";
import { readHost } from "../store/hostfile.ts";
import { listSources, sourceEnvNames } from "../store/sources.ts";
import { resolveTargets } from "../store/targets.ts";
import { defaultWorkspace, type Workspace } from "../store/workspace.ts";
import { storeSecrets } from "./secrets.ts";

export interface EnvSummary {
  /** `production`, or `team/production` for an environment of a git source. */
  name: string;
  /** For an environment of a git source: the source and the commit it is pinned to. */
  source?: { name: string; commit: string };
  description: string;
  /** Server names, in file order. */
  servers: string[];
  current: boolean;
  path: string;
  /**
   * Why the file cannot be read (bad YAML, an unknown field), when it cannot: the environment is
   * still listed, with no servers, so one broken file never hides the others.
   */
  error?: string;
}

export interface EnvDetail {
  name: string;
  description: string;
  servers: Record<string, Server>;
  current: boolean;
  path: string;
}

export interface EnvCreateResult {
  name: string;
  path: string;
  dryRun: boolean;
  created: boolean;
  /** The host the servers were captured from. */
  fromHost?: string;
  servers: string[];
  /** Entries of the host that are not valid servers: left out, each with why. */
  skipped: { name: string; problems: string[] }[];
}

export interface EnvRemoveResult {
  name: string;
  path: string;
  dryRun: boolean;
  removed: boolean;
  wasCurrent: boolean;
  backupId?: string;
}

export interface EnvUseResult {
  current: string;
  previous: string | undefined;
  dryRun: boolean;
}

/** The environments of every git source, as pinned by the last pull. */
function sharedEnvs(ws: Workspace, current: string | undefined): EnvSummary[] {
  return listSources(ws).flatMap((s) =>
    sourceEnvNames(ws, s).map((n): EnvSummary => {
      const e = readEnv(ws, `${s.name}/${n}`);
      return {
        name: e.name,
        source: { name: s.name, commit: s.commit },
        description: e.description ?? "",
        servers: [...e.servers.keys()],
        current: e.name === current,
        path: e.path,
      };
    }),
  );
}

function wsOf(opts: { workspace?: Workspace } | undefined): Workspace {
  return opts?.workspace ?? defaultWorkspace();
}

/** Reads a host's servers to capture; invalid entries are left out and reported. */
function capture(ws: Workspace, hostName: string) {
  const targets = resolveTargets(ws, hostName);
  if (targets.length !== 1 || !targets[0]) {
    throw new UsageError(
      `The host to capture must be one host, but "${hostName}" names ${targets.length}`,
      "Give a single host id or custom host",
    );
  }
  const r = readHost(targets[0], ws.system);
  if (!r.exists) {
    throw new UsageError(
      `Host "${r.target.name}" has no config file at "${r.target.path}"`,
      `Check it with "hatch mcp list servers --host ${hostName}"`,
    );
  }
  return { host: r.target.name, servers: r.servers, skipped: r.invalid };
}

export const envs = {
  /** Creates an environment: empty, or holding a host's servers (`fromHost`). */
  async create(
    name: string,
    opts: { description?: string; fromHost?: string; dryRun?: boolean; workspace?: Workspace } = {},
  ): Promise<EnvCreateResult> {
    const ws = wsOf(opts);
    checkEnvName(name);
    if (envExists(ws, name)) {
      throw new UsageError(
        `Environment "${name}" already exists`,
        `Show it with "hatch env show ${name}", or remove it first with "hatch env remove ${name}"`,
      );
    }
    const captured = opts.fromHost ? capture(ws, opts.fromHost) : undefined;
    // Secret-looking literals move to the secret store; the file keeps `${secret:…}` (issue 21).
    const moved = captureSecrets(captured?.servers ?? new Map(), name);
    const servers: ServerMap = moved.servers;
    const path = envPath(ws, name);
    // Rendered first: a server the file cannot hold stops here, before anything is written.
    const text = newEnvText(name, opts.description, servers);
    const dryRun = opts.dryRun === true;
    if (!dryRun) storeSecrets(ws, moved.secrets);
    changeFile(dryRun ? dryRunWorkspace(ws) : ws, {
      path,
      expected: undefined,
      next: text,
      replan: () => {
        throw new UsageError(`Environment "${name}" was created by another program meanwhile`);
      },
    });
    return {
      name,
      path,
      dryRun,
      created: !dryRun,
      ...(captured ? { fromHost: captured.host } : {}),
      servers: [...servers.keys()],
      skipped: captured?.skipped ?? [],
    };
  },

  /** Makes an environment the current one (the source of syncs and tests that name none). */
  async use(name: string, opts: { dryRun?: boolean; workspace?: Workspace } = {}): Promise<EnvUseResult> {
    const ws = wsOf(opts);
    envTarget(ws, name);
    const previous = currentEnv(ws);
    const dryRun = opts.dryRun === true;
    if (previous !== name) {
      const path = currentPath(ws);
      changeFile(dryRun ? dryRunWorkspace(ws) : ws, {
        path,
        expected: ws.system.readText(path),
        next: `${name}\n`,
        replan: () => `${name}\n`,
      });
    }
    return { current: name, previous, dryRun };
  },

  /** The current environment's name, or undefined when none is set. */
  current(opts: { workspace?: Workspace } = {}): string | undefined {
    return currentEnv(wsOf(opts));
  },

  /** Every environment, with its description and server names; one that cannot be read has `error`. */
  list(opts: { workspace?: Workspace } = {}): EnvSummary[] {
    const ws = wsOf(opts);
    const current = currentEnv(ws);
    // Hatch's own environments, then those of each git source (`team/production`).
    return [
      ...listEnvNames(ws).map((n): EnvSummary => {
        let e: ReturnType<typeof readEnv>;
        try {
          e = readEnv(ws, n);
        } catch (err) {
          if (!(err instanceof HostParseError || err instanceof ConfigError || err instanceof UsageError))
            throw err;
          return {
            name: n,
            description: "",
            servers: [],
            current: n === current,
            path: envPath(ws, n),
            error: err.message,
          };
        }
        return {
          name: e.name,
          description: e.description ?? "",
          servers: [...e.servers.keys()],
          current: e.name === current,
          path: e.path,
        };
      }),
      ...sharedEnvs(ws, current),
    ];
  },

  /** One environment with its servers. */
  show(name: string, opts: { workspace?: Workspace } = {}): EnvDetail {
    const ws = wsOf(opts);
    const e = readEnv(ws, name);
    return {
      name: e.name,
      description: e.description ?? "",
      servers: Object.fromEntries(e.servers),
      current: currentEnv(ws) === e.name,
      path: e.path,
    };
  },

  /** Removes an environment (a backup snapshot of its file is taken first unless `noBackup`). */
  async remove(
    name: string,
    opts: { dryRun?: boolean; noBackup?: boolean; label?: string; workspace?: Workspace } = {},
  ): Promise<EnvRemoveResult> {
    const ws = wsOf(opts);
    const t = envTarget(ws, name);
    const wasCurrent = currentEnv(ws) === name;
    const dryRun = opts.dryRun === true;
    const w = dryRun ? dryRunWorkspace(ws) : ws;
    const r = changeFile(w, {
      path: t.path,
      expected: ws.system.readText(t.path),
      next: null,
      replan: () => null,
      ...(opts.noBackup || dryRun
        ? {}
        : { backup: { host: t.name, reason: "env remove", ...(opts.label ? { command: opts.label } : {}) } }),
    });
    if (wasCurrent) {
      const cp = currentPath(ws);
      changeFile(w, { path: cp, expected: ws.system.readText(cp), next: null, replan: () => null });
    }
    return {
      name,
      path: t.path,
      dryRun,
      removed: !dryRun && r.status === "removed",
      wasCurrent,
      ...(r.backupId ? { backupId: r.backupId } : {}),
    };
  },
};
