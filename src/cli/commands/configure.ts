// `hatch mcp configure NAME` and `hatch mcp remove server NAME`: change one server on hosts or in
// an environment through the same plan/apply path as sync (preview, confirm, lock, backup,
// atomic write, verify). Every target is read, and the new server validated, before any write.
import { splitShellWords } from "../../core/shellwords.ts";
import { type ConfigurePlan, configure, type RemovePlan, remove } from "../../api/configure.ts";
import type { HostOutcome, Result } from "../../api/engine.ts";
import { env as envRef } from "../../api/sync.ts";
import { splitList } from "../../store/targets.ts";
import { checkSpec, type FieldWords, hasChange, type ServerSpec } from "../../core/configure.ts";
import { UsageError } from "../../core/errors.ts";
import type { HostPlan } from "../../core/plan.ts";
import { tildify } from "../../hosts/_paths.ts";
import { defaultWorkspace, type Workspace } from "../../store/workspace.ts";
import { type Invocation, str } from "../command.ts";
import { approve } from "../flow.ts";
import type { Output } from "../output.ts";
import { renderHostPlan } from "../render.ts";

/** The flags that set each field, for errors about them. */
export const CLI_WORDS: FieldWords = {
  command: "--command",
  args: "--args",
  url: "--url",
  transport: "--transport",
  env: "--env-var",
  headers: "--header",
  cwd: "--cwd",
  envFile: "--env-file",
  timeout: "--timeout",
  includeTools: "--include-tools",
  excludeTools: "--exclude-tools",
  autoApprove: "--auto-approve-tools",
  disabled: "--disabled",
  description: "--description",
};

// ---------------------------------------------------------------------------------------------
// Flags

/** Splits one --args value as a POSIX shell would (quotes and backslashes), like Python's shlex. */
export function shellSplit(s: string): string[] {
  return splitShellWords(
    s,
    (quote) =>
      new UsageError(
        `Invalid --args value ${JSON.stringify(s)}: unclosed ${quote} quote`,
        "Close the quote, or pass each argument with its own --args",
      ),
  );
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

export type ConfigureFlags = ServerSpec;

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
  checkSpec(f, CLI_WORDS);
  return f;
}

// ---------------------------------------------------------------------------------------------
// Targets, plans, rendering

/** `--host LIST` or `--env E` as the builders' targets (the API resolves and checks them). */
function commandTargets(inv: Invocation): (string | ReturnType<typeof envRef>)[] {
  const host = str(inv.values.host);
  const env = str(inv.values.env);
  if (host !== undefined && env !== undefined) {
    throw new UsageError(
      "Give --host or --env, not both",
      "Run it once for the hosts and once for the environment",
    );
  }
  if (host === undefined && env === undefined) {
    throw new UsageError(
      "Missing target: give --host LIST (or all) or --env ENV",
      "For example: --host claude-desktop,cursor",
    );
  }
  if (env !== undefined) return [envRef(env)];
  const names = splitList(host as string);
  if (names.length === 0)
    throw new UsageError("--host is empty", "Give host names separated by commas, or all");
  return names;
}

/** What configure and remove share of their builders. */
interface MutationBuilder<P extends ConfigurePlan | RemovePlan> {
  plan(): Promise<P>;
  applyPlan(plan: P, opts: { confirmed?: boolean }): Promise<Result<P>>;
}

/** Preview → confirm → apply, and the rendering of each step (configure and remove). */
export async function previewAndApply<P extends ConfigurePlan | RemovePlan>(
  inv: Invocation,
  builder: MutationBuilder<P>,
): Promise<number> {
  const { out } = inv;
  const plan = await builder.plan();
  const verb = plan.kind;
  const server = plan.server;
  const dryRun = inv.values["dry-run"] === true;
  if (plan.kind === "configure") for (const w of plan.warnings) out.warn(w);
  if (!out.json) {
    out.print(`${verb === "configure" ? "Configure" : "Remove"} server "${server}":`);
    for (const h of plan.hosts) renderHostPlan(out, h, inv.ctx);
    if (plan.kind === "remove") {
      for (const r of plan.notConfigured)
        out.print(
          `  ${out.paint("bold", r.host)} (${tildify(inv.ctx, r.path)}): not configured there, nothing to remove`,
        );
    }
    out.print();
  }
  if (dryRun || !plan.drift) {
    if (out.json)
      out.emitJson({ ...(plan.toJSON() as object), dryRun, ok: true, backupId: null, outcomes: [] });
    else
      out.print(
        dryRun
          ? "[DRY RUN] Nothing was written"
          : "Nothing to change: every target that can take it already has this configuration",
      );
    return 0;
  }
  const approval = await approve(inv, {
    json: () => ({ ...(plan.toJSON() as object), dryRun: false, outcomes: [] }),
    text: "Operation cancelled: nothing was written",
  });
  if (!approval.go) return approval.code;
  const { confirmed } = approval;
  const res = await builder.applyPlan(plan, { confirmed });
  if (out.json) {
    out.emitJson(res.toJSON());
    return res.ok ? 0 : 1;
  }
  if (res.backupId)
    out.print(`${out.paint("green", "✓")} Backed up the files to change (snapshot ${res.backupId})`);
  else if (inv.values["no-backup"] === true) out.print(`${out.paint("yellow", "!")} No backup (--no-backup)`);
  for (const o of res.outcomes) {
    const line = outcomeLine(out, verb, server, o, plan.hosts);
    if (o.status === "failed") out.printProblem(line);
    else out.print(line);
  }
  if (!res.ok) {
    const n = res.outcomes.filter((o) => o.status === "failed").length;
    const written = res.outcomes.filter((o) => o.status === "written").length;
    out.printProblem(
      `${n} target${n === 1 ? "" : "s"} failed; ${written === 0 ? "nothing was written" : `${written} other${written === 1 ? " was" : "s were"} written`}`,
    );
  }
  return res.ok ? 0 : 1;
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

export async function runConfigure(inv: Invocation): Promise<number> {
  const name = inv.positionals[0] as string;
  const flags = configureFlags(inv.values);
  if (!hasChange(flags)) {
    throw new UsageError(
      `Nothing to configure for "${name}": give --command or --url, or a field to change`,
      `Run "hatch mcp configure --help" to list the flags`,
    );
  }
  let b = configure(name)
    .words(CLI_WORDS)
    .spec(flags)
    .on(commandTargets(inv))
    .label(`hatch ${process.argv.slice(2).join(" ")}`);
  b = applySettings(b, inv);
  return previewAndApply(inv, b);
}

/** The flags every mutating command shares, on a builder. */
function applySettings<
  B extends { withWorkspace(ws: Workspace): B; noBackup(): B; showSecrets(on?: boolean): B },
>(b: B, inv: Invocation): B {
  let x = b.withWorkspace(defaultWorkspace(inv.env, inv.system));
  if (inv.values["no-backup"] === true) x = x.noBackup();
  if (inv.out.showSecrets) x = x.showSecrets();
  return x;
}

export async function runRemoveServer(inv: Invocation): Promise<number> {
  const name = inv.positionals[0] as string;
  const b = remove(name)
    .from(commandTargets(inv))
    .label(`hatch ${process.argv.slice(2).join(" ")}`);
  return previewAndApply(inv, applySettings(b, inv));
}
