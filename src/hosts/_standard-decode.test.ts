// standardAdapter's decode against the implementation before its fast path (kept below as the
// reference, ending in the valibot schemas themselves rather than parseServer's plain path): for
// random host entries of every adapter of the registry, valid and not, decode returns the same
// server (key order included) or throws the same ServerValidationError (same problems, same
// notAServer flag).
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: env-var references are the test data
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  GOOSE_NON_MCP_TYPES,
  INTERPOLATED,
  mapStrings,
  referenceOwnedKeys,
} from "../../test/support/standard-reference.ts";
import * as v from "valibot";
import { isPlainObject } from "../core/edits.ts";
import { envRefsToCanonical } from "../core/envrefs.ts";
import {
  CANONICAL_FIELDS,
  RemoteServerSchema,
  serverNameProblem,
  type Server,
  ServerValidationError,
  StdioServerSchema,
  UnconvertibleServerError,
} from "../core/model.ts";
import type { HostAdapter } from "../core/adapter.ts";
import { type StandardSpec, standardSpecOf } from "./_standard.ts";
import { GOOSE_SPEC } from "./goose.ts";
import { HOSTS } from "./registry.ts";
import { isExtensionServer, ZED_SPEC } from "./zed.ts";
import { CODEX_SPEC } from "./codex.ts";

// ---- The reference: standardAdapter's decode at 6c2c43f, the decode hooks of opencode and the
// Goose wrapper as they were then, and parseServer by the schemas alone.

type Transport = "stdio" | "http" | "sse";
type Decode = HostAdapter["decode"];

function referenceParseServer(name: string, input: unknown): Server {
  const problems: string[] = [];
  // The one name check, shared (names were once limited to a shell-safe alphabet).
  const bad = serverNameProblem(name);
  if (bad !== undefined) problems.push(bad);
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new ServerValidationError(name, [...problems, "expected an object"]);
  }
  const o = input as Record<string, unknown>;
  const hasCommand = o.command !== undefined;
  const hasUrl = o.url !== undefined;
  if (hasCommand === hasUrl) {
    problems.push(
      hasCommand
        ? 'set either "command" (a local server) or "url" (a remote server), not both'
        : 'set "command" (a local server) or "url" (a remote server)',
    );
    throw new ServerValidationError(name, problems);
  }
  const result = v.safeParse(hasCommand ? StdioServerSchema : RemoteServerSchema, input);
  if (!result.success) {
    for (const issue of result.issues) {
      const path = v.getDotPath(issue);
      const msg = issue.message;
      problems.push(path && !msg.includes(`"${path}"`) ? `${path}: ${msg}` : msg);
    }
  }
  if (problems.length > 0) throw new ServerValidationError(name, problems);
  return result.output as Server;
}

const REFERENCE_HOOKS: Record<string, StandardSpec["decodeHook"]> = {
  opencode(_raw, out) {
    delete out.transport;
  },
};

function referenceDecode(spec: StandardSpec): Decode {
  const extraKey = spec.extraKey ?? spec.id;
  const owned = referenceOwnedKeys(spec);
  const toMs = (n: number) => (spec.timeoutUnit === "s" ? Math.round(n * 1000) : n);
  const hook = Object.hasOwn(REFERENCE_HOOKS, spec.id) ? REFERENCE_HOOKS[spec.id] : spec.decodeHook;

  return function decode(name: string, raw: unknown): Server {
    if (!isPlainObject(raw)) throw new ServerValidationError(name, ["expected an object"]);
    const out: Record<string, unknown> = {};
    const ownedHere = hook ? new Set(owned) : owned;
    const k = spec.keys;
    const envIn = (x: unknown) => mapStrings(x, (s) => envRefsToCanonical(s, spec.envSyntax));
    for (const f of CANONICAL_FIELDS) {
      if (f === "url" || f === "transport") continue;
      const hk = k[f];
      if (!hk || raw[hk] === undefined) continue;
      if (f === "command" && spec.commandArray && Array.isArray(raw[hk])) {
        const [cmd, ...args] = envIn(raw[hk]) as unknown[];
        out.command = cmd;
        if (args.length > 0) out.args = args;
        continue;
      }
      let val: unknown = raw[hk];
      if (INTERPOLATED.has(f)) val = envIn(val);
      if (f === "timeout" && typeof val === "number") val = toMs(val);
      if (f === "disabled" && spec.enabledKey && typeof val === "boolean") val = !val;
      out[f] = val;
    }
    let transport: Transport | undefined;
    for (const u of spec.urlKeys) {
      if (typeof raw[u.key] === "string") {
        out.url = envIn(raw[u.key]);
        transport = u.implies;
        break;
      }
    }
    if (spec.type) {
      const t = raw[spec.type.key];
      if (typeof t === "string") {
        const mapped = spec.type.read[t.toLowerCase()];
        if (!mapped) {
          throw new ServerValidationError(name, [
            `"${spec.type.key}" is ${JSON.stringify(t)}; ${spec.label} accepts ${Object.keys(spec.type.read)
              .map((s) => JSON.stringify(s))
              .join(", ")}`,
          ]);
        }
        if (mapped !== "stdio") transport = mapped;
        else if (out.url !== undefined && out.command === undefined) {
          throw new ServerValidationError(name, [
            `"${spec.type.key}" is "stdio" but the entry has a URL and no command`,
          ]);
        }
      }
    }
    if (out.url !== undefined) {
      const tr = transport ?? spec.defaultRemote;
      if (tr) out.transport = tr;
    }
    if (
      typeof out.command === "string" &&
      /^cmd(\.exe)?$/i.test(out.command) &&
      Array.isArray(out.args) &&
      typeof out.args[0] === "string" &&
      /^\/c$/i.test(out.args[0]) &&
      typeof out.args[1] === "string"
    ) {
      out.command = out.args[1];
      out.args = out.args.slice(2);
      if ((out.args as string[]).length === 0) delete out.args;
    }
    hook?.(raw, out, ownedHere);
    let extra: Record<string, unknown> | undefined;
    for (const key in raw) {
      if (!Object.hasOwn(raw, key) || ownedHere.has(key)) continue;
      if (!extra) extra = {};
      extra[key] = raw[key];
    }
    if (extra) out.extra = { [extraKey]: extra };
    return referenceParseServer(name, out);
  };
}

function referenceGooseDecode(): Decode {
  const base = referenceDecode(GOOSE_SPEC);
  return (name, raw) => {
    const t = isPlainObject(raw) && typeof raw.type === "string" ? raw.type.toLowerCase() : undefined;
    if (t !== undefined && GOOSE_NON_MCP_TYPES.has(t)) {
      throw new ServerValidationError(name, [`Goose "${t}" extensions are not MCP server entries`], true);
    }
    if (isPlainObject(raw) && raw.name === name) {
      const { name: _implied, ...rest } = raw;
      return base(name, rest);
    }
    return base(name, raw);
  };
}

/** Zed's wrapper (issue 20): extension servers are listed as such, the rest is the table's. */
function referenceZedDecode(): Decode {
  const base = referenceDecode(ZED_SPEC);
  return (name, raw) => {
    if (isExtensionServer(raw)) {
      throw new UnconvertibleServerError(
        name,
        "a Zed extension server: Zed starts it from its extension, with no command or URL to copy to another host",
      );
    }
    return base(name, raw);
  };
}

/** The spec of an adapter, wrapped ones included. */
function specFor(adapter: HostAdapter): StandardSpec {
  return (
    standardSpecOf(adapter) ??
    (adapter.id === "zed" ? ZED_SPEC : adapter.id === "codex" ? CODEX_SPEC : GOOSE_SPEC)
  );
}

function reference(adapter: HostAdapter): Decode {
  const spec = standardSpecOf(adapter);
  if (spec) return referenceDecode(spec);
  if (adapter.id === "goose") return referenceGooseDecode();
  if (adapter.id === "zed") return referenceZedDecode();
  // Codex's wrapper adds only to encode.
  if (adapter.id === "codex") return referenceDecode(CODEX_SPEC);
  throw new Error(`no reference decode for host "${adapter.id}"`);
}

// ---- Random entries.

const NAMES = ["s", "srv-1", "a.b@c_d", "Chrome DevTools", "io.github.x/y-mcp", "", "-x", "bad\nname"];

/** Strings of every host's reference syntax, `cmd` wrappers, URLs good and bad, type spellings. */
const text = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom("npx", "-y", "@s/x", "v1", "uvx", "/usr/bin/t", "--port", "3000"),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "${HOME}/x",
      "${env:TOKEN}",
      "Bearer {env:TOKEN}",
      "$TOKEN",
      "a$b",
      "${A:-d}",
      "${workspaceFolder}",
      "$",
      "{env:",
      "${env:",
      "",
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom("cmd", "CMD.exe", "cmd.EXE", "/c", "/C", "npm") },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "stdio",
      "http",
      "HTTP",
      "sse",
      "streamable-http",
      "streamable_http",
      "streamableHttp",
      "local",
      "remote",
      "builtin",
      "ws",
      "__proto__",
      "constructor",
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "https://x.dev/mcp",
      "http://localhost:3000/sse",
      "${BASE}/mcp",
      "{env:BASE}/mcp",
      "${env:BASE}/mcp",
      "$BASE/mcp",
      "ftp://x",
      "x.dev",
    ),
  },
);
const texts = fc.array(text, { maxLength: 5 });
const key = fc.constantFrom("A", "TOKEN", "LOG_LEVEL", "0", "__proto__", "constructor", "prototype");
const textRecord = fc.dictionary(key, text, { maxKeys: 3 });
const scalar = fc.oneof(
  text,
  fc.integer({ min: -5, max: 5000 }),
  fc.constantFrom(true, false, null, 1.5, -0.5, Number.NaN),
);
const anyValue = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 2, arbitrary: texts },
  { weight: 2, arbitrary: textRecord },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(key, scalar, { maxKeys: 3 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      { path: "npx", args: ["-y"], env: { A: "1" } },
      { path: "uvx" },
      { type: "stdio", command: "uvx" },
      [],
      {},
      ["*"],
    ),
  },
);
/** Keys that are none of the adapter's (or someone else's). */
const strangerKey = fc.constantFrom(
  "foo",
  "name",
  "alwaysAllow",
  "transport",
  "requestOptions",
  "tools",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "0",
);

interface EntryPlan {
  remote: boolean;
  typed: number;
  urlAt: number;
  fields: Record<string, unknown>;
  mutations: [string, unknown][];
  nullProto: boolean;
  viaJson: boolean;
  name: string;
  nameAsKey: number;
  wrap: number;
}

function entryPlan(spec: StandardSpec) {
  const hostKeys = [
    ...Object.values(spec.keys).filter((k): k is string => !!k),
    ...spec.urlKeys.map((u) => u.key),
    ...(spec.type ? [spec.type.key] : []),
    ...(spec.ownedKeys ?? []),
    ...(spec.nameKey ? [spec.nameKey] : []),
  ];
  const anyKey = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...hostKeys) },
    { weight: 1, arbitrary: strangerKey },
  );
  const plan: fc.Arbitrary<EntryPlan> = fc.record({
    remote: fc.boolean(),
    typed: fc.nat(),
    urlAt: fc.nat(),
    // Valid values of the other fields, each often absent.
    fields: fc.record(
      {
        args: texts,
        env: textRecord,
        cwd: text,
        envFile: text,
        headers: textRecord,
        disabled: fc.boolean(),
        timeout: fc.oneof(fc.nat({ max: 600_000 }), fc.constantFrom(0.5, 2.5, 30, 0.0015, 1.2345, 30.0004)),
        includeTools: texts,
        excludeTools: texts,
        autoApprove: texts,
        description: text,
      },
      { requiredKeys: [] },
    ),
    mutations: fc.oneof(
      { weight: 3, arbitrary: fc.constant<[string, unknown][]>([]) },
      {
        weight: 4,
        arbitrary: fc.array(fc.tuple(anyKey, fc.option(anyValue, { nil: undefined })), { maxLength: 3 }),
      },
    ),
    nullProto: fc.boolean(),
    viaJson: fc.boolean(),
    name: fc.oneof(
      { weight: 8, arbitrary: fc.constant("s") },
      { weight: 2, arbitrary: fc.constantFrom(...NAMES) },
    ),
    nameAsKey: fc.nat({ max: 3 }),
    wrap: fc.nat({ max: 5 }),
  });
  return plan;
}

/** An entry in the host's spelling: mostly a valid one, then mutated. */
function entryOf(spec: StandardSpec, p: EntryPlan): unknown {
  const e: Record<string, unknown> = {};
  if (spec.type) {
    const spellings = Object.keys(spec.type.read);
    // Mostly a spelling of the entry's kind, now and then any (stdio on a URL entry …).
    const wanted =
      p.typed % 7 === 6 ? spellings : spellings.filter((s) => (spec.type?.read[s] === "stdio") !== p.remote);
    if (p.typed % 3 !== 0 && wanted.length > 0) {
      const s = wanted[p.typed % wanted.length] as string;
      e[spec.type.key] = p.typed % 5 === 1 ? s.toUpperCase() : s;
    }
  }
  const k = spec.keys;
  if (p.remote && spec.urlKeys.length > 0) {
    const u = spec.urlKeys[p.urlAt % spec.urlKeys.length];
    if (u) e[u.key] = p.urlAt % 4 === 3 ? "${BASE}/mcp" : "https://x.dev/mcp";
    if (k.headers && p.fields.headers !== undefined) e[k.headers] = p.fields.headers;
  } else {
    const args = (p.fields.args as string[] | undefined) ?? [];
    // A Windows wrapper now and then: `cmd /c npx …`, spelled in several ways.
    const argv =
      p.wrap === 0
        ? ["npx", ...args]
        : [["cmd", "CMD.exe", "cmd"][p.wrap % 3] as string, p.wrap > 3 ? "/C" : "/c", "npx", ...args];
    if (spec.commandArray) e[k.command ?? "command"] = argv;
    else {
      e[k.command ?? "command"] = argv[0];
      if (k.args && (p.fields.args !== undefined || argv.length > 1)) e[k.args] = argv.slice(1);
    }
    for (const f of ["env", "cwd", "envFile"] as const) {
      const hk = k[f];
      if (hk && p.fields[f] !== undefined) e[hk] = p.fields[f];
    }
  }
  for (const f of [
    "disabled",
    "timeout",
    "includeTools",
    "excludeTools",
    "autoApprove",
    "description",
  ] as const) {
    const hk = k[f];
    if (hk && p.fields[f] !== undefined) e[hk] = p.fields[f];
  }
  if (spec.nameKey && p.nameAsKey > 0) e[spec.nameKey] = p.nameAsKey === 1 ? "other" : p.name;
  for (const [key, val] of p.mutations) {
    if (val === undefined) delete e[key];
    else Object.defineProperty(e, key, { value: val, enumerable: true, writable: true, configurable: true });
  }
  // As the JSON reader gives it (own `__proto__` keys), or as the TOML reader does (no prototype).
  if (p.viaJson) return JSON.parse(JSON.stringify(e));
  if (p.nullProto) {
    const n = Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(e)) {
      Object.defineProperty(n, key, { value: e[key], enumerable: true, writable: true, configurable: true });
    }
    return n;
  }
  return e;
}

function outcome(f: () => Server): unknown {
  try {
    return { server: f() };
  } catch (e) {
    if (!(e instanceof ServerValidationError)) return { other: String(e) };
    return { error: e.message, problems: e.problems, notAServer: e.notAServer, serverName: e.serverName };
  }
}

describe("standardAdapter().decode", () => {
  test("every adapter of the registry has its reference", () => {
    for (const h of HOSTS) expect(typeof reference(h)).toBe("function");
  });

  test.each(HOSTS.map((h) => [h.id, h] as const))(
    "%s reads what the reference reads, for any entry",
    (_id, adapter) => {
      const ref = reference(adapter);
      const spec = specFor(adapter);
      let servers = 0;
      let errors = 0;
      fc.assert(
        fc.property(entryPlan(spec), fc.constantFrom(undefined, "text", null, ["a"], 3), (p, other) => {
          const raw = other === undefined || p.typed % 17 !== 0 ? entryOf(spec, p) : other;
          const before = JSON.stringify(raw);
          const want = outcome(() => ref(p.name, raw));
          const got = outcome(() => adapter.decode(p.name, raw));
          expect(JSON.stringify(got)).toBe(JSON.stringify(want));
          expect(got).toStrictEqual(want);
          // The entry is not changed.
          expect(JSON.stringify(raw)).toBe(before);
          if ((got as { server?: unknown }).server) servers++;
          else errors++;
        }),
        { numRuns: 400 },
      );
      // Both outcomes were exercised.
      expect(servers).toBeGreaterThan(40);
      expect(errors).toBeGreaterThan(40);
    },
  );
});
