// The JSON/JSONC codec: parse errors with line and column, strict JSON vs JSONC, and properties:
// no-op edits keep every byte, edits agree with the same changes made to the parsed value, and
// parse never fails with anything but HostParseError.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { diffEdits, type Edit, isPlainObject } from "../../core/edits.ts";
import { HostParseError } from "../../core/errors.ts";
import {
  batchStats,
  scanStats,
  editJsonGeneral,
  entriesBlock,
  formatJsonValue,
  formatJsonValueWalk,
  json,
  jsonc,
  parseJsonTree,
  twinStats,
} from "./jsonc.ts";
import type { Layout } from "./layout.ts";

const key = fc.string({ maxLength: 8 }).filter((k) => k !== "__proto__");
const value = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const doc = fc.dictionary(key, value, { maxKeys: 8 });
const layout = fc.record({ indent: fc.constantFrom(2, 4, "\t"), crlf: fc.boolean() });

function print(v: unknown, l: { indent: number | string; crlf: boolean }): string {
  const t = `${JSON.stringify(v, null, l.indent)}\n`;
  return l.crlf ? t.replace(/\n/g, "\r\n") : t;
}

function caught(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("parse errors", () => {
  test.each([
    ['{\n  "a": 1,\n  "b" 2\n}', '":" expected', 3, 7],
    ['{\n  "a": [1, 2\n}', '"," expected', 3, 1],
    ['{\n\t"a": tru\n}', "unexpected character", 2, 7],
    ['{"a": "x\n"}', "unterminated string", 1, 7],
    ['{"a": 1}\n{"b": 2}', "end of file expected", 2, 1],
  ])("%j → %s at %d:%d", (text, detail, line, column) => {
    for (const f of [json, jsonc]) {
      const e = caught(() => f.parse(text, "/x/settings.json"));
      expect(e).toBeInstanceOf(HostParseError);
      const err = e as HostParseError;
      expect(err.detail).toBe(detail);
      expect([err.line, err.column]).toEqual([line, column]);
      expect(err.message).toBe(`Cannot read "/x/settings.json": ${detail} at line ${line}, column ${column}`);
    }
  });
  test("a BOM does not shift columns", () => {
    const err = caught(() => json.parse('\uFEFF{"a" 1}', "f")) as HostParseError;
    expect([err.line, err.column]).toEqual([1, 6]);
  });
  test("a NUL byte is reported where it is", () => {
    const err = caught(() => jsonc.parse('{\n "a": "\u0000"}', "f")) as HostParseError;
    expect(err).toBeInstanceOf(HostParseError);
    expect(err.detail).toBe("unexpected NUL byte");
    expect([err.line, err.column]).toEqual([2, 8]);
  });
});

describe("strict JSON vs JSONC", () => {
  const commented = '{\n  // servers\n  "a": 1 /* one */\n}\n';
  const trailing = '{\n  "a": [1, 2,],\n  "b": 2,\n}\n';
  test("JSONC accepts comments and trailing commas", () => {
    expect(jsonc.parse(commented, "f")).toEqual({ a: 1 });
    expect(jsonc.parse(trailing, "f")).toEqual({ a: [1, 2], b: 2 });
  });
  test("strict JSON rejects comments", () => {
    const err = caught(() => json.parse(commented, "f")) as HostParseError;
    expect(err).toBeInstanceOf(HostParseError);
    expect(err.detail).toBe("comments are not allowed in this file");
    expect([err.line, err.column]).toEqual([2, 3]);
  });
  test("strict JSON rejects trailing commas", () => {
    const err = caught(() => json.parse('{\n  "a": 1,\n}', "f")) as HostParseError;
    expect(err).toBeInstanceOf(HostParseError);
    expect(err.detail).toBe("trailing commas are not allowed in this file");
    expect(err.line).toBe(3);
  });
  test("empty files parse to undefined; a non-object top level cannot be edited", () => {
    expect(jsonc.parse("", "f")).toBeUndefined();
    expect(jsonc.parse("  \n", "f")).toBeUndefined();
    expect(caught(() => jsonc.edit("[1]", [{ path: ["a"], value: 1 }], "f"))).toBeInstanceOf(HostParseError);
  });
  test("duplicate keys resolve to the last one, as JSON.parse does", () => {
    expect(jsonc.parse('{"a": 1, "a": 2}', "f")).toEqual({ a: 2 });
    const proto = jsonc.parse('{"__proto__": {"x": 1}}', "f") as Record<string, unknown>;
    expect(Object.keys(proto)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe("edits", () => {
  test("a new file is built from the edits", () => {
    expect(jsonc.edit("", [{ path: ["mcpServers", "a"], value: { command: "x" } }], "f")).toBe(
      '{\n  "mcpServers": {\n    "a": {\n      "command": "x"\n    }\n  }\n}\n',
    );
  });
  test("adding after a last property with a line comment keeps the comment on its line", () => {
    const text = '{\n  "a": 1 // one\n}\n';
    expect(jsonc.edit(text, [{ path: ["b"], value: 2 }], "f")).toBe('{\n  "a": 1, // one\n  "b": 2\n}\n');
    const trailing = '{\n  "a": 1, // one\n}\n';
    expect(jsonc.edit(trailing, [{ path: ["b"], value: 2 }], "f")).toBe(
      '{\n  "a": 1, // one\n  "b": 2,\n}\n',
    );
  });
  test("a one-line object stays on one line", () => {
    const text = '{\n  "env": { "A": "1" }\n}\n';
    expect(jsonc.edit(text, [{ path: ["env", "B"], value: "2" }], "f")).toBe(
      '{\n  "env": { "A": "1", "B": "2" }\n}\n',
    );
    expect(jsonc.edit('{"env": {"A": "1"}}', [{ path: ["env", "B"], value: ["x"] }], "f")).toBe(
      '{"env": {"A": "1", "B": ["x"]}}',
    );
  });
  test("removing the last property and adding another in one object, with edits inside a kept one", () => {
    const text = '{\n  "s": {\n    "a": { "x": 1 },\n    // b\n    "b": 2, // gone\n  },\n}\n';
    const edits: Edit[] = [
      { path: ["s", "a", "x"], value: 3 },
      { path: ["s", "b"], remove: true },
      { path: ["s", "c"], value: true },
    ];
    expect(jsonc.edit(text, edits, "f")).toBe(
      '{\n  "s": {\n    "a": { "x": 3 },\n    // b\n    "c": true,\n  },\n}\n',
    );
  });
  test("removing every property leaves an empty object; then adding rebuilds it", () => {
    const text = '{\r\n\t"s": {\r\n\t\t"a": 1,\r\n\t\t"b": 2\r\n\t}\r\n}\r\n';
    const removeAll: Edit[] = [
      { path: ["s", "a"], remove: true },
      { path: ["s", "b"], remove: true },
    ];
    expect(jsonc.edit(text, removeAll, "f")).toBe('{\r\n\t"s": {}\r\n}\r\n');
    expect(jsonc.edit(text, [...removeAll, { path: ["s", "c"], value: { d: 1 } }], "f")).toBe(
      '{\r\n\t"s": {\r\n\t\t"c": {\r\n\t\t\t"d": 1\r\n\t\t}\r\n\t}\r\n}\r\n',
    );
  });
});

describe("properties", () => {
  test("a no-op edit keeps every byte, in any indentation and line ending", () => {
    fc.assert(
      fc.property(doc, layout, (v, l) => {
        const text = print(v, l);
        expect(jsonc.edit(text, [], "f")).toBe(text);
        expect(json.edit(text, [], "f")).toBe(text);
        // Setting every key to its own value yields no edits, so the text is returned as is.
        const edits: Edit[] = [];
        for (const [k, x] of Object.entries(v)) diffEdits([k], x, structuredClone(x), edits);
        expect(edits).toEqual([]);
        expect(jsonc.edit(text, edits, "f")).toBe(text);
        expect(jsonc.parse(text, "f")).toEqual(v);
      }),
      { numRuns: 300 },
    );
  });

  // One change per top-level key, so no two edits touch the same path or a path below another.
  const change = fc.oneof(
    fc.record({ op: fc.constant("set" as const), value }),
    fc.record({ op: fc.constant("remove" as const) }),
    fc.record({ op: fc.constant("setIn" as const), sub: key, value }),
    fc.record({ op: fc.constant("removeIn" as const), pick: fc.nat() }),
  );
  test("edits give the same value as the same changes made to the parsed value", () => {
    fc.assert(
      fc.property(
        fc.dictionary(key, fc.oneof(value, fc.dictionary(key, value, { maxKeys: 4 })), { maxKeys: 6 }),
        layout,
        fc.array(fc.tuple(fc.oneof(key, fc.nat()), change), { maxLength: 6 }),
        fc.boolean(),
        (v, l, changes, comments) => {
          let text = print(v, l);
          const eol = l.crlf ? "\r\n" : "\n";
          if (comments) text = `// settings${eol}${text.replace(/,(\r?\n)/g, ", // note$1")}`;
          const want = structuredClone(v) as Record<string, unknown>;
          const keys = Object.keys(v);
          const edits: Edit[] = [];
          const seen = new Set<string>();
          for (const [which, c] of changes) {
            const k = typeof which === "number" ? keys[which % Math.max(1, keys.length)] : which;
            if (k === undefined || seen.has(k)) continue;
            seen.add(k);
            const cur = want[k];
            if (c.op === "set") {
              edits.push({ path: [k], value: c.value });
              want[k] = c.value;
            } else if (c.op === "remove") {
              if (Object.hasOwn(want, k)) edits.push({ path: [k], remove: true });
              delete want[k];
            } else if (c.op === "setIn") {
              edits.push({ path: [k, c.sub], value: c.value });
              if (isPlainObject(cur)) cur[c.sub] = c.value;
              else want[k] = { [c.sub]: c.value };
            } else if (isPlainObject(cur)) {
              const subs = Object.keys(cur);
              const sub = subs[c.pick % Math.max(1, subs.length)];
              if (sub !== undefined) {
                edits.push({ path: [k, sub], remove: true });
                delete cur[sub];
              }
            }
          }
          const got = (comments ? jsonc : json).edit(text, edits, "f");
          expect((comments ? jsonc : json).parse(got, "f")).toEqual(want);
          // The file keeps its line ending.
          if (l.crlf) expect(got.replace(/\r\n/g, "")).not.toContain("\n");
        },
      ),
      { numRuns: 400 },
    );
  });

  const isParseResult = (text: string) => {
    for (const f of [json, jsonc]) {
      try {
        f.parse(text, "f");
      } catch (e) {
        if (!(e instanceof HostParseError)) throw e;
      }
    }
  };
  test("parse returns or throws HostParseError for any text", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 200 }), isParseResult), { numRuns: 500 });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => isParseResult(new TextDecoder().decode(b))),
      { numRuns: 500 },
    );
    // Near-JSON: valid documents with a few characters changed.
    fc.assert(
      fc.property(
        doc,
        fc.array(
          fc.tuple(
            fc.nat(),
            fc.constantFrom("{", "}", "[", "]", ",", ":", '"', "/", "*", "\u0000", "\uFEFF", "\\"),
          ),
          { maxLength: 4 },
        ),
        (v, muts) => {
          const chars = [...JSON.stringify(v, null, 2)];
          for (const [i, c] of muts) chars[i % chars.length] = c;
          isParseResult(chars.join(""));
        },
      ),
      { numRuns: 500 },
    );
  });
  test.each([
    ["deep arrays", "[".repeat(5000)],
    ["deep closed arrays", `${"[".repeat(5000)}${"]".repeat(5000)}`],
    ["very deep objects", `${'{"a":'.repeat(100000)}1${"}".repeat(100000)}`],
    ["BOM only", "\uFEFF"],
    ["two BOMs", "\uFEFF\uFEFF{}"],
    ["NUL", "\u0000"],
    ["lone surrogate", '{"a": "\uD800"}'],
    ["unterminated comment", "{/* "],
    ["invalid escape", '{"a": "\\x"}'],
  ])("%s: returns or throws HostParseError", (_label, text) => {
    isParseResult(text);
  });
});

describe("JSONC read through JSON.parse (comments blanked, trailing commas dropped)", () => {
  const comment = fc.constantFrom("// note", "/* a */", "/* // */", '// "q" /* x', "/*\n multi\n*/", "");
  const pieces = [
    " ",
    "\n",
    "\r",
    "//x\n",
    "//x\r",
    "/*y*/",
    ",",
    "/",
    '"',
    "*/",
    "]",
    "}",
    "[",
    "{",
  ] as const;
  const agree = (text: string) => {
    let tree: unknown;
    let treeErr = false;
    try {
      tree = parseJsonTree(text, "f", false);
    } catch {
      treeErr = true;
    }
    let fast: unknown;
    let fastErr = false;
    try {
      fast = jsonc.parse(text, "f");
    } catch {
      fastErr = true;
    }
    expect(fastErr).toBe(treeErr);
    if (!treeErr) expect(fast).toEqual(tree);
  };
  test("commented, trailing-comma documents read the same as through the tree", () => {
    fc.assert(
      fc.property(
        value,
        fc.array(fc.tuple(fc.nat(), comment), { maxLength: 6 }),
        fc.boolean(),
        (v, cs, trailing) => {
          // Comments go after structural characters (outside strings), trailing commas before closers.
          let text = JSON.stringify(v, null, 2);
          const cuts = [...text.matchAll(/"(?:[^"\\]|\\.)*"|[{[,:]\n?/g)]
            .filter((m) => !m[0].startsWith('"'))
            .map((m) => (m.index ?? 0) + m[0].length);
          const at = cs.map(([i, c]) => [cuts.length ? (cuts[i % cuts.length] as number) : 0, c] as const);
          for (const [p, c] of at.sort((a, b) => b[0] - a[0]))
            text = `${text.slice(0, p)}${c}${c.startsWith("//") ? "\n" : " "}${text.slice(p)}`;
          // (Only where a line ends a value: JSON.stringify puts no line break inside strings.)
          if (trailing) text = text.replace(/(["\d\]}el])(\n *[}\]])/g, "$1,$2");
          agree(text);
          expect(jsonc.parse(text, "f")).toEqual(v);
        },
      ),
      { numRuns: 500 },
    );
  });
  test("mutated documents: the fast path accepts exactly what the tree accepts, with the same value", () => {
    fc.assert(
      fc.property(
        value,
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...pieces)), { maxLength: 5 }),
        (v, muts) => {
          let text = JSON.stringify(v, null, 1);
          for (const [i, p] of muts) {
            const at = i % (text.length + 1);
            text = text.slice(0, at) + p + text.slice(at);
          }
          agree(text);
        },
      ),
      { numRuns: 2000 },
    );
  });
  test.each([
    ["comment before a comma", "[ // c\n ,]"],
    ["comma after comma", "[1,,]"],
    ["empty object with comma", "{,}"],
    ["comment between comma and closer", "[1, /* c */ ]"],
    ["slashes in strings", '{"u": "http://x//y/*z*/", "v": "a\\"//"}'],
    ["unterminated string with a comment after", '{"a": "x // y}'],
    ["division", "[1/2]"],
    // A carriage return alone ends a line comment, as in jsonc-parser (and VS Code).
    ["line comment ended by a lone CR", '{"a": 1 // c\r, "b": 2\n}'],
  ])("%s", (_label, text) => agree(text));
});

describe("reading an edited JSONC text back through its twin (the original with comments blanked, edited alike)", () => {
  const comment = fc.constantFrom(
    "// note",
    "/* a */",
    "/* // */",
    '// "q" /* x',
    "/*\n multi\n*/",
    "/**/",
    "// ,}",
  );
  const edit = fc.oneof(
    fc.record({ op: fc.constant("set" as const), k: key, value }),
    fc.record({ op: fc.constant("remove" as const), pick: fc.nat() }),
    fc.record({ op: fc.constant("setIn" as const), pick: fc.nat(), sub: key, value }),
  );
  test("reads the same value as the tree parser, for comments anywhere outside strings and any edits", () => {
    const before = twinStats.reads;
    fc.assert(
      fc.property(
        fc.dictionary(key, fc.oneof(value, fc.dictionary(key, value, { maxKeys: 3 })), { maxKeys: 6 }),
        layout,
        fc.array(fc.tuple(fc.nat(), comment), { minLength: 1, maxLength: 6 }),
        fc.array(edit, { maxLength: 5 }),
        fc.boolean(),
        (v, l, cs, ops, trailing) => {
          let text = print(v, l);
          // (Only where a line ends a value: JSON.stringify puts no line break inside strings.)
          if (trailing) text = text.replace(/(["\d\]}el])(\r?\n *[}\]])/g, "$1,$2");
          // Comments after structural characters and after values (outside strings).
          const cuts = [...text.matchAll(/"(?:[^"\\]|\\.)*"|[{[,:]|\r?\n/g)]
            .filter((m) => !m[0].startsWith('"'))
            .map((m) => (m.index ?? 0) + m[0].length);
          const eol = l.crlf ? "\r\n" : "\n";
          const at = cs.map(([i, c]) => [cuts.length ? (cuts[i % cuts.length] as number) : 0, c] as const);
          for (const [p, c] of at.sort((a, b) => b[0] - a[0]))
            text = `${text.slice(0, p)}${c}${c.startsWith("//") ? eol : " "}${text.slice(p)}`;
          const keys = Object.keys(v);
          const edits: Edit[] = [];
          const seen = new Set<string>();
          for (const o of ops) {
            const k = o.op === "set" ? o.k : keys[o.pick % Math.max(1, keys.length)];
            if (k === undefined || seen.has(k)) continue;
            seen.add(k);
            if (o.op === "set") edits.push({ path: [k], value: o.value });
            else if (o.op === "remove") edits.push({ path: [k], remove: true });
            else edits.push({ path: [k, o.sub], value: o.value });
          }
          let got: string;
          try {
            got = jsonc.edit(text, edits, "f");
          } catch (e) {
            if (e instanceof HostParseError) return; // a comment placement that makes the file invalid
            throw e;
          }
          expect(jsonc.parse(got, "f")).toEqual(parseJsonTree(got, "f", false));
        },
      ),
      { numRuns: 1500 },
    );
    // The twin answered most of those reads (not only the tree or the regex pass).
    expect(twinStats.reads - before).toBeGreaterThan(500);
  });

  test("a trailing comma is kept where it trails; one that would stop trailing sends the read to the regex pass", () => {
    const text = '{\n  "a": {\n    "x": 1,\n  },\n  "b": [1, 2,],\n}\n';
    const got = jsonc.edit(text, [{ path: ["a", "y"], value: 2 }], "f");
    expect(jsonc.parse(got, "f")).toEqual({ a: { x: 1, y: 2 }, b: [1, 2] });
    expect(parseJsonTree(got, "f", false)).toEqual({ a: { x: 1, y: 2 }, b: [1, 2] });
  });

  test("a new key after a line comment starts on its own line; a comment inside a string stays text", () => {
    const text = '{\n  "a": "x // y", // note\n  "b": 1 // last\n}\n';
    const got = jsonc.edit(text, [{ path: ["c"], value: 2 }], "f");
    const before = twinStats.reads;
    expect(jsonc.parse(got, "f")).toEqual({ a: "x // y", b: 1, c: 2 });
    expect(twinStats.reads).toBe(before + 1);
    expect(parseJsonTree(got, "f", false)).toEqual({ a: "x // y", b: 1, c: 2 });
  });
});

describe("a batch of new keys under one object (a sync's new servers) against the general loop", () => {
  const comment = fc.constantFrom("// note", "/* a */", "/*\n multi\n*/", "// ,}", "/**/");
  const where = fc.constantFrom<readonly string[]>([], ["mcpServers"], ["mcp", "servers"], ["a"]);
  /** What to do to a batch of new keys: nothing (the shape the batch takes), or a near-miss. */
  const twist = fc.constantFrom(
    "none",
    "none",
    "none",
    "existing",
    "remove",
    "otherPrefix",
    "deeper",
    "shorter",
    "number",
    "duplicate",
    "containerScalar",
    "containerArray",
    "containerOneLine",
    "containerEmpty",
    "containerMissing",
  );
  const edited = (f: () => string): string => {
    try {
      return f();
    } catch (e) {
      return `throws ${(e as Error).message}`;
    }
  };
  test("the same text, or the same error, for random documents and batches", () => {
    const before = batchStats.taken;
    const scannedBefore = scanStats.taken;
    let declined = 0;
    fc.assert(
      fc.property(
        doc,
        where,
        fc.dictionary(key, value, { maxKeys: 5 }),
        fc.array(fc.tuple(key, value), { maxLength: 8 }),
        fc.record({
          indent: fc.constantFrom<number | string>(2, 4, "\t", 3, 1, " \t"),
          crlf: fc.boolean(),
          bom: fc.boolean(),
          trailing: fc.boolean(),
          comments: fc.array(fc.tuple(fc.nat(), comment), { maxLength: 4 }),
        }),
        twist,
        fc.nat(),
        (top, at, existing, adds, l, tw, pick) => {
          const v: Record<string, unknown> = { ...top };
          let container: unknown = { ...existing };
          if (tw === "containerScalar") container = 7;
          else if (tw === "containerArray") container = [1, { b: 2 }];
          else if (tw === "containerEmpty") container = {};
          if (at.length > 0 && tw !== "containerMissing") {
            let cur = v;
            for (const seg of at.slice(0, -1)) {
              const next: Record<string, unknown> = {};
              cur[seg] = next;
              cur = next;
            }
            cur[at[at.length - 1] as string] = container;
          }
          let text = `${JSON.stringify(v, null, l.indent)}\n`;
          if (tw === "containerOneLine" && at.length > 0)
            text = text.replace(
              /("(?:mcpServers|servers|a)": )\{[^{}]*\}/,
              (_m, h: string) => h + JSON.stringify(existing),
            );
          if (l.trailing) text = text.replace(/(["\d\]}el])(\n *[}\]])/g, "$1,$2");
          const cuts = [...text.matchAll(/"(?:[^"\\]|\\.)*"|[{[,:]|\n/g)]
            .filter((m) => !m[0].startsWith('"'))
            .map((m) => (m.index ?? 0) + m[0].length);
          const placed = l.comments.map(
            ([i, c]) => [cuts.length ? (cuts[i % cuts.length] as number) : 0, c] as const,
          );
          for (const [p, c] of placed.sort((a, b) => b[0] - a[0]))
            text = `${text.slice(0, p)}${c}${c.startsWith("//") ? "\n" : " "}${text.slice(p)}`;
          if (l.crlf) text = text.replace(/\n/g, "\r\n");
          if (l.bom) text = `\uFEFF${text}`;

          const inside = isPlainObject(container) ? container : {};
          const edits: Edit[] = [];
          for (const [k, x] of adds)
            if (!Object.hasOwn(inside, k)) edits.push({ path: [...at, k], value: x });
          const old = Object.keys(inside);
          const i = edits.length ? pick % edits.length : 0;
          const e = edits[i];
          if (tw === "existing" && old.length)
            edits.splice(i, 0, { path: [...at, old[pick % old.length] as string], value: 1 });
          else if (tw === "remove" && old.length)
            edits.splice(i, 0, { path: [...at, old[pick % old.length] as string], remove: true });
          else if (tw === "otherPrefix" && e && at.length)
            // The same length, one segment off: the object next to the container, or a sibling of it.
            edits[i] = { path: [...at.slice(0, -1), "other", e.path[at.length] as string], value: 2 };
          else if (tw === "deeper" && e) edits[i] = { path: [...e.path, "sub"], value: 3 };
          else if (tw === "shorter" && e && at.length)
            edits[i] = { path: at.slice(0, -1).concat("s"), value: 4 };
          else if (tw === "number" && e) edits[i] = { path: [...at, 0], value: 5 };
          else if (tw === "duplicate" && e) edits.push({ path: e.path, value: 6 });
          if (edits.length === 0) return;
          const taken = batchStats.taken;
          for (const [f, strict] of [
            [jsonc, false],
            [json, true],
          ] as const) {
            const got = edited(() => f.edit(text, edits, "f"));
            expect(got).toBe(edited(() => editJsonGeneral(text, edits, "f", strict)));
            if (!got.startsWith("throws "))
              expect(f.parse(got, "f")).toEqual(parseJsonTree(got, "f", strict));
          }
          if (batchStats.taken === taken) declined++;
        },
      ),
      { numRuns: 1500 },
    );
    // Both sides ran: many batches took the shortcut, many were declined.
    expect(batchStats.taken - before).toBeGreaterThan(300);
    expect(declined).toBeGreaterThan(300);
    // Most batches were placed from the scan, without a tree of the original.
    expect(scanStats.taken - scannedBefore).toBeGreaterThan(300);
  });

  test("the scan reads escaped keys and comments itself, as the tree does", () => {
    const edits: Edit[] = [{ path: ["mcpServers", "new"], value: { command: "x" } }];
    for (const text of [
      '{ "m\\u0063pServers": { "k\\\\x": 1, "\\u00e9": 2 } }',
      '// c\n{ "mcpServers": { "a": [1, { "b": null }] /* d */ } }',
    ]) {
      const before = scanStats.taken;
      const got = jsonc.edit(text, edits, "f");
      expect(scanStats.taken).toBe(before + 1);
      expect(got).toBe(editJsonGeneral(text, edits, "f", false));
    }
  });

  test("replacements and removals take the scan too (a changed server), as the tree edits them", () => {
    const text = `// mine\n{\n  "mcpServers": {\n    "a": { "command": "x", "args": ["1", "2"] }, // keep\n    "b": { "url": "https://h/mcp" },\n    "c": {}\n  },\n  "other": [1, { "d": 2 }]\n}\n`;
    const cases: Edit[][] = [
      [{ path: ["mcpServers", "a", "args", 1], value: "2-v2" }],
      [{ path: ["mcpServers", "a", "env"], value: { K: "v" } }],
      [{ path: ["mcpServers", "b"], remove: true }],
      [
        { path: ["mcpServers", "c", "command"], value: "y" },
        { path: ["mcpServers", "a"], remove: true },
        { path: ["mcpServers", "new"], value: { command: "z" } },
      ],
      [{ path: ["other", 1, "d"], value: 3 }],
      [{ path: ["other", 0, "deeper"], value: 4 }],
    ];
    for (const edits of cases) {
      const before = scanStats.taken;
      const got = jsonc.edit(text, edits, "f");
      expect(scanStats.taken).toBe(before + 1);
      expect(got).toBe(editJsonGeneral(text, edits, "f", false));
    }
  });

  test("the scan declines what the tree reads differently or refuses: the same text or error", () => {
    const edits: Edit[] = [{ path: ["mcpServers", "new"], value: { command: "x" } }];
    const texts = [
      '{ "mcpServers": { "a": 1 } }',
      '{ "mcpServers": { "a": "unterminated } }',
      '{ "mcpServers": { "a": 1 } } /',
      '{ "mcpServers": { "a" 1 } }',
      '{ "mcpServers": { "a": 1 } } trailing',
      '{ "mcpServers": { "a": 1 } /* open',
      '{ "mcpServers": { "a": 1 }, "mcpServers": { "b": 2 } }',
      '{ "mcpServers": { "a": 1, } }',
      '{ "mcpServers": { "a": tru } }',
      '{ "mcpServers": { "a": "\\q" } }',
      '{\u00a0"mcpServers": { "a": 1 } }',
      '// c\n{ "mcpServers": { "a": [1, { "b": null }] } }',
      '{ "mcpServers": [] }',
      '{ "other": {} }',
      "[]",
      "",
      // Tokens the reader tells apart by their first character: literals end at a delimiter,
      // strings hold only JSON's escapes and no raw control character, a lone "/" is no comment.
      '{ "mcpServers": { "a": 1x } }',
      '{ "mcpServers": { "a": truex } }',
      '{ "mcpServers": { "a": 01 } }',
      '{ "mcpServers": { "a": - } }',
      '{ "mcpServers": { "a": 1.5e+3, "b": -0, "c": false, "d": null } }',
      '{ "mcpServers": { "a": 1/* c */, "b": 2// c\n } }',
      '{ "mcpServers": { "a": 1 }/',
      '{ "mcpServers": { "a": "tab\there" } }',
      '{ "mcpServers": { "a": "raw\u0001" } }',
      '{ "mcpServers": { "a": "\\u12" } }',
      '{ "mcpServers": { "k\\\\x": 1, "\\u00e9": 2, "\\/": 3 } }',
      '{ "m\\u0063pServers": { "a": 1 } }',
      '{ "mcpServers": { "new": 1 } }',
      '{ "mcpServers": { "a": } }',
      '{ "mcpServers": { : 1 } }',
      '{ "mcpServers": { "a": [1,] } }',
      '{ "mcpServers": { "a": [,] } }',
    ];
    for (const text of texts)
      for (const [f, strict] of [
        [jsonc, false],
        [json, true],
      ] as const)
        expect(edited(() => f.edit(text, edits, "f"))).toBe(
          edited(() => editJsonGeneral(text, edits, "f", strict)),
        );
  });
});

describe("formatJsonValue (JSON.stringify, re-indented) against the walk", () => {
  // Strings that look like the layout's own syntax: brackets, commas, quotes, escapes, line breaks.
  const tricky = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom("[", "]", "[\n", ",\n  ", '"', "\\", "\n", "\r\n", "a, b", "\u2028", "x".repeat(70)),
  );
  const scalar = fc.oneof(tricky, fc.integer(), fc.double({ noNaN: false }), fc.boolean(), fc.constant(null));
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      scalar,
      fc.array(scalar, { maxLength: 12 }),
      fc.array(tie("tree"), { maxLength: 4 }),
      fc.dictionary(
        tricky.filter((k) => k !== "__proto__"),
        tie("tree"),
        { maxKeys: 5 },
      ),
    ),
  }));
  const layoutOf = fc.record({
    indent: fc.constantFrom("  ", "    ", "\t", " ", "   ", "          "),
    eol: fc.constantFrom("\n" as const, "\r\n" as const),
    finalNewline: fc.constant(true),
    bom: fc.constant(false),
  });
  const base = fc.constantFrom("", "  ", "\t", "\t\t", "    ", "        ", "   ", " ".repeat(40), " \t");

  test("any value, layout and base indent: the same text", () => {
    fc.assert(
      fc.property(tree, layoutOf, base, (v, l: Layout, b) => {
        expect(formatJsonValue(v, l, b)).toBe(formatJsonValueWalk(v, l, b));
      }),
      { numRuns: 3000 },
    );
  });

  test("entriesBlock: one line per key at the given indent, as the walk writes each entry", () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          tricky.filter((k) => k !== "__proto__"),
          tree,
          { maxKeys: 6 },
        ),
        layoutOf,
        base,
        (add, l: Layout, b) => {
          let want = "";
          for (const k of Object.keys(add))
            want += `${want === "" ? l.eol : `,${l.eol}`}${b}${JSON.stringify(k)}: ${formatJsonValueWalk(add[k], l, b)}`;
          expect(entriesBlock(add, l, b)).toBe(want);
        },
      ),
      { numRuns: 2000 },
    );
  });

  test("short scalar arrays stay on one line within 80 columns, longer ones break", () => {
    const l: Layout = { indent: "  ", eol: "\n", finalNewline: true, bom: false };
    expect(formatJsonValue({ args: ["-y", "pkg"] }, l, "")).toBe('{\n  "args": ["-y", "pkg"]\n}');
    const long = ["x".repeat(40), "y".repeat(40)];
    expect(formatJsonValue({ args: long }, l, "")).toBe(
      `{\n  "args": [\n    "${long[0]}",\n    "${long[1]}"\n  ]\n}`,
    );
    expect(formatJsonValue([], l, "  ")).toBe("[]");
    expect(formatJsonValue(undefined, l, "")).toBe("null");
  });
});

test("parse errors are worded from jsonc-parser's codes (its ParseErrorCode enum, checked here)", () => {
  // The codec reads the parser module alone and keeps its own table of the codes' meanings.
  const cases: [string, string][] = [
    ["{ @ }", "unexpected character"],
    ['{ "a": 1 "b": 2 }', '"," expected'],
    ['{ "a" 1 }', '":" expected'],
    ['{ "a": ', "value expected"],
    ['{ "a": "x', "unterminated string"],
    ["{ /* x", "comments are not allowed in this file"],
  ];
  for (const [text, words] of cases) {
    expect(() => json.parse(text, "f.json")).toThrow(words);
  }
  expect(() => jsonc.parse("{ /* x", "f.jsonc")).toThrow("unterminated comment");
});

test("jsonc.edit() adding to an empty object keeps the comments inside it", () => {
  const text = '// team\n{\n  "servers": {\n    // keep me\n  },\n}\n';
  const out = jsonc.edit(text, [{ path: ["servers", "a"], value: { command: "x" } }], "/t.json");
  expect(out).toBe(
    '// team\n{\n  "servers": {\n    // keep me\n    "a": {\n      "command": "x"\n    }\n  },\n}\n',
  );
  expect(jsonc.parse(out, "/t.json")).toEqual({ servers: { a: { command: "x" } } });
  const block = '{\n  "servers": { /* none yet */ }\n}\n';
  expect(jsonc.edit(block, [{ path: ["servers", "a"], value: 1 }], "/t.json")).toContain("/* none yet */");
});
