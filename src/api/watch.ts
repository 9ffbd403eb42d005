// `hatch watch` and the scripting API's `watch()`: apply once, then keep the targets in sync while
// the source or a target changes. Every apply is the sync engine's (SyncBuilder.apply(): lock →
// re-plan a file changed meanwhile → backup of what it found → atomic write → read back), so a
// heal is exactly a sync, additive unless mirror, and stopped by strict as a sync is.
//
// What wakes it: fs.watch on the directories of the files (editors and host apps replace files by
// rename, which a watch on the file itself stops seeing), debounced; a periodic check of the files'
// stat signatures, which also covers file systems without events (NFS, SMB) and a directory that
// appears later; and a full re-plan now and then, which covers what no signature shows (a remote
// host, a host group that gained a member). Idle, it costs a few stat() calls per interval.
import { type FSWatcher, watch as fsWatch, lstatSync, realpathSync, statSync } from "node:fs";
import { basename, dirname } from "node:path";
import type { Loss } from "../core/adapter.ts";
import { HostParseError, UsageError } from "../core/errors.ts";
import { pathsFor } from "../hosts/_paths.ts";
import { configPath } from "../store/config.ts";
import { envTarget } from "../store/envs.ts";
import { resolveTargets } from "../store/targets.ts";
import { defaultWorkspace, type Workspace } from "../store/workspace.ts";
import {
  env as envRef,
  type HostName,
  host as hostRef,
  type Ref,
  resolveRefs,
  type ServerFilter,
  type SyncBuilder,
  sync,
} from "./sync.ts";

/** What `watch()` takes. */
export interface WatchOptions {
  /** The source: `host("claude-desktop")`, `env("production")`, or a host name. */
  from: Ref | HostName;
  /** Targets: host ids, custom hosts, groups, `"all"`, or `env("name")`. */
  to: Ref | HostName | readonly (Ref | HostName)[];
  /** Only these servers (each must exist in the source). */
  servers?: readonly string[];
  /** Only servers whose name matches: a RegExp, a pattern string (matched from the start), or a predicate. */
  pattern?: ServerFilter;
  /** Also remove target servers that the selection covers but the source lacks. */
  mirror?: boolean;
  /** Write nothing while a conversion would lose something (reported as an error event). */
  strict?: boolean;
  /** Snapshot each file before it is written (default true). */
  backup?: boolean;
  /** Called with every event, in order. A callback that throws stops the watch and rejects its promise. */
  onEvent?: (event: WatchEvent) => void;
  /** Stops the watch; the promise then resolves. */
  signal?: AbortSignal;
  /** How often the files are checked without an event, in ms (default 2000). */
  intervalMs?: number;
  /** How long a burst of file events is let settle before re-applying, in ms (default 150). */
  debounceMs?: number;
  /** How often everything is planned again even though nothing seemed to change, in ms (default 60000). */
  fullCheckMs?: number;
  /**
   * A host healed this many times within a minute is fighting hatch (its app rewrites the file at
   * once): it is left alone for a minute, with an error event (default 5).
   */
  maxHealsPerMinute?: number;
  /** Use another workspace (HATCH_HOME, HOME, OS) than the process's. */
  workspace?: Workspace;
  /** Use the hosts' project files in this directory. */
  project?: string;
  /** Label recorded in backups (the CLI passes its command line). */
  label?: string;
}

/** One server a heal changed. */
export interface WatchChange {
  name: string;
  action: "add" | "update" | "remove";
  /** For updates: the canonical fields that changed (names only, never values). */
  fields?: string[];
}

/**
 * Why a cycle ran: the first apply (`start`), the source changed, a target changed, the periodic
 * full check, or a retry of a host that failed or was paused.
 */
export type WatchTrigger = "start" | "source" | "target" | "check" | "retry";

/** What `watch()` reports, one object per event (the CLI's `--json` prints each as one line). */
export type WatchEvent =
  | {
      event: "watching";
      time: string;
      source: { kind: "host" | "env"; name: string; path: string };
      targets: { host: string; path: string }[];
      intervalMs: number;
    }
  | {
      event: "heal";
      time: string;
      host: string;
      path: string;
      trigger: WatchTrigger;
      /** The file did not exist (or was removed) and was created. */
      created: boolean;
      changes: WatchChange[];
      losses: Loss[];
      /** The snapshot holding what the file held before. */
      backupId: string | null;
      /** The file changed again between plan and write and was planned again under the lock. */
      replanned: boolean;
    }
  | {
      event: "error";
      time: string;
      /** The host the error is about; absent for the source or the whole run. */
      host?: string;
      path?: string;
      message: string;
      /** When it is tried again: when a file changes, at the next check, or after a pause. */
      retry: "on-change" | "next-check" | "after-pause";
    }
  | { event: "recovered"; time: string; host?: string; path?: string }
  | { event: "warning"; time: string; message: string }
  | { event: "stop"; time: string; reason: string };

/** What `watch()` resolves to once stopped. */
export interface WatchSummary {
  /** Host files written. */
  heals: number;
  /** Error events. */
  errors: number;
  /** Times the engine planned. */
  cycles: number;
}

/** The files a watch reads: checked before it starts, so bad input fails at once. */
export interface WatchFiles {
  source: { kind: "host" | "env"; name: string; path: string };
  targets: { host: string; path: string }[];
}

interface Prepared {
  ws: Workspace;
  from: Ref;
  to: (string | Ref)[];
  base: SyncBuilder;
  sourcePath: string;
}

function asList<T>(x: T | readonly T[]): T[] {
  return Array.isArray(x) ? [...(x as readonly T[])] : [x as T];
}

function prepare(opts: WatchOptions): Prepared {
  if (!opts || typeof opts !== "object") throw new TypeError("watch() takes an options object");
  if (opts.from === undefined) throw new TypeError('watch() needs "from": host("…") or env("…")');
  const from: Ref = typeof opts.from === "string" ? hostRef(opts.from) : opts.from;
  const to = asList(opts.to ?? []);
  if (to.length === 0) throw new TypeError('watch() needs "to": hosts, groups, "all" or env("…")');
  for (const [k, v] of [
    ["intervalMs", opts.intervalMs],
    ["debounceMs", opts.debounceMs],
    ["fullCheckMs", opts.fullCheckMs],
  ] as const) {
    if (v !== undefined && !(Number.isFinite(v) && v >= (k === "debounceMs" ? 0 : 10)))
      throw new RangeError(`watch(): ${k} must be a number of milliseconds (got ${String(v)})`);
  }
  let ws = opts.workspace ?? defaultWorkspace();
  if (opts.project) ws = { ...ws, project: pathsFor(ws.ctx).resolve(opts.project) };
  let base = sync()
    .withWorkspace(ws)
    .from(from)
    .label(opts.label ?? "hatch watch");
  if (opts.servers) base = base.servers([...opts.servers]);
  if (opts.pattern !== undefined) base = base.filter(opts.pattern); // a bad pattern throws here
  if (opts.mirror) base = base.mirror();
  if (opts.strict) base = base.strict();
  if (opts.backup === false) base = base.noBackup();
  return { ws, from, to, base, sourcePath: sourcePathOf(ws, from) };
}

/** The source's file, resolved as sync resolves it. @throws UsageError for an unknown host or environment */
function sourcePathOf(ws: Workspace, from: Ref): string {
  if (from.kind === "env") return envTarget(ws, from.name).path;
  const ts = resolveTargets(ws, from.name, undefined, { userFallback: true });
  if (ts.length !== 1 || !ts[0])
    throw new UsageError(
      `The source must be one host, but "${from.name}" names ${ts.length}`,
      "Name a single host id or custom host as the source",
    );
  return ts[0].path;
}

/**
 * Checks what a watch would read, without reading or writing any host file: the source exists as
 * a name, every target name resolves, the pattern compiles. `watchService.install` runs it so a
 * service is never installed with arguments that fail at once.
 * @throws UsageError for an unknown host, group or environment, or a bad pattern
 */
export function checkWatch(opts: WatchOptions): WatchFiles {
  const p = prepare(opts);
  const targets = resolveRefs(p.ws, p.to, { exclude: p.sourcePath });
  return {
    source: { kind: p.from.kind, name: p.from.name, path: p.sourcePath },
    targets: targets.map((t) => ({ host: t.name, path: t.path })),
  };
}

/** A file's identity and version as stat() sees it ("" where it cannot be seen). */
function signature(path: string): string {
  if (path.includes("://")) return "remote"; // a host on another machine: the full check covers it
  try {
    const s = statSync(path, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.mode}`;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? "error";
  }
}

function dirIdentity(dir: string): string | undefined {
  try {
    const s = statSync(dir, { bigint: true });
    return s.isDirectory() ? `${s.dev}:${s.ino}` : undefined;
  } catch {
    return undefined;
  }
}

function now(): string {
  return new Date().toISOString();
}

/**
 * Applies once, then watches the source and every target file and re-applies when they drift:
 * a host that wipes or rewrites its file is healed within seconds, through the same engine as
 * `sync()` (a backup of what it found, an atomic write, a read-back). Additive like `sync()`;
 * `mirror` and `strict` as there. A file that cannot be parsed is reported (an `error` event) and
 * left alone, and tried again when it changes. Resolves when `signal` aborts.
 * @param opts the source, the targets, the selection and how to report (`onEvent`)
 * @returns how many files were healed, errors reported and plans made
 * @throws UsageError at once for an unknown host, group or environment, or a bad pattern
 * @example
 * const stop = new AbortController();
 * process.on("SIGINT", () => stop.abort());
 * await watch({
 *   from: env("production"),
 *   to: ["cursor", "claude-desktop"],
 *   signal: stop.signal,
 *   onEvent: (e) => console.log(JSON.stringify(e)),
 * });
 */
export async function watch(opts: WatchOptions): Promise<WatchSummary> {
  const p = prepare(opts);
  // Unknown target names are bad input now; later (a group edited while watching) an error event.
  resolveRefs(p.ws, p.to, { exclude: p.sourcePath });
  const summary: WatchSummary = { heals: 0, errors: 0, cycles: 0 };
  const signal = opts.signal;
  if (signal?.aborted) return summary;
  return new Watcher(p, opts, summary).run();
}

/** The refs that name one resolved target again: its name (or `env(...)` for an environment). */
function refOf(name: string): string | Ref {
  return name.startsWith("env:") ? envRef(name.slice(4)) : name;
}

class Watcher {
  readonly #p: Prepared;
  readonly #opts: WatchOptions;
  readonly #summary: WatchSummary;
  readonly #interval: number;
  readonly #debounce: number;
  readonly #fullEvery: number;
  readonly #maxHeals: number;
  readonly #config: string;
  #targets: { host: string; path: string }[] = [];
  /** Signatures of the watched files when the last cycle started. */
  #seen = new Map<string, string>();
  #watchers = new Map<string, { w: FSWatcher; id: string; names: Set<string> }>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #debounceTimer: ReturnType<typeof setTimeout> | undefined;
  #running = false;
  #pending: WatchTrigger | undefined;
  /** Stop was asked: no new cycle starts. */
  #stopping = false;
  /** Stopped: every watcher and timer is gone. */
  #stopped = false;
  #lastFull = 0;
  /**
   * Hosts whose write failed, and when each is tried again: each try takes a backup first, so the
   * delay doubles (interval, 2×, 4× … up to 5 minutes); a change of the file retries it at once.
   */
  #failing = new Map<string, { until: number; count: number }>();
  /** Problems reported and not yet recovered, by path ("" for the source or the whole run). */
  #problems = new Map<string, string>();
  #warnings = new Set<string>();
  #heals = new Map<string, number[]>();
  #paused = new Map<string, number>();
  #done!: (s: WatchSummary) => void;
  #fail!: (e: unknown) => void;
  #idle: Promise<void> = Promise.resolve();

  constructor(p: Prepared, opts: WatchOptions, summary: WatchSummary) {
    this.#p = p;
    this.#opts = opts;
    this.#summary = summary;
    this.#interval = opts.intervalMs ?? 2000;
    this.#debounce = opts.debounceMs ?? 150;
    this.#fullEvery = opts.fullCheckMs ?? 60_000;
    this.#maxHeals = opts.maxHealsPerMinute ?? 5;
    this.#config = configPath(p.ws);
  }

  run(): Promise<WatchSummary> {
    const done = new Promise<WatchSummary>((resolve, reject) => {
      this.#done = resolve;
      this.#fail = reject;
    });
    this.#opts.signal?.addEventListener("abort", () => void this.#stop(this.#opts.signal?.reason), {
      once: true,
    });
    void this.#start();
    return done;
  }

  async #start(): Promise<void> {
    await this.#cycle("start");
    if (this.#stopping) return;
    this.#arm();
    this.#timer = setInterval(() => this.#tick(), this.#interval);
    this.#emit({
      event: "watching",
      time: now(),
      source: { kind: this.#p.from.kind, name: this.#p.from.name, path: this.#p.sourcePath },
      targets: this.#targets,
      intervalMs: this.#interval,
    });
  }

  #paths(): string[] {
    return [this.#p.sourcePath, ...this.#targets.map((t) => t.path), this.#config];
  }

  #emit(e: WatchEvent): void {
    if (this.#stopped && e.event !== "stop") return;
    if (e.event === "error") this.#summary.errors++;
    try {
      this.#opts.onEvent?.(e);
    } catch (err) {
      // The caller's bug ends the watch and surfaces where it awaits, not as a silent stop.
      this.#abandon(err);
    }
  }

  /** fs.watch on every directory holding a watched file (and a symlink's target), re-armed when one is replaced. */
  #arm(): void {
    if (this.#stopping) return;
    const want = new Map<string, Set<string>>();
    const add = (path: string) => {
      if (path.includes("://")) return;
      const d = dirname(path);
      let names = want.get(d);
      if (!names) {
        names = new Set();
        want.set(d, names);
      }
      names.add(basename(path));
    };
    for (const path of this.#paths()) {
      add(path);
      try {
        if (lstatSync(path).isSymbolicLink()) add(realpathSync(path));
      } catch {}
    }
    for (const [dir, rec] of this.#watchers) {
      if (!want.has(dir) || dirIdentity(dir) !== rec.id) {
        rec.w.close();
        this.#watchers.delete(dir);
      }
    }
    for (const [dir, names] of want) {
      const rec = this.#watchers.get(dir);
      if (rec) {
        rec.names = names;
        continue;
      }
      const id = dirIdentity(dir);
      if (id === undefined) continue; // not there yet: the periodic check sees the file appear
      try {
        const entry = { w: undefined as unknown as FSWatcher, id, names };
        entry.w = fsWatch(dir, { persistent: true }, (_type, name) => {
          if (name === null || entry.names.has(String(name))) this.#schedule();
        });
        entry.w.on("error", () => {
          entry.w.close();
          if (this.#watchers.get(dir) === entry) this.#watchers.delete(dir);
        });
        this.#watchers.set(dir, entry);
      } catch {
        // No events here (a file system without them, no permission): the periodic check remains.
      }
    }
  }

  #schedule(): void {
    if (this.#stopping) return;
    if (this.#debounceTimer) clearTimeout(this.#debounceTimer);
    this.#debounceTimer = setTimeout(() => {
      this.#debounceTimer = undefined;
      const t = this.#changed();
      if (t) void this.#cycle(t);
    }, this.#debounce);
  }

  /** What changed since the last cycle began, as a trigger; undefined when nothing did. */
  #changed(): WatchTrigger | undefined {
    let trigger: WatchTrigger | undefined;
    for (const path of this.#paths()) {
      if (signature(path) === this.#seen.get(path)) continue;
      this.#failing.delete(path); // changed (its permissions fixed, say): worth a try now
      if (path === this.#p.sourcePath) return "source";
      trigger = path === this.#config ? "check" : "target";
    }
    return trigger;
  }

  #tick(): void {
    if (this.#stopping) return;
    this.#arm();
    const t = Date.now();
    let trigger = this.#changed();
    for (const [path, until] of this.#paused) {
      if (until <= t) {
        this.#paused.delete(path);
        trigger ??= "retry";
      }
    }
    for (const f of this.#failing.values()) if (f.until <= t) trigger ??= "retry";
    if (t - this.#lastFull >= this.#fullEvery) trigger ??= "check";
    if (trigger) void this.#cycle(trigger);
  }

  /** One plan-and-apply over every target; runs one at a time (a trigger meanwhile runs after). */
  async #cycle(trigger: WatchTrigger): Promise<void> {
    if (this.#stopping) return;
    if (this.#running) {
      this.#pending ??= trigger;
      return;
    }
    this.#running = true;
    let release!: () => void;
    this.#idle = new Promise((r) => {
      release = r;
    });
    try {
      let next: WatchTrigger | undefined = trigger;
      while (next && !this.#stopping) {
        this.#pending = undefined;
        await this.#once(next);
        next = this.#pending;
      }
    } catch (e) {
      this.#abandon(e);
    } finally {
      this.#running = false;
      release();
    }
  }

  async #once(trigger: WatchTrigger): Promise<void> {
    const { ws, base, sourcePath } = this.#p;
    this.#summary.cycles++;
    this.#lastFull = Date.now();
    let targets: ReturnType<typeof resolveRefs>;
    try {
      targets = resolveRefs(ws, this.#p.to, { exclude: sourcePath });
    } catch (e) {
      this.#record();
      this.#problem("", undefined, e, "on-change");
      return;
    }
    this.#targets = targets.map((t) => ({ host: t.name, path: t.path }));
    // Signatures as the cycle begins: a change during the cycle (ours included) is seen next time.
    this.#record();
    if (trigger !== "start") this.#arm();
    const t0 = Date.now();
    const skip = new Set<string>();
    for (;;) {
      const live = targets.filter(
        (t) =>
          !skip.has(t.path) &&
          !((this.#paused.get(t.path) ?? 0) > t0) &&
          !((this.#failing.get(t.path)?.until ?? 0) > t0),
      );
      if (live.length === 0) return;
      let result: Awaited<ReturnType<SyncBuilder["apply"]>>;
      try {
        const b = base.to(live.map((t) => refOf(t.name)));
        const plan = await b.plan();
        // Unattended, a source that lost every server (an app wiped it) is not mirrored into
        // every target: that is a one-off "hatch mcp sync --mirror" a person runs.
        if (this.#opts.mirror && plan.servers.length === 0 && plan.totals.remove > 0) {
          this.#problem(
            "",
            undefined,
            new Error(
              `The source ${this.#p.from.kind === "env" ? "environment" : "host"} "${this.#p.from.name}" has no server to mirror: not removing ${plan.totals.remove} server(s) from the targets (run "hatch mcp sync --mirror" once if that is meant)`,
            ),
            "on-change",
          );
          return;
        }
        result = await b.applyPlan(plan);
      } catch (e) {
        // One unreadable target stops only itself: it is reported, left alone, and planned again
        // when it changes; the others are healed.
        const bad =
          e instanceof HostParseError && e.path !== sourcePath
            ? live.find((t) => t.path === e.path)
            : undefined;
        if (bad) {
          skip.add(bad.path);
          this.#problem(bad.path, bad.name, e, "on-change");
          continue;
        }
        this.#problem("", undefined, e, "on-change");
        return;
      }
      this.#recovered("");
      for (const w of result.plan.warnings) {
        if (this.#warnings.has(w)) continue;
        this.#warnings.add(w);
        this.#emit({ event: "warning", time: now(), message: w });
      }
      for (const o of result.outcomes) {
        if (o.status === "failed") {
          const count = (this.#failing.get(o.path)?.count ?? 0) + 1;
          const delay = Math.min(this.#interval * 2 ** (count - 1), 300_000);
          this.#failing.set(o.path, { until: Date.now() + delay, count });
          this.#problem(o.path, o.host, new Error(o.error ?? "failed"), "next-check");
          continue;
        }
        this.#failing.delete(o.path);
        this.#recovered(o.path, o.host);
        if (o.status !== "written") continue;
        const hp = result.plan.hosts.find((h) => h.path === o.path);
        const changes: WatchChange[] = [];
        for (const c of hp?.changes ?? []) {
          if (c.action === "add" || c.action === "update" || c.action === "remove")
            changes.push({
              name: c.name,
              action: c.action,
              ...(c.fields ? { fields: c.fields.map((f) => f.field) } : {}),
            });
        }
        this.#summary.heals++;
        this.#emit({
          event: "heal",
          time: now(),
          host: o.host,
          path: o.path,
          trigger,
          created: hp ? !hp.exists : false,
          changes,
          losses: hp?.losses ?? [],
          backupId: result.backupId ?? null,
          replanned: o.replanned === true,
        });
        // Only a file changed by someone else counts as fighting; a busy source does not.
        if (trigger === "target") this.#fought(o.path, o.host);
      }
      return;
    }
  }

  #record(): void {
    this.#seen = new Map(this.#paths().map((path) => [path, signature(path)]));
  }

  /** Pauses a host whose app rewrites the file as fast as it is healed (each heal is a backup). */
  #fought(path: string, host: string): void {
    const t = Date.now();
    const recent = (this.#heals.get(path) ?? []).filter((x) => t - x < 60_000);
    recent.push(t);
    this.#heals.set(path, recent);
    if (recent.length < this.#maxHeals) return;
    this.#heals.delete(path);
    this.#paused.set(path, t + 60_000);
    this.#problem(
      path,
      host,
      new Error(
        `healed ${recent.length} times within a minute: another program keeps rewriting the file; left alone for a minute`,
      ),
      "after-pause",
    );
  }

  #problem(
    path: string,
    host: string | undefined,
    e: unknown,
    retry: "on-change" | "next-check" | "after-pause",
  ): void {
    const message = e instanceof Error ? e.message : String(e);
    if (this.#problems.get(path) === message) return; // said once until it changes
    this.#problems.set(path, message);
    this.#emit({
      event: "error",
      time: now(),
      ...(host ? { host } : {}),
      ...(path ? { path } : {}),
      message,
      retry,
    });
  }

  #recovered(path: string, host?: string): void {
    if (!this.#problems.has(path)) return;
    this.#problems.delete(path);
    this.#emit({
      event: "recovered",
      time: now(),
      ...(host ? { host } : {}),
      ...(path ? { path } : {}),
    });
  }

  #teardown(): void {
    if (this.#timer) clearInterval(this.#timer);
    if (this.#debounceTimer) clearTimeout(this.#debounceTimer);
    this.#timer = undefined;
    this.#debounceTimer = undefined;
    for (const rec of this.#watchers.values()) rec.w.close();
    this.#watchers.clear();
  }

  #abandon(e: unknown): void {
    this.#stopping = true;
    this.#stopped = true;
    this.#teardown();
    this.#fail(e);
  }

  async #stop(reason: unknown): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    this.#teardown();
    // A cycle under way finishes first (its locks are released when its write ends).
    await this.#idle;
    this.#stopped = true;
    this.#teardown();
    this.#emit({ event: "stop", time: now(), reason: typeof reason === "string" ? reason : "abort" });
    this.#done(this.#summary);
  }
}

// ---------------------------------------------------------------------------------------------
// Running a watch as a user service: a systemd user unit (Linux) or a launchd agent (macOS)

/** What `watchService.install()` and `.uninstall()` take. */
export interface WatchServiceOptions {
  /**
   * The service's name: `hatch-watch-<name>.service` (systemd) or `dev.hatch.watch.<name>`
   * (launchd). Letters, digits, `.`, `_`, `-`.
   */
  name: string;
  /** The arguments after the program, e.g. `["watch", "--from-env", "production", "--to-host", "cursor"]`. */
  args?: readonly string[];
  /** Replace a different unit of the same name (or remove one hatch did not write). */
  force?: boolean;
  /** Say what would be written or removed, and change nothing. */
  dryRun?: boolean;
  /** The service's working directory (default: the current one), so relative paths keep their meaning. */
  cwd?: string;
  /** The program and its first arguments (default: this binary, `process.execPath`). */
  program?: readonly string[];
  /** Variables set for the service (default: `HATCH_HOME`, `HATCH_PROJECT`, `XDG_CONFIG_HOME`, `CODEX_HOME` where set). */
  environment?: Readonly<Record<string, string>>;
  workspace?: Workspace;
}

/** What `watchService.install()` or `.uninstall()` did (or, with `dryRun`, would do). */
export interface WatchServiceResult {
  platform: "linux" | "darwin";
  name: string;
  /** The unit file or property list. */
  path: string;
  /** Its text (install), or the text removed (uninstall). */
  content: string;
  status: "created" | "replaced" | "unchanged" | "removed" | "absent";
  dryRun: boolean;
  /** The one command to run next: start it (install) or stop it (uninstall). */
  command: string;
}

const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const MARK = "Written by hatch watch --install";

/** A service name from free text (`team/production` → `team-production`). */
export function serviceName(text: string): string {
  const n = text
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[-._]+|-+$/g, "")
    .slice(0, 100);
  return n || "default";
}

function servicePlatform(ws: Workspace): "linux" | "darwin" {
  const p = ws.ctx.platform;
  if (p === "win32")
    throw new UsageError(
      "hatch watch --install writes a systemd user unit (Linux) or a launchd agent (macOS); Windows has neither",
      'Run "hatch watch …" from Task Scheduler at log-on instead',
    );
  return p;
}

function checkServiceName(name: string): void {
  if (typeof name !== "string" || !SERVICE_NAME.test(name))
    throw new UsageError(
      `Invalid service name "${name}": use letters, digits, ".", "_" and "-" (at most 100)`,
      "For example: --name production",
    );
}

/** Where a service of this name lives, and how it is named to its service manager. */
export function servicePath(
  ws: Workspace,
  name: string,
): { platform: "linux" | "darwin"; path: string; unit: string } {
  checkServiceName(name);
  const platform = servicePlatform(ws);
  const path = pathsFor(ws.ctx);
  if (platform === "darwin") {
    const unit = `dev.hatch.watch.${name}`;
    return { platform, unit, path: path.join(ws.ctx.home, "Library", "LaunchAgents", `${unit}.plist`) };
  }
  const xdg = ws.env.XDG_CONFIG_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(ws.ctx.home, ".config");
  const unit = `hatch-watch-${name}.service`;
  return { platform, unit, path: path.join(base, "systemd", "user", unit) };
}

/** The program that runs hatch: this binary, or Bun and the entry script when run from source. */
function thisProgram(): string[] {
  const exe = process.execPath;
  return /^bun(-debug)?(\.exe)?$/.test(basename(exe)) && typeof Bun !== "undefined" ? [exe, Bun.main] : [exe];
}

function noControls(values: readonly string[]): void {
  for (const v of values)
    if (/[\x00-\x1f\x7f]/.test(v))
      throw new UsageError(
        `Cannot put an argument holding a control character into a service: ${JSON.stringify(v)}`,
      );
}

/** One ExecStart word: quoted, with systemd's specifier (%) and variable ($) characters escaped. */
function systemdWord(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/%/g, "%%").replace(/\$/g, "$$$$")}"`;
}

function xml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function shellWord(s: string): string {
  return /^[A-Za-z0-9_./@%+=:,-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

function serviceEnvironment(ws: Workspace, given?: Readonly<Record<string, string>>): [string, string][] {
  if (given) return Object.entries(given);
  const out: [string, string][] = [];
  for (const k of ["HATCH_HOME", "HATCH_PROJECT", "XDG_CONFIG_HOME", "CODEX_HOME"]) {
    const v = ws.env[k];
    if (v) out.push([k, v]);
  }
  return out;
}

function unitText(
  platform: "linux" | "darwin",
  unit: string,
  argv: readonly string[],
  cwd: string,
  environment: readonly [string, string][],
  home: string,
): string {
  const what = argv.slice(1).join(" ");
  if (platform === "linux") {
    return [
      `# ${MARK}; remove it with "hatch watch --uninstall".`,
      "[Unit]",
      `Description=hatch watch: keep MCP server configurations in sync (${what.replace(/%/g, "%%")})`,
      "",
      "[Service]",
      "Type=simple",
      `ExecStart=${argv.map(systemdWord).join(" ")}`,
      `WorkingDirectory=${cwd.replace(/%/g, "%%")}`,
      ...environment.map(
        ([k, v]) =>
          `Environment="${`${k}=${v}`.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/%/g, "%%")}"`,
      ),
      "Restart=on-failure",
      "RestartSec=10",
      "",
      "[Install]",
      "WantedBy=default.target",
      "",
    ].join("\n");
  }
  const log = pathsFor({ platform: "darwin", home, env: {} } as Workspace["ctx"]).join(
    home,
    "Library",
    "Logs",
    `${unit}.log`,
  );
  const str = (s: string) => `<string>${xml(s)}</string>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    `<!-- ${MARK}; remove it with "hatch watch --uninstall". -->`,
    '<plist version="1.0">',
    "<dict>",
    `  <key>Label</key>${str(unit)}`,
    "  <key>ProgramArguments</key>",
    "  <array>",
    ...argv.map((a) => `    ${str(a)}`),
    "  </array>",
    `  <key>WorkingDirectory</key>${str(cwd)}`,
    ...(environment.length
      ? [
          "  <key>EnvironmentVariables</key>",
          "  <dict>",
          ...environment.map(([k, v]) => `    <key>${xml(k)}</key>${str(v)}`),
          "  </dict>",
        ]
      : []),
    "  <key>RunAtLoad</key><true/>",
    "  <key>KeepAlive</key>",
    "  <dict><key>SuccessfulExit</key><false/></dict>",
    `  <key>StandardOutPath</key>${str(log)}`,
    `  <key>StandardErrorPath</key>${str(log)}`,
    "</dict>",
    "</plist>",
    "",
  ].join("\n");
}

function startCommand(platform: "linux" | "darwin", unit: string, path: string, status: string): string {
  if (platform === "darwin")
    return status === "replaced"
      ? `launchctl unload ${shellWord(path)}; launchctl load -w ${shellWord(path)}`
      : `launchctl load -w ${shellWord(path)}`;
  return status === "replaced"
    ? `systemctl --user daemon-reload && systemctl --user enable ${unit} && systemctl --user restart ${unit}`
    : `systemctl --user enable --now ${unit}`;
}

/**
 * A watch as a user service that starts at log-in and restarts on failure: a systemd user unit
 * on Linux (`~/.config/systemd/user/hatch-watch-<name>.service`), a launchd agent on macOS
 * (`~/Library/LaunchAgents/dev.hatch.watch.<name>.plist`); `HATCH_PLATFORM` picks one for tests.
 * Written atomically; a different file of the same name is replaced only with `force`.
 * @example
 * const r = watchService.install({ name: "production", args: ["watch", "--from-env", "production", "--to-host", "all"] });
 * console.log(r.command); // systemctl --user enable --now hatch-watch-production.service
 */
export const watchService = {
  /**
   * Writes the unit (or agent) running `program args`.
   * @returns where it was written, its text, and the command that starts it
   * @throws UsageError on Windows, for a bad name, or when a different unit exists and `force` is not set
   */
  install(opts: WatchServiceOptions): WatchServiceResult {
    const ws = opts.workspace ?? defaultWorkspace();
    const { platform, path, unit } = servicePath(ws, opts.name);
    const args = [...(opts.args ?? [])];
    if (args.length === 0)
      throw new TypeError("watchService.install() needs the arguments of the watch (args)");
    const argv = [...(opts.program ?? thisProgram()), ...args];
    const environment = serviceEnvironment(ws, opts.environment);
    noControls([...argv, ...environment.flat(), opts.cwd ?? process.cwd()]);
    const content = unitText(platform, unit, argv, opts.cwd ?? process.cwd(), environment, ws.ctx.home);
    const existing = ws.system.readText(path);
    const status = existing === undefined ? "created" : existing === content ? "unchanged" : "replaced";
    if (status === "replaced" && !opts.force)
      throw new UsageError(
        `A different service already exists at "${path}": not replaced`,
        "Give --force to replace it, or --name NAME to install another watch beside it",
      );
    const dryRun = opts.dryRun === true;
    if (!dryRun && status !== "unchanged") ws.system.writeAtomic(path, content, { verify: true });
    return {
      platform,
      name: opts.name,
      path,
      content,
      status,
      dryRun,
      command: startCommand(platform, unit, path, status),
    };
  },

  /**
   * Removes the unit (or agent) of this name, and systemd's `default.target.wants` link to it.
   * @returns what was removed and the command that stops a running one
   * @throws UsageError for a bad name, or a file of that name hatch did not write (unless `force`)
   */
  uninstall(opts: Omit<WatchServiceOptions, "args" | "program" | "cwd" | "environment">): WatchServiceResult {
    const ws = opts.workspace ?? defaultWorkspace();
    const { platform, path, unit } = servicePath(ws, opts.name);
    const dryRun = opts.dryRun === true;
    const existing = ws.system.readText(path);
    const command =
      platform === "darwin"
        ? `launchctl remove ${unit}`
        : `systemctl --user stop ${unit} && systemctl --user daemon-reload`;
    if (existing === undefined)
      return { platform, name: opts.name, path, content: "", status: "absent", dryRun, command };
    if (!existing.includes(MARK) && !opts.force)
      throw new UsageError(
        `"${path}" was not written by hatch watch --install: not removed`,
        "Give --force to remove it anyway",
      );
    if (!dryRun) {
      ws.system.remove(path);
      if (platform === "linux") {
        const link = pathsFor(ws.ctx).join(dirname(path), "default.target.wants", unit);
        try {
          if (lstatSync(link).isSymbolicLink()) ws.system.remove(link);
        } catch {}
      }
    }
    return { platform, name: opts.name, path, content: existing, status: "removed", dryRun, command };
  },
};
