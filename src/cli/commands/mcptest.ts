// `hatch mcp test`: start each configured server the way its host would, perform the MCP handshake,
// list its tools, and print one verdict per server. The work is src/api/mcptest.ts; this file
// turns argv into targets and options, cleans up on Ctrl-C, and renders the report.
import { resolve as resolvePath } from "node:path";
import type { HostTarget } from "../../store/hostfile.ts";
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_TIMEOUT_MS,
  formatDuration,
  killAllServers,
  parseDuration,
  type ServerTestResult,
  type TestReport,
  testServers,
} from "../../api/mcptest.ts";
import { testTargets } from "../../api/servertest.ts";
import { splitList } from "../../store/targets.ts";
import { defaultWorkspace, type Workspace } from "../../store/workspace.ts";
import { UsageError } from "../../core/errors.ts";
import { tildify } from "../../hosts/_paths.ts";
import { type Invocation, str } from "../command.ts";
import type { Output } from "../output.ts";
import { startProgress } from "../progress.ts";
import { currentSource } from "../current.ts";

/** Exit codes for a run stopped by a signal: 128 + the signal's number, as shells report it. */
export const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

function targetsFor(inv: Invocation, ws: Workspace): HostTarget[] {
  const host = str(inv.values.host);
  let env = str(inv.values.env);
  const project = str(inv.values.project);
  // No source named: the current environment (`hatch env use`), else every detected host.
  if (host === undefined && env === undefined && project === undefined)
    env = currentSource(inv, "--host all for every host");
  if (env !== undefined && (host !== undefined || project !== undefined)) {
    throw new UsageError(
      `Give --env alone, not with ${host !== undefined ? "--host" : "--project"}`,
      "For example: hatch mcp test --env production",
    );
  }
  return testTargets(ws, {
    ...(host !== undefined ? { hosts: host } : {}),
    ...(env !== undefined ? { env } : {}),
    ...(project !== undefined ? { project } : {}),
  });
}

function positiveInt(text: string, flag: string): number {
  if (!/^\s*\d+\s*$/.test(text) || Number(text) < 1) {
    throw new UsageError(`Invalid ${flag} "${text}": give a whole number of 1 or more`);
  }
  return Number(text);
}

/** `host/server`, or just the server's name when it came from no host. */
export function testedName(r: ServerTestResult): string {
  return r.host ? `${r.host}/${r.server}` : r.server;
}

/**
 * The human lines for one verdict: `✓ host/server: N tools (name version) in 123 ms`,
 * `✗ host/server: reason` (then the server's last stderr lines), or `- host/server: skipped (…)`.
 * Secrets were already redacted by the API. Exported for `hatch mcp sync --verify-servers`.
 */
export function resultLines(r: ServerTestResult, out: Output): string[] {
  const name = testedName(r);
  if (r.status === "ok") {
    const n = r.tools?.length ?? 0;
    const info = r.serverInfo ? ` (${r.serverInfo.name} ${r.serverInfo.version})` : "";
    return [`${out.paint("green", "✓")} ${name}: ${n} tool${n === 1 ? "" : "s"}${info} in ${r.elapsedMs} ms`];
  }
  if (r.status === "skipped")
    return [`${out.paint("dim", "-")} ${name}: skipped (${r.skipped ?? "disabled"})`];
  const lines = [`${out.paint("red", "✗")} ${name}: ${r.error?.message ?? "failed"}`];
  for (const l of r.error?.stderr ?? []) lines.push(out.paint("dim", `    │ ${l}`));
  return lines;
}

/** One verdict's lines; a failure shows with --quiet too (on stderr). */
export function printResult(r: ServerTestResult, out: Output): void {
  for (const line of resultLines(r, out)) {
    if (r.status === "failed") out.printProblem(line);
    else out.print(line);
  }
}

/** The closing totals: `3 servers tested: 2 passed, 1 failed`. */
export function totalsLine(report: TestReport, out: Output): string {
  const total = report.results.length;
  const parts = [out.paint("green", `${report.passed} passed`)];
  if (report.failed) parts.push(out.paint("red", `${report.failed} failed`));
  if (report.skipped) parts.push(`${report.skipped} skipped`);
  return `${total} server${total === 1 ? "" : "s"} tested: ${parts.join(", ")}`;
}

/**
 * Runs `fn` with SIGINT/SIGTERM handlers that kill every server process group started by
 * `testServers` and abort the signal given to `fn` (running tests then report "interrupted").
 * Servers run in their own process groups, so Ctrl-C at a terminal reaches only hatch: without
 * this, they would outlive it. Returns the signal that stopped the run, if any; the caller maps
 * it to an exit code (SIGNAL_EXIT). For `hatch mcp test` and `hatch mcp sync --verify-servers`.
 */
export async function withServerCleanup<T>(
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<{ value: T; stoppedBy?: NodeJS.Signals }> {
  const abort = new AbortController();
  let stoppedBy: NodeJS.Signals | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    stoppedBy ??= sig;
    killAllServers();
    abort.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const value = await fn(abort.signal);
    return stoppedBy ? { value, stoppedBy } : { value };
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    killAllServers();
  }
}

export async function runTest(inv: Invocation): Promise<number> {
  const timeoutMs = parseDuration(str(inv.values.timeout) ?? formatDuration(DEFAULT_TIMEOUT_MS));
  const concurrencyText = str(inv.values.concurrency);
  const concurrency =
    concurrencyText === undefined ? DEFAULT_CONCURRENCY : positiveInt(concurrencyText, "--concurrency");
  const servers =
    str(inv.values.server) !== undefined ? splitList(str(inv.values.server) as string) : undefined;
  if (servers?.length === 0)
    throw new UsageError("--server is empty", "Give server names separated by commas");
  const ws = defaultWorkspace(inv.env, inv.system);
  const targets = targetsFor(inv, ws);
  const out = inv.out;

  if (!out.json && str(inv.values.project) !== undefined)
    out.print(`Project: ${tildify(inv.ctx, resolvePath(str(inv.values.project) as string))}`);

  // Print verdicts in input order as soon as each one and all before it are known.
  const ready: (ServerTestResult | undefined)[] = [];
  let printed = 0;
  // A spinner until the first verdict is printed (verdict lines then show the progress).
  const spinner = startProgress(`Starting servers (${targets.length} host file(s))`, {
    json: out.json,
    quiet: out.quiet,
  });
  const { value: report, stoppedBy } = await withServerCleanup((signal) =>
    testServers(targets, {
      timeoutMs,
      concurrency,
      env: ws.env,
      system: ws.system,
      signal,
      ...(servers ? { servers } : {}),
      onResult(r, i) {
        if (out.json) return;
        spinner.stop();
        ready[i] = r;
        while (ready[printed] !== undefined) {
          printResult(ready[printed] as ServerTestResult, out);
          printed++;
        }
      },
    }),
  );
  spinner.stop();

  for (const h of report.hostErrors) out.error(h.message);
  for (const bad of report.invalid)
    out.warn(`Skipped entry "${bad.name}" in ${bad.host}: ${bad.problems.join("; ")}`);

  if (out.json) {
    out.emitJson({
      timeoutMs,
      concurrency,
      results: report.results,
      summary: {
        total: report.results.length,
        passed: report.passed,
        failed: report.failed,
        skipped: report.skipped,
      },
      hostErrors: report.hostErrors,
      invalid: report.invalid,
      ...(stoppedBy ? { interrupted: stoppedBy } : {}),
    });
  } else if (report.results.length === 0 && report.hostErrors.length === 0) {
    out.print(
      targets.length === 0
        ? 'No MCP hosts detected. Run "hatch mcp discover hosts" to see where hatch looks'
        : `No MCP servers configured in ${targets.map((t) => t.name).join(", ")}`,
    );
  } else if (report.results.length > 0) {
    out.print();
    out.print(totalsLine(report, out));
  }
  if (stoppedBy) {
    out.error(`Interrupted by ${stoppedBy}: stopped every server that was still starting`);
    return SIGNAL_EXIT[stoppedBy] ?? 130;
  }
  if (report.hostErrors.length > 0) return 2;
  return report.failed > 0 ? 1 : 0;
}
