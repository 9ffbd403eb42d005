// A block-style YAML emitter for plain JSON-like values whose text is byte for byte what the
// `yaml` package's `stringify` prints with the options the YAML codec uses (`yamlStringify`
// below), at a fraction of the cost: the package builds a node tree and a context object for every
// value, which made rendering a thousand new servers the larger half of an edit.
//
// The emitter only renders what it knows exactly: non-empty plain objects and arrays holding
// strings of printable ASCII, finite numbers, booleans, null and (nested) collections. A top-level
// entry holding anything else (non-ASCII or control characters, strings that look like document
// markers, long or merge (`<<`) keys, non-finite numbers, undefined, class instances, ...) is
// rendered by the package itself; the package prints each entry of a block collection on its own,
// so the text is the same. `exact` tells whether every byte came from the emitter's own rules,
// whose output parses back to the value it was given (yaml-emit.test.ts checks both claims).
import { yamlLib, yamlUtil } from "./yaml-lib.ts";

export interface BlockStyle {
  /** Spaces per nesting level (at least 1). */
  indent: number;
  /** Whether a block sequence under a key is indented (`key:\n  - x`) or not (`key:\n- x`). */
  indentSeq: boolean;
}

export interface Emitted {
  text: string;
  /** The whole text came from the emitter's own rules (no part rendered by the package). */
  exact: boolean;
}

/**
 * Characters that a string must not hold raw in a YAML file: C0 controls but line breaks (a tab
 * too: YAML 1.1 readers refuse one inside a plain scalar),
 * DEL, C1 controls (NEL, U+0085, is a line break to YAML 1.1), U+2028/U+2029 (line breaks to
 * YAML 1.1), a BOM inside the text, lone surrogates. YAML 1.1 readers (PyYAML, libyaml) refuse a
 * file with a raw DEL or C1 control even inside quotes; the package writes them raw.
 */
const UNSAFE_IN_YAML = /[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]/;

const YAML_ESCAPES: Record<string, string> = {
  "\0": "\\0",
  "\x07": "\\a",
  "\b": "\\b",
  "\t": "\\t",
  "\n": "\\n",
  "\v": "\\v",
  "\f": "\\f",
  "\r": "\\r",
  "\x1b": "\\e",
  '"': '\\"',
  "\\": "\\\\",
  "\x85": "\\N",
  "\u2028": "\\L",
  "\u2029": "\\P",
};

/**
 * A string as a one-line YAML double-quoted scalar in which every character outside YAML 1.1's
 * printable set (and every line break) is an escape: read back as the same string by YAML 1.1
 * and 1.2 readers alike.
 */
export function yamlEscapedString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const esc = YAML_ESCAPES[ch];
    if (esc !== undefined) {
      out += esc;
      continue;
    }
    const c = ch.codePointAt(0) as number;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else if (c === 0xfeff || (c >= 0xd800 && c <= 0xdfff)) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Whether a string holds a character that yamlEscapedString must escape (see UNSAFE_IN_YAML). */
export function needsYamlEscape(s: string): boolean {
  return UNSAFE_IN_YAML.test(s);
}

type CustomTags = (tags: unknown[]) => unknown[];
let safeTags: CustomTags | undefined;

/**
 * The package's `customTags` option that makes it write strings holding unsafe characters as
 * yamlEscapedString does (keys and values), and every other string as it always has. Pass it
 * to every `stringify`, and to `parseDocument` of a Document whose `toString()` is written.
 */
export function safeStringTags(): CustomTags {
  if (safeTags) return safeTags;
  const str = yamlUtil().stringTag;
  const safe = {
    ...str,
    stringify(item: { value: unknown }, ctx: unknown, onComment?: () => void, onChompKeep?: () => void) {
      if (typeof item.value === "string" && UNSAFE_IN_YAML.test(item.value))
        return yamlEscapedString(item.value);
      return (str.stringify as (...a: unknown[]) => string)(item, ctx, onComment, onChompKeep);
    },
  };
  safeTags = (tags) => tags.map((t) => (t === str ? safe : t));
  return safeTags;
}

/** The package's rendering of a value with the codec's options: the reference for `emitBlock`. */
export function yamlStringify(value: unknown, style: BlockStyle, flow = false): string {
  return yamlLib().stringify(value, {
    customTags: safeStringTags() as never,
    // Values that share an object must not become YAML anchors and aliases.
    aliasDuplicateObjects: false,
    lineWidth: 0,
    minContentWidth: 0,
    indent: Math.max(1, style.indent),
    indentSeq: style.indentSeq,
    // Multi-line strings as "…\n…": a block scalar (`|-`) would swallow a more-indented comment
    // line that follows the place it is spliced into.
    blockQuote: false,
    ...(flow ? { collectionStyle: "flow" as const } : {}),
  });
}

/**
 * Text of `yamlStringify(value, style)` (block style), rendered without the package where it can
 * be; with `prefix` (spaces) and `eol`, every non-empty line of it prefixed and every line ended
 * with `eol` (the text as it goes into a file at column `prefix.length`).
 */
export function emitBlock(value: unknown, style: BlockStyle, prefix = "", eol = "\n"): Emitted {
  const e = new Emitter(style, eol, prefix);
  if (isRecord(value)) {
    const keys = Object.keys(value);
    // The package leaves out keys whose value is undefined: rendered whole by the package.
    let present = keys.length > 0;
    for (let i = 0; present && i < keys.length; i++)
      if (value[keys[i] as string] === undefined) present = false;
    if (present) {
      let text = "";
      let exact = true;
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i] as string;
        const v = value[k];
        const s = e.pair(k, v, 0, 0);
        if (s === undefined) {
          const one: Record<string, unknown> = {};
          Object.defineProperty(one, k, { value: v, enumerable: true, writable: true, configurable: true });
          text += reindent(yamlStringify(one, style), prefix, eol);
          exact = false;
        } else text += prefix + s + eol;
      }
      return { text, exact };
    }
  } else if (isList(value)) {
    if (value.length > 0 && everyPresent(value)) {
      let text = "";
      let exact = true;
      for (const v of value) {
        const s = e.item(v, 2, 0);
        if (s === undefined) {
          text += reindent(yamlStringify([v], style), prefix, eol);
          exact = false;
        } else text += `${prefix}- ${s}${eol}`;
      }
      return { text, exact };
    }
  }
  return { text: reindent(yamlStringify(value, style), prefix, eol), exact: false };
}

/** The package's text (lines ended by `\n`) with non-empty lines prefixed and `eol` line breaks. */
function reindent(s: string, prefix: string, eol: string): string {
  if (prefix === "" && eol === "\n") return s;
  return s
    .split("\n")
    .map((l) => (l === "" ? l : prefix + l))
    .join(eol);
}

/** Deeper values than this are left to the package (which decides what to do with them). */
const MAX_DEPTH = 100;

/** Keys longer than this could become explicit (`? key`) keys past the package's 1024 limit. */
const MAX_KEY = 512;

/** The package's test for a string that cannot be a plain scalar (stringifyString.js, plainString). */
const PLAIN_BAD = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;

/**
 * Strings surely printed plain, tested first so that most strings (names, commands, flags, URLs)
 * cost one native test instead of a dozen: a letter, `_` or `/` (or one or two dashes and a letter
 * or `_`) first, then letters, digits and `_./@:+=~-`, not ending in `:`, not a null or boolean
 * word of the core schema. PLAIN_BAD matches none of them, nor does any other tag's test (those
 * need a digit, sign, dot or `~` first), nor are they document markers.
 */
const SURELY_PLAIN =
  /^(?!(?:[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE)$)(?:[A-Za-z_/]|--?[A-Za-z_])(?:[\w./@:+=~-]*[\w./@+=~-])?$/;

/**
 * The tests of the default schema's (YAML 1.2 core) non-string scalar tags, in the package's order
 * (null, bool, octal, decimal and hex int, .inf/.nan, exponent and plain float): a string one of
 * them matches (`true`, `~`, `0x1F`, `1e3`, ...) would read back as something else and is quoted,
 * as the package's `plainString` does. Copies, so that rendering never loads the package (~7 ms);
 * yaml-emit.test.ts checks they are the package's own tests.
 */
export const NON_STRING_TESTS: readonly RegExp[] = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  /^0o[0-7]+$/,
  /^[-+]?[0-9]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
];

/** Matches a string when one of NON_STRING_TESTS does (each is anchored at both ends): one native test. */
const NON_STRING = new RegExp(NON_STRING_TESTS.map((re) => `(?:${re.source})`).join("|"));

function isRecord(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x);
  // The package renders what an object's toJSON() returns instead of the object.
  return (
    (proto === Object.prototype || proto === null) && typeof (x as { toJSON?: unknown }).toJSON !== "function"
  );
}

function isList(x: unknown): x is unknown[] {
  return (
    Array.isArray(x) &&
    Object.getPrototypeOf(x) === Array.prototype &&
    typeof (x as { toJSON?: unknown }).toJSON !== "function"
  );
}

function everyPresent(a: readonly unknown[]): boolean {
  for (let i = 0; i < a.length; i++) if (!(i in a) || a[i] === undefined) return false;
  return true;
}

class Emitter {
  readonly step: number;
  /** A block sequence under a key starts this many columns left of the key's children. */
  readonly seqBack: number;
  /** A line break and the indentation of a line at each column (after the prefix). */
  private readonly breaks: string[] = [];
  /** Renderings of the keys and string values seen so far (null: left to the package). */
  private readonly keys = new Map<string, string | null>();
  private readonly strs = new Map<string, string | null>();

  constructor(
    style: BlockStyle,
    readonly eol: string,
    readonly prefix: string,
  ) {
    this.step = Math.max(1, style.indent);
    this.seqBack = !style.indentSeq && this.step >= 2 ? 2 : 0;
  }

  /** A line break followed by the indentation of column `m`. */
  brk(m: number): string {
    let b = this.breaks[m];
    if (b === undefined) {
      b = this.eol + this.prefix + " ".repeat(m);
      this.breaks[m] = b;
    }
    return b;
  }

  /** A key's rendering, or null when the package might render it otherwise (memoized). */
  key(k: string): string | null {
    let r = this.keys.get(k);
    if (r !== undefined) return r;
    r = k.length > MAX_KEY || k === "<<" ? null : (render(k) ?? null);
    if (this.keys.size < 10_000) this.keys.set(k, r);
    return r;
  }

  /** A string value's rendering, or null when the package might render it otherwise (memoized). */
  str(s: string): string | null {
    let r = this.strs.get(s);
    if (r !== undefined) return r;
    r = render(s) ?? null;
    if (this.strs.size < 10_000) this.strs.set(s, r);
    return r;
  }

  /**
   * The pairs of a map with keys `keys` (at least one) at column `m`, the first line without its
   * indentation; `depth` as the pairs'.
   */
  map(o: Record<string, unknown>, keys: readonly string[], m: number, depth: number): string | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const brk = this.brk(m);
    let out = "";
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      const p = this.pair(k, o[k], m, depth);
      if (p === undefined) return undefined;
      out = i === 0 ? p : out + brk + p;
    }
    return out;
  }

  /** A sequence (at least one item) whose dashes sit at column `m`, the first line without its indentation. */
  seq(a: readonly unknown[], m: number, depth: number): string | undefined {
    const brk = `${this.brk(m)}- `;
    let out = "";
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      // A hole reads as undefined too; the package renders both otherwise.
      if (v === undefined) return undefined;
      let s: string | null | undefined;
      if (typeof v === "string") {
        if (depth > MAX_DEPTH) return undefined;
        s = this.strs.get(v) ?? this.str(v);
        if (s === null) return undefined;
      } else {
        s = this.item(v, m + 2, depth);
        if (s === undefined) return undefined;
      }
      out = i === 0 ? `- ${s}` : out + brk + s;
    }
    return out;
  }

  /** One `key: value` of a map whose keys sit at column `m`. */
  pair(k: string, v: unknown, m: number, depth: number): string | undefined {
    if (depth > MAX_DEPTH) return undefined;
    // The memo's answer first, without a call (most keys and many values repeat).
    const key = this.keys.get(k) ?? this.key(k);
    if (key === null) return undefined;
    if (typeof v === "string") {
      const s = this.strs.get(v) ?? this.str(v);
      return s === null ? undefined : `${key}: ${s}`;
    }
    if (typeof v === "object" && v !== null) {
      if (isRecord(v)) {
        const keys = Object.keys(v);
        if (keys.length === 0) return `${key}: {}`;
        const body = this.map(v, keys, m + this.step, depth + 1);
        return body === undefined ? undefined : `${key}:${this.brk(m + this.step)}${body}`;
      }
      if (isList(v)) {
        if (v.length === 0) return `${key}: []`;
        const at = m + this.step - this.seqBack;
        const body = this.seq(v, at, depth + 1);
        return body === undefined ? undefined : `${key}:${this.brk(at)}${body}`;
      }
      return undefined;
    }
    const s = scalar(v);
    return s === undefined ? undefined : `${key}: ${s}`;
  }

  /** A sequence item's text after its `- `, continuation lines at column `m` (dash column + 2). */
  item(v: unknown, m: number, depth: number): string | undefined {
    if (depth > MAX_DEPTH) return undefined;
    if (typeof v === "string") return this.str(v) ?? undefined;
    if (isRecord(v)) {
      const keys = Object.keys(v);
      return keys.length === 0 ? "{}" : this.map(v, keys, m, depth + 1);
    }
    if (isList(v)) return v.length === 0 ? "[]" : this.seq(v, m, depth + 1);
    return scalar(v);
  }
}

/** A string scalar, or undefined when the package might render it otherwise than this. */
function render(s: string): string | undefined {
  if (SURELY_PLAIN.test(s)) return s;
  // Printable ASCII only: no line breaks, tabs, control or non-ASCII characters.
  if (!/^[\x20-\x7e]*$/.test(s)) return undefined;
  // Document markers get special handling (forced block indentation, quoting of keys).
  if (s.startsWith("---") || s.startsWith("...")) return undefined;
  if (!PLAIN_BAD.test(s) && !NON_STRING.test(s)) return s;
  // Quoted: single quotes for a string holding only double quotes, else double quotes; with no
  // line break or non-ASCII character the package's double-quoted form is the JSON string.
  return s.includes('"') && !s.includes("'") ? `'${s}'` : JSON.stringify(s);
}

/** A scalar that is not a string, or undefined when the emitter does not render it. */
function scalar(v: unknown): string | undefined {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") {
    // Operators rather than Number.isFinite, Object.is and JSON.stringify (calls, in the
    // interpreter): v - v is NaN only for NaN and ±Infinity, 1 / -0 is -Infinity, and JSON prints a
    // finite number as its String().
    if (v - v !== 0) return undefined;
    return v === 0 && 1 / v < 0 ? "-0" : `${v}`;
  }
  return undefined;
}
