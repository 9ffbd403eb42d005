// A reader for exactly the TOML that toml.ts's emitter writes for new tables (`sectionsOf`,
// `kvLine`, `tomlValue`), so the check of pure additions can read its inserted text back without
// smol-toml: smol-toml walks the text one character at a time in the interpreter (about 20 ms for
// the sections of 1,000 servers), where this matches one regex per line and hands values to
// JSON.parse.
//
// It is a filter, not a TOML implementation: it returns a table only when smol-toml's `parse` (1.x,
// default options) would accept the text and return a deep-equal table (null-prototype tables,
// keys in the same order, numbers as numbers); anything else gives `undefined`, and the caller
// parses with smol-toml. Accepted, line by line (LF or CRLF, empty lines between):
// - `[a.b."c d"]`: bare keys `[A-Za-z0-9_-]+` or basic strings, no spaces;
// - `key = value` with one space either side of `=` and nothing after the value;
// - values: basic strings, integers of up to 15 digits (always safe; no `-0`, which smol-toml reads
//   as 0 and JSON as -0), the float spellings `String(n)` gives, true, false, one-line arrays of
//   those (`[]`, `[a, b]`), and one-line inline tables of those and such arrays (`{}`,
//   `{ k = v, k2 = [a] }`).
// - comments, as a person's file has them: a line of blanks, or of blanks and a `#` comment, and a
//   `#` comment after a header or a value (with or without blanks before it); a comment holds no
//   control character but tab (smol-toml's skipComment), and means nothing.
// A table may not be defined twice, nor a key set twice, nor a header go through or define a key
// that holds a value. Refused: other spacing (an indented key or header), multi-line or literal strings, dotted
// keys, arrays of tables, dates, nan and inf, nested inline tables, a BOM, a lone CR, a comment
// inside a long array. A long array
// of scalars is read in the one layout `kvLine` gives it: `key = [`, one indented item and comma a
// line, `]` at the start of the last line (TOML lets blanks, line breaks and a trailing comma
// stand between an array's values).
//
// Strings are decoded by JSON.parse, so only what means the same in both languages is let through:
// raw characters other than `"`, `\` and U+0000–U+001F and U+007F (TOML forbids those controls
// but tab, JSON all of them but DEL: neither gets through), and the escapes \" \\ \b \f \n \r \t and
// \uXXXX outside the surrogates (TOML refuses `\uD83D`, JSON would pair it with the next escape).
// Refused: TOML's \e, \xHH, \UXXXXXXXX; JSON's \/.

type Table = Record<string, unknown>;

/** A basic string, unrolled (no nested quantifiers, so a missing closing quote fails in linear time). */
const STR = String.raw`"[^"\\\u0000-\u001f\u007f]*(?:\\(?:["\\bfnrt]|u(?:[0-9a-cA-Ce-fE-F][0-9a-fA-F]|[dD][0-7])[0-9a-fA-F]{2})[^"\\\u0000-\u001f\u007f]*)*"`;
const BARE = "[A-Za-z0-9_-]+";
const KEY = `(?:${BARE}|${STR})`;
const FLOAT = String.raw`-?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:e[+-][0-9]+)?|e[+-][0-9]+)`;
const INT = "(?:0|-?[1-9][0-9]{0,14})";
const SCALAR = `(?:${STR}|${FLOAT}|${INT}|true|false)`;
// Each item once, followed by `, ` (not before the end) or by the end: the language of
// `[a(, a)*]` with one copy of `a`. A regex is compiled to machine code on first use, at a cost
// that grows with its length (the line regex below with two copies of each cost ~2 ms to compile,
// a third of the whole read of 1,000 servers' tables; with one copy the read is ~1.1 ms shorter).
const ARRAY = String.raw`\[(?:${SCALAR}(?:, (?!\])|(?=\])))*\]`;
const MEMBER = `(?:${SCALAR}|${ARRAY})`;
const INLINE = String.raw`\{(?: (?:${KEY} = ${MEMBER}(?:, (?![ }])|(?= \})))+ )?\}`;

/** A header, and a key's value: each line's regex, and each alone for a line ending in a comment. */
const HEADER = String.raw`\[${KEY}(?:\.${KEY})*\]`;
const VALUE = `(?:${MEMBER}|${INLINE})`;
/**
 * One line with its end, matched where it starts: a header, or a key and its value. No capture
 * groups (test(), not exec(): no match array per line, the larger part of what a read of 10,000
 * servers' sections allocated); where the parts lie is found from the line's shape.
 */
const HEADER_LINE = new RegExp(String.raw`${HEADER}(?:\n|$)`, "y");
const KEY_LINE = new RegExp(String.raw`${KEY} = ${VALUE}(?:\n|$)`, "y");
/**
 * A key and an array of scalars written one item a line, as `kvLine` writes a long one: `[`, each
 * item indented by blanks and followed by a comma, `]` at the start of its line (1: the key, 2: the
 * item lines).
 */
const LONG_ARRAY = new RegExp(String.raw`(${KEY}) = \[\n((?:[ \t]+${SCALAR},\n)+)\](?:\n|$)`, "y");
/** One item line of a validated long array: its scalar. */
const ITEM = new RegExp(String.raw`[ \t]+(${SCALAR}),\n`, "g");
/** A comment to the line's end: no control character but tab in it (as smol-toml's skipComment). */
const COMMENT_TEXT = String.raw`#[^\u0000-\u0008\n-\u001f\u007f]*`;
/** A comment after optional blanks. */
const COMMENT = String.raw`[ \t]*${COMMENT_TEXT}`;

/** The regexes of comment lines (see `comments`). */
interface CommentRes {
  /** A line of blanks, or of blanks and a comment (a line starting with a blank or `#`). */
  voidLine: RegExp;
  /** A header alone, and a key and its value alone, for a line that ends with a comment. */
  header: RegExp;
  keyEq: RegExp;
  value: RegExp;
  /** What may follow a header or a value on its line: a comment, then the line's end. */
  commentEnd: RegExp;
}
let commentRes: CommentRes | undefined;
/**
 * The regexes of comment lines, made at the first one: a regex's pattern is parsed when it is
 * made, and most runs read no TOML comment (the everyday sync reads no TOML at all).
 */
function comments(): CommentRes {
  commentRes ??= {
    voidLine: new RegExp(String.raw`[ \t]*(?:${COMMENT_TEXT})?(?:\n|$)`, "y"),
    header: new RegExp(HEADER, "y"),
    keyEq: new RegExp(`${KEY} = `, "y"),
    value: new RegExp(VALUE, "y"),
    commentEnd: new RegExp(String.raw`${COMMENT}(?:\n|$)`, "y"),
  };
  return commentRes;
}

/**
 * The end of the header or value that starts the line at `p` and is followed by a comment (the
 * lines that HEADER_LINE and KEY_LINE do not match for their comment), and where the next line
 * starts; undefined when the line is not one of those. Comments are the uncommon case: a line
 * without one costs no more than before.
 */
function commentedLine(
  text: string,
  p: number,
  isHeader: boolean,
): { end: number; next: number } | undefined {
  const { header, keyEq, value, commentEnd } = comments();
  let end: number;
  if (isHeader) {
    header.lastIndex = p;
    if (!header.test(text)) return undefined;
    end = header.lastIndex;
  } else {
    keyEq.lastIndex = p;
    if (!keyEq.test(text)) return undefined;
    value.lastIndex = keyEq.lastIndex;
    if (!value.test(text)) return undefined;
    end = value.lastIndex;
  }
  commentEnd.lastIndex = end;
  if (!commentEnd.test(text)) return undefined;
  return { end, next: commentEnd.lastIndex };
}

/** The keys of a validated header, in order (they never start inside a string: see `segments`). */
const SEGMENT = new RegExp(`${BARE}|${STR}`, "g");
/** One member of a validated, non-empty inline table. */
const PAIR = new RegExp(`(?:\\{ |, )(${KEY}) = (${MEMBER})`, "g");

const key = (k: string): string => (k.charCodeAt(0) === 0x22 ? (JSON.parse(k) as string) : k);

function segments(header: string): string[] {
  if (!header.includes('"')) return header.split(".");
  // Each match ends at a key's end; the next starts after one dot, at the next key's start.
  const found = header.match(SEGMENT) as string[];
  for (let i = 0; i < found.length; i++) found[i] = key(found[i] as string);
  return found;
}

/** A validated inline table's value, or undefined when it repeats a key. */
function inlineTable(text: string): Table | undefined {
  const t: Table = Object.create(null);
  const end = text.length - 2;
  PAIR.lastIndex = 0;
  while (PAIR.lastIndex < end) {
    const m = PAIR.exec(text) as RegExpExecArray;
    const k = key(m[1] as string);
    if (t[k] !== undefined) return undefined;
    t[k] = JSON.parse(m[2] as string);
  }
  return t;
}

/** smol-toml's parse of `text` when `text` is in the emitter's language (see above), else undefined. */
export function fastRead(text: string): Table | undefined {
  if (text.includes("\r")) {
    // CRLF ends a line as LF does; a CR anywhere else (in a string too) is refused below.
    text = text.replaceAll("\r\n", "\n");
    if (text.includes("\r")) return undefined;
  }
  const root: Table = Object.create(null);
  /** Tables made by headers: true once defined by a header of their own, false if only on the way. */
  const made = new Map<Table, boolean>();
  let table = root;
  let p = 0;
  const n = text.length;
  while (p < n) {
    const first = text.charCodeAt(p);
    if (first === 0x0a) {
      p++;
      continue;
    }
    if (first === 0x23 /* # */ || first === 0x20 || first === 0x09) {
      const voidLine = comments().voidLine;
      voidLine.lastIndex = p;
      if (!voidLine.test(text)) return undefined;
      p = voidLine.lastIndex;
      continue;
    }
    const isHeader = first === 0x5b; /* [ */
    const re = isHeader ? HEADER_LINE : KEY_LINE;
    re.lastIndex = p;
    /** The line's end before its comment, when it has one. */
    let commentAt = -1;
    let next: number;
    if (re.test(text)) next = re.lastIndex;
    else {
      const c = commentedLine(text, p, isHeader);
      if (c !== undefined) {
        commentAt = c.end;
        next = c.next;
      } else next = -1;
    }
    if (next < 0) {
      if (isHeader) return undefined;
      LONG_ARRAY.lastIndex = p;
      const long = LONG_ARRAY.exec(text);
      if (long === null) return undefined;
      p = LONG_ARRAY.lastIndex;
      const k = key(long[1] as string);
      if (table[k] !== undefined) return undefined;
      const items: unknown[] = [];
      for (const item of (long[2] as string).matchAll(ITEM)) items.push(JSON.parse(item[1] as string));
      table[k] = items;
      continue;
    }
    // The line's end, before its line feed (a line ends with one, or the text does), or where its
    // comment starts.
    const end = commentAt >= 0 ? commentAt : text.charCodeAt(next - 1) === 0x0a ? next - 1 : next;
    const start = p;
    p = next;
    if (isHeader) {
      const path = segments(text.slice(start + 1, end - 1));
      let t = root;
      const last = path.length - 1;
      for (let i = 0; i < last; i++) {
        const k = path[i] as string;
        if (Object.hasOwn(t, k)) {
          const next = t[k] as Table;
          if (!made.has(next)) return undefined;
          t = next;
        } else {
          const next: Table = Object.create(null);
          made.set(next, false);
          t[k] = next;
          t = next;
        }
      }
      const k = path[last] as string;
      if (Object.hasOwn(t, k)) {
        const existing = t[k] as Table;
        if (made.get(existing) !== false) return undefined;
        table = existing;
      } else {
        table = Object.create(null);
        t[k] = table;
      }
      made.set(table, true);
      continue;
    }
    // The key's end: a bare key holds no space; a quoted one ends at its first unescaped quote.
    let keyEnd: number;
    if (text.charCodeAt(start) === 0x22) {
      keyEnd = start + 1;
      for (let c = text.charCodeAt(keyEnd); c !== 0x22; c = text.charCodeAt(keyEnd))
        keyEnd += c === 0x5c ? 2 : 1;
      keyEnd++;
    } else keyEnd = text.indexOf(" = ", start);
    const k = key(text.slice(start, keyEnd));
    // Tables here have no prototype and no value is undefined: a lookup is a membership test.
    if (table[k] !== undefined) return undefined;
    const v = text.slice(keyEnd + 3, end);
    if (v.charCodeAt(0) === 0x7b) {
      const t = inlineTable(v);
      if (t === undefined) return undefined;
      table[k] = t;
    } else table[k] = JSON.parse(v);
  }
  return root;
}
