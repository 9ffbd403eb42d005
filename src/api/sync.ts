// The sync engine behind both faces: `hatch mcp sync` and the scripting API's `sync()`.
// source → select → plan (pure) → [dry-run / check stop here] → apply.
// The builder is immutable (every method returns a new builder) and lazy (nothing is read until
// .plan(), .apply(), .check() or await).
import { type ApplyResult, applyPlans, type HostOutcome } from "../apply/apply.ts";
import { UsageError } from "../core/errors.ts";
import { type CanonicalField, SECRET_FIELDS, type Server, type ServerMap } from "../core/model.ts";
import { type HostPlan, type PlanTotals, planTarget, totals } from "../core/plan.ts";
import { compilePattern, selectNames } from "../core/select.ts";
import type { HostAdapter, Loss } from "../hosts/_adapter.ts";
import { pathsFor } from "../hosts/_paths.ts";
import { HOSTS } from "../hosts/registry.ts";
import { envAdapter, envTarget, newEnvText } from "../store/envs.ts";
import { betweenFiles } from "../system/heap.ts";
import { workAhead } from "../system/jit.ts";
import { type HostRead, type HostTarget, readHost } from "../store/hostfile.ts";
import { resolveTargets } from "../store/targets.ts";
import { defaultWorkspace, type Workspace } from "../store/workspace.ts";

/** A host as a sync source or target: `host("claude-desktop")`, a custom host, or a group. */
export interface HostRef {
  readonly kind: "host";
  readonly name: string;
}
/** An environment kept by hatch: `env("production")`. */
export interface EnvRef {
  readonly kind: "env";
  readonly name: string;
}
export type Ref = HostRef | EnvRef;

/** Refers to a host (built-in id, custom host or group) by name. */
export function host(name: string): HostRef {
  if (typeof name !== "string" || name === "") throw new TypeError("host() needs a host name");
  return { kind: "host", name };
}

/** Refers to an environment by name. */
export function env(name: string): EnvRef {
  if (typeof name !== "string" || name === "") throw new TypeError("env() needs an environment name");
  return { kind: "env", name };
}

export type ServerFilter = RegExp | string | ((name: string, server: Server) => boolean);

interface SyncState {
  from?: Ref;
  to: readonly (string | Ref)[];
  servers?: readonly string[];
  filters: readonly ServerFilter[];
  mirror: boolean;
  strict: boolean;
  dryRun: boolean;
  backup: boolean;
  workspace?: Workspace;
  project?: string;
  command?: string;
}

export interface SyncPlan {
  source: { kind: "host" | "env"; name: string; path: string };
  /** The selected source servers, in source order. */
  servers: string[];
  hosts: HostPlan[];
  totals: PlanTotals;
  /** Whether applying would change any file. */
  drift: boolean;
  /** A readable summary of the plan. */
  summary(): string;
  toJSON(): unknown;
}

export interface SyncResult {
  plan: SyncPlan;
  dryRun: boolean;
  outcomes: HostOutcome[];
  /** The snapshot id taken before writing, if any. */
  backupId?: string;
  ok: boolean;
  toJSON(): unknown;
}

/** Thrown by --strict when a conversion would lose something. */
export class StrictLossError extends UsageError {
  override name = "StrictLossError";
  constructor(readonly losses: { host: string; loss: Loss }[]) {
    super(
      `Strict mode: ${losses.length} loss${losses.length === 1 ? "" : "es"} in conversion, nothing written: ${losses
        .slice(0, 5)
        .map((l) => `${l.host}: ${l.loss.server}${l.loss.field ? `.${l.loss.field}` : ""} (${l.loss.reason})`)
        .join("; ")}${losses.length > 5 ? "; …" : ""}`,
      "Drop --strict to write what the targets can express, or narrow the selection with --servers/--pattern",
    );
  }
}

const ADAPTERS: ReadonlyMap<string, HostAdapter> = new Map([
  ...HOSTS.map((h) => [h.id, h] as const),
  [envAdapter.id, envAdapter] as const,
]);

function describeRef(r: Ref): string {
  return r.kind === "env" ? `environment "${r.name}"` : `host "${r.name}"`;
}

interface ResolvedSource {
  target: HostTarget;
  /**
   * The source's servers only: its text, parse and raw entries are garbage once this returns
   * (for 10,000 servers, ~20 MB the collector no longer marks on every full collection).
   */
  servers: ServerMap;
  fields: ReadonlySet<CanonicalField>;
}

function resolveSource(ws: Workspace, ref: Ref): ResolvedSource {
  let target: HostTarget;
  if (ref.kind === "env") target = envTarget(ws, ref.name);
  else {
    const ts = resolveTargets(ws, ref.name, undefined, { userFallback: true });
    if (ts.length !== 1 || !ts[0]) {
      throw new UsageError(
        `The source must be one host, but "${ref.name}" names ${ts.length}`,
        "Use a single host id or custom host as --from-host",
      );
    }
    target = ts[0];
  }
  const read = readHost(target, ws.system);
  if (ref.kind === "host" && !read.exists) {
    throw new UsageError(
      `Source ${describeRef(ref)} has no config file at "${target.path}"`,
      'Check the host with "hatch mcp list servers --host ' + ref.name + '"',
    );
  }
  return { target, servers: read.servers, fields: target.adapter.fields };
}

function resolveDestinations(ws: Workspace, to: readonly (string | Ref)[], source: HostTarget): HostTarget[] {
  if (to.length === 0)
    throw new UsageError(
      "No target: name one with --to-host or --to-env",
      "For example: --to-host cursor,vscode",
    );
  const out: HostTarget[] = [];
  const seen = new Set<string>([source.path]);
  for (const t of to) {
    const ref = typeof t === "string" ? host(t) : t;
    const targets =
      ref.kind === "env" ? [envTarget(ws, ref.name, { create: true })] : resolveTargets(ws, ref.name);
    for (const x of targets) {
      if (seen.has(x.path)) continue;
      seen.add(x.path);
      out.push(x);
    }
  }
  return out;
}

function filterFn(f: ServerFilter): (name: string, s: Server) => boolean {
  if (typeof f === "function") return f;
  if (typeof f === "string") {
    const re = compilePattern(f);
    return (n) => re.test(n);
  }
  if (f instanceof RegExp) {
    return (n) => {
      f.lastIndex = 0;
      return f.test(n);
    };
  }
  throw new TypeError("filter() takes a RegExp, a pattern string or a function (name, server) => boolean");
}

function planSummary(p: Omit<SyncPlan, "summary" | "toJSON">): string {
  const lines = [`Sync from ${p.source.kind} "${p.source.name}": ${p.servers.length} server(s) selected`];
  for (const h of p.hosts) {
    const counts = { add: 0, update: 0, unchanged: 0, remove: 0, skip: 0 };
    for (const c of h.changes) counts[c.action]++;
    lines.push(
      `  ${h.host}: ${counts.add} to add, ${counts.update} to update, ${counts.unchanged} unchanged` +
        (counts.remove ? `, ${counts.remove} to remove` : "") +
        (counts.skip ? `, ${counts.skip} skipped` : "") +
        (h.losses.length ? `, ${h.losses.length} loss(es)` : ""),
    );
  }
  lines.push(p.drift ? "Changes pending" : "In sync: nothing to change");
  return lines.join("\n");
}

/** Redacts env and header values for output, unless secrets are to be shown. */
export function secretRedactor(showSecrets: boolean): (field: string, v: unknown) => unknown {
  return (field, v) =>
    !showSecrets && SECRET_FIELDS.has(field) && v && typeof v === "object"
      ? Object.fromEntries(Object.keys(v).map((k) => [k, "******"]))
      : v;
}

/** Host plans as the stable JSON every command prints (`--json`). */
export function hostPlansJson(
  plans: readonly HostPlan[],
  redact: (field: string, v: unknown) => unknown = (_f, v) => v,
): unknown[] {
  return plans.map((h) => ({
    host: h.host,
    path: h.path,
    exists: h.exists,
    changed: h.changed,
    changes: h.changes.map((c) => ({
      ...c,
      ...(c.fields
        ? {
            fields: c.fields.map((f) => ({
              field: f.field,
              before: redact(f.field, f.before),
              after: redact(f.field, f.after),
            })),
          }
        : {}),
    })),
    losses: h.losses,
    ...(h.problem ? { problem: h.problem } : {}),
  }));
}

export function planJson(
  p: Omit<SyncPlan, "summary" | "toJSON">,
  redact: (field: string, v: unknown) => unknown = (_f, v) => v,
) {
  return {
    source: p.source,
    servers: p.servers,
    drift: p.drift,
    totals: p.totals,
    hosts: hostPlansJson(p.hosts, redact),
  };
}

/**
 * An immutable, lazy sync: nothing is read until `.plan()`, `.apply()`, `.check()` or `await`.
 * Returning a builder from an `async` function runs it (it is awaitable).
 * @example
 * const plan = await sync().from(env("production")).to("cursor", "vscode").filter(/^(?!dev-)/).plan();
 * console.log(plan.summary());
 */
export class SyncBuilder implements PromiseLike<SyncResult> {
  readonly #state: SyncState;

  constructor(state?: SyncState) {
    this.#state = state ?? { to: [], filters: [], mirror: false, strict: false, dryRun: false, backup: true };
  }

  #with(patch: Partial<SyncState>): SyncBuilder {
    return new SyncBuilder({ ...this.#state, ...patch });
  }

  /** The source: `host("claude-desktop")`, `env("production")`, or a host name. */
  from(source: Ref | string): SyncBuilder {
    return this.#with({ from: typeof source === "string" ? host(source) : source });
  }
  /** Targets: host ids, custom hosts, groups, `"all"`, or `env("name")`; adds to earlier `.to()`. */
  to(...targets: (Ref | string)[]): SyncBuilder {
    return this.#with({ to: [...this.#state.to, ...targets] });
  }
  /** Only these servers (each must exist in the source). */
  servers(...names: string[]): SyncBuilder {
    return this.#with({ servers: [...(this.#state.servers ?? []), ...names.flat()] });
  }
  /** Only servers whose name matches: a RegExp, a pattern string (matched from the start, as Python's re.match), or a predicate. */
  filter(f: ServerFilter): SyncBuilder {
    filterFn(f);
    return this.#with({ filters: [...this.#state.filters, f] });
  }
  /** Also remove target servers that the selection covers but the source lacks. */
  mirror(on = true): SyncBuilder {
    return this.#with({ mirror: on });
  }
  /** Treat any conversion loss as an error. */
  strict(on = true): SyncBuilder {
    return this.#with({ strict: on });
  }
  /** Plan and report, write nothing. */
  dryRun(on = true): SyncBuilder {
    return this.#with({ dryRun: on });
  }
  /** Skip the automatic backup before writing. */
  noBackup(): SyncBuilder {
    return this.#with({ backup: false });
  }
  /** Use another workspace (HATCH_HOME, HOME, OS) than the process's. */
  withWorkspace(ws: Workspace): SyncBuilder {
    return this.#with({ workspace: ws });
  }
  /** Use the hosts' project files in this directory (`.cursor/mcp.json`, `.mcp.json` …). */
  project(dir: string): SyncBuilder {
    return this.#with({ project: dir });
  }
  /** Label recorded in backups (the CLI passes its command line). */
  command(text: string): SyncBuilder {
    return this.#with({ command: text });
  }

  /** Reads the source and targets and computes the plan. Writes nothing. */
  async plan(): Promise<SyncPlan> {
    return this.#plan({ ...this.#state });
  }

  #plan(state: SyncState): SyncPlan {
    if (!state.from)
      throw new UsageError(
        "No source: name one with --from-host or --from-env",
        "For example: --from-host claude-desktop",
      );
    const ws = workspaceOf(state);
    const src = resolveSource(ws, state.from);
    // Compiled once: a per-server compile costs more than the match on 10,000 servers.
    const patterns = state.filters
      .filter((f): f is string => typeof f === "string")
      .map((f) => compilePattern(f));
    const others = state.filters.filter((f) => typeof f !== "string").map(filterFn);
    const label = `Source ${describeRef(state.from)}`;
    const names = selectNames(
      [...src.servers.keys()],
      { ...(state.servers ? { servers: state.servers } : {}) },
      label,
    );
    const pick = (n: string) =>
      patterns.every((p) => p.test(n)) && others.every((f) => f(n, src.servers.get(n) as Server));
    const selected = names.filter(pick);
    const servers: ServerMap = new Map(selected.map((n) => [n, src.servers.get(n) as Server]));
    const targets = resolveDestinations(ws, state.to, src.target);
    const named = state.servers ? new Set(state.servers) : undefined;
    const covers = (n: string) => (!named || named.has(n)) && pick(n);
    const wctx = { env: ws.env, platform: ws.ctx.platform };
    workAhead(selected.length * targets.length);
    // Read every target first: a malformed or unknown target stops the run before any write.
    const reads: (HostRead | undefined)[] = targets.map((t) => readHost(t, ws.system));
    const hosts: HostPlan[] = [];
    for (let i = 0; i < reads.length; i++) {
      const r = reads[i] as HostRead;
      // Its parse and decoded entries are not needed once the target is planned.
      reads[i] = undefined;
      const plan = planTarget(
        servers,
        src.fields,
        {
          name: r.target.name,
          path: r.target.path,
          adapter: r.target.adapter,
          ...r,
          ...(r.target.adapter.id === envAdapter.id
            ? {
                newFileText: newEnvText(
                  r.target.name.replace(/^env:/, ""),
                  `Captured from ${label.replace(/^Source /, "")}`,
                ),
              }
            : {}),
        },
        wctx,
        { mirror: state.mirror, covers },
      );
      hosts.push(plan);
      betweenFiles();
    }
    const base = {
      source: { kind: state.from.kind, name: state.from.name, path: src.target.path },
      servers: selected,
      hosts,
      totals: totals(hosts),
      drift: hosts.some((h) => h.changed),
    };
    if (state.strict) {
      const losses = hosts.flatMap((h) => h.losses.map((loss) => ({ host: h.host, loss })));
      if (losses.length > 0) throw new StrictLossError(losses);
    }
    return { ...base, summary: () => planSummary(base), toJSON: () => planJson(base) };
  }

  /** Plans, then writes (unless dry-run): lock, backup, atomic write, verify. */
  async apply(): Promise<SyncResult> {
    const state = { ...this.#state };
    const plan = this.#plan(state);
    return this.#apply(state, plan);
  }

  /** Applies a plan made earlier by this builder (the CLI previews and confirms in between). */
  async applyPlan(plan: SyncPlan): Promise<SyncResult> {
    return this.#apply({ ...this.#state }, plan);
  }

  #apply(state: SyncState, plan: SyncPlan): SyncResult {
    let res: ApplyResult = { outcomes: [] };
    if (!state.dryRun) {
      const ws = workspaceOf(state);
      res = applyPlans(ws, plan.hosts, {
        backup: state.backup,
        reason: "sync",
        ...(state.command ? { command: state.command } : {}),
        adapters: ADAPTERS,
      });
    }
    const ok = res.outcomes.every((o) => o.status !== "failed");
    const result: SyncResult = {
      plan,
      dryRun: state.dryRun,
      outcomes: res.outcomes,
      ...(res.snapshot ? { backupId: res.snapshot.id } : {}),
      ok,
      toJSON: () => ({
        ...(plan.toJSON() as object),
        dryRun: state.dryRun,
        ok,
        backupId: res.snapshot?.id ?? null,
        outcomes: res.outcomes,
      }),
    };
    return result;
  }

  /** Plans and reports whether the targets differ from the source (drift). Writes nothing. */
  async check(): Promise<SyncPlan> {
    return this.plan();
  }

  // biome-ignore lint/suspicious/noThenProperty: the builder is awaitable by design (dax/zx style)
  then<A = SyncResult, B = never>(
    onfulfilled?: ((value: SyncResult) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.apply().then(onfulfilled, onrejected);
  }
}

function workspaceOf(state: SyncState): Workspace {
  const ws = state.workspace ?? defaultWorkspace();
  return state.project ? { ...ws, project: pathsFor(ws.ctx).resolve(state.project) } : ws;
}

/** Starts a sync: `sync().from(...).to(...)`. */
export function sync(): SyncBuilder {
  return new SyncBuilder();
}
