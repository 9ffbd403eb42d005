import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { isMap, isScalar, parseDocument, type ToStringOptions, stringify } from "yaml";
import { parseYamlSubset, resolvePlain } from "./yaml-subset.ts";

// ---------------------------------------------------------------------------------------------
// The oracle: the `yaml` package as hatch uses it.

interface LibResult {
  /** No errors, no warnings, no repeated key in any map. */
  ok: boolean;
  value: unknown;
  /** The library's doc.contents is null (nothing but comments). */
  empty: boolean;
}

/** Whether any map repeats a key, comparing keys as the strings toJS turns them into. */
function hasDuplicateKey(node: unknown): boolean {
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop() as { items?: unknown[] } | null;
    if (n === null || typeof n !== "object") continue;
    if (isMap(n)) {
      const seen = new Set<string>();
      for (const pair of n.items) {
        const k = pair.key;
        const id = isScalar(k) ? (k.value === null ? "" : String(k.value)) : `\u0000${String(k)}`;
        if (seen.has(id)) return true;
        seen.add(id);
        stack.push(pair.value);
      }
    } else if (Array.isArray(n.items)) {
      stack.push(...n.items);
    }
  }
  return false;
}

function lib(text: string): LibResult {
  const doc = parseDocument(text, { uniqueKeys: false, logLevel: "error" });
  let value: unknown;
  let threw = false;
  try {
    value = doc.toJS();
  } catch {
    threw = true;
  }
  const ok = !threw && doc.errors.length === 0 && doc.warnings.length === 0 && !hasDuplicateKey(doc.contents);
  return { ok, value, empty: doc.contents === null };
}

/** Deep equality that tells -0 from 0, compares key order and prototypes, and treats NaN as NaN. */
function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object" || Array.isArray(b))
    return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every(
      (k, i) =>
        k === kb[i] &&
        same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]) &&
        Object.hasOwn(b, k),
    )
  );
}

/** parseYamlSubset agrees with the library: undefined, or exactly the library's value. */
function agrees(text: string): { accepted: boolean; why?: string } {
  const r = parseYamlSubset(text);
  const l = lib(text);
  if (r === undefined) return { accepted: false };
  if (!l.ok) return { accepted: true, why: "accepted a text the library rejects" };
  if (!same(r.value, l.value))
    return { accepted: true, why: `value ${show(r.value)} but the library gives ${show(l.value)}` };
  if ((r.empty === true) !== l.empty) return { accepted: true, why: "wrong empty flag" };
  return { accepted: true };
}

function show(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    typeof x === "number" && (!Number.isFinite(x) || Object.is(x, -0))
      ? `<${Object.is(x, -0) ? "-0" : x}>`
      : x,
  );
}

function expectAgrees(text: string): boolean {
  const a = agrees(text);
  if (a.why !== undefined) throw new Error(`${a.why}\nfor the text ${JSON.stringify(text)}`);
  return a.accepted;
}

function expectAccepted(text: string): unknown {
  const a = agrees(text);
  if (a.why !== undefined) throw new Error(`${a.why}\nfor the text ${JSON.stringify(text)}`);
  if (!a.accepted) throw new Error(`not accepted: ${JSON.stringify(text)}`);
  return parseYamlSubset(text)?.value;
}

function expectRefused(text: string): void {
  if (parseYamlSubset(text) !== undefined) throw new Error(`accepted: ${JSON.stringify(text)}`);
}

// ---------------------------------------------------------------------------------------------
// Real and realistic files

const FIXTURES = join(import.meta.dir, "../../../test/fixtures/hosts");

function fixtureTexts(): [string, string][] {
  const out: [string, string][] = [];
  for (const host of ["goose", "continue"]) {
    for (const c of readdirSync(join(FIXTURES, host))) {
      for (const f of readdirSync(join(FIXTURES, host, c))) {
        if (f.endsWith(".yaml"))
          out.push([`${host}/${c}/${f}`, readFileSync(join(FIXTURES, host, c, f), "utf8")]);
      }
    }
  }
  return out;
}

const GOOSE = `# Goose configuration
GOOSE_PROVIDER: openai   # provider
GOOSE_MODEL: "gpt-4o"
GOOSE_MODE: smart_approve
GOOSE_TEMPERATURE: 0.7
GOOSE_MAX_TURNS: 1000

extensions:
  # built in
  developer:
    bundled: true
    display_name: Developer
    enabled: true
    name: developer
    timeout: 300
    type: builtin
  github:
    args:
    - -y
    - "@modelcontextprotocol/server-github"
    cmd: npx # run through npx
    description: GitHub repositories and issues
    enabled: true
    env_keys: []
    envs:
      GITHUB_TOKEN: "ghp_x"   # note
    name: github
    timeout: 300
    type: stdio
  fetch:
    args: [mcp-server-fetch, '--ignore-robots-txt']
    available_tools: []
    bundled: null
    cmd: uvx
    enabled: false
    envs: {}
    name: fetch
    timeout: 120
    type: stdio
  remote:
    enabled: true
    headers:
      Authorization: Bearer \${TOKEN}
    name: remote
    type: streamable_http
    uri: https://mcp.example.com/mcp?x=1&y=2#frag
    timeout: 300

# trailing settings
GOOSE_CLI_THEME: dark
`;

const CONTINUE = `name: My Config
version: 1.0.0
schema: v1
models:
  - name: Claude
    provider: anthropic
    model: claude-sonnet-4-5
    roles:
      - chat
mcpServers:
  - name: SQLite
    command: npx
    args:
      - "-y"
      - "mcp-sqlite"
      - "/home/u/data/app.db"
    env:
      DEBUG: "1"
  - name: github
    type: streamable-http
    url: https://api.githubcopilot.com/mcp/
    requestOptions:
      headers:
        Authorization: Bearer \${{ secrets.GITHUB_TOKEN }}
  - name: playwright
    command: npx
    args: ["@playwright/mcp@latest"]
    connectionTimeout: 20000
`;

const HATCH_CONFIG = `# hatch configuration: custom hosts and host groups.
# Edit by hand or with "hatch host add" and "hatch host group"; comments are kept.
hosts:
  work-claude:
    type: claude-desktop
    path: /home/u/work/claude_desktop_config.json
    description: Work laptop
  staging.cursor:
    type: cursor
    path: "~/staging/.cursor/mcp.json"
groups:
  team:
    - work-claude
    - cursor
    - claude-code
  solo: [cursor]
  none: []
settings:
`;

const HATCH_ENV = `# hatch environment "production": MCP server definitions kept by hatch.
# Edit by hand or with "hatch mcp configure SERVER --env production"; comments are kept.
description: Production servers
servers:
  github:
    command: npx
    args:
      - -y
      - "@modelcontextprotocol/server-github"
    env:
      GITHUB_TOKEN: \${GITHUB_TOKEN}
  linear:
    url: https://mcp.linear.app/mcp
    transport: http
    headers:
      Authorization: Bearer \${LINEAR_KEY}
    timeout: 30000
    disabled: false
  "odd:name":
    command: "C:\\\\tools\\\\odd.exe"
    args: ['--flag=a b', "--x=\\"quoted\\"", '', "tab\\there"]
    includeTools:
      - read
      - write
`;

describe("parseYamlSubset: real files", () => {
  test("reads the host fixtures (Goose, Continue) exactly as the library", () => {
    const texts = fixtureTexts();
    expect(texts.length).toBeGreaterThanOrEqual(9);
    for (const [, text] of texts) expectAccepted(text);
  });

  test("reads a Goose config, a Continue config, hatch's config.yaml and an environment file", () => {
    const goose = expectAccepted(GOOSE) as Record<string, Record<string, Record<string, unknown>>>;
    expect(goose.extensions?.github?.args).toEqual(["-y", "@modelcontextprotocol/server-github"]);
    expect(goose.extensions?.fetch?.args).toEqual(["mcp-server-fetch", "--ignore-robots-txt"]);
    expect(goose.extensions?.fetch?.bundled).toBeNull();
    expect(goose.extensions?.remote?.uri).toBe("https://mcp.example.com/mcp?x=1&y=2#frag");
    expect(goose.GOOSE_TEMPERATURE as unknown).toBe(0.7);
    const cont = expectAccepted(CONTINUE) as { mcpServers: Record<string, unknown>[] };
    expect(cont.mcpServers.map((s) => s.name)).toEqual(["SQLite", "github", "playwright"]);
    const cfg = expectAccepted(HATCH_CONFIG) as Record<string, Record<string, unknown>>;
    expect(cfg.groups).toEqual({
      team: ["work-claude", "cursor", "claude-code"],
      solo: ["cursor"],
      none: [],
    });
    expect(cfg.settings).toBeNull();
    const env = expectAccepted(HATCH_ENV) as { servers: Record<string, Record<string, unknown>> };
    expect(env.servers["odd:name"]?.command).toBe("C:\\tools\\odd.exe");
    expect(env.servers["odd:name"]?.args).toEqual(["--flag=a b", '--x="quoted"', "", "tab\there"]);
  });

  test("CRLF line breaks, a BOM and document markers read the same", () => {
    for (const text of [GOOSE, CONTINUE, HATCH_CONFIG, HATCH_ENV]) {
      const value = expectAccepted(text);
      expect(same(expectAccepted(text.replace(/\n/g, "\r\n")), value)).toBe(true);
      expect(same(expectAccepted(`\uFEFF${text}`), value)).toBe(true);
      expect(same(expectAccepted(`---\n${text}...\n`), value)).toBe(true);
      expect(same(expectAccepted(`--- # start\n${text}... # end\n# after\n`), value)).toBe(true);
    }
  });

  test("a new environment file as hatch writes it", () => {
    const header =
      '# hatch environment "dev": MCP server definitions kept by hatch.\n' +
      '# Edit by hand or with "hatch mcp configure SERVER --env dev"; comments are kept.\n';
    expectAccepted(`${header}${stringify({ description: "" }, { lineWidth: 0 })}servers: {}\n`);
    const servers = {
      a: { command: "npx", args: ["-y", "pkg@1.2.3"], env: { TOKEN: "${TOKEN}", PORT: "8080" } },
      "b.c": {
        url: "http://localhost:3000/sse",
        transport: "sse",
        headers: { "X-Key": "k: v # not a comment" },
      },
    };
    expectAccepted(`${header}${stringify({ description: "dev: local", servers }, { lineWidth: 0 })}`);
  });
});

// ---------------------------------------------------------------------------------------------
// The subset's edges

describe("parseYamlSubset: documents", () => {
  test("an empty document is null; without any marker the library has no contents (empty)", () => {
    for (const text of ["", "\n\n", "# only a comment\n", "\uFEFF", "  # c\r\n\r\n", "\uFEFF# c"]) {
      expect(parseYamlSubset(text)).toEqual({ value: null, empty: true });
      expectAgrees(text);
    }
    for (const text of ["---\n", "--- # c\n", "---\n...\n", "...\n", "# c\n...\n", "---\n# c\n...\n# d\n"]) {
      const r = parseYamlSubset(text);
      expect(r).toEqual({ value: null });
      expect(r?.empty).toBeUndefined();
      expectAgrees(text);
    }
  });

  test("top-level scalars and empty flow collections", () => {
    expect(expectAccepted("{}")).toEqual({});
    expect(expectAccepted("[]\n")).toEqual([]);
    expect(expectAccepted("{ }  # c")).toEqual({});
    expect(expectAccepted("hello world")).toBe("hello world");
    expect(expectAccepted("'x' # c")).toBe("x");
    expect(expectAccepted("- ")).toEqual([null]);
    expect(expectAccepted("[a, 'b', \"c\", 1]")).toEqual(["a", "b", "c", 1]);
  });

  test("nesting, compact sequences and maps in items", () => {
    const cases = [
      "a:\n- b\n- c\nd: e\n",
      "a:\n  - b\n  -\n  - c\n",
      "- a: 1\n  b: 2\n- c\n",
      "-   a: 1\n    b:\n    - x\n    c: 2\n",
      "- - a\n  - b\n- - - c\n",
      "- a:\n  - x\n  b: y\n- a:\n- b\n",
      "-\n  - x\n-\n x: 1\n",
      "- a:\n  b: 1\n",
      "a:\n    b:\n        c: 1\n    d: 2\ne: 3\n",
      "a:  # c\n  b: 1\n",
      "a:\n  b: 1\n # c\n  c: 2\n",
      "a:\n  b: 1\n# c\n  c: 2\n",
      "a: x\n\n  # c\nb: y\n",
      "- # c\n  a: 1\n",
      "'a''b': 1\n\"a\\\"b\": 2\na\"c: 3\na'c: 4\n",
      "a  : b\na:b: c\n-a: 1\n?x: 2\n:x: 3\na[b]: 4\na,b: 5\n",
      "a: b#c\nd: e # c # d\nf: g  #\nh: #\n",
      "__proto__: 1\nconstructor: 2\ntoString: 3\n",
      "__proto__:\n  polluted: true\n",
      "1: a\n0x1F: b\n.inf: c\nnull: d\ntrue: e\n1.50: f\n-0: g\n",
    ];
    for (const text of cases) expectAccepted(text);
    const proto = expectAccepted("__proto__:\n  polluted: true\n") as object;
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(Object.hasOwn(proto, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("outside the subset or invalid: undefined", () => {
    const cases = [
      // multi-line and block scalars
      "a: b\n  c\n",
      "a: 'b\n  c'\n",
      'a: "b\\\n  c"\n',
      "a: |\n  x\n",
      "a: >-\n  x\n",
      "a:\n  just a scalar\n",
      // anchors, aliases, tags, directives, complex and merge keys
      "a: &x 1\nb: *x\n",
      "a: !!str 1\n",
      "%YAML 1.2\n---\na: 1\n",
      "? a\n: b\n",
      "<<: {a: 1}\n",
      "<<: 1\n",
      // flow collections beyond the simple ones
      "a: {x: 1}\n",
      "a: [[1]]\n",
      "a: [a: b]\n",
      "a: [a, b,]\n",
      "a: [a,\n  b]\n",
      // several documents
      "a: 1\n---\nb: 2\n",
      "---\n---\n",
      "a: 1\n...\nb: 2\n",
      // tabs, control characters
      "a:\tb\n",
      "a: b\t# c\n",
      "\ta: 1\n",
      "a: b\u0000\n",
      "a: b\u0085c\n",
      "a: b\rc: d\n",
      // the library misreads a sequence on the line of a byte order mark
      "\uFEFF- a\n- b\n",
      // duplicate keys, also after resolution (1 and "1", ~ and null)
      "a: 1\na: 2\n",
      "x:\n  a: 1\n  b: 2\n  a: 3\n",
      "1: a\n'1': b\n",
      "~: a\nnull: b\n",
      "- a: 1\n  a: 2\n",
      // invalid
      "a: b: c\n",
      "a: x:\n",
      "a: - x\n",
      "a: -\n",
      "a: @x\n",
      "a: `x\n",
      "a: %x\n",
      "a: ,x\n",
      "a: 'x'y\n",
      "a: 'x'#c\n",
      '"a":b\n',
      "a: [a]b\n",
      "a: ]\n",
      "a: 1\n  b: 2\n",
      "a:\n    b: 1\n  c: 2\n",
      "a: 1\n- b\n",
      " a: 1\n",
      "---x\n",
      "a: 1\n...x\n",
      "--- a: 1\n",
      `${"k".repeat(1030)}: 1\n`,
      'a: "\\U00110000"\n',
      'a: "\\q"\n',
    ];
    for (const text of cases) {
      expectRefused(text);
      expectAgrees(text);
    }
  });

  test("very deep nesting is refused, not a stack overflow", () => {
    let text = "";
    for (let i = 0; i < 5000; i++) text += `${" ".repeat(i)}k:\n`;
    expect(parseYamlSubset(text)).toBeUndefined();
    expect(parseYamlSubset("- ".repeat(5000) + "x")).toBeUndefined();
    let ok = "";
    for (let i = 0; i < 100; i++) ok += `${" ".repeat(i)}k:\n`;
    expect(parseYamlSubset(ok)).toBeDefined();
  });
});

describe("parseYamlSubset: scalars", () => {
  const PLAIN = [
    ...[
      "~",
      "null",
      "Null",
      "NULL",
      "nULL",
      "nulls",
      "true",
      "True",
      "TRUE",
      "tRue",
      "false",
      "False",
      "FALSE",
    ],
    ...["yes", "no", "on", "off", "y", "n", "Yes"],
    ...["0", "-0", "+0", "007", "00", "+12", "-12", "12345678901234567890", "9007199254740993", "1_000"],
    ...["0o17", "0o8", "0o", "-0o7", "0o0", "0x1F", "0X1F", "0x", "-0x1F", "+0x1", "0xdeadBEEF", "0b101"],
    ...["1.5", "1.", "5.", ".5", "+.5", "-.5", "0.0", "-0.0", "1.50", "0.1.2", "1e3", "1E3", "1e+3", "1e-3"],
    ...["+1e3", ".5e3", "1.e3", "1e", "1e+", "e3", "1ee3", "1:20", "1,000", "12:30:00", "2001-12-14"],
    ...[
      ".inf",
      ".Inf",
      ".INF",
      "-.inf",
      "+.inf",
      "-.Inf",
      ".iNf",
      "inf",
      ".nan",
      ".NaN",
      ".NAN",
      "-.nan",
      "nan",
    ],
    ...["-", "--", "---", "...", ".", "-x", "?x", ":x", "x:y", "x-", "a b", "é", "😀", "\u00a0x", "x\u00a0"],
    ...[
      "x\u3000",
      "a#b",
      "a\\b",
      "C:\\x",
      "http://a.b/c?d=e#f",
      "${X}",
      "x,y",
      "x]",
      "x}",
      "x{",
      "a'b",
      'a"b',
    ],
  ];

  test("plain scalars resolve exactly as the library's core schema", () => {
    let accepted = 0;
    for (const s of PLAIN) {
      const positions = [`a: ${s}\n`, `- ${s}\n`, `${s}: 1\n`, `a: [${s}]\n`, `a: [x, ${s} ]\n`, `${s}\n`];
      for (const text of positions) if (expectAgrees(text)) accepted++;
      // The resolver alone agrees with the library on every string.
      const l = lib(`a: ${s}\n`);
      if (l.ok) expect(same(resolvePlain(s), (l.value as { a: unknown }).a)).toBe(true);
    }
    expect(accepted).toBeGreaterThan(PLAIN.length * 3);
  });

  test("random number-like plain scalars resolve as the library's core schema", () => {
    const unit = fc.constantFrom(
      ..."0123456789+-.eExXoOabcdfABCDF_",
      "inf",
      "Inf",
      "INF",
      "nan",
      "NaN",
      "NAN",
    );
    fc.assert(
      fc.property(fc.string({ unit, minLength: 1, maxLength: 8 }), (s) => {
        const l = lib(`a: ${s}\n`);
        if (l.ok) expect(same(resolvePlain(s), (l.value as { a: unknown }).a)).toBe(true);
        expectAgrees(`- ${s}\n`);
        expectAgrees(`${s}: x\n`);
      }),
      { numRuns: 5000 },
    );
  });

  test("numbers keep -0, NaN, infinities and large integers as the library does", () => {
    const v = expectAccepted("a: -0\nb: .nan\nc: -.inf\nd: 9007199254740993\ne: 0o17\nf: 0x1F\ng: -0.0\n");
    expect(Object.is((v as Record<string, number>).a, -0)).toBe(true);
    expect(Number.isNaN((v as Record<string, number>).b)).toBe(true);
    expect((v as Record<string, number>).c).toBe(Number.NEGATIVE_INFINITY);
    expect((v as Record<string, number>).d).toBe(9007199254740992);
  });

  test("quoted scalars and escapes", () => {
    const cases = [
      "a: ''\nb: \"\"\nc: 'it''s'\nd: 'x'': y'\n",
      'a: "\\0\\a\\b\\e\\f\\n\\r\\t\\v\\N\\_\\L\\P\\ \\"\\/\\\\"\n',
      'a: "\\x41\\u00e9\\U0001F600\\ud83d\\ude00"\n',
      "a: \"tab\there\"\nb: 'tab\there'\n",
      'a: "x\\\ty"\n',
      "a: '# not a comment'\nb: \"x #y\"\n",
      "a: 'x'  # c\nb: \"y\"  \n",
      "\"a b\": 1\n'c: d': 2\n",
      '- "a": 1\n  b: 2\n',
      'a: "12"\nb: \'true\'\nc: "null"\n',
    ];
    for (const text of cases) expectAccepted(text);
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests

const NASTY_UNITS = [
  ..."abexo019 .:#-'\"[]{},&*!|>%@`?~+\\/\t\n_",
  "é",
  "😀",
  "\u00a0",
  "\u3000",
  "\u2028",
  "\u0085",
  "true",
  "null",
  "0x1F",
  "1e3",
  ".inf",
  "-0",
  "007",
  "0o17",
  "---",
  "...",
  "<<",
  "__proto__",
  ": ",
  " #",
  "- ",
];
const nasty = fc.string({ unit: fc.constantFrom(...NASTY_UNITS), maxLength: 8 });

const { value: jsonish } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.oneof(
      nasty,
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom(-0, Number.MAX_SAFE_INTEGER + 2, 1e21),
    ),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(nasty, tie("value"), { maxKeys: 4 }),
  ),
}));

const renderOptions: fc.Arbitrary<ToStringOptions> = fc.record({
  indent: fc.constantFrom(2, 4),
  indentSeq: fc.boolean(),
  defaultStringType: fc.constantFrom("PLAIN", "QUOTE_DOUBLE", "QUOTE_SINGLE"),
  defaultKeyType: fc.constantFrom(null, "PLAIN", "QUOTE_DOUBLE", "QUOTE_SINGLE"),
  lineWidth: fc.constantFrom(0, 0, 40, 80),
  collectionStyle: fc.constantFrom("any", "block", "block", "flow"),
  doubleQuotedAsJSON: fc.boolean(),
  flowCollectionPadding: fc.boolean(),
  nullStr: fc.constantFrom("null", "~", ""),
}) as fc.Arbitrary<ToStringOptions>;

interface Decoration {
  commentLines: [number, number][];
  trailing: number[];
  blanks: number[];
  crlf: boolean;
  markers: boolean;
  bom: boolean;
}

const decoration: fc.Arbitrary<Decoration> = fc.record({
  commentLines: fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 })), { maxLength: 3 }),
  trailing: fc.array(fc.nat(), { maxLength: 3 }),
  blanks: fc.array(fc.nat(), { maxLength: 2 }),
  crlf: fc.boolean(),
  markers: fc.boolean(),
  bom: fc.boolean(),
});

/** Adds comments (own lines and after values), blank lines, markers, a BOM and CRLF. */
function decorate(text: string, d: Decoration): string {
  const lines = text.split("\n");
  for (const i of d.trailing) {
    const j = i % lines.length;
    if ((lines[j] ?? "").trim() !== "") lines[j] += "  # note";
  }
  for (const [i, col] of d.commentLines)
    lines.splice(i % (lines.length + 1), 0, `${" ".repeat(col)}# comment`);
  for (const i of d.blanks) lines.splice(i % (lines.length + 1), 0, "");
  let out = lines.join("\n");
  if (d.markers) out = `---\n${out}${out.endsWith("\n") ? "" : "\n"}...\n`;
  if (d.crlf) out = out.replace(/\n/g, "\r\n");
  if (d.bom) out = `\uFEFF${out}`;
  return out;
}

function render(value: unknown, opts: ToStringOptions): string | undefined {
  try {
    return stringify(value, opts);
  } catch {
    return undefined;
  }
}

// Goose-like, Continue-like and hatch-like files, for the acceptance rate.
const word = fc.stringMatching(/^[a-z][a-z0-9_-]{0,11}$/);
const envName = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,15}$/);
const arg = fc.oneof(
  fc.constantFrom(
    "-y",
    "@modelcontextprotocol/server-github",
    "--port=3000",
    "mcp-server-fetch",
    "/usr/local/bin/server",
    "C:\\tools\\server.exe",
    "--verbose",
    "value with spaces",
    "key=value",
    "https://example.com/mcp?x=1#frag",
    "${HOME}/data",
    "~/.config/x",
    "-",
    "--",
    "1.2.3",
    "8080",
    "true",
    "a: b",
    "#tag",
    "it's",
    'say "hi"',
    "Notizen — Café ✎",
  ),
  word,
);
const envValue = fc.oneof(
  fc.constantFrom("ghp_abc123", "${TOKEN}", "Bearer x.y.z", "1", "yes", "", "a#b"),
  word,
);
const description = fc.oneof(
  fc.constantFrom("GitHub repositories and issues", "Fetch: web pages", "Notes (local)", "100% fine", "é"),
  fc.constant(undefined),
);
const gooseExtension = fc.record(
  {
    args: fc.array(arg, { maxLength: 4 }),
    available_tools: fc.array(word, { maxLength: 2 }),
    bundled: fc.constantFrom(null, true, false),
    cmd: fc.constantFrom("npx", "uvx", "docker", "/opt/mcp/server", "node"),
    description,
    enabled: fc.boolean(),
    env_keys: fc.array(envName, { maxLength: 2 }),
    envs: fc.dictionary(envName, envValue, { maxKeys: 3 }),
    name: word,
    timeout: fc.constantFrom(60, 120, 300),
    type: fc.constantFrom("stdio", "builtin", "sse", "streamable_http"),
    uri: fc.constantFrom("https://mcp.linear.app/mcp", "http://localhost:8931/sse"),
  },
  { requiredKeys: ["enabled", "name", "type"] },
);
const gooseConfig = fc.record({
  GOOSE_PROVIDER: fc.constantFrom("openai", "anthropic", "ollama"),
  GOOSE_MODEL: fc.constantFrom("gpt-4o", "claude-sonnet-4-5", "qwen3:8b"),
  GOOSE_TEMPERATURE: fc.constantFrom(0.2, 0.7, 1),
  extensions: fc.dictionary(word, gooseExtension, { minKeys: 1, maxKeys: 20 }),
});
const canonicalServer = fc.record(
  {
    command: fc.constantFrom("npx", "uvx", "docker"),
    args: fc.array(arg, { maxLength: 4 }),
    env: fc.dictionary(envName, envValue, { maxKeys: 3 }),
    url: fc.constantFrom("https://mcp.linear.app/mcp", "http://localhost:8931/sse"),
    headers: fc.dictionary(fc.constantFrom("Authorization", "X-Api-Key"), envValue),
    disabled: fc.boolean(),
    timeout: fc.integer({ min: 1, max: 600_000 }),
    description,
  },
  { requiredKeys: [] },
);
const continueConfig = fc.record({
  name: fc.constant("My Config"),
  version: fc.constant("1.0.0"),
  schema: fc.constant("v1"),
  mcpServers: fc.array(
    fc.record({ name: word, command: fc.constant("npx"), args: fc.array(arg, { maxLength: 3 }) }),
    { maxLength: 6 },
  ),
});
const hatchEnv = fc.record({ description: description, servers: fc.dictionary(word, canonicalServer) });
const hatchConfig = fc.record({
  hosts: fc.dictionary(
    word,
    fc.record({
      type: fc.constantFrom("cursor", "claude-desktop"),
      path: fc.constantFrom("/a/b.json", "~/x.json"),
    }),
  ),
  groups: fc.dictionary(word, fc.array(word, { maxLength: 4 })),
});
const configLike = fc.oneof(gooseConfig, continueConfig, hatchEnv, hatchConfig);
const writerOptions: fc.Arbitrary<ToStringOptions> = fc.record({
  indent: fc.constantFrom(2, 4),
  indentSeq: fc.boolean(),
  lineWidth: fc.constant(0),
  defaultStringType: fc.constantFrom("PLAIN", "PLAIN", "QUOTE_DOUBLE", "QUOTE_SINGLE"),
}) as fc.Arbitrary<ToStringOptions>;

describe("parseYamlSubset: properties", () => {
  test("on YAML the library writes, with comments, blank lines and CRLF, it agrees with the library", () => {
    let accepted = 0;
    let runs = 0;
    fc.assert(
      fc.property(jsonish, renderOptions, decoration, (value, opts, d) => {
        const text = render(value, opts);
        if (text === undefined) return;
        runs++;
        if (expectAgrees(decorate(text, d))) accepted++;
        expectAgrees(text);
      }),
      { numRuns: 1500 },
    );
    // Random values with nasty strings often need what the subset leaves out; many still pass.
    expect(accepted / runs).toBeGreaterThan(0.3);
  });

  test("config-like files (Goose, Continue, hatch) are nearly always accepted", () => {
    let accepted = 0;
    let runs = 0;
    fc.assert(
      fc.property(configLike, writerOptions, decoration, (value, opts, d) => {
        const text = stringify(value, opts);
        runs += 2;
        if (expectAgrees(text)) accepted++;
        if (expectAgrees(decorate(text, d))) accepted++;
      }),
      { numRuns: 300 },
    );
    expect(accepted / runs).toBeGreaterThanOrEqual(0.9);
  });

  test("Goose-like configs as the library writes them are accepted (at least 90%)", () => {
    let accepted = 0;
    fc.assert(
      fc.property(gooseConfig, writerOptions, (value, opts) => {
        if (expectAgrees(stringify(value, opts))) accepted++;
      }),
      { numRuns: 300 },
    );
    expect(accepted).toBeGreaterThanOrEqual(0.9 * 300);
  });

  const MUTATION_CHARS = [..." :-#'\"\n\r\t[]{},&*!|>%@`?\\x0.~", "\r\n", "---", "...", "é"];
  type Mutation = { at: number; kind: "insert" | "delete" | "dupLine" | "dropLine"; ch: string };
  const mutation: fc.Arbitrary<Mutation> = fc.record({
    at: fc.nat(),
    kind: fc.constantFrom("insert", "insert", "delete", "delete", "dupLine", "dropLine"),
    ch: fc.constantFrom(...MUTATION_CHARS),
  });

  function mutate(text: string, ms: Mutation[]): string {
    let out = text;
    for (const m of ms) {
      if (m.kind === "insert") {
        const i = m.at % (out.length + 1);
        out = out.slice(0, i) + m.ch + out.slice(i);
      } else if (m.kind === "delete") {
        if (out.length === 0) continue;
        const i = m.at % out.length;
        out = out.slice(0, i) + out.slice(i + 1);
      } else {
        const lines = out.split("\n");
        const i = m.at % lines.length;
        if (m.kind === "dupLine") lines.splice(i, 0, lines[i] ?? "");
        else lines.splice(i, 1);
        out = lines.join("\n");
      }
    }
    return out;
  }

  const seeds = [GOOSE, CONTINUE, HATCH_CONFIG, HATCH_ENV, ...fixtureTexts().map(([, t]) => t)];

  test("mutated files: never a different value, undefined whenever the library errs or keys repeat", () => {
    let refusedBad = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        (seed, ms) => {
          const text = mutate(seed, ms);
          expectAgrees(text); // includes: library not ok => undefined
          if (!lib(text).ok) refusedBad++;
        },
      ),
      { numRuns: 1000 },
    );
    expect(refusedBad).toBeGreaterThan(100);
  });

  test("mutated generated files: never a different value", () => {
    fc.assert(
      fc.property(
        fc.oneof(configLike, jsonish),
        writerOptions,
        fc.array(mutation, { minLength: 1, maxLength: 2 }),
        (value, opts, ms) => {
          const text = render(value, opts);
          if (text !== undefined) expectAgrees(mutate(text, ms));
        },
      ),
      { numRuns: 1000 },
    );
  });

  test("random YAML-ish token soup: never a different value", () => {
    const piece = fc.constantFrom(
      "a",
      "b",
      "key",
      ":",
      ": ",
      "- ",
      "-",
      "\n",
      "\n  ",
      "\n    ",
      "\r\n",
      " ",
      "  ",
      "#",
      " # c",
      "'",
      '"',
      "''",
      "\\",
      "\\u00e9",
      "[",
      "]",
      "{",
      "}",
      ",",
      "1",
      "0x1F",
      "-0",
      ".inf",
      "true",
      "null",
      "~",
      "---",
      "...",
      "&a",
      "*a",
      "!t",
      "|",
      ">",
      "?",
      "\t",
      "__proto__",
      "<<",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
        expectAgrees(parts.join(""));
      }),
      { numRuns: 5000 },
    );
  });
});
