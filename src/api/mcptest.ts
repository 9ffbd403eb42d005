// `hatch mcp test` as a library: start each server the way its host would run it, perform the MCP
// initialize handshake with the official SDK client, list its tools, and report one verdict per
// server. Child processes run in their own process group and are always killed, group and all.
import type { ChildProcess } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { isAbsolute, resolve as resolvePath } from "node:path";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { HostParseError, UsageError } from "../core/errors.ts";
import { isRemote, type Server, type ServerMap } from "../core/model.ts";
import { suggest } from "../hosts/registry.ts";
import { expandRefs, type RefResolver } from "../core/envrefs.ts";
import { secretResolver } from "../secrets/resolve.ts";
import { RealSystem, type System } from "../system/system.ts";
import { defaultWorkspace } from "../store/workspace.ts";

/** The resolver of provider references for a test run (hatch's store in env's HATCH_HOME). */
function defaultResolver(
  env: Readonly<Record<string, string | undefined>>,
  system: System | undefined,
): RefResolver {
  const ws = defaultWorkspace(env, system ?? new RealSystem());
  return secretResolver(ws);
}
import { type HostTarget, type InvalidEntry, readHost } from "../store/hostfile.ts";

// The MCP SDK (with zod and ajv) costs ~50 ms to load: it is loaded only when a server is
// actually tested, not on every command's start-up; so is node:child_process (~1–3 ms). The specifiers are literals, so the bundler
// still compiles the SDK into the binary.
type Sdk = typeof import("@modelcontextprotocol/sdk/client/index.js") &
  typeof import("@modelcontextprotocol/sdk/client/sse.js") &
  typeof import("@modelcontextprotocol/sdk/client/streamableHttp.js") &
  typeof import("@modelcontextprotocol/sdk/shared/stdio.js") &
  typeof import("@modelcontextprotocol/sdk/types.js") &
  Pick<typeof import("node:child_process"), "spawn">;
let sdkModules: Sdk | undefined;

async function loadSdk(): Promise<Sdk> {
  if (!sdkModules) {
    const mods = await Promise.all([
      import("@modelcontextprotocol/sdk/client/index.js"),
      import("@modelcontextprotocol/sdk/client/sse.js"),
      import("@modelcontextprotocol/sdk/client/streamableHttp.js"),
      import("@modelcontextprotocol/sdk/shared/stdio.js"),
      import("@modelcontextprotocol/sdk/types.js"),
      import("node:child_process"),
    ]);
    const { spawn } = mods[5];
    sdkModules = Object.assign({}, ...mods.slice(0, 5), { spawn }) as Sdk;
  }
  return sdkModules;
}

function sdk(): Sdk {
  if (!sdkModules) throw new Error("Internal error: the MCP SDK is used before loadSdk()");
  return sdkModules;
}
import type { Workspace } from "../store/workspace.ts";

declare const HATCH_VERSION: string | undefined;
const CLIENT_INFO = {
  name: "hatch",
  version: typeof HATCH_VERSION === "string" ? HATCH_VERSION : "0.0.0-dev",
};

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_CONCURRENCY = 4;
/** How long a server gets to exit after SIGTERM before its process group is killed. */
const KILL_GRACE_MS = 1_000;
const STDERR_LINES = 5;
const MAX_TOOL_PAGES = 100;

/** One server to test, and where it came from. */
export interface TestItem {
  /** The host (or `env:NAME`) whose file defines the server. */
  host: string;
  name: string;
  server: Server;
}

export type TestInput = readonly HostTarget[] | readonly TestItem[] | ServerMap;

export interface TestOptions {
  /** Bound on start + initialize + tools/list for one server, in ms (default 10 s). */
  timeoutMs?: number;
  /** Servers tested at once (default 4). */
  concurrency?: number;
  /** Only these server names (every name must exist in the input). */
  servers?: readonly string[];
  /** Also test servers marked `disabled` (default: only when named in `servers`). */
  includeDisabled?: boolean;
  /** The environment `${VAR}` references resolve from and servers inherit (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Reads host files when the input is host targets (default: the real file system). */
  system?: System;
  /**
   * Resolves `${secret:…}`, `${op:…}` and `${pass:…}` (default: hatch's secret store in
   * `env`'s HATCH_HOME, 1Password's `op`, `pass`), as a sync writing the server would.
   */
  resolve?: RefResolver;
  /** Aborting stops every running test, kills its processes and reports it as interrupted. */
  signal?: AbortSignal;
  /** Called as each server's verdict is known, with the server's index in `results`. */
  onResult?: (result: ServerTestResult, index: number) => void;
}

export type FailureKind =
  | "unset-variable"
  | "command-not-found"
  | "spawn-failed"
  | "exited"
  | "timeout"
  | "protocol"
  | "http"
  | "connection"
  | "interrupted";

export interface TestFailure {
  kind: FailureKind;
  /** One line, secrets redacted: `exited with code 3`, `timed out after 10s waiting for initialize`. */
  message: string;
  /** The last lines the server wrote to stderr (redacted), when it is a local server. */
  stderr?: string[];
  exitCode?: number;
  signal?: string;
  httpStatus?: number;
  /** Variables that are not set, for `unset-variable`. */
  variables?: string[];
}

export interface ServerTestResult {
  host: string;
  server: string;
  transport: "stdio" | "http" | "sse";
  status: "ok" | "failed" | "skipped";
  elapsedMs: number;
  /** Tool names, in the order the server lists them (ok only). */
  tools?: string[];
  serverInfo?: { name: string; version: string };
  protocolVersion?: string;
  /** Why a server was skipped (`disabled`). */
  skipped?: string;
  error?: TestFailure;
}

export interface HostReadError {
  host: string;
  path: string;
  message: string;
}

export interface TestReport {
  results: ServerTestResult[];
  passed: number;
  failed: number;
  skipped: number;
  /** Host files that could not be read (their servers are not in `results`). */
  hostErrors: HostReadError[];
  /** Entries of readable host files that are not valid servers. */
  invalid: (InvalidEntry & { host: string })[];
}

// ---------------------------------------------------------------------------------------------
// Durations

/**
 * Parses `10s`, `500ms`, `2m`, `1.5s` or a plain number of seconds into milliseconds.
 * @throws UsageError for anything else, or for zero
 */
export function parseDuration(text: string, flag = "--timeout"): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/i.exec(text);
  const unit = m?.[2]?.toLowerCase() ?? "s";
  const ms = m ? Number(m[1]) * (unit === "ms" ? 1 : unit === "m" ? 60_000 : 1_000) : Number.NaN;
  if (!Number.isFinite(ms) || ms < 1) {
    throw new UsageError(
      `Invalid ${flag} "${text}": give a positive duration such as 10s, 500ms, 2m or a number of seconds`,
    );
  }
  return Math.round(ms);
}

/** `500ms`, `10s`, `1.5s`, `2m`: how a duration is written back to the user. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${ms}ms`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Number((ms / 1_000).toFixed(2))}s`;
}

// ---------------------------------------------------------------------------------------------
// Resolving a server definition into something to launch

type Launch =
  | {
      kind: "stdio";
      command: string;
      args: string[];
      env: Record<string, string>;
      cwd?: string;
      secrets: string[];
    }
  | { kind: "http" | "sse"; url: string; headers: Record<string, string>; secrets: string[] };

class Unresolved extends Error {}

/**
 * Resolves every reference through the one expander (core/envrefs.ts): `${VAR}` /
 * `${VAR:-default}` / `${env:VAR}` from `env` (collecting the names of unset variables), and
 * `${secret:…}`, `${op:…}`, `${pass:…}` through `resolve`, whose values are added to `secrets`
 * (redacted from anything the server prints).
 */
function expander(
  env: Readonly<Record<string, string | undefined>>,
  unset: Map<string, string>,
  resolve: RefResolver | undefined,
  secrets: string[],
) {
  const provider: RefResolver | undefined = resolve
    ? (ref) => {
        const v = resolve(ref);
        secrets.push(v);
        return v;
      }
    : undefined;
  return (value: string, where: string): string => {
    try {
      return expandRefs(value, env, provider, where, (name) => {
        if (!unset.has(name)) unset.set(name, where);
      });
    } catch (e) {
      // An unknown secret, a missing provider program, a provider's error: this server fails.
      if (e instanceof UsageError) throw new Unresolved(e.message);
      throw e;
    }
  };
}

/** KEY=VALUE lines, `#` comments, optional `export ` and quotes: what hosts accept as an env file. */
function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = (m[2] as string).trim();
    const q = value[0];
    if ((q === '"' || q === "'") && value.endsWith(q) && value.length >= 2) {
      value = value.slice(1, -1);
      if (q === '"') value = value.replace(/\\n/g, "\n").replace(/\\"/g, '"');
    } else {
      value = value.replace(/\s+#.*$/, "");
    }
    out[m[1] as string] = value;
  }
  return out;
}

function resolveLaunch(
  server: Server,
  env: Readonly<Record<string, string | undefined>>,
  resolve: RefResolver | undefined,
): Launch {
  const unset = new Map<string, string>();
  const secrets: string[] = [];
  const x = expander(env, unset, resolve, secrets);
  let launch: Launch;
  if (isRemote(server)) {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(server.headers ?? {})) {
      headers[k] = x(v, `headers.${k}`);
      secrets.push(headers[k] as string);
    }
    const url = x(server.url, "url");
    launch = { kind: server.transport ?? "http", url, headers, secrets };
  } else {
    const cwd = server.cwd !== undefined ? x(server.cwd, "cwd") : undefined;
    const childEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
    if (server.envFile !== undefined) {
      const file = x(server.envFile, "envFile");
      const path = isAbsolute(file) ? file : resolvePath(cwd ?? process.cwd(), file);
      try {
        const vars = parseEnvFile(readFileSync(path, "utf8"));
        Object.assign(childEnv, vars);
        secrets.push(...Object.values(vars));
      } catch (e) {
        throw new Unresolved(
          `cannot read envFile "${file}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        );
      }
    }
    for (const [k, v] of Object.entries(server.env ?? {})) {
      childEnv[k] = x(v, `env.${k}`);
      secrets.push(childEnv[k] as string);
    }
    launch = {
      kind: "stdio",
      command: x(server.command, "command"),
      args: (server.args ?? []).map((a, i) => x(a, `args[${i}]`)),
      env: childEnv,
      ...(cwd !== undefined ? { cwd } : {}),
      secrets,
    };
  }
  if (unset.size > 0) {
    const names = [...unset.keys()];
    const where = [...unset.values()];
    const err = new Unresolved(
      names.length === 1
        ? `environment variable "${names[0]}" is not set (used in ${where[0]})`
        : `environment variables ${names.map((n) => `"${n}"`).join(", ")} are not set (used in ${where.join(", ")})`,
    );
    (err as Unresolved & { variables?: string[] }).variables = names;
    throw err;
  }
  return launch;
}

/** Replaces every secret value (env values, header values) in a text with ******. */
function redactor(secrets: readonly string[]): (s: string) => string {
  const list = [...new Set(secrets.filter((s) => s.length >= 3))].sort((a, b) => b.length - a.length);
  return (s) => {
    let out = s;
    for (const v of list) out = out.split(v).join("******");
    return out;
  };
}

// ---------------------------------------------------------------------------------------------
// Process groups: every server we start, so that nothing outlives hatch

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === "win32") child.kill(signal);
    else process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone
  }
}

/**
 * Kills, at once and synchronously, every server process group `testServers` has started and
 * not yet reaped. For signal handlers: call it before exiting on SIGINT/SIGTERM.
 */
export function killAllServers(): void {
  for (const c of live) killGroup(c, "SIGKILL");
}

function track(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", killAllServers);
  }
  live.add(child);
}

interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * The SDK's stdio transport, with the server in its own process group (so that servers started
 * through npx, uvx or a shell die with their children) and a bounded close. The SDK's
 * StdioClientTransport can do neither: it spawns without `detached` and its close() waits up to
 * 4 s. Framing is the SDK's own (ReadBuffer, serializeMessage).
 */
class GroupStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  child: ChildProcess | undefined;
  /** The first line on stdout that was not a JSON-RPC message. */
  badLine: string | undefined;
  readonly exited: Promise<ExitInfo>;
  exit: ExitInfo | undefined;
  readonly #readBuffer = new (sdk().ReadBuffer)();
  #stderrTail = "";
  #setExit!: (e: ExitInfo) => void;

  constructor(readonly launch: Extract<Launch, { kind: "stdio" }>) {
    this.exited = new Promise((r) => {
      this.#setExit = r;
    });
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const { command, args, env, cwd } = this.launch;
      const child = sdk().spawn(command, args, {
        env,
        ...(cwd !== undefined ? { cwd } : {}),
        stdio: ["pipe", "pipe", "pipe"],
        detached: process.platform !== "win32",
        windowsHide: true,
      });
      this.child = child;
      child.once("error", (e) => {
        if (child.pid === undefined) reject(e);
        else this.onerror?.(e);
      });
      child.once("spawn", () => {
        track(child);
        resolve();
      });
      child.once("exit", (code, signal) => {
        live.delete(child);
        // The leader is gone; anything it left in its group goes too.
        killGroup(child, "SIGKILL");
        this.exit = { code, signal };
        this.#setExit(this.exit);
      });
      child.once("close", () => this.onclose?.());
      child.stdin?.on("error", () => {});
      child.stdout?.on("data", (chunk: Buffer) => {
        try {
          this.#readBuffer.append(chunk);
        } catch (e) {
          this.onerror?.(e as Error);
          return;
        }
        for (;;) {
          let msg: JSONRPCMessage | null;
          try {
            msg = this.#readBuffer.readMessage();
          } catch (e) {
            // The line is consumed; remember it for the report and read on.
            if (this.badLine === undefined) this.badLine = String((e as Error).message).slice(0, 200);
            continue;
          }
          if (msg === null) break;
          this.onmessage?.(msg);
        }
      });
      child.stderr?.on("data", (chunk: Buffer) => {
        this.#stderrTail = (this.#stderrTail + chunk.toString("utf8")).slice(-8192);
      });
    });
  }

  stderrLines(): string[] {
    return this.#stderrTail
      .split(/\r?\n/)
      .map((l) => l.trimEnd())
      .filter((l) => l.length > 0)
      .slice(-STDERR_LINES);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || stdin.destroyed) throw new Error("Not connected");
    if (!stdin.write(sdk().serializeMessage(message))) await new Promise((r) => stdin.once("drain", r));
  }

  /** Ends stdin, SIGTERMs the group, and SIGKILLs it after a grace period. Resolves once the leader exited. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child || child.pid === undefined) return;
    if (this.exit === undefined) {
      try {
        child.stdin?.end();
      } catch {}
      killGroup(child, "SIGTERM");
      let timer: ReturnType<typeof setTimeout> | undefined;
      const graceOver = new Promise((r) => {
        timer = setTimeout(r, KILL_GRACE_MS);
      });
      await Promise.race([this.exited, graceOver]);
      clearTimeout(timer);
      if (this.exit === undefined) {
        killGroup(child, "SIGKILL");
        await Promise.race([this.exited, new Promise((r) => setTimeout(r, KILL_GRACE_MS))]);
      }
    } else {
      killGroup(child, "SIGKILL");
    }
    child.stdout?.destroy();
    child.stderr?.destroy();
    this.#readBuffer.clear();
  }
}

// ---------------------------------------------------------------------------------------------
// One server

class Timeout extends Error {}
class Interrupted extends Error {}
class Exited extends Error {}

/** The server's own words from an SDK HTTP error, without the SDK's prefixes. */
function httpDetail(message: string): string {
  return message
    .replace(/^(Streamable HTTP|SSE) error: /, "")
    .replace(/^Error POSTing to endpoint( \(HTTP \d+\))?: ?/, "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 160);
}

function describeError(e: unknown, launch: Launch, phase: string, timeoutMs: number): TestFailure {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (e instanceof Timeout)
    return { kind: "timeout", message: `timed out after ${formatDuration(timeoutMs)} waiting for ${phase}` };
  if (e instanceof Interrupted) return { kind: "interrupted", message: "interrupted" };
  if (
    launch.kind === "stdio" &&
    typeof code === "string" &&
    (e as NodeJS.ErrnoException).syscall?.startsWith("spawn")
  ) {
    if (code === "ENOENT") {
      return {
        kind: "command-not-found",
        message: `command not found: "${launch.command}"${isAbsolute(launch.command) ? "" : " (not on PATH)"}`,
      };
    }
    if (code === "EACCES")
      return { kind: "spawn-failed", message: `cannot run "${launch.command}": permission denied` };
    return { kind: "spawn-failed", message: `cannot run "${launch.command}": ${code}` };
  }
  if (e instanceof sdk().StreamableHTTPError || e instanceof sdk().SseError) {
    const status = typeof e.code === "number" && e.code > 0 ? e.code : undefined;
    const detail = httpDetail(e.message);
    return status
      ? { kind: "http", message: `HTTP ${status}${detail ? `: ${detail}` : ""}`, httpStatus: status }
      : { kind: "protocol", message: `protocol error: ${detail}` };
  }
  const msg = e instanceof Error ? e.message : String(e);
  const postStatus = /Error POSTing to endpoint \(HTTP (\d{3})\)/.exec(msg);
  if (postStatus) {
    const status = Number(postStatus[1]);
    return {
      kind: "http",
      message: `HTTP ${status}${httpDetail(msg) ? `: ${httpDetail(msg)}` : ""}`,
      httpStatus: status,
    };
  }
  if (launch.kind !== "stdio") {
    const cause = (e as { cause?: { code?: string } })?.cause?.code ?? code;
    if (
      (typeof cause === "string" &&
        /^(ECONNREFUSED|ENOTFOUND|ECONNRESET|EHOSTUNREACH|ETIMEDOUT|ConnectionRefused)$/.test(cause)) ||
      /Unable to connect|fetch failed|ECONNREFUSED|ConnectionRefused/i.test(msg)
    ) {
      let where = launch.url;
      try {
        where = new URL(launch.url).host;
      } catch {}
      return { kind: "connection", message: `cannot connect to ${where}: ${cause ?? msg}` };
    }
  }
  if (e instanceof sdk().McpError) return { kind: "protocol", message: `protocol error: ${msg}` };
  return { kind: "protocol", message: `protocol error: ${msg.replace(/\s+/g, " ").slice(0, 200)}` };
}

function exitFailure(t: GroupStdioTransport): TestFailure {
  const exit = t.exit as ExitInfo;
  const stderr = t.stderrLines();
  return {
    kind: "exited",
    message:
      exit.code !== null
        ? `exited with code ${exit.code} before answering`
        : `killed by ${exit.signal ?? "a signal"} before answering`,
    ...(exit.code !== null ? { exitCode: exit.code } : {}),
    ...(exit.signal ? { signal: exit.signal } : {}),
    ...(stderr.length ? { stderr } : {}),
  };
}

function transportOf(s: Server): ServerTestResult["transport"] {
  return isRemote(s) ? (s.transport ?? "http") : "stdio";
}

type Verdict = Omit<ServerTestResult, "host" | "server" | "transport">;

async function runOne(launch: Launch, timeoutMs: number, signal: AbortSignal | undefined): Promise<Verdict> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const redact = redactor(launch.secrets);
  if (signal?.aborted)
    return { status: "failed", elapsedMs: 0, error: { kind: "interrupted", message: "interrupted" } };

  if (launch.kind === "stdio" && launch.cwd !== undefined) {
    let dir = false;
    try {
      dir = statSync(launch.cwd).isDirectory();
    } catch {}
    if (!dir) {
      return {
        status: "failed",
        elapsedMs: elapsed(),
        error: { kind: "spawn-failed", message: `working directory "${redact(launch.cwd)}" does not exist` },
      };
    }
  }

  await loadSdk();
  const stdio = launch.kind === "stdio" ? new GroupStdioTransport(launch) : undefined;
  let transport: Transport;
  if (stdio) transport = stdio;
  else {
    const url = new URL((launch as Extract<Launch, { url: string }>).url);
    const requestInit = { headers: (launch as Extract<Launch, { url: string }>).headers };
    transport =
      launch.kind === "sse"
        ? // The SDK sends requestInit's headers on the event stream's GET as well as on POSTs.
          new (sdk().SSEClientTransport)(url, { requestInit })
        : new (sdk().StreamableHTTPClientTransport)(url, {
            requestInit,
            reconnectionOptions: {
              maxRetries: 0,
              initialReconnectionDelay: 1000,
              maxReconnectionDelay: 1000,
              reconnectionDelayGrowFactor: 1,
            },
          });
  }
  let negotiated: string | undefined;
  const setVersion = transport.setProtocolVersion?.bind(transport);
  transport.setProtocolVersion = (v: string) => {
    negotiated = v;
    setVersion?.(v);
  };
  const client = new (sdk().Client)(CLIENT_INFO, { capabilities: {} });
  client.onerror = () => {};
  let phase = "initialize";

  const work = (async () => {
    await client.connect(transport, { timeout: timeoutMs + 1_000 });
    const info = client.getServerVersion();
    const tools: string[] = [];
    if (client.getServerCapabilities()?.tools) {
      phase = "tools/list";
      let cursor: string | undefined;
      for (let page = 0; page < MAX_TOOL_PAGES; page++) {
        const r = await client.listTools(cursor ? { cursor } : undefined, { timeout: timeoutMs + 1_000 });
        tools.push(...r.tools.map((t) => t.name));
        cursor = r.nextCursor;
        if (!cursor) break;
      }
    }
    return { info, tools, protocolVersion: negotiated };
  })();
  work.catch(() => {});

  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const guards = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout()), timeoutMs);
    onAbort = () => reject(new Interrupted());
    signal?.addEventListener("abort", onAbort, { once: true });
    stdio?.exited.then(() => {
      // Let the handshake win if the server answered and then exited; otherwise it exited first.
      setTimeout(() => reject(new Exited()), 50);
    });
  });
  guards.catch(() => {});

  try {
    const r = await Promise.race([work, guards]);
    return {
      status: "ok",
      elapsedMs: elapsed(),
      tools: r.tools,
      ...(r.info ? { serverInfo: { name: r.info.name, version: r.info.version } } : {}),
      ...(r.protocolVersion ? { protocolVersion: r.protocolVersion } : {}),
    };
  } catch (e) {
    let failure: TestFailure;
    if (stdio?.exit && !(e instanceof Timeout) && !(e instanceof Interrupted)) failure = exitFailure(stdio);
    else if (stdio?.badLine !== undefined && !(e instanceof Interrupted)) {
      failure = {
        kind: "protocol",
        message: `protocol error: the server wrote something other than JSON-RPC to stdout (${stdio.badLine})`,
      };
    } else failure = describeError(e, launch, phase, timeoutMs);
    if (stdio && failure.stderr === undefined && failure.kind !== "command-not-found") {
      const lines = stdio.stderrLines();
      if (lines.length) failure.stderr = lines;
    }
    failure.message = redact(failure.message);
    if (failure.stderr) failure.stderr = failure.stderr.map(redact);
    return { status: "failed", elapsedMs: elapsed(), error: failure };
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener("abort", onAbort);
    if (!stdio && transport instanceof sdk().StreamableHTTPClientTransport && transport.sessionId) {
      await Promise.race([
        transport.terminateSession().catch(() => {}),
        new Promise((r) => setTimeout(r, 500)),
      ]);
    }
    await Promise.race([
      client.close().catch(() => {}),
      new Promise((r) => setTimeout(r, 3 * KILL_GRACE_MS)),
    ]);
    if (stdio?.child && stdio.exit === undefined) killGroup(stdio.child, "SIGKILL");
  }
}

/**
 * Tests one server: resolves its `${VAR}` references, starts it (or connects to it), performs the
 * MCP initialize handshake and lists its tools, within `timeoutMs`.
 */
export async function testServer(item: TestItem, opts: TestOptions = {}): Promise<ServerTestResult> {
  const base = { host: item.host, server: item.name, transport: transportOf(item.server) };
  let launch: Launch;
  try {
    const env = opts.env ?? process.env;
    launch = resolveLaunch(item.server, env, opts.resolve ?? defaultResolver(env, opts.system));
  } catch (e) {
    if (!(e instanceof Unresolved)) throw e;
    const variables = (e as Unresolved & { variables?: string[] }).variables;
    return {
      ...base,
      status: "failed",
      elapsedMs: 0,
      error: {
        kind: variables ? "unset-variable" : "spawn-failed",
        message: e.message,
        ...(variables ? { variables } : {}),
      },
    };
  }
  return { ...base, ...(await runOne(launch, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, opts.signal)) };
}

// ---------------------------------------------------------------------------------------------
// Many servers

function isTargets(input: TestInput): input is readonly HostTarget[] {
  return Array.isArray(input) && input.length > 0 && "adapter" in (input[0] as object);
}

/** Stable identity of what would be launched, so the same server in several hosts starts once. */
function launchKey(
  server: Server,
  env: Readonly<Record<string, string | undefined>>,
  resolve: RefResolver,
): string {
  try {
    const { secrets: _s, ...l } = resolveLaunch(server, env, resolve);
    if (l.kind === "stdio") {
      // The inherited environment is the same for every server; only the server's own part matters.
      const s = server as { env?: Record<string, string>; envFile?: string };
      return JSON.stringify([l.command, l.args, l.cwd, s.env ?? {}, s.envFile]);
    }
    return JSON.stringify(l);
  } catch {
    return `unresolved:${Math.random()}`;
  }
}

/**
 * Tests servers in parallel (at most `concurrency` at a time) and reports one verdict each.
 * The input is host files (every server of each, read through `system`), items, or a ServerMap.
 * @throws UsageError when `servers` names a server that none of the inputs has
 * @example
 * const report = await testServers(resolveTargets(ws, "cursor"), { timeoutMs: 5_000 });
 * for (const r of report.results) console.log(r.host, r.server, r.status, r.tools?.length);
 */
export async function testServers(input: TestInput, opts: TestOptions = {}): Promise<TestReport> {
  const env = opts.env ?? process.env;
  // One resolver for the run: a secret shared by servers is read once.
  const resolve = opts.resolve ?? defaultResolver(env, opts.system);
  const hostErrors: HostReadError[] = [];
  const invalid: TestReport["invalid"] = [];
  let items: TestItem[];
  if (input instanceof Map) {
    items = [...input].map(([name, server]) => ({ host: "", name, server }));
  } else if (isTargets(input)) {
    const system = opts.system ?? new RealSystem();
    items = [];
    for (const t of input) {
      try {
        const r = readHost(t, system);
        for (const [name, server] of r.servers) items.push({ host: t.name, name, server });
        for (const bad of r.invalid) invalid.push({ host: t.name, ...bad });
      } catch (e) {
        if (!(e instanceof HostParseError)) throw e;
        hostErrors.push({ host: t.name, path: t.path, message: e.message });
      }
    }
  } else {
    items = [...(input as readonly TestItem[])];
  }

  const wanted = opts.servers && opts.servers.length > 0 ? new Set(opts.servers) : undefined;
  if (wanted) {
    const have = new Set(items.map((i) => i.name));
    for (const n of wanted) {
      if (!have.has(n) && hostErrors.length === 0) {
        const s = suggest(n, have);
        throw new UsageError(
          `Unknown server "${n}"${s ? `: did you mean "${s}"?` : ""}`,
          have.size
            ? `Servers found: ${[...have].sort().join(", ")}`
            : "No servers are configured in the selected hosts",
        );
      }
    }
    items = items.filter((i) => wanted.has(i.name));
  }

  const results: ServerTestResult[] = new Array(items.length);
  const emit = (i: number, r: ServerTestResult) => {
    results[i] = r;
    opts.onResult?.(r, i);
  };
  const shared = new Map<string, Promise<ServerTestResult>>();
  const queue: number[] = [];
  for (const [i, item] of items.entries()) {
    if (item.server.disabled && !opts.includeDisabled && !wanted?.has(item.name)) {
      emit(i, {
        host: item.host,
        server: item.name,
        transport: transportOf(item.server),
        status: "skipped",
        elapsedMs: 0,
        skipped: "disabled",
      });
    } else queue.push(i);
  }
  // Order matters for the callback, not for the work: callbacks fire as results arrive.
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? DEFAULT_CONCURRENCY));
  let next = 0;
  const worker = async () => {
    while (next < queue.length) {
      const i = queue[next++] as number;
      const item = items[i] as TestItem;
      const key = launchKey(item.server, env, resolve);
      let p = shared.get(key);
      if (!p) {
        p = testServer(item, { ...opts, resolve });
        shared.set(key, p);
      }
      const r = await p;
      emit(i, { ...r, host: item.host, server: item.name });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  return {
    results,
    passed: results.filter((r) => r.status === "ok").length,
    failed: results.filter((r) => r.status === "failed").length,
    skipped: results.filter((r) => r.status === "skipped").length,
    hostErrors,
    invalid,
  };
}

/**
 * For `hatch mcp sync --verify-servers`: tests the named servers of the given host files (all of
 * their servers when `names` is empty or undefined) and reports whether every one passed.
 * @example
 * const report = await verifyServers(ws, [sourceTarget], ["weather-api"], { timeoutMs: 10_000 });
 * if (!report.ok) throw new UsageError(`Servers failed verification: ${report.failedNames.join(", ")}`);
 */
export async function verifyServers(
  ws: Workspace,
  targets: readonly HostTarget[],
  names: readonly string[] | undefined,
  opts: Omit<TestOptions, "servers" | "system" | "env"> = {},
): Promise<TestReport & { ok: boolean; failedNames: string[] }> {
  const report = await testServers(targets, {
    ...opts,
    env: ws.env,
    system: ws.system,
    ...(names?.length ? { servers: names } : {}),
  });
  const failedNames = report.results.filter((r) => r.status === "failed").map((r) => r.server);
  return { ...report, ok: failedNames.length === 0 && report.hostErrors.length === 0, failedNames };
}
