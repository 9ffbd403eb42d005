// Server selection: --servers (exact names) and --pattern (a regular expression matched from the
// start of the name, as Python's re.match does). Both given: a server must pass both.
import { UsageError } from "./errors.ts";

/**
 * Compiles a user pattern with Python's re.match semantics: anchored at the start only.
 * Python-only spellings are accepted: `(?P<n>…)`, `(?P=n)`, a leading `(?i)`, `\A`, `\Z`.
 * @throws UsageError naming the pattern and the problem
 */
export function compilePattern(src: string): RegExp {
  let body = src;
  let flags = "";
  const inline = /^\(\?([aiLmsux]+)\)/.exec(body);
  if (inline) {
    const f = inline[1] as string;
    if (f.includes("i")) flags += "i";
    if (f.includes("m")) flags += "m";
    if (f.includes("s")) flags += "s";
    body = body.slice(inline[0].length);
  }
  body = body
    .replace(/\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g, "(?<$1>")
    .replace(/\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)/g, "\\k<$1>")
    .replace(/\\A/g, "^")
    .replace(/\\Z/g, "$");
  try {
    return new RegExp(`^(?:${body})`, flags + "u");
  } catch {
    try {
      // Some Python patterns are valid without the unicode flag (e.g. `\-` outside a class).
      return new RegExp(`^(?:${body})`, flags);
    } catch (e) {
      const why = (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, "");
      throw new UsageError(
        `Invalid pattern "${src}": ${why}`,
        'Check the regular expression, e.g. --pattern "^(?!dev-)"',
      );
    }
  }
}

export interface Selection {
  servers?: readonly string[];
  pattern?: string;
}

/** Whether a name is covered by the selection (used for --mirror removals too). */
export function selector(sel: Selection): (name: string) => boolean {
  const names = sel.servers ? new Set(sel.servers) : undefined;
  const re = sel.pattern !== undefined ? compilePattern(sel.pattern) : undefined;
  return (name) => (!names || names.has(name)) && (!re || re.test(name));
}

/**
 * The names of `available` that the selection picks, in source order.
 * @throws UsageError when --servers names a server the source lacks
 */
export function selectNames(available: readonly string[], sel: Selection, sourceLabel: string): string[] {
  if (sel.servers) {
    const have = new Set(available);
    const missing = sel.servers.filter((n) => !have.has(n));
    if (missing.length > 0) {
      throw new UsageError(
        `${sourceLabel} has no server${missing.length > 1 ? "s" : ""} ${missing.map((m) => `"${m}"`).join(", ")}`,
        `Servers there: ${available.length ? available.join(", ") : "(none)"}`,
      );
    }
  }
  const pick = selector(sel);
  return available.filter(pick);
}
