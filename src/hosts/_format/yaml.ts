// YAML (Goose, Continue): parsed once with the `yaml` package's Document API for structure and
// source ranges; every edit of a file is computed against that one parse and spliced into the
// original text, so comments, blank lines, quoting, key order and untouched lines stay byte for
// byte (`Document.toString()` would re-print the whole file). New values are rendered by
// yaml-emit.ts (the same text as the package's `stringify`) for the new fragment only, re-indented
// to the column they go to. `yaml.parse` reads simple block YAML with the fast reader of
// yaml-subset.ts (no Document); other files through the library, and then `yaml.edit` right after
// reuses that Document.
//
// Every result is checked to parse to the expected value before it is returned. Re-parsing the
// whole result costs as much as the parse itself, so the common edits are proven locally instead,
// at a cost proportional to the change (`Piece.ok`): new entries appended to a block map or
// sequence, entries removed as whole lines, and changes inside one entry, each in a block
// collection reached through no anchor. Such a piece stands for a run of whole lines whose
// surroundings cannot read it differently (no block scalar before it, the next content at a
// smaller column or the next entry, no document markers, no anchors it removes) and whose meaning
// is known: text from the emitter's exact rules, else the lines parsed on their own and compared.
// Any other edit gets the whole re-parse. If splicing ever gets it wrong, the edit falls back to
// the Document API (comments kept, spacing normalised) rather than writing a wrong file.
import type { Document, Node, Pair, YAMLMap, YAMLSeq } from "yaml";
import { type Edit, isPlainObject, isRemove, setOwn } from "../../core/edits.ts";
import { HostParseError, lineColumn } from "../../core/errors.ts";
import type { FileFormat } from "../../core/format.ts";
import { applyTextEdits, detectLayout, type TextEdit } from "./layout.ts";
import { parseYamlSubset, type YamlLayout, type YamlMapSpan } from "./yaml-subset.ts";
import { type BlockStyle, type Emitted, emitBlock, yamlStringify } from "./yaml-emit.ts";
import { isAlias, isMap, isPair, isScalar, isSeq, yamlLib } from "./yaml-lib.ts";

/** Aliases a file may expand; a billion-laughs file stops here instead of eating memory. */
const MAX_ALIAS_COUNT = 100;

// ---------------------------------------------------------------------------------------------
// Parsing

function lowerFirst(s: string): string {
  return s.length > 0 ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}

function parseDoc(text: string, path: string): Document.Parsed {
  const nul = text.indexOf("\u0000");
  if (nul >= 0) {
    const at = lineColumn(text, nul);
    throw new HostParseError(path, "unexpected NUL byte", at.line, at.column);
  }
  let doc: Document.Parsed;
  try {
    // The library's own unique-key check compares every key with every other one (quadratic in
    // a map's size: seconds for a few thousand servers); duplicateKey() below is linear.
    doc = yamlLib().parseDocument(text, { prettyErrors: false, uniqueKeys: false, keepSourceTokens: false });
  } catch (e) {
    throw new HostParseError(path, `invalid YAML: ${e instanceof Error ? e.message : String(e)}`);
  }
  const first = doc.errors[0];
  if (first) {
    const detail = lowerFirst(first.message.split("\n")[0] ?? "invalid YAML");
    const at = lineColumn(text, first.pos[0]);
    throw new HostParseError(path, detail, at.line, at.column);
  }
  const dup = duplicateKey(doc);
  if (dup !== undefined) {
    const at = lineColumn(text, dup);
    throw new HostParseError(path, "map keys must be unique (a key is repeated)", at.line, at.column);
  }
  return doc;
}

/**
 * Calls `f` on the document's nodes in document order until it returns true. An explicit stack,
 * not the library's visit(), which copies the path at every level: quadratic in the depth (a
 * hostile file 5,000 levels deep took 30 s per parse).
 */
function someNode(doc: Document.Parsed, f: (n: unknown) => boolean): boolean {
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const n = stack.pop();
    if (n === null || n === undefined) continue;
    if (f(n)) return true;
    if (isMap(n) || isSeq(n)) for (let i = n.items.length - 1; i >= 0; i--) stack.push(n.items[i]);
    else if (isPair(n)) stack.push(n.value, n.key);
  }
  return false;
}

/** Offset of the first repeated key of any mapping in the document, or undefined. */
function duplicateKey(doc: Document.Parsed): number | undefined {
  let found: number | undefined;
  someNode(doc, (map) => {
    if (!isMap(map)) return false;
    const seen = new Set<unknown>();
    for (const pair of map.items) {
      const k = pair.key;
      const id = isScalar(k) ? k.value : k === null ? null : isAlias(k) ? `*${k.source}` : String(k);
      if (seen.has(id)) {
        found = (k as YNode | null)?.range?.[0] ?? map.range?.[0] ?? 0;
        return true;
      }
      seen.add(id);
    }
    return false;
  });
  return found;
}

function docValue(doc: Document.Parsed, path: string): unknown {
  if (doc.contents === null) return undefined;
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const detail = /alias/i.test(msg)
      ? "too many alias expansions (anchors and aliases)"
      : `invalid YAML: ${msg}`;
    throw new HostParseError(path, detail);
  }
}

/** Parses and checks a whole file: its Document and its plain value. */
function readYaml(text: string, path: string): { doc: Document.Parsed; value: unknown } {
  try {
    const doc = parseDoc(text, path);
    return { doc, value: docValue(doc, path) };
  } catch (e) {
    if (e instanceof HostParseError) throw e;
    // Stack overflows on absurd nesting and anything else the library throws.
    throw new HostParseError(path, `invalid YAML: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Documents `yaml.parse` read, by text, for the `yaml.edit` of the same text that usually follows
 * (a sync reads its files, then edits them): the edit takes the Document instead of parsing again.
 * Only checked Documents (their value was computed without error) go in. Splicing only reads a
 * Document; the Document-API fallback edits a fresh parse. A few entries at most, and an edit
 * takes out the one it uses, so no large Document stays alive for long.
 */
const PARSED_MAX = 2;
const parsed: { text: string; doc: Document.Parsed }[] = [];

function remember(text: string, doc: Document.Parsed): void {
  forget(text);
  parsed.push({ text, doc });
  if (parsed.length > PARSED_MAX) parsed.shift();
}

function forget(text: string): Document.Parsed | undefined {
  const i = parsed.findIndex((e) => e.text === text);
  return i < 0 ? undefined : parsed.splice(i, 1)[0]?.doc;
}

/**
 * The plain value of a whole file: through the fast reader of simple block YAML when it vouches
 * for the text (it returns a value only when the library would read the same, without errors or
 * repeated keys: yaml-subset.ts), else through the library, which also words the errors. hatch's
 * own state files, environments and most host files take the fast way, with no Document built (an
 * edit that follows parses with the library then); `keepDocument` leaves a library parse for that
 * edit.
 */
function yamlValue(text: string, path: string, keepDocument = false): unknown {
  const fast = parseYamlSubset(text);
  if (fast !== undefined) return fast.empty ? undefined : fast.value;
  const { doc, value } = readYaml(text, path);
  if (keepDocument) remember(text, doc);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Edits as one operation tree (later edits win; indices refer to the one parse)

type Seg = string | number;
export type Op = { t: "set"; value: unknown } | { t: "remove" } | { t: "keep"; kids: Map<Seg, Op> };

/** The edits as one operation tree. Exported for tests. */
export function opTree(edits: readonly Edit[]): Op {
  let root: Op = { t: "keep", kids: new Map() };
  for (const e of edits)
    root = placeAt(root, e.path, 0, isRemove(e) ? { t: "remove" } : { t: "set", value: e.value });
  return root;
}

/**
 * `a` followed by `op` at `path` from `i` on: extends `a` in place (only for the tree being built,
 * never shared), with no chain of one-child operations built for the path first.
 */
function placeAt(a: Op, path: readonly Seg[], i: number, op: Op): Op {
  if (i === path.length) return op;
  if (a.t !== "keep") return combine(a, chainOf(path, i, op));
  const k = normSeg(path[i] as Seg);
  const prev = a.kids.get(k);
  a.kids.set(k, prev === undefined ? chainOf(path, i + 1, op) : placeAt(prev, path, i + 1, op));
  return a;
}

/** `op` at `path` from `i` on, under keep-operations of one child each. */
function chainOf(path: readonly Seg[], i: number, op: Op): Op {
  let out = op;
  for (let j = path.length - 1; j >= i; j--)
    out = { t: "keep", kids: new Map([[normSeg(path[j] as Seg), out]]) };
  return out;
}

function normSeg(s: Seg): Seg {
  return typeof s === "number" ? s : String(s);
}

function allNumeric(kids: Map<Seg, Op>): boolean {
  for (const k of kids.keys()) if (typeof k !== "number" || !Number.isInteger(k) || k < 0) return false;
  return true;
}

function defineKey(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** Combines two operations on the same place, the second applied after the first. Exported for tests. */
export function combine(a: Op, b: Op): Op {
  if (b.t !== "keep") return b;
  if (a.t === "keep") {
    const kids = new Map(a.kids);
    for (const [k, kid] of b.kids) {
      const prev = kids.get(k);
      kids.set(k, prev ? combine(prev, kid) : kid);
    }
    return { t: "keep", kids };
  }
  if (a.t === "set") return { t: "set", value: applyOp(a.value, b) };
  const m = materialize(b);
  return m === undefined ? a : { t: "set", value: m };
}

/** A keep-operation's children as map keys (`1` and `"1"` name the same key). */
function mapKids(op: Op & { t: "keep" }): ReadonlyMap<string, Op> {
  // With no number among them (the usual case: a map's keys), the children are already that.
  let strings = true;
  for (const seg of op.kids.keys())
    if (typeof seg !== "string") {
      strings = false;
      break;
    }
  if (strings) return op.kids as Map<string, Op>;
  const out = new Map<string, Op>();
  for (const [seg, kid] of op.kids) {
    const k = String(seg);
    const prev = out.get(k);
    out.set(k, prev ? combine(prev, kid) : kid);
  }
  return out;
}

/** The value an operation builds where nothing exists yet (undefined: it builds nothing). */
function materialize(op: Op): unknown {
  if (op.t === "set") return op.value;
  if (op.t === "remove") return undefined;
  const entries: [Seg, unknown][] = [];
  for (const [k, kid] of op.kids) {
    const v = materialize(kid);
    if (v !== undefined) entries.push([k, v]);
  }
  if (entries.length === 0) return undefined;
  if (allNumeric(op.kids))
    return entries.sort((a, b) => (a[0] as number) - (b[0] as number)).map(([, v]) => v);
  const o: Record<string, unknown> = {};
  for (const [k, kid] of mapKids(op)) {
    const v = materialize(kid);
    if (v !== undefined) defineKey(o, k, v);
  }
  return o;
}

/** The plain-value meaning of an operation: what the spliced text must parse to. */
function applyOp(x: unknown, op: Op): unknown {
  if (op.t === "set") return op.value;
  if (op.t === "remove") return undefined;
  if (isPlainObject(x)) {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) defineKey(o, k, v);
    for (const [k, kid] of mapKids(op)) {
      if (kid.t === "remove") delete o[k];
      else if (Object.hasOwn(o, k)) defineKey(o, k, applyOp(o[k], kid));
      else {
        const v = materialize(kid);
        if (v !== undefined) defineKey(o, k, v);
      }
    }
    return o;
  }
  if (Array.isArray(x) && allNumeric(op.kids)) {
    const out: unknown[] = [];
    x.forEach((item, i) => {
      const kid = op.kids.get(i);
      if (kid === undefined) out.push(item);
      else if (kid.t !== "remove") out.push(applyOp(item, kid));
    });
    const appended = [...op.kids.entries()]
      .filter(([k]) => (k as number) >= x.length)
      .sort((a, b) => (a[0] as number) - (b[0] as number));
    for (const [, kid] of appended) {
      const v = materialize(kid);
      if (v !== undefined) out.push(v);
    }
    return out;
  }
  const m = materialize(op);
  return m === undefined ? x : m;
}

/** Structural equality where NaN equals NaN (a `.nan` elsewhere in the file must not differ). */
function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => same(x, b[i]));
  }
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && same(a[k], b[k]));
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Splicing

interface Style {
  /** Indentation of a nested block map relative to its key. */
  unit: number;
  /** Indentation of a block sequence's dash relative to its key (0: `key:\n- item`). */
  seq: number;
  eol: "\n" | "\r\n";
}

/** The emitter's options for a file's style (the package's `stringify` takes the same). */
function blockStyleOf(style: Style): BlockStyle {
  return { indent: Math.max(1, style.unit), indentSeq: style.seq > 0 };
}

/** Where a value sits: after `key:` (pair), after `-` (item) or at the top (root). */
interface Holder {
  kind: "pair" | "item" | "root";
  /** Column of the key or dash. */
  col: number;
  /** Offset just past the `:` or `-`. */
  indicatorEnd: number;
}

/**
 * A text edit, and whether it is proven, without re-parsing the whole result, to give exactly
 * the expected value (see the header); one unproven piece means the whole result is re-parsed.
 */
interface Piece extends TextEdit {
  ok: boolean;
}

/** What may follow a run of lines proven on its own, at the run's column (smaller is always fine). */
type SameColumn = "none" | "nodash" | "any";

type YNode = Node;

const spaces = (n: number) => " ".repeat(Math.max(0, n));

function isBlockCollection(n: unknown): n is YAMLMap | YAMLSeq {
  return (isMap(n) || isSeq(n)) && !n.flow;
}

function isBlockScalar(n: unknown): boolean {
  return isScalar(n) && (n.type === "BLOCK_LITERAL" || n.type === "BLOCK_FOLDED");
}

function hasOwnAnchor(n: unknown): boolean {
  return (isScalar(n) || isMap(n) || isSeq(n)) && !!n.anchor;
}

/** Whether a node, pair or any node inside it carries an anchor (`&name`). */
function hasAnchor(n: unknown): boolean {
  const stack: unknown[] = [n];
  while (stack.length > 0) {
    const x = stack.pop();
    if (x === null || x === undefined) continue;
    if (hasOwnAnchor(x)) return true;
    if (isMap(x) || isSeq(x)) for (const it of x.items) stack.push(it);
    else if (isPair(x)) stack.push(x.key, x.value);
  }
  return false;
}

/** The node whose text comes last in a node or pair (a block collection's last item, deepest). */
function lastLeaf(n: unknown): unknown {
  let cur = n;
  for (;;) {
    if (isPair(cur)) cur = cur.value ?? cur.key;
    else if (isBlockCollection(cur) && cur.items.length > 0) cur = cur.items[cur.items.length - 1];
    else return cur;
  }
}

/**
 * Whether lines to be parsed on their own read the same there as at column `col` of the file:
 * no document markers or directives, every non-blank line indented by spaces to at least `col`.
 */
function fragmentOk(t: string, col: number): boolean {
  if (/^(?:---|\.\.\.|%)/m.test(t)) return false;
  let pos = 0;
  while (pos < t.length) {
    const nl = t.indexOf("\n", pos);
    const end = nl < 0 ? t.length : nl;
    let k = pos;
    while (k < end && t[k] === " ") k++;
    if (k < end && !(t[k] === "\r" && k === end - 1) && (k - pos < col || t[k] === "\t")) return false;
    pos = end + 1;
  }
  return true;
}

/** A fragment's Document, parsed and checked like a file, or undefined when it does not parse. */
function parseFragment(t: string): { doc: Document.Parsed; value: unknown } | undefined {
  try {
    return readYaml(t, "(fragment)");
  } catch {
    return undefined;
  }
}

/**
 * Whether a Document allows local proofs: YAML 1.2 with the default tag handles (a fragment parsed
 * on its own is read the same way), no warnings, and no line break but LF and CRLF (this file
 * finds lines by LF).
 */
function localProofs(text: string, doc: Document.Parsed): boolean {
  const d = doc.directives;
  if (d?.yaml.version !== "1.2" || doc.warnings.length > 0) return false;
  const handles = Object.keys(d.tags);
  if (handles.length !== 1 || d.tags["!!"] !== "tag:yaml.org,2002:") return false;
  return !/\r(?!\n)/.test(text);
}

/**
 * End (after the line break) of an entry whose content ends at `end`: its line, then comment
 * lines right below it indented deeper than the entry's column `col` (they belong to its block).
 */
function linesEnd(t: string, end: number, col: number): number {
  const after = (o: number) => {
    const nl = t.indexOf("\n", o);
    return nl < 0 ? t.length : nl + 1;
  };
  let pos = after(end);
  while (pos < t.length) {
    const m = /^([ \t]*)#[^\n]*(\n|$)/.exec(t.slice(pos, after(pos)));
    if (!m || (m[1] ?? "").length <= col) break;
    pos += m[0].length;
  }
  return pos;
}

/**
 * Whether the first content line at or after the line start `pos` (blank and comment lines
 * skipped) ends whatever lines at column `col` come before it: it sits at a smaller column, or
 * at `col` as `same` allows (none, anything but a dash, anything). No content: fine.
 */
function followOk(t: string, pos: number, col: number, same: SameColumn): boolean {
  while (pos < t.length) {
    const nl = t.indexOf("\n", pos);
    const end = nl < 0 ? t.length : nl;
    let k = pos;
    while (k < end && t[k] === " ") k++;
    const ch = t[k];
    if (k === end || (ch === "\r" && k === end - 1) || ch === "#") {
      pos = end + 1;
      continue;
    }
    if (ch === "\t") return false;
    const n = k - pos;
    if (n !== col) return n < col;
    return same === "any" || (same === "nodash" && ch !== "-");
  }
  return true;
}

/** A value in block style at column `col`, in the file's line ending, without a final one. */
function blockAt(value: unknown, col: number, style: Style): Emitted {
  const eol = style.eol;
  const r = emitBlock(value, blockStyleOf(style), spaces(col), eol);
  return { text: r.text.endsWith(eol) ? r.text.slice(0, -eol.length) : r.text, exact: r.exact };
}

/** New lines (`blocks`, without final line breaks) inserted at the line start `at`. */
function insertion(t: string, at: number, blocks: string[], eol: string): TextEdit {
  const content =
    at >= t.length && !t.endsWith("\n")
      ? (t.length > 0 ? eol : "") + blocks.join(eol)
      : blocks.map((b) => b + eol).join("");
  return { offset: at, length: 0, content };
}

class Splicer {
  readonly out: Piece[] = [];
  /** How many nodes with an anchor enclose the node being edited (an alias may repeat it). */
  private anchored = 0;
  /** Set when an edit left no piece and could not be shown to change nothing. */
  unproven = false;

  constructor(
    readonly text: string,
    readonly doc: Document.Parsed,
    readonly style: Style,
    /** Whether pieces may be proven locally at all (see localProofs). */
    readonly local: boolean,
  ) {}

  lineStart(offset: number): number {
    return this.text.lastIndexOf("\n", offset - 1) + 1;
  }

  column(offset: number): number {
    return offset - this.lineStart(offset);
  }

  /** Offset of the end of the line holding `offset`, before its line break. */
  lineEnd(offset: number): number {
    const nl = this.text.indexOf("\n", offset);
    if (nl < 0) return this.text.length;
    return nl > 0 && this.text[nl - 1] === "\r" ? nl - 1 : nl;
  }

  /** Offset after the line break that ends the line holding `offset` (or the end of text). */
  afterLine(offset: number): number {
    const nl = this.text.indexOf("\n", offset);
    return nl < 0 ? this.text.length : nl + 1;
  }

  /** End of a node's own text (no trailing comment, no trailing line break). */
  contentEnd(n: unknown): number | undefined {
    if (isPair(n)) return this.contentEnd(n.value) ?? this.contentEnd(n.key);
    if (isBlockCollection(n)) {
      const last = n.items[n.items.length - 1];
      return last === undefined ? n.range?.[1] : this.contentEnd(last);
    }
    if (isScalar(n) || isAlias(n) || isMap(n) || isSeq(n)) {
      const r = n.range;
      if (!r) return undefined;
      let end = r[1];
      if (isBlockScalar(n))
        while (end > r[0] && (this.text[end - 1] === "\n" || this.text[end - 1] === "\r")) end--;
      return end;
    }
    return undefined;
  }

  /** End (after the line break) of the lines an entry occupies (see linesEnd). */
  entryEnd(n: unknown, col: number): number {
    const end = this.contentEnd(n);
    if (end === undefined) throw new Error("Internal error: YAML node without a source range");
    return linesEnd(this.text, end, col);
  }

  /** Whether the text from `from` to `to` is spaces only. */
  spacesOnly(from: number, to: number): boolean {
    for (let i = from; i < to; i++) if (this.text[i] !== " ") return false;
    return true;
  }

  /** See the function followOk. */
  followOk(pos: number, col: number, same: SameColumn): boolean {
    return followOk(this.text, pos, col, same);
  }

  /** Renders a fragment with `\n` line breaks in the file's line ending, each line but the first prefixed. */
  indentLines(s: string, prefix: string, first = false): string {
    const lines = s.replace(/\n$/, "").split("\n");
    return lines.map((l, i) => (l === "" || (i === 0 && !first) ? l : prefix + l)).join(this.style.eol);
  }

  /** A value in block style, as the package's `stringify` prints it (see yaml-emit.ts). */
  block(value: unknown): Emitted {
    return emitBlock(value, blockStyleOf(this.style));
  }

  blockAt(value: unknown, col: number): Emitted {
    return blockAt(value, col, this.style);
  }

  /** A value in flow style (`{a: 1}`, `[x, y]`). */
  flow(value: unknown): string {
    return yamlStringify(value, blockStyleOf(this.style), true);
  }

  /** A value rendered to follow `- ` or `key: ` on the same line (continuation lines at col + 2). */
  inline(value: unknown, col: number): string {
    const s = this.block([value]).text;
    return this.indentLines(s.slice(2).replace(/\n {2}/g, "\n"), spaces(col + 2));
  }

  push(offset: number, end: number, content: string, ok = false): void {
    this.out.push({ offset, length: end - offset, content, ok });
  }

  /**
   * Pushes a new value's text; when it spans lines and the old value had a trailing comment,
   * the comment moves to the end of the first line (after a block scalar's header it would
   * otherwise become content).
   */
  pushValue(from: number, to: number, content: string): void {
    const lineTo = this.lineEnd(to);
    const rest = this.text.slice(to, lineTo);
    const nl = content.indexOf("\n");
    if (nl >= 0 && /\S/.test(rest)) {
      const cut = content[nl - 1] === "\r" ? nl - 1 : nl;
      this.push(from, lineTo, content.slice(0, cut) + rest + content.slice(cut));
    } else {
      this.push(from, to, content);
    }
  }

  pairHolder(pair: Pair): Holder | undefined {
    const key = pair.key as YNode | null;
    const r = key && (isScalar(key) || isAlias(key)) ? key.range : undefined;
    if (!r) return undefined;
    let i = r[1];
    const t = this.text;
    while (i < t.length && (t[i] === " " || t[i] === "\t")) i++;
    if (t[i] !== ":") return undefined;
    return { kind: "pair", col: this.column(r[0]), indicatorEnd: i + 1 };
  }

  itemHolder(item: unknown): Holder | undefined {
    const r = (item as YNode | null)?.range;
    if (!r) return undefined;
    let i = r[0] - 1;
    const t = this.text;
    while (i >= 0 && /\s/.test(t[i] ?? "")) i--;
    if (t[i] !== "-") return undefined;
    return { kind: "item", col: this.column(i), indicatorEnd: i + 1 };
  }

  /** Replaces the value at a holder (old node may be null) with a new plain value. */
  replace(holder: Holder, old: unknown, value: unknown): void {
    const t = this.text;
    const oldNode = old as YNode | null | undefined;
    const start = oldNode?.range?.[0];
    const end = this.contentEnd(oldNode);
    const nonEmpty =
      (Array.isArray(value) && value.length > 0) || (isPlainObject(value) && Object.keys(value).length > 0);
    const needsSpace = (at: number) => (at > 0 && /[:-]/.test(t[at - 1] ?? "") ? " " : "");

    if (nonEmpty && (isMap(oldNode) || isSeq(oldNode)) && oldNode.flow && oldNode.items.length > 0) {
      const flow = this.flow(value).replace(/\n$/, "");
      if (!flow.includes("\n") && start !== undefined && end !== undefined) {
        this.push(start, end, flow);
        return;
      }
    }
    if (!nonEmpty || holder.kind === "item" || holder.kind === "root") {
      const s =
        !nonEmpty || holder.kind === "item"
          ? this.inline(value, holder.col)
          : this.indentLines(this.block(value).text, spaces(holder.col));
      if (start === undefined || end === undefined) {
        this.pushValue(holder.indicatorEnd, holder.indicatorEnd, ` ${s}`);
      } else if (isBlockCollection(oldNode) && holder.kind === "pair") {
        this.pushValue(holder.indicatorEnd, end, ` ${s}`);
      } else {
        this.pushValue(start, end, needsSpace(start) + s);
      }
      return;
    }
    // A non-empty collection after `key:`, as a block on the following lines.
    const sameKind = (isMap(oldNode) && isPlainObject(value)) || (isSeq(oldNode) && Array.isArray(value));
    if (sameKind && isBlockCollection(oldNode) && start !== undefined && end !== undefined) {
      const col = this.column(start);
      this.pushValue(start, end, this.indentLines(this.block(value).text, spaces(col)));
      return;
    }
    const childCol = holder.col + (Array.isArray(value) ? this.style.seq : this.style.unit);
    const block = this.style.eol + this.indentLines(this.block(value).text, spaces(childCol), true);
    const from = end ?? holder.indicatorEnd;
    if (this.lineEnd(holder.indicatorEnd) >= from) {
      // The old value ends on the key's line: keep a trailing comment there.
      const to = this.lineEnd(from);
      const rest = t.slice(from, to);
      const comment = /^\s*#/.test(rest) ? (/^\s/.test(rest) ? rest : ` ${rest}`) : "";
      this.push(holder.indicatorEnd, to, comment + block);
    } else {
      this.pushValue(holder.indicatorEnd, from, block);
    }
  }

  /** Applies a keep-operation to a node at a holder. */
  node(node: unknown, op: Op & { t: "keep" }, holder: Holder): void {
    const anchored = hasOwnAnchor(node);
    if (anchored) this.anchored++;
    try {
      if (isMap(node) && !node.flow) {
        this.map(node, op, holder);
        return;
      }
      if (isSeq(node) && !node.flow && allNumeric(op.kids)) {
        this.seq(node, op, holder);
        return;
      }
      const before = this.toJS(node);
      const after = applyOp(before, op);
      if (!same(before, after)) this.replace(holder, node, after);
    } finally {
      if (anchored) this.anchored--;
    }
  }

  toJS(node: unknown): unknown {
    if (node === null || node === undefined) return null;
    return (node as YNode).toJS(this.doc, { maxAliasCount: MAX_ALIAS_COUNT });
  }

  child(holder: Holder | undefined, value: unknown, op: Op): void {
    if (!holder) throw new Error("Internal error: cannot locate a YAML key or item");
    if (op.t === "set") {
      if (!same(this.toJS(value), op.value)) this.replace(holder, value, op.value);
    } else if (op.t === "keep") this.node(value, op, holder);
  }

  /**
   * Whether the first key or dash of a block collection, at `offset`, sits at the collection's
   * column: only spaces and sequence dashes (`- - key:`) before it on its line, not an explicit
   * key's `? ` (its entries then sit two columns left of it).
   */
  startsEntries(offset: number): boolean {
    return /^ *(?:- +)*$/.test(this.text.slice(this.lineStart(offset), offset));
  }

  /** Whether edits of a collection's entries may be proven locally (see the header). */
  provable(node: YAMLMap | YAMLSeq): boolean {
    if (!this.local || this.anchored > 0 || node.flow || node.tag) return false;
    if (isSeq(node)) return true;
    // String keys only: a new key is then surely not one of them, and reads back as itself.
    return node.items.every((p) => isScalar(p.key) && typeof p.key.value === "string");
  }

  /**
   * After an existing entry (a map's pair, a sequence's item) was edited in place from piece
   * `mark` on: proves those pieces by parsing the entry's new lines on their own, or, when it left
   * no piece, checks that the operation changes nothing.
   */
  settle(
    prove: boolean,
    entry: { kind: "map"; pair: Pair; key: string } | { kind: "seq"; item: unknown },
    col: number,
    mark: number,
    op: Op,
  ): void {
    const old = entry.kind === "map" ? entry.pair.value : entry.item;
    const want = () => (op.t === "set" ? op.value : applyOp(this.toJS(old), op));
    const pieces = this.out.slice(mark);
    if (pieces.length === 0) {
      // A set-operation with no piece was compared already (child).
      if (this.local && op.t !== "set" && !same(this.toJS(old), want())) this.unproven = true;
      return;
    }
    if (!prove || pieces.every((p) => p.ok)) return;
    const node = entry.kind === "map" ? entry.pair : entry.item;
    const start = entry.kind === "map" ? (entry.pair.key as YNode).range?.[0] : this.dashOf(entry.item);
    if (start === undefined) return;
    const ls = this.lineStart(start);
    if (!this.spacesOnly(ls, start)) return;
    const end = this.entryEnd(node, col);
    for (const p of pieces) if (p.offset < ls || p.offset + p.length > end) return;
    if (hasAnchor(node) || !this.followOk(end, col, entry.kind === "map" ? "nodash" : "any")) return;
    const lines = applyTextEdits(
      this.text.slice(ls, end),
      pieces.map((p) => ({ offset: p.offset - ls, length: p.length, content: p.content })),
    );
    if (!fragmentOk(lines, col)) return;
    const got = parseFragment(lines);
    const root = got?.doc.contents;
    if (!got || !isBlockCollection(root) || root.items.length !== 1 || isBlockScalar(lastLeaf(root))) return;
    let expected: unknown;
    if (entry.kind === "map") {
      const key = (root.items[0] as Pair | undefined)?.key;
      if (!isMap(root) || !isScalar(key) || key.value !== entry.key || key.range?.[0] !== col) return;
      const o: Record<string, unknown> = {};
      defineKey(o, entry.key, want());
      expected = o;
    } else {
      if (!isSeq(root) || lines[col] !== "-") return;
      expected = [want()];
    }
    if (!same(got.value, expected)) return;
    for (const p of pieces) p.ok = true;
  }

  /** Offset of the dash of a sequence item. */
  dashOf(item: unknown): number | undefined {
    const h = this.itemHolder(item);
    return h ? h.indicatorEnd - 1 : undefined;
  }

  /**
   * Whether new entries (`body`, at column `col`, inserted at `at` right after the collection's
   * last entry `last`) are proven: nothing before them reads on past `at` (a block scalar would
   * take in the blank lines that follow), what follows ends them, and their text is the emitter's
   * exact rendering of the values or parses on its own to them.
   */
  insertOk(
    last: unknown,
    at: number,
    col: number,
    kind: "map" | "seq",
    emitted: boolean,
    body: string,
    want: () => unknown,
  ): boolean {
    if (isBlockScalar(lastLeaf(last))) return false;
    if (!this.followOk(at, col, kind === "map" ? "none" : "nodash")) return false;
    if (emitted) return true;
    if (!fragmentOk(body, col)) return false;
    const got = parseFragment(body);
    const root = got?.doc.contents;
    if (!got || !isBlockCollection(root) || isMap(root) !== (kind === "map")) return false;
    return !isBlockScalar(lastLeaf(root)) && same(got.value, want());
  }

  map(node: YAMLMap, op: Op & { t: "keep" }, holder: Holder): void {
    const items = node.items as Pair[];
    const index = new Map<string, number>();
    items.forEach((p, i) => {
      const k = p.key;
      const name = isScalar(k) ? String(k.value) : String(this.toJS(k));
      index.set(name, i);
    });
    const first = items[0]?.key as YNode | undefined;
    const firstStart = first?.range?.[0];
    const col = firstStart === undefined ? -1 : this.column(firstStart);
    const prove = firstStart !== undefined && this.startsEntries(firstStart) && this.provable(node);
    const removed = new Set<number>();
    const inserts: [string, unknown][] = [];
    for (const [key, kid] of mapKids(op)) {
      const i = index.get(key);
      if (i === undefined) {
        const v = kid.t === "remove" ? undefined : materialize(kid);
        if (v !== undefined) inserts.push([key, v]);
        continue;
      }
      const pair = items[i] as Pair;
      if (kid.t === "remove") removed.add(i);
      else {
        const mark = this.out.length;
        this.child(this.pairHolder(pair), pair.value, kid);
        this.settle(prove, { kind: "map", pair, key }, col, mark, kid);
      }
    }
    if (removed.size === items.length && inserts.length === 0) {
      if (removed.size > 0) this.replace(holder, node, {});
      return;
    }
    if (firstStart === undefined) throw new Error("Internal error: YAML map without a source range");
    this.removeRuns(
      items,
      removed,
      (p) => (p.key as YNode).range?.[0],
      (p) => this.entryEnd(p, col),
      prove ? { col, kind: "map" } : undefined,
    );
    if (inserts.length > 0) {
      // One rendering for all new keys (each pair is rendered on its own, so the text is the same
      // as rendering them one by one).
      const o: Record<string, unknown> = {};
      for (const [k, v] of inserts) defineKey(o, k, v);
      const emitted = this.blockAt(o, col);
      const body = emitted.text;
      const last = items[items.length - 1];
      const at = this.entryEnd(last, col);
      const ok = prove && this.insertOk(last, at, col, "map", emitted.exact, body, () => o);
      this.insertAfter(at, [body], ok);
    }
  }

  seq(node: YAMLSeq, op: Op & { t: "keep" }, holder: Holder): void {
    const items = node.items as unknown[];
    const firstHolder = this.itemHolder(items[0]);
    const col = firstHolder ? firstHolder.col : -1;
    const prove =
      firstHolder !== undefined && this.startsEntries(firstHolder.indicatorEnd - 1) && this.provable(node);
    const removed = new Set<number>();
    const appended: [number, unknown][] = [];
    for (const [seg, kid] of op.kids) {
      const i = seg as number;
      if (i >= items.length) {
        const v = materialize(kid);
        if (v !== undefined) appended.push([i, v]);
        continue;
      }
      if (kid.t === "remove") removed.add(i);
      else {
        const mark = this.out.length;
        this.child(this.itemHolder(items[i]), items[i], kid);
        this.settle(prove, { kind: "seq", item: items[i] }, col, mark, kid);
      }
    }
    if (removed.size === items.length && appended.length === 0) {
      if (removed.size > 0) this.replace(holder, node, []);
      return;
    }
    if (!firstHolder) throw new Error("Internal error: YAML sequence without a source range");
    this.removeRuns(
      items,
      removed,
      (item) => this.dashOf(item),
      (item) => this.entryEnd(item, col),
      prove ? { col, kind: "seq" } : undefined,
    );
    if (appended.length > 0) {
      appended.sort((a, b) => a[0] - b[0]);
      const rendered = appended.map(([, v]) => this.blockAt([v], col));
      const body = rendered.map((r) => r.text);
      const last = items[items.length - 1];
      const at = this.entryEnd(last, col);
      const exact = rendered.every((r) => r.exact);
      const want = () => appended.map(([, v]) => v);
      const ok = prove && this.insertOk(last, at, col, "seq", exact, body.join(this.style.eol), want);
      this.insertAfter(at, body, ok);
    }
  }

  /**
   * Removes runs of consecutive removed entries. A run of whole lines (`proof` given) is proven
   * when it holds no anchor (an alias elsewhere would lose its target), the entry before it does
   * not end in a block scalar (which would take in the blank lines after the run) and what
   * follows the run ends the entries before it.
   */
  removeRuns<T>(
    items: readonly T[],
    removed: Set<number>,
    startOf: (x: T) => number | undefined,
    endOf: (x: T) => number,
    proof?: { col: number; kind: "map" | "seq" },
  ): void {
    let i = 0;
    while (i < items.length) {
      if (!removed.has(i)) {
        i++;
        continue;
      }
      let j = i;
      while (j + 1 < items.length && removed.has(j + 1)) j++;
      const s = startOf(items[i] as T);
      if (s === undefined) throw new Error("Internal error: YAML entry without a source range");
      const ls = this.lineStart(s);
      const next = items[j + 1];
      if (/^[ \t]*$/.test(this.text.slice(ls, s))) {
        const end = endOf(items[j] as T);
        let ok = proof !== undefined && this.spacesOnly(ls, s);
        for (let k = i; ok && k <= j; k++) if (hasAnchor(items[k])) ok = false;
        if (ok && i > 0 && isBlockScalar(lastLeaf(items[i - 1]))) ok = false;
        if (ok && proof) ok = this.followOk(end, proof.col, proof.kind === "map" ? "nodash" : "any");
        this.push(ls, end, "", ok);
      } else if (next !== undefined) {
        // The run starts after `- ` on the item's line: pull the next entry up to its place.
        const ns = startOf(next);
        if (ns === undefined) throw new Error("Internal error: YAML entry without a source range");
        this.push(s, ns, "");
      } else {
        this.push(s, endOf(items[j] as T), "");
      }
      i = j + 1;
    }
  }

  insertAfter(at: number, blocks: string[], ok = false): void {
    this.out.push({ ...insertion(this.text, at, blocks, this.style.eol), ok });
  }
}

/** Indentation the file already uses for nested maps and sequences. */
function detectStyle(text: string, doc: Document.Parsed): Style {
  const eol = detectLayout(text).eol;
  let unit: number | undefined;
  let seq: number | undefined;
  const col = (o: number) => o - (text.lastIndexOf("\n", o - 1) + 1);
  const visit = (n: unknown, depth: number): void => {
    if (depth > 50 || (unit !== undefined && seq !== undefined)) return;
    if (isMap(n) && !n.flow) {
      for (const p of n.items) {
        const k = (p.key as YNode | null)?.range?.[0];
        const v = p.value as YNode | null;
        const vs = v?.range?.[0];
        if (k !== undefined && vs !== undefined && text.lastIndexOf("\n", vs) > k) {
          if (unit === undefined && isMap(v) && !v.flow && col(vs) > col(k)) unit = col(vs) - col(k);
          if (seq === undefined && isSeq(v) && !v.flow && col(vs) >= col(k)) seq = col(vs) - col(k);
        }
        visit(v, depth + 1);
      }
    } else if (isSeq(n) && !n.flow) {
      for (const it of n.items) visit(it, depth + 1);
    }
  };
  visit(doc.contents, 0);
  const u = unit ?? 2;
  return { unit: u, seq: seq ?? u, eol };
}

function rootHolder(): Holder {
  return { kind: "root", col: 0, indicatorEnd: 0 };
}

/** Whether a text holds nothing but blank and comment lines (after a byte-order mark). */
function onlyComments(text: string): boolean {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return t.split("\n").every((l) => /^[ \t]*(?:#.*)?\r?$/.test(l));
}

/** An edit's result and whether it was proven locally (else the whole result was re-parsed). */
export interface SplicedYaml {
  text: string;
  proven: boolean;
}

/**
 * Applies edits by splicing text into the original, without the Document-API fallback: throws (an
 * internal Error) when the result would not parse to the expected value. Says whether the result
 * was proven locally; `fullCheck` re-parses the whole result even then. `appendFast: false` keeps
 * the edit off the Document-free path (tests hold that path to the other). Exported for tests.
 */
export function spliceYamlDetailed(
  text: string,
  edits: readonly Edit[],
  path: string,
  fullCheck = false,
  options: { appendFast?: boolean } = {},
): SplicedYaml & { fast: boolean } {
  const op = opTree(edits);
  const fast = options.appendFast === false ? undefined : appendFast(text, op);
  if (fast !== undefined) {
    if (fullCheck) checkWhole(fast.text, applyOp(parseYamlSubset(text)?.value, op), path);
    return { ...fast, fast: true };
  }
  return { ...editDocument(text, edits, path, false, fullCheck, op), fast: false };
}

function editYaml(text: string, edits: readonly Edit[], path: string): string {
  if (edits.length === 0) return text;
  // One operation tree for both paths (neither changes it).
  const op = opTree(edits);
  return (appendFast(text, op) ?? editDocument(text, edits, path, true, false, op)).text;
}

/** Throws unless a result parses to the expected value. */
function checkWhole(result: string, expected: unknown, path: string): void {
  if (!same(yamlValue(result, path), expected))
    throw new Error("Internal error: YAML splice changed other values");
}

function editDocument(
  text: string,
  edits: readonly Edit[],
  path: string,
  fallback: boolean,
  fullCheck = false,
  op: Op = opTree(edits),
): SplicedYaml {
  if (edits.length === 0) return { text, proven: true };
  // The Document `yaml.parse` left for this text, else a parse checked the same way.
  let doc = forget(text);
  if (doc === undefined) doc = readYaml(text, path).doc;
  const layout = detectLayout(text);
  const style = detectStyle(text, doc);
  const root = doc.contents as YNode | null;
  if (root !== null && !isMap(root) && !(isScalar(root) && root.value === null) && op.t !== "set") {
    throw new HostParseError(path, "the file must hold a YAML mapping at the top level");
  }

  let result: SplicedYaml;
  try {
    result = splice(text, doc, op, style, layout.finalNewline, path);
    if (!result.proven || fullCheck) checkWhole(result.text, applyOp(docValue(doc, path), op), path);
  } catch (e) {
    if (!fallback) throw e;
    // A fresh parse: the Document API edits the Document it is given.
    const fresh = readYaml(text, path);
    const expected = applyOp(fresh.value, op);
    const shared = usesAliases(fresh.doc);
    let ok = false;
    let out = "";
    try {
      out = viaDocument(fresh.doc, op, expected, style, layout);
      ok = same(yamlValue(out, path), expected);
    } catch {
      ok = false;
    }
    if (!ok && shared) {
      // Changing an anchored value would change every alias of it too.
      throw new HostParseError(
        path,
        "the change touches a YAML anchor or alias (&name, *name) that other entries share; replace the alias with a copy of its value and try again",
      );
    }
    if (!ok) throw new Error(`Internal error: cannot apply the edits to the YAML file "${path}"`);
    result = { text: out, proven: false };
  }
  return result;
}

function usesAliases(doc: Document.Parsed): boolean {
  return someNode(doc, (n) => isAlias(n));
}

function splice(
  text: string,
  doc: Document.Parsed,
  op: Op,
  style: Style,
  finalNewline: boolean,
  path: string,
): SplicedYaml {
  const local = localProofs(text, doc);
  const s = new Splicer(text, doc, style, local);
  const root = doc.contents as YNode | null;
  if (op.t === "remove") return { text: "", proven: false };
  if (root === null || op.t === "set" || (isScalar(root) && root.value === null)) {
    // Nothing to keep but comments: the new document goes after them.
    const expected = applyOp(docValue(doc, path), op);
    if (expected === undefined) return { text, proven: false };
    const emitted = s.blockAt(expected, 0);
    const body = emitted.text;
    if (root?.range) {
      const end = s.contentEnd(root) ?? root.range[1];
      s.push(root.range[0], end, body);
      return { text: applyTextEdits(text, s.out), proven: false };
    }
    const sep = text.length === 0 || text.endsWith("\n") ? "" : style.eol;
    // After blank and comment lines only, the emitter's exact text reads as the value itself.
    const proven = local && emitted.exact && root === null && onlyComments(text);
    return { text: text + sep + body + (finalNewline ? style.eol : ""), proven };
  }
  s.node(root, op, rootHolder());
  const proven = local && !s.unproven && s.out.length > 0 && s.out.every((p) => p.ok);
  return { text: applyTextEdits(text, s.out), proven };
}

// ---------------------------------------------------------------------------------------------
// Appending (and changing the emitter's own entries) without a Document

/**
 * A sync's usual edits without building a Document (the library's parse of even a small file costs
 * tens of milliseconds in a cold process, and ~340 ms for a Goose file of 1,000 servers): for a
 * file the fast reader vouches for, with the facts it records (each block map's column, where its
 * entries lie, whether its keys are strings, the indentation in use):
 * - new entries after the last entry of block maps, by the rules of Splicer.map for such an edit,
 *   giving the same text, proven the same way (the emitter's exact text at the map's column,
 *   nothing before it that reads on, what follows ending it);
 * - an existing entry changed or removed whole when its lines are exactly the emitter's text of
 *   its old value (see appendTo), which gives the Document path's text too (a property test
 *   holds the two together).
 * Keys set to the value they hold change nothing, as there. Anything else (an entry a person
 * wrote or commented, a new key of an empty or flow map, text the emitter leaves to the package, a
 * piece Splicer.map would not prove) declines: undefined, and the Document path runs.
 */
function appendFast(text: string, op: Op): SplicedYaml | undefined {
  if (op.t !== "keep") return undefined;
  const layout: YamlLayout = { maps: new Map() };
  const read = parseYamlSubset(text, layout);
  if (read === undefined || read.empty || !isPlainObject(read.value)) return undefined;
  const unit = layout.unit ?? 2;
  const style: Style = { unit, seq: layout.seq ?? unit, eol: detectLayout(text).eol };
  const pieces: TextEdit[] = [];
  if (!appendTo(text, read.value, op, layout, style, pieces, true) || pieces.length === 0) return undefined;
  return { text: applyTextEdits(text, pieces), proven: true };
}

/**
 * Pushes a map's edits; false: decline. New entries go after its last entry (nested edits first,
 * as Splicer.map does). An existing entry that changes or goes is replaced or dropped whole, as
 * lines, when those lines are exactly the emitter's text of its old value (so they hold no comment,
 * anchor, alias, tag or spacing of a person's that the change could lose, and they read as that
 * value): the emitter's exact text of the new value, at the same column, then reads as it, and what
 * follows must end it as it ended the old one. A map left with no entries declines.
 */
function appendTo(
  text: string,
  map: Record<string, unknown>,
  op: Op & { t: "keep" },
  layout: YamlLayout,
  style: Style,
  pieces: TextEdit[],
  top: boolean,
): boolean {
  const span = layout.maps.get(map);
  // Splicer.provable proves only maps whose keys are all strings.
  if (span === undefined || !span.stringKeys) return false;
  // Behind a byte-order mark the top-level map's first key is not at its line's start
  // (Splicer.startsEntries), so no edit of its own entries is proven there: neither a new key nor
  // an entry changed or removed whole (edits inside its entries' maps are).
  const behindBom = top && text.charCodeAt(0) === 0xfeff;
  // The new entries, in the order Splicer.map gives them.
  const o: Record<string, unknown> = {};
  let inserts = 0;
  let removed = 0;
  for (const [key, kid] of mapKids(op)) {
    if (Object.hasOwn(map, key)) {
      const cur = map[key];
      if (kid.t === "set" && same(cur, kid.value)) continue;
      if (kid.t === "keep" && isPlainObject(cur)) {
        const mark = pieces.length;
        if (appendTo(text, cur, kid, layout, style, pieces, false)) continue;
        pieces.length = mark;
      }
      const value = kid.t === "remove" ? undefined : kid.t === "set" ? kid.value : applyOp(cur, kid);
      if (value !== undefined && same(cur, value)) continue;
      if (behindBom || !replaceEntry(text, span, key, cur, value, style, pieces)) return false;
      if (value === undefined) removed++;
    } else if (kid.t !== "remove") {
      const v = kid.t === "set" ? kid.value : materialize(kid);
      if (v !== undefined) {
        setOwn(o, key, v);
        inserts++;
      }
    }
  }
  if (removed > 0 && removed === span.entries.size && inserts === 0) return false;
  if (inserts === 0) return true;
  if (behindBom) return false;
  const eol = style.eol;
  // emitBlock's text ends every line with `eol`: what `insertion` makes of blockAt's text, without
  // cutting the last line break off a long text and adding it back.
  const emitted = emitBlock(o, blockStyleOf(style), spaces(span.col), eol);
  if (!emitted.exact || !emitted.text.endsWith(eol)) return false;
  const at = linesEnd(text, span.end, span.col);
  if (!followOk(text, at, span.col, "none")) return false;
  const content =
    at >= text.length && !text.endsWith("\n") ? eol + emitted.text.slice(0, -eol.length) : emitted.text;
  pieces.push({ offset: at, length: 0, content });
  return true;
}

/**
 * Pushes the replacement of an existing entry's lines by the emitter's text of `{key: value}` (none
 * when `value` is undefined: the lines go); false when that is not proven (see appendTo).
 */
function replaceEntry(
  text: string,
  span: YamlMapSpan,
  key: string,
  cur: unknown,
  value: unknown,
  style: Style,
  pieces: TextEdit[],
): boolean {
  const entry = span.entries.get(key);
  // The emitter indents a sequence under its key by nothing or by the unit; a file that uses
  // another offset has its new sequences indented the file's way by the Document path.
  if (entry === undefined || (style.seq !== 0 && style.seq !== style.unit)) return false;
  const col = span.col;
  const from = entry.start - col;
  // The key starts its line, after exactly the map's indentation (not after `- ` or a BOM).
  if (from < 0 || (from > 0 && text.charCodeAt(from - 1) !== 0x0a)) return false;
  for (let i = from; i < entry.start; i++) if (text.charCodeAt(i) !== 0x20) return false;
  // The entry's lines, with their line break; no comment lines below it that would go with it.
  const nl = text.indexOf("\n", entry.end);
  if (nl < 0) return false;
  const to = nl + 1;
  if (linesEnd(text, entry.end, col) !== to) return false;
  const blockStyle = blockStyleOf(style);
  const one = (v: unknown) => {
    const o: Record<string, unknown> = {};
    defineKey(o, key, v);
    return emitBlock(o, blockStyle, spaces(col), style.eol);
  };
  const old = one(cur);
  if (!old.exact || old.text.length !== to - from || !text.startsWith(old.text, from)) return false;
  if (!followOk(text, to, col, "nodash")) return false;
  if (value === undefined) {
    pieces.push({ offset: from, length: to - from, content: "" });
    return true;
  }
  const now = one(value);
  if (!now.exact || !now.text.endsWith(style.eol)) return false;
  pieces.push({ offset: from, length: to - from, content: now.text });
  return true;
}

/** Last resort: edits through the Document API (comments kept, spacing re-printed). */
function viaDocument(
  doc: Document.Parsed,
  op: Op,
  expected: unknown,
  style: Style,
  layout: { eol: string; finalNewline: boolean; bom: boolean },
): string {
  const apply = (node: unknown, o: Op, value: unknown): unknown => {
    if (o.t === "keep" && isMap(node) && isPlainObject(value)) {
      for (const [key, kid] of mapKids(o)) {
        const i = node.items.findIndex((p) => (isScalar(p.key) ? String(p.key.value) : undefined) === key);
        if (kid.t === "remove") {
          if (i >= 0) node.items.splice(i, 1);
        } else if (i >= 0) {
          const pair = node.items[i] as Pair;
          pair.value = apply(pair.value, kid, value[key]) as never;
        } else if (Object.hasOwn(value, key)) {
          node.items.push(doc.createPair(key, value[key]) as never);
        }
      }
      return node;
    }
    return doc.createNode(value);
  };
  doc.contents = (
    doc.contents === null ? doc.createNode(expected) : apply(doc.contents, op, expected)
  ) as never;
  let out = doc.toString({ lineWidth: 0, ...blockStyleOf(style) });
  if (!layout.finalNewline) out = out.replace(/\n$/, "");
  if (layout.eol === "\r\n") out = out.replace(/\r?\n/g, "\r\n");
  return (layout.bom ? "\uFEFF" : "") + out;
}

export const yaml: FileFormat = {
  checksEdits: true,
  name: "yaml",
  parse: (text, path) => yamlValue(text, path, true),
  edit: editYaml,
};
