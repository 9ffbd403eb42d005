// What every mutation of host files shares, whichever face asked for it (CLI or script): one Plan
// shape, one Result shape, one way to apply (apply/apply.ts: lock → re-plan if the file changed →
// backup → atomic write → read back), and secrets redacted in anything serialized.
import { applyPlans, dryRunWorkspace, type HostOutcome } from "../apply/apply.ts";
import { SECRET_FIELDS, type Server } from "../core/model.ts";
import { type HostPlan, type PlanTotals, totals } from "../core/plan.ts";
import type { HostAdapter } from "../core/adapter.ts";
import { HOSTS } from "../hosts/registry.ts";
import { envAdapter } from "../store/envs.ts";
import type { Workspace } from "../store/workspace.ts";

export type { HostOutcome };

/** Every adapter a plan may name: the built-in hosts and hatch's own environment files. */
export const ADAPTERS: ReadonlyMap<string, HostAdapter> = new Map([
  ...HOSTS.map((h) => [h.id, h] as const),
  [envAdapter.id, envAdapter] as const,
]);

export type MutationKind = "sync" | "configure" | "remove";

/** A plan of changes to host files: what `sync`, `configure` and `remove` return from `.plan()`. */
export interface Plan {
  kind: MutationKind;
  hosts: HostPlan[];
  totals: PlanTotals;
  /** Whether applying would change any file. */
  drift: boolean;
  /** A readable summary (no secret values). */
  summary(): string;
  /** The plan as JSON: env values and headers redacted unless the builder said `.showSecrets()`. */
  toJSON(): unknown;
}

/** What `.apply()` returns, for every kind of plan. */
export interface Result<P extends Plan = Plan> {
  plan: P;
  dryRun: boolean;
  outcomes: HostOutcome[];
  /** The snapshot taken before writing, if any. */
  backupId?: string;
  /** False when any host failed. */
  ok: boolean;
  toJSON(): unknown;
}

/** Options every mutating builder carries. */
export interface ApplySettings {
  dryRun: boolean;
  backup: boolean;
  showSecrets: boolean;
  /** Recorded in the backup manifest (the CLI passes its command line). */
  label?: string;
}

/** The settings every mutating builder keeps, whatever it changes. */
export interface BuilderSettings {
  dryRun: boolean;
  backup: boolean;
  showSecrets: boolean;
  label?: string;
  workspace?: Workspace;
  project?: string;
}

/** How sync(), configure() and remove() apply: the setters they share. */
export abstract class ApplyingBuilder<B> {
  /** A builder like this one with these settings changed. */
  protected abstract withSettings(patch: Partial<BuilderSettings>): B;
  /** Plan and report, write nothing. */
  dryRun(on = true): B {
    return this.withSettings({ dryRun: on });
  }
  /** Skip the automatic backup before writing. */
  noBackup(): B {
    return this.withSettings({ backup: false });
  }
  /** Show env values and headers in `toJSON()` instead of redacting them. */
  showSecrets(on = true): B {
    return this.withSettings({ showSecrets: on });
  }
  /** Use another workspace (HATCH_HOME, HOME, OS) than the process's. */
  withWorkspace(ws: Workspace): B {
    return this.withSettings({ workspace: ws });
  }
  /** Use the hosts' project files in this directory (`.cursor/mcp.json`, `.mcp.json` …). */
  project(dir: string): B {
    return this.withSettings({ project: dir });
  }
  /** Label recorded in backups (the CLI passes its command line). */
  label(text: string): B {
    return this.withSettings({ label: text });
  }
}

/** Redacts env and header values, unless secrets are to be shown. A changed secret still shows as changed. */
export function secretRedactor(showSecrets: boolean): (field: string, v: unknown) => unknown {
  return (field, v) =>
    !showSecrets && SECRET_FIELDS.has(field) && v && typeof v === "object"
      ? Object.fromEntries(Object.keys(v).map((k) => [k, "******"]))
      : v;
}

/** What a changed secret value shows instead of "******", still without the value. */
export const CHANGED_SECRET = "****** (changed)";

/**
 * One field change with secrets redacted (unless shown): each env value or header is "******",
 * and one whose value differs between before and after is "****** (changed)" on the after side,
 * so a rotated key is visible as changed without showing either value.
 */
export function redactChange(
  showSecrets: boolean,
  field: string,
  before: unknown,
  after: unknown,
): { before: unknown; after: unknown } {
  const redact = secretRedactor(showSecrets);
  const b = redact(field, before);
  const a = redact(field, after);
  if (showSecrets || !SECRET_FIELDS.has(field) || !a || typeof a !== "object") return { before: b, after: a };
  const old = (before && typeof before === "object" ? before : {}) as Record<string, unknown>;
  const now = (after ?? {}) as Record<string, unknown>;
  const marked = Object.fromEntries(
    Object.entries(a as Record<string, unknown>).map(([k, v]) => [
      k,
      Object.hasOwn(old, k) && old[k] !== now[k] ? CHANGED_SECRET : v,
    ]),
  );
  return { before: b, after: marked };
}

/** Host plans as the stable JSON every command prints (`--json`). */
export function hostPlansJson(
  plans: readonly HostPlan[],
  redact: (field: string, v: unknown) => unknown = (_f, v) => v,
  showSecrets = true,
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
            fields: c.fields.map((f) => {
              if (!showSecrets) return { field: f.field, ...redactChange(false, f.field, f.before, f.after) };
              return { field: f.field, before: redact(f.field, f.before), after: redact(f.field, f.after) };
            }),
          }
        : {}),
    })),
    losses: h.losses,
    ...(h.problem ? { problem: h.problem } : {}),
  }));
}

/** One line per host: counts of each action. */
export function hostCountsLines(hosts: readonly HostPlan[]): string[] {
  return hosts.map((h) => {
    const counts = { add: 0, update: 0, unchanged: 0, remove: 0, skip: 0 };
    for (const c of h.changes) counts[c.action]++;
    return (
      `  ${h.host}: ${counts.add} to add, ${counts.update} to update, ${counts.unchanged} unchanged` +
      (counts.remove ? `, ${counts.remove} to remove` : "") +
      (counts.skip ? `, ${counts.skip} skipped` : "") +
      (h.losses.length ? `, ${h.losses.length} loss(es)` : "")
    );
  });
}

/**
 * Builds a Plan object from host plans and kind-specific fields.
 * @param head the first line of the summary
 * @param extra fields of this kind of plan (in the object and in its JSON)
 */
export function makePlan<X extends object>(
  kind: MutationKind,
  hosts: HostPlan[],
  head: string,
  extra: X,
  showSecrets: boolean,
): Plan & X {
  const drift = hosts.some((h) => h.changed);
  const t = totals(hosts);
  const plan = {
    kind,
    ...extra,
    hosts,
    totals: t,
    drift,
    summary: () =>
      [head, ...hostCountsLines(hosts), drift ? "Changes pending" : "In sync: nothing to change"].join("\n"),
    toJSON: () => ({
      kind,
      ...extra,
      drift,
      totals: t,
      hosts: hostPlansJson(hosts, secretRedactor(showSecrets), showSecrets),
    }),
  };
  return plan as Plan & X;
}

/**
 * Re-planning: each host plan made by a builder knows how to plan itself again against the file
 * as it is now, so the write transaction can re-plan under the lock (PRODUCT.md, Concurrency).
 */
const AGAIN = new WeakMap<HostPlan, () => HostPlan>();

/** Plans that write secret values (env values, headers): a file they create is owner-only (0600). */
const SECRET = new WeakSet<HostPlan>();

/** Whether a server carries values that may be secrets. */
export function holdsSecret(s: Server): boolean {
  const o = s as { env?: Record<string, string>; headers?: Record<string, string> };
  return Object.keys(o.env ?? {}).length > 0 || Object.keys(o.headers ?? {}).length > 0;
}

/**
 * Registers how to plan this host again; returns the plan.
 * @param secret the plan writes env values or headers
 */
export function replannable(plan: HostPlan, again: () => HostPlan, secret = false): HostPlan {
  AGAIN.set(plan, () => replannable(again(), again, secret));
  if (secret) SECRET.add(plan);
  return plan;
}

function replan(p: HostPlan): HostPlan {
  const again = AGAIN.get(p);
  if (!again) throw new Error("this plan cannot be made again: plan it with its builder");
  return again();
}

/**
 * Applies a plan: the one write path of every mutation. Dry-run writes nothing and reports every
 * host as it would be left.
 * @param confirmed a person confirmed this plan: a file changed since stops that host instead of
 *   being re-planned silently
 */
export function execute<P extends Plan>(
  ws: Workspace,
  plan: P,
  reason: string,
  settings: ApplySettings,
  confirmed = false,
): Result<P> {
  // A dry run takes every step of a real one against a system that only records its writes.
  const res = applyPlans(settings.dryRun ? dryRunWorkspace(ws) : ws, plan.hosts, {
    backup: settings.backup && !settings.dryRun,
    reason,
    ...(settings.label ? { command: settings.label } : {}),
    adapters: ADAPTERS,
    replan,
    confirmed,
    secret: (p) => SECRET.has(p),
  });
  const ok = res.outcomes.every((o) => o.status !== "failed");
  const backupId = res.snapshot?.id;
  return {
    plan,
    dryRun: settings.dryRun,
    outcomes: res.outcomes,
    ...(backupId ? { backupId } : {}),
    ok,
    toJSON: () => ({
      ...(plan.toJSON() as object),
      dryRun: settings.dryRun,
      ok,
      backupId: backupId ?? null,
      outcomes: res.outcomes,
    }),
  };
}
