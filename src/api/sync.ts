// The sync engine behind both faces: `hatch mcp sync` and the scripting API's `sync()`.
// source → select → plan (pure) → [dry-run / check stop here] → apply.
// The builder is immutable (every method returns a new builder) and lazy (nothing is read until
// .plan(), .apply(), .check() or await).
import { UsageError } from "../core/errors.ts";
import type { CanonicalField, Server, ServerMap } from "../core/model.ts";
import { failIfUnsetEverywhere, type HostPlan, planTarget } from "../core/plan.ts";
import { compilePattern, selectNames } from "../core/select.ts";
import type { Loss } from "../core/adapter.ts";
import { pathsFor } from "../hosts/_paths.ts";
import type { HostId } from "../hosts/registry.ts";
import { envAdapter, envTarget, newEnvText, readOnlySource } from "../store/envs.ts";
import { betweenFiles } from "../system/heap.ts";
import { mark } from "../system/trace.ts";
import { workAhead } from "../system/jit.ts";
import { type HostRead, type HostTarget, readHost, unreachablePlan } from "../store/hostfile.ts";
import { UnreachableError } from "../system/ssh.ts";
import { resolveTargets } from "../store/targets.ts";
import { type HatchConfig, loadConfig } from "../store/config.ts";
import { defaultWorkspace, type Workspace } from "../store/workspace.ts";
import { captureSecrets } from "../secrets/capture.ts";
import { writeContext } from "../secrets/resolve.ts";
import { type TestReport, verifyServers } from "./mcptest.ts";
import { storeSecrets } from "./secrets.ts";
import {
  ADAPTERS,
  ApplyingBuilder,
  type BuilderSettings,
  type ApplySettings,
  execute,
  makePlan,
  type Plan,
  type Result,
  replannable,
  holdsSecret,
} from "./engine.ts";
export { hostPlansJson, secretRedactor } from "./engine.ts";

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

/**
 * A host as scripts name it: a built-in id (completed by editors), `"all"`, or any custom host or
 * group name.
 */
export type HostName = HostId | "all" | (string & {});

/** Refers to a host (built-in id, custom host or group) by name. */
export function host(name: HostName): HostRef {
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
  showSecrets: boolean;
  verify?: { timeoutMs?: number };
  workspace?: Workspace;
  project?: string;
  label?: string;
}

/** Secrets a plan into an environment captured (name → value), stored when it is applied. */
const CAPTURED = new WeakMap<HostPlan, ReadonlyMap<string, string>>();

export interface SyncPlan extends Plan {
  kind: "sync";
  /** `commit`: for an environment of a git source, the commit read. */
  source: { kind: "host" | "env"; name: string; path: string; commit?: string };
  /** The selected source servers, in source order. */
  servers: string[];
  /**
   * What the plan's reader should know though nothing failed: a selection (`.servers()`,
   * `.filter()`) that matched no server of the source, a source with no servers at all.
   */
  warnings: string[];
}

export interface SyncResult extends Result<SyncPlan> {
  /** With `.verifyServers()`: the MCP handshake of the selected servers on every target written or in sync. */
  verification?: TestReport & { ok: boolean; failedNames: string[] };
}

/** Thrown in strict mode when a conversion would lose something. */
export class StrictLossError extends UsageError {
  override name = "StrictLossError";
  constructor(readonly losses: { host: string; loss: Loss }[]) {
    super(
      `Strict mode: ${losses.length} loss${losses.length === 1 ? "" : "es"} in conversion, nothing written: ${losses
        .slice(0, 5)
        .map((l) => `${l.host}: ${l.loss.server}${l.loss.field ? `.${l.loss.field}` : ""} (${l.loss.reason})`)
        .join("; ")}${losses.length > 5 ? "; …" : ""}`,
      "Leave strict mode off to write what the targets can express, or narrow the selection of servers",
    );
  }
}

function describeRef(r: Ref): string {
  return r.kind === "env" ? `environment "${r.name}"` : `host "${r.name}"`;
}

interface ResolvedSource {
  target: HostTarget;
  /** Entries of the source that are not servers hatch can convert, each with why (never dropped silently). */
  skipped: readonly { name: string; problems: string[] }[];
  /**
   * The source's servers only: its text, parse and raw entries are garbage once this returns
   * (for 10,000 servers, ~20 MB the collector no longer marks on every full collection).
   */
  servers: ServerMap;
  fields: ReadonlySet<CanonicalField>;
}

/** config.yaml, read once for all of a plan's host names (and only if one needs it). */
function configOnce(ws: Workspace): () => HatchConfig {
  let cfg: HatchConfig | undefined;
  return () => {
    if (cfg === undefined) cfg = loadConfig(ws);
    return cfg;
  };
}

function resolveSource(ws: Workspace, ref: Ref, config: () => HatchConfig): ResolvedSource {
  let target: HostTarget;
  if (ref.kind === "env") target = envTarget(ws, ref.name);
  else {
    const ts = resolveTargets(ws, ref.name, config(), { userFallback: true });
    if (ts.length !== 1 || !ts[0]) {
      throw new UsageError(
        `The source must be one host, but "${ref.name}" names ${ts.length}`,
        "Name a single host id or custom host as the source",
      );
    }
    target = ts[0];
  }
  const read = readHost(target, ws.system);
  if (ref.kind === "host" && !read.exists) {
    throw new UsageError(
      `Source ${describeRef(ref)} has no config file at "${target.path}"`,
      `Check the host with "hatch mcp list servers --host ${ref.name}"`,
    );
  }
  return { target, servers: read.servers, fields: target.adapter.fields, skipped: read.invalid };
}

/** Host names, groups, `all` and `env(…)` refs as host files, each file once. */
export function resolveRefs(
  ws: Workspace,
  refs: readonly (string | Ref)[],
  opts: { createEnv?: boolean; exclude?: string; config?: () => HatchConfig } = {},
): HostTarget[] {
  const config = opts.config ?? configOnce(ws);
  const out: HostTarget[] = [];
  const seen = new Set<string>(opts.exclude ? [opts.exclude] : []);
  for (const t of refs) {
    const ref = typeof t === "string" ? host(t) : t;
    const targets =
      ref.kind === "env"
        ? [envTarget(ws, ref.name, opts.createEnv ? { create: true } : {})]
        : resolveTargets(ws, ref.name, config());
    for (const x of targets) {
      // Every target is written: an environment of a git source is changed in its repository.
      if (x.scope === "source") throw readOnlySource(x.name.replace(/^env:/, ""));
      if (seen.has(x.path)) continue;
      seen.add(x.path);
      out.push(x);
    }
  }
  return out;
}

/** Flattens `a, b`, `[a, b]` and `"a,b"`-free lists given to a builder method. */
export function flat<T>(items: readonly (T | readonly T[])[], method: string): T[] {
  const out: T[] = [];
  for (const i of items) {
    if (Array.isArray(i)) out.push(...(i as T[]));
    else if (i === undefined || i === null)
      throw new TypeError(`${method} got ${String(i)}: pass names or refs`);
    else out.push(i as T);
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
  throw new TypeError(".filter() takes a RegExp, a pattern string or a function (name, server) => boolean");
}

/**
 * An immutable, lazy sync: nothing is read until `.plan()`, `.apply()` or `.check()`. A builder is
 * not a promise: awaiting it by mistake gives the builder back and writes nothing.
 * @example
 * const plan = await sync().from(env("production")).to(["cursor", "vscode"]).filter(/^(?!dev-)/).plan();
 * console.log(plan.summary());
 */
export class SyncBuilder extends ApplyingBuilder<SyncBuilder> {
  readonly #state: SyncState;

  constructor(state?: SyncState) {
    super();
    this.#state = state ?? {
      to: [],
      filters: [],
      mirror: false,
      strict: false,
      dryRun: false,
      backup: true,
      showSecrets: false,
    };
  }

  #with(patch: Partial<SyncState>): SyncBuilder {
    return new SyncBuilder({ ...this.#state, ...patch });
  }
  protected withSettings(patch: Partial<BuilderSettings>): SyncBuilder {
    return this.#with(patch);
  }

  /** The source: `host("claude-desktop")`, `env("production")`, or a host name. */
  from(source: Ref | HostName): SyncBuilder {
    if (typeof source !== "string" && (typeof source !== "object" || source === null || !("kind" in source)))
      throw new TypeError('.from() takes a host name, host("…") or env("…")');
    return this.#with({ from: typeof source === "string" ? host(source) : source });
  }
  /** Targets: host ids, custom hosts, groups, `"all"`, or `env("name")`, as arguments or arrays; adds to earlier `.to()`. */
  to(...targets: (Ref | HostName | readonly (Ref | HostName)[])[]): SyncBuilder {
    return this.#with({ to: [...this.#state.to, ...flat(targets, ".to()")] });
  }
  /** Only these servers (each must exist in the source), as arguments or an array. */
  servers(...names: (string | readonly string[])[]): SyncBuilder {
    return this.#with({ servers: [...(this.#state.servers ?? []), ...flat(names, ".servers()")] });
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
  /** After applying, start every selected server on every target as its host would (MCP handshake). */
  verifyServers(opts: { timeoutMs?: number } = {}): SyncBuilder {
    return this.#with({ verify: opts });
  }

  /** Reads the source and targets and computes the plan. Writes nothing. */
  async plan(): Promise<SyncPlan> {
    return this.#plan({ ...this.#state });
  }

  #plan(state: SyncState): SyncPlan {
    if (!state.from)
      throw new UsageError(
        'No source: call .from(host("…")) or .from(env("…"))',
        'For example: sync().from(host("claude-desktop")).to("cursor")',
      );
    if (state.to.length === 0)
      throw new UsageError(
        'No target: call .to() with hosts, groups, "all" or env("…")',
        'For example: .to(["cursor", "vscode"])',
      );
    const ws = workspaceOf(state);
    const config = configOnce(ws);
    const src = resolveSource(ws, state.from, config);
    mark("source read");
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
    const warnings = selectionWarnings(state, src.servers.size, names.length, selected.length, label);
    // An entry of the source the selection would cover but hatch cannot convert is said, not dropped.
    for (const bad of src.skipped) {
      if (state.servers && !state.servers.includes(bad.name)) continue;
      if (!patterns.every((p) => p.test(bad.name))) continue;
      warnings.push(`${label}: entry "${bad.name}" is skipped: ${bad.problems.join("; ")}`);
    }
    const servers: ServerMap = new Map(selected.map((n) => [n, src.servers.get(n) as Server]));
    const targets = resolveRefs(ws, state.to, { createEnv: true, exclude: src.target.path, config });
    const named = state.servers ? new Set(state.servers) : undefined;
    const covers = (n: string) => (!named || named.has(n)) && pick(n);
    const wctx = writeContext(ws, src.target.adapter);
    workAhead(selected.length * targets.length);
    const planOne = (t: HostTarget): HostPlan => {
      let r: HostRead;
      try {
        r = readHost(t, ws.system);
      } catch (e) {
        // A machine that cannot be reached fails its hosts, not the run (PRODUCT.md, other machines).
        if (e instanceof UnreachableError) return unreachablePlan(t, e);
        throw e;
      }
      // Into an environment, secret-looking literals move to the secret store (stored on apply).
      const captured =
        t.adapter.id === envAdapter.id ? captureSecrets(servers, t.name.replace(/^env:/, "")) : undefined;
      const plan = planTarget(
        captured?.servers ?? servers,
        src.fields,
        {
          name: t.name,
          path: t.path,
          adapter: t.adapter,
          ...r,
          ...(t.adapter.id === envAdapter.id
            ? {
                newFileText: newEnvText(
                  t.name.replace(/^env:/, ""),
                  `Captured from ${label.replace(/^Source /, "")}`,
                ),
              }
            : {}),
        },
        wctx,
        { mirror: state.mirror, covers },
      );
      if (captured && captured.secrets.size > 0) CAPTURED.set(plan, captured.secrets);
      return plan;
    };
    // Read and plan every target first: a malformed or unknown target stops the run before any write.
    const hosts: HostPlan[] = [];
    let secret = false;
    for (const s of servers.values()) if (holdsSecret(s)) secret = true;
    for (const t of targets) {
      const plan = replannable(planOne(t), () => planOne(t), secret);
      hosts.push(plan);
      mark(`planned ${t.name}`);
      betweenFiles(Math.max(plan.newText.length, plan.oldText.length));
    }
    // An unset variable fails the run only when no target could take the server without it.
    failIfUnsetEverywhere(hosts);
    if (state.strict) {
      const losses = hosts.flatMap((h) => h.losses.map((loss) => ({ host: h.host, loss })));
      if (losses.length > 0) throw new StrictLossError(losses);
    }
    return makePlan(
      "sync",
      hosts,
      `Sync from ${state.from.kind} "${state.from.name}": ${selected.length} server(s) selected`,
      {
        source: {
          kind: state.from.kind,
          name: state.from.name,
          path: src.target.path,
          // The commit of a git source's environment: a CI job's --check --json names what it checked.
          ...(src.target.commit ? { commit: src.target.commit } : {}),
        },
        servers: selected,
        warnings,
      },
      state.showSecrets,
    ) as SyncPlan;
  }

  /** Plans, then writes (unless dry-run): lock, re-plan a file changed meanwhile, backup, atomic write, verify. */
  async apply(): Promise<SyncResult> {
    const state = { ...this.#state };
    return this.#apply(state, this.#plan(state), false);
  }

  /**
   * Applies a plan made earlier by this builder (the CLI previews and confirms in between).
   * @param opts.confirmed a person saw and confirmed the plan: a host whose file changed since
   *   in a way that changes the plan is not written (it is re-planned otherwise)
   */
  async applyPlan(plan: SyncPlan, opts: { confirmed?: boolean } = {}): Promise<SyncResult> {
    return this.#apply({ ...this.#state }, plan, opts.confirmed === true);
  }

  async #apply(state: SyncState, plan: SyncPlan, confirmed: boolean): Promise<SyncResult> {
    const ws = workspaceOf(state);
    const settings = settingsOf(state);
    // The backup manifest names the commit of a git source's environment the run applied.
    if (plan.source.commit)
      settings.label = `${settings.label ?? "sync"} (${plan.source.name} at ${plan.source.commit})`;
    // Captured secrets go to the store before the environment file that refers to them is written.
    if (!state.dryRun) {
      for (const h of plan.hosts) {
        const captured = CAPTURED.get(h);
        if (captured && h.changed) storeSecrets(ws, captured);
      }
    }
    const result: SyncResult = execute(ws, plan, "sync", settings, confirmed);
    if (state.verify && result.ok && !state.dryRun) {
      const targets: HostTarget[] = [];
      for (const h of plan.hosts) {
        const adapter = ADAPTERS.get(h.adapterId);
        if (adapter) targets.push({ name: h.host, adapter, path: h.path, scope: "user" });
      }
      if (targets.length > 0 && plan.servers.length > 0) {
        result.verification = await verifyServers(ws, targets, plan.servers, {
          ...(state.verify.timeoutMs ? { timeoutMs: state.verify.timeoutMs } : {}),
        });
        result.ok = result.verification.ok;
      }
    }
    return result;
  }

  /** Plans and reports whether the targets differ from the source (`drift`). Writes nothing. */
  async check(): Promise<SyncPlan> {
    return this.plan();
  }
}

/**
 * Why a plan selects nothing, in words: a pattern or filter that matched no server of the source
 * (a typo in a cron line must be visible), or a source that has none.
 */
function selectionWarnings(
  state: SyncState,
  available: number,
  named: number,
  selected: number,
  label: string,
): string[] {
  const source = label.replace(/^Source /, "");
  if (available === 0) return [`${label} has no servers: nothing to sync`];
  if (selected > 0 || state.filters.length === 0) return [];
  const what = state.filters
    .map((f) =>
      typeof f === "string"
        ? `pattern "${f}"`
        : f instanceof RegExp
          ? `filter ${String(f)}`
          : "filter function",
    )
    .join(" and ");
  return [
    state.servers
      ? `The ${what} matched none of the ${named} server${named === 1 ? "" : "s"} selected by name: nothing to sync`
      : `The ${what} matched no server of ${source} (${available} server${available === 1 ? "" : "s"} there): nothing to sync`,
  ];
}

function settingsOf(state: SyncState): ApplySettings {
  return {
    dryRun: state.dryRun,
    backup: state.backup,
    showSecrets: state.showSecrets,
    ...(state.label ? { label: state.label } : {}),
  };
}

function workspaceOf(state: SyncState): Workspace {
  const ws = state.workspace ?? defaultWorkspace();
  return state.project ? { ...ws, project: pathsFor(ws.ctx).resolve(state.project) } : ws;
}

/** Starts a sync: `sync().from(...).to(...)`. */
export function sync(): SyncBuilder {
  return new SyncBuilder();
}
