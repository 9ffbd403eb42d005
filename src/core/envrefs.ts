// Env-var reference syntax per host. Canonical form is `${VAR}` or `${VAR:-default}`.
import { UsageError } from "./errors.ts";

/**
 * - `dollar`: `${VAR}`, `${VAR:-default}` (Claude Code, Gemini, Kiro)
 * - `env-colon`: `${env:VAR}` (Cursor, VS Code, Windsurf, Roo)
 * - `brace`: `{env:VAR}` (opencode)
 * - `none`: no interpolation; values are resolved from the environment at sync time
 */
export type EnvSyntax = "dollar" | "env-colon" | "brace" | "none";

const CANON_RE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Host syntax → canonical. */
export function envRefsToCanonical(value: string, syntax: EnvSyntax): string {
  switch (syntax) {
    case "env-colon":
      return value.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, "${$1}");
    case "brace":
      return value.replace(/(^|[^$])\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, "$1${$2}");
    case "dollar":
      // Gemini and Crush also accept bare $VAR; spell it the canonical way.
      return value.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, "${$1}");
    default:
      return value;
  }
}

export interface EnvRefResult {
  value: string;
  /** Defaults the target cannot express (`${VAR:-d}` written as `${env:VAR}`). */
  droppedDefaults: string[];
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
  const droppedDefaults: string[] = [];
  const out = value.replace(CANON_RE, (_m, name: string, def: string | undefined) => {
    switch (syntax) {
      case "dollar":
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
  return { value: out, droppedDefaults };
}

/** Names of the variables a canonical value refers to. */
export function envRefNames(value: string): string[] {
  return [...value.matchAll(CANON_RE)].map((m) => m[1] as string);
}
