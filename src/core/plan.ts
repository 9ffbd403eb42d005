// The sync plan: pure. Given the source servers and each target file as read, it computes per
// target what would be added, updated (field by field), left unchanged, removed (--mirror), and
// lost in conversion, plus the exact new text of the file.
import type { Container, EncodeResult, HostAdapter, Loss, WriteContext } from "./adapter.ts";
import { containerEdits, rawEntries } from "./container.ts";
import { deepEqual, getAt, isPlainObject, setOwn } from "./edits.ts";
import { UnsetVariableError } from "./envrefs.ts";
import { CANONICAL_FIELDS, type CanonicalField, type Server, type ServerMap } from "./model.ts";

export type ChangeAction = "add" | "update" | "unchanged" | "remove" | "skip";

export interface FieldChange {
  field: string;
  before?: unknown;
  after?: unknown;
}

/** One server's change in one host's plan. Read-only: "add" and "unchanged" records are shared. */
export interface ServerChange {
  readonly name: string;
  readonly action: ChangeAction;
  /** For updates: the canonical fields that change. */
  readonly fields?: FieldChange[];
  /** For skips: why the target cannot take this server. */
  readonly reason?: string;
}

// The "add" and "unchanged" records of a source server are the same frozen object in every target's
// plan: a sync of 10,000 servers into 20 files otherwise keeps 200,000 records alive until it ends,
// and every full collection marks them all.
const ADDED = new WeakMap<Server, ServerChange>();
const UNCHANGED = new WeakMap<Server, ServerChange>();

function sharedChange(
  records: WeakMap<Server, ServerChange>,
  server: Server,
  name: string,
  action: "add" | "unchanged",
): ServerChange {
  let c = records.get(server);
  if (c === undefined || c.name !== name) {
    c = Object.freeze({ name, action });
    records.set(server, c);
  }
  return c;
}

/** What the planner needs of one target file. */
export interface TargetInput {
  name: string;
  path: string;
  adapter: HostAdapter;
  exists: boolean;
  text: string;
  doc: unknown;
  raw: Map<string, unknown>;
  servers: ServerMap;
  /** The text a new file starts from, when the target does not exist yet. */
  newFileText?: string;
}

export interface HostPlan {
  host: string;
  path: string;
  adapterId: string;
  exists: boolean;
  changes: ServerChange[];
  losses: Loss[];
  oldText: string;
  newText: string;
  /** Whether applying the plan changes the file's bytes. */
  changed: boolean;
  /**
   * Why `newText` would not read back as planned (an encoder or codec bug); apply then writes
   * nothing to this host. Absent when the text was verified.
   */
  problem?: string;
}

/**
 * The text each plan was verified with, for apply: a plan whose `newText` was replaced after
 * planning (a script editing a plan object) is refused, never written unverified.
 */
const VERIFIED = new WeakMap<HostPlan, string>();

/** Whether `plan.newText` is the text the planner verified. */
export function isVerified(plan: HostPlan): boolean {
  return VERIFIED.get(plan) === plan.newText;
}

/**
 * Reads `text` back as the host would and compares it with what was planned, in one comparison of
 * the whole document: the original's (`baseDoc`) with each entry of `set` written and each of
 * `remove` gone (`intendedDoc`). Done when the plan is made, so the plan keeps only its text (not
 * every encoded entry: ~50 MB at 10,000 servers × 20 files) and a preview already says when a
 * write would be refused. YAML and TOML edits are checked by their codec (whole, or proven
 * locally) and are not parsed again.
 */
function readBackProblem(
  adapter: HostAdapter,
  path: string,
  text: string,
  baseDoc: unknown,
  set: ReadonlyMap<string, Record<string, unknown>>,
  remove: readonly string[],
): string | undefined {
  if (adapter.format.checksEdits) return undefined;
  let doc: unknown;
  try {
    doc = adapter.format.parse(text, path);
  } catch (e) {
    return `the new text does not parse: ${(e as Error).message}`;
  }
  const intended = intendedDoc(adapter.container, baseDoc, set, remove);
  if (sameDocument(doc, intended)) return undefined;
  // What differs, for the message (a codec or encoder bug: rare, so the per-entry walk is fine).
  const got = rawEntries(adapter.container, doc);
  const want = rawEntries(adapter.container, intended);
  for (const name of set.keys()) {
    if (!sameDocument(got.get(name), want.get(name)))
      return `server "${name}" would not read back as written`;
  }
  for (const name of remove) {
    if (got.has(name)) return `server "${name}" is still there after removal`;
  }
  return "the new text would change the file outside the servers planned";
}

/**
 * Whether two parsed values are equal (object key order ignored): one `JSON.stringify` of each, in
 * native code, when the keys come in the same order (the intended document is built in the order
 * the edits give: intendedDoc), else the same with the keys sorted. Values are JSON-like (as
 * parsed): a string and a date that prints as it, or NaN and null, would compare equal.
 */
export function sameDocument(a: unknown, b: unknown): boolean {
  // measured: an ordered stringify of 1,000 servers ~0.3 ms, the sorted copy ~2 ms (held to it by plan.test.ts).
  return (
    JSON.stringify(a) === JSON.stringify(b) || JSON.stringify(sortedKeys(a)) === JSON.stringify(sortedKeys(b))
  );
}

/** A copy with every object's keys in sorted order (arrays keep theirs). */
function sortedKeys(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sortedKeys);
  if (!isPlainObject(x)) return x;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(x).sort()) setOwn(out, k, sortedKeys(x[k]));
  return out;
}

/** `before` with the edits diffEdits makes to turn it into `after` applied, in the order they give. */
function edited(before: unknown, after: unknown): unknown {
  if (!isPlainObject(before) || !isPlainObject(after)) return after;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(before)) {
    const v = Object.hasOwn(after, k) ? after[k] : undefined;
    if (v !== undefined) setOwn(out, k, edited(before[k], v));
  }
  for (const k of Object.keys(after)) {
    const v = after[k];
    if (v !== undefined && !Object.hasOwn(before, k)) setOwn(out, k, v);
  }
  return out;
}

/**
 * The document a plan's edits describe (what containerEdits asks the codec for): `doc` with the
 * container holding each entry of `set` (an existing entry edited in place, a new one added last,
 * in `set`'s order) and none of `remove`. Only the objects on the way to the container are copied.
 */
export function intendedDoc(
  c: Container,
  doc: unknown,
  set: ReadonlyMap<string, Record<string, unknown>>,
  remove: readonly string[],
): unknown {
  const at = getAt(doc, c.path);
  let container: unknown;
  if (c.kind === "map") {
    const before = isPlainObject(at) ? at : {};
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(before)) {
      const raw = set.get(k);
      setOwn(out, k, raw === undefined ? before[k] : edited(before[k], raw));
    }
    for (const [name, raw] of set) if (!Object.hasOwn(before, name)) setOwn(out, name, raw);
    for (const name of remove) delete out[name];
    container = out;
  } else {
    // A list keyed by name: the last item of a name is the one edited (as containerEdits does).
    const list: unknown[] = Array.isArray(at) ? at.slice() : [];
    const index = new Map<string, number>();
    list.forEach((item, i) => {
      if (isPlainObject(item) && typeof item[c.nameKey] === "string") index.set(item[c.nameKey] as string, i);
    });
    const appended: unknown[] = [];
    for (const [name, raw] of set) {
      const i = index.get(name);
      const item = { [c.nameKey]: name, ...raw };
      if (i === undefined) appended.push(item);
      else list[i] = edited(list[i], item);
    }
    const gone = new Set<number>();
    for (const name of remove) {
      const i = index.get(name);
      if (i !== undefined) gone.add(i);
    }
    container = list.filter((_, i) => !gone.has(i)).concat(appended);
  }
  return withAt(doc, c.path, 0, container);
}

/** `doc` with `value` at `path` (from `i`): objects on the way copied, or made where none is. */
function withAt(doc: unknown, path: readonly (string | number)[], i: number, value: unknown): unknown {
  if (i === path.length) return value;
  const seg = path[i] as string;
  const out: Record<string, unknown> = isPlainObject(doc) ? { ...doc } : {};
  setOwn(out, seg, withAt(Object.hasOwn(out, seg) ? out[seg] : undefined, path, i + 1, value));
  return out;
}

export interface PlanOptions {
  mirror?: boolean;
  /** For --mirror: which target names the selection covers. */
  covers?: (name: string) => boolean;
}

/** Fields of one kind of server (stdio or remote): never carried over to the other kind. */
const TRANSPORT_FIELDS: ReadonlySet<string> = new Set([
  "command",
  "args",
  "env",
  "cwd",
  "envFile",
  "url",
  "transport",
  "headers",
]);

/**
 * Canonical fields the source could express, for keeping target-only settings: a field the
 * source cannot express is taken from the target's existing entry instead of being erased.
 */
export function mergeForTarget(
  source: Server,
  existing: Server | undefined,
  sourceFields: ReadonlySet<CanonicalField>,
): Server {
  if (!existing) return source;
  const merged: Record<string, unknown> = { ...source };
  const sameKind = "url" in source === "url" in existing;
  for (const f of CANONICAL_FIELDS) {
    if (sourceFields.has(f) || merged[f] !== undefined) continue;
    if (!sameKind && TRANSPORT_FIELDS.has(f)) continue;
    const v = (existing as Record<string, unknown>)[f];
    if (v !== undefined) merged[f] = v;
  }
  // Host-only fields of the target survive through the existing entry; keep the source's own.
  return merged as Server;
}

function canonicalDiff(before: Server | undefined, after: Server | undefined): FieldChange[] {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const out: FieldChange[] = [];
  for (const f of [...CANONICAL_FIELDS, "extra"]) {
    if (!deepEqual(b[f], a[f])) {
      out.push({
        field: f,
        ...(b[f] !== undefined ? { before: b[f] } : {}),
        ...(a[f] !== undefined ? { after: a[f] } : {}),
      });
    }
  }
  return out;
}

/**
 * Plans one target.
 * @throws UsageError from env-var resolution (an unset variable for a host without interpolation)
 */
export function planTarget(
  source: ServerMap,
  sourceFields: ReadonlySet<CanonicalField>,
  target: TargetInput,
  wctx: WriteContext,
  opts: PlanOptions = {},
): HostPlan {
  const { adapter } = target;
  const changes: ServerChange[] = [];
  const losses: Loss[] = [];
  const set = new Map<string, Record<string, unknown>>();
  const remove: string[] = [];
  const unset: { server: string; error: UnsetVariableError }[] = [];

  // The loop runs for every server of every target, mostly in the interpreter, where each call
  // (a Map lookup, a helper) costs hundreds of instructions. A target with no entries yet (a new
  // file, a first sync) has nothing to look up or merge with.
  const raws = target.raw;
  const existingServers = target.servers;
  let unchanged: Set<string> | undefined;
  const fresh = raws.size === 0 && existingServers.size === 0;
  for (const [name, server] of source) {
    let existingRaw: unknown;
    let existing: Server | undefined;
    let merged = server;
    if (!fresh) {
      existingRaw = raws.get(name);
      existing = existingServers.get(name);
      if (existing !== undefined) merged = mergeForTarget(server, existing, sourceFields);
    }
    let enc: EncodeResult;
    try {
      enc = adapter.encode(name, merged, existingRaw, wctx);
    } catch (e) {
      // An unset variable stops only the hosts that cannot expand it: the server is skipped here,
      // and the run stops (exit 2) only when no target could take it (failIfUnsetEverywhere).
      if (!(e instanceof UnsetVariableError)) throw e;
      enc = { skip: e.message, losses: [] };
      unset.push({ server: name, error: e });
    }
    const raw = enc.raw;
    if (enc.skip || !raw) {
      const reason = enc.skip ?? "the host cannot express this server";
      changes.push({ name, action: "skip", reason });
      losses.push({ server: name, reason: `skipped: ${reason}` });
      continue;
    }
    // Most encodes lose nothing: no spread of an empty list per server.
    const lost = enc.losses;
    for (let i = 0; i < lost.length; i++) losses.push(lost[i] as Loss);
    set.set(name, raw);
    if (existingRaw === undefined) {
      // sharedChange, inline: the common case of a sync into a new file.
      let c = ADDED.get(server);
      if (c === undefined || c.name !== name) {
        c = Object.freeze({ name, action: "add" as const });
        ADDED.set(server, c);
      }
      changes.push(c);
    } else if (deepEqual(existingRaw, raw)) {
      changes.push(sharedChange(UNCHANGED, server, name, "unchanged"));
      unchanged ??= new Set();
      unchanged.add(name);
    } else {
      let after: Server | undefined;
      try {
        after = adapter.decode(name, raw);
      } catch {
        after = undefined;
      }
      const fields = canonicalDiff(existing, after);
      changes.push({ name, action: "update", fields: fields.length ? fields : [{ field: "(host fields)" }] });
    }
  }
  if (opts.mirror) {
    const covers = opts.covers ?? (() => true);
    // Only valid servers are candidates: entries that are broken or not MCP servers at all
    // (Goose builtins) are never removed by a mirror.
    for (const name of target.servers.keys()) {
      if (!source.has(name) && covers(name)) {
        remove.push(name);
        changes.push({ name, action: "remove" });
      }
    }
  }
  // A file that does not exist yet starts from the target's template (an environment's header),
  // so the new file reads like one a person would write.
  const seeded = !target.exists && target.newFileText !== undefined && (set.size > 0 || remove.length > 0);
  const baseText = seeded ? (target.newFileText as string) : target.text;
  const baseDoc = seeded ? adapter.format.parse(baseText, target.path) : target.doc;
  // An unchanged entry makes no edit (diffEdits of equal values is empty): the edits come from the
  // others alone, and a sync that changes one server of 1,000 compares the rest once, not twice.
  // The check still reads back every entry of `set`.
  let toEdit = set;
  if (unchanged !== undefined) {
    toEdit = new Map();
    for (const [name, raw] of set) if (!unchanged.has(name)) toEdit.set(name, raw);
  }
  const edits = containerEdits(adapter.container, baseDoc, { set: toEdit, remove });
  const newText = edits.length === 0 ? baseText : adapter.format.edit(baseText, edits, target.path);
  const changed = newText !== target.text;
  const problem = changed ? readBackProblem(adapter, target.path, newText, baseDoc, set, remove) : undefined;
  const plan: HostPlan = {
    host: target.name,
    path: target.path,
    adapterId: adapter.id,
    exists: target.exists,
    changes,
    losses,
    oldText: target.text,
    newText,
    changed,
    ...(problem ? { problem } : {}),
  };
  VERIFIED.set(plan, newText);
  if (unset.length > 0) UNSET.set(plan, unset);
  return plan;
}

/** Servers a plan skipped because a variable they refer to is unset (the target cannot expand it). */
const UNSET = new WeakMap<HostPlan, { server: string; error: UnsetVariableError }[]>();

/**
 * Throws the unset-variable error of a server that no target could take (every plan holding it
 * skipped it): one unset variable must not stop a sync for the targets that expand it themselves,
 * but a sync where it stops every target is bad input (exit 2), as before.
 * @throws UnsetVariableError
 */
export function failIfUnsetEverywhere(plans: readonly HostPlan[]): void {
  for (const p of plans) {
    for (const u of UNSET.get(p) ?? []) {
      const takenSomewhere = plans.some((q) =>
        q.changes.some((c) => c.name === u.server && c.action !== "skip" && c.action !== "remove"),
      );
      if (!takenSomewhere) throw u.error;
    }
  }
}

export interface PlanTotals {
  add: number;
  update: number;
  unchanged: number;
  remove: number;
  skip: number;
  losses: number;
}

export function totals(hosts: readonly HostPlan[]): PlanTotals {
  const t: PlanTotals = { add: 0, update: 0, unchanged: 0, remove: 0, skip: 0, losses: 0 };
  for (const h of hosts) {
    for (const c of h.changes) t[c.action]++;
    t.losses += h.losses.length;
  }
  return t;
}
