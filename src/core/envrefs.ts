// The one env-reference expander. Canonical values spell references as:
//   `${NAME}`, `${NAME:-default}`, `${env:NAME}`  the process environment (the first is preferred;
//                                                  `${env:NAME}` is accepted everywhere a value is
//                                                  given: environment files, configure, the API)
//   `${secret:NAME}`                              hatch's secret store (src/secrets/)
//   `${op:VAULT/ITEM/FIELD}`                      1Password, `op read op://VAULT/ITEM/FIELD`
//   `${pass:PATH}`                                pass, `pass show PATH` (first line)
// Hosts spell environment references their own way (below); the provider references (`secret`,
// `op`, `pass`) no host understands, so they are resolved when a file is written, through a
// resolver the caller passes in (core runs no program: src/secrets/ builds it).
import { UsageError } from "./errors.ts";

/**
 * - `dollar`: `${VAR}`, `${VAR:-default}` (Claude Code, Kiro, Copilot CLI ≥ 1.0.10)
 * - `dollar-bare`: the same plus bare `$VAR` (Gemini CLI, Crush)
 * - `env-colon`: `${env:VAR}` (Cursor, VS Code, Windsurf, Roo)
 * - `brace`: `{env:VAR}` (opencode)
 * - `none`: no interpolation; values are resolved from the environment at sync time
 */
export type EnvSyntax = "dollar" | "dollar-bare" | "env-colon" | "brace" | "none";

/**
 * VS Code / Cursor predefined variables (`${userHome}`, `${workspaceFolder}` …): not environment
 * variables. They pass through as text; hosts that do not expand them get a loss report.
 */
export const EDITOR_VARIABLES: ReadonlySet<string> = new Set([
  "userHome",
  "workspaceFolder",
  "workspaceFolderBasename",
  "workspaceRoot",
  "cwd",
  "pathSeparator",
  "execPath",
  "file",
  "fileBasename",
  "fileDirname",
  "relativeFile",
]);

/** Shared empty result lists (frozen: a caller that pushed would corrupt every result). */
const NONE = Object.freeze([]) as unknown as string[];
/**
 * Every canonical reference: 1 provider (`env`, `secret`, `op`, `pass`) and 2 its argument, or
 * 3 a variable name and 4 its default. `${input:id}` (VS Code) and other prefixes are not matched:
 * they stay text.
 */
const CANON_RE = /\$\{(?:(env|secret|op|pass):([^}]*)|([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?)\}/g;
const VAR_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Secret names: letters, digits, ".", "_", "-" and "/" (`github/token`). The one name check. */
export const SECRET_NAME_RE = /^[A-Za-z0-9._/-]+$/;

/** A reference no host resolves by itself: hatch resolves it when it writes or starts a server. */
export interface ProviderRef {
  kind: "secret" | "op" | "pass";
  /** The secret's name, `VAULT/ITEM/FIELD`, or the pass entry's path. */
  path: string;
  /** The reference as written, `${secret:github/token}`: what messages name. */
  text: string;
}

/** Resolves a provider reference to its value. Throws UsageError naming the reference. */
export type RefResolver = (ref: ProviderRef) => string;

/** An environment variable a value refers to is unset and the target cannot expand it. */
export class UnsetVariableError extends UsageError {
  override name = "UnsetVariableError";
  constructor(
    readonly variable: string,
    where: string,
  ) {
    super(
      `Environment variable "${variable}" is not set: ${where} refers to it and the target host cannot expand variables`,
      `Set ${variable} before syncing, or give it a default: \${${variable}:-value}`,
    );
  }
}

/** Why the argument of a provider reference is not valid, or undefined. */
function providerProblem(kind: ProviderRef["kind"], path: string): string | undefined {
  if (kind === "secret") {
    return SECRET_NAME_RE.test(path)
      ? undefined
      : 'a secret name uses letters, digits, ".", "_", "-" and "/"';
  }
  // Passed to `op read` / `pass show` as one argument (never through a shell); still, no option
  // (a leading "-"), no way out of the store ("..") and no control characters.
  const parts = path.split("/");
  if (
    /[\x00-\x1f\x7f]/.test(path) ||
    parts.some((p) => p === "" || p === "." || p === ".." || p.startsWith("-"))
  ) {
    return kind === "op" ? "expected VAULT/ITEM/FIELD" : "expected a path in the password store";
  }
  if (kind === "op" && (parts.length < 3 || parts.length > 4))
    return "expected VAULT/ITEM/FIELD (or VAULT/ITEM/SECTION/FIELD)";
  return undefined;
}

/** The provider reference `${kind:path}`, checked. @throws UsageError for a malformed one */
function providerRef(kind: ProviderRef["kind"], path: string, where: string): ProviderRef {
  const text = `\${${kind}:${path}}`;
  const problem = providerProblem(kind, path);
  if (problem) throw new UsageError(`Invalid reference "${text}" in ${where}: ${problem}`);
  return { kind, path, text };
}

/** Every provider reference in a canonical value (checked). @throws UsageError for a malformed one */
export function providerRefs(value: string, where = "a value"): ProviderRef[] {
  if (!value.includes("${")) return NONE as unknown as ProviderRef[];
  const out: ProviderRef[] = [];
  for (const m of value.matchAll(CANON_RE)) {
    const kind = m[1];
    if (kind !== undefined && kind !== "env")
      out.push(providerRef(kind as ProviderRef["kind"], m[2] as string, where));
  }
  return out;
}

/**
 * Whether a value of the map holds `${`, as every reference does: the env and headers of most
 * servers hold none, and the work of finding their references is then skipped.
 */
export function anyRefIn(m: Readonly<Record<string, string>>): boolean {
  for (const k in m) if (Object.hasOwn(m, k) && (m[k] as string).includes("${")) return true;
  return false;
}

/**
 * The variable a value refers to when the value is one environment reference and nothing else
 * (`${X}` or `${env:X}`, no default), else undefined: what hosts that name variables (Codex
 * `env_vars`, Goose `env_keys`) can hold.
 */
export function soleEnvRef(value: string): string | undefined {
  const m = /^\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value);
  return m ? (m[1] as string) : undefined;
}

/**
 * Text that every reference in the host's syntax holds, or undefined when the host's values are
 * already canonical: a value without it is the same text in canonical form. Lets a reader skip
 * envRefsToCanonical for the many values holding no reference.
 */
export function hostRefMarker(syntax: EnvSyntax): string | undefined {
  switch (syntax) {
    case "env-colon":
      return "${env:";
    case "brace":
      return "{env:";
    case "dollar-bare":
      return "$";
    default:
      return undefined;
  }
}

/** Host syntax → canonical. */
export function envRefsToCanonical(value: string, syntax: EnvSyntax): string {
  switch (syntax) {
    case "env-colon":
      if (!value.includes("${env:")) return value;
      return value.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, "${$1}");
    case "brace":
      if (!value.includes("{env:")) return value;
      return value.replace(/(^|[^$])\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, "$1${$2}");
    case "dollar-bare":
      // Gemini and Crush also accept bare $VAR; spell it the canonical way.
      if (!value.includes("$")) return value;
      return value.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, "${$1}");
    default:
      return value;
  }
}

export interface EnvRefResult {
  value: string;
  /** Defaults the target cannot express (`${VAR:-d}` written as `${env:VAR}`). */
  droppedDefaults: string[];
  /** Editor variables (`${workspaceFolder}`) the target does not expand, left as text. */
  unexpanded: string[];
}

export interface ToHostOptions {
  /**
   * Resolves provider references (`${secret:…}`, `${op:…}`, `${pass:…}`). Given only for the
   * fields that may hold secrets (env values, headers): elsewhere such a reference is refused,
   * since a resolved value there would be shown in plans and listings.
   */
  resolve?: RefResolver;
  /**
   * The value comes from a file of the same kind of host: it is copied as the host wrote it, so a
   * Codex `${VAR}` (text to Codex) stays `${VAR}` in another Codex file and nothing is resolved.
   */
  literal?: boolean;
}

/**
 * Canonical → host syntax. For hosts without interpolation, environment references are replaced
 * by the variable's value now; provider references are resolved for every host.
 * @throws UnsetVariableError (a UsageError) naming the variable when it is unset and has no default
 * @throws UsageError naming a provider reference that is malformed, cannot be resolved, or stands
 *   in a field that is not an env value or header
 */
export function envRefsToHost(
  value: string,
  syntax: EnvSyntax,
  env: Readonly<Record<string, string | undefined>>,
  where: string,
  opts: ToHostOptions = {},
): EnvRefResult {
  // Most values hold no reference: nothing to translate (every reference starts with "${").
  if (!value.includes("${")) return { value, droppedDefaults: NONE, unexpanded: NONE };
  const droppedDefaults: string[] = [];
  const unexpanded: string[] = [];
  const out = value.replace(
    CANON_RE,
    (
      m,
      kind: string | undefined,
      arg: string | undefined,
      bare: string | undefined,
      def: string | undefined,
    ) => {
      if (kind !== undefined && kind !== "env") {
        const ref = providerRef(kind as ProviderRef["kind"], arg as string, where);
        if (opts.literal) return m;
        if (!opts.resolve) {
          throw new UsageError(
            `Cannot use "${ref.text}" in ${where}: secret references are resolved only in env values and headers`,
            "Move the secret into an env value or a header",
          );
        }
        return opts.resolve(ref);
      }
      const name = kind === "env" ? (arg as string) : (bare as string);
      if (kind === "env" && !VAR_NAME_RE.test(name)) {
        throw new UsageError(
          `Invalid reference "${m}" in ${where}: expected \${env:NAME}, NAME a variable name`,
        );
      }
      if (kind === undefined && EDITOR_VARIABLES.has(name) && def === undefined) {
        if (syntax !== "env-colon") unexpanded.push(name);
        return m;
      }
      switch (syntax) {
        case "dollar":
        case "dollar-bare":
          return def === undefined ? `\${${name}}` : `\${${name}:-${def}}`;
        case "env-colon":
          if (def !== undefined) droppedDefaults.push(name);
          return `\${env:${name}}`;
        case "brace":
          if (def !== undefined) droppedDefaults.push(name);
          return `{env:${name}}`;
        default: {
          // Text to a host of the same kind (it never expanded it): kept as written.
          if (opts.literal) return m;
          const v = env[name];
          if (v !== undefined) return v;
          if (def !== undefined) return def;
          throw new UnsetVariableError(name, where);
        }
      }
    },
  );
  return { value: out, droppedDefaults, unexpanded };
}

/**
 * Every reference replaced by its value, as a server is started (`hatch mcp test`): variables
 * from `env` (an empty one takes the default, as a shell's `:-`), providers through `resolve`.
 * An unset variable without a default becomes "" and is reported to `unset`.
 * @throws UsageError from `resolve`, or for a malformed reference
 */
export function expandRefs(
  value: string,
  env: Readonly<Record<string, string | undefined>>,
  resolve: RefResolver | undefined,
  where: string,
  unset: (name: string) => void,
): string {
  if (!value.includes("${")) return value;
  return value.replace(
    CANON_RE,
    (
      m,
      kind: string | undefined,
      arg: string | undefined,
      bare: string | undefined,
      def: string | undefined,
    ) => {
      if (kind !== undefined && kind !== "env") {
        const ref = providerRef(kind as ProviderRef["kind"], arg as string, where);
        if (!resolve) throw new UsageError(`Cannot resolve "${ref.text}" in ${where}: no secret store`);
        return resolve(ref);
      }
      const name = kind === "env" ? (arg as string) : (bare as string);
      if (kind === "env" && !VAR_NAME_RE.test(name)) return m;
      const v = env[name];
      if (v !== undefined && v !== "") return v;
      if (def !== undefined) return def;
      if (v !== undefined) return v;
      unset(name);
      return "";
    },
  );
}

/** Names of the environment variables a canonical value refers to. */
export function envRefNames(value: string): string[] {
  const out: string[] = [];
  for (const m of value.matchAll(CANON_RE)) {
    if (m[1] === undefined) out.push(m[3] as string);
    else if (m[1] === "env" && VAR_NAME_RE.test(m[2] as string)) out.push(m[2] as string);
  }
  return out;
}
