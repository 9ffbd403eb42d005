// standardAdapter's encode against the implementation it replaced (kept below as the reference):
// for random canonical servers and random existing entries, on both platforms, every adapter of
// the registry writes exactly the same entry (key order included), the same losses in the same
// order, the same skips and the same errors.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: env-var references are the test data
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  GOOSE_NON_MCP_TYPES,
  INTERPOLATED,
  mapStrings,
  referenceOwnedKeys,
} from "../../test/support/standard-reference.ts";
import { isPlainObject, setOwn } from "../core/edits.ts";
import { envRefsToCanonical, envRefsToHost } from "../core/envrefs.ts";
import { CANONICAL_FIELDS, isRemote, parseServer, type Server } from "../core/model.ts";
import type { EncodeResult, HostAdapter, Loss, WriteContext } from "../core/adapter.ts";
import { isCanonicalDefault, isHostDefault } from "./_defaults.ts";
import { type StandardSpec, standardSpecOf } from "./_standard.ts";
import { GOOSE_SPEC, nativeEnv as gooseNativeEnv, nativeHeaders as gooseNativeHeaders } from "./goose.ts";
import { HOSTS } from "./registry.ts";
import { isExtensionServer, ZED_SPEC } from "./zed.ts";
import { CODEX_SPEC, nativeEnv, splitEnvHeaders } from "./codex.ts";

// ---- The reference: standardAdapter's encode before per-spec facts and the no-reference path
// (src/hosts/_standard.ts at f821338), and Goose's wrapper of it (which ordered new entries
// itself until cb38dda), unchanged but for the names and for values that are their host's default
// (_defaults.ts), which are no longer losses.

type Transport = "stdio" | "http" | "sse";
type Encode = HostAdapter["encode"];

const WIN_SHIMS = new Set(["npx", "npm", "pnpm", "pnpx", "yarn", "bunx"]);

function strings(x: unknown): string[] | undefined {
  return Array.isArray(x) && x.every((s) => typeof s === "string") ? (x as string[]) : undefined;
}

function cmdWrapped(command: unknown, args: unknown): string | undefined {
  const a = strings(args);
  return typeof command === "string" &&
    /^cmd(\.exe)?$/i.test(command) &&
    a !== undefined &&
    /^\/c$/i.test(a[0] ?? "") &&
    a[1] !== undefined
    ? a[1]
    : undefined;
}

// Codex's encode hook as it was (src/hosts/codex.ts at f821338).
const CODEX_STDIO_ONLY = ["command", "args", "env", "env_vars", "cwd", "experimental_environment"];
const CODEX_HTTP_ONLY = [
  "url",
  "http_headers",
  "env_http_headers",
  "bearer_token_env_var",
  "bearer_token",
  "oauth",
  "oauth_resource",
  "scopes",
];
const REFERENCE_HOOKS: Record<string, StandardSpec["encodeHook"]> = {
  codex(server, out, existing) {
    if (!existing || existing.type === undefined) delete out.type;
    const other = "url" in server && typeof server.url === "string" ? CODEX_STDIO_ONLY : CODEX_HTTP_ONLY;
    for (const k of other) delete out[k];
  },
  // Zed's encode hook before `argsAlways` (src/hosts/zed.ts at cb38dda).
  zed(server, out, existing) {
    if ("command" in server) {
      if (out.args === undefined) out.args = [];
      const old = existing?.command;
      if (isPlainObject(old)) {
        out.command = { ...old, path: out.command, args: out.args, ...(out.env ? { env: out.env } : {}) };
        delete out.args;
        delete out.env;
      }
    }
  },
};

function referenceEncode(spec: StandardSpec): Encode {
  const extraKey = spec.extraKey ?? spec.id;
  const owned = referenceOwnedKeys(spec);
  const keyOrder: string[] = [
    ...(spec.type ? [spec.type.key] : []),
    ...CANONICAL_FIELDS.flatMap((f) =>
      f === "url" ? spec.urlKeys.map((u) => u.key) : f === "transport" ? [] : (spec.keys[f] ?? []),
    ),
  ];
  const fromMs = (n: number) => (spec.timeoutUnit === "s" ? n / 1000 : n);

  return function encode(name: string, server: Server, existing: unknown, ctx: WriteContext): EncodeResult {
    const losses: Loss[] = [];
    const prev = isPlainObject(existing) ? existing : undefined;
    const remote = isRemote(server);
    if (remote) {
      const tr = server.transport ?? "http";
      if (spec.urlKeys.length === 0) {
        return { skip: `${spec.label} runs only local (stdio) servers from its config file`, losses };
      }
      if (!spec.remote.includes(tr)) {
        return { skip: `${spec.label} cannot run ${tr === "sse" ? "SSE" : "HTTP"} servers`, losses };
      }
    }
    const out: Record<string, unknown> = {};
    if (prev) for (const [key, val] of Object.entries(prev)) if (!owned.has(key)) setOwn(out, key, val);

    const ck = spec.keys.command ?? "command";
    const ak = spec.keys.args ?? "args";
    const prevWrap = prev ? cmdWrapped(prev[ck], prev[ak]) : undefined;
    const prevView =
      prev && prevWrap !== undefined
        ? { ...prev, [ck]: prevWrap, [ak]: (strings(prev[ak]) ?? []).slice(2) }
        : prev;

    const envOut = (x: unknown, field: string): unknown =>
      mapStrings(x, (s) => {
        const r = envRefsToHost(s, spec.envSyntax, ctx.env, `server "${name}" ${field}`);
        for (const v of r.unexpanded) {
          losses.push({
            server: name,
            field,
            reason: `\${${v}} is an editor variable ${spec.label} does not expand`,
          });
        }
        for (const v of r.droppedDefaults) {
          losses.push({
            server: name,
            field,
            reason: `default value of \${${v}} (the host has no defaults)`,
          });
        }
        return r.value;
      });
    const envKeep = (x: unknown, before: unknown, field: string): unknown => {
      if (typeof x === "string" && !x.includes("${")) return x;
      if (typeof x === "string") {
        return typeof before === "string" && envRefsToCanonical(before, spec.envSyntax) === x
          ? before
          : envOut(x, field);
      }
      if (Array.isArray(x))
        return x.map((el, i) => envKeep(el, Array.isArray(before) ? before[i] : undefined, field));
      if (isPlainObject(x)) {
        const o: Record<string, unknown> = {};
        for (const k in x) {
          if (!Object.hasOwn(x, k)) continue;
          o[k] = envKeep(
            x[k],
            isPlainObject(before) && Object.hasOwn(before, k) ? before[k] : undefined,
            field,
          );
        }
        return o;
      }
      return x;
    };

    const typeSpelling = (tr: Transport): string | undefined => {
      const t = spec.type;
      if (!t) return undefined;
      const before = prev?.[t.key];
      if (typeof before === "string" && t.read[before.toLowerCase()] === tr) return before;
      return t.write[tr];
    };

    const s = server as Record<string, unknown>;
    for (const f of CANONICAL_FIELDS) {
      if (f === "url" || f === "transport") continue;
      const val = s[f];
      if (val === undefined) continue;
      const hk = spec.keys[f];
      if (f === "args" && spec.commandArray) continue;
      if (f === "command" && spec.commandArray) {
        out[hk ?? "command"] = envKeep(
          [val, ...((server as { args?: string[] }).args ?? [])],
          prevView?.[hk ?? "command"],
          f,
        );
        continue;
      }
      if (!hk) {
        if (!isCanonicalDefault(f, val))
          losses.push({ server: name, field: f, reason: `${spec.label} has no "${f}" setting` });
        continue;
      }
      let w: unknown = INTERPOLATED.has(f) ? envKeep(val, prevView?.[hk], f) : val;
      if (f === "timeout" && typeof w === "number") w = fromMs(w);
      if (f === "disabled" && spec.enabledKey && typeof w === "boolean") w = !w;
      out[hk] = w;
    }
    if (remote) {
      const tr = server.transport ?? "http";
      const prevKey = spec.urlKeys.find(
        (u) => prev && typeof prev[u.key] === "string" && (!u.implies || u.implies === tr),
      );
      const key =
        prevKey ??
        (spec.type
          ? spec.urlKeys.find((u) => !u.implies || u.implies === tr)
          : (spec.urlKeys.find((u) => u.implies === tr) ?? spec.urlKeys.find((u) => !u.implies))) ??
        spec.urlKeys[0];
      if (key) out[key.key] = envKeep(server.url, prev?.[key.key], "url");
      if (spec.type) {
        const hadType = prev !== undefined && prev[spec.type.key] !== undefined;
        const impliedByKey = key?.implies === tr;
        const needed = !impliedByKey && tr !== (spec.defaultRemote ?? "http");
        const required =
          spec.type.requiredForRemote && !impliedByKey && !(prevKey && spec.defaultRemote !== undefined);
        if (hadType || needed || required) out[spec.type.key] = typeSpelling(tr);
      }
    } else {
      if (spec.type?.write.stdio !== undefined) {
        const hadType = prev !== undefined && prev[spec.type.key] !== undefined;
        if (hadType || (!prev && spec.type.writeOnStdio)) out[spec.type.key] = typeSpelling("stdio");
      }
      if (typeof out[ck] === "string") {
        const cmd = out[ck] as string;
        const wrap =
          prevWrap === cmd ||
          (spec.windowsCmdWrap && ctx.platform === "win32" && WIN_SHIMS.has(cmd.toLowerCase()));
        if (wrap) {
          const prevArgs = prevWrap === cmd ? (strings(prev?.[ak]) ?? []) : [];
          out[ak] = [prevArgs[0] ?? "/c", cmd, ...(strings(out[ak]) ?? [])];
          out[ck] = prevWrap === cmd ? prev?.[ck] : "cmd";
        }
      }
    }
    const extra = server.extra ?? {};
    for (const [host, fieldsOfHost] of Object.entries(extra)) {
      if (host === extraKey) {
        for (const [key, val] of Object.entries(fieldsOfHost))
          if (!Object.hasOwn(out, key)) setOwn(out, key, val);
      } else {
        for (const key of Object.keys(fieldsOfHost)) {
          if (isHostDefault(host, key, fieldsOfHost[key])) continue;
          losses.push({
            server: name,
            field: key,
            reason: `"${key}" is a ${host} setting that ${spec.label} does not have`,
          });
        }
      }
    }
    (Object.hasOwn(REFERENCE_HOOKS, spec.id) ? REFERENCE_HOOKS[spec.id] : spec.encodeHook)?.(
      server,
      out,
      prev,
    );
    const ordered: Record<string, unknown> = {};
    for (const k of keyOrder) if (Object.hasOwn(out, k)) ordered[k] = out[k];
    for (const k in out) if (Object.hasOwn(out, k) && !Object.hasOwn(ordered, k)) setOwn(ordered, k, out[k]);
    return { raw: ordered, losses };
  };
}

// Goose's spec lists the order, and its adapter's orderNewEntry spells it out key by key (a call
// fewer per server): the reference takes the list, so the two cannot drift apart unseen.
const GOOSE_NEW_ENTRY_ORDER = GOOSE_SPEC.newEntryOrder ?? [];

function referenceGooseEncode(): Encode {
  const base = referenceEncode(GOOSE_SPEC);
  const nonMcpType = (raw: unknown): string | undefined => {
    if (!isPlainObject(raw) || typeof raw.type !== "string") return undefined;
    const t = raw.type.toLowerCase();
    return GOOSE_NON_MCP_TYPES.has(t) ? t : undefined;
  };
  return (name, server, existing, ctx) => {
    const t = nonMcpType(existing);
    if (t) {
      return {
        skip: `"${name}" is a Goose "${t}" extension, not an MCP server entry; rename the server to add it to Goose`,
        losses: [],
      };
    }
    // env values that name their own variable go to env_keys (issue 21).
    const native = gooseNativeEnv(server, ctx.sourceKind === "goose");
    const hs = native === undefined && ctx.sourceKind !== "goose" ? gooseNativeHeaders(server) : undefined;
    const r = base(name, native?.server ?? hs?.server ?? server, existing, ctx);
    if (r.raw && hs)
      r.raw.headers = { ...(isPlainObject(r.raw.headers) ? r.raw.headers : {}), ...hs.headers };
    if (r.raw && (native || hs)) r.raw.env_keys = native?.keys ?? hs?.keys;
    if (!r.raw || existing !== undefined) return r;
    const raw: Record<string, unknown> = { name, ...r.raw };
    const ordered: Record<string, unknown> = {};
    for (const k of GOOSE_NEW_ENTRY_ORDER) if (raw[k] !== undefined) ordered[k] = raw[k];
    for (const [k, v] of Object.entries(raw)) if (!Object.hasOwn(ordered, k)) setOwn(ordered, k, v);
    return { ...r, raw: ordered };
  };
}

/** Codex's wrapper (issue 20): headers that are one reference go to env_http_headers. */
function referenceCodexEncode(): Encode {
  const base = referenceEncode(CODEX_SPEC);
  return (name, server, existing, ctx) => {
    // Issue 21: a bearer header to bearer_token_env_var, env values naming their own variable to env_vars.
    const split = splitEnvHeaders(server, existing) ?? nativeEnv(server, ctx.sourceKind === "codex");
    if (split === undefined) return base(name, server, existing, ctx);
    const r = base(name, split.server, existing, ctx);
    if (r.raw) {
      if (split.envHeaders) r.raw.env_http_headers = split.envHeaders;
      if (split.bearer !== undefined) r.raw.bearer_token_env_var = split.bearer;
      if (split.envVars) r.raw.env_vars = split.envVars;
    }
    return r;
  };
}

/** Zed's wrapper (issue 20): an extension server of the same name is never overwritten. */
function referenceZedEncode(): Encode {
  const base = referenceEncode(ZED_SPEC);
  return (name, server, existing, ctx) =>
    existing !== undefined && isExtensionServer(existing)
      ? {
          skip: `"${name}" is a Zed extension server in this file; rename the server to add it to Zed`,
          losses: [],
        }
      : base(name, server, existing, ctx);
}

function reference(adapter: HostAdapter): Encode {
  const spec = standardSpecOf(adapter);
  if (spec) return referenceEncode(spec);
  if (adapter.id === "goose") return referenceGooseEncode();
  if (adapter.id === "zed") return referenceZedEncode();
  if (adapter.id === "codex") return referenceCodexEncode();
  throw new Error(`no reference encode for host "${adapter.id}"`);
}

// ---- Random inputs.

/** Pieces of values: plain text, canonical references of every kind, host spellings, `$` alone. */
const piece = fc.constantFrom(
  "a",
  "x/y",
  "-y",
  "/c",
  "",
  "${HOME}",
  "${SET}",
  "${UNSET:-d}",
  "${SET:-fallback}",
  "${workspaceFolder}",
  "${userHome}",
  "${env:SET}",
  "{env:SET}",
  "$SET",
  "${",
  "$",
);
const plainText = fc.constantFrom("a", "b", "--flag", "v1", "", "$", "{x}");
/** Values holding references (and an unset variable now and then, which some hosts refuse). */
const refText = fc.oneof(
  { weight: 6, arbitrary: fc.array(piece, { minLength: 1, maxLength: 3 }).map((a) => a.join("")) },
  { weight: 1, arbitrary: fc.constant("${UNSET}") },
);
/** Mostly plain values, as in real files: the path without references is the common one. */
const text = fc.oneof({ weight: 5, arbitrary: plainText }, { weight: 1, arbitrary: refText });
const texts = fc.array(text, { maxLength: 4 });
const envName = fc.constantFrom("A", "HOME", "TOKEN", "SET", "X_1", "path", "0");
const textRecord = fc.dictionary(envName, text, { maxKeys: 3 });
const command = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("npx", "uvx", "node", "NPX", "pnpm", "cmd", "cmd.exe", "/c") },
  { weight: 1, arbitrary: fc.constantFrom("${HOME}/bin/t", "${SET:-x}") },
);
const url = fc.constantFrom(
  "https://x.dev/mcp",
  "http://localhost:3000/sse",
  "https://y.dev/mcp",
  "https://z.dev/{x}",
  "${BASE}/mcp",
  "${SET}",
  "https://${SET}/x",
  "https://h.dev/${workspaceFolder}",
  "${UNSET:-https://d.dev}",
);
const scalar = fc.oneof(
  fc.constantFrom("v", "", "${SET}", "stdio", "http", "sse", "streamable_http", "local", "remote"),
  fc.integer({ min: -2, max: 400 }),
  fc.constantFrom(true, false, null, 1.5),
);
const json = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 2 }),
  fc.dictionary(envName, scalar, { maxKeys: 2 }),
);

/** Host ids and extra keys, so that extra fields of other hosts occur. */
const anyExtraHost = fc.constantFrom(
  ...new Set([...HOSTS.map((h) => standardSpecOf(h)?.extraKey ?? h.id), "claude-code", "other"]),
);
/** Extra field names: unknown ones and ones that are host keys somewhere. */
const extraField = fc.constantFrom(
  "foo",
  "alwaysAllow",
  "type",
  "command",
  "enabled",
  "timeout",
  "name",
  "env_keys",
  "tools",
  "requestOptions",
  "transport",
  "trust",
  "startup_timeout_sec",
  "env_http_headers",
  "env_vars",
  "cwd",
  "constructor",
);

/** Canonical servers for a target whose own extra fields are under `ownKey`. */
function serverFor(ownKey: string) {
  const extraHost = fc.oneof(fc.constant(ownKey), anyExtraHost);
  const extra = fc.dictionary(extraHost, fc.dictionary(extraField, json, { maxKeys: 3 }), { maxKeys: 2 });
  const common = {
    disabled: fc.boolean(),
    timeout: fc.oneof(fc.nat({ max: 120000 }), fc.constantFrom(1500, 2500.5, 0)),
    includeTools: texts,
    excludeTools: texts,
    autoApprove: texts,
    description: text,
    extra,
  };
  /** The fields of both kinds, absent from many servers (as in the files people write). */
  const commonFields = fc.oneof(
    { weight: 2, arbitrary: fc.constant({}) },
    { weight: 3, arbitrary: fc.record(common, { requiredKeys: [] }) },
  );
  const stdio = fc
    .tuple(
      fc.record(
        { command, args: texts, env: textRecord, cwd: text, envFile: text },
        { requiredKeys: ["command"] },
      ),
      commonFields,
    )
    .map(([a, b]) => ({ ...a, ...b }));
  const remote = fc
    .tuple(
      fc.record(
        { url, transport: fc.constantFrom("http", "sse"), headers: textRecord },
        { requiredKeys: ["url"] },
      ),
      commonFields,
    )
    .map(([a, b]) => ({ ...a, ...b }));
  /** Canonical servers: what the schema makes of the random objects (the few it refuses are left out). */
  return fc.oneof(stdio, remote).map((o) => {
    try {
      return parseServer("s", o);
    } catch {
      return parseServer("s", { command: "npx" });
    }
  });
}

/** Host keys an existing entry may hold, some owned by one adapter or another, some by none. */
const entryKey = fc.constantFrom(
  "type",
  "command",
  "args",
  "env",
  "url",
  "serverUrl",
  "httpUrl",
  "uri",
  "headers",
  "enabled",
  "disabled",
  "timeout",
  "transport",
  "requestOptions",
  "available_tools",
  "env_http_headers",
  "env_vars",
  "bearer_token_env_var",
  "cwd",
  "unknownKey",
  "__proto__",
);
const entryValue = fc.oneof(
  json,
  fc.constantFrom("stdio", "http", "sse", "SSE", "streamable-http", "local", "remote", "builtin"),
  fc.constantFrom({ path: "npx", args: ["-y"], env: { A: "1" } }, { type: "stdio", command: "uvx" }),
);

const PLATFORMS: WriteContext["platform"][] = ["linux", "win32"];
const ENV = { HOME: "/home/u", SET: "set-value", BASE: "https://b.dev", TOKEN: "t" };

/** One input: an existing entry made by the reference (or none, or not an object) then mutated. */
const inputFor = (ownKey: string) => {
  const server = serverFor(ownKey);
  return fc.record({
    server,
    previous: fc.option(server, { nil: undefined, freq: 3 }),
    wrap: fc.constantFrom(undefined, "/c", "/C"),
    wrapCommand: fc.constantFrom("cmd", "CMD.exe"),
    mutations: fc.array(fc.tuple(entryKey, fc.option(entryValue, { nil: undefined })), { maxLength: 3 }),
    other: fc.oneof(
      { weight: 9, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constantFrom("text", null, ["a"], 3) },
    ),
    platform: fc.constantFrom(...PLATFORMS),
  });
};

function outcome(f: () => EncodeResult): unknown {
  try {
    return { result: f() };
  } catch (e) {
    return { error: `${(e as Error).constructor.name}: ${(e as Error).message}` };
  }
}

/** A deep copy, own `__proto__` keys included (as JSON.parse makes them). */
function copy<T>(x: T): T {
  return x === undefined ? x : (JSON.parse(JSON.stringify(x)) as T);
}

describe("standardAdapter().encode", () => {
  test("every adapter of the registry has its reference", () => {
    for (const h of HOSTS) expect(typeof reference(h)).toBe("function");
  });

  test.each(HOSTS.map((h) => [h.id, h] as const))(
    "%s writes what the reference writes, for any server and existing entry",
    (_id, adapter) => {
      const ref = reference(adapter);
      const input = inputFor(standardSpecOf(adapter)?.extraKey ?? adapter.id);
      const keys = (
        standardSpecOf(adapter) ??
        (adapter.id === "zed" ? ZED_SPEC : adapter.id === "codex" ? CODEX_SPEC : GOOSE_SPEC)
      ).keys;
      const ck = keys.command ?? "command";
      const ak = keys.args ?? "args";
      let existingEntries = 0;
      fc.assert(
        fc.property(input, (inp) => {
          const ctx: WriteContext = { env: ENV, platform: inp.platform };
          let existing: unknown;
          if (inp.other !== undefined) existing = inp.other;
          else if (inp.previous !== undefined) {
            // A previous encode by this host (references resolved with every variable set).
            const prev = outcome(() =>
              ref("s", inp.previous as Server, undefined, { env: { ...ENV, UNSET: "u" }, platform: "linux" }),
            ) as { result?: EncodeResult };
            const raw = prev.result?.raw;
            if (raw) {
              const e: Record<string, unknown> = JSON.parse(JSON.stringify(raw));
              if (inp.wrap !== undefined && typeof e[ck] === "string") {
                e[ak] = [inp.wrap, e[ck], ...(strings(e[ak]) ?? [])];
                e[ck] = inp.wrapCommand;
              }
              for (const [k, v] of inp.mutations) {
                if (v === undefined) delete e[k];
                else
                  Object.defineProperty(e, k, {
                    value: v,
                    enumerable: true,
                    writable: true,
                    configurable: true,
                  });
              }
              // Through JSON, as a file would give it.
              existing = JSON.parse(JSON.stringify(e));
              existingEntries++;
            }
          }
          const want = outcome(() => ref("s", copy(inp.server), copy(existing), ctx));
          const serverBefore = JSON.stringify(inp.server);
          const existingBefore = JSON.stringify(existing);
          const got = outcome(() => adapter.encode("s", inp.server, existing, ctx));
          expect(JSON.stringify(got)).toBe(JSON.stringify(want));
          expect(got).toStrictEqual(want);
          // Neither input is changed.
          expect(JSON.stringify(inp.server)).toBe(serverBefore);
          expect(JSON.stringify(existing)).toBe(existingBefore);
        }),
        { numRuns: 500 },
      );
      // The bail-out paths were exercised: existing entries, not only new ones.
      expect(existingEntries).toBeGreaterThan(100);
    },
  );

  test.each(HOSTS.map((h) => [h.id, h] as const))(
    "%s keeps an existing entry's own __proto__ key as an own key, not as the entry's prototype",
    (_id, adapter) => {
      // Found by the property test above (zed, once in a few runs): `out[key] = value` with the
      // key "__proto__" set the new entry's prototype, and the key was lost.
      const ctx: WriteContext = { env: ENV, platform: "linux" };
      const first = adapter.encode(
        "s",
        parseServer("s", { command: "npx", args: ["-y", "pkg"] }),
        undefined,
        ctx,
      );
      if (!first.raw) return;
      const existing = JSON.parse(
        `${JSON.stringify(first.raw).slice(0, -1)},"__proto__":{"path":"npx","env":{"A":"1"}},"toString":1}`,
      );
      const r = adapter.encode("s", parseServer("s", { command: "npx", args: ["-y", "pkg"] }), existing, ctx);
      const raw = r.raw as Record<string, unknown>;
      expect(Object.getPrototypeOf(raw)).toBe(Object.prototype);
      expect(Object.hasOwn(raw, "__proto__")).toBe(true);
      expect(Object.getOwnPropertyDescriptor(raw, "__proto__")?.value).toEqual({
        path: "npx",
        env: { A: "1" },
      });
      expect(Object.hasOwn(raw, "toString")).toBe(true);
      expect(JSON.stringify(raw)).toContain('"__proto__":{"path":"npx","env":{"A":"1"}}');
    },
  );
});
