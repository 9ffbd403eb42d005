// `hatch watch`: turns argv into `watch({...})` (or `watchService.install/uninstall`) and prints
// one line per event: a heal, an error, a recovery. It returns only once stopped (SIGINT/SIGTERM),
// since main.ts exits when a command returns.
import { parseDuration } from "../../api/mcptest.ts";
import { env, host } from "../../api/sync.ts";
import {
  checkWatch,
  serviceName,
  type WatchEvent,
  type WatchOptions,
  type WatchServiceResult,
  watch,
  watchService,
} from "../../api/watch.ts";
import { UsageError } from "../../core/errors.ts";
import { tildify } from "../../hosts/_paths.ts";
import { splitList } from "../../store/targets.ts";
import { defaultWorkspace } from "../../store/workspace.ts";
import { type Invocation, str } from "../command.ts";
import { currentSource } from "../current.ts";
import { flushOutput, type Output, writeStdout } from "../output.ts";

/** Flags that only shape the service file, left out of the command it runs. */
const INSTALL_ONLY = new Set(["--install", "--uninstall", "--force", "--dry-run"]);
const INSTALL_ONLY_WITH_VALUE = new Set(["--name"]);

function optionsFrom(inv: Invocation): WatchOptions & { sourceName: string } {
  const v = inv.values;
  const fromHost = str(v["from-host"]);
  let fromEnv = str(v["from-env"]);
  const toHost = str(v["to-host"]);
  if (fromHost && fromEnv)
    throw new UsageError(
      "Give one source: --from-host or --from-env, not both",
      "For example: hatch watch --from-env production --to-host cursor",
    );
  if (!toHost)
    throw new UsageError(
      "Missing target: give --to-host LIST (hosts, groups or all)",
      "For example: hatch watch --from-env production --to-host cursor,vscode",
    );
  if (!fromHost && !fromEnv) {
    fromEnv = currentSource(inv, "give --from-host or --from-env");
    if (fromEnv === undefined)
      throw new UsageError(
        "Missing source: give --from-host HOST or --from-env ENV (no current environment is set)",
        'For example: hatch watch --from-env production --to-host cursor, or "hatch env use NAME" first',
      );
  }
  const to = splitList(toHost);
  if (to.length === 0) throw new UsageError("--to-host is empty", "Give host names separated by commas");
  const opts: WatchOptions & { sourceName: string } = {
    from: fromHost ? host(fromHost) : env(fromEnv as string),
    sourceName: fromHost ?? (fromEnv as string),
    to,
    workspace: defaultWorkspace(inv.env, inv.system),
    label: `hatch ${process.argv.slice(2).join(" ")}`,
  };
  const servers = str(v.servers);
  if (servers !== undefined) {
    const names = splitList(servers);
    if (names.length === 0)
      throw new UsageError("--servers is empty", "Give server names separated by commas");
    opts.servers = names;
  }
  const pattern = str(v.pattern);
  if (pattern !== undefined) opts.pattern = pattern;
  if (v.mirror) opts.mirror = true;
  if (v.strict) opts.strict = true;
  if (v["no-backup"]) opts.backup = false;
  const interval = str(v.interval);
  if (interval !== undefined) opts.intervalMs = parseDuration(interval, "--interval");
  return opts;
}

/** The command line without the flags that only shape the service file. */
function serviceArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const flag = a.replace(/=.*$/, "");
    if (INSTALL_ONLY.has(a)) continue;
    if (INSTALL_ONLY_WITH_VALUE.has(flag)) {
      if (!a.includes("=")) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

export async function runWatch(inv: Invocation): Promise<number> {
  const { out, values: v } = inv;
  const install = v.install === true;
  const uninstall = v.uninstall === true;
  if (install && uninstall) throw new UsageError("Give --install or --uninstall, not both");
  if (!install && !uninstall) {
    for (const f of ["name", "force", "dry-run"] as const)
      if (v[f] !== undefined)
        throw new UsageError(
          `--${f} goes with --install or --uninstall`,
          f === "dry-run" ? 'To see what is out of sync now, run "hatch mcp sync … --check"' : undefined,
        );
  }
  if (uninstall) return runUninstall(inv);
  const opts = optionsFrom(inv);
  if (install) return runInstall(inv, opts);

  const stop = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => stop.abort(sig);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    await watch({ ...opts, signal: stop.signal, onEvent: (e) => report(out, e) });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  return 0;
}

function runInstall(inv: Invocation, opts: WatchOptions & { sourceName: string }): number {
  const { out } = inv;
  checkWatch(opts); // bad input fails now, not in a service restarting every 10 s
  const name = str(inv.values.name) ?? serviceName(opts.sourceName);
  const args = serviceArgs(process.argv.slice(3));
  // The current environment is named: the service keeps watching it after another "env use".
  if (inv.values["from-env"] === undefined && inv.values["from-host"] === undefined)
    args.unshift("--from-env", opts.sourceName);
  const r = watchService.install({
    name,
    args: ["watch", ...args],
    force: inv.values.force === true,
    dryRun: inv.values["dry-run"] === true,
    ...(opts.workspace ? { workspace: opts.workspace } : {}),
  });
  return printService(out, inv, r);
}

function runUninstall(inv: Invocation): number {
  const v = inv.values;
  const source = str(v["from-env"]) ?? str(v["from-host"]);
  const name = str(v.name) ?? (source ? serviceName(source) : undefined);
  if (!name)
    throw new UsageError(
      "Which service? Give --name NAME, or the --from-env/--from-host it was installed with",
      "For example: hatch watch --uninstall --name production",
    );
  const r = watchService.uninstall({
    name,
    force: v.force === true,
    dryRun: v["dry-run"] === true,
    workspace: defaultWorkspace(inv.env, inv.system),
  });
  return printService(inv.out, inv, r);
}

function printService(out: Output, inv: Invocation, r: WatchServiceResult): number {
  if (out.json) {
    out.emitJson({
      platform: r.platform,
      name: r.name,
      path: r.path,
      status: r.status,
      dryRun: r.dryRun,
      command: r.command,
      content: r.content,
    });
    return 0;
  }
  const where = tildify(inv.ctx, r.path);
  if (r.dryRun && r.content) {
    out.print(`# ${r.path}`);
    out.print(r.content.trimEnd());
    out.print();
  }
  switch (r.status) {
    case "created":
    case "replaced":
      out.print(`${r.dryRun ? "Would write" : r.status === "created" ? "Wrote" : "Replaced"} ${where}`);
      out.print(`Start it with: ${r.command}`);
      break;
    case "unchanged":
      out.print(`${where} is already installed with these arguments`);
      out.print(`Start it with: ${r.command}`);
      break;
    case "removed":
      out.print(`${r.dryRun ? "Would remove" : "Removed"} ${where}`);
      out.print(`If it is running, stop it with: ${r.command}`);
      break;
    case "absent":
      out.print(`No service at ${where}: nothing to remove`);
      break;
  }
  return 0;
}

/** The time of an event as a log line shows it: ISO 8601 to the second. */
function stamp(iso: string): string {
  return iso.replace(/\.\d+Z$/, "Z");
}

function changeText(e: Extract<WatchEvent, { event: "heal" }>): string {
  const by = (a: string) => e.changes.filter((c) => c.action === a);
  const parts: string[] = [];
  const added = by("add");
  const updated = by("update");
  const removed = by("remove");
  if (added.length)
    parts.push(`${e.created ? "created with" : "added"} ${added.map((c) => c.name).join(", ")}`);
  if (updated.length)
    parts.push(
      `updated ${updated.map((c) => (c.fields?.length ? `${c.name} (${c.fields.join(", ")})` : c.name)).join(", ")}`,
    );
  if (removed.length) parts.push(`removed ${removed.map((c) => c.name).join(", ")}`);
  if (parts.length === 0) parts.push("rewritten");
  return parts.join("; ");
}

const WHY: Record<string, string> = {
  start: "",
  source: "source changed",
  target: "its file changed",
  check: "periodic check",
  retry: "retry",
};

// JSON text with DEL, C1 controls and U+2028/U+2029 as \u escapes, as output.ts writes JSON.
function jsonLine(doc: unknown): string {
  return `${JSON.stringify(doc).replace(
    /[\x7f-\x9f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  )}\n`;
}

function report(out: Output, e: WatchEvent): void {
  if (out.json) {
    writeStdout(jsonLine(e));
    return;
  }
  const t = stamp(e.time);
  switch (e.event) {
    case "watching": {
      const what = e.source.kind === "env" ? `environment "${e.source.name}"` : `host "${e.source.name}"`;
      const hosts = e.targets.map((x) => x.host).join(", ") || "(no host)";
      out.print(`${t} Watching ${what} → ${hosts} (checked every ${e.intervalMs / 1000}s; Ctrl-C stops)`);
      break;
    }
    case "heal": {
      const why = WHY[e.trigger] ? `; ${WHY[e.trigger]}` : "";
      const backup = e.backupId ? `; backup ${e.backupId}` : "";
      out.print(`${t} ${out.paint("green", "✓")} ${e.host}: ${changeText(e)}${why}${backup}`);
      for (const l of e.losses)
        out.print(
          `  ${out.paint("yellow", "!")} ${l.server}${l.field ? `: "${l.field}" dropped` : ""}: ${l.reason}`,
        );
      break;
    }
    case "error": {
      const retry =
        e.retry === "on-change"
          ? "not written; tried again when it changes"
          : e.retry === "next-check"
            ? "tried again at the next check"
            : "paused for a minute";
      out.printProblem(
        `${t} ${out.paint("red", "✗")} ${e.host ? `${e.host}: ` : ""}${e.message.replace(/\s*\n\s*/g, " ")} (${retry})`,
      );
      break;
    }
    case "recovered":
      out.print(`${t} ${e.host ?? "source"}: readable again`);
      break;
    case "warning":
      out.warn(e.message);
      break;
    case "stop":
      out.print(`${t} Stopped (${e.reason})`);
      break;
  }
  // A long-running command: each line goes out now, not when a 64 KB buffer fills.
  flushOutput();
}
