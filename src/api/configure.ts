// `configure(name)` and `remove(name)`: change one server on hosts or in environments, through the
// same plan → apply path as sync (api/engine.ts). `hatch mcp configure` and `hatch mcp remove
// server` only turn argv into these builders and render their plans and results.
import {
  API_WORDS,
  checkSpec,
  type FieldWords,
  hasChange,
  mergeServer,
  type ServerSpec,
} from "../core/configure.ts";
import { UsageError } from "../core/errors.ts";
import { CANONICAL_FIELDS, type CanonicalField } from "../core/model.ts";
import { failIfUnsetEverywhere, type HostPlan, planTarget } from "../core/plan.ts";
import { pathsFor } from "../hosts/_paths.ts";
import { suggest } from "../hosts/registry.ts";
import { type HostRead, type HostTarget, readHost } from "../store/hostfile.ts";
import { writeContext } from "../secrets/resolve.ts";
import { defaultWorkspace, type Workspace } from "../store/workspace.ts";
import {
  ApplyingBuilder,
  type ApplySettings,
  execute,
  holdsSecret,
  makePlan,
  type Plan,
  type Result,
  replannable,
} from "./engine.ts";
import { flat, type HostName, type Ref, resolveRefs } from "./sync.ts";

const ALL_FIELDS: ReadonlySet<CanonicalField> = new Set(CANONICAL_FIELDS);

export interface ConfigurePlan extends Plan {
  kind: "configure";
  server: string;
  /** Existing entries of that name that are not valid servers: rebuilt from the fields given. */
  warnings: string[];
}

export interface RemovePlan extends Plan {
  kind: "remove";
  server: string;
  /** Targets that do not hold the server (nothing to do there). */
  notConfigured: { host: string; path: string }[];
}

interface Common {
  targets: readonly (string | Ref)[];
  dryRun: boolean;
  backup: boolean;
  showSecrets: boolean;
  label?: string;
  workspace?: Workspace;
  project?: string;
  words: FieldWords;
}

function initial(): Common {
  return { targets: [], dryRun: false, backup: true, showSecrets: false, words: API_WORDS };
}

function workspaceOf(c: Common): Workspace {
  const ws = c.workspace ?? defaultWorkspace();
  return c.project ? { ...ws, project: pathsFor(ws.ctx).resolve(c.project) } : ws;
}

function settingsOf(c: Common): ApplySettings {
  return {
    dryRun: c.dryRun,
    backup: c.backup,
    showSecrets: c.showSecrets,
    ...(c.label ? { label: c.label } : {}),
  };
}

/** `host "cursor"` or `environment "staging"`. */
export function displayName(host: string): string {
  return host.startsWith("env:") ? `environment "${host.slice(4)}"` : `host "${host}"`;
}

function targetsOf(ws: Workspace, c: Common, method: string, verb: string): HostTarget[] {
  if (c.targets.length === 0)
    throw new UsageError(
      `No target: call ${method} with hosts, groups, "all" or env("…")`,
      `For example: ${method.replace("()", '("cursor")')}`,
    );
  const ts = resolveRefs(ws, c.targets);
  if (ts.length === 0)
    throw new UsageError(
      `No host to ${verb}: ${c.targets.map((t) => JSON.stringify(typeof t === "string" ? t : t.name)).join(", ")} names no host on this machine`,
      'Run "hatch mcp list hosts" to see detected hosts',
    );
  return ts;
}

function asTarget(r: HostRead) {
  return { ...r, name: r.target.name, path: r.target.path, adapter: r.target.adapter };
}

function strings(items: readonly (string | readonly string[])[], method: string): string[] {
  const out = flat(items, method);
  for (const s of out) if (typeof s !== "string") throw new TypeError(`${method} takes strings`);
  return out;
}

function record(v: Record<string, string>, method: string): Record<string, string> {
  if (!v || typeof v !== "object" || Array.isArray(v))
    throw new TypeError(`${method} takes an object of names to values`);
  for (const [k, x] of Object.entries(v))
    if (typeof x !== "string") throw new TypeError(`${method}: the value of "${k}" must be a string`);
  return { ...v };
}

/**
 * Adds or changes one server on hosts or in environments; only the fields given change. Immutable
 * and lazy like `sync()`, and not thenable: nothing happens until `.plan()` or `.apply()`.
 * @example
 * await configure("weather").on("cursor", env("staging")).command("uvx").args("weather-mcp").env({ KEY: "${env:WEATHER_KEY}" }).apply();
 */
export class ConfigureBuilder extends ApplyingBuilder<ConfigureBuilder> {
  readonly #name: string;
  readonly #c: Common;
  readonly #spec: ServerSpec;

  constructor(name: string, c: Common = initial(), spec: ServerSpec = {}) {
    super();
    if (typeof name !== "string" || name === "") throw new TypeError("configure() needs a server name");
    this.#name = name;
    this.#c = c;
    this.#spec = spec;
  }

  #set(patch: ServerSpec): ConfigureBuilder {
    return new ConfigureBuilder(this.#name, this.#c, { ...this.#spec, ...patch });
  }
  protected withSettings(patch: Partial<Common>): ConfigureBuilder {
    return new ConfigureBuilder(this.#name, { ...this.#c, ...patch }, this.#spec);
  }

  /** Where: host ids, custom hosts, groups, `"all"`, `env("name")`, as arguments or arrays. */
  on(...targets: (HostName | Ref | readonly (HostName | Ref)[])[]): ConfigureBuilder {
    return this.withSettings({ targets: [...this.#c.targets, ...flat(targets, ".on()")] });
  }
  /** The program of a local (stdio) server. */
  command(program: string): ConfigureBuilder {
    return this.#set({ command: program });
  }
  /** The program's arguments (replace the old ones), as arguments or an array. */
  args(...args: (string | readonly string[])[]): ConfigureBuilder {
    return this.#set({ args: strings(args, ".args()") });
  }
  /** The URL of a remote server. */
  url(url: string): ConfigureBuilder {
    return this.#set({ url });
  }
  /** The remote transport. */
  transport(t: "http" | "sse"): ConfigureBuilder {
    return this.#set({ transport: t });
  }
  /** Environment variables (merged into the existing ones); values may be references like `${env:KEY}`. */
  env(vars: Record<string, string>): ConfigureBuilder {
    return this.#set({ env: { ...(this.#spec.env ?? {}), ...record(vars, ".env()") } });
  }
  /** HTTP headers of a remote server (merged into the existing ones). */
  headers(h: Record<string, string>): ConfigureBuilder {
    return this.#set({ headers: { ...(this.#spec.headers ?? {}), ...record(h, ".headers()") } });
  }
  /** Working directory of a local server. */
  cwd(dir: string): ConfigureBuilder {
    return this.#set({ cwd: dir });
  }
  /** Env file a local server loads (hosts that support it). */
  envFile(path: string): ConfigureBuilder {
    return this.#set({ envFile: path });
  }
  /** Timeout in milliseconds (converted to each host's unit). */
  timeout(ms: number): ConfigureBuilder {
    return this.#set({ timeout: ms });
  }
  /** Only these tools (hosts that support it). */
  includeTools(...tools: (string | readonly string[])[]): ConfigureBuilder {
    return this.#set({ includeTools: strings(tools, ".includeTools()") });
  }
  /** Never these tools (hosts that support it). */
  excludeTools(...tools: (string | readonly string[])[]): ConfigureBuilder {
    return this.#set({ excludeTools: strings(tools, ".excludeTools()") });
  }
  /** Tools the host may run without asking (hosts that support it). */
  autoApprove(...tools: (string | readonly string[])[]): ConfigureBuilder {
    return this.#set({ autoApprove: strings(tools, ".autoApprove()") });
  }
  /** Keep the server configured but turned off (`false`: turn a disabled server back on). */
  disabled(on = true): ConfigureBuilder {
    return this.#set({ disabled: on });
  }
  /** Turn a disabled server back on. */
  enabled(): ConfigureBuilder {
    return this.#set({ disabled: false });
  }
  /** What the server is for. */
  description(text: string): ConfigureBuilder {
    return this.#set({ description: text });
  }
  /** All fields at once (what the CLI parsed from its flags). */
  spec(s: ServerSpec): ConfigureBuilder {
    return this.#set(s);
  }
  /** How errors name the fields (the CLI names its flags). */
  words(w: FieldWords): ConfigureBuilder {
    return this.withSettings({ words: w });
  }

  /** Reads every target and plans the change. Writes nothing. */
  async plan(): Promise<ConfigurePlan> {
    return this.#plan();
  }

  #plan(): ConfigurePlan {
    const name = this.#name;
    const spec = this.#spec;
    const w = this.#c.words;
    checkSpec(spec, w);
    if (!hasChange(spec)) {
      throw new UsageError(
        `Nothing to configure for "${name}": give ${w.command} or ${w.url}, or a field to change`,
        `Set at least one field, e.g. ${w.command}`,
      );
    }
    const ws = workspaceOf(this.#c);
    const targets = targetsOf(ws, this.#c, ".on()", "configure");
    // References in env values and headers: native where the host can, resolved otherwise.
    const wctx = writeContext(ws);
    const warnings: string[] = [];
    let secret = false;
    const planOne = (t: HostTarget, warn: boolean): HostPlan => {
      const r = readHost(t, ws.system);
      const where = displayName(t.name);
      if (warn && !r.servers.has(name) && r.invalid.some((i) => i.name === name)) {
        warnings.push(
          `The existing entry "${name}" in ${where} is not a valid server: it is rebuilt from the fields given`,
        );
      }
      const server = mergeServer(name, r.servers.get(name), spec, where, w);
      if (holdsSecret(server)) secret = true;
      return planTarget(new Map([[name, server]]), ALL_FIELDS, asTarget(r), wctx);
    };
    // Every target is read and every server built first: any problem stops here, nothing written.
    const hosts = targets.map((t) => {
      secret = false;
      const p = planOne(t, true);
      return replannable(p, () => planOne(t, false), secret);
    });
    failIfUnsetEverywhere(hosts);
    const skipped = hosts.filter((p) => p.changes.some((c) => c.action === "skip"));
    if (skipped.length === hosts.length) {
      const reasons = skipped.map((p) => `${p.host}: ${p.changes.find((c) => c.action === "skip")?.reason}`);
      throw new UsageError(
        `Cannot configure server "${name}" on ${hosts.length === 1 ? "this target" : "any target"}: ${reasons.join("; ")}`,
        "Choose hosts that can run this kind of server",
      );
    }
    return makePlan(
      "configure",
      hosts,
      `Configure server "${name}" on ${hosts.length} target(s)`,
      { server: name, warnings },
      this.#c.showSecrets,
    ) as ConfigurePlan;
  }

  /** Plans, then writes (unless dry-run): lock, re-plan a file changed meanwhile, backup, atomic write, verify. */
  async apply(): Promise<Result<ConfigurePlan>> {
    return this.applyPlan(this.#plan());
  }

  /** Applies a plan made earlier by this builder (`confirmed`: a person saw it; see SyncBuilder.applyPlan). */
  async applyPlan(plan: ConfigurePlan, opts: { confirmed?: boolean } = {}): Promise<Result<ConfigurePlan>> {
    return execute(workspaceOf(this.#c), plan, "configure", settingsOf(this.#c), opts.confirmed === true);
  }
}

/**
 * Removes one server from hosts or environments.
 * @example
 * await remove("weather").from("cursor", "vscode").apply();
 */
export class RemoveBuilder extends ApplyingBuilder<RemoveBuilder> {
  readonly #name: string;
  readonly #c: Common;

  constructor(name: string, c: Common = initial()) {
    super();
    if (typeof name !== "string" || name === "") throw new TypeError("remove() needs a server name");
    this.#name = name;
    this.#c = c;
  }
  protected withSettings(patch: Partial<Common>): RemoveBuilder {
    return new RemoveBuilder(this.#name, { ...this.#c, ...patch });
  }
  /** Where from: host ids, custom hosts, groups, `"all"`, `env("name")`, as arguments or arrays. */
  from(...targets: (HostName | Ref | readonly (HostName | Ref)[])[]): RemoveBuilder {
    return this.withSettings({ targets: [...this.#c.targets, ...flat(targets, ".from()")] });
  }

  /** Reads every target and plans the removal. Writes nothing. */
  async plan(): Promise<RemovePlan> {
    return this.#plan();
  }

  #plan(): RemovePlan {
    const name = this.#name;
    const ws = workspaceOf(this.#c);
    const reads = targetsOf(ws, this.#c, ".from()", "remove").map((t) => readHost(t, ws.system));
    const having = reads.filter((r) => r.raw.has(name));
    const absent = reads.filter((r) => !r.raw.has(name));
    if (having.length === 0) {
      const s = suggest(name, new Set(reads.flatMap((r) => [...r.raw.keys()])));
      const where =
        reads.length === 1
          ? displayName(reads[0]?.target.name ?? "")
          : `any of ${reads.map((r) => r.target.name).join(", ")}`;
      throw new UsageError(
        `Server "${name}" is not configured in ${where}${s ? `: did you mean "${s}"?` : ""}`,
        `List the servers with "hatch mcp list servers"`,
      );
    }
    const wctx = writeContext(ws);
    const planOne = (r: HostRead): HostPlan =>
      planTarget(new Map(), ALL_FIELDS, asTarget(r), wctx, { mirror: true, covers: (n) => n === name });
    const hosts = having.map((r) => replannable(planOne(r), () => planOne(readHost(r.target, ws.system))));
    return makePlan(
      "remove",
      hosts,
      `Remove server "${name}" from ${hosts.length} target(s)`,
      { server: name, notConfigured: absent.map((r) => ({ host: r.target.name, path: r.target.path })) },
      this.#c.showSecrets,
    ) as RemovePlan;
  }

  /** Plans, then removes (unless dry-run). */
  async apply(): Promise<Result<RemovePlan>> {
    return this.applyPlan(this.#plan());
  }

  /** Applies a plan made earlier by this builder. */
  async applyPlan(plan: RemovePlan, opts: { confirmed?: boolean } = {}): Promise<Result<RemovePlan>> {
    return execute(workspaceOf(this.#c), plan, "remove server", settingsOf(this.#c), opts.confirmed === true);
  }
}

/** Starts configuring one server: `configure("weather").on("cursor").command("uvx")…`. */
export function configure(name: string): ConfigureBuilder {
  return new ConfigureBuilder(name);
}

/** Starts removing one server: `remove("weather").from("cursor")`. */
export function remove(name: string): RemoveBuilder {
  return new RemoveBuilder(name);
}
