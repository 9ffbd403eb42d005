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
import { yamlLib } from "./yaml-lib.ts";

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

/** The package's rendering of a value with the codec's options: the reference for `emitBlock`. */
export function yamlStringify(value: unknown, style: BlockStyle, flow = false): string {
  return yamlLib().stringify(value, {
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
 * be; with `prefix` and `eol`, every non-empty line of it prefixed and every line ended with `eol`
 * (the text as it goes into a file at column `prefix.length`).
 */
export function emitBlock(value: unknown, style: BlockStyle, prefix = "", eol = "\n"): Emitted {
  const e = new Emitter(style, eol);
  if (isRecord(value)) {
    const keys = Object.keys(value);
    // The package leaves out keys whose value is undefined: rendered whole by the package.
    if (keys.length > 0 && keys.every((k) => value[k] !== undefined)) {
      let text = "";
      let exact = true;
      for (const k of keys) {
        const v = value[k];
        const s = e.pair(k, v, prefix, 0);
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
        const s = e.item(v, `${prefix}  `, 0);
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
 * Tests of the default schema's non-string scalar tags: a string one of them matches (`true`, `~`,
 * `0x1F`, `1e3`, ...) would read back as something else and is quoted. Taken from the package's
 * own schema, as its `plainString` does.
 */
let nonStringTests: readonly RegExp[] | undefined;
function nonStringTestsOf(): readonly RegExp[] {
  if (nonStringTests) return nonStringTests;
  const schema = new (yamlLib().Document)(null).schema as unknown as {
    tags: readonly { default?: unknown; tag: string; test?: RegExp }[];
    compat?: readonly { default?: unknown; tag: string; test?: RegExp }[] | null;
  };
  const out: RegExp[] = [];
  for (const t of [...schema.tags, ...(schema.compat ?? [])])
    if (t.default && t.tag !== "tag:yaml.org,2002:str" && t.test instanceof RegExp) out.push(t.test);
  nonStringTests = out;
  return out;
}

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
  readonly step: string;
  /** A block sequence under a key starts this many columns left of the key's children. */
  readonly seqBack: number;
  /** Renderings of the strings seen so far (keys and many values repeat in every entry). */
  private readonly seen = new Map<string, string | undefined>();

  constructor(
    style: BlockStyle,
    readonly eol: string,
  ) {
    this.step = " ".repeat(Math.max(1, style.indent));
    this.seqBack = !style.indentSeq && this.step.length >= 2 ? 2 : 0;
  }

  /** A string scalar, or undefined when the package might render it otherwise than this. */
  str(s: string, key: boolean): string | undefined {
    if (key && (s.length > MAX_KEY || s === "<<")) return undefined;
    if (this.seen.has(s)) return this.seen.get(s);
    const r = this.render(s);
    if (this.seen.size < 10_000) this.seen.set(s, r);
    return r;
  }

  /** `str` without the key limits and the memo. */
  render(s: string): string | undefined {
    if (SURELY_PLAIN.test(s)) return s;
    // Printable ASCII only: no line breaks, tabs, control or non-ASCII characters.
    if (!/^[\x20-\x7e]*$/.test(s)) return undefined;
    // Document markers get special handling (forced block indentation, quoting of keys).
    if (s.startsWith("---") || s.startsWith("...")) return undefined;
    if (!PLAIN_BAD.test(s) && !nonStringTestsOf().some((re) => re.test(s))) return s;
    // Quoted: single quotes for a string holding only double quotes, else double quotes; with no
    // line break or non-ASCII character the package's double-quoted form is the JSON string.
    return s.includes('"') && !s.includes("'") ? `'${s}'` : JSON.stringify(s);
  }

  scalar(v: unknown): string | undefined {
    if (v === null) return "null";
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "number") {
      if (!Number.isFinite(v)) return undefined;
      return Object.is(v, -0) ? "-0" : JSON.stringify(v);
    }
    if (typeof v === "string") return this.str(v, false);
    return undefined;
  }

  /** The pairs of a map whose keys sit at `ind` (the first line without its indentation). */
  map(o: Record<string, unknown>, ind: string, depth: number): string | undefined {
    let out = "";
    let first = true;
    for (const k of Object.keys(o)) {
      const v = o[k];
      if (v === undefined) return undefined;
      const p = this.pair(k, v, ind, depth);
      if (p === undefined) return undefined;
      out += first ? p : `${this.eol}${ind}${p}`;
      first = false;
    }
    return first ? undefined : out;
  }

  /** A sequence whose dashes sit at `ind` (the first line without its indentation). */
  seq(a: readonly unknown[], ind: string, depth: number): string | undefined {
    if (a.length === 0 || !everyPresent(a)) return undefined;
    const inner = `${ind}  `;
    let out = "";
    for (let i = 0; i < a.length; i++) {
      const s = this.item(a[i], inner, depth);
      if (s === undefined) return undefined;
      out += i === 0 ? `- ${s}` : `${this.eol}${ind}- ${s}`;
    }
    return out;
  }

  /** One `key: value` of a map whose keys sit at `ind`. */
  pair(k: string, v: unknown, ind: string, depth: number): string | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const key = this.str(k, true);
    if (key === undefined) return undefined;
    const inner = ind + this.step;
    if (isRecord(v)) {
      if (Object.keys(v).length === 0) return `${key}: {}`;
      const body = this.map(v, inner, depth + 1);
      return body === undefined ? undefined : `${key}:${this.eol}${inner}${body}`;
    }
    if (isList(v)) {
      if (v.length === 0) return `${key}: []`;
      const at = inner.slice(this.seqBack);
      const body = this.seq(v, at, depth + 1);
      return body === undefined ? undefined : `${key}:${this.eol}${at}${body}`;
    }
    const s = this.scalar(v);
    return s === undefined ? undefined : `${key}: ${s}`;
  }

  /** A sequence item's text after its `- `, continuation lines at `ind` (dash column + 2). */
  item(v: unknown, ind: string, depth: number): string | undefined {
    if (depth > MAX_DEPTH) return undefined;
    if (isRecord(v)) return Object.keys(v).length === 0 ? "{}" : this.map(v, ind, depth + 1);
    if (isList(v)) return v.length === 0 ? "[]" : this.seq(v, ind, depth + 1);
    return this.scalar(v);
  }
}
