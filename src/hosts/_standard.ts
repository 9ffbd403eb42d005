// A table-driven adapter for the many hosts whose entries are "Claude-style" objects that differ
// only in key names, transport discriminator, URL field, timeout unit and env-var syntax.
// Each host file gives a spec; hosts with a different shape (Codex, Goose, opencode, Zed) add
// small hooks.
import { isPlainObject, setOwn } from "../core/edits.ts";
import {
  type EnvSyntax,
  envRefsToCanonical,
  envRefsToHost,
  hostRefMarker,
  type ProviderRef,
} from "../core/envrefs.ts";
import { UsageError } from "../core/errors.ts";
import {
  acceptedUrl,
  CANONICAL_FIELDS,
  type CanonicalField,
  parseServer,
  SERVER_NAME_RE,
  type Server,
  ServerValidationError,
  UnconvertibleServerError,
} from "../core/model.ts";
import type { Container, EncodeResult, HostAdapter, Loss, WriteContext } from "../core/adapter.ts";
import { isCanonicalDefault, isHostDefault } from "./_defaults.ts";
import type { FileFormat } from "../core/format.ts";
import type { PathContext } from "./_paths.ts";

type Transport = "stdio" | "http" | "sse";

/** Host key names for canonical fields (the transport and URL are described separately). */
export type KeyMap = Partial<Record<Exclude<CanonicalField, "url" | "transport">, string>>;

export interface TypeSpec {
  key: string;
  /** Value written for each transport; `stdio: undefined` means stdio entries carry no type. */
  write: { stdio?: string; http: string; sse: string };
  /** Accepted spellings on read (lower-cased). */
  read: Record<string, Transport>;
  /** Write the type on new stdio entries (existing entries keep their own choice). */
  writeOnStdio: boolean;
  /** Write the type on remote entries (existing entries keep their own choice when optional). */
  requiredForRemote: boolean;
}

/** The common discriminator `type: "stdio" | "http" | "sse"` (plus host-specific spellings to read). */
export function typeStdioHttpSse(
  writeOnStdio: boolean,
  requiredForRemote: boolean,
  alsoRead: Record<string, Transport> = {},
): TypeSpec {
  return {
    key: "type",
    write: { stdio: "stdio", http: "http", sse: "sse" },
    read: { stdio: "stdio", http: "http", sse: "sse", ...alsoRead },
    writeOnStdio,
    requiredForRemote,
  };
}

export interface UrlKey {
  key: string;
  /** Transport implied by this key when no type says otherwise. */
  implies?: "http" | "sse";
}

export interface StandardSpec {
  id: string;
  label: string;
  /**
   * The key of host-only fields in canonical `extra` (default: the id). Hosts that share one
   * entry schema (VS Code editions, Cline's two files, Roo and Kilo) share it, so their own
   * fields travel between them instead of being reported lost.
   */
  extraKey?: string;
  aliases?: string[];
  format: FileFormat;
  container?: Container;
  userPath(ctx: PathContext): string | undefined;
  detectPaths?(ctx: PathContext): string[];
  projectPath?(dir: string, ctx: PathContext): string;
  forProject?(dir: string, ctx: PathContext): HostAdapter;
  keys: KeyMap;
  /** URL keys accepted on read; the first is written on new entries. Empty: stdio only. */
  urlKeys: UrlKey[];
  /** Remote transports the host can run. */
  remote: ("http" | "sse")[];
  /** Transport of a URL entry with no type and no implying key. */
  defaultRemote?: "http" | "sse";
  type?: TypeSpec;
  timeoutUnit?: "ms" | "s";
  /** The host stores `enabled` (the inverse of canonical `disabled`) under keys.disabled. */
  enabledKey?: boolean;
  envSyntax: EnvSyntax;
  /** `command` is one array of program and arguments (opencode). */
  commandArray?: boolean;
  /** Wrap `npx` and friends as `cmd /c …` when writing on Windows. */
  windowsCmdWrap?: boolean;
  /** Adjust the canonical fields read from an entry (before validation). */
  decodeHook?(raw: Record<string, unknown>, out: Record<string, unknown>, owned: Set<string>): void;
  /**
   * Whether decodeHook leaves this entry as the table alone reads it. Entries it says so of may
   * take decode's fast path, which runs no hook; without it, every entry of a spec with a
   * decodeHook takes the general path.
   */
  decodeHookIdle?(raw: Record<string, unknown>): boolean;
  /** The host picks HTTP or SSE by itself: decode records no transport (opencode). */
  autoTransport?: boolean;
  /**
   * A key holding the entry's own name (Goose): implied when it equals the map key, otherwise a
   * host-only field.
   */
  nameKey?: string;
  /** Adjust the entry about to be written. */
  encodeHook?(
    server: Server,
    out: Record<string, unknown>,
    existing: Record<string, unknown> | undefined,
  ): void;
  /**
   * The encode hook only deletes keys or changes the values of keys already there: a new entry
   * keeps the key order it was written in, and is not copied once more to order it.
   */
  encodeHookKeepsOrder?: boolean;
  /**
   * Stdio entries always carry the arguments key: an empty list when the server has none (Zed).
   * Written at its place, so that a new entry needs no ordered copy.
   */
  argsAlways?: boolean;
  /**
   * The key order of new entries, when it is not the schema's (Goose, whose own writer puts the
   * entry's name first): nameKey holding the entry's name, these keys (those not undefined), then
   * the rest in the schema's order. Needs nameKey.
   */
  newEntryOrder?: readonly string[];
  /**
   * newEntryOrder for a new entry that holds only keys the adapter writes (no host-only field of
   * `extra`), every value defined: the same entry, built by reading its keys by name (a read by
   * computed key is a call into the runtime in the interpreter).
   */
  orderNewEntry?(name: string, out: Record<string, unknown>): Record<string, unknown>;
  /** Extra keys this adapter owns (removed from unknown-field passthrough). */
  ownedKeys?: string[];
}

const WIN_SHIMS = new Set(["npx", "npm", "pnpm", "pnpx", "yarn", "bunx"]);

function strings(x: unknown): string[] | undefined {
  return Array.isArray(x) && x.every((s) => typeof s === "string") ? (x as string[]) : undefined;
}

function mapStrings(x: unknown, f: (s: string) => string): unknown {
  if (typeof x === "string") return f(x);
  if (Array.isArray(x)) return x.map((s) => (typeof s === "string" ? f(s) : s));
  if (isPlainObject(x)) {
    const o: Record<string, unknown> = {};
    for (const k in x) {
      if (!Object.hasOwn(x, k)) continue;
      const val = x[k];
      o[k] = typeof val === "string" ? f(val) : val;
    }
    return o;
  }
  return x;
}

/** The Windows shell a `cmd /c <program> …` wrapper names. */
const CMD_RE = /^cmd(\.exe)?$/i;

/** The wrapped program of a `cmd /c <program> …` entry, or undefined. */
function cmdWrapped(command: unknown, args: unknown): string | undefined {
  const a = strings(args);
  return typeof command === "string" &&
    CMD_RE.test(command) &&
    a !== undefined &&
    /^\/c$/i.test(a[0] ?? "") &&
    a[1] !== undefined
    ? a[1]
    : undefined;
}

const INTERPOLATED: ReadonlySet<string> = new Set(["command", "args", "env", "cwd", "url", "headers"]);

/** Whether every element is a string holding no env-var reference (`${`). */
function noRefStrings(a: readonly unknown[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const el = a[i];
    if (typeof el !== "string" || el.includes("${")) return false;
  }
  return true;
}

/** A copy of the object's own keys when every value is a string holding no `${`, else undefined. */
function copyNoRefStrings(x: Record<string, unknown>): Record<string, unknown> | undefined {
  const o: Record<string, unknown> = {};
  for (const k in x) {
    if (!Object.hasOwn(x, k)) continue;
    const v = x[k];
    if (typeof v !== "string" || v.includes("${")) return undefined;
    o[k] = v;
  }
  return o;
}

/** The type value to write: the existing entry's own spelling when it means the same. */
function typeSpelling(
  t: TypeSpec,
  prev: Record<string, unknown> | undefined,
  tr: Transport,
): string | undefined {
  const before = prev?.[t.key];
  if (typeof before === "string" && t.read[before.toLowerCase()] === tr) return before;
  return t.write[tr];
}

/**
 * The canonical fields encode writes one by one, in CANONICAL_FIELDS order (the URL and transport
 * are written apart). encode reads them by name: in the interpreter a named read is inline-cached,
 * a read by computed key is a call into the runtime (12 of them per server cost more than the rest
 * of a new entry's encode).
 */
export const WRITTEN_FIELDS = [
  "command",
  "args",
  "env",
  "cwd",
  "envFile",
  "headers",
  "disabled",
  "timeout",
  "includeTools",
  "excludeTools",
  "autoApprove",
  "description",
] as const satisfies readonly CanonicalField[];
type WrittenField = (typeof WRITTEN_FIELDS)[number];

/**
 * How encode writes one canonical field, decided once per spec: encode runs for every server of
 * every target, mostly in JavaScriptCore's interpreter (the binary's JIT thresholds are ×100),
 * where each step per server costs.
 */
interface FieldStep {
  field: CanonicalField;
  key: string;
  /**
   * keep: translated env-var references (an existing spelling of the same meaning kept);
   * seconds / inverted: the host's timeout unit / `enabled`; commandArray: program and arguments
   * as one array; lost: the host has no such setting (`reason` says so).
   */
  kind: "plain" | "keep" | "seconds" | "inverted" | "commandArray" | "lost" | "skip";
  reason: string;
}

// What a host key holds, for the fast decode: a canonical field, the type, a URL (R_URL + the
// key's index in urlKeys), or something the adapter owns and does not read.
const R_COMMAND = 1;
const R_ARGS = 2;
const R_ENV = 3;
const R_CWD = 4;
const R_ENV_FILE = 5;
const R_HEADERS = 6;
const R_DISABLED = 7;
const R_TIMEOUT = 8;
const R_INCLUDE = 9;
const R_EXCLUDE = 10;
const R_AUTO_APPROVE = 11;
const R_DESCRIPTION = 12;
const R_TYPE = 13;
const R_OWNED = 14;
const R_URL = 16;
const FIELD_ROLES: Record<WrittenField, number> = {
  command: R_COMMAND,
  args: R_ARGS,
  env: R_ENV,
  cwd: R_CWD,
  envFile: R_ENV_FILE,
  headers: R_HEADERS,
  disabled: R_DISABLED,
  timeout: R_TIMEOUT,
  includeTools: R_INCLUDE,
  excludeTools: R_EXCLUDE,
  autoApprove: R_AUTO_APPROVE,
  description: R_DESCRIPTION,
};

/** A copy of an array of strings (references made canonical), or undefined for anything else. */
function stringsIn(x: unknown, syntax: EnvSyntax, marker: string | undefined): string[] | undefined {
  if (!Array.isArray(x)) return undefined;
  let refs = false;
  for (let i = 0; i < x.length; i++) {
    const el = x[i];
    if (typeof el !== "string") return undefined;
    if (marker !== undefined && el.includes(marker)) refs = true;
  }
  return refs ? x.map((el: string) => envRefsToCanonical(el, syntax)) : x.slice();
}

/**
 * A copy of a record of strings (references made canonical), or undefined for anything else:
 * a key the schema's record skips, an inherited key, a value that is not a string.
 */
function recordIn(
  x: unknown,
  syntax: EnvSyntax,
  marker: string | undefined,
): Record<string, string> | undefined {
  if (!isPlainObject(x)) return undefined;
  const o: Record<string, string> = {};
  for (const k in x) {
    if (!Object.hasOwn(x, k) || k === "__proto__" || k === "prototype" || k === "constructor") {
      return undefined;
    }
    const v = x[k];
    if (typeof v !== "string") return undefined;
    o[k] = marker !== undefined && v.includes(marker) ? envRefsToCanonical(v, syntax) : v;
  }
  return o;
}

type Decode = HostAdapter["decode"];

/**
 * decode with a fast path: one pass over the entry's own keys builds the canonical server in the
 * schema's key order, checking each value as parseServer would. Anything out of the common case
 * (a wrong type, a `cmd /c` wrapper, a type spelling the host does not know, an entry the hook
 * would change, a key a record skips …) goes to `general`, which reads it, words the problems
 * of or throws; _standard-decode.test.ts holds the two equal.
 * The general path reads each host key by computed name, copies values through closures and
 * builds the server twice (decode's fields, then parseServer's copy). In the interpreter, where
 * the binary's short runs stay, computed reads and calls cost hundreds of instructions each:
 * this path reads each key once and calls as little as it can (10,000 servers of the bench:
 * ~63,000 instructions a server before, see the commit).
 * Undefined when the spec cannot take it (a hook without decodeHookIdle, a key with two roles).
 */
function fastDecoder(spec: StandardSpec, extraKey: string, general: Decode): Decode | undefined {
  if (spec.decodeHook !== undefined && spec.decodeHookIdle === undefined) return undefined;
  // Host key → role, in an object without a prototype: a read of it by key is cheaper in the
  // interpreter than Map.get (a native call).
  const roles: Record<string, number | undefined> = Object.create(null);
  let clash = false;
  const claim = (key: string, role: number) => {
    if (roles[key] !== undefined) clash = true;
    roles[key] = role;
  };
  for (const field of WRITTEN_FIELDS) {
    const hk = spec.keys[field];
    if (hk) claim(hk, FIELD_ROLES[field]);
  }
  for (let i = 0; i < spec.urlKeys.length; i++) claim((spec.urlKeys[i] as UrlKey).key, R_URL + i);
  if (spec.type) claim(spec.type.key, R_TYPE);
  if (spec.nameKey !== undefined && roles[spec.nameKey] !== undefined) clash = true;
  if (clash) return undefined;
  for (const k of spec.ownedKeys ?? []) if (roles[k] === undefined) roles[k] = R_OWNED;
  // The type spellings the host reads, own keys only (a Map: no inherited names).
  const typeRead = new Map<string, Transport>(spec.type ? Object.entries(spec.type.read) : []);
  const implied = spec.urlKeys.map((u) => u.implies);
  const defaultRemote = spec.defaultRemote;
  const syntax = spec.envSyntax;
  const marker = hostRefMarker(syntax);
  const seconds = spec.timeoutUnit === "s";
  const inverted = spec.enabledKey === true;
  const commandArray = spec.commandArray === true;
  const autoTransport = spec.autoTransport === true;
  const idle = spec.decodeHookIdle;
  const nameKey = spec.nameKey;
  const noUrl = spec.urlKeys.length;

  return (name, input) => {
    // isPlainObject, inline (a call costs more than its tests).
    if (typeof input !== "object" || input === null || Array.isArray(input) || input instanceof Date) {
      return general(name, input);
    }
    const raw = input as Record<string, unknown>;
    if (!SERVER_NAME_RE.test(name) || (idle !== undefined && !idle(raw))) return general(name, raw);
    let command: unknown;
    let args: unknown;
    let env: unknown;
    let cwd: unknown;
    let envFile: unknown;
    let headers: unknown;
    let disabled: unknown;
    let timeout: unknown;
    let includeTools: unknown;
    let excludeTools: unknown;
    let autoApprove: unknown;
    let description: unknown;
    let type: unknown;
    let url: string | undefined;
    let urlAt = noUrl;
    let extra: Record<string, unknown> | undefined;
    for (const key in raw) {
      if (!Object.hasOwn(raw, key)) return general(name, raw);
      const val = raw[key];
      const role = roles[key];
      if (role === undefined) {
        if (val === undefined || key === "__proto__" || key === "prototype" || key === "constructor") {
          return general(name, raw);
        }
        if (key === nameKey && val === name) continue;
        if (extra === undefined) extra = {};
        extra[key] = val;
        continue;
      }
      if (val === undefined) continue;
      switch (role) {
        case R_COMMAND:
          command = val;
          break;
        case R_ARGS:
          args = val;
          break;
        case R_ENV:
          env = val;
          break;
        case R_CWD:
          cwd = val;
          break;
        case R_ENV_FILE:
          envFile = val;
          break;
        case R_HEADERS:
          headers = val;
          break;
        case R_DISABLED:
          disabled = val;
          break;
        case R_TIMEOUT:
          timeout = val;
          break;
        case R_INCLUDE:
          includeTools = val;
          break;
        case R_EXCLUDE:
          excludeTools = val;
          break;
        case R_AUTO_APPROVE:
          autoApprove = val;
          break;
        case R_DESCRIPTION:
          description = val;
          break;
        case R_TYPE:
          type = val;
          break;
        case R_OWNED:
          break;
        default:
          // The first URL key (in urlKeys' order) holding a string wins.
          if (typeof val === "string" && role - R_URL < urlAt) {
            url = val;
            urlAt = role - R_URL;
          }
      }
    }
    let transport: "http" | "sse" | undefined;
    if (typeof type === "string") {
      const mapped = typeRead.get(type.toLowerCase());
      if (mapped === undefined || (mapped === "stdio" && url !== undefined)) return general(name, raw);
      if (mapped !== "stdio") transport = mapped;
    }
    const out: Record<string, unknown> = {};
    if (url === undefined) {
      if (headers !== undefined) return general(name, raw);
      let cmd: string;
      if (typeof command === "string") {
        cmd =
          marker !== undefined && command.includes(marker) ? envRefsToCanonical(command, syntax) : command;
        out.command = cmd;
        if (args !== undefined) {
          // Arguments, the most common list: checked and copied here, not in stringsIn.
          if (!Array.isArray(args)) return general(name, raw);
          let refs = false;
          for (let i = 0; i < args.length; i++) {
            const el = args[i];
            if (typeof el !== "string") return general(name, raw);
            if (marker !== undefined && el.includes(marker)) refs = true;
          }
          out.args = refs ? args.map((el: string) => envRefsToCanonical(el, syntax)) : args.slice();
        }
      } else if (commandArray && Array.isArray(command) && command.length > 0 && args === undefined) {
        const all = stringsIn(command, syntax, marker);
        if (all === undefined) return general(name, raw);
        cmd = all[0] as string;
        out.command = cmd;
        if (all.length > 1) out.args = all.slice(1);
      } else {
        return general(name, raw);
      }
      // An empty command is refused; a `cmd /c` wrapper is taken off by the general path.
      if (cmd === "" || ((cmd.length === 3 || cmd.length === 7) && CMD_RE.test(cmd)))
        return general(name, raw);
      if (env !== undefined) {
        // recordIn, inline: most stdio entries have an env.
        if (typeof env !== "object" || env === null || Array.isArray(env) || env instanceof Date) {
          return general(name, raw);
        }
        const e: Record<string, string> = {};
        for (const k in env) {
          if (!Object.hasOwn(env, k) || k === "__proto__" || k === "prototype" || k === "constructor") {
            return general(name, raw);
          }
          const v = (env as Record<string, unknown>)[k];
          if (typeof v !== "string") return general(name, raw);
          e[k] = marker !== undefined && v.includes(marker) ? envRefsToCanonical(v, syntax) : v;
        }
        out.env = e;
      }
      if (cwd !== undefined) {
        if (typeof cwd !== "string") return general(name, raw);
        out.cwd = marker !== undefined && cwd.includes(marker) ? envRefsToCanonical(cwd, syntax) : cwd;
      }
      if (envFile !== undefined) {
        if (typeof envFile !== "string") return general(name, raw);
        out.envFile = envFile;
      }
    } else {
      if (
        command !== undefined ||
        args !== undefined ||
        env !== undefined ||
        cwd !== undefined ||
        envFile !== undefined
      ) {
        return general(name, raw);
      }
      const u = marker !== undefined && url.includes(marker) ? envRefsToCanonical(url, syntax) : url;
      if (!acceptedUrl(u)) return general(name, raw);
      out.url = u;
      const tr = transport ?? implied[urlAt] ?? defaultRemote;
      if (tr !== undefined && !autoTransport) out.transport = tr;
      if (headers !== undefined) {
        const h = recordIn(headers, syntax, marker);
        if (h === undefined) return general(name, raw);
        out.headers = h;
      }
    }
    if (disabled !== undefined) {
      if (typeof disabled !== "boolean") return general(name, raw);
      out.disabled = inverted ? !disabled : disabled;
    }
    if (timeout !== undefined) {
      if (typeof timeout !== "number") return general(name, raw);
      const ms = seconds ? Math.round(timeout * 1000) : timeout;
      if (Number.isNaN(ms) || ms < 0) return general(name, raw);
      out.timeout = ms;
    }
    if (includeTools !== undefined) {
      const a = stringsIn(includeTools, "none", undefined);
      if (a === undefined) return general(name, raw);
      out.includeTools = a;
    }
    if (excludeTools !== undefined) {
      const a = stringsIn(excludeTools, "none", undefined);
      if (a === undefined) return general(name, raw);
      out.excludeTools = a;
    }
    if (autoApprove !== undefined) {
      const a = stringsIn(autoApprove, "none", undefined);
      if (a === undefined) return general(name, raw);
      out.autoApprove = a;
    }
    if (description !== undefined) {
      if (typeof description !== "string") return general(name, raw);
      out.description = description;
    }
    if (extra !== undefined) out.extra = { [extraKey]: extra };
    return out as Server;
  };
}

/** The spec of each adapter standardAdapter made, for tests that hold encode to a reference. */
const SPECS = new WeakMap<HostAdapter, StandardSpec>();

/** The spec `adapter` was made from by standardAdapter, or undefined. */
export function standardSpecOf(adapter: HostAdapter): StandardSpec | undefined {
  return SPECS.get(adapter);
}

export function standardAdapter(spec: StandardSpec): HostAdapter {
  const fields = new Set<CanonicalField>(Object.keys(spec.keys) as CanonicalField[]);
  if (spec.commandArray) fields.add("args");
  if (spec.urlKeys.length > 0) {
    fields.add("url");
    if (spec.type || spec.urlKeys.some((u) => u.implies)) fields.add("transport");
  }
  if (spec.newEntryOrder !== undefined && spec.nameKey === undefined) {
    throw new Error(`${spec.id}: newEntryOrder needs nameKey`);
  }
  // The codec (its steps, key orders and closures) is built when the host is first read or
  // written: a run loads all 37 hosts and uses a few. Measured 2026-12-03, compiled binary:
  // building all 37 at load took 1.4–2.8 ms of the everyday sync's ~55 ms.
  let built: Codec | undefined;
  const codec = () => (built ??= standardCodec(spec));
  const adapter: HostAdapter = {
    id: spec.id,
    label: spec.label,
    ...(spec.aliases ? { aliases: spec.aliases } : {}),
    format: spec.format,
    container: spec.container ?? { kind: "map", path: ["mcpServers"] },
    fields,
    envSyntax: spec.envSyntax,
    remote: new Set(spec.remote),
    userPath: spec.userPath,
    ...(spec.detectPaths ? { detectPaths: spec.detectPaths } : {}),
    ...(spec.projectPath ? { projectPath: spec.projectPath } : {}),
    ...(spec.forProject ? { forProject: spec.forProject } : {}),
    decode: (name, raw) => codec().decode(name, raw),
    encode: (name, server, existing, ctx) => codec().encode(name, server, existing, ctx),
  };
  SPECS.set(adapter, spec);
  return adapter;
}

type Codec = Pick<HostAdapter, "decode" | "encode">;

/** A standard host's decode and encode, built from its spec. */
function standardCodec(spec: StandardSpec): Codec {
  const extraKey = spec.extraKey ?? spec.id;
  const owned = new Set<string>([
    ...Object.values(spec.keys).filter((k): k is string => !!k),
    ...spec.urlKeys.map((u) => u.key),
    ...(spec.type ? [spec.type.key] : []),
    ...(spec.ownedKeys ?? []),
  ]);
  const keyOrder: string[] = [
    ...(spec.type ? [spec.type.key] : []),
    ...CANONICAL_FIELDS.flatMap((f) =>
      f === "url" ? spec.urlKeys.map((u) => u.key) : f === "transport" ? [] : (spec.keys[f] ?? []),
    ),
  ];
  const toMs = (n: number) => (spec.timeoutUnit === "s" ? Math.round(n * 1000) : n);

  // Facts encode needs for every server, computed once per spec.
  const ck = spec.keys.command ?? "command";
  const ak = spec.keys.args ?? "args";
  const urlKeys = spec.urlKeys;
  const stdioOnlySkip = `${spec.label} runs only local (stdio) servers from its config file`;
  // New entries use the first URL key that can carry the transport (with a type field, a plain
  // key is enough: Gemini writes `url` + `type`, its `httpUrl` is legacy).
  const newUrlKey = (tr: "http" | "sse"): UrlKey | undefined =>
    (spec.type
      ? urlKeys.find((u) => !u.implies || u.implies === tr)
      : (urlKeys.find((u) => u.implies === tr) ?? urlKeys.find((u) => !u.implies))) ?? urlKeys[0];
  const newUrlKeyHttp = newUrlKey("http");
  const newUrlKeySse = newUrlKey("sse");
  const steps = {} as Record<WrittenField, FieldStep>;
  for (const field of WRITTEN_FIELDS) {
    const hk = spec.keys[field];
    let step: FieldStep;
    if (field === "args" && spec.commandArray) {
      // Program and arguments are one array, written with the command.
      step = { field, key: "", kind: "skip", reason: "" };
    } else if (field === "command" && spec.commandArray) {
      step = { field, key: hk ?? "command", kind: "commandArray", reason: "" };
    } else if (!hk) {
      step = { field, key: "", kind: "lost", reason: `${spec.label} has no "${field}" setting` };
    } else {
      const kind = INTERPOLATED.has(field)
        ? "keep"
        : field === "timeout" && spec.timeoutUnit === "s"
          ? "seconds"
          : field === "disabled" && spec.enabledKey
            ? "inverted"
            : "plain";
      step = { field, key: hk, kind, reason: "" };
    }
    steps[field] = step;
  }
  // Whether a new entry written in step order (type, the fields, the URL at its place) already has
  // its keys in keyOrder, so needs no ordered copy: no host key twice, the command array's key
  // among them, and no hook that may add keys anywhere.
  const stepOrderIsKeyOrder =
    spec.newEntryOrder === undefined &&
    new Set(keyOrder).size === keyOrder.length &&
    !(spec.commandArray && spec.keys.command === undefined) &&
    (spec.encodeHook === undefined || spec.encodeHookKeepsOrder === true);
  const keyOrderSet: ReadonlySet<string> = new Set(keyOrder);
  const argsAlways = spec.argsAlways === true && !spec.commandArray;
  const commandKeep = steps.command.kind === "keep";
  const commandKey = steps.command.key;
  const argsKeep = steps.args.kind === "keep";
  const argsKey = steps.args.key;
  const envKeep = steps.env.kind === "keep";
  const envKey = steps.env.key;
  const newEntryOrder = spec.newEntryOrder;
  const orderNewEntry = spec.orderNewEntry;
  const nameKey = spec.nameKey ?? "name";

  /** Keys in the order people write them: type, the canonical fields, then the host's own. */
  function inKeyOrder(out: Record<string, unknown>): Record<string, unknown> {
    const ordered: Record<string, unknown> = {};
    for (let i = 0; i < keyOrder.length; i++) {
      const k = keyOrder[i] as string;
      if (Object.hasOwn(out, k)) ordered[k] = out[k];
    }
    for (const k in out) if (Object.hasOwn(out, k) && !Object.hasOwn(ordered, k)) setOwn(ordered, k, out[k]);
    return ordered;
  }

  /** A new entry in newEntryOrder: its name first, the listed keys, the rest in keyOrder. */
  function inNewEntryOrder(name: string, out: Record<string, unknown>, order: readonly string[]) {
    const raw: Record<string, unknown> = { [nameKey]: name, ...inKeyOrder(out) };
    const ordered: Record<string, unknown> = {};
    for (const k of order) if (raw[k] !== undefined) ordered[k] = raw[k];
    for (const k in raw) if (Object.hasOwn(raw, k) && !Object.hasOwn(ordered, k)) setOwn(ordered, k, raw[k]);
    return ordered;
  }

  /** A canonical string in the host's syntax, its losses (editor variables, defaults) reported. */
  function hostString(x: string, field: string, name: string, env: WriteContext, losses: Loss[]): string {
    // Provider references (`${secret:…}` …) are resolved only where values are redacted in every
    // output (env values, headers); a file of the same kind of host is copied as it is written.
    const r = envRefsToHost(x, spec.envSyntax, env.env, `server "${name}" ${field}`, {
      ...(env.sourceKind === extraKey ? { literal: true } : {}),
      ...(field === "env" || field === "headers" ? { resolve: env.resolve ?? noResolver } : {}),
    });
    for (const v of r.unexpanded) {
      losses.push({
        server: name,
        field,
        reason: `\${${v}} is an editor variable ${spec.label} does not expand`,
      });
    }
    for (const v of r.droppedDefaults) {
      losses.push({ server: name, field, reason: `default value of \${${v}} (the host has no defaults)` });
    }
    return r.value;
  }

  /**
   * A canonical value (string, list or record) in the host's syntax; a string the existing entry
   * (`before`) already spells with the same meaning is kept as it is. Lists and records are copies.
   */
  function keep(
    x: unknown,
    before: unknown,
    field: string,
    name: string,
    env: WriteContext,
    losses: Loss[],
  ): unknown {
    // Most values hold no reference: written as they are (and an existing spelling that means
    // the same can only be the same text).
    if (typeof x === "string") {
      if (!x.includes("${")) return x;
    } else if (Array.isArray(x)) {
      if (noRefStrings(x)) return x.slice();
    } else if (isPlainObject(x)) {
      const o = copyNoRefStrings(x);
      if (o !== undefined) return o;
    } else {
      return x;
    }
    return keepSlow(x, before, field, name, env, losses);
  }

  /** `keep` for values holding references, element by element. */
  function keepSlow(
    x: unknown,
    before: unknown,
    field: string,
    name: string,
    env: WriteContext,
    losses: Loss[],
  ): unknown {
    if (typeof x === "string") {
      if (!x.includes("${")) return x;
      return typeof before === "string" && envRefsToCanonical(before, spec.envSyntax) === x
        ? before
        : hostString(x, field, name, env, losses);
    }
    if (Array.isArray(x)) {
      return x.map((el, i) =>
        keepSlow(el, Array.isArray(before) ? before[i] : undefined, field, name, env, losses),
      );
    }
    if (isPlainObject(x)) {
      const o: Record<string, unknown> = {};
      for (const k in x) {
        if (!Object.hasOwn(x, k)) continue;
        o[k] = keepSlow(
          x[k],
          isPlainObject(before) && Object.hasOwn(before, k) ? before[k] : undefined,
          field,
          name,
          env,
          losses,
        );
      }
      return o;
    }
    return x;
  }

  /** Reads any entry: the reference of the fast path, and where it sends all but the common case. */
  function generalDecode(name: string, raw: unknown): Server {
    if (!isPlainObject(raw)) throw new ServerValidationError(name, ["expected an object"]);
    const out: Record<string, unknown> = {};
    // A copy only for a hook that may claim more keys; the common path allocates nothing.
    const ownedHere = spec.decodeHook ? new Set(owned) : owned;
    const k = spec.keys;
    // A host whose file holds only local servers (Claude Desktop adds remote ones in its app): an
    // entry with a URL and no command is listed and skipped with that reason, not called invalid.
    if (
      spec.remote.length === 0 &&
      typeof raw.url === "string" &&
      (k.command === undefined || raw[k.command] === undefined)
    ) {
      throw new UnconvertibleServerError(
        name,
        `${spec.label} runs only local servers from this file (a "command"); a remote server ("url") is added in its app`,
      );
    }
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
    // Remote: the first URL key present wins; a type field refines the transport.
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
    if (out.url !== undefined && !spec.autoTransport) {
      const tr = transport ?? spec.defaultRemote;
      if (tr) out.transport = tr;
    }
    // A Windows `cmd /c npx …` wrapper means `npx …`.
    if (
      typeof out.command === "string" &&
      CMD_RE.test(out.command) &&
      Array.isArray(out.args) &&
      typeof out.args[0] === "string" &&
      /^\/c$/i.test(out.args[0]) &&
      typeof out.args[1] === "string"
    ) {
      out.command = out.args[1];
      out.args = out.args.slice(2);
      if ((out.args as string[]).length === 0) delete out.args;
    }
    spec.decodeHook?.(raw, out, ownedHere);
    // for…in over own keys (Object.entries' order), no array of pairs per server.
    let extra: Record<string, unknown> | undefined;
    for (const key in raw) {
      if (!Object.hasOwn(raw, key) || ownedHere.has(key)) continue;
      if (key === spec.nameKey && raw[key] === name) continue;
      if (!extra) extra = {};
      extra[key] = raw[key];
    }
    if (extra) out.extra = { [extraKey]: extra };
    return parseServer(name, out);
  }

  /** Writes one field's value (not undefined) as its step says. */
  function put(
    out: Record<string, unknown>,
    step: FieldStep,
    val: unknown,
    server: Server,
    prevView: Record<string, unknown> | undefined,
    name: string,
    env: WriteContext,
    losses: Loss[],
  ): void {
    switch (step.kind) {
      case "skip":
        return;
      case "lost":
        // A value the host would assume anyway (`disabled: false`, an empty list) is not lost.
        if (!isCanonicalDefault(step.field, val)) {
          losses.push({ server: name, field: step.field, reason: step.reason });
        }
        return;
      case "keep":
        out[step.key] = keep(val, prevView?.[step.key], step.field, name, env, losses);
        return;
      case "commandArray": {
        const arr = [val, ...((server as { args?: string[] }).args ?? [])];
        // The array is new: written as it is when no string in it needs translating.
        out[step.key] = noRefStrings(arr)
          ? arr
          : keepSlow(arr, prevView?.[step.key], step.field, name, env, losses);
        return;
      }
      case "seconds":
        out[step.key] = typeof val === "number" ? val / 1000 : val;
        return;
      case "inverted":
        out[step.key] = typeof val === "boolean" ? !val : val;
        return;
      default:
        out[step.key] = val;
    }
  }

  function encode(name: string, server: Server, existing: unknown, ctx: WriteContext): EncodeResult {
    const losses: Loss[] = [];
    const prev = existing !== undefined && isPlainObject(existing) ? existing : undefined;
    const s = server as Record<string, unknown>;
    const remote = typeof s.url === "string";
    const t = spec.type;
    let tr: Transport = "stdio";
    // The URL key and the type are decided before the fields, so that a new entry can be written
    // in its final key order.
    let urlKey: UrlKey | undefined;
    let writeType = false;
    if (remote) {
      tr = (server as { transport?: "http" | "sse" }).transport ?? "http";
      if (urlKeys.length === 0) return { skip: stdioOnlySkip, losses };
      if (!spec.remote.includes(tr)) {
        return { skip: `${spec.label} cannot run ${tr === "sse" ? "SSE" : "HTTP"} servers`, losses };
      }
      // Keep the existing entry's URL key when it still means the same transport.
      let prevKey: UrlKey | undefined;
      if (prev !== undefined) {
        for (const u of urlKeys) {
          if (typeof prev[u.key] === "string" && (!u.implies || u.implies === tr)) {
            prevKey = u;
            break;
          }
        }
      }
      urlKey = prevKey ?? (tr === "sse" ? newUrlKeySse : newUrlKeyHttp);
      if (t) {
        const hadType = prev !== undefined && prev[t.key] !== undefined;
        const impliedByKey = urlKey?.implies === tr;
        // Needed: nothing else tells the transport. Required: the host wants it on URL entries,
        // except where the key already says it (Gemini `httpUrl`) or an existing entry of a host
        // with a default transport left it out (Gemini `url` alone = SSE).
        const needed = !impliedByKey && tr !== (spec.defaultRemote ?? "http");
        const required =
          t.requiredForRemote && !impliedByKey && !(prevKey && spec.defaultRemote !== undefined);
        writeType = hadType || needed || required;
      }
      // Without a type, the host tells HTTP from SSE by itself: nothing is lost.
    } else if (t !== undefined && t.write.stdio !== undefined) {
      writeType = prev !== undefined ? prev[t.key] !== undefined : t.writeOnStdio;
    }
    // Without an existing entry, typeSpelling is the written spelling.
    const typeValue =
      writeType && t ? (prev === undefined ? t.write[tr] : typeSpelling(t, prev, tr)) : undefined;

    const out: Record<string, unknown> = {};
    // A new entry gets its keys in their final order as it is written (no ordered copy).
    let inOrder = prev === undefined && stepOrderIsKeyOrder;
    // The existing entry as the canonical side sees it (a `cmd /c` wrapper taken off).
    let prevView = prev;
    let prevWrap: string | undefined;
    if (prev !== undefined) {
      // Keep what the existing entry has that this adapter does not own, in its order.
      for (const key in prev) if (Object.hasOwn(prev, key) && !owned.has(key)) setOwn(out, key, prev[key]);
      prevWrap = cmdWrapped(prev[ck], prev[ak]);
      if (prevWrap !== undefined) {
        prevView = { ...prev, [ck]: prevWrap, [ak]: (strings(prev[ak]) ?? []).slice(2) };
      }
    }
    if (inOrder && writeType) out[(t as TypeSpec).key] = typeValue;

    // WRITTEN_FIELDS, read by name.
    const env = ctx;
    // The command, arguments and env of most servers hold no reference: `keep` inline for them
    // (put, keep and its helpers are four calls a field otherwise).
    let v = s.command;
    if (v !== undefined) {
      if (commandKeep && typeof v === "string" && !v.includes("${")) out[commandKey] = v;
      else put(out, steps.command, v, server, prevView, name, env, losses);
    }
    v = s.args;
    if (v !== undefined) {
      let plain = argsKeep && Array.isArray(v);
      if (plain) {
        const a = v as unknown[];
        for (let i = 0; i < a.length; i++) {
          const el = a[i];
          if (typeof el !== "string" || el.includes("${")) {
            plain = false;
            break;
          }
        }
      }
      if (plain) out[argsKey] = (v as unknown[]).slice();
      else put(out, steps.args, v, server, prevView, name, env, losses);
    } else if (argsAlways && "command" in server) out[ak] = [];
    v = s.env;
    if (v !== undefined) {
      let copied: Record<string, unknown> | undefined;
      if (envKeep && typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date)) {
        copied = {};
        const e = v as Record<string, unknown>;
        for (const k in e) {
          if (!Object.hasOwn(e, k)) continue;
          const val = e[k];
          if (typeof val !== "string" || val.includes("${")) {
            copied = undefined;
            break;
          }
          copied[k] = val;
        }
      }
      if (copied !== undefined) out[envKey] = copied;
      else put(out, steps.env, v, server, prevView, name, env, losses);
    }
    v = s.cwd;
    if (v !== undefined) put(out, steps.cwd, v, server, prevView, name, env, losses);
    v = s.envFile;
    if (v !== undefined) put(out, steps.envFile, v, server, prevView, name, env, losses);
    // The URL's place; its value is written after the fields, whose losses come first.
    if (inOrder && urlKey) out[urlKey.key] = undefined;
    v = s.headers;
    if (v !== undefined) put(out, steps.headers, v, server, prevView, name, env, losses);
    v = s.disabled;
    if (v !== undefined) put(out, steps.disabled, v, server, prevView, name, env, losses);
    v = s.timeout;
    if (v !== undefined) put(out, steps.timeout, v, server, prevView, name, env, losses);
    v = s.includeTools;
    if (v !== undefined) put(out, steps.includeTools, v, server, prevView, name, env, losses);
    v = s.excludeTools;
    if (v !== undefined) put(out, steps.excludeTools, v, server, prevView, name, env, losses);
    v = s.autoApprove;
    if (v !== undefined) put(out, steps.autoApprove, v, server, prevView, name, env, losses);
    v = s.description;
    if (v !== undefined) put(out, steps.description, v, server, prevView, name, env, losses);

    if (remote) {
      if (urlKey) out[urlKey.key] = keep(s.url, prev?.[urlKey.key], "url", name, env, losses);
      if (writeType) out[(t as TypeSpec).key] = typeValue;
    } else {
      if (writeType) out[(t as TypeSpec).key] = typeValue;
      const cmd = out[ck];
      if (typeof cmd === "string") {
        // Wrap `npx` and friends as `cmd /c …` on Windows; an existing wrapper of the same program
        // is kept as it is spelled, whatever the platform.
        const wrap =
          prevWrap === cmd ||
          (spec.windowsCmdWrap && ctx.platform === "win32" && WIN_SHIMS.has(cmd.toLowerCase()));
        if (wrap) {
          const prevArgs = prevWrap === cmd ? (strings(prev?.[ak]) ?? []) : [];
          // Arguments added after the fields are out of place.
          if (!Object.hasOwn(out, ak)) inOrder = false;
          out[ak] = [prevArgs[0] ?? "/c", cmd, ...(strings(out[ak]) ?? [])];
          out[ck] = prevWrap === cmd ? prev?.[ck] : "cmd";
        }
      }
    }
    // Whether a host-only field of this host was written (newEntryOrder's fast path takes none).
    let ownExtra = false;
    const extra = server.extra;
    if (extra != null) {
      for (const host in extra) {
        if (!Object.hasOwn(extra, host)) continue;
        const fieldsOfHost = extra[host] as Record<string, unknown>;
        if (host === extraKey) {
          for (const key in fieldsOfHost) {
            if (!Object.hasOwn(fieldsOfHost, key) || Object.hasOwn(out, key)) continue;
            setOwn(out, key, fieldsOfHost[key]);
            ownExtra = true;
            // A host-only field goes after the known keys, unless it is one of them.
            if (keyOrderSet.has(key)) inOrder = false;
          }
        } else {
          for (const key in fieldsOfHost) {
            if (!Object.hasOwn(fieldsOfHost, key) || isHostDefault(host, key, fieldsOfHost[key])) continue;
            losses.push({
              server: name,
              field: key,
              reason: `"${key}" is a ${host} setting that ${spec.label} does not have`,
            });
          }
        }
      }
    }
    spec.encodeHook?.(server, out, prev);
    if (inOrder) return { raw: out, losses };
    if (newEntryOrder !== undefined && existing === undefined) {
      return {
        raw:
          orderNewEntry !== undefined && !ownExtra
            ? orderNewEntry(name, out)
            : inNewEntryOrder(name, out, newEntryOrder),
        losses,
      };
    }
    return { raw: inKeyOrder(out), losses };
  }

  return { decode: fastDecoder(spec, extraKey, generalDecode) ?? generalDecode, encode };
}

/** A write context without a resolver: provider references cannot be written. */
function noResolver(ref: ProviderRef): string {
  throw new UsageError(`Cannot resolve "${ref.text}": no secret store was given to this write`);
}

/** Keys most Claude-style hosts share. */
export const BASIC_KEYS: KeyMap = { command: "command", args: "args", env: "env" };
