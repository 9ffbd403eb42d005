import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { Edit } from "../../core/edits.ts";
import { HostParseError } from "../../core/errors.ts";
import { spliceYamlEdits, yaml } from "./yaml.ts";

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

/** Edits with splicing only (no Document fallback), so a splicing bug fails the test. */
const edit = (text: string, edits: Edit[]) => spliceYamlEdits(text, edits, "config.yaml");

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
