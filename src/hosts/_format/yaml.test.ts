import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { parse, stringify } from "yaml";
import type { Edit } from "../../core/edits.ts";
import { HostParseError } from "../../core/errors.ts";
import { combine, type Op, opTree, spliceYamlDetailed, yaml } from "./yaml.ts";

const GOOSE = `# Goose configuration
GOOSE_PROVIDER: openai   # provider
GOOSE_MODEL: "gpt-4o"
GOOSE_MODE: smart_approve

extensions:
  # built in
  developer:
    bundled: true
    enabled: true
    name: developer
    timeout: 300
    type: builtin
  github:
    args:
    - -y
    - "@modelcontextprotocol/server-github"
    cmd: npx # run through npx
    enabled: true
    envs:
      GITHUB_TOKEN: "ghp_x"   # note
    name: github
    timeout: 300
    type: stdio

# trailing settings
GOOSE_CLI_THEME: dark
`;

/**
 * Edits with splicing only (no Document fallback), so a splicing bug fails the test; the result
 * is the same whether or not the whole result is re-parsed (a local proof never passes a result
 * the whole re-parse rejects).
 */
function edit(text: string, edits: Edit[]): string {
  const full = spliceYamlDetailed(text, edits, "config.yaml", true);
  const auto = spliceYamlDetailed(text, edits, "config.yaml");
  expect(auto.text).toBe(full.text);
  return auto.text;
}

/** Whether the edits were proven without re-parsing the whole result. */
const proven = (text: string, edits: Edit[]) => spliceYamlDetailed(text, edits, "config.yaml").proven;

/** Runs a case's checks; a failure carries the case (text, edits, both results) in its message. */
function withCase(detail: unknown, checks: () => void): void {
  try {
    checks();
  } catch (e) {
    throw new Error(`${e instanceof Error ? e.message : String(e)}\n${JSON.stringify(detail, null, 1)}`);
  }
}

/** An edit with the whole re-parse forced, and as the codec does it; undefined where it threw. */
function bothChecks(
  text: string,
  edits: Edit[],
): { full: string | undefined; auto: { text: string; proven: boolean } | undefined } {
  const attempt = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch {
      return undefined;
    }
  };
  return {
    full: attempt(() => spliceYamlDetailed(text, edits, "p", true).text),
    auto: attempt(() => spliceYamlDetailed(text, edits, "p")),
  };
}

function parseError(text: string): HostParseError {
  try {
    yaml.parse(text, "config.yaml");
  } catch (e) {
    if (e instanceof HostParseError) return e;
    throw e;
  }
  throw new Error("expected a parse error");
}

describe("yaml.parse", () => {
  test("returns plain values and undefined for an empty file", () => {
    expect(yaml.parse("", "p")).toBeUndefined();
    expect(yaml.parse("# only a comment\n", "p")).toBeUndefined();
    expect(yaml.parse("a: 1\nb: [x, 'y']\nc: {d: null}\n", "p")).toEqual({
      a: 1,
      b: ["x", "y"],
      c: { d: null },
    });
  });

  test("resolves anchors and aliases", () => {
    expect(yaml.parse("base: &b {cmd: npx}\nother: *b\n", "p")).toEqual({
      base: { cmd: "npx" },
      other: { cmd: "npx" },
    });
  });

  test("reports syntax errors with 1-based line and column", () => {
    const e = parseError("a: 1\nb: [1, 2\nc: 3\n");
    expect(e.line).toBeGreaterThanOrEqual(2);
    expect(e.column).toBeGreaterThanOrEqual(1);
    expect(e.message).toContain('"config.yaml"');
  });

  test("reports duplicate keys as a parse error at the repeated key", () => {
    const e = parseError("extensions:\n  a: 1\n  a: 2\n");
    expect(e.detail).toContain("unique");
    expect(e.line).toBe(3);
    expect(e.column).toBe(3);
  });

  test("rejects NUL bytes, multiple documents and alias bombs with HostParseError", () => {
    expect(parseError("a: b\u0000c\n").line).toBe(1);
    expect(parseError("a: 1\n---\nb: 2\n")).toBeInstanceOf(HostParseError);
    const bomb = [
      "a: &a [x,x,x,x,x,x,x,x,x]",
      "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
      "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
      "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
      "e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
    ].join("\n");
    expect(parseError(bomb).detail).toContain("alias");
  });

  test("keeps __proto__ an own key", () => {
    const v = yaml.parse("__proto__: {polluted: true}\n", "p") as Record<string, unknown>;
    expect(Object.hasOwn(v, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("for any input either returns a value or throws HostParseError", () => {
    const yamlish = fc.stringMatching(/^[-:#{}[\]&*!|>'" \n\ta-z0-9\u0000\r,?%@`]{0,80}$/);
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 200 }), yamlish, fc.string({ unit: "binary", maxLength: 100 })),
        (s) => {
          try {
            yaml.parse(s, "p");
          } catch (e) {
            if (!(e instanceof HostParseError)) throw e;
          }
        },
      ),
      { numRuns: 1000 },
    );
  }, 60_000);

  test("deep nesting and huge strings end in a value or HostParseError", () => {
    for (const s of [
      "[".repeat(20000),
      "- ".repeat(5000) + "x",
      `a: "${"x".repeat(2_000_000)}"`,
      "{a: ".repeat(5000),
    ]) {
      try {
        yaml.parse(s, "p");
      } catch (e) {
        expect(e).toBeInstanceOf(HostParseError);
      }
    }
  }, 60_000);
});

describe("yaml.edit", () => {
  test("returns the text itself for zero edits", () => {
    expect(yaml.edit(GOOSE, [], "p")).toBe(GOOSE);
    expect(yaml.edit("not: [valid", [], "p")).toBe("not: [valid");
  });

  test("setting a value to what it already is changes nothing", () => {
    expect(edit(GOOSE, [{ path: ["extensions", "github", "cmd"], value: "npx" }])).toBe(GOOSE);
  });

  test("adds an extension as a block entry after the last one, keeping every other byte", () => {
    const out = edit(GOOSE, [
      {
        path: ["extensions", "context7"],
        value: {
          name: "context7",
          type: "streamable_http",
          uri: "https://mcp.context7.com/mcp",
          headers: { "X-Key": "abc" },
          enabled: true,
          timeout: 300,
        },
      },
    ]);
    const added = [
      "  context7:",
      "    name: context7",
      "    type: streamable_http",
      "    uri: https://mcp.context7.com/mcp",
      "    headers:",
      "      X-Key: abc",
      "    enabled: true",
      "    timeout: 300",
      "",
    ].join("\n");
    expect(out).toBe(GOOSE.replace("    type: stdio\n", `    type: stdio\n${added}`));
  });

  test("changing one scalar keeps comments, quoting and untouched lines byte for byte", () => {
    const out = edit(GOOSE, [{ path: ["extensions", "github", "cmd"], value: "uvx" }]);
    expect(out).toBe(GOOSE.replace("cmd: npx # run through npx", "cmd: uvx # run through npx"));
    expect(out).toContain('      GITHUB_TOKEN: "ghp_x"   # note\n');
    expect(out).toContain('GOOSE_MODEL: "gpt-4o"\n');
  });

  test("replaces a block list in the file's own list indentation", () => {
    const out = edit(GOOSE, [
      { path: ["extensions", "github", "args"], value: ["mcp-server-github", "--read-only"] },
    ]);
    expect(out).toBe(
      GOOSE.replace(
        '    - -y\n    - "@modelcontextprotocol/server-github"\n',
        "    - mcp-server-github\n    - --read-only\n",
      ),
    );
  });

  test("sets and removes keys inside an entry", () => {
    const out = edit(GOOSE, [
      { path: ["extensions", "github", "description"], value: "GitHub: issues & PRs" },
      { path: ["extensions", "github", "timeout"], remove: true },
      { path: ["extensions", "github", "envs", "GITHUB_HOST"], value: "github.example.com" },
    ]);
    expect(out).toContain('      GITHUB_TOKEN: "ghp_x"   # note\n      GITHUB_HOST: github.example.com\n');
    expect(out).not.toContain("    timeout: 300\n    type: stdio");
    expect(out).toContain('    type: stdio\n    description: "GitHub: issues & PRs"\n\n# trailing settings');
    const v = yaml.parse(out, "p") as { extensions: { github: Record<string, unknown> } };
    expect(v.extensions.github.description).toBe("GitHub: issues & PRs");
    expect(v.extensions.github.timeout).toBeUndefined();
  });

  test("removes a whole entry with its nested block", () => {
    const out = edit(GOOSE, [{ path: ["extensions", "github"], remove: true }]);
    const start = GOOSE.indexOf("  github:\n");
    const end = GOOSE.indexOf("\n# trailing settings");
    expect(out).toBe(GOOSE.slice(0, start) + GOOSE.slice(end));
  });

  test("removing the last entry leaves an empty map", () => {
    const out = edit("extensions:\n  a:\n    cmd: x\nGOOSE_MODEL: m\n", [
      { path: ["extensions", "a"], remove: true },
    ]);
    expect(out).toBe("extensions: {}\nGOOSE_MODEL: m\n");
  });

  test("adds `extensions:` at the end when the file has none", () => {
    const text = "GOOSE_PROVIDER: openai\nGOOSE_MODEL: gpt-4o   # keep\n";
    const out = edit(text, [
      {
        path: ["extensions", "fetch"],
        value: { name: "fetch", type: "stdio", cmd: "uvx", args: ["mcp-server-fetch"] },
      },
    ]);
    expect(out).toBe(
      `${text}extensions:\n  fetch:\n    name: fetch\n    type: stdio\n    cmd: uvx\n    args:\n      - mcp-server-fetch\n`,
    );
  });

  test("fills an empty `extensions:` key and a new empty file", () => {
    expect(edit("extensions:\nX: 1\n", [{ path: ["extensions", "a"], value: { cmd: "x" } }])).toBe(
      "extensions:\n  a:\n    cmd: x\nX: 1\n",
    );
    expect(edit("extensions: # none yet\n", [{ path: ["extensions", "a"], value: { cmd: "x" } }])).toBe(
      "extensions: # none yet\n  a:\n    cmd: x\n",
    );
    expect(edit("", [{ path: ["extensions", "a"], value: { cmd: "x" } }])).toBe(
      "extensions:\n  a:\n    cmd: x\n",
    );
  });

  test("follows the file's indentation for new keys", () => {
    const text = "extensions:\n    a:\n        cmd: x\n        args:\n            - y\n";
    const out = edit(text, [
      { path: ["extensions", "b"], value: { cmd: "z", args: ["1", "w"], envs: { K: "v" } } },
    ]);
    expect(out).toBe(
      `${text}    b:\n        cmd: z\n        args:\n            - "1"\n            - w\n        envs:\n            K: v\n`,
    );
  });

  test("keeps CRLF line endings and a missing final newline", () => {
    const text = "GOOSE_MODEL: m\r\nextensions:\r\n  a:\r\n    cmd: x   # c\r\n    args: []";
    const out = edit(text, [
      { path: ["extensions", "a", "cmd"], value: "y" },
      { path: ["extensions", "a", "args"], value: ["p", "q"] },
      { path: ["extensions", "b"], value: { cmd: "z" } },
    ]);
    expect(out).toBe(
      "GOOSE_MODEL: m\r\nextensions:\r\n  a:\r\n    cmd: y   # c\r\n    args:\r\n      - p\r\n      - q\r\n  b:\r\n    cmd: z",
    );
  });

  test("appends to a block sequence of maps (Continue's mcpServers list)", () => {
    const text = [
      "name: my assistant",
      "version: 1.0.0",
      "schema: v1",
      "models:",
      "  - name: gpt", // a list before
      "    provider: openai",
      "mcpServers:",
      "  # first server",
      "  - name: sqlite",
      "    command: npx",
      "    args:",
      "      - mcp-sqlite",
      "",
      "rules:",
      "  - be brief",
      "",
    ].join("\n");
    const out = edit(text, [
      {
        path: ["mcpServers", 1],
        value: { name: "fetch", type: "stdio", command: "uvx", args: ["mcp-server-fetch"] },
      },
    ]);
    expect(out).toBe(
      text.replace(
        "      - mcp-sqlite\n",
        "      - mcp-sqlite\n  - name: fetch\n    type: stdio\n    command: uvx\n    args:\n      - mcp-server-fetch\n",
      ),
    );
    // A missing list is created as a block sequence.
    expect(edit("name: a\n", [{ path: ["mcpServers", 0], value: { name: "x", command: "y" } }])).toBe(
      "name: a\nmcpServers:\n  - name: x\n    command: y\n",
    );
  });

  test("edits a map inside a sequence item in place", () => {
    const text = "mcpServers:\n  - name: a # first\n    command: x\n  - name: b\n    command: y\n";
    expect(edit(text, [{ path: ["mcpServers", 1, "command"], value: "z" }])).toBe(
      text.replace("command: y", "command: z"),
    );
    expect(edit(text, [{ path: ["mcpServers", 0, "env"], value: { K: "v" } }])).toBe(
      text.replace("    command: x\n", "    command: x\n    env:\n      K: v\n"),
    );
    expect(edit(text, [{ path: ["mcpServers", 0, "name"], remove: true }])).toBe(
      "mcpServers:\n  - command: x\n  - name: b\n    command: y\n",
    );
  });

  test("re-renders a changed flow collection in flow style", () => {
    const out = edit("a:\n  envs: {A: '1'}   # x\n  args: [p, q]\n", [
      { path: ["a", "envs", "B"], value: "2" },
      { path: ["a", "args"], value: ["p", "r"] },
    ]);
    expect(yaml.parse(out, "p")).toEqual({ a: { envs: { A: "1", B: "2" }, args: ["p", "r"] } });
    expect(out).toContain("   # x\n");
    expect(out.split("\n")).toHaveLength(4);
  });

  test("quotes strings that need it, multi-line ones on one line", () => {
    const value = {
      a: "123",
      b: "yes: no",
      c: "#x",
      d: "",
      e: "line 1\nline 2",
      f: " lead",
      g: "true",
      h: "~",
    };
    const out = edit("extensions: {}\n", [{ path: ["extensions", "k"], value }]);
    expect((yaml.parse(out, "p") as { extensions: { k: unknown } }).extensions.k).toEqual(value);
    expect(out).toContain('    e: "line 1\\nline 2"\n');
    // A comment line indented below the insertion point stays a comment.
    const text = "extensions:\n  a:\n    cmd: x\n      # deeper comment\n";
    const next = edit(text, [{ path: ["extensions", "a", "description"], value: "one\ntwo" }]);
    expect(yaml.parse(next, "p")).toEqual({ extensions: { a: { cmd: "x", description: "one\ntwo" } } });
  });

  test("edits after a UTF-8 BOM and non-ASCII text", () => {
    const text = "\uFEFFname: Café ✎\nextensions:\n  ä:\n    cmd: x\n";
    const out = edit(text, [{ path: ["extensions", "ä", "cmd"], value: "ü" }]);
    expect(out).toBe(text.replace("cmd: x", "cmd: ü"));
  });

  test("falls back to the Document API when splicing cannot express an edit (a tag)", () => {
    const text = "# c\na: !!str 3\nb: 1\n";
    expect(() => edit(text, [{ path: ["a"], value: 4 }])).toThrow("Internal error");
    const out = yaml.edit(text, [{ path: ["a"], value: 4 }], "p");
    expect(out).toBe("# c\na: 4\nb: 1\n");
  });

  test("refuses, with HostParseError, an edit that would change an aliased value elsewhere", () => {
    const text = "extensions:\n  a: &shared\n    cmd: x\n  b: *shared\n";
    expect(() => yaml.edit(text, [{ path: ["extensions", "a", "cmd"], value: "y" }], "p")).toThrow(
      HostParseError,
    );
    // Edits away from the anchor still splice.
    expect(yaml.edit(text, [{ path: ["extensions", "c"], value: { cmd: "z" } }], "p")).toBe(
      `${text}  c:\n    cmd: z\n`,
    );
  });

  test("rejects a file whose top level is not a mapping", () => {
    expect(() => yaml.edit("- a\n- b\n", [{ path: ["x"], value: 1 }], "p")).toThrow(HostParseError);
  });

  test("property: edit-then-parse yields the expected servers, untouched settings kept", () => {
    const key = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,12}$/);
    const str = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom(
        "yes",
        "null",
        "~",
        "123",
        "0x1F",
        "-y",
        "@scope/pkg",
        "a: b",
        "#c",
        "'q'",
        "multi\nline",
        " x ",
      ),
    );
    const server = fc.record(
      {
        name: key,
        type: fc.constantFrom("stdio", "streamable_http"),
        cmd: str,
        args: fc.array(str, { maxLength: 4 }),
        envs: fc.dictionary(key, str, { maxKeys: 3 }),
        enabled: fc.boolean(),
        timeout: fc.integer({ min: 0, max: 1000 }),
      },
      { requiredKeys: ["name", "type"] },
    );
    const servers = fc.dictionary(key, server, { maxKeys: 5 });
    fc.assert(
      fc.property(servers, servers, fc.boolean(), (before, after, crlf) => {
        let text = yaml.edit(
          GOOSE,
          Object.entries(before).map(([k, v]) => ({ path: ["extensions", k], value: v })),
          "p",
        );
        if (crlf) text = text.replace(/\n/g, "\r\n");
        const doc = yaml.parse(text, "p") as { extensions: Record<string, unknown> };
        const edits: Edit[] = [];
        for (const k of Object.keys(before))
          if (!(k in after)) edits.push({ path: ["extensions", k], remove: true });
        for (const [k, v] of Object.entries(after)) edits.push({ path: ["extensions", k], value: v });
        const out = edit(text, edits);
        const parsed = yaml.parse(out, "p") as Record<string, unknown>;
        const expected = { ...doc.extensions };
        for (const k of Object.keys(before)) delete expected[k];
        Object.assign(expected, after);
        expect(parsed.extensions).toEqual(expected);
        expect(parsed.GOOSE_MODEL).toBe("gpt-4o");
        const eol = crlf ? "\r\n" : "\n";
        expect(out).toContain(`GOOSE_PROVIDER: openai   # provider${eol}GOOSE_MODEL: "gpt-4o"${eol}`);
        expect(out.endsWith(`# trailing settings${eol}GOOSE_CLI_THEME: dark${eol}`)).toBe(true);
        expect(out.includes("\r\n")).toBe(crlf);
        if (crlf) expect(/[^\r]\n/.test(out)).toBe(false);
      }),
      { numRuns: 200 },
    );
  }, 60_000);

  test("property: diff-style key edits inside an entry parse to the expected value", () => {
    const key = fc.constantFrom("cmd", "args", "envs", "enabled", "timeout", "description", "uri");
    const value = fc.oneof(
      fc.string({ maxLength: 10 }),
      fc.integer(),
      fc.boolean(),
      fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }),
      fc.dictionary(fc.stringMatching(/^[A-Z_]{1,6}$/), fc.string({ maxLength: 6 }), { maxKeys: 2 }),
    );
    const op = fc.oneof(
      fc.record({ k: key, v: value }),
      fc.record({ k: key, remove: fc.constant(true as const) }),
    );
    fc.assert(
      fc.property(fc.uniqueArray(op, { selector: (o) => o.k, maxLength: 6 }), (ops) => {
        const edits: Edit[] = ops.map((o) =>
          "remove" in o
            ? { path: ["extensions", "github", o.k], remove: true }
            : { path: ["extensions", "github", o.k], value: o.v },
        );
        const out = edit(GOOSE, edits);
        const parsed = yaml.parse(out, "p") as { extensions: { github: Record<string, unknown> } };
        const expected = {
          ...(yaml.parse(GOOSE, "p") as { extensions: { github: Record<string, unknown> } }).extensions
            .github,
        };
        for (const o of ops) {
          if ("remove" in o) delete expected[o.k];
          else expected[o.k] = o.v;
        }
        if (Object.keys(expected).length === 0) expect(parsed.extensions.github).toEqual({});
        else expect(parsed.extensions.github).toEqual(expected);
        expect(out).toContain("  developer:\n    bundled: true\n");
      }),
      { numRuns: 500 },
    );
  }, 60_000);
});

describe("yaml.edit local proofs", () => {
  const server = (cmd: string) => ({
    name: cmd,
    type: "stdio",
    cmd,
    args: ["-y", `@scope/${cmd}`],
    enabled: true,
  });

  test("sync's edits are proven without re-parsing the whole file", () => {
    expect(proven(GOOSE, [{ path: ["extensions", "context7"], value: server("ctx") }])).toBe(true);
    expect(proven(GOOSE, [{ path: ["extensions", "github", "cmd"], value: "uvx" }])).toBe(true);
    expect(proven(GOOSE, [{ path: ["extensions", "github"], remove: true }])).toBe(true);
    expect(proven(GOOSE, [{ path: ["extensions", "developer"], remove: true }])).toBe(true);
    expect(
      proven(GOOSE, [
        { path: ["extensions", "github", "args"], value: ["x"] },
        { path: ["extensions", "github", "envs", "A"], value: "b" },
        { path: ["extensions", "github", "timeout"], remove: true },
        { path: ["extensions", "developer"], value: server("dev") },
        { path: ["extensions", "new"], value: server("new") },
      ]),
    ).toBe(true);
    // A new key of the top-level map, a new file, a file of comments only.
    expect(proven("A: 1\n# end\n", [{ path: ["extensions", "a"], value: server("a") }])).toBe(true);
    expect(proven("", [{ path: ["extensions", "a"], value: server("a") }])).toBe(true);
    expect(proven("# header\r\n\r\n", [{ path: ["extensions", "a"], value: server("a") }])).toBe(true);
    // Continue's list: appended, edited in place, removed.
    const list = "mcpServers:\n  - name: a\n    command: x\n  - name: b\n    command: y\nrules:\n- r\n";
    expect(proven(list, [{ path: ["mcpServers", 2], value: { name: "c", command: "z" } }])).toBe(true);
    expect(proven(list, [{ path: ["mcpServers", 1, "command"], value: "w" }])).toBe(true);
    expect(proven(list, [{ path: ["mcpServers", 0, "env"], value: { K: "v" } }])).toBe(true);
    expect(proven(list, [{ path: ["mcpServers", 0], remove: true }])).toBe(true);
  });

  test("values the emitter leaves to the package are proven by parsing the new lines alone", () => {
    const value = {
      cmd: "Café ✎",
      args: ["one\ntwo", "x".repeat(50) + "\n" + "y".repeat(50)],
      n: Number.NaN,
    };
    const edits: Edit[] = [{ path: ["extensions", "k"], value }];
    expect(proven(GOOSE, edits)).toBe(true);
    const out = edit(GOOSE, edits);
    expect((yaml.parse(out, "p") as { extensions: { k: unknown } }).extensions.k).toEqual(value);
  });

  test("proves what it cannot prove in place by parsing the enclosing entry, else the whole file", () => {
    const add: Edit[] = [{ path: ["extensions", "b"], value: { cmd: "z" } }];
    const cases: [string, Edit[], boolean | "throws"][] = [
      // Flow style, a tag on the container, a key that is not a string: the new `extensions` lines
      // are parsed on their own.
      ["extensions: {a: {cmd: x}}\n", add, true],
      ["extensions: !!map\n  a:\n    cmd: x\n", add, true],
      ["extensions:\n  1:\n    cmd: x\n", add, true],
      // An anchor on the container: an alias may repeat it, whole re-parse (which refuses the
      // change when one does).
      ["extensions: &e\n  a:\n    cmd: x\n", add, false],
      ["extensions: &e\n  a:\n    cmd: x\nother: *e\n", add, "throws"],
      // An anchor on the entry changed: the alias would change too, which the re-parse refuses.
      [
        "extensions:\n  a: &e\n    cmd: x\n  c: 1\nother: *e\n",
        [{ path: ["extensions", "a", "cmd"], value: "y" }],
        "throws",
      ],
      // A block scalar before the new lines would lose its trailing blank line to them.
      ["extensions:\n  a:\n    cmd: |+\n      x\n\nother: 1\n", add, "throws"],
      // A first key in `? key` syntax sits two columns right of its map's entries: splicing puts
      // the new key there, which only the whole re-parse can see.
      [
        "extensions:\n  a:\n    ? cmd\n    : x\n",
        [{ path: ["extensions", "a", "envs"], value: { K: "v" } }],
        "throws",
      ],
      // YAML 1.1, a line break other than LF and CRLF, a document end marker after the new key.
      ["%YAML 1.1\n---\nextensions:\n  a:\n    cmd: x\n", add, false],
      ["extensions:\n  a:\n    cmd: x\n# c\r", add, false],
      ["extensions:\n  a:\n    cmd: x\n...\n", [{ path: ["more"], value: 1 }], false],
    ];
    for (const [text, e, want] of cases) {
      let got: boolean | "throws";
      try {
        got = spliceYamlDetailed(text, e, "p").proven;
      } catch {
        got = "throws"; // the whole re-parse rejected the splice: yaml.edit falls back
      }
      expect([text, got]).toEqual([text, want]);
      if (got !== "throws") expect(spliceYamlDetailed(text, e, "p", true).text).toBe(edit(text, e));
      // yaml.edit gives the expected value (or refuses a change an alias would repeat).
      try {
        expect(yaml.edit(text, e, "p")).not.toBe(text);
      } catch (err) {
        expect(err).toBeInstanceOf(HostParseError);
      }
    }
    // The block scalar keeps its trailing blank line: the new entry goes through the fallback.
    const out = yaml.edit("extensions:\n  a:\n    cmd: |+\n      x\n\nother: 1\n", add, "p");
    expect(yaml.parse(out, "p")).toEqual({ extensions: { a: { cmd: "x\n\n" }, b: { cmd: "z" } }, other: 1 });
  });

  test("an edit after the parse of the same text gives what an edit on its own gives", () => {
    const add: Edit[] = [{ path: ["extensions", "x"], value: { cmd: "y" } }];
    const alone = yaml.edit(GOOSE, add, "p");
    // The caller changing the parsed value does not reach the edit (only the Document is kept).
    const v = yaml.parse(GOOSE, "p") as { extensions: { github: Record<string, unknown> } };
    v.extensions.github.cmd = "changed by the caller";
    expect(yaml.edit(GOOSE, add, "p")).toBe(alone);
    expect(alone).toContain("    type: stdio\n  x:\n    cmd: y\n");
    // The Document-API fallback (a tag) edits a fresh parse, never the one `parse` left.
    const tagged = `${GOOSE}T: !!str 3\n`;
    yaml.parse(tagged, "p");
    expect(yaml.edit(tagged, [{ path: ["T"], value: 4 }], "p")).toContain("T: 4");
    yaml.parse(tagged, "p");
    expect(yaml.edit(tagged, [{ path: ["U"], value: 5 }], "p")).toBe(`${tagged}U: 5\n`);
    // Several files parsed, then edited (a sync reads every file first).
    const other = "mcpServers:\n  - name: a\n";
    yaml.parse(GOOSE, "p");
    yaml.parse(other, "q");
    expect(yaml.edit(GOOSE, add, "p")).toBe(alone);
    expect(yaml.edit(other, [{ path: ["mcpServers", 1], value: { name: "b" } }], "q")).toBe(
      `${other}  - name: b\n`,
    );
  });

  // Random documents built from templates, random edits of the servers in them: a local proof
  // never passes a result that does not parse to the expected value, and lines outside the edited
  // entries stay byte for byte.
  test("property: locally proven edits parse to the expected value, other lines kept", () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/);
    const str = fc.oneof(
      { weight: 6, arbitrary: word },
      {
        weight: 2,
        arbitrary: fc.constantFrom("-y", "@scope/pkg", "123", "true", "", "a: b", "#c", "it's", "~", "x y"),
      },
      { weight: 1, arbitrary: fc.constantFrom("Café", "line 1\nline 2", "tab\there", "--- x") },
    );
    const newServer = fc.record(
      {
        name: word,
        type: fc.constantFrom("stdio", "streamable_http"),
        cmd: str,
        args: fc.array(str, { maxLength: 3 }),
        envs: fc.dictionary(fc.stringMatching(/^[A-Z][A-Z_]{0,5}$/), str, { maxKeys: 2 }),
        enabled: fc.boolean(),
        timeout: fc.integer({ min: 0, max: 999 }),
      },
      { requiredKeys: ["name"] },
    );
    const scalarText = fc.oneof(word, fc.constantFrom('"quoted"', "'single'", "300", "true", "null", "~"));
    /** A field of an entry: its lines, given the field column, the indentation unit and the dash offset. */
    type Field = { k: string; desc: string; render: (fcol: number, u: number, seq: number) => string[] };
    const pad = (n: number) => " ".repeat(n);
    const lit = (k: string, ...rel: [number, string][]): Field => ({
      k,
      desc: JSON.stringify(rel),
      render: (fcol, u) => rel.map(([d, t]) => (t === "" || d < 0 ? t : pad(fcol + d * u) + t)),
    });
    const field: fc.Arbitrary<Field> = fc.oneof(
      scalarText.map((v) => lit("cmd", [0, `cmd: ${v}`])),
      scalarText.map((v) => lit("cmd", [0, `cmd: ${v}   # trailing`])),
      fc.constantFrom(
        lit("cmd", [0, "cmd: first"], [1, "continued plain"]),
        lit("cmd", [0, "cmd:"], [1, "on the next line"]),
        lit("cmd", [0, "? cmd"], [0, ": explicit"]),
        lit("cmd", [0, "cmd: a\tb"]),
        lit("description", [0, 'description: "one'], [1, 'two"']),
        lit("envs", [0, "envs: {A: x,"], [1, "B: y}"]),
        lit("cwd", [0, "cwd:"]),
        lit("timeout", [0, "timeout: 300   "]),
        lit("headers", [0, "headers:"], [1, "X:"], [2, "y: 1"]),
        lit("ref", [0, "ref: *base"]),
        lit("enabled", [0, "enabled: true   # on"]),
        lit("timeout", [-1, "# a comment at column 0"], [0, "timeout: 300"]),
        lit("args", [0, "args: []"]),
        lit("items", [0, "items:"], [1, "- a: 1"], [1, "  b: [x]"], [1, "- - nested"]),
        lit("description", [0, "description: |2"], [1, "  indented"], [1, "text"]),
        lit("cmd", [0, "cmd   : spaced"]),
        lit("envs", [0, "envs: # comment"], [1, '"A: B": x']),
        lit("envs", [0, "envs: {}"]),
      ),
      fc.array(word, { minLength: 1, maxLength: 3 }).map((a) => lit("args", [0, `args: [${a.join(", ")}]`])),
      fc.array(word, { minLength: 1, maxLength: 3 }).map(
        (a): Field => ({
          k: "args",
          desc: `block list ${a.join(" ")}`,
          render: (fcol, _u, seq) => [`${pad(fcol)}args:`, ...a.map((x) => `${pad(fcol + seq)}- ${x}`)],
        }),
      ),
      fc
        .dictionary(fc.stringMatching(/^[A-Z]{1,4}$/), word, { minKeys: 1, maxKeys: 2 })
        .map((o) =>
          lit(
            "envs",
            [0, "envs:"],
            ...Object.entries(o).map(([k, v]): [number, string] => [1, `${k}: ${v}`]),
          ),
        ),
      fc
        .constantFrom("|", "|+", "|-", ">", ">+")
        .map((h) =>
          lit(
            "description",
            [0, `description: ${h}`],
            [1, "first line"],
            [1, "second line"],
            ...(h.endsWith("+") ? [[0, ""] as [number, string]] : []),
          ),
        ),
    );
    const entrySpec = fc.record({
      fields: fc.uniqueArray(field, { selector: (f) => f.k, minLength: 1, maxLength: 5 }),
      quoted: fc.boolean(),
      deeperComment: fc.boolean(),
      blankBefore: fc.boolean(),
      commentBefore: fc.boolean(),
      anchor: fc.boolean(),
      keyComment: fc.boolean(),
      // Most entries are block maps; some a flow map, a scalar or `? key` syntax.
      shape: fc.constantFrom("block", "block", "block", "block", "flow", "scalar", "explicit"),
    });
    const action = fc.oneof(
      fc.constant({ t: "none" as const }),
      fc.constant({ t: "remove" as const }),
      fc.record({ t: fc.constant("setCmd" as const), v: str }),
      fc.record({ t: fc.constant("setArgs" as const), v: fc.array(str, { maxLength: 3 }) }),
      fc.record({ t: fc.constant("setEnv" as const), v: str }),
      fc.record({ t: fc.constant("dropField" as const) }),
      fc.record({ t: fc.constant("replace" as const), v: newServer }),
    );
    const docSpec = fc.record({
      list: fc.boolean(),
      depth: fc.constantFrom(1, 2),
      unit: fc.constantFrom(2, 4),
      seqIndent: fc.boolean(),
      crlf: fc.boolean(),
      finalNewline: fc.boolean(),
      emptyStyle: fc.integer({ min: 0, max: 2 }),
      prelude: fc.subarray([
        "# Goose configuration",
        "---",
        'GOOSE_MODEL: "gpt-4o"   # model',
        '"quoted key": 1',
        "flow: {a: 1, b: [x, y]}",
        "base: &base {cmd: shared}",
        "notes: |\n  some text\n",
        "",
      ]),
      trailer: fc.constantFrom(
        "",
        "\n# trailing settings\nGOOSE_CLI_THEME: dark",
        "other:\n  k: v",
        "alias: *base",
      ),
      entries: fc.array(entrySpec, { maxLength: 5 }),
      actions: fc.array(action, { minLength: 5, maxLength: 5 }),
      added: fc.array(newServer, { maxLength: 3 }),
    });

    let provenRuns = 0;
    let runs = 0;
    // Some template combinations have collections as keys, which toJS warns about.
    const emitWarning = process.emitWarning;
    process.emitWarning = () => {};
    try {
      fc.assert(
        fc.property(docSpec, (d) => {
          const u = d.unit;
          const prelude = d.prelude.join("\n");
          const hasBase = d.prelude.includes("base: &base {cmd: shared}");
          const trailer = d.trailer === "alias: *base" && !hasBase ? "" : d.trailer;
          // The container, at depth 1 (`extensions:`) or 2 (`outer:\n  extensions:`).
          const head = d.depth === 1 ? "" : `outer:\n`;
          const cKey = d.list ? "mcpServers" : "extensions";
          const keyCol = (d.depth - 1) * u;
          const col = keyCol + (d.list ? (d.seqIndent ? u : 0) : u);
          const path = d.depth === 1 ? [cKey] : ["outer", cKey];
          const blocks: string[] = [];
          const names: string[] = [];
          d.entries.forEach((e, i) => {
            const name = `srv${i}`;
            names.push(name);
            const lines: string[] = [];
            // Fields sit at `fc` (map: under the key; list: after the dash).
            const fcol = d.list ? col + 2 : col + u;
            const fieldLines: string[] = [];
            for (const f of e.fields) fieldLines.push(...f.render(fcol, u, d.seqIndent ? u : 0));
            if (e.deeperComment) fieldLines.push(`${pad(fcol + 1)}# deeper comment`);
            if (e.blankBefore && i > 0) lines.push("");
            if (e.commentBefore) lines.push(`${pad(e.blankBefore ? 0 : col)}# about ${name}`);
            if (d.list) {
              lines.push(`${pad(col)}- name: ${name}${e.keyComment ? "   # item" : ""}`);
              lines.push(...fieldLines);
            } else {
              const k = e.quoted ? `"${name}"` : name;
              const props = `${e.anchor ? ` &a${i}` : ""}${e.keyComment ? " # entry" : ""}`;
              if (e.shape === "flow") lines.push(`${pad(col)}${k}: {cmd: x, args: [a, b]}${props}`);
              else if (e.shape === "scalar") lines.push(`${pad(col)}${k}: off${props}`);
              else {
                lines.push(
                  e.shape === "explicit"
                    ? `${pad(col)}? ${k}\n${pad(col)}:${props}`
                    : `${pad(col)}${k}:${props}`,
                );
                lines.push(...fieldLines);
              }
            }
            blocks.push(lines.join("\n"));
          });
          const empty = [d.list ? " []" : " {}", "", " # none yet"][d.emptyStyle] as string;
          const container =
            blocks.length === 0
              ? `${pad(keyCol)}${cKey}:${empty}`
              : `${pad(keyCol)}${cKey}:\n${blocks.join("\n")}`;
          let text = [prelude, head + container, trailer].filter((x) => x !== "").join("\n");
          if (d.finalNewline) text += "\n";
          if (d.crlf) text = text.replace(/\n/g, "\r\n");
          let before: Record<string, unknown>;
          try {
            before = yaml.parse(text, "p") as Record<string, unknown>;
          } catch {
            return; // a template combination that is not valid YAML
          }

          // Edits: per existing entry an action, then new servers.
          const edits: Edit[] = [];
          const removes: Edit[] = [];
          const touched = new Set<number>();
          const at = (i: number) => [...path, d.list ? i : (names[i] as string)];
          names.forEach((_, i) => {
            const a = d.actions[i] ?? { t: "none" };
            if (a.t === "none") return;
            touched.add(i);
            if (a.t === "remove") removes.push({ path: at(i), remove: true });
            else if (a.t === "setCmd") edits.push({ path: [...at(i), "cmd"], value: a.v });
            else if (a.t === "setArgs") edits.push({ path: [...at(i), "args"], value: a.v });
            else if (a.t === "setEnv") edits.push({ path: [...at(i), "envs", "NEW_KEY"], value: a.v });
            else if (a.t === "dropField")
              edits.push({ path: [...at(i), d.entries[i]?.fields[0]?.k ?? "cmd"], remove: true });
            else edits.push({ path: at(i), value: d.list ? { ...a.v, name: names[i] } : a.v });
          });
          d.added.forEach((v, k) => {
            edits.push({ path: [...path, d.list ? names.length + k : `new${k}`], value: v });
          });
          removes.reverse(); // list removals last, highest index first (as the sync orders them)
          edits.push(...removes);
          if (edits.length === 0) return;

          // The expected value, applied one edit after another to the parsed value.
          const expected = structuredClone(before) as Record<string, unknown>;
          for (const e of edits) {
            let cur: Record<string, unknown> | unknown[] = expected;
            let absent = false;
            e.path.slice(0, -1).forEach((seg, i) => {
              if (absent) return;
              const c = cur as Record<string, unknown>;
              const next = c[seg as string];
              if (typeof next !== "object" || next === null) {
                // Removing under a scalar changes nothing; setting replaces it with a collection.
                if ("remove" in e) absent = true;
                else c[seg as string] = typeof e.path[i + 1] === "number" ? [] : {};
              }
              if (!absent) cur = c[seg as string] as Record<string, unknown>;
            });
            if (absent) continue;
            const last = e.path[e.path.length - 1] as string | number;
            if ("remove" in e) {
              if (Array.isArray(cur)) cur.splice(last as number, 1);
              else delete cur[last as string];
            } else (cur as Record<string | number, unknown>)[last] = e.value;
          }

          const { full, auto } = bothChecks(text, edits);
          runs++;
          if (auto?.proven) provenRuns++;
          withCase({ text, edits, auto, full }, () => {
            // Skipping the whole re-parse never passes what it rejects, nor rejects what it passes.
            expect(auto?.text).toBe(full);
            if (auto === undefined) return;
            expect(yaml.parse(auto.text, "p")).toEqual(expected);
            const eol = d.crlf ? "\r\n" : "\n";
            const out = auto.text;
            if (prelude !== "") expect(out.startsWith(prelude.replace(/\n/g, eol))).toBe(true);
            if (trailer !== "") {
              const tail = trailer.replace(/\n/g, eol) + (d.finalNewline ? eol : "");
              expect(out.endsWith(tail)).toBe(true);
            }
            blocks.forEach((b, i) => {
              // (Removing a `? key` entry pulls the next kept entry up, with the comments between.)
              const pulled = !d.list && d.entries.slice(0, i).some((x) => x.shape === "explicit");
              if (!touched.has(i) && !pulled) expect(out).toContain(b.replace(/\n/g, eol));
            });
          });
        }),
        { numRuns: 1500 },
      );
    } finally {
      process.emitWarning = emitWarning;
    }
    // Most of these edits take the local proof.
    expect(runs).toBeGreaterThan(1000);
    expect(provenRuns).toBeGreaterThan(runs / 3);
  }, 120_000);
});

describe("yaml.edit local proofs on free-form documents", () => {
  // Documents the package prints from random values, in random indentation, with comment and
  // blank lines dropped in at random; edits at random paths of what they hold.
  test("property: a proven result parses to the expected value, and matches the checked one", () => {
    const key = fc.oneof(
      fc.constantFrom("a", "b", "cmd", "args", "x y", "1", "-k", "? q", "a: b", "é"),
      fc.stringMatching(/^[a-z]{1,3}$/),
    );
    const str = fc.oneof(
      fc.constantFrom("v", "-y", "x: y", "multi\nline", "", "123", "true", "é", " sp", "#h", "|", "---"),
      fc.stringMatching(/^[a-z]{1,4}$/),
    );
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        str,
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        tie("list"),
        tie("record"),
      ),
      list: fc.array(tie("value"), { maxLength: 3 }),
      record: fc.dictionary(key, tie("value"), { maxKeys: 4 }),
    }));
    // A path chosen by walking the parsed value: an existing key or item, or a new key.
    const pick = fc.record({
      steps: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
      newKey: key,
      value,
      remove: fc.boolean(),
    });
    const toEdit = (
      root: unknown,
      p: { steps: number[]; newKey: string; value: unknown; remove: boolean },
    ) => {
      const path: (string | number)[] = [];
      let cur = root;
      for (const s of p.steps) {
        if (Array.isArray(cur)) {
          if (cur.length === 0) break;
          path.push(s % cur.length);
          cur = cur[s % cur.length];
        } else if (typeof cur === "object" && cur !== null) {
          const keys = Object.keys(cur);
          const k =
            s % (keys.length + 1) === keys.length ? p.newKey : (keys[s % (keys.length + 1)] as string);
          path.push(k);
          cur = (cur as Record<string, unknown>)[k];
        } else break;
      }
      // Items are edited in place, never removed (a removal shifts the indices after it).
      if (path.length === 0 || (p.remove && typeof path[path.length - 1] === "number")) return undefined;
      return p.remove ? { path, remove: true as const } : { path, value: p.value };
    };
    let runs = 0;
    let provenRuns = 0;
    const emitWarning = process.emitWarning;
    process.emitWarning = () => {};
    try {
      fc.assert(
        fc.property(
          fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 }),
          fc.record({ indent: fc.integer({ min: 1, max: 4 }), indentSeq: fc.boolean() }),
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 8 }), fc.constantFrom("# c", "", "#")), {
            maxLength: 4,
          }),
          fc.boolean(),
          fc.array(pick, { minLength: 1, maxLength: 4 }),
          (doc, style, extra, crlf, picks) => {
            const lines = stringify(doc, { ...style, lineWidth: 0 }).split("\n");
            for (const [at, ind, c] of extra) lines.splice(at % lines.length, 0, c && " ".repeat(ind) + c);
            let text = lines.join("\n");
            if (crlf) text = text.replace(/\n/g, "\r\n");
            let before: unknown;
            try {
              before = yaml.parse(text, "p");
            } catch {
              return;
            }
            const edits = picks.map((p) => toEdit(before, p)).filter((e) => e !== undefined);
            // Paths neither equal nor one inside another: applying them in turn is their meaning.
            const inside = (a: Edit["path"], b: Edit["path"]) =>
              a.length <= b.length && a.every((s, k) => String(s) === String(b[k]));
            if (edits.some((a, i) => edits.some((b, j) => i !== j && inside(a.path, b.path)))) return;
            if (edits.length === 0) return;
            const expected = structuredClone(before) as Record<string, unknown>;
            for (const e of edits) {
              let cur: Record<string | number, unknown> = expected;
              let absent = false;
              e.path.slice(0, -1).forEach((seg, i) => {
                const next = cur[seg];
                if (absent) return;
                if (typeof next !== "object" || next === null) {
                  if ("remove" in e) absent = true;
                  else cur[seg] = typeof e.path[i + 1] === "number" ? [] : {};
                }
                if (!absent) cur = cur[seg] as Record<string | number, unknown>;
              });
              const last = e.path[e.path.length - 1] as string | number;
              if (absent) continue;
              if (!("remove" in e)) cur[last] = e.value;
              else if (!Array.isArray(cur)) delete cur[last];
            }
            const { full, auto } = bothChecks(text, edits);
            runs++;
            if (auto?.proven) provenRuns++;
            withCase({ text, edits, auto, full }, () => {
              expect(auto?.text).toBe(full);
              if (auto !== undefined) expect(yaml.parse(auto.text, "p")).toEqual(expected);
            });
          },
        ),
        { numRuns: 1500 },
      );
    } finally {
      process.emitWarning = emitWarning;
    }
    expect(runs).toBeGreaterThan(300);
    expect(provenRuns).toBeGreaterThan(runs / 3);
  }, 120_000);
});

describe("yaml.edit without a Document (new entries appended to block maps)", () => {
  /** Both paths: the Document-free one (undefined where it declined) and the Document one. */
  function bothPaths(text: string, edits: Edit[]) {
    const attempt = <T>(f: () => T): T | undefined => {
      try {
        return f();
      } catch {
        return undefined;
      }
    };
    // Without the whole re-parse: a fast path that wrote a wrong text must show up as a text that
    // differs from the Document path's, not be caught by the check and counted as declined.
    const auto = attempt(() => spliceYamlDetailed(text, edits, "p", false));
    const doc = attempt(() => spliceYamlDetailed(text, edits, "p", false, { appendFast: false }));
    return { fast: auto?.fast ? auto : undefined, doc };
  }
  /** Whether an edit takes the Document-free path. */
  const takesFast = (text: string, edits: Edit[]) => bothPaths(text, edits).fast !== undefined;

  const server = (name: string) => ({
    name,
    type: "stdio",
    cmd: "npx",
    args: ["-y", `@bench/${name}`, "--port", "3000"],
    envs: { LOG_LEVEL: "info" },
    enabled: true,
    timeout: 300,
  });
  const adds = (...names: string[]): Edit[] =>
    names.map((n) => ({ path: ["extensions", n], value: server(n) }));

  test("takes ordinary Goose files (as goose and as people write them) and gives the Document path's text", () => {
    const serde =
      "extensions:\n  developer:\n    bundled: true\n    display_name: Developer\n    enabled: true\n" +
      "    name: developer\n    timeout: 300\n    type: builtin\n  github:\n    args:\n    - -y\n" +
      "    - '@modelcontextprotocol/server-github'\n    cmd: npx\n    enabled: true\n    envs: {}\n" +
      "    name: github\n    type: stdio\nGOOSE_MODEL: gpt-4o\nGOOSE_PROVIDER: openai\n";
    const files = [
      GOOSE,
      serde,
      serde.replace(/\n/g, "\r\n"),
      serde.replace(/\n$/, ""),
      serde.replace(/^( +)/gm, "$1$1"),
      `${GOOSE}extensions_note: 1 # after\n`,
      "GOOSE_PROVIDER: openai\n", // no `extensions:` yet
      "# only settings\nGOOSE_MODEL: x\n\n# end\n",
      "---\nextensions:\n  a:\n    cmd: x\n...\n",
      // Behind a BOM the Document path counts line 1's columns from the BOM (indentation 2 here).
      "\uFEFFextensions:\n  a:\n   cmd: x\n",
    ];
    for (const text of files) {
      const edits = adds("srv-1", "srv-2");
      const { fast, doc } = bothPaths(text, edits);
      expect([text, fast?.text]).toEqual([text, doc?.text]);
      expect(doc?.proven).toBe(true);
    }
    // A new key inside an entry, a new top-level key, and keys set to what they hold, together.
    const mixed: Edit[] = [
      { path: ["extensions", "github", "description"], value: "GitHub" },
      { path: ["extensions", "github", "cmd"], value: "npx" },
      { path: ["GOOSE_TEMPERATURE"], value: 0.5 },
      ...adds("new"),
    ];
    const { fast, doc } = bothPaths(GOOSE, mixed);
    expect(fast?.text).toBe(doc?.text as string);
  });

  test("declines what it does not prove, leaving it to the Document path", () => {
    const declined: [string, Edit[]][] = [
      [GOOSE, [{ path: ["extensions", "github"], remove: true }]],
      [GOOSE, [{ path: ["extensions", "github", "cmd"], value: "uvx" }]],
      [GOOSE, [{ path: ["extensions", "x"], value: { cmd: "Café" } }]], // left to the package
      ["extensions:\nA: 1\n", adds("a")], // a null container
      ["extensions:\n  1:\n    cmd: x\n", adds("a")], // a key that is not a string
      ["\uFEFFA: 1\n", [{ path: ["B"], value: 2 }]], // a new top-level key behind a BOM
      // A top-level entry changed whole behind a BOM (the empty flow map becomes a block map).
      ["\uFEFFx: 1\nextensions: {}\nn: 2\n", adds("a")],
      ["\uFEFFx: 1\nextensions: {}\nn: 2\n", [{ path: ["n"], remove: true }]],
      ["extensions:\n  a:\n    cmd: x\n  b: 1\n...\n", [{ path: ["C"], value: 2 }]], // `...` follows
      ["extensions:\n  a:\n    cmd: x\n# c\r", adds("b")], // outside the fast reader
      ["extensions: &e\n  a:\n    cmd: x\n", adds("b")],
    ];
    for (const [text, edits] of declined) expect([text, takesFast(text, edits)]).toEqual([text, false]);
    // Behind a BOM, entries of a nested map are still appended without a Document.
    expect(takesFast(`\uFEFF${GOOSE}`, adds("n"))).toBe(true);
  });

  test("changes and removes entries whose lines are the emitter's own text, as the Document path does", () => {
    // The emitter's text of the entries (args not indented under their key, as in this file).
    const canonical =
      '# servers\nextensions:\n  a:\n    name: a\n    cmd: npx\n    args:\n    - -y\n    - "@x/a"\n' +
      '    envs:\n      A: "1"\n    enabled: true\n  b:\n    name: b\n    cmd: uvx\n    enabled: false\n' +
      "  c:\n    name: c\n    cmd: c\nGOOSE_MODEL: m # model\n";
    const taken: [string, Edit[]][] = [
      [canonical, [{ path: ["extensions", "a", "cmd"], value: "bunx" }]],
      [canonical, [{ path: ["extensions", "a", "args"], value: ["--port", "3000", "x y"] }]],
      [canonical, [{ path: ["extensions", "a", "envs", "A"], value: "2" }]],
      [canonical, [{ path: ["extensions", "a", "envs"], remove: true }]],
      [canonical, [{ path: ["extensions", "b"], remove: true }]],
      [canonical, [{ path: ["extensions", "c"], remove: true }]],
      [canonical, [{ path: ["extensions", "b"], value: { name: "b", cmd: "z", args: ["1"] } }]],
      [
        canonical,
        [
          { path: ["extensions", "a", "cmd"], value: "z" },
          { path: ["extensions", "a", "description"], value: "new key" },
          { path: ["extensions", "b"], remove: true },
          ...adds("d"),
        ],
      ],
      [canonical.replace(/\n/g, "\r\n"), [{ path: ["extensions", "b", "enabled"], value: true }]],
      [canonical.replace(/^( +)/gm, "$1$1"), [{ path: ["extensions", "a", "cmd"], value: "z" }]],
      ["extensions: {}\n", adds("a")],
      ["GOOSE_MODEL: m\n", [{ path: ["GOOSE_MODEL"], value: "other" }]],
      // Every entry of a map removed: the map's own entry is written again, as `{}`.
      [
        "extensions:\n  a:\n    cmd: x\n  b:\n    cmd: y\nother: 1\n",
        [
          { path: ["extensions", "a"], remove: true },
          { path: ["extensions", "b"], remove: true },
        ],
      ],
      // A map in a sequence item: its first key shares the dash's line, so the list is written whole.
      ["list:\n- a: 1\n  b: 2\n", [{ path: ["list", 0, "a"], value: 3 }]],
    ];
    for (const [text, edits] of taken) {
      const { fast, doc } = bothPaths(text, edits);
      expect([text, edits, fast?.text]).toEqual([text, edits, doc?.text]);
      expect(doc?.proven).toBe(true);
      expect(spliceYamlDetailed(text, edits, "p", true).text).toBe(fast?.text as string);
    }
    const declined: [string, Edit[]][] = [
      // Lines that are not the emitter's: a comment, a person's quoting or spacing, an anchor.
      [
        canonical.replace("cmd: uvx", "cmd: uvx # pinned"),
        [{ path: ["extensions", "b", "cmd"], value: "z" }],
      ],
      [canonical.replace("cmd: uvx", 'cmd: "uvx"'), [{ path: ["extensions", "b", "cmd"], value: "z" }]],
      [canonical.replace("cmd: uvx", "cmd:  uvx"), [{ path: ["extensions", "b"], remove: true }]],
      [canonical.replace("  b:\n", "  b: &b\n"), [{ path: ["extensions", "b", "cmd"], value: "z" }]],
      // A comment line below the entry, deeper than it, would go with it.
      [canonical.replace("  c:\n", "    # about b\n  c:\n"), [{ path: ["extensions", "b"], remove: true }]],
      // The last line without a line break.
      ["extensions:\n  a:\n    cmd: x", [{ path: ["extensions", "a", "cmd"], value: "y" }]],
    ];
    for (const [text, edits] of declined) expect([text, takesFast(text, edits)]).toEqual([text, false]);
  });

  test("property: changes and removals in a file the emitter could have written take the path, with the Document path's text", () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,5}$/);
    const str = fc.oneof(
      { weight: 10, arbitrary: word },
      { weight: 3, arbitrary: fc.constantFrom("-y", "@scope/pkg", "123", "true", "", "a: b", "x y", "it's") },
      { weight: 1, arbitrary: fc.constantFrom("line 1\nline 2", "Café", "#c") },
    );
    const server = fc.record(
      {
        name: word,
        cmd: str,
        args: fc.array(str, { maxLength: 3 }),
        envs: fc.dictionary(fc.stringMatching(/^[A-Z][A-Z_]{0,3}$/), str, { maxKeys: 2 }),
        enabled: fc.boolean(),
        timeout: fc.integer({ min: 0, max: 999 }),
      },
      { requiredKeys: ["name"] },
    );
    const spec = fc.record({
      servers: fc.uniqueArray(fc.tuple(word, server), { minLength: 1, maxLength: 5, selector: ([k]) => k }),
      indent: fc.integer({ min: 1, max: 4 }),
      indentSeq: fc.boolean(),
      crlf: fc.boolean(),
      settings: fc.constantFrom<Record<string, unknown>>(
        {},
        { GOOSE_MODEL: "m" },
        { other: { a: 1 }, x: [1] },
      ),
      header: fc.constantFrom("", "# goose\n"),
      edits: fc.array(
        fc.tuple(
          fc.nat(),
          fc.constantFrom("cmd", "args", "envs", "enabled", "timeout", "description"),
          fc.constantFrom("set", "set", "remove", "removeEntry", "setEntry", "add"),
          server,
        ),
        { minLength: 1, maxLength: 3 },
      ),
    });
    let runs = 0;
    let fastRuns = 0;
    fc.assert(
      fc.property(spec, (d) => {
        const file = { ...d.settings, extensions: Object.fromEntries(d.servers) };
        let text = d.header + stringify(file, { indent: d.indent, indentSeq: d.indentSeq });
        if (d.crlf) text = text.replace(/\n/g, "\r\n");
        const names = d.servers.map(([k]) => k);
        const edits: Edit[] = d.edits.map(([i, field, how, v]): Edit => {
          const name = names[i % names.length] as string;
          if (how === "removeEntry") return { path: ["extensions", name], remove: true };
          if (how === "setEntry") return { path: ["extensions", name], value: v };
          if (how === "add") return { path: ["extensions", `new-${i % 3}`], value: v };
          if (how === "remove") return { path: ["extensions", name, field], remove: true };
          const value = (v as Record<string, unknown>)[field] ?? "x";
          return { path: ["extensions", name, field], value };
        });
        const expected = structuredClone(parse(text)) as Record<
          string,
          Record<string, Record<string, unknown>>
        >;
        for (const e of edits) {
          const [, name, field] = e.path as string[];
          const ext = expected.extensions as Record<string, Record<string, unknown>>;
          if (field === undefined) {
            if ("remove" in e) delete ext[name as string];
            else ext[name as string] = structuredClone(e.value) as Record<string, unknown>;
          } else if (ext[name as string] !== undefined) {
            if ("remove" in e) delete (ext[name as string] as Record<string, unknown>)[field];
            else (ext[name as string] as Record<string, unknown>)[field] = structuredClone(e.value);
          } else if (!("remove" in e)) ext[name as string] = { [field]: structuredClone(e.value) };
        }
        runs++;
        const { fast, doc } = bothPaths(text, edits);
        if (fast === undefined) return;
        fastRuns++;
        withCase({ text, edits, fast, doc }, () => {
          expect(fast.text).toBe(doc?.text as string);
          expect(doc?.proven).toBe(true);
          expect(parse(fast.text)).toEqual(expected);
        });
      }),
      { numRuns: 500 },
    );
    // Most such files and edits take the path (what declines: text the emitter leaves to the
    // package, a map emptied at the top, an edit that changes nothing).
    expect(fastRuns).toBeGreaterThan(runs / 2);
  }, 60_000);

  test("property: on random subset documents and edits it gives the Document path's text, or declines", () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,5}$/);
    const str = fc.oneof(
      { weight: 20, arbitrary: word },
      {
        weight: 6,
        arbitrary: fc.constantFrom("-y", "@scope/pkg", "123", "true", "", "a: b", "#c", "it's", "~", "x y"),
      },
      { weight: 1, arbitrary: fc.constantFrom("Café", "line 1\nline 2", 'say "hi"', "--- x") },
    );
    const newServer = fc.record(
      {
        name: word,
        cmd: str,
        args: fc.array(str, { maxLength: 3 }),
        envs: fc.dictionary(fc.stringMatching(/^[A-Z][A-Z_]{0,4}$/), str, { maxKeys: 2 }),
        enabled: fc.boolean(),
        timeout: fc.integer({ min: -5, max: 999 }),
        empty: fc.constantFrom({}, []),
      },
      { requiredKeys: ["name", "enabled"] },
    );
    const scalar = fc.constantFrom(
      "openai",
      '"gpt-4o"',
      "'q'",
      "300",
      "true",
      "~",
      "",
      '[a, "b"]',
      "[]",
      "{}",
      "1.5",
    );
    const comment = fc.constantFrom("", "", "", "  # note", " #n");
    // Lines of one field of an entry at column `c`, unit `u`, sequence offset `s`.
    type Lines = (c: number, u: number, s: number) => string[];
    const sp = (n: number) => " ".repeat(n);
    // Fields as their key (unique within an entry) and their lines.
    const field: fc.Arbitrary<{ k: string; lines: Lines }> = fc.oneof(
      fc
        .tuple(fc.constantFrom("cmd", "type", "'quoted key'", '"dq"', "timeout"), scalar, comment)
        .map(([k, v, c]) => ({
          k,
          lines: (col: number) => [`${sp(col)}${k}:${v === "" ? "" : ` ${v}`}${c}`],
        })),
      fc.array(word, { minLength: 1, maxLength: 3 }).map((a) => ({
        k: "args",
        lines: (col: number, _u: number, s: number) => [
          `${sp(col)}args:`,
          ...a.map((w) => `${sp(col + s)}- ${w}`),
        ],
      })),
      fc.dictionary(fc.stringMatching(/^[A-Z]{1,4}$/), word, { minKeys: 1, maxKeys: 2 }).map((o) => ({
        k: "envs",
        lines: (col: number, u: number) => [
          `${sp(col)}envs:`,
          ...Object.entries(o).map(([k, v]) => `${sp(col + u)}${k}: ${v}`),
        ],
      })),
      fc.constantFrom<{ k: string; lines: Lines }>(
        {
          k: "nested",
          lines: (col, u) => [`${sp(col)}nested:`, `${sp(col + u)}deeper:`, `${sp(col + 2 * u)}x: 1`],
        },
        {
          k: "list",
          lines: (col) => [`${sp(col)}list:`, `${sp(col)}- a: 1`, `${sp(col)}  b: [x]`, `${sp(col)}- - y`],
        },
        { k: "#1", lines: (col) => [`${sp(col + 3)}# a deeper comment`] },
        { k: "#2", lines: (col) => [`${sp(col)}# a comment at the fields' column`] },
        { k: "#3", lines: () => ["", "# at column 0"] },
        { k: "#4", lines: () => [""] },
      ),
    );
    const entry = fc.record({
      key: fc.oneof(
        { weight: 12, arbitrary: word },
        { weight: 3, arbitrary: fc.constantFrom('"quoted"', "'single'", "x y") },
        { weight: 1, arbitrary: fc.constantFrom("1", "true") },
      ),
      fields: fc.uniqueArray(field, {
        selector: (f) => f.k.replace(/['"]/g, ""),
        minLength: 1,
        maxLength: 4,
      }),
      comment,
      after: fc.constantFrom<Lines>(
        () => [],
        () => [],
        (col) => [`${sp(col + 1)}# deeper than the entries`],
        (col) => [`${sp(col)}# at the entries' column`],
        () => [""],
        () => ["# column 0"],
      ),
    });
    const top = fc.record({
      key: fc.constantFrom("GOOSE_MODEL", "GOOSE_PROVIDER", "other", "settings", "list", "n"),
      body: fc.oneof(
        scalar.map((v) => (_u: number, _s: number) => [`${v === "" ? "" : ` ${v}`}`]),
        fc.constant((u: number) => ["", `${sp(u)}a: 1`, `${sp(u)}b:`, `${sp(2 * u)}- x`]),
        fc.constant((_u: number, s: number) => ["", `${sp(s)}- x`, `${sp(s)}- y: 1`]),
      ),
    });
    const docSpec = fc.record({
      unit: fc.integer({ min: 1, max: 4 }),
      seqIndent: fc.boolean(),
      crlf: fc.boolean(),
      finalNewline: fc.boolean(),
      bom: fc.constantFrom(false, false, false, false, true),
      markers: fc.constantFrom("", "", "", "---", "--- # start", "end", "both"),
      header: fc.subarray(["# Goose configuration", "", "  # indented comment"]),
      before: fc.uniqueArray(top, { selector: (x) => x.key, maxLength: 2 }),
      container: fc.constantFrom("block", "block", "block", "block", "none", "null", "flow", "comment"),
      entries: fc.uniqueArray(entry, {
        selector: (e) => e.key.replace(/['"]/g, ""),
        minLength: 1,
        maxLength: 4,
      }),
      after: fc.uniqueArray(top, { selector: (x) => x.key, maxLength: 2 }),
      added: fc.array(newServer, { maxLength: 3 }),
      topAdded: fc.option(fc.oneof(scalar, fc.constant({ k: "v" })), { nil: undefined }),
      mutation: fc.constantFrom("none", "none", "none", "same", "remove", "change", "field", "absent"),
      pick: fc.nat(),
    });
    let runs = 0;
    let fastRuns = 0;
    fc.assert(
      fc.property(docSpec, (d) => {
        const u = d.unit;
        const s = d.seqIndent ? u : 0;
        const lines: string[] = [];
        if (d.markers === "---" || d.markers === "--- # start" || d.markers === "both")
          lines.push(d.markers === "both" ? "---" : d.markers);
        lines.push(...d.header);
        const topLines = (t: { key: string; body: (u: number, s: number) => string[] }) => {
          const [first, ...rest] = t.body(u, s);
          return [`${t.key}:${first}`, ...rest];
        };
        const beforeKeys = new Set(d.before.map((t) => t.key));
        for (const t of d.before) lines.push(...topLines(t));
        if (d.container === "null") lines.push("extensions:");
        else if (d.container === "flow") lines.push("extensions: {}");
        else if (d.container !== "none") {
          lines.push(d.container === "comment" ? "extensions: # servers" : "extensions:");
          for (const e of d.entries) {
            lines.push(`${sp(u)}${e.key}:${e.comment}`);
            for (const f of e.fields) lines.push(...f.lines(2 * u, u, s));
            lines.push(...e.after(u, u, s));
          }
        }
        for (const t of d.after) if (!beforeKeys.has(t.key)) lines.push(...topLines(t));
        if (d.markers === "end" || d.markers === "both") lines.push("...");
        let text = (d.bom ? "\uFEFF" : "") + lines.join("\n") + (d.finalNewline ? "\n" : "");
        if (d.crlf) text = text.replace(/\n/g, "\r\n");
        let before: Record<string, unknown>;
        try {
          before = parse(text) as Record<string, unknown>;
        } catch {
          return;
        }
        if (typeof before !== "object" || before === null || Array.isArray(before)) return;
        const names = Object.keys((before.extensions ?? {}) as object);
        const edits: Edit[] = d.added.map((v) => ({ path: ["extensions", v.name], value: v }));
        if (d.topAdded !== undefined) edits.push({ path: ["NEW_SETTING"], value: d.topAdded });
        const name = names[d.pick % Math.max(1, names.length)];
        const cur = name === undefined ? undefined : (before.extensions as Record<string, unknown>)[name];
        if (name !== undefined && d.mutation === "same")
          edits.push({ path: ["extensions", name], value: cur });
        if (name !== undefined && d.mutation === "remove")
          edits.push({ path: ["extensions", name], remove: true });
        if (name !== undefined && d.mutation === "change")
          edits.push({ path: ["extensions", name], value: { cmd: "z" } });
        if (name !== undefined && d.mutation === "field")
          edits.push({ path: ["extensions", name, "added"], value: "v" });
        if (d.mutation === "absent") edits.push({ path: ["extensions", "no-such"], remove: true });
        if (edits.length === 0) return;
        // The meaning of the edits, applied in turn to the library's reading of the file.
        const expected = structuredClone(before);
        for (const e of edits) {
          let at: Record<string, unknown> = expected;
          let absent = false;
          for (const seg of e.path.slice(0, -1)) {
            const next = at[seg as string];
            if (typeof next !== "object" || next === null || Array.isArray(next)) {
              if ("remove" in e) {
                absent = true;
                break;
              }
              at[seg as string] = {};
            }
            at = at[seg as string] as Record<string, unknown>;
          }
          const last = e.path[e.path.length - 1] as string;
          if (absent) continue;
          if ("remove" in e) delete at[last];
          else at[last] = structuredClone(e.value);
        }
        runs++;
        const { fast, doc } = bothPaths(text, edits);
        if (fast === undefined) return;
        fastRuns++;
        withCase({ text, edits, fast, doc }, () => {
          expect(doc).toBeDefined();
          expect(fast.text).toBe(doc?.text as string);
          expect(doc?.proven).toBe(true);
          expect(parse(fast.text)).toEqual(expected);
          // Every line of the original is still there, in order, unchanged.
          expect(fast.text.startsWith(text.slice(0, text.indexOf("extensions") + 1))).toBe(true);
        });
      }),
      { numRuns: 400 },
    );
    // Nearly every document is valid, and about a third of the edits take the path.
    expect(runs).toBeGreaterThan(350);
    expect(fastRuns).toBeGreaterThan(runs / 5);
  }, 60_000);
});

describe("opTree", () => {
  type Seg = string | number;
  /** The tree as plain data: children in order with their key's type, values as they are. */
  const plain = (op: Op): unknown =>
    op.t === "keep"
      ? ["keep", [...op.kids].map(([k, kid]) => [typeof k, k, plain(kid)])]
      : op.t === "set"
        ? ["set", op.value]
        : ["remove"];
  /** The reference: each edit as a chain of one-child operations, combined onto the tree in turn. */
  const reference = (edits: readonly Edit[]): Op => {
    let root: Op = { t: "keep", kids: new Map() };
    for (const e of edits) {
      let op: Op = "remove" in e ? { t: "remove" } : { t: "set", value: e.value };
      for (let i = e.path.length - 1; i >= 0; i--) {
        const seg = e.path[i] as Seg;
        op = { t: "keep", kids: new Map([[typeof seg === "number" ? seg : String(seg), op]]) };
      }
      root = combine(root, op);
    }
    return root;
  };

  test("property: the same tree as combining each edit's chain in turn", () => {
    const seg = fc.constantFrom<Seg>("a", "b", "1", "__proto__", 0, 1, 2);
    const value = fc.oneof(
      fc.constantFrom<unknown>(null, 1, "x", [], {}),
      fc.dictionary(fc.constantFrom("a", "b", "1"), fc.constantFrom<unknown>(1, "y", null), { maxKeys: 3 }),
      fc.array(fc.constantFrom<unknown>(1, "z"), { maxLength: 3 }),
    );
    const edit: fc.Arbitrary<Edit> = fc.oneof(
      { weight: 3, arbitrary: fc.record({ path: fc.array(seg, { maxLength: 3 }), value }) },
      {
        weight: 1,
        arbitrary: fc.record({ path: fc.array(seg, { maxLength: 3 }), remove: fc.constant(true as const) }),
      },
    );
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 8 }), (edits) => {
        expect(plain(opTree(edits))).toEqual(plain(reference(edits)));
      }),
      { numRuns: 3000 },
    );
  });
});

describe("yaml.edit appending without a Document, at the end of the text", () => {
  test("property: the Document path's text, with or without a final line break", () => {
    const entry = fc.record({
      name: fc.constantFrom("a", "b-1", "c_2"),
      cmd: fc.constantFrom("npx", "uvx", "3000", "@x/y", "true"),
      args: fc.array(fc.constantFrom("-y", "--port", "1", "a b"), { maxLength: 2 }),
    });
    const doc = fc.record({
      crlf: fc.boolean(),
      finalNewline: fc.boolean(),
      trailer: fc.constantFrom("", "\n# end", "\n    # deeper", "\nother: 1"),
      existing: fc.uniqueArray(entry, { minLength: 1, maxLength: 3, selector: (e) => e.name }),
      added: fc.uniqueArray(fc.constantFrom("n1", "n2", "__proto__", "7"), { minLength: 1, maxLength: 3 }),
      value: entry,
    });
    let fastRuns = 0;
    fc.assert(
      fc.property(doc, (d) => {
        const lines = ["# goose", "extensions:"];
        for (const e of d.existing) {
          lines.push(`  ${e.name}:`, `    cmd: ${JSON.stringify(e.cmd)}`);
          if (e.args.length > 0)
            lines.push("    args:", ...e.args.map((a) => `      - ${JSON.stringify(a)}`));
        }
        const eol = d.crlf ? "\r\n" : "\n";
        const text = (lines.join("\n") + d.trailer + (d.finalNewline ? "\n" : "")).replace(/\n/g, eol);
        const edits: Edit[] = d.added.map((k) => ({ path: ["extensions", k], value: d.value }));
        const fast = spliceYamlDetailed(text, edits, "p");
        const viaDoc = spliceYamlDetailed(text, edits, "p", false, { appendFast: false });
        if (fast.fast) fastRuns++;
        expect(fast.text).toBe(viaDoc.text);
        expect(fast.proven).toBe(viaDoc.proven);
      }),
      { numRuns: 300 },
    );
    expect(fastRuns).toBeGreaterThan(100);
  });
});

test("yaml.edit() through the Document path writes DEL and U+2028 escaped (YAML 1.1 readers refuse them raw)", () => {
  // A flow mapping and an anchor: the edit is made on the parsed Document and re-printed.
  const text = "a: &x {k: v}\nextensions: {b: {cmd: x}}  # flow\n";
  const out = yaml.edit(text, [{ path: ["extensions", "c"], value: { cmd: "p\x7fq\u2028r" } }], "/t.yaml");
  expect(out).not.toContain("\x7f");
  expect(out).not.toContain("\u2028");
  expect(out).toContain("# flow");
  expect((yaml.parse(out, "/t.yaml") as { extensions: { c: { cmd: string } } }).extensions.c.cmd).toBe(
    "p\x7fq\u2028r",
  );
});
