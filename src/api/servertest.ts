// `testServers({...})`: the API face of `hatch mcp test`. Resolves which host files to test (hosts,
// an environment, a project's files, or every detected host) and starts each server as its host
// would (api/mcptest.ts).
import { resolve as resolvePath } from "node:path";
import { UsageError } from "../core/errors.ts";
import { HOSTS } from "../hosts/registry.ts";
import { envTarget } from "../store/envs.ts";
import type { HostTarget } from "../store/hostfile.ts";
import { detectedTargets, resolveTargets, splitList } from "../store/targets.ts";
import { defaultWorkspace, type Workspace } from "../store/workspace.ts";
import type { HostName } from "./sync.ts";
import { type ServerTestResult, type TestReport, testServers as testInput } from "./mcptest.ts";

export interface TestServersOptions {
  /** Host names, groups, comma lists or "all" (default: every host detected here). */
  hosts?: HostName | readonly HostName[];
  /** An environment instead of hosts. */
  env?: string;
  /** The hosts' project files in this directory (with `hosts`: only theirs). */
  project?: string;
  /** Only these servers. */
  servers?: string | readonly string[];
  /** Bound on start + initialize + tools/list for one server, in ms (default 10 s). */
  timeoutMs?: number;
  /** Servers tested at once (default 4). */
  concurrency?: number;
  /** Aborting stops every running test and kills its processes. */
  signal?: AbortSignal;
  /** Called as each server's verdict is known. */
  onResult?: (result: ServerTestResult, index: number) => void;
  workspace?: Workspace;
}

/**
 * The project-scope files of the hosts that have one, inside `dir`: those of `hostNames` when
 * given, else every one that exists. Named `project:<host id>`.
 */
function projectTargets(
  ws: Workspace,
  dir: string,
  hostNames: string | readonly string[] | undefined,
): HostTarget[] {
  const abs = resolvePath(dir);
  if (!ws.system.exists(abs)) throw new UsageError(`Project directory "${dir}" does not exist`);
  const adapters = hostNames ? resolveTargets(ws, hostNames).map((t) => t.adapter) : HOSTS;
  const out: HostTarget[] = [];
  for (const adapter of adapters) {
    if (!adapter.projectPath) {
      if (hostNames)
        throw new UsageError(
          `Host "${adapter.id}" has no project-scope file`,
          "Leave out the project to test its user file",
        );
      continue;
    }
    const path = adapter.projectPath(abs, ws.ctx);
    if (hostNames || ws.system.exists(path))
      out.push({ name: `project:${adapter.id}`, adapter, path, scope: "project" });
  }
  return out;
}

/** The host files a test covers. */
export function testTargets(ws: Workspace, opts: TestServersOptions): HostTarget[] {
  if (opts.env !== undefined && (opts.hosts !== undefined || opts.project !== undefined)) {
    throw new UsageError(
      `Test an environment alone, not with ${opts.hosts !== undefined ? "hosts" : "a project"}`,
      'For example: testServers({ env: "production" })',
    );
  }
  if (opts.env !== undefined) return [envTarget(ws, opts.env)];
  if (opts.project !== undefined) return projectTargets(ws, opts.project, opts.hosts);
  if (opts.hosts !== undefined) return resolveTargets(ws, opts.hosts);
  return detectedTargets(ws.ctx, ws.system);
}

/**
 * Starts each configured server the way its host would, performs the MCP handshake and lists its
 * tools.
 * @returns `ok` when every tested server answered (and every host file could be read)
 * @example
 * const report = await testServers({ hosts: "cursor", timeoutMs: 10_000 });
 * for (const r of report.results) console.log(r.host, r.server, r.status, r.tools);
 */
export async function testServers(opts: TestServersOptions = {}): Promise<TestReport & { ok: boolean }> {
  const ws = opts.workspace ?? defaultWorkspace();
  const targets = testTargets(ws, opts);
  const servers = opts.servers !== undefined ? splitList(opts.servers) : undefined;
  const report = await testInput(targets, {
    env: ws.env,
    system: ws.system,
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onResult ? { onResult: opts.onResult } : {}),
    ...(servers ? { servers } : {}),
  });
  return { ...report, ok: report.failed === 0 && report.hostErrors.length === 0 };
}
