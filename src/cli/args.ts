// A command's flags and arguments from its words: the subset of node:util's parseArgs (strict,
// positionals allowed) that the command table uses, with the same results and messages
// (args.test.ts holds the two to each other). Measured: importing node:util for parseArgs costs
// 2–3 ms of every run of the compiled binary (Bun 1.4.5), more than this whole module.
import type { OptionSpec } from "./command.ts";

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** A flag the command does not have (main.ts adds "did you mean"). */
export class UnknownFlagError extends Error {
  constructor(readonly flag: string) {
    super(`Unknown option '${flag}'`);
  }
}

/**
 * A string option always takes the next word as its value, even one that starts with "-"
 * (`--args -y`, `--pattern "-v2$"`): it is attached as `--name=value` before parsing, since
 * parseArgs would otherwise read it as a flag. A variadic option (`--args weather-mcp serve`)
 * also takes each following word up to the next one that starts with "-" (Python's nargs="*").
 */
export function attachValues(
  args: readonly string[],
  options: Readonly<Record<string, OptionSpec>>,
): string[] {
  const byShort = new Map(
    Object.entries(options).flatMap(([k, o]) => (o.short ? [[o.short, k] as const] : [])),
  );
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "--") {
      out.push(...args.slice(i));
      break;
    }
    const long = /^--([^=]+)$/.exec(a)?.[1];
    const name = long ?? (/^-([A-Za-z])$/.test(a) ? byShort.get(a.slice(1)) : undefined);
    const next = args[i + 1];
    const spec = name ? options[name] : undefined;
    if (name && spec?.type === "string" && spec.variadic && next !== undefined && next !== "--") {
      out.push(`--${name}=${next}`);
      i++;
      while (i + 1 < args.length && !(args[i + 1] as string).startsWith("-")) {
        out.push(`--${name}=${args[i + 1]}`);
        i++;
      }
      continue;
    }
    if (name && spec?.type === "string" && next?.startsWith("-")) {
      out.push(`--${name}=${next}`);
      i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/**
 * Flags and arguments, as parseArgs({ strict: true, allowPositionals: true }) reads them: `--name`,
 * `--name=value`, `--name value` (a string flag), `-x`, `-xyz` (boolean flags; a string flag in
 * the group takes the rest of the word, or the next word when last), `--` ends the flags, a lone
 * `-` is an argument. A flag given twice keeps its last value unless it is `multiple`.
 * @throws UnknownFlagError for a flag not in `options`; Error for a missing or unwanted value.
 */
export function parseFlags(
  args: readonly string[],
  options: Readonly<Record<string, OptionSpec>>,
): ParsedArgs {
  const values: ParsedArgs["values"] = {};
  const positionals: string[] = [];
  const byShort = new Map<string, string>();
  for (const [name, o] of Object.entries(options)) if (o.short) byShort.set(o.short, name);
  const label = (name: string) => {
    const short = options[name]?.short;
    return `${short ? `-${short}, ` : ""}--${name}`;
  };
  const set = (name: string, value: string | boolean) => {
    const o = options[name] as OptionSpec;
    if (!(o.multiple || o.variadic)) values[name] = value;
    else if (Array.isArray(values[name])) (values[name] as string[]).push(value as string);
    else values[name] = [value as string];
  };
  /** One flag: its value is `inline` (after "=" or in a short group), else the next word if a string flag. */
  const flag = (name: string | undefined, token: string, inline: string | undefined, i: number): number => {
    const o = name === undefined ? undefined : options[name];
    if (name === undefined || !o) throw new UnknownFlagError(token);
    if (o.type === "boolean") {
      if (inline !== undefined) throw new Error(`Option '${label(name)}' does not take an argument`);
      set(name, true);
      return i;
    }
    if (inline !== undefined) {
      set(name, inline);
      return i;
    }
    const next = args[i + 1];
    if (next === undefined) throw new Error(`Option '${label(name)} <value>' argument missing`);
    if (next.startsWith("-")) {
      throw new Error(
        `Option '${token}' argument is ambiguous: give a value that starts with a dash as '--${name}=-XYZ'`,
      );
    }
    set(name, next);
    return i + 1;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq === -1 ? a.slice(2) : a.slice(2, eq);
      i = flag(
        Object.hasOwn(options, name) ? name : undefined,
        `--${name}`,
        eq === -1 ? undefined : a.slice(eq + 1),
        i,
      );
    } else if (a.length > 1 && a.startsWith("-")) {
      for (let j = 1; j < a.length; j++) {
        const name = byShort.get(a[j] as string);
        const rest = a.slice(j + 1);
        if (name !== undefined && options[name]?.type === "string" && rest !== "") {
          flag(name, `-${a[j]}`, rest, i);
          break;
        }
        i = flag(name, `-${a[j]}`, undefined, i);
      }
    } else {
      positionals.push(a);
    }
  }
  return { values, positionals };
}
