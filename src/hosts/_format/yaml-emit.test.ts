import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { Document, parseDocument } from "yaml";
import { type BlockStyle, emitBlock, NON_STRING_TESTS, yamlStringify } from "./yaml-emit.ts";

/** Structural equality where -0 and 0 differ and NaN equals NaN (what a round trip must keep). */
function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (typeof a === "object" && a !== null && !Array.isArray(a)) {
    if (typeof b !== "object" || b === null || Array.isArray(b)) return false;
    const ka = Object.keys(a);
    const o = b as Record<string, unknown>;
    return (
      ka.length === Object.keys(o).length &&
      ka.every((k) => Object.hasOwn(o, k) && same((a as Record<string, unknown>)[k], o[k]))
    );
  }
  return false;
}

function readBack(text: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: false });
  expect(doc.errors).toEqual([]);
  expect(doc.warnings).toEqual([]);
  return doc.toJS();
}

/** Asserts the emitter's text is the package's, and that an exact rendering reads back as the value. */
function check(value: unknown, style: BlockStyle): boolean {
  const e = emitBlock(value, style);
  expect(e.text).toBe(yamlStringify(value, style));
  if (e.exact) expect(same(readBack(e.text), value)).toBe(true);
  // At a column and in CRLF: the same lines, prefixed (blank lines stay blank) and CRLF-ended.
  const at = emitBlock(value, style, "    ", "\r\n");
  expect(at.exact).toBe(e.exact);
  expect(at.text).toBe(
    e.text
      .split("\n")
      .map((l) => (l === "" ? l : `    ${l}`))
      .join("\r\n"),
  );
  if (e.exact) expect(same(readBack(at.text), value)).toBe(true);
  return e.exact;
}

const NASTY = [
  "",
  " ",
  "-",
  "-y",
  "--port",
  "- x",
  "?",
  "? x",
  "?x",
  ":",
  ":x",
  "a:",
  "a: b",
  "a:b",
  "https://mcp.example.com/mcp?x=1#frag",
  "#c",
  "a #c",
  "a#c",
  "'q'",
  '"q"',
  `it's`,
  `say "hi"`,
  `'"`,
  "~",
  "~/data/app.db",
  "null",
  "Null",
  "NULL",
  "nULL",
  "true",
  "True",
  "TRUE",
  "False",
  "yes",
  "no",
  "on",
  "y",
  "0",
  "-0",
  "007",
  "0x1F",
  "0xg",
  "0o17",
  "0b101",
  "1e3",
  "1E-3",
  "1.",
  ".5",
  "+12",
  "-12.5e+3",
  "1_000",
  "12:30",
  "2024-01-01",
  ".inf",
  "-.Inf",
  ".nan",
  ".NaN",
  "---",
  "---x",
  "--- x",
  "...",
  "... x",
  "%x",
  "%YAML 1.2",
  "<<",
  "__proto__",
  "constructor",
  "toString",
  "@scope/pkg",
  "`x",
  "a\nb",
  "a\n",
  "\n",
  "a \nb",
  "x".repeat(45) + "\nline 2",
  " x",
  "x ",
  "\t",
  "a\tb",
  "[a]",
  "{a}",
  "a,b",
  "a]b",
  "a}b",
  "&a",
  "*a",
  "!t",
  "!!str",
  "|",
  ">",
  "|x",
  "a\\nb",
  "a\\",
  "\\",
  "${VAR}",
  "$HOME/bin",
  "é",
  "Café ✎",
  "\u2028",
  "\u0085",
  "\u00a0",
  "\u0000",
  "\u001b[0m",
  "\ud800",
  "😀",
  "k".repeat(600),
  "v".repeat(2000),
];

const nastyString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 2, arbitrary: fc.stringMatching(/^[-a-zA-Z0-9 :#'"@%&*!|>,.?~`{}[\]$/\\]{0,10}$/) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 6 }) },
);
const plainKey = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.@-]{0,10}$/);
const key = fc.oneof(plainKey, nastyString);
const scalar = fc.oneof(
  nastyString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(-0, 0, 1e21, 1e-7, 5e-324, 2 ** 53 + 2, -1.5e-10, 0.1, Infinity, -Infinity, NaN),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar, tie("list"), tie("record")),
  list: fc.array(tie("value"), { maxLength: 4 }),
  record: fc.dictionary(key, tie("value"), { maxKeys: 4 }),
}));
/** JSON-like values with plain strings only: what a sync writes; always rendered exactly. */
const { plainValue } = fc.letrec((tie) => ({
  plainValue: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.oneof(
      fc.stringMatching(/^[a-zA-Z0-9/@_~$][a-zA-Z0-9 /@._:~$=-]{0,15}$/),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    ),
    tie("plainList"),
    tie("plainRecord"),
  ),
  plainList: fc.array(tie("plainValue"), { maxLength: 4 }),
  plainRecord: fc.dictionary(plainKey, tie("plainValue"), { maxKeys: 4 }),
}));
const style = fc.record({ indent: fc.integer({ min: 1, max: 8 }), indentSeq: fc.boolean() });

describe("emitBlock", () => {
  test("property: the same text as the package's stringify, and exact renderings read back", () => {
    let exact = 0;
    fc.assert(
      fc.property(fc.oneof(value, fc.dictionary(key, value, { maxKeys: 5 })), style, (v, s) => {
        if (check(v, s)) exact++;
      }),
      { numRuns: 5000 },
    );
    expect(exact).toBeGreaterThan(500);
  }, 60_000);

  test("property: server-like values are rendered exactly (no part left to the package)", () => {
    fc.assert(
      fc.property(fc.dictionary(plainKey, plainValue, { minKeys: 1, maxKeys: 5 }), style, (v, s) => {
        expect(check(v, s)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  }, 60_000);

  test("each nasty string as a value, a key, an item, at every indentation", () => {
    for (const s of NASTY) {
      for (const st of [
        { indent: 1, indentSeq: false },
        { indent: 2, indentSeq: false },
        { indent: 2, indentSeq: true },
        { indent: 4, indentSeq: false },
      ]) {
        check({ k: s }, st);
        check({ [s]: "v" }, st);
        check([s], st);
        check({ a: { b: [s, { [s]: [s] }] } }, st);
      }
    }
  });

  test("renders Goose entries exactly, with quoting where YAML needs it", () => {
    const entry = {
      name: "github",
      type: "stdio",
      cmd: "npx",
      args: ["-y", "@modelcontextprotocol/server-github", "--port", "3000"],
      envs: { GITHUB_TOKEN: "ghp_x", DEBUG: "true", EMPTY: "" },
      env_keys: [],
      headers: {},
      enabled: true,
      timeout: 300,
      description: "GitHub: issues & PRs",
    };
    const e = emitBlock({ github: entry }, { indent: 2, indentSeq: false });
    expect(e.exact).toBe(true);
    expect(e.text).toBe(
      [
        "github:",
        "  name: github",
        "  type: stdio",
        "  cmd: npx",
        "  args:",
        "  - -y",
        '  - "@modelcontextprotocol/server-github"',
        "  - --port",
        '  - "3000"',
        "  envs:",
        "    GITHUB_TOKEN: ghp_x",
        '    DEBUG: "true"',
        '    EMPTY: ""',
        "  env_keys: []",
        "  headers: {}",
        "  enabled: true",
        "  timeout: 300",
        '  description: "GitHub: issues & PRs"',
        "",
      ].join("\n"),
    );
    check({ github: entry }, { indent: 4, indentSeq: true });
  });

  test("leaves to the package what it does not know exactly, entry by entry", () => {
    const st = { indent: 2, indentSeq: true };
    const mixed = { a: { cmd: "x" }, b: { cmd: "Café" }, c: { cmd: "y" } };
    const e = emitBlock(mixed, st);
    expect(e.exact).toBe(false);
    expect(e.text).toBe(yamlStringify(mixed, st));
    for (const v of [
      { multi: "one\ntwo" },
      { ["k".repeat(600)]: "long key" },
      { "<<": { a: 1 } },
      { doc: "--- x" },
      { n: Number.NaN },
      { u: undefined, v: 1 },
      { d: new Date(0) },
      { m: new Map([["a", 1]]) },
      { s: new String("x") },
      { j: { toJSON: () => "j" } },
      { holes: Object.assign(new Array(3), { 0: 1, 2: 3 }) },
      { big: 10n },
      {},
      [],
      "scalar",
      42,
      null,
    ]) {
      const r = emitBlock(v, st);
      expect(r.exact).toBe(false);
      expect(r.text).toBe(yamlStringify(v, st));
    }
    // A toJSON() at the top renders what it returns, as the package does.
    const top = { a: 1, toJSON: () => ({ b: 2 }) };
    expect(emitBlock(top, st).text).toBe(yamlStringify(top, st));
  });

  test("numbers as JSON prints them, -0 kept", () => {
    for (const n of [0, -0, 1, -1, 0.5, 1e21, 1e-7, 123456789012345680000, 2 ** 60, 5e-324, -1.5e-10]) {
      expect(check({ n }, { indent: 2, indentSeq: true })).toBe(true);
    }
    expect(emitBlock({ n: -0 }, { indent: 2, indentSeq: true }).text).toBe("n: -0\n");
  });

  test("deep nesting is left to the package past a limit", () => {
    let v: unknown = "x";
    for (let i = 0; i < 150; i++) v = { k: v };
    const st = { indent: 1, indentSeq: true };
    const e = emitBlock(v, st);
    expect(e.exact).toBe(false);
    expect(e.text).toBe(yamlStringify(v, st));
  });
});

describe("emitBlock's first test for plain strings", () => {
  test("property: a string it takes is printed plain by the package, as a value and as a key", () => {
    // Mostly characters the test takes, some that it must refuse.
    const char = fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(..."aXZ_/-.@:+=~09") },
      { weight: 1, arbitrary: fc.constantFrom(..." #'\"!,[]{}\t") },
    );
    const str = fc.oneof(
      fc.array(char, { maxLength: 8 }).map((a) => a.join("")),
      fc.constantFrom(
        "null",
        "Null",
        "NULL",
        "nULL",
        "true",
        "TRUE",
        "tRUE",
        "False",
        "-y",
        "--port",
        "---",
        "-1",
        "a:",
        "a #b",
        "a: b",
        "a:b",
      ),
    );
    fc.assert(
      fc.property(str, (s) => {
        const style = { indent: 2, indentSeq: true };
        expect(emitBlock({ k: s }, style).text).toBe(yamlStringify({ k: s }, style));
        expect(emitBlock({ [s]: 1 }, style).text).toBe(yamlStringify({ [s]: 1 }, style));
        expect(emitBlock([s], style).text).toBe(yamlStringify([s], style));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("emitBlock's copies of the schema's non-string tests", () => {
  // What the package's plainString consults: the default schema's tags other than str that have a
  // test and are default tags (yaml/dist/stringify/stringifyString.js).
  const packageTests = () => {
    const schema = new Document(null).schema as unknown as {
      tags: readonly { default?: unknown; tag: string; test?: RegExp }[];
      compat?: readonly { default?: unknown; tag: string; test?: RegExp }[] | null;
    };
    return [...schema.tags, ...(schema.compat ?? [])]
      .filter((t) => t.default && t.tag !== "tag:yaml.org,2002:str" && t.test instanceof RegExp)
      .map((t) => t.test as RegExp);
  };

  test("are the package's own tests, in its order", () => {
    expect(NON_STRING_TESTS.map(String)).toEqual(packageTests().map(String));
  });

  test("property: strings made of number-like characters are quoted exactly when the package quotes them", () => {
    const tests = packageTests();
    const char = fc.constantFrom(..."0123456789+-.eExXoOabfFinINaAtTrRuUlL~_ ");
    const str = fc.oneof(
      fc.array(char, { maxLength: 7 }).map((a) => a.join("")),
      fc.constantFrom(
        "~",
        "null",
        ".inf",
        "-.Inf",
        ".NaN",
        "0o17",
        "0x1F",
        "1e3",
        "+.5",
        "1.",
        "True",
        "FALSE",
      ),
    );
    fc.assert(
      fc.property(str, (s) => {
        const style = { indent: 2, indentSeq: true };
        const quoted = emitBlock({ k: s }, style).text !== `k: ${s}\n`;
        if (tests.some((re) => re.test(s))) expect(quoted).toBe(true);
        expect(emitBlock({ k: s }, style).text).toBe(yamlStringify({ k: s }, style));
        expect(emitBlock([s], style).text).toBe(yamlStringify([s], style));
      }),
      { numRuns: 2000 },
    );
  });
});
