// `hatch mcp list hosts` and `hatch mcp list servers [--host H]`: what each host file holds.
import { type HostRead, readHost } from "../../store/hostfile.ts";
import { resolveTargets } from "../../store/targets.ts";
import { defaultWorkspace } from "../../store/workspace.ts";
import { HostParseError, UsageError } from "../../core/errors.ts";
import { isRemote, type Server } from "../../core/model.ts";
import { UnreachableError } from "../../system/ssh.ts";
import { tildify } from "../../hosts/_paths.ts";
import { type Invocation, str } from "../command.ts";
import { envTarget } from "../../store/envs.ts";
import { redactMap, table } from "../output.ts";
import { currentSource } from "../current.ts";

function transportOf(s: Server): string {
  return isRemote(s) ? (s.transport ?? "http") : "stdio";
}

function targetOf(s: Server): string {
  if (isRemote(s)) return s.url;
  return [s.command, ...(s.args ?? [])].map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(" ");
}

/** A server as shown in --json output, with secrets redacted unless --show-secrets. */
export function serverJson(name: string, s: Server, showSecrets: boolean): Record<string, unknown> {
  const o: Record<string, unknown> = { name, transport: transportOf(s), ...s };
  if ("env" in s && s.env) o.env = redactMap(s.env, showSecrets);
  if ("headers" in s && s.headers) o.headers = redactMap(s.headers, showSecrets);
  return o;
}

/**
 * Reads each host (`--host`: built-in ids, custom hosts, groups, lists or all; none: every
 * detected host and every custom host) or one environment. Without `--host`, a host that cannot
 * be read is reported and makes the exit code 2; a named host or environment that cannot be
 * read is an error.
 */
function readAll(
  inv: Invocation,
  hostName: string | undefined,
  envName?: string,
): { reads: HostRead[]; failed: number; code: number } {
  const ws = defaultWorkspace(inv.env, inv.system);
  const named = hostName !== undefined || envName !== undefined;
  const targets = envName !== undefined ? [envTarget(ws, envName)] : resolveTargets(ws, hostName ?? "all");
  const reads: HostRead[] = [];
  let failed = 0;
  let unreachable = 0;
  for (const t of targets) {
    try {
      reads.push(readHost(t, ws.system));
    } catch (e) {
      // A machine that cannot be reached fails its hosts (exit 1), not the listing of the others.
      // (A group or `all` lists the others; one host named alone is an error of its own.)
      if ((!named || targets.length > 1) && e instanceof UnreachableError) {
        inv.out.error(e.message);
        unreachable++;
        continue;
      }
      if (named || !(e instanceof HostParseError)) throw e;
      inv.out.error(e.message);
      failed++;
    }
  }
  for (const r of reads) {
    for (const bad of r.invalid) {
      inv.out.warn(
        `Skipped entry "${bad.name}" in ${r.target.name} (${tildify(inv.ctx, r.target.path)}): ${bad.problems.join("; ")}`,
      );
    }
  }
  return { reads, failed, code: failed ? 2 : unreachable ? 1 : 0 };
}

export function runListServers(inv: Invocation): number {
  const hostName = str(inv.values.host);
  let envName = str(inv.values.env);
  if (hostName !== undefined && envName !== undefined) {
    throw new UsageError(
      "Give --host or --env, not both",
      "List the hosts and the environment one after the other",
    );
  }
  // No source named: the current environment (`hatch env use`), else every detected host.
  if (hostName === undefined && envName === undefined && str(inv.values.project) === undefined)
    envName = currentSource(inv, "--host all for every host");
  const { reads, code } = readAll(inv, hostName, envName);
  const single = reads.length === 1 && (hostName !== undefined || envName !== undefined);
  const rows = reads.flatMap((r) => [...r.servers].map(([name, s]) => ({ host: r.target.name, name, s })));
  if (single) rows.sort((a, b) => a.name.localeCompare(b.name));
  else rows.sort((a, b) => a.name.localeCompare(b.name) || a.host.localeCompare(b.host));
  if (inv.values.json) {
    inv.out.emitJson({
      hosts: reads.map((r) => ({ host: r.target.name, path: r.target.path, exists: r.exists })),
      servers: rows.map((r) => ({ host: r.host, ...serverJson(r.name, r.s, inv.out.showSecrets) })),
      // Entries that are not valid servers, and servers the host runs that hatch cannot convert.
      invalid: reads.flatMap((r) =>
        r.invalid.filter((i) => !i.unconvertible).map((i) => ({ host: r.target.name, ...i })),
      ),
      skipped: reads.flatMap((r) =>
        r.invalid
          .filter((i) => i.unconvertible)
          .map((i) => ({ host: r.target.name, name: i.name, reason: i.problems.join("; ") })),
      ),
    });
    return code;
  }
  if (single) {
    const r = reads[0];
    if (r && envName !== undefined) {
      inv.out.print(`Environment: ${envName} (${tildify(inv.ctx, r.target.path)})`);
    } else if (r) {
      inv.out.print(
        `Host: ${r.target.name} (${tildify(inv.ctx, r.target.path)}${r.exists ? "" : ", not created yet"})`,
      );
    }
    if (rows.length === 0) inv.out.print("No MCP servers configured");
    else
      inv.out.print(
        table(
          ["Server", "Transport", "Command / URL"],
          rows.map((x) => [x.name, transportOf(x.s), targetOf(x.s)]),
        ).join("\n"),
      );
  } else if (rows.length === 0) {
    inv.out.print(
      hostName
        ? `No MCP servers found on ${reads.map((r) => r.target.name).join(", ") || "any host"}`
        : "No MCP servers found on any detected host",
    );
  } else {
    inv.out.print("MCP Servers:");
    inv.out.print(
      table(
        ["Server", "Host", "Transport", "Command / URL"],
        rows.map((x) => [x.name, x.host, transportOf(x.s), targetOf(x.s)]),
      ).join("\n"),
    );
  }
  return code;
}

export function runListHosts(inv: Invocation): number {
  const { reads, code } = readAll(inv, undefined);
  if (inv.values.json) {
    inv.out.emitJson({
      hosts: reads.map((r) => ({
        host: r.target.name,
        path: r.target.path,
        exists: r.exists,
        servers: [...r.servers.keys()],
      })),
    });
    return code;
  }
  if (reads.length === 0) {
    inv.out.print('No MCP hosts detected. Run "hatch mcp discover hosts" to see where hatch looks');
    return code;
  }
  inv.out.print("MCP Hosts:");
  inv.out.print(
    table(
      ["Host", "Servers", "Config Path"],
      reads.map((r) => [r.target.name, String(r.servers.size), tildify(inv.ctx, r.target.path)]),
    ).join("\n"),
  );
  return code;
}
