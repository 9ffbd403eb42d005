// A table-driven adapter for the many hosts whose entries are "Claude-style" objects that differ
// only in key names, transport discriminator, URL field, timeout unit and env-var syntax.
// Each host file gives a spec; hosts with a different shape (Codex, Goose, opencode, Zed) add
// small hooks.
import { isPlainObject } from "../core/edits.ts";
import { type EnvSyntax, envRefsToCanonical, envRefsToHost } from "../core/envrefs.ts";
import {
  CANONICAL_FIELDS,
  type CanonicalField,
  isRemote,
  parseServer,
  type Server,
  ServerValidationError,
} from "../core/model.ts";
import type { Container, EncodeResult, HostAdapter, Loss, WriteContext } from "./_adapter.ts";
import type { FileFormat } from "./_format/format.ts";
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
  /** Adjust the entry about to be written. */
  encodeHook?(
    server: Server,
    out: Record<string, unknown>,
    existing: Record<string, unknown> | undefined,
  ): void;
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

/** The wrapped program of a `cmd /c <program> …` entry, or undefined. */
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

const INTERPOLATED: ReadonlySet<string> = new Set(["command", "args", "env", "cwd", "url", "headers"]);

export function standardAdapter(spec: StandardSpec): HostAdapter {
  const extraKey = spec.extraKey ?? spec.id;
  const fields = new Set<CanonicalField>(Object.keys(spec.keys) as CanonicalField[]);
  if (spec.commandArray) fields.add("args");
  if (spec.urlKeys.length > 0) {
    fields.add("url");
    if (spec.type || spec.urlKeys.some((u) => u.implies)) fields.add("transport");
  }
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
  const fromMs = (n: number) => (spec.timeoutUnit === "s" ? n / 1000 : n);

  function decode(name: string, raw: unknown): Server {
    if (!isPlainObject(raw)) throw new ServerValidationError(name, ["expected an object"]);
    const out: Record<string, unknown> = {};
    // A copy only for a hook that may claim more keys; the common path allocates nothing.
    const ownedHere = spec.decodeHook ? new Set(owned) : owned;
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
    if (out.url !== undefined) {
      const tr = transport ?? spec.defaultRemote;
      if (tr) out.transport = tr;
    }
    // A Windows `cmd /c npx …` wrapper means `npx …`.
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
    spec.decodeHook?.(raw, out, ownedHere);
    // for…in over own keys (Object.entries' order), no array of pairs per server.
    let extra: Record<string, unknown> | undefined;
    for (const key in raw) {
      if (!Object.hasOwn(raw, key) || ownedHere.has(key)) continue;
      if (!extra) extra = {};
      extra[key] = raw[key];
    }
    if (extra) out.extra = { [extraKey]: extra };
    return parseServer(name, out);
  }

  function encode(name: string, server: Server, existing: unknown, ctx: WriteContext): EncodeResult {
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
    // Keep what the existing entry has that this adapter does not own, in its order.
    if (prev) for (const [key, val] of Object.entries(prev)) if (!owned.has(key)) out[key] = val;

    const ck = spec.keys.command ?? "command";
    const ak = spec.keys.args ?? "args";
    // The existing entry as the canonical side sees it (a `cmd /c` wrapper taken off).
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
    /** Like envOut, but a string the existing entry already spells with the same meaning is kept. */
    const envKeep = (x: unknown, before: unknown, field: string): unknown => {
      // No reference in the value: it is written as it is (and an existing spelling that means the
      // same can only be the same text).
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

    /** The type value to write: the existing entry's own spelling when it means the same. */
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
      // Keep the existing entry's URL key when it still means the same transport.
      const prevKey = spec.urlKeys.find(
        (u) => prev && typeof prev[u.key] === "string" && (!u.implies || u.implies === tr),
      );
      // New entries use the first URL key that can carry the transport (with a type field, a
      // plain key is enough: Gemini writes `url` + `type`, its `httpUrl` is legacy).
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
        // Needed: nothing else tells the transport. Required: the host wants it on URL entries,
        // except where the key already says it (Gemini `httpUrl`) or an existing entry of a host
        // with a default transport left it out (Gemini `url` alone = SSE).
        const needed = !impliedByKey && tr !== (spec.defaultRemote ?? "http");
        const required =
          spec.type.requiredForRemote && !impliedByKey && !(prevKey && spec.defaultRemote !== undefined);
        if (hadType || needed || required) out[spec.type.key] = typeSpelling(tr);
      } else if (server.transport && !key?.implies && spec.remote.length > 1) {
        // The host tells HTTP from SSE by itself; nothing is lost.
      }
    } else {
      // stdio
      if (spec.type?.write.stdio !== undefined) {
        const hadType = prev !== undefined && prev[spec.type.key] !== undefined;
        if (hadType || (!prev && spec.type.writeOnStdio)) out[spec.type.key] = typeSpelling("stdio");
      }
      if (typeof out[ck] === "string") {
        // Wrap `npx` and friends as `cmd /c …` on Windows; an existing wrapper of the same program
        // is kept as it is spelled, whatever the platform.
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
        for (const [key, val] of Object.entries(fieldsOfHost)) if (!(key in out)) out[key] = val;
      } else {
        for (const key of Object.keys(fieldsOfHost)) {
          losses.push({
            server: name,
            field: key,
            reason: `"${key}" is a ${host} setting that ${spec.label} does not have`,
          });
        }
      }
    }
    spec.encodeHook?.(server, out, prev);
    // Keys in the order people write them: type, the canonical fields, then the host's own.
    const ordered: Record<string, unknown> = {};
    for (const k of keyOrder) if (Object.hasOwn(out, k)) ordered[k] = out[k];
    for (const k in out) if (Object.hasOwn(out, k) && !Object.hasOwn(ordered, k)) ordered[k] = out[k];
    return { raw: ordered, losses };
  }

  return {
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
    decode,
    encode,
  };
}

/** Keys most Claude-style hosts share. */
export const BASIC_KEYS: KeyMap = { command: "command", args: "args", env: "env" };
