// TOML (Codex, Mistral Vibe): parsed with smol-toml; edited by a format-preserving patcher of our
// own. The file is scanned once into statements (table headers and key/value lines, with source
// offsets); every edit becomes a splice at one statement's range, so comments, blank lines, key
// order, quoting and untouched lines keep every byte. New tables are written as `[a.b]` sections
// after the last section of their parent; small maps deeper down (env, headers) as inline tables.
// Each edit is checked by re-parsing the result: a patch that would not mean what the edits say
// throws instead of writing a wrong file.
import { parse as smolParse, TomlError } from "smol-toml";
import { type Edit, isRemove, type Path } from "../../core/edits.ts";
import { HostParseError } from "../../core/errors.ts";
import type { FileFormat } from "./format.ts";
import { applyTextEdits, detectLayout, lineIndent, type TextEdit } from "./layout.ts";

type Seg = string | number;
type Table = Record<string, unknown>;

function isTable(x: unknown): x is Table {
  return typeof x === "object" && x !== null && !Array.isArray(x) && !(x instanceof Date);
}

function own(t: Table, k: string): unknown {
  return Object.hasOwn(t, k) ? t[k] : undefined;
}

/** smol-toml builds null-prototype objects; hand out ordinary ones (with `__proto__` as data). */
function plain(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(plain);
  if (isTable(x)) {
    const o: Table = {};
    for (const k of Object.keys(x)) {
      const v = plain(x[k]);
      if (k === "__proto__")
        Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
      else o[k] = v;
    }
    return o;
  }
  return x;
}

function parseToml(text: string, path: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === "") return undefined;
  try {
    return plain(smolParse(body));
  } catch (e) {
    if (e instanceof TomlError) {
      const detail = e.message.replace(/^Invalid TOML document: /, "").split("\n")[0] ?? "invalid TOML";
      throw new HostParseError(path, detail, e.line, e.column);
    }
    const msg = e instanceof Error ? e.message : String(e);
    throw new HostParseError(path, `invalid TOML (${msg})`);
  }
}

// ---------------------------------------------------------------------------------------------
// Scanning: statements with offsets. Runs only on text smol-toml accepted, so it can be lenient.

interface Header {
  kind: "header";
  path: Seg[];
  /** Start of the header line. */
  start: number;
  /** Just past the header line's end of line (or the end of the file). */
  lineEnd: number;
  /** End of the statement before this header: attached comments never reach above it. */
  prevEnd: number;
  order: number;
  /** Position in the file's list of headers. */
  index: number;
}

interface Kv {
  kind: "kv";
  /** Absolute path of the value. */
  path: Seg[];
  /** Index of the header whose section holds this line (-1: before any header). */
  section: number;
  lineStart: number;
  valueStart: number;
  valueEnd: number;
  lineEnd: number;
  order: number;
}

interface TrieNode {
  kv?: Kv;
  headers: Header[];
  children: Map<Seg, TrieNode>;
}

interface Scan {
  headers: Header[];
  kvs: Kv[];
  trie: TrieNode;
  /** Offset where content starts (1 after a BOM). */
  begin: number;
}

const pathKey = (p: readonly Seg[]) => JSON.stringify(p);

class Scanner {
  p: number;
  constructor(
    readonly t: string,
    start: number,
  ) {
    this.p = start;
  }
  fail(): never {
    throw new Error(`Internal error: unexpected TOML text at offset ${this.p}`);
  }
  ws(): void {
    while (this.t[this.p] === " " || this.t[this.p] === "\t") this.p++;
  }
  atEol(): boolean {
    const c = this.t[this.p];
    return this.p >= this.t.length || c === "\n" || (c === "\r" && this.t[this.p + 1] === "\n");
  }
  /** Skips blanks, a comment and the end of line; returns the offset past it. */
  lineEnd(): number {
    this.ws();
    if (this.t[this.p] === "#") {
      const nl = this.t.indexOf("\n", this.p);
      this.p = nl < 0 ? this.t.length : nl;
      if (this.t[this.p - 1] === "\r") this.p--;
    }
    if (this.t[this.p] === "\r" && this.t[this.p + 1] === "\n") this.p += 2;
    else if (this.t[this.p] === "\n") this.p++;
    else if (this.p < this.t.length) this.fail();
    return this.p;
  }
  key(): string[] {
    const segs: string[] = [];
    for (;;) {
      this.ws();
      segs.push(this.simpleKey());
      this.ws();
      if (this.t[this.p] !== ".") return segs;
      this.p++;
    }
  }
  simpleKey(): string {
    const t = this.t;
    const c = t[this.p];
    if (c === '"') return this.basicString();
    if (c === "'") {
      const end = t.indexOf("'", this.p + 1);
      if (end < 0) this.fail();
      const s = t.slice(this.p + 1, end);
      this.p = end + 1;
      return s;
    }
    const start = this.p;
    while (this.p < t.length && !/[ \t.=\]#\r\n"']/.test(t[this.p] as string)) this.p++;
    if (this.p === start) this.fail();
    return t.slice(start, this.p);
  }
  basicString(): string {
    const t = this.t;
    this.p++;
    let out = "";
    for (;;) {
      if (this.p >= t.length) this.fail();
      const c = t[this.p] as string;
      if (c === '"') {
        this.p++;
        return out;
      }
      if (c !== "\\") {
        out += c;
        this.p++;
        continue;
      }
      const e = t[this.p + 1];
      this.p += 2;
      const simple: Record<string, string> = {
        b: "\b",
        t: "\t",
        n: "\n",
        f: "\f",
        r: "\r",
        e: "\x1b",
        '"': '"',
        "\\": "\\",
      };
      if (e !== undefined && simple[e] !== undefined) out += simple[e];
      else {
        const len = e === "u" ? 4 : e === "U" ? 8 : e === "x" ? 2 : 0;
        if (!len) this.fail();
        out += String.fromCodePoint(Number.parseInt(t.slice(this.p, this.p + len), 16));
        this.p += len;
      }
    }
  }
  /** Moves past one value; returns its end offset. */
  value(): number {
    const t = this.t;
    const c = t[this.p];
    if (t.startsWith('"""', this.p) || t.startsWith("'''", this.p)) {
      const q = t.slice(this.p, this.p + 3);
      this.p += 3;
      for (;;) {
        if (this.p >= t.length) this.fail();
        if (q === '"""' && t[this.p] === "\\") this.p += 2;
        else if (t.startsWith(q, this.p)) {
          this.p += 3;
          for (let extra = 0; extra < 2 && t[this.p] === q[0]; extra++) this.p++;
          return this.p;
        } else this.p++;
      }
    }
    if (c === '"') {
      this.basicString();
      return this.p;
    }
    if (c === "'") {
      const end = t.indexOf("'", this.p + 1);
      if (end < 0) this.fail();
      this.p = end + 1;
      return this.p;
    }
    if (c === "[" || c === "{") {
      let depth = 0;
      for (;;) {
        if (this.p >= t.length) this.fail();
        const d = t[this.p];
        if (d === "[" || d === "{") {
          depth++;
          this.p++;
        } else if (d === "]" || d === "}") {
          depth--;
          this.p++;
          if (depth === 0) return this.p;
        } else if (d === '"' || d === "'") this.value();
        else if (d === "#") {
          const nl = t.indexOf("\n", this.p);
          this.p = nl < 0 ? t.length : nl;
        } else this.p++;
      }
    }
    const start = this.p;
    const scalar = () => {
      while (this.p < t.length && !/[ \t,\]}#\r\n]/.test(t[this.p] as string)) this.p++;
    };
    scalar();
    // A date and a time may be separated by a space.
    if (/^\d{4}-\d{2}-\d{2}$/.test(t.slice(start, this.p)) && / \d{2}:/.test(t.slice(this.p, this.p + 4))) {
      this.p++;
      scalar();
    }
    if (this.p === start) this.fail();
    return this.p;
  }
}

function scan(text: string): Scan {
  const begin = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const s = new Scanner(text, begin);
  const headers: Header[] = [];
  const kvs: Kv[] = [];
  const aot = new Map<string, number>();
  let sectionPath: Seg[] = [];
  let section = -1;
  let prevEnd = begin;
  let order = 0;
  while (s.p < text.length) {
    const lineStart = s.p;
    s.ws();
    if (s.atEol() || text[s.p] === "#") {
      s.lineEnd();
      continue;
    }
    if (text[s.p] === "[") {
      const isAot = text[s.p + 1] === "[";
      s.p += isAot ? 2 : 1;
      const keys = s.key();
      s.p += isAot ? 2 : 1;
      const abs: Seg[] = [];
      keys.forEach((k, i) => {
        abs.push(k);
        const key = pathKey(abs);
        if (i === keys.length - 1 && isAot) {
          const n = (aot.get(key) ?? -1) + 1;
          aot.set(key, n);
          abs.push(n);
        } else if (i < keys.length - 1 && aot.has(key)) abs.push(aot.get(key) as number);
      });
      const h: Header = {
        kind: "header",
        path: abs,
        start: lineStart,
        lineEnd: s.lineEnd(),
        prevEnd,
        order: order++,
        index: headers.length,
      };
      headers.push(h);
      section = headers.length - 1;
      sectionPath = abs;
      prevEnd = h.lineEnd;
      continue;
    }
    const keys = s.key();
    if (text[s.p] !== "=") s.fail();
    s.p++;
    s.ws();
    const valueStart = s.p;
    const valueEnd = s.value();
    const kv: Kv = {
      kind: "kv",
      path: [...sectionPath, ...keys],
      section,
      lineStart,
      valueStart,
      valueEnd,
      lineEnd: s.lineEnd(),
      order: order++,
    };
    kvs.push(kv);
    prevEnd = kv.lineEnd;
  }
  const trie: TrieNode = { headers: [], children: new Map() };
  const nodeFor = (path: readonly Seg[]) => {
    let n = trie;
    for (const seg of path) {
      let c = n.children.get(seg);
      if (!c) {
        c = { headers: [], children: new Map() };
        n.children.set(seg, c);
      }
      n = c;
    }
    return n;
  };
  for (const h of headers) nodeFor(h.path).headers.push(h);
  for (const kv of kvs) nodeFor(kv.path).kv = kv;
  return { headers, kvs, trie, begin };
}

function trieAt(trie: TrieNode, path: readonly Seg[]): TrieNode | undefined {
  let n: TrieNode | undefined = trie;
  for (const seg of path) {
    n = n.children.get(seg);
    if (!n) return undefined;
  }
  return n;
}

function subtree(n: TrieNode, headers: Header[], kvs: Kv[]): void {
  if (n.kv) kvs.push(n.kv);
  headers.push(...n.headers);
  for (const c of n.children.values()) subtree(c, headers, kvs);
}

// ---------------------------------------------------------------------------------------------
// Rendering values.

const BARE_KEY = /^[A-Za-z0-9_-]+$/;
const SHORT_LINE = 80;

function tomlString(s: string): string {
  if (!s.isWellFormed())
    throw new TypeError(`Cannot write a string with a lone surrogate to TOML: ${JSON.stringify(s)}`);
  let out = '"';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (c < 0x20 || c === 0x7f) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

export function tomlKey(k: string): string {
  return BARE_KEY.test(k) ? k : tomlString(k);
}

function tomlNumber(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (!Number.isFinite(n)) return n > 0 ? "inf" : "-inf";
  if (Number.isSafeInteger(n)) return String(n);
  const s = String(n);
  return /^-?\d+$/.test(s) ? `${s}.0` : s;
}

/** A value as TOML inline text; arrays go multi-line (at `indent`) only when `multiline` and long. */
export function tomlValue(v: unknown, indent = "", eol = "\n", unit = "  ", multiline = false): string {
  switch (typeof v) {
    case "string":
      return tomlString(v);
    case "number":
      return tomlNumber(v);
    case "bigint":
    case "boolean":
      return String(v);
  }
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) {
    const items = v.map((x) => tomlValue(x));
    const inline = `[${items.join(", ")}]`;
    if (!multiline || items.length === 0 || inline.length + indent.length <= SHORT_LINE) return inline;
    return `[${eol}${items.map((x) => `${indent}${unit}${x},${eol}`).join("")}${indent}]`;
  }
  if (isTable(v)) {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    if (entries.length === 0) return "{}";
    return `{ ${entries.map(([k, x]) => `${tomlKey(k)} = ${tomlValue(x)}`).join(", ")} }`;
  }
  throw new TypeError(`Cannot write ${v === null ? "null" : typeof v} to TOML`);
}

const headerText = (path: readonly Seg[]) => `[${path.map((s) => tomlKey(String(s))).join(".")}]`;

/** A table with no tables inside: written inline (`env = { A = "1" }`) below the second level. */
function isLeafTable(v: Table): boolean {
  return Object.values(v).every((x) => !isTable(x));
}

function wantsSection(absPath: readonly Seg[], v: unknown): v is Table {
  return isTable(v) && (absPath.length <= 2 || !isLeafTable(v));
}

/** Key/value lines of a table's own values, and the sections of its sub-tables. */
function splitTable(
  path: readonly Seg[],
  obj: Table,
  forceInline: boolean,
): { kvs: [string, unknown][]; subs: [string, Table][] } {
  const kvs: [string, unknown][] = [];
  const subs: [string, Table][] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    if (!forceInline && wantsSection([...path, k], v)) subs.push([k, v]);
    else kvs.push([k, v]);
  }
  return { kvs, subs };
}

function kvLine(key: string, v: unknown, indent: string, eol: string, unit: string): string {
  return `${indent}${key} = ${tomlValue(v, indent, eol, unit, true)}`;
}

/** A new table as sections: a header when it has values of its own, then its sub-tables. */
function sectionsOf(path: readonly Seg[], obj: Table, eol: string, unit: string): string[][] {
  const { kvs, subs } = splitTable(path, obj, false);
  const out: string[][] = [];
  if (kvs.length > 0 || subs.length === 0) {
    out.push([headerText(path), ...kvs.map(([k, v]) => kvLine(tomlKey(k), v, "", eol, unit))]);
  }
  for (const [k, v] of subs) out.push(...sectionsOf([...path, k], v, eol, unit));
  return out;
}

/** A new item of an array of tables: a `[[a.b]]` header and its values (tables inline). */
function aotItemLines(path: readonly Seg[], obj: Table, eol: string, unit: string): string[] {
  const { kvs } = splitTable(path, obj, true);
  return [`[${headerText(path)}]`, ...kvs.map(([k, v]) => kvLine(tomlKey(k), v, "", eol, unit))];
}

// ---------------------------------------------------------------------------------------------
// Applying edits to plain values (for inline values, and for the safety check).

function clone(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(clone);
  if (isTable(x)) {
    const o: Table = {};
    for (const k of Object.keys(x)) {
      if (k === "__proto__")
        Object.defineProperty(o, k, {
          value: clone(x[k]),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else o[k] = clone(x[k]);
    }
    return o;
  }
  return x;
}

function setKey(target: Table | unknown[], seg: Seg, value: unknown): void {
  if (Array.isArray(target)) {
    if (typeof seg === "number") target[seg] = value;
    return;
  }
  const k = String(seg);
  if (k === "__proto__")
    Object.defineProperty(target, k, { value, enumerable: true, writable: true, configurable: true });
  else target[k] = value;
}

function getKey(target: unknown, seg: Seg): unknown {
  if (Array.isArray(target)) return typeof seg === "number" ? target[seg] : undefined;
  if (isTable(target)) return own(target, String(seg));
  return undefined;
}

/** Applies an edit to a plain value in place (the root must be a table or an array). */
function applyToValue(root: Table | unknown[], path: Path, edit: Edit): void {
  let cur: Table | unknown[] = root;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i] as Seg;
    let next = getKey(cur, seg);
    if (!isTable(next) && !Array.isArray(next)) {
      if (isRemove(edit)) return;
      next = typeof path[i + 1] === "number" ? [] : {};
      setKey(cur, seg, next);
    }
    cur = next as Table | unknown[];
  }
  const last = path[path.length - 1] as Seg;
  if (!isRemove(edit)) setKey(cur, last, clone(edit.value));
  else if (Array.isArray(cur)) {
    if (typeof last === "number") cur.splice(last, 1);
  } else delete cur[String(last)];
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return Number.isNaN(a) && Number.isNaN(b);
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.toISOString() === b.toISOString();
  }
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (isTable(a) && isTable(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && sameValue(a[k], b[k]));
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// The patcher.

interface Range {
  from: number;
  to: number;
}

interface Block {
  /** Sections want a blank line around them; key/value lines join their neighbours. */
  spaced: boolean;
  lines: string[];
}

/** Collapses edits so that no edit's path lies inside another's (later edits win). */
function normalize(edits: readonly Edit[]): Edit[] {
  interface N {
    edit?: Edit;
    children: Map<Seg, N>;
  }
  const root: N = { children: new Map() };
  for (const e of edits) {
    if (e.path.length === 0) throw new TypeError("Cannot edit the whole TOML document at once");
    let n = root;
    let merged = false;
    for (let i = 0; i < e.path.length; i++) {
      const seg = e.path[i] as Seg;
      let c = n.children.get(seg);
      if (!c) {
        c = { children: new Map() };
        n.children.set(seg, c);
      }
      n = c;
      if (n.edit && i < e.path.length - 1) {
        // An earlier edit covers this one: fold it into that edit's value.
        const rest = e.path.slice(i + 1);
        if (isRemove(n.edit)) {
          if (!isRemove(e)) {
            const holder: Table = {};
            applyToValue(holder, rest, e);
            n.edit = { path: n.edit.path, value: holder };
          }
        } else if (isTable(n.edit.value) || Array.isArray(n.edit.value)) {
          const value = clone(n.edit.value) as Table | unknown[];
          applyToValue(value, rest, e);
          n.edit = { path: n.edit.path, value };
        } else if (!isRemove(e)) {
          const holder: Table = {};
          applyToValue(holder, rest, e);
          n.edit = { path: n.edit.path, value: holder };
        }
        merged = true;
        break;
      }
    }
    if (merged) continue;
    n.edit = e;
    n.children.clear();
  }
  const out: Edit[] = [];
  const walk = (n: N) => {
    if (n.edit) out.push(n.edit);
    for (const c of n.children.values()) walk(c);
  };
  walk(root);
  return out;
}

function editToml(text: string, edits: readonly Edit[], path: string): string {
  if (edits.length === 0) return text;
  const parsed = parseToml(text, path);
  const doc: Table = isTable(parsed) ? parsed : {};
  const layout = detectLayout(text);
  const eol = layout.eol;
  const unit = layout.indent;
  const sc = scan(text);

  const deletions: Range[] = [];
  const replacements: TextEdit[] = [];
  const inline = new Map<Kv, { path: Path; edit: Edit }[]>();
  const pending = new Map<string, { path: Seg[]; value: Table }>();
  const appends: { path: Seg[]; index: number; value: Table }[] = [];
  /** Whether the array at a path is written as `[[path]]` sections (not an inline array). */
  const isAot = (p: readonly Seg[]) => {
    const node = trieAt(sc.trie, p);
    return node !== undefined && node.kv === undefined;
  };

  const lineBefore = (offset: number) => text.lastIndexOf("\n", offset - 2) + 1;
  const isBlank = (from: number, to: number) => text.slice(from, to).trim() === "";

  const deleteKv = (kv: Kv) => {
    let from = kv.lineStart;
    if (kv.lineEnd === text.length && !text.endsWith("\n") && from > sc.begin) from = eolStart(from);
    deletions.push({ from, to: kv.lineEnd });
  };
  /** Start of the end of line that ends just before `lineStart`. */
  const eolStart = (lineStart: number) => (text[lineStart - 2] === "\r" ? lineStart - 2 : lineStart - 1);
  const blockStart = (h: Header) => {
    let s = h.start;
    while (s > h.prevEnd) {
      const ls = lineBefore(s);
      if (ls < h.prevEnd || !text.slice(ls, s).trim().startsWith("#")) break;
      s = ls;
    }
    return s;
  };
  const deleteSection = (h: Header) => {
    const next = sc.headers[h.index + 1];
    let from = blockStart(h);
    if (next) {
      deletions.push({ from, to: blockStart(next) });
      return;
    }
    // The last section: drop the blank lines that separated it too.
    while (from > sc.begin) {
      const ls = lineBefore(from);
      if (!isBlank(ls, from)) break;
      from = ls;
    }
    if (!text.endsWith("\n") && from > sc.begin) from = eolStart(from);
    deletions.push({ from, to: text.length });
  };
  const deleteAt = (p: readonly Seg[]) => {
    const node = trieAt(sc.trie, p);
    if (!node) return;
    const hs: Header[] = [];
    const ks: Kv[] = [];
    subtree(node, hs, ks);
    const inRemoved = new Set(hs.map((h) => h.index));
    for (const h of hs) deleteSection(h);
    for (const kv of ks) if (!inRemoved.has(kv.section)) deleteKv(kv);
  };

  const insert = (p: readonly Seg[], value: unknown) => {
    // The deepest existing table on the path receives the new key.
    let cur: unknown = doc;
    let q = 0;
    for (; q < p.length - 1; q++) {
      const next = getKey(cur, p[q] as Seg);
      if (next === undefined) break;
      if (
        !isTable(next) &&
        !(Array.isArray(next) && typeof p[q + 1] === "number" && isTable(next[p[q + 1] as number]))
      ) {
        // A value that is not a table stands in the way: replace it.
        let v: unknown = value;
        for (let i = p.length - 1; i > q; i--) v = { [String(p[i])]: v };
        setAt(p.slice(0, q + 1), v);
        return;
      }
      cur = next;
    }
    if (!isTable(cur)) throw new Error(`Internal error: cannot insert at ${p.join(".")}`);
    const qPath = p.slice(0, q);
    const key = pathKey(qPath);
    let entry = pending.get(key);
    if (!entry) {
      entry = { path: qPath, value: {} };
      pending.set(key, entry);
    }
    applyToValue(entry.value, p.slice(q), { path: p.slice(q), value });
  };

  const setAt = (p: readonly Seg[], value: unknown) => {
    const existing = getKey(p.length > 1 ? getAtPath(doc, p.slice(0, -1)) : doc, p[p.length - 1] as Seg);
    const node = trieAt(sc.trie, p);
    if (existing !== undefined && node?.kv) {
      const kv = node.kv;
      const indent = lineIndent(text, kv.lineStart);
      replacements.push({
        offset: kv.valueStart,
        length: kv.valueEnd - kv.valueStart,
        content: tomlValue(value, indent, eol, unit, true),
      });
      return;
    }
    if (existing !== undefined) deleteAt(p);
    insert(p, value);
  };

  for (const e of normalize(edits)) {
    // Inside an inline value (inline table or array): re-render that one value.
    let n: TrieNode | undefined = sc.trie;
    let holder: Kv | undefined;
    for (let i = 0; i < e.path.length - 1 && n; i++) {
      n = n.children.get(e.path[i] as Seg);
      if (n?.kv) {
        holder = n.kv;
        break;
      }
    }
    if (holder) {
      const held = getAtPath(doc, holder.path);
      if (!isTable(held) && !Array.isArray(held)) {
        // A plain value where a table is wanted: replace it.
        if (!isRemove(e)) {
          let v: unknown = e.value;
          for (let i = e.path.length - 1; i >= holder.path.length; i--) v = { [String(e.path[i])]: v };
          setAt(holder.path, v);
        }
        continue;
      }
      let list = inline.get(holder);
      if (!list) {
        list = [];
        inline.set(holder, list);
      }
      list.push({ path: e.path.slice(holder.path.length), edit: e });
      continue;
    }
    // A new item at the end of an array of tables (`[[mcp_servers]]`), or the first item of one.
    const last = e.path[e.path.length - 1];
    const parentPath = e.path.slice(0, -1) as Seg[];
    if (
      !isRemove(e) &&
      typeof last === "number" &&
      isTable(e.value) &&
      parentPath.every((x) => typeof x === "string")
    ) {
      const parent = getAtPath(doc, parentPath);
      if (parent === undefined || (Array.isArray(parent) && last >= parent.length && isAot(parentPath))) {
        appends.push({ path: parentPath, index: last, value: e.value });
        continue;
      }
    }
    const existing = getAtPath(doc, e.path);
    if (isRemove(e)) {
      if (existing !== undefined) deleteAt(e.path as Seg[]);
      continue;
    }
    if (isTable(existing) && isTable(e.value) && !trieAt(sc.trie, e.path)?.kv) {
      // A table over a table: change only what differs, key by key.
      for (const sub of diffTables(e.path, existing, e.value)) {
        if (isRemove(sub)) deleteAt(sub.path as Seg[]);
        else setAt(sub.path as Seg[], sub.value);
      }
      continue;
    }
    setAt(e.path as Seg[], e.value);
  }

  for (const [kv, list] of inline) {
    const value = clone(getAtPath(doc, kv.path)) as Table | unknown[];
    for (const { path: rel, edit } of list) applyToValue(value, rel, edit);
    replacements.push({
      offset: kv.valueStart,
      length: kv.valueEnd - kv.valueStart,
      content: tomlValue(value, lineIndent(text, kv.lineStart), eol, unit, true),
    });
  }

  // Where new keys and tables go.
  const blocks = new Map<number, { kv: Block[]; sec: Block[] }>();
  const addBlock = (at: number, b: Block) => {
    let slot = blocks.get(at);
    if (!slot) {
      slot = { kv: [], sec: [] };
      blocks.set(at, slot);
    }
    (b.spaced ? slot.sec : slot.kv).push(b);
  };
  const bodyEnd = (h: Header) => {
    const next = sc.headers[h.index + 1];
    let end = next ? blockStart(next) : text.length;
    while (end > h.lineEnd) {
      const ls = lineBefore(end);
      if (!isBlank(ls, end)) break;
      end = ls;
    }
    return Math.max(end, h.lineEnd);
  };
  const lastNonBlank = () => {
    let end = text.length;
    while (end > sc.begin) {
      const ls = lineBefore(end);
      if (!isBlank(ls, end)) break;
      end = ls;
    }
    return end;
  };
  const sectionAnchor = (qPath: readonly Seg[]) => {
    const node = trieAt(sc.trie, qPath);
    const hs: Header[] = [];
    if (node) subtree(node, hs, []);
    let last: Header | undefined;
    for (const h of hs) if (!last || h.order > last.order) last = h;
    return last ? bodyEnd(last) : lastNonBlank();
  };
  const kvsIn = (section: number, prefix: readonly Seg[]) => {
    const node = trieAt(sc.trie, prefix);
    const ks: Kv[] = [];
    if (node) subtree(node, [], ks);
    return ks.filter((k) => k.section === section).sort((a, b) => a.order - b.order);
  };

  for (const { path: qPath, value } of pending.values()) {
    const node = trieAt(sc.trie, qPath);
    const ownHeader = node?.headers[node.headers.length - 1];
    const forceInline = qPath.some((s) => typeof s === "number");
    if (qPath.length === 0 || ownHeader) {
      // Root, or a table with its own header: values go after its last key, tables after its
      // last section.
      const section = ownHeader ? ownHeader.index : -1;
      const { kvs, subs } = splitTable(qPath, value, forceInline);
      if (kvs.length > 0) {
        const present = kvsIn(section, qPath);
        const last = present[present.length - 1];
        const indent = last ? lineIndent(text, last.lineStart) : "";
        const lines = kvs.map(([k, v]) => kvLine(tomlKey(k), v, indent, eol, unit));
        if (last) addBlock(last.lineEnd, { spaced: false, lines });
        else if (ownHeader) addBlock(ownHeader.lineEnd, { spaced: false, lines });
        else {
          const first = sc.headers[0];
          if (first) addBlock(blockStart(first), { spaced: true, lines });
          else addBlock(lastNonBlank(), { spaced: false, lines });
        }
      }
      const at = sectionAnchor(qPath);
      for (const [k, v] of subs)
        for (const lines of sectionsOf([...qPath, k], v, eol, unit)) addBlock(at, { spaced: true, lines });
      continue;
    }
    // A table made by dotted keys (`env.A = "1"`): add dotted keys beside them.
    const dotted = node ? kvsUnderDotted(node, qPath, sc) : [];
    const lastDotted = dotted[dotted.length - 1];
    if (lastDotted) {
      const sectionPath = lastDotted.section >= 0 ? (sc.headers[lastDotted.section] as Header).path : [];
      const rel = qPath.slice(sectionPath.length).map((s) => tomlKey(String(s)));
      const indent = lineIndent(text, lastDotted.lineStart);
      const lines = Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => kvLine([...rel, tomlKey(k)].join("."), v, indent, eol, unit));
      addBlock(lastDotted.lineEnd, { spaced: false, lines });
      continue;
    }
    // A table that exists only through its sub-tables' headers: give it a section of its own.
    const at = sectionAnchor(qPath);
    for (const lines of sectionsOf(qPath, value, eol, unit)) addBlock(at, { spaced: true, lines });
  }

  appends.sort((a, b) => a.index - b.index);
  for (const { path: aPath, value } of appends) {
    const node = trieAt(sc.trie, aPath);
    addBlock(node ? sectionAnchor(aPath) : lastNonBlank(), {
      spaced: true,
      lines: aotItemLines(aPath, value, eol, unit),
    });
  }

  // Merge deletions, then place the insertions around them.
  deletions.sort((a, b) => a.from - b.from);
  const merged: Range[] = [];
  for (const d of deletions) {
    const last = merged[merged.length - 1];
    if (last && d.from <= last.to) last.to = Math.max(last.to, d.to);
    else merged.push({ ...d });
  }
  const out: TextEdit[] = [
    ...replacements,
    ...merged.map((d) => ({ offset: d.from, length: d.to - d.from, content: "" })),
  ];
  for (const [at0, slot] of blocks) {
    let at = at0;
    const inside = merged.find((d) => d.from < at && at < d.to);
    if (inside) at = inside.to;
    // The kept neighbours of the insertion point.
    let before = at;
    for (
      let d = merged.find((r) => r.to === before && r.from < before);
      d;
      d = merged.find((r) => r.to === before && r.from < before)
    ) {
      before = d.from;
    }
    let after = at;
    for (
      let d = merged.find((r) => r.from === after && r.to > after);
      d;
      d = merged.find((r) => r.from === after && r.to > after)
    ) {
      after = d.to;
    }
    const atStart = before <= sc.begin;
    const prevBlank = atStart || isBlank(lineBefore(before), before);
    const nextEnd = text.indexOf("\n", after);
    const atEnd = after >= text.length;
    const nextBlank = atEnd || isBlank(after, nextEnd < 0 ? text.length : nextEnd);
    let content = "";
    let lastLineBlank = prevBlank;
    const all = [...slot.kv, ...slot.sec];
    for (const b of all) {
      if (b.spaced && !lastLineBlank) content += eol;
      content += b.lines.map((l) => l + eol).join("");
      lastLineBlank = false;
    }
    const lastBlock = all[all.length - 1];
    if (lastBlock?.spaced && !nextBlank) content += eol;
    if (at === text.length && text.length > sc.begin && !text.endsWith("\n")) {
      // The last line has no end of line: end it, and leave the new last line without one.
      content = eol + content.slice(0, -eol.length);
    }
    out.push({ offset: at, length: 0, content });
  }
  const result = applyTextEdits(text, out);

  // Safety check: the new text must parse to exactly the edited document.
  // Array indices refer to the one parse: removed items go last, from the highest index down.
  const expected = clone(doc) as Table;
  const itemRemoval = (e: Edit) => isRemove(e) && typeof e.path[e.path.length - 1] === "number";
  const lastIndex = (e: Edit) => e.path[e.path.length - 1] as number;
  const removals = edits.filter(itemRemoval).sort((a, b) => lastIndex(b) - lastIndex(a));
  for (const e of [...edits.filter((e) => !itemRemoval(e)), ...removals]) applyToValue(expected, e.path, e);
  // An array of tables whose every `[[…]]` section was removed is gone, not an empty array.
  for (const e of removals) {
    const parentPath = e.path.slice(0, -1);
    const parent = getAtPath(expected, parentPath);
    if (Array.isArray(parent) && parent.length === 0 && isAot(parentPath)) {
      const holder = parentPath.length > 1 ? getAtPath(expected, parentPath.slice(0, -1)) : expected;
      if (isTable(holder)) delete holder[String(parentPath[parentPath.length - 1])];
    }
  }
  let actual: unknown;
  try {
    actual = parseToml(result, path);
  } catch (err) {
    throw new Error(`Internal error: editing "${path}" produced invalid TOML`, { cause: err });
  }
  // A table that existed only through its sub-tables' headers vanishes with its last one.
  if (!sameValue(pruneEmpty(isTable(actual) ? actual : {}), pruneEmpty(expected))) {
    throw new Error(`Internal error: editing "${path}" did not produce the expected TOML document`);
  }
  return result;
}

/** Drops empty tables (recursively): `[a.b]` removed leaves no `a`, where the value says `a = {}`. */
function pruneEmpty(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(pruneEmpty);
  if (!isTable(x)) return x;
  const o: Table = {};
  for (const k of Object.keys(x)) {
    const v = pruneEmpty(x[k]);
    if (isTable(v) && Object.keys(v).length === 0) continue;
    setKey(o, k, v);
  }
  return o;
}

function getAtPath(root: unknown, p: Path): unknown {
  let cur = root;
  for (const seg of p) {
    cur = getKey(cur, seg);
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Key/value lines under a trie node written with dotted keys from a section above it. */
function kvsUnderDotted(node: TrieNode, qPath: readonly Seg[], sc: Scan): Kv[] {
  const ks: Kv[] = [];
  subtree(node, [], ks);
  return ks
    .filter((k) => {
      const sectionLen = k.section >= 0 ? (sc.headers[k.section] as Header).path.length : 0;
      return sectionLen < qPath.length;
    })
    .sort((a, b) => a.order - b.order);
}

/** Key-by-key edits turning table `a` into `b` (tables recurse; other values are replaced). */
function diffTables(base: Path, a: Table, b: Table, out: Edit[] = []): Edit[] {
  for (const k of Object.keys(a))
    if (!Object.hasOwn(b, k) || b[k] === undefined) out.push({ path: [...base, k], remove: true });
  for (const [k, v] of Object.entries(b)) {
    if (v === undefined) continue;
    const before = own(a, k);
    if (isTable(before) && isTable(v)) diffTables([...base, k], before, v, out);
    else if (!sameValue(before, v)) out.push({ path: [...base, k], value: v });
  }
  return out;
}

/** TOML (Codex CLI, Mistral Vibe): smol-toml to read, a format-preserving patcher to write. */
export const toml: FileFormat = {
  checksEdits: true,
  name: "toml",
  parse: (text, path) => parseToml(text, path),
  edit: (text, edits, path) => editToml(text, edits, path),
};
