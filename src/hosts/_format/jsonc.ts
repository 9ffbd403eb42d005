// JSON and JSONC: parsed once with jsonc-parser's tree (offsets for every node); all edits of a
// file are computed against that one tree and spliced in together, so comments, key order,
// indentation and untouched bytes stay as they were.
import type { Node, ParseError } from "jsonc-parser";
import { parseTree } from "jsonc-parser/lib/esm/impl/parser.js";
import { type Edit, isPlainObject, isRemove, type Path, setOwn } from "../../core/edits.ts";
import { HostParseError, lineColumn } from "../../core/errors.ts";
import type { FileFormat } from "../../core/format.ts";
import { applyTextEdits, detectLayout, type Layout, lineIndent, type TextEdit } from "./layout.ts";

/** jsonc-parser's ParseErrorCode values (its enum is in the main module, not loaded here). */
const PARSE_ERRORS: Record<number, string> = {
  1: "unexpected character",
  2: "invalid number",
  3: "property name expected",
  4: "value expected",
  5: '":" expected',
  6: '"," expected',
  7: '"}" expected',
  8: '"]" expected',
  9: "end of file expected",
  10: "comments are not allowed in this file",
  11: "unterminated comment",
  12: "unterminated string",
  13: "unterminated number",
  14: "invalid unicode escape",
  15: "invalid escape character",
  16: "invalid character in string",
};

function parseErrorText(code: number): string {
  return PARSE_ERRORS[code] ?? `parse error ${code}`;
}

/** Runs a recursive step, turning a stack overflow on absurd nesting into a parse error. */
function notTooDeep<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError) throw new HostParseError(path, "the file is nested too deeply");
    throw e;
  }
}

interface Parsed {
  root: Node | undefined;
  /** Offset of the parsed text inside the file (1 when a BOM was skipped). */
  shift: number;
}

function parseToTree(text: string, path: string, strict: boolean): Parsed {
  const shift = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const body = shift ? text.slice(1) : text;
  if (body.includes("\u0000")) {
    const at = lineColumn(body, body.indexOf("\u0000"));
    throw new HostParseError(path, "unexpected NUL byte", at.line, at.column);
  }
  const errors: ParseError[] = [];
  const root = notTooDeep(path, () =>
    parseTree(body, errors, {
      allowTrailingComma: !strict,
      disallowComments: strict,
      allowEmptyContent: true,
    }),
  );
  const first = errors[0];
  if (first) {
    let detail = parseErrorText(first.error);
    if (
      strict &&
      first.error === 3 /* PropertyNameExpected */ &&
      /,\s*[}\]]/.test(body.slice(first.offset - 8))
    ) {
      detail = "trailing commas are not allowed in this file";
    }
    // Columns count characters after the BOM, as editors show them.
    const at = lineColumn(body, first.offset);
    throw new HostParseError(path, detail, at.line, at.column);
  }
  return { root, shift };
}

/** Plain value of a tree node; duplicate keys resolve to the last one, as JSON.parse does. */
function nodeValue(node: Node): unknown {
  switch (node.type) {
    case "object": {
      const o: Record<string, unknown> = {};
      for (const p of node.children ?? []) {
        const [k, val] = p.children ?? [];
        if (k && val) {
          setOwn(o, k.value as string, nodeValue(val));
        }
      }
      return o;
    }
    case "array":
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

const childIndex = new WeakMap<Node, Map<string, Node>>();
/** Property node for `key` in an object node (the last one, if the key is duplicated). */
function propertyOf(obj: Node, key: string): Node | undefined {
  let m = childIndex.get(obj);
  if (!m) {
    m = new Map();
    for (const p of obj.children ?? []) {
      const k = p.children?.[0];
      if (k) m.set(k.value as string, p);
    }
    childIndex.set(obj, m);
  }
  return m.get(key);
}

function childAt(node: Node, seg: string | number): Node | undefined {
  if (node.type === "object" && typeof seg === "string") return propertyOf(node, seg)?.children?.[1];
  if (node.type === "array" && typeof seg === "number") return node.children?.[seg];
  return undefined;
}

const SHORT_LINE = 80;

/** One scalar as JSON.stringify writes it: a string (never a raw line break inside), number, literal. */
const SCALAR = String.raw`(?:"[^"\\\n]*(?:\\.[^"\\\n]*)*"|-?\d[\d.eE+-]*|true|false|null)`;
/** An array of scalars laid out one per line: `[`, items, and the indent of the closing `]`. */
const SCALAR_ARRAY = new RegExp(String.raw`\[\n[ \t]+(${SCALAR}(?:,\n[ \t]+${SCALAR})*)\n([ \t]*)\]`, "g");
const ITEM_BREAK = /,\n[ \t]+/g;

/** A scalar array on one line when it fits (its line's indent plus the array within SHORT_LINE). */
function inlineShortArray(whole: string, items: string, indent: string): string {
  const inline = `[${items.replace(ITEM_BREAK, ", ")}]`;
  return inline.length + indent.length <= SHORT_LINE ? inline : whole;
}

/**
 * JSON.stringify's indented text in the file's layout: each line after the first moved right by
 * `baseIndent`, short arrays of scalars on one line, the file's line ending. Every step is one
 * native call over the whole text, so a block of 10,000 servers costs a few milliseconds instead
 * of a walk over every value in the interpreter (which is where the short runs of a CLI execute).
 * `indent` must be what JSON.stringify accepts as its indent (checked by `nativeIndent`).
 */
/** A string array written with one item per line, and one written on one line. */
const ARRAY_ON_LINES = /\[[ \t]*\r?\n[ \t]*"(?:[^"\\\n]|\\.)*"[ \t]*,?[ \t]*\r?\n/;
const ARRAY_ON_ONE_LINE = /\[[ \t]*"(?:[^"\\\n]|\\.)*"[ \t]*(?:,[ \t]*"(?:[^"\\\n]|\\.)*"[ \t]*)*\]/;

/**
 * The file's layout, and whether it puts array items on lines of their own. Only a file that has
 * such an array is scanned for the other style (most files have none: one indexOf).
 */
function jsonLayout(text: string): Layout {
  const layout = detectLayout(text);
  if (text.includes("[\n") || text.includes("[\r\n")) {
    if (ARRAY_ON_LINES.test(text) && !ARRAY_ON_ONE_LINE.test(text)) layout.arrayLines = true;
  }
  return layout;
}

function layoutStringified(text: string, layout: Layout, baseIndent: string): string {
  let s = text;
  if (baseIndent !== "") s = s.replaceAll("\n", `\n${baseIndent}`);
  if (!layout.arrayLines && s.includes("[\n")) s = s.replace(SCALAR_ARRAY, inlineShortArray);
  return layout.eol === "\n" ? s : s.replaceAll("\n", layout.eol);
}

/** Whether JSON.stringify can indent with this unit (at most 10 characters, used as given). */
function nativeIndent(indent: string): boolean {
  return indent.length > 0 && indent.length <= 10;
}

/**
 * Formats a value for insertion at an indentation level, in the file's own layout: objects and
 * arrays one entry per line, arrays of scalars on one line when they fit in SHORT_LINE columns.
 * The result equals `formatJsonValueWalk` (its reference, kept for units JSON.stringify cannot
 * indent with); a property test holds the two together.
 */
export function formatJsonValue(value: unknown, layout: Layout, baseIndent: string): string {
  if (
    !nativeIndent(layout.indent) ||
    (value !== null && typeof value === "object" && !isPlainObject(value) && !Array.isArray(value))
  )
    return formatJsonValueWalk(value, layout, baseIndent);
  const text = JSON.stringify(value, null, layout.indent);
  return text === undefined ? "null" : layoutStringified(text, layout, baseIndent);
}

/** The reference formatter: a walk over the value (string concatenation, no list and join). */
export function formatJsonValueWalk(value: unknown, layout: Layout, baseIndent: string): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const inner = baseIndent + layout.indent;
    let scalars = true;
    for (const x of value)
      if (Array.isArray(x) || isPlainObject(x)) {
        scalars = false;
        break;
      }
    if (scalars && !layout.arrayLines) {
      let inline = "[";
      for (let i = 0; i < value.length; i++) inline += (i ? ", " : "") + (JSON.stringify(value[i]) ?? "null");
      inline += "]";
      if (inline.length + baseIndent.length <= SHORT_LINE) return inline;
    }
    let s = "[";
    for (let i = 0; i < value.length; i++)
      s += (i ? "," : "") + layout.eol + inner + formatJsonValueWalk(value[i], layout, inner);
    return `${s}${layout.eol}${baseIndent}]`;
  }
  if (isPlainObject(value)) {
    const inner = baseIndent + layout.indent;
    let s = "";
    for (const k in value) {
      if (!Object.hasOwn(value, k)) continue;
      const x = value[k];
      if (x === undefined) continue;
      s +=
        (s === "" ? "{" : ",") +
        layout.eol +
        inner +
        JSON.stringify(k) +
        ": " +
        formatJsonValueWalk(x, layout, inner);
    }
    return s === "" ? "{}" : `${s}${layout.eol}${baseIndent}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * `add`'s keys as lines (each `<eol><indent>"key": value`), separated by commas. One
 * JSON.stringify of the whole object, its braces cut off and each line's first indent unit
 * replaced by `indent`.
 */
export function entriesBlock(add: Record<string, unknown>, layout: Layout, indent: string): string {
  let plain = nativeIndent(layout.indent);
  let any = false;
  for (const k in add) {
    any = true;
    // JSON.stringify leaves out a key whose value is undefined; the walk writes it as null.
    if (add[k] === undefined) plain = false;
  }
  if (!plain) {
    let s = "";
    for (const k in add) {
      if (!Object.hasOwn(add, k)) continue;
      s +=
        (s === "" ? layout.eol : `,${layout.eol}`) +
        indent +
        JSON.stringify(k) +
        ": " +
        formatJsonValue(add[k], layout, indent);
    }
    return s;
  }
  if (!any) return "";
  const unit = layout.indent;
  const depth = indent.length / unit.length;
  if (depth >= 1 && Number.isInteger(depth) && unit.repeat(depth) === indent) {
    // `indent` is whole units: JSON.stringify indents the entries itself when they sit `depth`
    // levels down, `{"": {"": add}}`; the wrapping lines are cut off (no pass to re-indent).
    let wrapped: unknown = add;
    let head = 1;
    let tail = 2;
    for (let i = 1; i < depth; i++) {
      wrapped = { "": wrapped };
      head += 6 + i * unit.length; // \n<unit × i>"": {
      tail += 2 + i * unit.length; // \n<unit × i>}
    }
    const text = JSON.stringify(wrapped, null, unit);
    return layoutStringified(text.slice(head, text.length - tail), layout, "");
  }
  // "{\n<unit>…\n}": the inside, each line starting with "\n<unit>", the unit becoming `indent`.
  const text = JSON.stringify(add, null, unit);
  return layoutStringified(text.slice(1, text.length - 2).replaceAll(`\n${unit}`, `\n${indent}`), layout, "");
}

/** A value on one line, `{ "a": 1 }` style (`pad` is the space inside braces, "" or " "). */
function inlineJsonValue(value: unknown, pad: string): string {
  if (Array.isArray(value)) return `[${value.map((x) => inlineJsonValue(x, pad)).join(", ")}]`;
  if (isPlainObject(value)) {
    const entries = Object.entries(value).filter(([, x]) => x !== undefined);
    if (entries.length === 0) return "{}";
    return `{${pad}${entries.map(([k, x]) => `${JSON.stringify(k)}: ${inlineJsonValue(x, pad)}`).join(", ")}${pad}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** End of the line comment starting at `i`: the first carriage return or line feed (or the end). */
function lineCommentEnd(text: string, i: number): number {
  let k = i + 2;
  while (k < text.length && text[k] !== "\n" && text[k] !== "\r") k++;
  return k;
}

/** Offset past the blanks and comments that follow `pos` on the same line (not the line break). */
function sameLineCommentEnd(text: string, pos: number): number {
  let i = pos;
  let end = pos;
  while (i < text.length) {
    const c = text[i];
    if (c === " " || c === "\t") i++;
    else if (c === "/" && text[i + 1] === "/") {
      i = lineCommentEnd(text, i);
      end = i;
      break;
    } else if (c === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      if (close < 0 || text.slice(i, close).includes("\n")) break;
      i = close + 2;
      end = i;
    } else break;
  }
  return end;
}

/** Builds `{a: {b: value}}` for a path below an existing node. */
function nest(path: Path, value: unknown): unknown {
  let v = value;
  for (let i = path.length - 1; i >= 0; i--) v = { [String(path[i])]: v };
  return v;
}

function mergeInto(target: Record<string, unknown>, path: Path, value: unknown): void {
  let cur = target;
  for (let i = 0; i < path.length - 1; i++) {
    const k = String(path[i]);
    if (!isPlainObject(cur[k])) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[String(path[path.length - 1])] = value;
}

/** Offset just past a trailing comma that follows `end` (skipping blanks and comments), if any. */
function commaAfter(text: string, end: number): number | undefined {
  let i = end;
  while (i < text.length) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\r" || c === "\n") i++;
    else if (c === "/" && text[i + 1] === "/") i = lineCommentEnd(text, i);
    else if (c === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      i = close < 0 ? text.length : close + 2;
    } else return c === "," ? i + 1 : undefined;
  }
  return undefined;
}

/**
 * The line range [from, to) covering properties from `start` to `end` when they stand on lines of
 * their own (only blanks before; only a comma and a line comment after), else undefined.
 */
function wholeLines(
  text: string,
  start: number,
  end: number,
): { from: number; to: number; trailingComma: boolean } | undefined {
  const from = text.lastIndexOf("\n", start - 1) + 1;
  if (!/^[ \t]*$/.test(text.slice(from, start))) return undefined;
  const m = /^[ \t]*(,)?[ \t]*(\/\/[^\n]*)?(\r?\n|$)/.exec(text.slice(end));
  if (!m) return undefined;
  return { from, to: end + m[0].length, trailingComma: m[1] === "," };
}

/** How many edits took the batch of new keys (for the tests that hold it to the general loop). */
export const batchStats = { taken: 0 };

/**
 * The edits when all of them add keys not there yet to one existing object (a sync's new
 * servers): that object, and the keys as the general loop would gather them (same assignments, in
 * the same order); else undefined. One walk down to the object instead of one per edit, and no
 * path copies or nested merge per key.
 */
function newKeysBatch(
  root: Node,
  edits: readonly Edit[],
): { obj: Node; add: Record<string, unknown> } | undefined {
  const first = edits[0] as Edit;
  if (isRemove(first)) return undefined;
  const base = first.path;
  const n = base.length - 1;
  if (n < 0) return undefined;
  let obj: Node = root;
  for (let i = 0; i < n; i++) {
    const next = childAt(obj, base[i] as string | number);
    if (!next) return undefined;
    obj = next;
  }
  if (obj.type !== "object") return undefined;
  const add: Record<string, unknown> = {};
  for (let j = 0; j < edits.length; j++) {
    const e = edits[j] as Edit;
    if (isRemove(e)) return undefined;
    const p = e.path;
    if (p.length !== n + 1) return undefined;
    for (let i = 0; i < n; i++) if (p[i] !== base[i]) return undefined;
    const k = p[n];
    if (typeof k !== "string" || propertyOf(obj, k) !== undefined) return undefined;
    add[k] = e.value;
  }
  return { obj, add };
}

// ---------------------------------------------------------------------------------------------
// Editing without a tree of the whole file. A sync into a file mostly adds new servers to one
// object, or changes a few values in entries already there; the edit then needs only the nodes on
// the edits' paths (where the object is, its properties, the values changed), not jsonc-parser's
// tree of the whole original (a walk of every character in the interpreter: about half of a small
// file's edit, and most of the resync of one changed server in a file of 1,000). A small recursive
// reader finds the tokens (below), checks the grammar as the tree would and records those nodes;
// anything it does not vouch for (an error, a key repeated on a path, a missing object) takes the
// tree. Held to the tree by the differential tests (jsonc.test.ts), which run every edit both ways.
// Measured gain (Bun 1.4.5, 2 cores, side by side): everyday dry run 20 → 5 files 58–62 → 51–53 ms;
// 1,000 → 10 files 165 → 154 ms (appends only); 2026-12-03, one server changed in 10 files of
// 1,000 (fresh copies interleaved, 8 rounds): 435–487 → 327–363 ms (A/B 0.756, 0.770).

// The reader looks at one character to tell a token's kind and matches strings, comments and
// literals with sticky regexes tested in place (test(), not exec(): no match array and no token
// string; only the keys on the way to the object, and the object's own, become strings). With
// exec() and a string per token, the scan was the larger part of what planning a small file
// allocated (the everyday sync: ~600 arrays and strings a file, of ~1,000). Measured 2026-12-03
// side by side, fresh copies interleaved (40 rounds): the everyday sync A/B 0.969, 56 fewer page
// faults; 10,000 servers into 10 files unchanged (1.003).
/** A JSON string: no raw control character, only JSON's escapes (jsonc-parser reports the rest). */
const SCAN_STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
/** A literal, ending where a token ends (a run such as `1x` or `truex` is none). */
const SCAN_LITERAL = /(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)(?![^\s{}[\]:,"/])/y;
const SCAN_BLANKS = /[ \t\n\r]+/y;
const SCAN_LINE_COMMENT = /\/\/[^\n\r]*/y;
const SCAN_BLOCK_COMMENT = /\/\*[\s\S]*?\*\//y;

const OTHER_BLANK = /[^\S \t\n\r]/;

/** How many edits took the scan instead of the tree (for the tests that hold it to the tree). */
export const scanStats = { taken: 0 };

class ScanFail extends Error {}

/** The token kinds the reader tells apart by their first character (END: no more tokens). */
const END = -1;
const QUOTE = 0x22;

/** The edits' paths as a tree of segments: the nodes a scan must record (see scanTree). */
type PathTrie = Map<string | number, PathTrie>;
/** A tree node the scan fills in as it reads (jsonc-parser's Node is read-only). */
type ScanNode = { -readonly [K in keyof Node]: Node[K] };

/** Where an edit's path ends (shared: never added to; a longer path through it gets its own). */
const PATH_END: PathTrie = new Map();

function pathTrie(edits: readonly Edit[]): PathTrie {
  const root: PathTrie = new Map();
  for (const e of edits) {
    let t = root;
    const last = e.path.length - 1;
    for (let i = 0; i <= last; i++) {
      const seg = e.path[i] as string | number;
      let next = t.get(seg);
      if (next === undefined || (next === PATH_END && i < last)) {
        next = i === last ? PATH_END : new Map();
        t.set(seg, next);
      }
      t = next;
    }
  }
  return root;
}

/** The node type of a value whose token starts with character code `c` (`{`, `[`, a string or a literal). */
function typeOf(c: number): Node["type"] {
  if (c === 0x7b) return "object";
  if (c === 0x5b) return "array";
  if (c === QUOTE) return "string";
  if (c === 0x74 || c === 0x66) return "boolean"; // true, false
  return c === 0x6e ? "null" : "number";
}

/**
 * The part of jsonc-parser's tree of `body` (no BOM) that the edits reach, read without a tree of
 * the rest: every object and array on an edit's path with all its properties or items (offsets,
 * lengths, keys), the values there, and each other value as a node without children. editJson
 * walks it as it walks the whole tree (childAt, propertyOf, children, parent), so appends,
 * replacements and removals all take it. Undefined when the text is not what the tree would read
 * the same way (a syntax error, a key repeated on a path, an empty document): the tree decides.
 */
function scanTree(body: string, trie: PathTrie, strict: boolean): Node | undefined {
  // Blanks other than JSON's four (a no-break space, a line separator): the tree decides.
  if (OTHER_BLANK.test(body)) return undefined;
  const n = body.length;
  /** The current token: its first character's code (END after the last), where it starts and ends. */
  let kind = END;
  let at = 0;
  let end = 0;
  /** Moves to the next token, past blanks and comments. */
  const next = (): void => {
    let p = end;
    for (;;) {
      let c = p < n ? body.charCodeAt(p) : END;
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
        SCAN_BLANKS.lastIndex = p;
        SCAN_BLANKS.test(body);
        p = SCAN_BLANKS.lastIndex;
        c = p < n ? body.charCodeAt(p) : END;
      }
      at = p;
      kind = c;
      if (c === END) {
        end = n;
        return;
      }
      if (c === 0x2f /* / */) {
        if (strict) throw new ScanFail();
        const d = body.charCodeAt(p + 1);
        const re = d === 0x2f ? SCAN_LINE_COMMENT : d === 0x2a /* * */ ? SCAN_BLOCK_COMMENT : undefined;
        if (!re) throw new ScanFail();
        re.lastIndex = p;
        if (!re.test(body)) throw new ScanFail(); // an unclosed block comment
        p = re.lastIndex;
        continue;
      }
      if (c === 0x7b || c === 0x7d || c === 0x5b || c === 0x5d || c === 0x3a || c === 0x2c) {
        end = p + 1; // { } [ ] : ,
        return;
      }
      const re = c === QUOTE ? SCAN_STRING : SCAN_LITERAL;
      re.lastIndex = p;
      if (!re.test(body)) throw new ScanFail();
      end = re.lastIndex;
      return;
    }
  };
  // Read through a call: TypeScript would keep `kind` narrowed across next().
  const peek = (): number => kind;
  /** The current token, a string, as the text it stands for. */
  const keyText = (): string => {
    const raw = body.slice(at + 1, end - 1);
    return raw.includes("\\") ? (JSON.parse(body.slice(at, end)) as string) : raw;
  };
  /**
   * After a member of an object or array: past its comma, true when the container's `close` follows
   * (a trailing comma only where comments are allowed), false when another member does.
   */
  const closes = (close: number): boolean => {
    if (peek() === 0x2c /* , */) {
      next();
      if (peek() !== close) return false;
      if (strict) throw new ScanFail();
      return true;
    }
    if (peek() !== close) throw new ScanFail();
    return true;
  };
  /** Reads one value off the edits' paths: checked, nothing kept; where it ends. */
  const skip = (): number => {
    const c = kind;
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const close = c === 0x7b ? 0x7d : 0x5d;
      next();
      for (;;) {
        if (peek() === close) break;
        if (c === 0x7b) {
          if (kind !== QUOTE) throw new ScanFail();
          next();
          if (peek() !== 0x3a /* : */) throw new ScanFail();
          next();
        }
        skip();
        if (closes(close)) break;
      }
      const valueEnd = at + 1;
      next();
      return valueEnd;
    }
    // A string or a literal (next() vouched for either); punctuation or the end is no value.
    if (c === END || c === 0x7d || c === 0x5d || c === 0x3a || c === 0x2c) throw new ScanFail();
    const valueEnd = end;
    next();
    return valueEnd;
  };
  /**
   * Reads one value on a path (`t`: the rest of the paths through it): an object gets all its
   * properties (each with its key; those on a path with their value's node too), an array all its
   * items, anything else one node.
   */
  const value = (t: PathTrie, parent: Node | undefined): Node => {
    const c = kind;
    const open = at;
    if (t === PATH_END || (c !== 0x7b && c !== 0x5b)) {
      // Where a path ends (the value is replaced or removed whole), or a string or a literal: one
      // node, where it lies (skip() refuses punctuation or the end as a value).
      return { type: typeOf(c), offset: open, length: skip() - open, parent } as Node;
    }
    if (c === 0x7b /* { */) {
      const node = { type: "object", offset: open, length: 0, parent } as ScanNode;
      const children: Node[] = [];
      const index = new Map<string, Node>();
      next();
      for (;;) {
        if (peek() === 0x7d /* } */) break;
        if (kind !== QUOTE) throw new ScanFail();
        const keyAt = at;
        const keyEnd = end;
        const key = keyText();
        next();
        if (peek() !== 0x3a /* : */) throw new ScanFail();
        next();
        const sub = t.get(key);
        const prop = { type: "property", offset: keyAt, length: 0, parent: node } as ScanNode;
        if (sub !== undefined) {
          // A key repeated on a path: the tree decides which one counts.
          if (index.has(key)) throw new ScanFail();
          const keyNode = { type: "string", value: key, offset: keyAt, length: keyEnd - keyAt, parent: prop };
          const val = value(sub, prop);
          prop.length = val.offset + val.length - keyAt;
          prop.children = [keyNode as Node, val];
        } else {
          // Off the paths: editJson reads only where the property lies (no child is asked for).
          prop.length = skip() - keyAt;
        }
        children.push(prop);
        // The last of a repeated key, as propertyOf keeps it.
        index.set(key, prop);
        if (closes(0x7d)) break;
      }
      node.length = at + 1 - open;
      node.children = children;
      childIndex.set(node as Node, index);
      next();
      return node;
    }
    // An array on a path.
    const node = { type: "array", offset: open, length: 0, parent } as ScanNode;
    const children: Node[] = [];
    next();
    for (;;) {
      if (peek() === 0x5d /* ] */) break;
      children.push(value(t.get(children.length) ?? PATH_END, node));
      if (closes(0x5d)) break;
    }
    node.length = at + 1 - open;
    node.children = children;
    next();
    return node;
  };
  try {
    next();
    if (peek() !== 0x7b) return undefined;
    const root = value(trie, undefined);
    if (peek() !== END) return undefined; // something after the top-level object
    return root;
  } catch (e) {
    if (e instanceof ScanFail || e instanceof RangeError || e instanceof SyntaxError) return undefined;
    throw e;
  }
}

/** editJson without the batch of new keys: the reference the tests hold the batch to. */
export function editJsonGeneral(text: string, edits: readonly Edit[], path: string, strict: boolean): string {
  return editJson(text, edits, path, strict, false);
}

function editJson(text: string, edits: readonly Edit[], path: string, strict: boolean, batch = true): string {
  if (edits.length === 0) return text;
  const layout = jsonLayout(text);
  const scanShift = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const scanned = batch ? scanTree(scanShift ? text.slice(1) : text, pathTrie(edits), strict) : undefined;
  const { root, shift } = scanned ? { root: scanned, shift: scanShift } : parseToTree(text, path, strict);
  if (!root) {
    // Empty file: build the document from the edits.
    const doc: Record<string, unknown> = {};
    for (const e of edits) if (!isRemove(e)) mergeInto(doc, e.path, e.value);
    const bom = layout.bom ? "\uFEFF" : "";
    return `${bom}${formatJsonValue(doc, { ...layout, indent: "  " }, "")}${layout.eol}`;
  }
  if (root.type !== "object")
    throw new HostParseError(path, "the file must hold a JSON object at the top level");

  const out: TextEdit[] = [];
  // Per object node: properties to insert, and properties to remove.
  const inserts = new Map<Node, Record<string, unknown>>();
  const removals = new Map<Node, Set<Node>>();
  const replaced = new Set<Node>();

  if (scanned) scanStats.taken++;
  const newKeys = batch ? newKeysBatch(root, edits) : undefined;
  if (newKeys) {
    inserts.set(newKeys.obj, newKeys.add);
    batchStats.taken++;
  }
  for (const e of newKeys ? [] : edits) {
    let node: Node = root;
    let depth = 0;
    for (; depth < e.path.length; depth++) {
      const next = childAt(node, e.path[depth] as string | number);
      if (!next) break;
      node = next;
    }
    if (isRemove(e)) {
      if (depth < e.path.length) continue; // already absent
      const prop = node.parent;
      if (prop?.type !== "property" || !prop.parent)
        throw new Error(`Internal error: cannot remove ${e.path.join(".")}`);
      let set = removals.get(prop.parent);
      if (!set) {
        set = new Set();
        removals.set(prop.parent, set);
      }
      set.add(prop);
      continue;
    }
    if (depth === e.path.length) {
      replaced.add(node);
      const indent = lineIndent(text, node.offset + shift);
      out.push({
        offset: node.offset + shift,
        length: node.length,
        content: formatJsonValue(e.value, layout, indent),
      });
      continue;
    }
    if (node.type !== "object") {
      // A non-object sits where an object is needed: replace it whole.
      const indent = lineIndent(text, node.offset + shift);
      out.push({
        offset: node.offset + shift,
        length: node.length,
        content: formatJsonValue(nest(e.path.slice(depth), e.value), layout, indent),
      });
      continue;
    }
    let pending = inserts.get(node);
    if (!pending) {
      pending = {};
      inserts.set(node, pending);
    }
    mergeInto(pending, e.path.slice(depth), e.value);
  }

  const objects = new Set<Node>([...inserts.keys(), ...removals.keys()]);
  for (const obj of objects) {
    if (replaced.has(obj)) continue;
    const add = inserts.get(obj) ?? {};
    const drop = removals.get(obj) ?? new Set<Node>();
    const children = obj.children ?? [];
    const kept = children.filter((p) => !drop.has(p));
    const objIndent = lineIndent(text, obj.offset + shift);
    const firstChild = children[0];
    const childIndent =
      firstChild &&
      text.lastIndexOf("\n", firstChild.offset + shift) > text.lastIndexOf("\n", obj.offset + shift)
        ? lineIndent(text, firstChild.offset + shift)
        : objIndent + layout.indent;
    // Every new key on a line of its own, comma-separated: one list of parts, one join (not a
    // string per key, then per line, then the whole).
    const block = entriesBlock(add, layout, childIndent);

    if (children.length === 0 && block !== "") {
      // An empty object: the new keys go after whatever it holds (its comments are kept).
      const open = obj.offset + shift + 1;
      const close = obj.offset + shift + obj.length - 1;
      const inner = text.slice(open, close).trimEnd();
      if (inner.trim() !== "") {
        out.push({
          offset: open,
          length: close - open,
          content: `${inner}${block}${layout.eol}${objIndent}`,
        });
        continue;
      }
    }
    if (kept.length === 0) {
      // Nothing is left but the new keys: rebuild the object's inside.
      const content = block === "" ? "{}" : `{${block}${layout.eol}${objIndent}}`;
      out.push({ offset: obj.offset + shift, length: obj.length, content });
      continue;
    }
    const last = children[children.length - 1] as Node;
    // New keys go after the last property; when that property is removed, they take the place of
    // the removed run at the end (so the two edits never meet at one offset).
    let pendingBlock = block;
    if (block !== "" && !drop.has(last)) {
      const lastEnd = last.offset + shift + last.length;
      const comma = commaAfter(text, lastEnd);
      const objText = text.slice(obj.offset + shift, obj.offset + shift + obj.length);
      if (!objText.includes("\n")) {
        // A one-line object stays on one line: `{ "a": 1, "b": 2 }`.
        const pad = objText[1] === " " ? " " : "";
        const body = Object.entries(add).map(([k, v]) => `${JSON.stringify(k)}: ${inlineJsonValue(v, pad)}`);
        if (comma !== undefined) out.push({ offset: comma, length: 0, content: ` ${body.join(", ")},` });
        else out.push({ offset: lastEnd, length: 0, content: `, ${body.join(", ")}` });
      } else {
        // New lines go after the last property and the comment that ends its line, if any.
        if (comma !== undefined) {
          out.push({ offset: sameLineCommentEnd(text, comma), length: 0, content: `${block},` });
        } else {
          const at = sameLineCommentEnd(text, lastEnd);
          if (at > lastEnd) out.push({ offset: lastEnd, length: 0, content: "," });
          out.push({ offset: at, length: 0, content: `${at > lastEnd ? "" : ","}${block}` });
        }
      }
      pendingBlock = "";
    }
    // Delete each run of removed properties with its comma.
    let i = 0;
    while (i < children.length) {
      if (!drop.has(children[i] as Node)) {
        i++;
        continue;
      }
      let j = i;
      while (j + 1 < children.length && drop.has(children[j + 1] as Node)) j++;
      const runFirst = children[i] as Node;
      const runLast = children[j] as Node;
      const prev = children[i - 1];
      const next = children[j + 1];
      const runStart = runFirst.offset + shift;
      const runEnd = runLast.offset + shift + runLast.length;
      const whole = wholeLines(text, runStart, runEnd);
      if (!next && pendingBlock !== "") {
        // The removed tail is replaced by the new keys; the commas around it stay as they are.
        if (whole) {
          const eol = text[whole.to - 1] === "\n" ? layout.eol : "";
          const lines = pendingBlock.slice(layout.eol.length);
          out.push({
            offset: whole.from,
            length: whole.to - whole.from,
            content: `${lines}${whole.trailingComma ? "," : ""}${eol}`,
          });
        } else {
          out.push({
            offset: runStart,
            length: runEnd - runStart,
            content: pendingBlock.slice(layout.eol.length + childIndent.length),
          });
        }
      } else if (whole) {
        // The run fills whole lines: drop those lines (with their comments); if it was the tail,
        // the comma that separated it from the kept property goes too, unless trailing commas are
        // the file's style.
        out.push({ offset: whole.from, length: whole.to - whole.from, content: "" });
        if (!next && prev && !whole.trailingComma) {
          const comma = commaAfter(text, prev.offset + shift + prev.length);
          if (comma !== undefined && comma <= whole.from)
            out.push({ offset: comma - 1, length: 1, content: "" });
        }
      } else if (prev) {
        out.push({
          offset: prev.offset + shift + prev.length,
          length: runEnd - (prev.offset + shift + prev.length),
          content: "",
        });
      } else if (next) {
        out.push({ offset: runStart, length: next.offset + shift - runStart, content: "" });
      }
      i = j + 1;
    }
  }
  const result = applyTextEdits(text, out);
  if (!strict) rememberTwin(text, out, result);
  return result;
}

// ---------------------------------------------------------------------------------------------
// The twin of an edited JSONC text, for the check that reads it back. Reading a commented file
// through JSON.parse first drops its comments, a regex pass over the whole text (~25 ms for
// 10,000 servers). The edit knows more: the comments are the original's (new values are plain
// JSON), so the original with its comments blanked, edited with the same text edits, is the new
// text with the same comments (and trailing commas) blanked. It is used only when that is certain:
// - the original has comments or trailing commas, and no stray `/` or unterminated comment;
// - no edit starts inside a comment or cuts one in part (an edit may remove one whole);
// - text put right after a line comment starts with a line break (else the comment would take it);
// - nothing is put between a trailing comma and its `}` or `]` (so it still trails);
// - JSON.parse accepts the twin (so no string holds a raw line break, and each line of the twin
//   starts outside strings), and each comment left starts outside strings there: the text before
//   it is the same in both (earlier comments are blanks there and comments here), so the new text
//   reads it as a comment too, which is to say as blanks (and a trailing comma as nothing).

interface Twin {
  text: string;
  plain: string;
  /** Where each comment left in the new text starts. */
  starts: number[];
}
let twin: Twin | undefined;
/** How many reads the twin answered (for the tests that hold it to the tree). */
export const twinStats = { reads: 0 };

/** A JSON string token (any escape kept whole), shared by the JSONC regexes below. */
const JSON_STRING = String.raw`"[^"\\]*(?:\\[\s\S][^"\\]*)*"`;
/** A line comment: to the first line feed or carriage return, as in jsonc-parser. */
const LINE_COMMENT = String.raw`\/\/[^\n\r]*`;
const BLOCK_COMMENT = String.raw`\/\*[\s\S]*?\*\/`;
const TRAILING_COMMA = String.raw`,(?=[ \t\r\n]*[}\]])`;

/** A string, a comment, a stray `/`, or a comma followed by blanks and `}` or `]`. */
const JSONC_TOKENS = new RegExp(`${JSON_STRING}|${LINE_COMMENT}|${BLOCK_COMMENT}|\\/|${TRAILING_COMMA}`, "g");

/** A comment, or a trailing comma with the offset of the `}` or `]` it comes before. */
type Blank = { start: number; end: number; line: boolean; closer?: number };

/** The text with its comments and trailing commas blanked in place (line breaks kept), and where. */
function blankJsonc(text: string): { plain: string; blanks: Blank[] } | undefined {
  const parts: string[] = [];
  const blanks: Blank[] = [];
  let copied = 0;
  const re = new RegExp(JSONC_TOKENS);
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const tok = m[0];
    const at = m.index;
    if (tok.charCodeAt(0) === 0x22 /* " */) continue;
    if (tok === ",") {
      let closer = at + 1;
      while (" \t\r\n".includes(text[closer] as string)) closer++;
      blanks.push({ start: at, end: at + 1, line: false, closer });
      parts.push(text.slice(copied, at), " ");
    } else {
      if (tok.length === 1) return undefined; // a stray `/`
      blanks.push({ start: at, end: at + tok.length, line: tok[1] === "/" });
      parts.push(text.slice(copied, at), tok.replace(/[^\n\r]/g, " "));
    }
    copied = at + tok.length;
  }
  if (copied === 0) return { plain: text, blanks };
  parts.push(text.slice(copied));
  return { plain: parts.join(""), blanks };
}

function rememberTwin(original: string, edits: TextEdit[], result: string): void {
  twin = undefined;
  const blanked = blankJsonc(original);
  if (!blanked || blanked.blanks.length === 0) return;
  const starts: number[] = [];
  for (const { start, end, line, closer } of blanked.blanks) {
    let shift = 0;
    let gone = false;
    for (const x of edits) {
      const xEnd = x.offset + x.length;
      if (xEnd <= start) {
        // Before it (an insertion at its start goes before it too): it moves.
        shift += x.content.length - x.length;
      } else if (x.length > 0 && x.offset <= start && xEnd >= end) {
        gone = true; // removed or replaced whole
      } else if (x.offset < end) {
        return; // starts inside it, or cuts it in part
      } else if (line && x.offset === end && !/^[\r\n]/.test(x.content)) {
        return; // the line comment would run on into the new text
      } else if (closer !== undefined && x.offset <= closer) {
        return; // something between a trailing comma and its closer: it may trail no more
      }
    }
    if (!gone) starts.push(start + shift);
  }
  twin = { text: result, plain: applyTextEdits(blanked.plain, edits), starts };
}

/** The twin's value, when `text` is the text it was made for and the twin holds. */
function twinValue(text: string): { value: unknown } | undefined {
  const t = twin;
  if (!t || t.text !== text) return undefined;
  twin = undefined;
  const plain = t.plain.charCodeAt(0) === 0xfeff ? t.plain.slice(1) : t.plain;
  const lead = t.plain.length - plain.length;
  let value: unknown;
  try {
    value = JSON.parse(plain);
  } catch {
    return undefined;
  }
  for (const at of t.starts) {
    // The line holding the comment, up to it, must leave it outside strings.
    const from = Math.max(t.plain.lastIndexOf("\n", at - 1), t.plain.lastIndexOf("\r", at - 1)) + 1;
    if (at - from > 100_000) return undefined;
    let inString = false;
    for (let k = Math.max(from, lead); k < at; k++) {
      const c = t.plain.charCodeAt(k);
      if (inString) {
        if (c === 0x5c /* \ */) k++;
        else if (c === 0x22) inString = false;
      } else if (c === 0x22) inString = true;
    }
    if (inString) return undefined;
  }
  twinStats.reads++;
  return { value };
}

// A string (kept, as group 1) or a comment; then a string or a trailing comma. The string
// alternative comes first, so what looks like a comment or a comma inside a string is skipped
// with the string.
const STRING_OR_COMMENT = new RegExp(`(${JSON_STRING})|${LINE_COMMENT}|${BLOCK_COMMENT}`, "g");
const STRING_OR_TRAILING_COMMA = new RegExp(`(${JSON_STRING})|${TRAILING_COMMA}`, "g");
/** A comma with no value before it (`[,]`, `{,}`, `1,,]`): an error the tree reports. */
const COMMA_AFTER_NO_VALUE = /[[{,][ \t\r\n]*,/;

/**
 * JSONC as plain JSON text with the same value, for the engine's JSON parser: each comment becomes
 * one blank and trailing commas go; strings are kept verbatim (so an invalid string stays invalid).
 * Two replaces with a compiled regex and a fixed replacement, all in native code (as fast as the
 * loop over every token it replaced, ~15 ms for 10,000 servers warm, and shorter). Offsets are
 * not kept; the result is only ever given to JSON.parse, and whatever it rejects (a stray `/`, an
 * unterminated comment) takes the tree path, which reports the error where it is. Undefined when
 * a comma follows no value, which dropping it would hide (also when that text is inside a string:
 * the tree path then reads it, a little slower).
 */
export function jsoncToJson(text: string): string | undefined {
  if (!text.includes("/") && !/,[ \t\r\n]*[}\]]/.test(text)) return text;
  // "$1 ": a string is followed by a blank (harmless between tokens), a comment is one blank.
  const uncommented = text.replace(STRING_OR_COMMENT, "$1 ");
  if (COMMA_AFTER_NO_VALUE.test(uncommented)) return undefined;
  return uncommented.replace(STRING_OR_TRAILING_COMMA, "$1");
}

/** The tree path alone (jsonc-parser), for tests that hold the fast paths to it. */
export function parseJsonTree(text: string, path: string, strict: boolean): unknown {
  const { root } = parseToTree(text, path, strict);
  return root ? notTooDeep(path, () => nodeValue(root)) : undefined;
}

function parseJson(text: string, path: string, strict: boolean): unknown {
  // Most files are plain JSON: the engine's parser reads them many times faster than a tree
  // walk, with the same result (last duplicate key wins, "__proto__" an own key). JSONC takes
  // the same parser once its comments and trailing commas are gone. Anything it rejects (empty
  // files, errors) takes the tree path, which also gives the error its line and column.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch {}
  if (!strict) {
    const fromTwin = twinValue(text);
    if (fromTwin) return fromTwin.value;
    const plain = jsoncToJson(body);
    if (plain !== undefined) {
      try {
        return JSON.parse(plain);
      } catch {}
    }
  }
  return parseJsonTree(text, path, strict);
}

/** Strict JSON: comments and trailing commas are errors, as the hosts that use it say. */
export const json: FileFormat = {
  name: "json",
  parse: (text, path) => parseJson(text, path, true),
  edit: (text, edits, path) => editJson(text, edits, path, true),
};

/** JSON with comments and trailing commas (VS Code, Zed, Gemini, opencode, Amp). */
export const jsonc: FileFormat = {
  name: "jsonc",
  parse: (text, path) => parseJson(text, path, false),
  edit: (text, edits, path) => editJson(text, edits, path, false),
};
