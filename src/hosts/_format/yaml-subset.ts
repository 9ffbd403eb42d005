// A fast reader for the simple block YAML that programs and people usually write (Goose's config,
// hatch's own config.yaml and environment files). One linear pass with charCodeAt / indexOf scans,
// no tokens and no nodes: about a millisecond in a cold process where the `yaml` package's parser
// and composer take tens of milliseconds (and 20-30 times faster once warm).
//
// It is a filter, not a YAML implementation: it returns `{ value }` only when it is certain that
// the `yaml` package (2.9, YAML 1.2 core schema, default options) would parse the text without
// errors or warnings, that no mapping repeats a key, and that `parseDocument(text).toJS()` deep-
// equals `value` (own properties in the same order, -0 and NaN included). Anything else, and
// anything it is unsure of, gives `undefined`: the caller then parses with the library, which also
// produces the error messages.
//
// Accepted:
// - an optional BOM, LF or CRLF line breaks, blank lines, `#` comment lines (any indentation) and
//   comments after a value (`value  # comment`), an optional `---` first line and `...` last line
//   (each may carry a comment);
// - block mappings, indented with spaces, with plain, 'single' or "double" quoted keys on one line;
// - block sequences (`- item`), nested ones on the same line (`- - x`), maps starting in an item
//   (`- key: value`), and a sequence at its parent key's indentation (`key:\n- a`);
// - scalars on one line: plain (resolved exactly as the library's core schema does: null, bool,
//   int, hex, octal, float, .inf, .nan), single-quoted, double-quoted with the library's escapes;
// - flow collections on one line: `{}`, `[]` and sequences of scalars (`args: ["-y", pkg]`).
// Refused (undefined): multi-line scalars, block scalars (| >), anchors, aliases, tags,
// directives, non-empty flow maps, nested flow collections, `? ` keys, `<<` keys, tabs outside
// quoted scalars and comments, control characters, several documents, keys over 1000 characters
// or resolving to the same string as an earlier key of the same map, nesting deeper than 200.

/** What parseYamlSubset found. */
export interface YamlSubsetResult {
  /** `parseDocument(text).toJS()` of the `yaml` package. */
  value: unknown;
  /**
   * Set when the text holds no document at all (only a BOM, blank lines and comments): the
   * library's `doc.contents` is null there (a `---` or `...` line makes it a null scalar instead).
   */
  empty?: true;
}

/** Where a block map's entries lie in the text (what yaml.ts needs to append entries to it). */
export interface YamlMapSpan {
  /** Column of its keys. */
  col: number;
  /** End (before the line break) of the last line holding content of its last entry. */
  end: number;
  /** Whether the library reads every key as a string (a plain `1:`, `true:` or `~:` it does not). */
  stringKeys: boolean;
  /**
   * Each entry by its key: where the key starts, and the end (before the line break) of the last
   * line holding content of its value.
   */
  entries: Map<string, { start: number; end: number }>;
}

/** Layout facts `parseYamlSubset` gathers on request, for edits spliced without a Document. */
export interface YamlLayout {
  /** Each block map of the value (the object the reader returned for it) and its span. */
  maps: Map<object, YamlMapSpan>;
  /**
   * Column of the first block map that is a map entry's value minus its key's column, and the
   * same for the first block sequence, in document order (yaml.ts's detectStyle on a Document).
   */
  unit?: number;
  seq?: number;
}

/** Thrown inside the reader when the text is outside the subset; never escapes it. */
class OutsideSubset extends Error {}
const OUTSIDE = new OutsideSubset("outside the YAML subset");

function outside(): never {
  throw OUTSIDE;
}

/**
 * Characters refused anywhere: C0 controls other than tab, line feed and carriage return, DEL and
 * C1 controls (NEL is a line break in YAML 1.1), the Unicode line and paragraph separators, and a
 * byte order mark after the start. (Regular expressions over the whole text, not a loop per
 * character: a cold process runs them natively.)
 */
const BAD_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff]/g;
/** A carriage return not followed by a line feed. */
const LONE_CR = /\r(?!\n)/;

const MAX_DEPTH = 200;
const MAX_KEY = 1000;

// Sentinel indentations of the current line.
const END = -1;
const MARKER = -2;

// The reader's state (module-level for speed; the reader is synchronous and never re-entered).
let t = "";
let n = 0;
/** Start of the current content line (the next one not yet consumed), -1 at the end. */
let ls = 0;
/** Its indentation, or END, or MARKER for a `---` / `...` line at column 0. */
let ind = 0;
/** End of its content (before `\r\n` or `\n`). */
let le = 0;
/** Start of the line after it. */
let nx = 0;
let depth = 0;
/** Offset just past the closing quote of the last quoted scalar. */
let qEnd = 0;
/** Offset just past the `:` of the last key found by `scanAt`. */
let kEnd = 0;
/** Offset just past the last scalar found by `scanAt` (before spaces and a comment). */
let sEnd = 0;
/** Whether the last `scanAt` found a key (else a scalar or a flow collection). */
let sKey = false;
/** Whether that key is a string for the library. */
let kStr = false;
/** End of the content line consumed last (see advance). */
let prevLe = 0;
/** Where to record layout facts, when asked to. */
let lay: YamlLayout | undefined;
/** Nesting up to which a layout's unit and seq are taken (detectStyle looks no deeper). */
const STYLE_DEPTH = 51;

/**
 * Reads a YAML text if it lies in the simple subset above.
 * @param layout filled in with where the block maps lie and the indentation the file uses
 * @returns the value the `yaml` package would give, or undefined when the text is outside the
 *   subset, invalid, or has a repeated key (use the library then)
 */
export function parseYamlSubset(text: string, layout?: YamlLayout): YamlSubsetResult | undefined {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  BAD_CHAR.lastIndex = start;
  if (BAD_CHAR.test(text)) return undefined;
  if (text.indexOf("\r") >= 0 && LONE_CR.test(text)) return undefined;
  t = text;
  n = text.length;
  depth = 0;
  lay = layout;
  searchAt[COLON] = searchAt[HASH] = searchAt[TAB] = searchAt[BACKSLASH] = -1;
  try {
    return readDocument(start);
  } catch (e) {
    if (e === OUTSIDE) return undefined;
    throw e;
  } finally {
    t = "";
    lay = undefined;
  }
}

function readDocument(start: number): YamlSubsetResult {
  advance(start);
  let marked = false;
  if (ind === MARKER && t.charCodeAt(ls) === 45) {
    lineRest(ls + 3);
    marked = true;
    advance(nx);
  }
  let value: unknown = null;
  if (ind >= 0) {
    if (ind !== 0) outside();
    // The library misreads `- item` on the line of a BOM (yaml 2.9: "Unexpected scalar").
    if (start === 1 && ls === 1 && t.charCodeAt(1) === 45) outside();
    value = readRoot();
    marked = true;
  }
  if (ind === MARKER) {
    // `...` ends the document; a second `---` would start another one.
    if (t.charCodeAt(ls) !== 46) outside();
    lineRest(ls + 3);
    advance(nx);
    marked = true;
  }
  if (ind !== END) outside();
  return marked ? { value } : { value: null, empty: true };
}

/** Moves to the first content line at or after the line starting at `p`. */
function advance(p: number): void {
  prevLe = le;
  while (p < n) {
    let i = p;
    while (i < n && t.charCodeAt(i) === 32) i++;
    let e = t.indexOf("\n", i);
    if (e < 0) e = n;
    const c = i < e ? t.charCodeAt(i) : 10;
    // Blank (a lone `\r` cannot occur: LONE_CR) or a comment line.
    if (c === 13 || c === 10 || c === 35) {
      p = e + 1;
      continue;
    }
    if (c === 9) outside();
    ls = p;
    ind = i - p;
    le = t.charCodeAt(e - 1) === 13 ? e - 1 : e;
    nx = e + 1;
    if (ind === 0 && (c === 45 || c === 46)) {
      const c1 = t.charCodeAt(i + 1);
      const c2 = t.charCodeAt(i + 2);
      if (c1 === c && c2 === c) {
        // `---` or `...` at column 0: a document marker when a space or the line end follows;
        // anything else there (`---x`) is refused.
        if (i + 3 < le && t.charCodeAt(i + 3) !== 32) outside();
        ind = MARKER;
      }
    }
    return;
  }
  ls = -1;
  ind = END;
  le = n;
  nx = n;
}

/** The rest of a line after a value or marker: spaces and an optional comment (after a space). */
function lineRest(i: number): void {
  const s = i;
  while (i < le && t.charCodeAt(i) === 32) i++;
  if (i < le && !(t.charCodeAt(i) === 35 && i > s)) outside();
}

/** A space or the line end at `i` (what must follow `-` and `:` indicators). */
function isSep(i: number): boolean {
  return i >= le || t.charCodeAt(i) === 32;
}

function readRoot(): unknown {
  const p = ls;
  if (t.charCodeAt(p) === 45 && isSep(p + 1)) return readSeq(p, 0);
  const k = scanAt(p);
  if (sKey) return readMap(0, k as string, p);
  lineRest(sEnd);
  advance(nx);
  return k;
}

/**
 * A value after a `key:` or `-` indicator ending at `q`, in a map or sequence whose entries are at
 * column `col`. Leaves the reader on the first content line after the value.
 */
function readValue(q: number, col: number, inMap: boolean): unknown {
  // The key's column as detectStyle counts it: from the line's start, a BOM on line 1 included.
  const keyCol = ls === 1 && t.charCodeAt(0) === 0xfeff ? col + 1 : col;
  let r = q;
  while (r < le && t.charCodeAt(r) === 32) r++;
  if (r >= le || t.charCodeAt(r) === 35) {
    // Nothing (or a comment) on this line: a block collection on the next lines, or null.
    advance(nx);
    if (ind > col) {
      const p = ls + ind;
      if (t.charCodeAt(p) === 45 && isSep(p + 1)) {
        if (inMap && lay && lay.seq === undefined && depth <= STYLE_DEPTH && ind >= keyCol)
          lay.seq = ind - keyCol;
        return readSeq(p, ind);
      }
      const k = scanAt(p);
      if (!sKey) outside(); // a scalar on its own line
      if (inMap && lay && lay.unit === undefined && depth <= STYLE_DEPTH && ind > keyCol)
        lay.unit = ind - keyCol;
      return readMap(ind, k as string, p);
    }
    if (inMap && ind === col) {
      // A sequence at its key's indentation.
      const p = ls + ind;
      if (t.charCodeAt(p) === 45 && isSep(p + 1)) {
        if (lay && lay.seq === undefined && depth <= STYLE_DEPTH && ind >= keyCol) lay.seq = ind - keyCol;
        return readSeq(p, ind);
      }
    }
    return null;
  }
  if (!inMap && t.charCodeAt(r) === 45 && isSep(r + 1)) return readSeq(r, r - ls);
  const v = scanAt(r);
  if (sKey) {
    // `- key: value` starts a map inside the item; `key: other: value` is an error.
    if (inMap) outside();
    return readMap(r - ls, v as string, r);
  }
  lineRest(sEnd);
  advance(nx);
  return v;
}

/** A block map at column `col` whose first key (already read by `scanAt` at `at`) is `first`. */
function readMap(col: number, first: string, at: number): Record<string, unknown> {
  if (++depth > MAX_DEPTH) outside();
  const map: Record<string, unknown> = {};
  const entries = lay ? new Map<string, { start: number; end: number }>() : undefined;
  let key = first;
  let stringKeys = kStr;
  for (;;) {
    if (key === "<<") outside(); // a merge key in YAML 1.1 and with the `merge` option
    const value = readValue(kEnd, col, true);
    entries?.set(key, { start: at, end: prevLe });
    if (key in map) {
      // A repeated key, or a name Object.prototype has (`__proto__`, `constructor`): defined as
      // an own property, as the library does.
      if (Object.hasOwn(map, key)) outside();
      Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
    } else {
      map[key] = value;
    }
    if (ind < col) break;
    if (ind > col) outside();
    at = ls + ind;
    const k = scanAt(at);
    if (!sKey) outside();
    key = k as string;
    stringKeys &&= kStr;
  }
  depth--;
  if (entries) lay?.maps.set(map, { col, end: prevLe, stringKeys, entries });
  return map;
}

/** A block sequence at column `col` whose first `-` is at `p`. */
function readSeq(p: number, col: number): unknown[] {
  if (++depth > MAX_DEPTH) outside();
  const seq: unknown[] = [];
  for (;;) {
    seq.push(readValue(p + 1, col, false));
    if (ind < col) break;
    if (ind > col) outside();
    p = ls + ind;
    if (t.charCodeAt(p) !== 45) break; // the next key of a map holding this sequence
    if (!isSep(p + 1)) outside();
  }
  depth--;
  return seq;
}

/**
 * What starts at `p`: a key (sets `sKey` and `kEnd`, returns the key as a string) or a scalar or
 * flow collection on one line (clears `sKey`, sets `sEnd`, returns the value).
 */
function scanAt(p: number): unknown {
  const c = t.charCodeAt(p);
  if (c === 34 || c === 39) {
    const s = c === 34 ? doubleQuoted(p) : singleQuoted(p);
    if (qEnd < le && t.charCodeAt(qEnd) === 58) {
      if (!isSep(qEnd + 1) || qEnd - p > MAX_KEY) outside();
      kEnd = qEnd + 1;
      sKey = true;
      kStr = true;
      return s;
    }
    return scalar(s, qEnd);
  }
  if (c === 91) return scalar(flowSeq(p), sEnd);
  if (c === 123) {
    let i = p + 1;
    while (i < le && t.charCodeAt(i) === 32) i++;
    if (i >= le || t.charCodeAt(i) !== 125) outside(); // only `{}`
    return scalar({}, i + 1);
  }
  if (!plainStart(p)) outside();
  // The scalar ends at a comment (`#` after a space) or the line end; a `:` before that and
  // followed by a space or the line end makes it a key. Native searches, not a loop per character.
  let end = le;
  let h = nextIndex(HASH, p);
  while (h < le) {
    if (t.charCodeAt(h - 1) === 32) {
      end = h - 1;
      break;
    }
    h = nextIndex(HASH, h + 1);
  }
  let c1 = nextIndex(COLON, p);
  while (c1 < end) {
    if (c1 + 1 >= le || t.charCodeAt(c1 + 1) === 32) {
      if (nextIndex(TAB, p) < c1 || c1 - p > MAX_KEY) outside();
      let e = c1;
      while (t.charCodeAt(e - 1) === 32) e--;
      kEnd = c1 + 1;
      sKey = true;
      const k = resolvePlain(t.slice(p, e));
      kStr = typeof k === "string";
      return k === null ? "" : String(k);
    }
    c1 = nextIndex(COLON, c1 + 1);
  }
  if (nextIndex(TAB, p) < end) outside();
  while (t.charCodeAt(end - 1) === 32) end--;
  return scalar(resolvePlain(t.slice(p, end)), end);
}

// Searches for the next `:`, `#`, tab and backslash, each remembering its last answer: the reader
// moves forward, so each character of the text is searched at most once per kind (linear time
// even when a character is absent from a long file).
const COLON = 0;
const HASH = 1;
const TAB = 2;
const BACKSLASH = 3;
const SEARCHED = [":", "#", "\t", "\\"];
/** For each kind: no such character in [searchFrom, searchAt), and searchAt holds one (or is n). */
const searchFrom = [0, 0, 0, 0];
const searchAt = [-1, -1, -1, -1];

/** Offset of the first character of a kind at or after `p`, or `n` when there is none. */
function nextIndex(kind: number, p: number): number {
  const at = searchAt[kind] as number;
  if (p <= at && p >= (searchFrom[kind] as number)) return at;
  const i = t.indexOf(SEARCHED[kind] as string, p);
  searchFrom[kind] = p;
  searchAt[kind] = i < 0 ? n : i;
  return i < 0 ? n : i;
}

function scalar(v: unknown, end: number): unknown {
  sKey = false;
  sEnd = end;
  return v;
}

/** Whether a plain scalar may start at `p` (block context). */
function plainStart(p: number): boolean {
  const c = t.charCodeAt(p);
  switch (c) {
    case 44: // ,
    case 91: // [
    case 93: // ]
    case 123: // {
    case 125: // }
    case 35: // #
    case 38: // &
    case 42: // *
    case 33: // !
    case 124: // |
    case 62: // >
    case 39: // '
    case 34: // "
    case 37: // %
    case 64: // @
    case 96: // `
      return false;
    case 45: // -
    case 63: // ?
    case 58: // :
      return p + 1 < le && t.charCodeAt(p + 1) > 32;
    default:
      return c > 32;
  }
}

/** A one-line flow sequence of scalars at `p` (`[`); sets `sEnd` past the `]`. */
function flowSeq(p: number): unknown[] {
  const seq: unknown[] = [];
  let i = p + 1;
  while (i < le && t.charCodeAt(i) === 32) i++;
  if (i < le && t.charCodeAt(i) === 93) {
    sEnd = i + 1;
    return seq;
  }
  for (;;) {
    if (i >= le) outside();
    const c = t.charCodeAt(i);
    if (c === 34) {
      seq.push(doubleQuoted(i));
      i = qEnd;
    } else if (c === 39) {
      seq.push(singleQuoted(i));
      i = qEnd;
    } else {
      // A plain scalar: refused when it might be a key or hold flow indicators.
      if (c <= 32 || c === 63 || c === 58 || !plainStart(i)) outside();
      if (c === 45) {
        const d = t.charCodeAt(i + 1);
        if (d === 44 || d === 91 || d === 93 || d === 123 || d === 125) outside();
      }
      const s = i;
      for (; i < le; i++) {
        const ch = t.charCodeAt(i);
        if (ch === 44 || ch === 93) break;
        if (ch === 58 || ch === 91 || ch === 123 || ch === 125 || ch === 9) outside();
        if (ch === 35 && t.charCodeAt(i - 1) === 32) outside();
      }
      let e = i;
      while (t.charCodeAt(e - 1) === 32) e--;
      seq.push(resolvePlain(t.slice(s, e)));
    }
    while (i < le && t.charCodeAt(i) === 32) i++;
    if (i >= le) outside();
    const d = t.charCodeAt(i);
    if (d === 93) {
      sEnd = i + 1;
      return seq;
    }
    if (d !== 44) outside();
    i++;
    while (i < le && t.charCodeAt(i) === 32) i++;
    if (i < le && t.charCodeAt(i) === 93) outside(); // a trailing comma
  }
}

/** A single-quoted scalar at `p` ending on this line; sets `qEnd`. */
function singleQuoted(p: number): string {
  let out = "";
  let i = p + 1;
  for (;;) {
    const j = t.indexOf("'", i);
    if (j < 0 || j >= le) outside();
    if (j + 1 < le && t.charCodeAt(j + 1) === 39) {
      out += t.slice(i, j + 1);
      i = j + 2;
      continue;
    }
    qEnd = j + 1;
    return out + t.slice(i, j);
  }
}

/** Single-character escapes of double-quoted scalars, as the library reads them. */
const ESCAPES: Record<number, string> = {
  48: "\0", // 0
  97: "\x07", // a
  98: "\b", // b
  101: "\x1b", // e
  102: "\f", // f
  110: "\n", // n
  114: "\r", // r
  116: "\t", // t
  118: "\v", // v
  78: "\u0085", // N
  95: "\u00a0", // _
  76: "\u2028", // L
  80: "\u2029", // P
  32: " ",
  34: '"',
  47: "/",
  92: "\\",
  9: "\t",
};

/** A double-quoted scalar at `p` ending on this line; sets `qEnd`. */
function doubleQuoted(p: number): string {
  let out = "";
  let i = p + 1;
  let close = t.indexOf('"', i);
  for (;;) {
    if (close < 0 || close >= le) outside(); // not closed on this line
    const bs = nextIndex(BACKSLASH, i);
    if (bs > close) {
      qEnd = close + 1;
      return out + t.slice(i, close);
    }
    // An escape before the quote (which may be the escaped quote itself).
    out += t.slice(i, bs);
    if (bs + 1 >= le) outside(); // an escaped line break
    const e = t.charCodeAt(bs + 1);
    const simple = ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      i = bs + 2;
      // The quote found was escaped (`\"`): search again past it.
      if (i > close) close = t.indexOf('"', i);
      continue;
    }
    const len = e === 120 ? 2 : e === 117 ? 4 : e === 85 ? 8 : 0; // x u U
    if (len === 0 || bs + 2 + len > le) outside();
    let code = 0;
    for (let k = bs + 2; k < bs + 2 + len; k++) {
      const h = t.charCodeAt(k);
      const d = h >= 48 && h <= 57 ? h - 48 : h >= 97 && h <= 102 ? h - 87 : h >= 65 && h <= 70 ? h - 55 : -1;
      if (d < 0) outside();
      code = code * 16 + d;
    }
    if (code > 0x10ffff) outside();
    out += String.fromCodePoint(code);
    i = bs + 2 + len;
    if (i > close) close = t.indexOf('"', i);
  }
}

/** A plain scalar's value under the YAML 1.2 core schema, exactly as the library resolves it. */
export function resolvePlain(s: string): unknown {
  const c = s.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) return resolveNumeric(s, c);
  if (s.length > 5) return s;
  switch (s) {
    case "":
    case "~":
    case "null":
    case "Null":
    case "NULL":
      return null;
    case "true":
    case "True":
    case "TRUE":
      return true;
    case "false":
    case "False":
    case "FALSE":
      return false;
    default:
      return s;
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * A plain scalar starting with a digit, sign or dot. The library (yaml 2.9 src/schema/core) tries
 * these tests in turn, which match disjoint sets of strings; they are spelled out here with
 * charCodeAt because compiling six regular expressions costs more than a cold parse:
 *   int (oct)  /^0o[0-7]+$/                                            parseInt(s.slice(2), 8)
 *   int        /^[-+]?[0-9]+$/                                         parseInt(s, 10)
 *   int (hex)  /^0x[0-9a-fA-F]+$/                                      parseInt(s.slice(2), 16)
 *   float      /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/          ±Infinity, NaN
 *   float      /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/  parseFloat(s)
 *   float      /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/                       parseFloat(s)
 * Anything else is a string.
 */
function resolveNumeric(s: string, c: number): unknown {
  const len = s.length;
  if (c === 48 && len > 2) {
    const c1 = s.charCodeAt(1);
    if (c1 === 111 || c1 === 120) {
      // 0o… or 0x…: no other test matches a string with an `o` or `x`.
      const hex = c1 === 120;
      for (let i = 2; i < len; i++) {
        const d = s.charCodeAt(i);
        const ok = hex ? isDigit(d) || (d >= 97 && d <= 102) || (d >= 65 && d <= 70) : d >= 48 && d <= 55;
        if (!ok) return s;
      }
      return parseInt(s.substring(2), hex ? 16 : 8);
    }
  }
  let i = c === 43 || c === 45 ? 1 : 0;
  const signed = i === 1;
  if (i < len && s.charCodeAt(i) === 46 && len - i === 4) {
    const rest = s.substring(i + 1);
    if (rest === "inf" || rest === "Inf" || rest === "INF")
      return c === 45 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    if (!signed && (rest === "nan" || rest === "NaN" || rest === "NAN")) return Number.NaN;
  }
  const intStart = i;
  while (i < len && isDigit(s.charCodeAt(i))) i++;
  const intDigits = i - intStart;
  let dot = false;
  let fracDigits = 0;
  if (i < len && s.charCodeAt(i) === 46) {
    dot = true;
    const fracStart = ++i;
    while (i < len && isDigit(s.charCodeAt(i))) i++;
    fracDigits = i - fracStart;
  }
  // The mantissa: digits, digits and a dot with optional digits, or a dot and digits.
  if (intDigits === 0 && fracDigits === 0) return s;
  if (i === len) {
    if (!dot) return parseInt(s, 10);
    return parseFloat(s);
  }
  const e = s.charCodeAt(i);
  if (e !== 101 && e !== 69) return s;
  i++;
  if (i < len && (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45)) i++;
  const expStart = i;
  while (i < len && isDigit(s.charCodeAt(i))) i++;
  if (i === expStart || i !== len) return s;
  return parseFloat(s);
}
