// `hatch mcp configure NAME` and `hatch mcp remove server NAME`: change one server on hosts or in
// an environment through the same plan/apply path as sync (preview, confirm, lock, backup,
// atomic write, verify). Every target is read, and the new server validated, before any write.
import { applyPlans, type HostOutcome } from "../../apply/apply.ts";
import { type HostRead, type HostTarget, readHost } from "../../store/hostfile.ts";
import { hostPlansJson, secretRedactor } from "../../api/sync.ts";
import { resolveTargets, splitList } from "../../store/targets.ts";
import { defaultWorkspace, type Workspace } from "../../store/workspace.ts";
import { UsageError } from "../../core/errors.ts";
import { CANONICAL_FIELDS, type CanonicalField, parseServer, type Server } from "../../core/model.ts";
import { type HostPlan, planTarget } from "../../core/plan.ts";
import type { HostAdapter } from "../../hosts/_adapter.ts";
import { tildify } from "../../hosts/_paths.ts";
import { HOSTS, suggest } from "../../hosts/registry.ts";
import { envAdapter, envTarget } from "../../store/envs.ts";
import {
  type Command,
  type Invocation,
  JSON_OPTION,
  type OptionSpec,
  PROJECT_OPTION,
  SHOW_SECRETS_OPTION,
  str,
} from "../command.ts";
import { confirm } from "../confirm.ts";
import { renderHostPlan } from "../render.ts";
import type { Output } from "../output.ts";
import { autoApproved } from "./sync.ts";

const ADAPTERS: ReadonlyMap<string, HostAdapter> = new Map([
  ...HOSTS.map((h) => [h.id, h] as const),
  [envAdapter.id, envAdapter] as const,
]);
const ALL_FIELDS: ReadonlySet<CanonicalField> = new Set(CANONICAL_FIELDS);

const TARGET_OPTIONS: Record<string, OptionSpec> = {
  host: {
    type: "string",
    value: "LIST",
    description: "Target hosts: ids, custom hosts, groups, comma-separated, or all",
    complete: "hosts",
  },
  env: {
    type: "string",
    value: "ENV",
    description: "Target environment (instead of hosts)",
    complete: "envs",
  },
};
const APPLY_OPTIONS: Record<string, OptionSpec> = {
  "dry-run": { type: "boolean", description: "Print the plan and write nothing" },
  "auto-approve": {
    type: "boolean",
    short: "y",
    description: "Apply without asking (also HATCH_AUTO_APPROVE=1)",
  },
  "no-backup": { type: "boolean", description: "Do not snapshot the target files before writing" },
  project: PROJECT_OPTION,
  json: JSON_OPTION,
  "show-secrets": SHOW_SECRETS_OPTION,
};

// ---------------------------------------------------------------------------------------------
// Flags

/** Splits one --args value as a POSIX shell would (quotes and backslashes), like Python's shlex. */
export function shellSplit(s: string): string[] {
  const out: string[] = [];
  let cur = "";
  let has = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else cur += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === "\\" && i + 1 < s.length && /["\\$`]/.test(s[i + 1] as string)) cur += s[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      has = true;
    } else if (c === "\\" && i + 1 < s.length) {
      cur += s[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has || cur) out.push(cur);
      cur = "";
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (quote) {
    throw new UsageError(
      `Invalid --args value ${JSON.stringify(s)}: unclosed ${quote} quote`,
      "Close the quote, or pass each argument with its own --args",
    );
  }
  if (has || cur) out.push(cur);
  return out;
}

function list(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  return Array.isArray(v)
    ? v.filter((x): x is string => typeof x === "string")
    : typeof v === "string"
      ? [v]
      : [];
}

function keyValues(flag: string, v: unknown): Record<string, string> | undefined {
  const items = list(v);
  if (!items) return undefined;
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf("=");
    const key = eq < 0 ? "" : item.slice(0, eq).trim();
    if (eq < 0 || key === "") {
      throw new UsageError(
        `Invalid --${flag} ${JSON.stringify(item)}: expected KEY=VALUE`,
        `For example: --${flag} API_KEY=\${API_KEY}`,
      );
    }
    out[key] = item.slice(eq + 1).trim();
  }
  return out;
}

export interface ConfigureFlags {
  command?: string;
  args?: string[];
  url?: string;
  transport?: "http" | "sse";
  env?: Record<string, string>;
  headers?: Record<string, string>;
  cwd?: string;
  envFile?: string;
  timeout?: number;
  includeTools?: string[];
  excludeTools?: string[];
  autoApprove?: string[];
  disabled?: boolean;
  description?: string;
}

/** Reads and cross-checks the server flags (before any file is read). */
export function configureFlags(values: Invocation["values"]): ConfigureFlags {
  const f: ConfigureFlags = {};
  const command = str(values.command);
  let url = str(values.url);
  const httpUrl = str(values["http-url"]);
  if (httpUrl !== undefined) {
    if (url !== undefined)
      throw new UsageError("Give --url or --http-url, not both", "--http-url U is --url U --transport http");
    url = httpUrl;
  }
  if (command !== undefined && url !== undefined) {
    throw new UsageError(
      "Give --command (a local server) or --url (a remote server), not both",
      "A server either runs a program or connects to a URL",
    );
  }
  if (command !== undefined) f.command = command;
  if (url !== undefined) f.url = url;
  const args = list(values.args);
  if (args) f.args = args.flatMap(shellSplit);
  const transport = str(values.transport) ?? (httpUrl !== undefined ? "http" : undefined);
  if (transport !== undefined) {
    if (transport !== "http" && transport !== "sse") {
      throw new UsageError(
        `Invalid --transport "${transport}": expected "http" or "sse"`,
        "Local servers need no transport: use --command",
      );
    }
    if (httpUrl !== undefined && str(values.transport) === "sse") {
      throw new UsageError("--http-url means --transport http, not sse", "Use --url U --transport sse");
    }
    f.transport = transport;
  }
  const env = keyValues("env-var", values["env-var"]);
  if (env) f.env = env;
  const headers = keyValues("header", values.header);
  if (headers) f.headers = headers;
  const cwd = str(values.cwd);
  if (cwd !== undefined) f.cwd = cwd;
  const envFile = str(values["env-file"]);
  if (envFile !== undefined) f.envFile = envFile;
  const timeout = str(values.timeout);
  if (timeout !== undefined) {
    if (!/^\d+$/.test(timeout.trim())) {
      throw new UsageError(
        `Invalid --timeout "${timeout}": expected a whole number of milliseconds`,
        "For example: --timeout 30000",
      );
    }
    f.timeout = Number(timeout.trim());
  }
  const tools = (flag: string) => {
    const l = list(values[flag]);
    return l ? splitList(l) : undefined;
  };
  const inc = tools("include-tools");
  if (inc) f.includeTools = inc;
  const exc = tools("exclude-tools");
  if (exc) f.excludeTools = exc;
  const auto = tools("auto-approve-tools");
  if (auto) f.autoApprove = auto;
  if (values.disabled === true && values.enabled === true) {
    throw new UsageError(
      "Give --disabled or --enabled, not both",
      "--disabled turns the server off, --enabled back on",
    );
  }
  if (values.disabled === true) f.disabled = true;
  if (values.enabled === true) f.disabled = false;
  const description = str(values.description);
  if (description !== undefined) f.description = description;
  // Remote-only and local-only flags against the transport flag given (Python's checks).
  if (command !== undefined) {
    if (f.headers)
      throw new UsageError(
        "--header can only be used with --url (remote servers)",
        "Drop --header, or give --url instead of --command",
      );
    if (f.transport)
      throw new UsageError(
        "--transport can only be used with --url (remote servers)",
        "Local servers (--command) need no transport",
      );
  }
  if (url !== undefined) {
    for (const [flag, set] of [
      ["args", f.args],
      ["env-var", f.env],
      ["cwd", f.cwd],
      ["env-file", f.envFile],
    ] as const) {
      if (set !== undefined) {
        throw new UsageError(
          `--${flag} can only be used with --command (local servers)`,
          `Drop --${flag}, or give --command instead of --url`,
        );
      }
    }
  }
  return f;
}

function hasChange(f: ConfigureFlags): boolean {
  return Object.keys(f).length > 0;
}

const LOCAL_FIELDS = ["command", "args", "env", "cwd", "envFile"] as const;
const REMOTE_FIELDS = ["url", "transport", "headers"] as const;
const FLAG_OF: Record<string, string> = {
  args: "--args",
  env: "--env-var",
  cwd: "--cwd",
  envFile: "--env-file",
  transport: "--transport",
  headers: "--header",
};

/**
 * The server after applying the flags to a target's existing entry (partial update): only the
 * given flags change; switching between --command and --url replaces the transport fields.
 * @throws UsageError for a new server without --command/--url or a flag of the other kind of
 *   server; ServerValidationError for an invalid result
 */
export function mergeServer(
  name: string,
  existing: Server | undefined,
  f: ConfigureFlags,
  where: string,
): Server {
  const s: Record<string, unknown> = existing ? structuredClone(existing) : {};
  if (!existing && f.command === undefined && f.url === undefined) {
    throw new UsageError(
      `Server "${name}" does not exist in ${where}: give --command (a local server) or --url (a remote server) to create it`,
      `For example: hatch mcp configure ${name} --command npx --args=-y --args ${name}`,
    );
  }
  if (f.command !== undefined) {
    for (const k of REMOTE_FIELDS) delete s[k];
    s.command = f.command;
  }
  if (f.url !== undefined) {
    for (const k of LOCAL_FIELDS) delete s[k];
    s.url = f.url;
  }
  const remote = s.url !== undefined;
  for (const k of remote ? LOCAL_FIELDS : REMOTE_FIELDS) {
    const flag = FLAG_OF[k];
    const given = k === "env" ? f.env : k === "headers" ? f.headers : (f as Record<string, unknown>)[k];
    if (flag && given !== undefined) {
      throw new UsageError(
        `${flag} applies to ${remote ? "local" : "remote"} servers, but "${name}" in ${where} is a ${remote ? "remote server (url)" : "local server (command)"}`,
        remote
          ? "Give --command to turn it into a local server"
          : "Give --url to turn it into a remote server",
      );
    }
  }
  if (f.args !== undefined) s.args = f.args;
  if (f.env) s.env = { ...((s.env as Record<string, string> | undefined) ?? {}), ...f.env };
  if (f.headers) s.headers = { ...((s.headers as Record<string, string> | undefined) ?? {}), ...f.headers };
  for (const k of [
    "transport",
    "cwd",
    "envFile",
    "timeout",
    "includeTools",
    "excludeTools",
    "autoApprove",
    "description",
  ] as const) {
    if (f[k] !== undefined) s[k] = f[k];
  }
  if (f.disabled === true) s.disabled = true;
  // --enabled: only an entry that was disabled changes (hosts with an `enabled` key need false).
  if (f.disabled === false && s.disabled === true) s.disabled = false;
  return parseServer(name, s);
}

// ---------------------------------------------------------------------------------------------
// Targets, plans, rendering

function resolveCommandTargets(inv: Invocation, w: Workspace, verb: string): HostTarget[] {
  const host = str(inv.values.host);
  const env = str(inv.values.env);
  if (host !== undefined && env !== undefined) {
    throw new UsageError(
      "Give --host or --env, not both",
      `Run the ${verb} once for the hosts and once for the environment`,
    );
  }
  if (host === undefined && env === undefined) {
    throw new UsageError(
      `Missing target: give --host LIST (or all) or --env ENV`,
      "For example: --host claude-desktop,cursor",
    );
  }
  if (env !== undefined) return [envTarget(w, env)];
  const targets = resolveTargets(w, host as string);
  if (targets.length === 0) {
    throw new UsageError(
      `No host to ${verb}: "${host}" names no host on this machine`,
      'Run "hatch mcp list hosts" to see detected hosts',
    );
  }
  return targets;
}

function displayName(t: { host: string }): string {
  return t.host.startsWith("env:") ? `environment "${t.host.slice(4)}"` : `host "${t.host}"`;
}

function renderPlan(
  out: Output,
  inv: Invocation,
  plans: readonly HostPlan[],
  absent: readonly HostRead[],
): void {
  for (const h of plans) renderHostPlan(out, h, inv.ctx);
  for (const r of absent) {
    out.print(
      `  ${out.paint("bold", r.target.name)} (${tildify(inv.ctx, r.target.path)}): not configured there, nothing to remove`,
    );
  }
}

interface Outcome {
  plans: HostPlan[];
  extra?: Record<string, unknown>;
}

/** Preview → confirm → apply, shared by configure and remove. */
async function previewAndApply(
  inv: Invocation,
  w: Workspace,
  verb: "configure" | "remove",
  server: string,
  { plans, extra = {} }: Outcome,
  absent: readonly HostRead[],
): Promise<number> {
  const { out } = inv;
  const dryRun = inv.values["dry-run"] === true;
  const drift = plans.some((p) => p.changed);
  const base = {
    action: verb,
    server,
    ...extra,
    targets: hostPlansJson(plans, secretRedactor(out.showSecrets)),
  };
  if (!out.json) {
    out.print(`${verb === "configure" ? "Configure" : "Remove"} server "${server}":`);
    renderPlan(out, inv, plans, absent);
    out.print();
  }
  if (dryRun || !drift) {
    if (out.json) out.emitJson({ ...base, dryRun, ok: true, backupId: null, outcomes: [] });
    else
      out.print(
        dryRun
          ? "[DRY RUN] Nothing was written"
          : "Nothing to change: every target that can take it already has this configuration",
      );
    return 0;
  }
  if (!autoApproved(inv) && !(await confirm(out, "Proceed? [y/N]: "))) {
    if (out.json) out.emitJson({ ...base, dryRun: false, ok: false, cancelled: true, outcomes: [] });
    else out.print("Operation cancelled: nothing was written");
    return 1;
  }
  const res = applyPlans(w, plans, {
    backup: inv.values["no-backup"] !== true,
    reason: verb === "configure" ? "configure" : "remove server",
    command: `hatch ${process.argv.slice(2).join(" ")}`,
    adapters: ADAPTERS,
  });
  const ok = res.outcomes.every((o) => o.status !== "failed");
  if (out.json) {
    out.emitJson({ ...base, dryRun: false, ok, backupId: res.snapshot?.id ?? null, outcomes: res.outcomes });
    return ok ? 0 : 1;
  }
  if (res.snapshot)
    out.print(`${out.paint("green", "✓")} Backed up the files to change (snapshot ${res.snapshot.id})`);
  else out.print(`${out.paint("yellow", "!")} No backup (--no-backup)`);
  for (const o of res.outcomes) out.print(outcomeLine(out, verb, server, o, plans));
  if (!ok) {
    const n = res.outcomes.filter((o) => o.status === "failed").length;
    out.print(`${n} target${n === 1 ? "" : "s"} failed; the others were written`);
  }
  return ok ? 0 : 1;
}

function outcomeLine(
  out: Output,
  verb: string,
  server: string,
  o: HostOutcome,
  plans: readonly HostPlan[],
): string {
  if (o.status === "failed") return `${out.paint("red", "✗")} ${o.host}: ${o.error}`;
  const p = plans.find((x) => x.host === o.host && x.path === o.path);
  const c = p?.changes.find((x) => x.name === server);
  const what =
    c?.action === "skip"
      ? `skipped: ${c.reason}`
      : o.status === "unchanged"
        ? "unchanged"
        : verb === "remove"
          ? "removed"
          : c?.action === "add"
            ? "added"
            : "updated";
  return `${out.paint(c?.action === "skip" ? "yellow" : "green", c?.action === "skip" ? "!" : "✓")} ${o.host}: server "${server}" ${what}`;
}

// ---------------------------------------------------------------------------------------------
// Commands

export const configureCommand: Command = {
  path: ["mcp", "configure"],
  summary: "Add or change one server on hosts or in an environment (only the given flags change)",
  usage:
    "NAME (--host H[,H] | --env E) (--command C [--args A]... | --url U [--transport http|sse]) [--env-var K=V]... [--header K=V]... [--cwd D] [--timeout MS] [--include-tools a,b] [--exclude-tools a,b] [--disabled|--enabled] [--description D] [--dry-run] [--auto-approve] [--no-backup] [--json]",
  positionals: [{ name: "NAME", description: "The server's name", required: true }],
  options: {
    ...TARGET_OPTIONS,
    command: { type: "string", value: "CMD", description: "Program that runs a local (stdio) server" },
    args: {
      type: "string",
      multiple: true,
      value: "ARGS",
      description: 'Arguments of --command; repeatable, each split like a shell ("-m srv" is two)',
    },
    url: { type: "string", value: "URL", description: "URL of a remote server (http:// or https://)" },
    "http-url": { type: "string", value: "URL", description: "Same as --url URL --transport http" },
    transport: {
      type: "string",
      value: "http|sse",
      description: "Remote transport (default http)",
      complete: ["http", "sse"],
    },
    "env-var": {
      type: "string",
      multiple: true,
      value: "K=V",
      description: "Environment variable of a local server; repeatable",
    },
    header: {
      type: "string",
      multiple: true,
      value: "K=V",
      description: "HTTP header of a remote server; repeatable",
    },
    cwd: {
      type: "string",
      value: "DIR",
      description: "Working directory of a local server",
      complete: "dirs",
    },
    "env-file": {
      type: "string",
      value: "PATH",
      description: "Env file a local server loads (hosts that support it)",
      complete: "files",
    },
    timeout: {
      type: "string",
      value: "MS",
      description: "Timeout in milliseconds (converted to the host's unit)",
    },
    "include-tools": {
      type: "string",
      multiple: true,
      value: "a,b",
      description: "Only these tools (hosts that support it)",
    },
    "exclude-tools": {
      type: "string",
      multiple: true,
      value: "a,b",
      description: "Never these tools (hosts that support it)",
    },
    "auto-approve-tools": {
      type: "string",
      multiple: true,
      value: "a,b",
      description: "Tools the host may run without asking (hosts that support it)",
    },
    disabled: { type: "boolean", description: "Keep the server configured but turned off" },
    enabled: { type: "boolean", description: "Turn a disabled server back on" },
    description: { type: "string", value: "TEXT", description: "What the server is for" },
    ...APPLY_OPTIONS,
  },
  examples: [
    `hatch mcp configure weather-api --host claude-desktop,cursor --command npx --args=-y --args @example/weather-mcp --env-var 'API_KEY=\${WEATHER_KEY}'`,
    "hatch mcp configure news-api --host production-hosts --url https://news.example.com/mcp --header Authorization=Bearer-xyz",
    "hatch mcp configure weather-api --env production --timeout 30000 --dry-run",
  ],
  async run(inv) {
    const name = inv.positionals[0] as string;
    const flags = configureFlags(inv.values);
    if (!hasChange(flags)) {
      throw new UsageError(
        `Nothing to configure for "${name}": give --command or --url, or a field to change`,
        `Run "hatch mcp configure --help" to list the flags`,
      );
    }
    const w = defaultWorkspace(inv.env, inv.system);
    const targets = resolveCommandTargets(inv, w, "configure");
    // Read every target and build every server first: any problem stops here, nothing written.
    const reads = targets.map((t) => readHost(t, w.system));
    const wctx = { env: w.env, platform: w.ctx.platform };
    const plans = reads.map((r) => {
      const where = displayName({ host: r.target.name });
      if (!r.servers.has(name) && r.invalid.some((i) => i.name === name)) {
        inv.out.warn(
          `The existing entry "${name}" in ${where} is not a valid server: it is rebuilt from the flags given`,
        );
      }
      const server = mergeServer(name, r.servers.get(name), flags, where);
      return planTarget(
        new Map([[name, server]]),
        ALL_FIELDS,
        { ...r, name: r.target.name, path: r.target.path, adapter: r.target.adapter },
        wctx,
      );
    });
    const skipped = plans.filter((p) => p.changes.some((c) => c.action === "skip"));
    if (skipped.length === plans.length) {
      const reasons = skipped.map((p) => `${p.host}: ${p.changes.find((c) => c.action === "skip")?.reason}`);
      throw new UsageError(
        `Cannot configure server "${name}" on ${plans.length === 1 ? "this target" : "any target"}: ${reasons.join("; ")}`,
        "Choose hosts that can run this kind of server",
      );
    }
    return previewAndApply(inv, w, "configure", name, { plans }, []);
  },
};

export const removeServerCommand: Command = {
  path: ["mcp", "remove", "server"],
  summary: "Remove one server from hosts or from an environment",
  usage: "NAME (--host H[,H]|all | --env E) [--dry-run] [--auto-approve] [--no-backup] [--json]",
  positionals: [{ name: "NAME", description: "The server's name", required: true }],
  options: { ...TARGET_OPTIONS, ...APPLY_OPTIONS },
  examples: [
    "hatch mcp remove server weather-api --host cursor,vscode",
    "hatch mcp remove server dev-tools --host all --dry-run",
    "hatch mcp remove server weather-api --env staging --auto-approve",
  ],
  async run(inv) {
    const name = inv.positionals[0] as string;
    const w = defaultWorkspace(inv.env, inv.system);
    const targets = resolveCommandTargets(inv, w, "remove");
    const reads = targets.map((t) => readHost(t, w.system));
    const having = reads.filter((r) => r.raw.has(name));
    const absent = reads.filter((r) => !r.raw.has(name));
    if (having.length === 0) {
      const s = suggest(name, new Set(reads.flatMap((r) => [...r.raw.keys()])));
      const where =
        reads.length === 1
          ? displayName({ host: reads[0]?.target.name ?? "" })
          : `any of ${reads.map((r) => r.target.name).join(", ")}`;
      throw new UsageError(
        `Server "${name}" is not configured in ${where}${s ? `: did you mean "${s}"?` : ""}`,
        `List the servers with "hatch mcp list servers${str(inv.values.env) ? ` --env ${str(inv.values.env)}` : ` --host ${str(inv.values.host)}`}"`,
      );
    }
    const wctx = { env: w.env, platform: w.ctx.platform };
    const plans = having.map((r) =>
      planTarget(
        new Map(),
        ALL_FIELDS,
        { ...r, name: r.target.name, path: r.target.path, adapter: r.target.adapter },
        wctx,
        {
          mirror: true,
          covers: (n) => n === name,
        },
      ),
    );
    return previewAndApply(
      inv,
      w,
      "remove",
      name,
      { plans, extra: { notConfigured: absent.map((r) => ({ host: r.target.name, path: r.target.path })) } },
      absent,
    );
  },
};
