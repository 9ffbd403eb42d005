// Env-var reference syntax per host. Canonical form is `${VAR}` or `${VAR:-default}`.
import { UsageError } from "./errors.ts";

/**
 * - `dollar`: `${VAR}`, `${VAR:-default}` (Claude Code, Kiro)
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
const CANON_RE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

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

/**
 * Canonical → host syntax. For hosts without interpolation, references are replaced by the
 * variable's value now.
 * @throws UsageError naming the variable when it is unset and has no default
 */
export function envRefsToHost(
  value: string,
  syntax: EnvSyntax,
  env: Readonly<Record<string, string | undefined>>,
  where: string,
): EnvRefResult {
  // Most values hold no reference: nothing to translate (every reference starts with "${").
  if (!value.includes("${")) return { value, droppedDefaults: NONE, unexpanded: NONE };
  const droppedDefaults: string[] = [];
  const unexpanded: string[] = [];
  const out = value.replace(CANON_RE, (m, name: string, def: string | undefined) => {
    if (EDITOR_VARIABLES.has(name) && def === undefined) {
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
        const v = env[name];
        if (v !== undefined) return v;
        if (def !== undefined) return def;
        throw new UsageError(
          `Environment variable "${name}" is not set: ${where} refers to it and the target host cannot expand variables`,
          `Set ${name} before syncing, or give it a default: \${${name}:-value}`,
        );
      }
    }
  });
  return { value: out, droppedDefaults, unexpanded };
}

/** Names of the variables a canonical value refers to. */
export function envRefNames(value: string): string[] {
  return [...value.matchAll(CANON_RE)].map((m) => m[1] as string);
}
