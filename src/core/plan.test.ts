// planTarget against the planTarget it replaced (its per-server loop kept below as the reference):
// for random sources, random targets (new files, files with entries, entries that do not decode)
// and every adapter of the registry, the plans are the same: changes, losses, texts, problems.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { EncodeResult, HostAdapter, Loss, WriteContext } from "./adapter.ts";
import { containerEdits, rawEntries } from "./container.ts";
import { HOSTS } from "../hosts/registry.ts";
import { deepEqual } from "./edits.ts";
import { CANONICAL_FIELDS, type CanonicalField, parseServer, type Server, type ServerMap } from "./model.ts";
import {
  type FieldChange,
  type HostPlan,
  mergeForTarget,
  type PlanOptions,
  planTarget,
  sameDocument,
  type ServerChange,
  type TargetInput,
} from "./plan.ts";

// ---- The reference: planTarget at cb38dda, unchanged but for the names (its private helpers
// copied with it).

const REF_ADDED = new WeakMap<Server, ServerChange>();
const REF_UNCHANGED = new WeakMap<Server, ServerChange>();

function refSharedChange(
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

function refReadBackProblem(
  adapter: HostAdapter,
  path: string,
  text: string,
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
  const entries = rawEntries(adapter.container, doc);
  const c = adapter.container;
  for (const [name, raw] of set) {
    const want = c.kind === "list" ? { [c.nameKey]: name, ...raw } : raw;
    if (!deepEqual(entries.get(name), want)) return `server "${name}" would not read back as written`;
  }
  for (const name of remove) {
    if (entries.has(name)) return `server "${name}" is still there after removal`;
  }
  return undefined;
}

function refCanonicalDiff(before: Server | undefined, after: Server | undefined): FieldChange[] {
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

function refPlanTarget(
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

  for (const [name, server] of source) {
    const existingRaw = target.raw.get(name);
    const existing = target.servers.get(name);
    const merged = mergeForTarget(server, existing, sourceFields);
    const enc: EncodeResult = adapter.encode(name, merged, existingRaw, wctx);
    if (enc.skip || !enc.raw) {
      const reason = enc.skip ?? "the host cannot express this server";
      changes.push({ name, action: "skip", reason });
      losses.push({ server: name, reason: `skipped: ${reason}` });
      continue;
    }
    const lost = enc.losses;
    for (let i = 0; i < lost.length; i++) losses.push(lost[i] as Loss);
    set.set(name, enc.raw);
    if (existingRaw === undefined) {
      changes.push(refSharedChange(REF_ADDED, server, name, "add"));
    } else if (deepEqual(existingRaw, enc.raw)) {
      changes.push(refSharedChange(REF_UNCHANGED, server, name, "unchanged"));
    } else {
      let after: Server | undefined;
      try {
        after = adapter.decode(name, enc.raw);
      } catch {
        after = undefined;
      }
      const fields = refCanonicalDiff(existing, after);
      changes.push({ name, action: "update", fields: fields.length ? fields : [{ field: "(host fields)" }] });
    }
  }
  if (opts.mirror) {
    const covers = opts.covers ?? (() => true);
    for (const name of target.servers.keys()) {
      if (!source.has(name) && covers(name)) {
        remove.push(name);
        changes.push({ name, action: "remove" });
      }
    }
  }
  const seeded = !target.exists && target.newFileText !== undefined && (set.size > 0 || remove.length > 0);
  const baseText = seeded ? (target.newFileText as string) : target.text;
  const baseDoc = seeded ? adapter.format.parse(baseText, target.path) : target.doc;
  const edits = containerEdits(adapter.container, baseDoc, { set, remove });
  const newText = edits.length === 0 ? baseText : adapter.format.edit(baseText, edits, target.path);
  const changed = newText !== target.text;
  const problem = changed ? refReadBackProblem(adapter, target.path, newText, set, remove) : undefined;
  return {
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
}

// ---- Random inputs.

const NAMES = ["a", "b", "c", "d", "e", "f"];
const text = fc.constantFrom("x", "y", "--flag", "", "${SET}", "${UNSET:-d}");
const extraHost = fc.constantFrom(...HOSTS.map((h) => h.id), "other");
const rawServer = fc.oneof(
  fc.record(
    {
      command: fc.constantFrom("npx", "uvx", "node"),
      args: fc.array(text, { maxLength: 3 }),
      env: fc.dictionary(fc.constantFrom("A", "B"), text, { maxKeys: 2 }),
      disabled: fc.boolean(),
      timeout: fc.constantFrom(1000, 2500, 60000),
      description: text,
      extra: fc.dictionary(
        extraHost,
        fc.dictionary(fc.constantFrom("foo", "name", "type"), text, { maxKeys: 2 }),
        {
          maxKeys: 1,
        },
      ),
    },
    { requiredKeys: ["command"] },
  ),
  fc.record(
    {
      url: fc.constantFrom("https://x.dev/mcp", "https://y.dev/sse"),
      transport: fc.constantFrom("http", "sse"),
      headers: fc.dictionary(fc.constantFrom("Authorization", "X"), text, { maxKeys: 2 }),
      includeTools: fc.array(fc.constantFrom("t1", "t2"), { maxLength: 2 }),
    },
    { requiredKeys: ["url"] },
  ),
);
const serverMap = fc.uniqueArray(fc.tuple(fc.constantFrom(...NAMES), rawServer), {
  selector: ([n]) => n,
  maxLength: 5,
});
const FIELD_SETS: ReadonlySet<CanonicalField>[] = [
  new Set(CANONICAL_FIELDS),
  new Set<CanonicalField>(["command", "args", "env", "url", "transport", "headers"]),
];
const ENV = { SET: "set-value", HOME: "/home/u" };

function toMap(pairs: [string, unknown][]): ServerMap {
  const m: ServerMap = new Map();
  for (const [n, o] of pairs) {
    try {
      m.set(n, parseServer(n, o));
    } catch {
      // A random object the schema refuses: left out.
    }
  }
  return m;
}

/** A target as hatch reads it: a file made by a plan of `previous` into a new file, read back. */
function readTarget(adapter: HostAdapter, previous: ServerMap, drop: string[]): TargetInput {
  const path = `/t/${adapter.id}.${adapter.format.name}`;
  const empty: TargetInput = {
    name: adapter.id,
    path,
    adapter,
    exists: false,
    text: "",
    doc: adapter.format.parse("", path),
    raw: new Map(),
    servers: new Map(),
  };
  if (previous.size === 0) return empty;
  const made = refPlanTarget(previous, FIELD_SETS[0] as ReadonlySet<CanonicalField>, empty, {
    env: { ...ENV, UNSET: "u" },
    platform: "linux",
  });
  const doc = adapter.format.parse(made.newText, path);
  const raw = rawEntries(adapter.container, doc);
  const servers: ServerMap = new Map();
  for (const [n, e] of raw) {
    // Some entries are kept as not decoding (raw only), as a broken entry or a Goose builtin is.
    if (drop.includes(n)) continue;
    try {
      servers.set(n, adapter.decode(n, e));
    } catch {
      // Not a server entry.
    }
  }
  return { ...empty, exists: true, text: made.newText, doc, raw, servers };
}

describe("planTarget", () => {
  test.each(HOSTS.map((h) => [h.id, h] as const))(
    "%s: the same plan as the reference, for any source and target",
    (_id, unbound) => {
      // The local scope of Claude Code works only bound to a project.
      const adapter =
        unbound.id === "claude-code-local" && unbound.forProject
          ? unbound.forProject("/p", { platform: "linux", env: {}, home: "/home/u" })
          : unbound;
      let withEntries = 0;
      let fresh = 0;
      fc.assert(
        fc.property(
          serverMap,
          fc.option(serverMap, { nil: [], freq: 3 }),
          fc.subarray(NAMES),
          fc.boolean(),
          fc.constantFrom(0, 1),
          fc.constantFrom<WriteContext["platform"]>("linux", "win32"),
          (src, prev, drop, mirror, fieldSet, platform) => {
            const source = toMap(src);
            const target = readTarget(adapter, toMap(prev), drop);
            if (target.raw.size === 0) fresh++;
            else withEntries++;
            const fields = FIELD_SETS[fieldSet] as ReadonlySet<CanonicalField>;
            const ctx: WriteContext = { env: ENV, platform };
            const opts: PlanOptions = { mirror, covers: (n) => n !== "f" };
            const run = (f: typeof planTarget) => {
              try {
                return { plan: f(source, fields, target, ctx, opts) };
              } catch (e) {
                return { error: `${(e as Error).constructor.name}: ${(e as Error).message}` };
              }
            };
            const want = run(refPlanTarget);
            const got = run(planTarget);
            expect(JSON.stringify(got)).toBe(JSON.stringify(want));
            // The same server objects under other names (the "add" records are per server).
            const names = [...source.keys()];
            const servers = [...source.values()].reverse();
            const renamed: ServerMap = new Map(names.map((n, i) => [n, servers[i] as Server]));
            const want2 = run((_, ...rest) => refPlanTarget(renamed, ...rest));
            const got2 = run((_, ...rest) => planTarget(renamed, ...rest));
            expect(JSON.stringify(got2)).toBe(JSON.stringify(want2));
          },
        ),
        { numRuns: 80 },
      );
      // Both loops were exercised: targets with entries and targets without.
      expect(withEntries).toBeGreaterThan(10);
      expect(fresh).toBeGreaterThan(5);
    },
  );
});

// ---- The read-back check: one comparison of the whole document, and it catches wrong edits.

/** A JSON value with its object keys shuffled (same meaning, other order). */
function shuffled(x: unknown, seed: number): unknown {
  if (Array.isArray(x)) return x.map((v, i) => shuffled(v, seed + i));
  if (x === null || typeof x !== "object") return x;
  const keys = Object.keys(x);
  const order = keys
    .map((k, i) => [((i + 1) * 7919 * (seed + 3)) % 101, k] as const)
    .sort((a, b) => a[0] - b[0]);
  const out: Record<string, unknown> = {};
  for (const [, k] of order)
    Object.defineProperty(out, k, {
      value: shuffled((x as Record<string, unknown>)[k], seed + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}

describe("sameDocument", () => {
  test("agrees with deepEqual on parsed JSON, in any key order (the ordered comparison only ever accepts)", () => {
    let equal = 0;
    let different = 0;
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), fc.nat(50), fc.boolean(), (a0, b0, seed, same) => {
        // As parsed from text (no -0, as JSON.parse never gives one).
        const a = JSON.parse(JSON.stringify(a0));
        const b = same ? shuffled(a, seed) : JSON.parse(JSON.stringify(b0));
        const want = deepEqual(a, b);
        expect(sameDocument(a, b)).toBe(want);
        if (want) equal++;
        else different++;
      }),
      { numRuns: 400 },
    );
    expect(equal).toBeGreaterThan(100);
    expect(different).toBeGreaterThan(100);
  });
});

describe("the read-back check", () => {
  const claudeDesktop = HOSTS.find((h) => h.id === "claude-desktop") as HostAdapter;
  const cont = HOSTS.find((h) => h.id === "continue") as HostAdapter;
  /** `adapter` with its edits passed through `corrupt`, and checked when planned (not by its codec). */
  const withEdit = (adapter: HostAdapter, corrupt: (text: string) => string): HostAdapter =>
    Object.assign(Object.create(adapter), {
      format: {
        name: adapter.format.name,
        parse: adapter.format.parse,
        edit: (t: string, e: Parameters<HostAdapter["format"]["edit"]>[1], p: string) =>
          corrupt(adapter.format.edit(t, e, p)),
      },
    }) as HostAdapter;
  const servers = toMap([
    ["keep", { command: "npx", args: ["-y", "keep"] }],
    ["new", { command: "uvx", args: ["new"], env: { A: "1" } }],
  ]);
  const plan = (adapter: HostAdapter, text: string, mirror = false) => {
    const path = `/t/x.${adapter.format.name}`;
    const doc = adapter.format.parse(text, path);
    const raw = rawEntries(adapter.container, doc);
    const existing: ServerMap = new Map();
    for (const [n, e] of raw) existing.set(n, adapter.decode(n, e));
    return planTarget(
      servers,
      new Set(CANONICAL_FIELDS),
      { name: adapter.id, path, adapter, exists: true, text, doc, raw, servers: existing },
      { env: {}, platform: "linux" },
      { mirror },
    );
  };
  const JSON_FILE = `{
  "theme": "dark",
  "mcpServers": {
    "keep": { "args": ["-y", "keep"], "command": "npx" },
    "old": { "command": "node" }
  }
}
`;
  const YAML_FILE = `name: cfg
mcpServers:
  - name: old
    command: node
  - name: keep
    command: npx
    args: [-y, keep]
`;

  test.each([
    ["a JSON map", claudeDesktop, JSON_FILE],
    ["a YAML list keyed by name", cont, YAML_FILE],
  ] as const)(
    "%s: the text as edited passes; every kind of wrong text is caught",
    (_label, adapter, text) => {
      // Unchanged, added and removed entries; an entry whose keys the file orders otherwise.
      const ok = plan(
        withEdit(adapter, (t) => t),
        text,
        true,
      );
      expect(ok.problem).toBeUndefined();
      expect(ok.changes.map((c) => `${c.name}:${c.action}`).sort()).toEqual([
        "keep:unchanged",
        "new:add",
        "old:remove",
      ]);
      const cases: [string, (t: string) => string, string][] = [
        ["a value changed", (t) => t.replace('"1"', '"2"'), 'server "new" would not read back as written'],
        ["an entry lost", (t) => t.replace("uvx", "npx"), 'server "new" would not read back as written'],
        ["the original, reformatted", () => `${text}\n`, 'server "new" would not read back as written'],
        [
          "a setting outside the servers",
          (t) => t.replace(/\bdark\b|\bcfg\b/, "other"),
          "the new text would change the file outside the servers planned",
        ],
        [
          "an unchanged entry changed",
          (t) => t.replace("keep", "kept"),
          'server "keep" would not read back as written',
        ],
        ["not parseable", (t) => `${t}}{`, "the new text does not parse"],
      ];
      for (const [what, corrupt, problem] of cases) {
        const p = plan(withEdit(adapter, corrupt), text, true);
        expect({ what, problem: p.problem?.slice(0, problem.length) }).toEqual({ what, problem });
      }
    },
  );

  test("a removed entry left in place is caught", () => {
    const p = plan(
      withEdit(claudeDesktop, (t) =>
        t.replace('"mcpServers": {', '"mcpServers": {\n    "old": { "command": "node" },'),
      ),
      JSON_FILE,
      true,
    );
    expect(p.problem).toBe('server "old" is still there after removal');
  });
});
