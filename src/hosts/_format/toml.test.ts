import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { parse as smolParse } from "smol-toml";
import { diffEdits, type Edit } from "../../core/edits.ts";
import { HostParseError } from "../../core/errors.ts";
import { editTomlChecked, sectionsOf, toml, tomlKey, tomlValue } from "./toml.ts";
import { fastRead } from "./toml-read.ts";

const CONFIG = `# Codex configuration
model = "o3"   # the default model
approval_policy = "on-request"

[profiles.fast]
model = "gpt-4.1"

# Documentation search
[mcp_servers.docs]
command = "npx"
args = [
  "-y",   # always yes
  "docs-mcp",
]
startup_timeout_sec = 20

[mcp_servers.docs.env]
API_KEY = 'literal-key'

[mcp_servers.web]
url = "https://example.com/mcp"
http_headers = { "X-Team" = "core" }
bearer_token_env_var = "WEB_TOKEN"

[tui]
notifications = true
`;

function edit(text: string, edits: Edit[]): string {
  const out = toml.edit(text, edits, "config.toml");
  // Every result is valid TOML.
  toml.parse(out, "config.toml");
  return out;
}

describe("toml.parse", () => {
  test("returns plain objects, and undefined for an empty file", () => {
    expect(toml.parse("", "a")).toBeUndefined();
    expect(toml.parse(" \n\t\n", "a")).toBeUndefined();
    const v = toml.parse('a = 1\n[b]\nc = "d"\n', "a") as Record<string, unknown>;
    expect(v).toEqual({ a: 1, b: { c: "d" } });
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
  });

  test("skips a byte-order mark", () => {
    expect(toml.parse('\uFEFFa = "x"\n', "a")).toEqual({ a: "x" });
  });

  test("keeps a __proto__ key as data", () => {
    const v = toml.parse('"__proto__" = 1\n', "a") as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(["__proto__"]);
  });

  test("errors carry the path, line and column", () => {
    try {
      toml.parse('a = 1\n[mcp_servers.x]\ncommand = "npx\n', "/h/config.toml");
      throw new Error("no error");
    } catch (e) {
      expect(e).toBeInstanceOf(HostParseError);
      const err = e as HostParseError;
      expect(err.path).toBe("/h/config.toml");
      expect(err.line).toBe(3);
      expect(err.column).toBeGreaterThan(0);
      expect(err.message).toStartWith('Cannot read "/h/config.toml": ');
      expect(err.message).not.toContain("\n");
    }
  });

  test("a duplicate key is an error at its line", () => {
    const run = () => toml.parse("[a]\nx = 1\nx = 2\n", "f");
    expect(run).toThrow(HostParseError);
    try {
      run();
    } catch (e) {
      expect((e as HostParseError).line).toBe(3);
    }
  });

  test("deep nesting and NUL bytes are parse errors, not crashes", () => {
    expect(() => toml.parse(`a = ${"[".repeat(100_000)}`, "f")).toThrow(HostParseError);
    expect(() => toml.parse("a = 1\u0000", "f")).toThrow(HostParseError);
  });

  test("any bytes either parse or throw HostParseError", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = new TextDecoder().decode(bytes);
        try {
          toml.parse(text, "f");
        } catch (e) {
          if (!(e instanceof HostParseError)) throw e;
        }
      }),
      { numRuns: 500 },
    );
  });

  test("TOML-looking text either parses or throws HostParseError", () => {
    const piece = fc.constantFrom(
      "[",
      "]",
      "[[",
      "]]",
      "a",
      "b.c",
      '"q"',
      "'l'",
      " = ",
      "1",
      "1979-05-27",
      '"""',
      "'''",
      "{",
      "}",
      ",",
      "\n",
      "\r\n",
      "#",
      "\\",
      "\u0000",
      "true",
      "-inf",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
        try {
          toml.parse(parts.join(""), "f");
        } catch (e) {
          if (!(e instanceof HostParseError)) throw e;
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe("toml.edit", () => {
  test("no edits returns the text itself", () => {
    expect(toml.edit(CONFIG, [], "f")).toBe(CONFIG);
  });

  test("removing an absent key changes nothing", () => {
    expect(edit(CONFIG, [{ path: ["mcp_servers", "nope"], remove: true }])).toBe(CONFIG);
  });

  test("setting a value to what it is rewrites only that value", () => {
    expect(edit(CONFIG, [{ path: ["model"], value: "o3" }])).toBe(CONFIG);
  });

  test("adds a server as its own section after the last mcp_servers section", () => {
    const out = edit(CONFIG, [
      {
        path: ["mcp_servers", "github"],
        value: {
          command: "gh-mcp",
          args: ["--stdio"],
          env: { GH_HOST: "github.com" },
          startup_timeout_sec: 10.5,
        },
      },
    ]);
    expect(out).toBe(
      CONFIG.replace(
        "\n[tui]\n",
        '\n[mcp_servers.github]\ncommand = "gh-mcp"\nargs = ["--stdio"]\nenv = { GH_HOST = "github.com" }\nstartup_timeout_sec = 10.5\n\n[tui]\n',
      ),
    );
    expect(smolParse(out).mcp_servers).toMatchObject({ github: { startup_timeout_sec: 10.5 } });
  });

  test("adds the first server at the end of a file without servers", () => {
    const text = 'model = "o3"\n\n[profiles.x]\nmodel = "o4-mini"\n';
    expect(edit(text, [{ path: ["mcp_servers", "a"], value: { command: "x" } }])).toBe(
      `${text}\n[mcp_servers.a]\ncommand = "x"\n`,
    );
  });

  test("writes a new file from nothing", () => {
    expect(edit("", [{ path: ["mcp_servers", "a"], value: { command: "x", env: { K: "v" } } }])).toBe(
      '[mcp_servers.a]\ncommand = "x"\nenv = { K = "v" }\n',
    );
  });

  test("quotes server names that are not bare keys", () => {
    const out = edit(CONFIG, [
      { path: ["mcp_servers", "my.server"], value: { command: "a" } },
      { path: ["mcp_servers", "with space"], value: { url: "https://x" } },
    ]);
    expect(out).toContain(
      '\n[mcp_servers."my.server"]\ncommand = "a"\n\n[mcp_servers."with space"]\nurl = "https://x"\n\n[tui]',
    );
    const parsed = smolParse(out) as { mcp_servers: Record<string, unknown> };
    expect(Object.keys(parsed.mcp_servers)).toEqual(["docs", "web", "my.server", "with space"]);
  });

  test("edits a server whose name is quoted in its header", () => {
    const text = '[mcp_servers."my.server"]\ncommand = "a"\n';
    expect(edit(text, [{ path: ["mcp_servers", "my.server", "command"], value: "b" }])).toBe(
      '[mcp_servers."my.server"]\ncommand = "b"\n',
    );
    expect(edit(text, [{ path: ["mcp_servers", "my.server"], remove: true }])).toBe("");
  });

  test("replaces a multi-line array, keeping the lines around it", () => {
    const out = edit(CONFIG, [{ path: ["mcp_servers", "docs", "args"], value: ["-y", "docs-mcp@2"] }]);
    expect(out).toBe(CONFIG.replace('[\n  "-y",   # always yes\n  "docs-mcp",\n]', '["-y", "docs-mcp@2"]'));
  });

  test("writes a long array on several lines", () => {
    const args = Array.from({ length: 8 }, (_, i) => `--option-number-${i}`);
    const out = edit(CONFIG, [{ path: ["mcp_servers", "docs", "args"], value: args }]);
    expect(out).toContain(
      `args = [\n${args.map((a) => `  "${a}",\n`).join("")}]\nstartup_timeout_sec = 20\n`,
    );
  });

  test("removes a multi-line value whole", () => {
    const out = edit(CONFIG, [{ path: ["mcp_servers", "docs", "args"], remove: true }]);
    expect(out).toBe(CONFIG.replace('args = [\n  "-y",   # always yes\n  "docs-mcp",\n]\n', ""));
  });

  test("removes and replaces multi-line strings", () => {
    const text = '[mcp_servers.a]\ncommand = "x"\nnote = """\nline one\n[not.a.header]\n"""\nkeep = 1\n';
    expect(edit(text, [{ path: ["mcp_servers", "a", "note"], remove: true }])).toBe(
      '[mcp_servers.a]\ncommand = "x"\nkeep = 1\n',
    );
    expect(edit(text, [{ path: ["mcp_servers", "a", "note"], value: "a\nb" }])).toBe(
      '[mcp_servers.a]\ncommand = "x"\nnote = "a\\nb"\nkeep = 1\n',
    );
  });

  test("sets an env key in a [x.env] section", () => {
    const out = edit(CONFIG, [{ path: ["mcp_servers", "docs", "env", "REGION"], value: "eu" }]);
    expect(out).toBe(
      CONFIG.replace("API_KEY = 'literal-key'\n", "API_KEY = 'literal-key'\nREGION = \"eu\"\n"),
    );
  });

  test("sets a key of an inline table by re-rendering that table only", () => {
    const out = edit(CONFIG, [{ path: ["mcp_servers", "web", "http_headers", "X-Env"], value: "prod" }]);
    expect(out).toBe(CONFIG.replace('{ "X-Team" = "core" }', '{ X-Team = "core", X-Env = "prod" }'));
  });

  test("adds env to a server that has none as an inline table", () => {
    const out = edit(CONFIG, [{ path: ["mcp_servers", "web", "env"], value: { A: "1" } }]);
    expect(out).toContain('bearer_token_env_var = "WEB_TOKEN"\nenv = { A = "1" }\n\n[tui]');
  });

  test("removes a server with its sub-tables; the comment above the first table of a run stays (it introduces the run)", () => {
    const out = edit(CONFIG, [{ path: ["mcp_servers", "docs"], remove: true }]);
    expect(out).toBe(
      CONFIG.replace(
        /\[mcp_servers\.docs\][\s\S]*?\n\n\[mcp_servers\.docs\.env\]\nAPI_KEY = 'literal-key'\n\n/,
        "",
      ),
    );
    expect(out).toContain('model = "gpt-4.1"\n\n# Documentation search\n[mcp_servers.web]\n');
  });

  test("removes a table in the middle of a run with the comment attached to it", () => {
    const text =
      '# MCP servers\n[mcp_servers.a]\ncommand = "a"\n\n# about b\n[mcp_servers.b]\ncommand = "b"\n\n[mcp_servers.c]\ncommand = "c"\n';
    expect(edit(text, [{ path: ["mcp_servers", "a"], remove: true }])).toBe(
      '# MCP servers\n# about b\n[mcp_servers.b]\ncommand = "b"\n\n[mcp_servers.c]\ncommand = "c"\n',
    );
    expect(edit(text, [{ path: ["mcp_servers", "b"], remove: true }])).toBe(
      '# MCP servers\n[mcp_servers.a]\ncommand = "a"\n\n[mcp_servers.c]\ncommand = "c"\n',
    );
  });

  test("removes the last section with the blank line before it", () => {
    const text = '[mcp_servers.a]\ncommand = "a"\n\n[mcp_servers.b]\ncommand = "b"\n';
    expect(edit(text, [{ path: ["mcp_servers", "b"], remove: true }])).toBe(
      '[mcp_servers.a]\ncommand = "a"\n',
    );
  });

  test("does not take a sibling whose name starts the same", () => {
    const text = '[mcp_servers.a]\ncommand = "a"\n\n[mcp_servers.ab]\ncommand = "b"\n';
    expect(edit(text, [{ path: ["mcp_servers", "a"], remove: true }])).toBe(
      '[mcp_servers.ab]\ncommand = "b"\n',
    );
  });

  test("removes one server and adds another in one batch", () => {
    const out = edit(CONFIG, [
      { path: ["mcp_servers", "web"], remove: true },
      { path: ["mcp_servers", "web2"], value: { url: "https://two" } },
    ]);
    expect(out).toContain("API_KEY = 'literal-key'\n\n[mcp_servers.web2]\nurl = \"https://two\"\n\n[tui]\n");
    expect(out).not.toContain("WEB_TOKEN");
  });

  test("replaces the only server", () => {
    const text = 'model = "o3"\n\n[mcp_servers.a]\ncommand = "a"\n';
    expect(
      edit(text, [
        { path: ["mcp_servers", "a"], remove: true },
        { path: ["mcp_servers", "b"], value: { command: "b" } },
      ]),
    ).toBe('model = "o3"\n\n[mcp_servers.b]\ncommand = "b"\n');
  });

  test("keeps CRLF line endings and a missing final newline", () => {
    const text = 'model = "o3"\r\n\r\n[mcp_servers.a]\r\ncommand = "a"\r\nenv = { K = "v" }';
    const out = edit(text, [
      { path: ["mcp_servers", "a", "args"], value: ["x"] },
      { path: ["mcp_servers", "b"], value: { command: "b" } },
    ]);
    expect(out).toBe(
      'model = "o3"\r\n\r\n[mcp_servers.a]\r\ncommand = "a"\r\nenv = { K = "v" }\r\nargs = ["x"]\r\n\r\n[mcp_servers.b]\r\ncommand = "b"',
    );
    expect(edit(text, [{ path: ["mcp_servers", "a", "env"], remove: true }])).toBe(
      'model = "o3"\r\n\r\n[mcp_servers.a]\r\ncommand = "a"',
    );
  });

  test("keeps a byte-order mark", () => {
    const text = '\uFEFF[mcp_servers.a]\ncommand = "a"\n';
    expect(edit(text, [{ path: ["mcp_servers", "a", "command"], value: "b" }])).toBe(
      '\uFEFF[mcp_servers.a]\ncommand = "b"\n',
    );
  });

  test("edits servers written as inline tables under [mcp_servers]", () => {
    const text =
      '[mcp_servers]\n# one\na = { command = "x", args = ["1"] }\nb = { url = "https://b" } # two\n';
    expect(edit(text, [{ path: ["mcp_servers", "a", "args"], value: ["2"] }])).toBe(
      '[mcp_servers]\n# one\na = { command = "x", args = ["2"] }\nb = { url = "https://b" } # two\n',
    );
    expect(edit(text, [{ path: ["mcp_servers", "b"], remove: true }])).toBe(
      '[mcp_servers]\n# one\na = { command = "x", args = ["1"] }\n',
    );
    const added = edit(text, [{ path: ["mcp_servers", "c"], value: { command: "c" } }]);
    expect(added).toBe(`${text}\n[mcp_servers.c]\ncommand = "c"\n`);
  });

  test("edits servers written with dotted keys", () => {
    const text = '[mcp_servers]\na.command = "x"\na.env.K = "v"\n\n[tui]\nx = 1\n';
    expect(edit(text, [{ path: ["mcp_servers", "a", "env", "L"], value: "w" }])).toBe(
      '[mcp_servers]\na.command = "x"\na.env.K = "v"\na.env.L = "w"\n\n[tui]\nx = 1\n',
    );
    expect(edit(text, [{ path: ["mcp_servers", "a"], remove: true }])).toBe(
      "[mcp_servers]\n\n[tui]\nx = 1\n",
    );
  });

  test("adds a root setting before the first section", () => {
    expect(edit("[a]\nx = 1\n", [{ path: ["model"], value: "o3" }])).toBe('model = "o3"\n\n[a]\nx = 1\n');
    expect(edit('model = "o3"\n\n[a]\nx = 1\n', [{ path: ["approval_policy"], value: "never" }])).toBe(
      'model = "o3"\napproval_policy = "never"\n\n[a]\nx = 1\n',
    );
  });

  test("adds a key to a table that only exists through its sub-tables", () => {
    const text = '[mcp_servers.a]\ncommand = "a"\n';
    const out = edit(text, [{ path: ["mcp_servers", "enabled"], value: true }]);
    expect(out).toBe(`${text}\n[mcp_servers]\nenabled = true\n`);
  });

  test("replaces a table with a plain value and a plain value with a table", () => {
    const text = '[mcp_servers.a]\ncommand = "a"\n[mcp_servers.a.env]\nK = "v"\n';
    expect(edit(text, [{ path: ["mcp_servers", "a", "env"], value: "oops" }])).toBe(
      '[mcp_servers.a]\ncommand = "a"\nenv = "oops"\n',
    );
    expect(edit('[s]\nenv = "x"\n', [{ path: ["s", "env", "K"], value: "v" }])).toBe(
      '[s]\nenv = { K = "v" }\n',
    );
  });

  test("a whole server set over an existing one changes only the keys that differ", () => {
    const out = edit(CONFIG, [
      {
        path: ["mcp_servers", "docs"],
        value: {
          command: "npx",
          args: ["-y", "docs-mcp"],
          startup_timeout_sec: 30,
          env: { API_KEY: "literal-key" },
        },
      },
    ]);
    expect(out).toBe(CONFIG.replace("startup_timeout_sec = 20", "startup_timeout_sec = 30"));
  });

  test("writes numbers, booleans, escapes and non-ASCII text", () => {
    const value = {
      command: 'a "quoted" \\ path',
      args: ["tab\there", "nl\nhere", "bell\u0007", "del\u007f", "ünïcødé ✓", "😀"],
      n: 3,
      f: 0.25,
      big: 2 ** 60,
      on: false,
      e: 1e-7,
    };
    const out = edit("", [{ path: ["mcp_servers", "x"], value }]);
    expect(out).toContain('command = "a \\"quoted\\" \\\\ path"');
    expect(out).toContain("\\u0007");
    expect(out).toContain("ünïcødé ✓");
    expect(out).toContain("f = 0.25\n");
    expect(out).toContain("n = 3\n");
    expect(smolParse(out)).toEqual({ mcp_servers: { x: value } });
  });

  test("keeps an array of tables and edits around it", () => {
    const text = '[[rules]]\nname = "a"\n\n[[rules]]\nname = "b"\n\n[mcp_servers.a]\ncommand = "a"\n';
    expect(edit(text, [{ path: ["mcp_servers", "a", "command"], value: "z" }])).toBe(
      text.replace('command = "a"', 'command = "z"'),
    );
    expect(edit(text, [{ path: ["rules", 1, "name"], value: "c" }])).toBe(
      text.replace('name = "b"', 'name = "c"'),
    );
  });

  test("rejects values TOML cannot hold", () => {
    expect(() => toml.edit("", [{ path: ["a"], value: null }], "f")).toThrow(TypeError);
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests.

const keyArb = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/),
  fc.string({ minLength: 1, maxLength: 8 }).filter((s) => s !== "__proto__"),
);
const strArb = fc.string({ maxLength: 12, unit: "binary" }).filter((s) => s.isWellFormed());
const scalarArb = fc.oneof(
  strArb,
  fc.integer(),
  fc.boolean(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const serverArb = fc.record(
  {
    command: strArb,
    args: fc.array(strArb, { maxLength: 4 }),
    env: fc.dictionary(keyArb, strArb, { maxKeys: 3 }),
    enabled: fc.boolean(),
    tool_timeout_sec: fc.double({ min: 0, max: 1e6, noNaN: true }),
    tools: fc.dictionary(keyArb, fc.record({ approval_mode: fc.constantFrom("auto", "prompt") }), {
      maxKeys: 2,
    }),
    extra: fc.dictionary(keyArb, scalarArb, { maxKeys: 2 }),
  },
  { requiredKeys: ["command"] },
);
const serversArb = fc.dictionary(keyArb, serverArb, { maxKeys: 5 });

function normalizeZero(x: unknown): unknown {
  if (typeof x === "number") return x === 0 ? 0 : x;
  if (Array.isArray(x)) return x.map(normalizeZero);
  if (x && typeof x === "object")
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, normalizeZero(v)]));
  return x;
}

describe("toml.edit properties", () => {
  test("for any servers, writing them then parsing gives the same values", () => {
    fc.assert(
      fc.property(serversArb, (servers) => {
        const edits: Edit[] = Object.entries(servers).map(([n, s]) => ({
          path: ["mcp_servers", n],
          value: s,
        }));
        const out = toml.edit("", edits, "f");
        const back = toml.parse(out, "f") as { mcp_servers?: unknown } | undefined;
        expect(normalizeZero(back?.mcp_servers ?? {})).toEqual(normalizeZero(servers));
      }),
      { numRuns: 300 },
    );
  });

  test("for any servers added to a real file, the rest of the file keeps every byte", () => {
    fc.assert(
      fc.property(serversArb, (servers) => {
        const fresh = Object.fromEntries(
          Object.entries(servers).filter(([n]) => n !== "docs" && n !== "web"),
        );
        const edits: Edit[] = Object.entries(fresh).map(([n, s]) => ({ path: ["mcp_servers", n], value: s }));
        const out = toml.edit(CONFIG, edits, "f");
        const back = toml.parse(out, "f") as { mcp_servers: Record<string, unknown> };
        for (const [n, s] of Object.entries(fresh))
          expect(normalizeZero(back.mcp_servers[n])).toEqual(normalizeZero(s));
        // Removing them again gives the original file back.
        const removed = toml.edit(
          out,
          Object.keys(fresh).map((n) => ({ path: ["mcp_servers", n], remove: true as const })),
          "f",
        );
        expect(removed).toBe(CONFIG);
      }),
      { numRuns: 200 },
    );
  });

  test("any key edited in a server keeps the other lines", () => {
    const lines = CONFIG.split("\n");
    fc.assert(
      fc.property(fc.constantFrom("command", "startup_timeout_sec", "cwd"), scalarArb, (key, value) => {
        const out = toml.edit(CONFIG, [{ path: ["mcp_servers", "docs", key], value }], "f");
        const outLines = new Set(out.split("\n"));
        for (const l of lines) if (!l.startsWith(`${key} =`)) expect(outLines.has(l)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  test("for any file in any style, diffing to other servers writes exactly those servers", () => {
    type S = { command: string; args?: string[]; env?: Record<string, string>; enabled?: boolean };
    const srv = fc.record(
      {
        command: strArb,
        args: fc.array(strArb, { maxLength: 3 }),
        env: fc.dictionary(keyArb, strArb, { maxKeys: 3 }),
        enabled: fc.boolean(),
      },
      { requiredKeys: ["command"] },
    ) as fc.Arbitrary<S>;
    const styled = fc.record({
      servers: fc.dictionary(keyArb, srv, { maxKeys: 4 }),
      envAsSection: fc.boolean(),
      multiline: fc.boolean(),
      crlf: fc.boolean(),
      comments: fc.boolean(),
    });
    // A TOML basic string: JSON's escapes, and DEL (which JSON leaves raw) escaped too.
    const str = (x: string) => JSON.stringify(x).replace(/\u007f/g, "\\u007f");
    const q = (k: string) => (/^[A-Za-z0-9_-]+$/.test(k) ? k : str(k));
    const render = (s: {
      servers: Record<string, S>;
      envAsSection: boolean;
      multiline: boolean;
      crlf: boolean;
      comments: boolean;
    }) => {
      const nl = s.crlf ? "\r\n" : "\n";
      const out: string[] = ['model = "o3"', ""];
      for (const [n, v] of Object.entries(s.servers)) {
        if (s.comments) out.push(`# server ${n.replace(/[\r\n]/g, "")}`);
        out.push(`[mcp_servers.${q(n)}]`, `command = ${str(v.command)}  ${s.comments ? "# run" : ""}`);
        if (v.args) {
          if (s.multiline) out.push("args = [", ...v.args.map((a) => `    ${str(a)},`), "]");
          else out.push(`args = [${v.args.map((a) => str(a)).join(", ")}]`);
        }
        if (v.enabled !== undefined) out.push(`enabled = ${v.enabled}`);
        if (v.env && !s.envAsSection) {
          out.push(
            `env = { ${Object.entries(v.env)
              .map(([k, x]) => `${q(k)} = ${str(x)}`)
              .join(", ")} }`,
          );
        }
        out.push("");
        if (v.env && s.envAsSection) {
          out.push(
            `[mcp_servers.${q(n)}.env]`,
            ...Object.entries(v.env).map(([k, x]) => `${q(k)} = ${str(x)}`),
            "",
          );
        }
      }
      out.push("[tui]", "notifications = true", "");
      return out.join(nl);
    };
    fc.assert(
      fc.property(styled, fc.dictionary(keyArb, srv, { maxKeys: 4 }), (before, target) => {
        const text = render(before);
        const doc = toml.parse(text, "f") as { mcp_servers?: Record<string, unknown> };
        expect(normalizeZero(doc.mcp_servers ?? {})).toEqual(normalizeZero(before.servers));
        // A no-op diff keeps every byte.
        expect(toml.edit(text, diffEdits(["mcp_servers"], doc.mcp_servers, doc.mcp_servers), "f")).toBe(text);
        // Mix: keep some names, change others.
        const after: Record<string, S> = {};
        for (const [n, v] of Object.entries(before.servers)) if (n.length % 2 === 0) after[n] = v;
        Object.assign(after, target);
        const out = toml.edit(text, diffEdits(["mcp_servers"], doc.mcp_servers ?? {}, after), "f");
        const back = toml.parse(out, "f") as {
          mcp_servers?: Record<string, unknown>;
          tui?: unknown;
          model?: unknown;
        };
        expect(normalizeZero(back.mcp_servers ?? {})).toEqual(normalizeZero(after));
        expect(back.tui).toEqual({ notifications: true });
        expect(back.model).toBe("o3");
        if (before.crlf) expect(out.replace(/\r\n/g, "")).not.toContain("\n");
      }),
      { numRuns: 400 },
    );
  });
});

describe("toml arrays of tables (Mistral Vibe [[mcp_servers]])", () => {
  const vibe = `# Vibe
active_model = "devstral-2"

[[mcp_servers]]
name = "fetch" # fetcher
transport = "stdio"
command = "uvx"

# the remote one
[[mcp_servers]]
name = "gh"
transport = "http"
url = "https://x.dev/mcp"

[tools.bash]
permission = "ask"
`;
  test("edits a key inside one item and keeps every other byte", () => {
    const out = toml.edit(vibe, [{ path: ["mcp_servers", 1, "url"], value: "https://y.dev/mcp" }], "v");
    expect(out).toBe(vibe.replace("https://x.dev/mcp", "https://y.dev/mcp"));
  });
  test("appends an item at index == length as a [[…]] section after the last item", () => {
    const out = toml.edit(
      vibe,
      [
        {
          path: ["mcp_servers", 2],
          value: { name: "new", transport: "stdio", command: "npx", env: { A: "1" } },
        },
      ],
      "v",
    );
    expect(out).toBe(
      vibe.replace(
        'url = "https://x.dev/mcp"\n',
        'url = "https://x.dev/mcp"\n\n[[mcp_servers]]\nname = "new"\ntransport = "stdio"\ncommand = "npx"\nenv = { A = "1" }\n',
      ),
    );
  });
  test("creates the array of tables in a file without one", () => {
    const out = toml.edit(
      'model = "x"\n',
      [
        { path: ["mcp_servers", 0], value: { name: "a", command: "b" } },
        { path: ["mcp_servers", 1], value: { name: "c", url: "https://c.dev" } },
      ],
      "v",
    );
    expect(out).toBe(
      'model = "x"\n\n[[mcp_servers]]\nname = "a"\ncommand = "b"\n\n[[mcp_servers]]\nname = "c"\nurl = "https://c.dev"\n',
    );
  });
  test("removes items by their index in the parse, with their attached comment", () => {
    const out = toml.edit(vibe, [{ path: ["mcp_servers", 1], remove: true }], "v");
    expect(out).toBe(
      vibe.replace(
        '# the remote one\n[[mcp_servers]]\nname = "gh"\ntransport = "http"\nurl = "https://x.dev/mcp"\n\n',
        "",
      ),
    );
  });
  test("removing every item leaves no mcp_servers key", () => {
    const out = toml.edit(
      vibe,
      [
        { path: ["mcp_servers", 1], remove: true },
        { path: ["mcp_servers", 0], remove: true },
      ],
      "v",
    );
    expect(toml.parse(out, "v")).toEqual({
      active_model: "devstral-2",
      tools: { bash: { permission: "ask" } },
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The check of pure additions: only the inserted text is parsed (see toml.ts). Random Codex-like
// files, random edits: whichever way the result was checked, smol-toml's parse of the whole result
// must be the expected document, and the lines the edits do not touch must keep every byte.

describe("toml.edit: pure additions checked by the inserted text alone", () => {
  type Server = {
    command?: string;
    args?: string[];
    env?: Record<string, string>;
    enabled?: boolean;
    startup_timeout_sec?: number;
    tool_timeout_sec?: number;
    tools?: Record<string, { approval_mode: string }>;
  };
  /** How a server is written in the original file. */
  type Style = "section" | "sectionEnvTable" | "inline" | "dotted";
  type Layout = {
    servers: [string, Server, Style][];
    /** An `[mcp_servers]` header: inline and dotted servers live under it (else they get sections). */
    mcpHeader: boolean;
    /** Every server written with dotted keys at the root (`mcp_servers.a.command = …`). */
    rootDotted: boolean;
    tables: string[];
    order: number[];
    comments: boolean[];
    blanks: number[];
    crlf: boolean;
    finalNewline: boolean;
    bom: boolean;
    empty: boolean;
    trailingComment: boolean;
  };
  /** Lines of the original, each with the server it belongs to (removed or rewritten with it). */
  type Chunk = { lines: string[]; owners: (string | undefined)[] };

  const rarely = fc.constantFrom(false, false, false, true);
  const textArb = fc.string({
    unit: fc.constantFrom(...Array.from("ab z.#[]=\"'\\\tNé😀-_1{},\n")),
    maxLength: 8,
  });
  const nameArb = fc.oneof(
    fc.stringMatching(/^[a-z][a-z0-9_-]{0,5}$/),
    fc.constantFrom("a.b", "with space", "é", "1", 'x"y', "[z]", "#", "C:\\x"),
  );
  const keyArb = fc.oneof(fc.stringMatching(/^[A-Z][A-Z_]{0,4}$/), fc.constantFrom("a.b", "x y", "é"));
  const serverArb: fc.Arbitrary<Server> = fc.record(
    {
      command: textArb,
      args: fc.array(textArb, { maxLength: 4 }),
      env: fc.dictionary(keyArb, textArb, { maxKeys: 3 }),
      enabled: fc.boolean(),
      startup_timeout_sec: fc.integer({ min: -5, max: 100000 }),
      tool_timeout_sec: fc.double({ min: 0.5, max: 1e6, noNaN: true }),
      tools: fc.dictionary(nameArb, fc.record({ approval_mode: fc.constantFrom("auto", "prompt") }), {
        maxKeys: 2,
      }),
    },
    { requiredKeys: [] },
  );
  const styleArb = fc.constantFrom<Style>("section", "section", "sectionEnvTable", "inline", "dotted");
  const twenty = <T>(a: fc.Arbitrary<T>) => fc.array(a, { minLength: 20, maxLength: 20 });
  const layoutArb: fc.Arbitrary<Layout> = fc
    .record({
      servers: fc.uniqueArray(fc.tuple(nameArb, serverArb, styleArb), { maxLength: 5, selector: ([n]) => n }),
      mcpHeader: fc.boolean(),
      rootDotted: rarely,
      tables: fc.subarray([
        "profiles.fast",
        "tui",
        "sandbox_workspace_write",
        "[notify]",
        "[notify]",
        "history",
      ]),
      order: twenty(fc.nat()),
      comments: twenty(fc.boolean()),
      blanks: twenty(fc.nat({ max: 2 })),
      crlf: fc.boolean(),
      finalNewline: fc.boolean(),
      bom: rarely,
      empty: rarely,
      trailingComment: fc.boolean(),
    })
    .map((l) => ({ ...l, rootDotted: l.rootDotted && l.servers.length > 0 }));

  const q = (k: string) => (/^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k));
  const inlineValue = (v: unknown): string => {
    if (typeof v === "string") return JSON.stringify(v);
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    if (Array.isArray(v)) return `[${v.map(inlineValue).join(", ")}]`;
    const entries = Object.entries(v as Record<string, unknown>);
    return entries.length ? `{ ${entries.map(([k, x]) => `${q(k)} = ${inlineValue(x)}`).join(", ")} }` : "{}";
  };

  /** One server's lines in its style; `root`: dotted keys at the root (else under `[mcp_servers]`). */
  function serverLines(name: string, v: Server, style: Style, root = false): string[] {
    const head = root ? `mcp_servers.${q(name)}` : q(name);
    if (style === "inline") return [`${head} = ${inlineValue(v)}`];
    if (style === "dotted") {
      const out: string[] = [];
      for (const [k, x] of Object.entries(v)) {
        if (k === "tools" || k === "env") {
          for (const [t, y] of Object.entries(x as Record<string, unknown>))
            out.push(`${head}.${k}.${q(t)} = ${inlineValue(y)}`);
        } else out.push(`${head}.${k} = ${inlineValue(x)}`);
      }
      return out.length ? out : [`${head} = {}`];
    }
    // Sections: a multi-line array with a comment, and a multi-line string whose lines look like
    // headers and comments, at the end of the section (where new sections go).
    const out = [`[mcp_servers.${q(name)}]`];
    for (const [k, x] of Object.entries(v)) {
      if (k === "tools" || (k === "env" && style === "sectionEnvTable")) continue;
      if (k === "args" && Array.isArray(x) && x.length > 1)
        out.push(
          "args = [",
          ...x.map((a, i) => `  ${JSON.stringify(a)},${i === 0 ? "   # first" : ""}`),
          "]",
        );
      else out.push(`${k} = ${inlineValue(x)}`);
    }
    if (name.length % 2 === 0) out.push('notes = """', "[mcp_servers.fake]", "# not a comment", 'x = 1"""');
    else out.push("notes = '''", "[[fake]]", "'''");
    if (style === "sectionEnvTable" && v.env) {
      out.push("", `[mcp_servers.${q(name)}.env]`);
      for (const [k, x] of Object.entries(v.env)) out.push(`${q(k)} = ${JSON.stringify(x)}`);
    }
    for (const [t, y] of Object.entries(v.tools ?? {}))
      out.push(
        "",
        `[mcp_servers.${q(name)}.tools.${q(t)}]`,
        `approval_mode = ${JSON.stringify(y.approval_mode)}`,
      );
    return out;
  }

  function render(l: Layout): { text: string; lines: string[]; owners: (string | undefined)[] } {
    const root: Chunk = { lines: [], owners: [] };
    const chunks: Chunk[] = [];
    const add = (c: Chunk, line: string, owner?: string) => {
      c.lines.push(line);
      c.owners.push(owner);
    };
    if (!l.empty) {
      for (const line of [
        "# Codex settings",
        'model = "o3"   # default',
        "features.web_search = true",
        "limits = { a = 1, b = [1, 2] }",
        "since = 2024-01-02",
      ])
        add(root, line);
      for (const t of l.tables) {
        const c: Chunk = { lines: [], owners: [] };
        add(c, `[${t}]`);
        add(c, t.startsWith("[") ? 'command = "notify-send"' : "enabled = true");
        chunks.push(c);
      }
    }
    const header: Chunk = { lines: [], owners: [] };
    add(header, "[mcp_servers]");
    for (const [n, v, style] of l.servers) {
      if (l.rootDotted) for (const line of serverLines(n, v, "dotted", true)) add(root, line, n);
      else if ((style === "inline" || style === "dotted") && l.mcpHeader)
        for (const line of serverLines(n, v, style)) add(header, line, n);
      else {
        const c: Chunk = { lines: [], owners: [] };
        const sectionStyle = style === "inline" || style === "dotted" ? "section" : style;
        for (const line of serverLines(n, v, sectionStyle)) add(c, line, n);
        chunks.push(c);
      }
    }
    if (l.mcpHeader && !l.rootDotted) chunks.push(header);
    // The tables in any order (servers before, after and between them), with blank lines and
    // comments: a comment right above a header goes with it.
    const order = chunks.map((_, i) => i).sort((a, b) => (l.order[a] ?? 0) - (l.order[b] ?? 0) || a - b);
    const all: Chunk = { lines: [...root.lines], owners: [...root.owners] };
    order.forEach((ci, i) => {
      const c = chunks[ci] as Chunk;
      if (all.lines.length > 0) for (let b = 0; b < (l.blanks[i] ?? 0); b++) add(all, "");
      if (l.comments[i]) add(all, `# about ${c.lines[0]}`, c.owners[0]);
      c.lines.forEach((line, j) => {
        add(all, line, c.owners[j]);
      });
    });
    // A comment after the last section goes with it.
    if (l.trailingComment && all.lines.length > 0) add(all, "# the end", all.owners[all.owners.length - 1]);
    const eol = l.crlf ? "\r\n" : "\n";
    let text = all.lines.join(eol);
    if (l.finalNewline && all.lines.length > 0) text += eol;
    if (l.bom) text = `\uFEFF${text}`;
    return { text, lines: all.lines, owners: all.owners };
  }

  /** A parsed value as plain data: ordinary objects, dates as text, no -0, no empty tables. */
  function norm(x: unknown): unknown {
    if (x instanceof Date) return x.toISOString();
    if (typeof x === "number") return x === 0 ? 0 : x;
    if (Array.isArray(x)) return x.map(norm);
    if (x && typeof x === "object") {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(x)) {
        const n = norm(v);
        if (
          n === undefined ||
          (n && typeof n === "object" && !Array.isArray(n) && Object.keys(n).length === 0)
        )
          continue;
        o[k] = n;
      }
      return o;
    }
    return x;
  }

  /** Edits a rendered layout; checks the whole result with smol-toml and the untouched lines. */
  function run(layout: Layout, adds: [string, Server][], changes: [number, Server | null][]) {
    const { text, lines, owners } = render(layout);
    const before = smolParse(text) as Record<string, unknown>;
    const existing = layout.servers.map(([n]) => n);
    const edits: Edit[] = [];
    const touched = new Set<string>();
    for (const [n, v] of adds) if (!existing.includes(n)) edits.push({ path: ["mcp_servers", n], value: v });
    for (const [i, v] of changes) {
      const n = existing[i % Math.max(1, existing.length)];
      if (n === undefined) continue;
      touched.add(n);
      edits.push(v ? { path: ["mcp_servers", n], value: v } : { path: ["mcp_servers", n], remove: true });
    }
    const { text: out, check } = editTomlChecked(text, edits, "config.toml");
    const expected = norm(before) as Record<string, Record<string, unknown>>;
    for (const e of edits) {
      const name = e.path[1] as string;
      if ("remove" in e) delete expected.mcp_servers?.[name];
      else {
        expected.mcp_servers ??= {};
        expected.mcp_servers[name] = e.value as Record<string, unknown>;
      }
    }
    expect(norm(smolParse(out))).toEqual(norm(expected));
    // Untouched lines keep every byte, in order.
    const outLines = out.replace(/^\uFEFF/, "").split(/\r?\n/);
    let j = 0;
    lines.forEach((line, i) => {
      const owner = owners[i];
      if (line.trim() === "" || (owner !== undefined && touched.has(owner))) return;
      while (j < outLines.length && outLines[j] !== line) j++;
      expect(outLines[j]).toBe(line);
      j++;
    });
    if (layout.crlf && lines.length > 1) expect(out.replace(/\r\n/g, "")).not.toContain("\n");
    if (layout.bom) expect(out.startsWith("\uFEFF")).toBe(true);
    return { edits, check };
  }

  test("adding servers to any Codex-like file: only the new sections are parsed, and that is exact", () => {
    let byFragment = 0;
    fc.assert(
      fc.property(layoutArb, fc.array(fc.tuple(nameArb, serverArb), { maxLength: 5 }), (layout, adds) => {
        const { edits, check } = run(layout, adds, []);
        if (edits.length === 0) expect(check).toBe("none");
        else if (!layout.rootDotted) {
          // (Servers written with dotted keys at the root get dotted keys, not sections.)
          expect(check).toBe("added");
          byFragment++;
        }
      }),
      { numRuns: 400 },
    );
    expect(byFragment).toBeGreaterThan(100);
  });

  test("any mix of adds, replacements and removals reads back exactly, whichever check ran", () => {
    fc.assert(
      fc.property(
        layoutArb,
        fc.array(fc.tuple(nameArb, serverArb), { maxLength: 3 }),
        fc.array(fc.tuple(fc.nat(), fc.option(serverArb, { nil: null })), { maxLength: 3 }),
        (layout, adds, changes) => {
          run(layout, adds, changes);
        },
      ),
      { numRuns: 400 },
    );
  });

  test("the cached parse of the original is never changed, by the caller or by edits", () => {
    const text = 'model = "o3"\n\n[mcp_servers.a]\ncommand = "x"\n';
    const doc = toml.parse(text, "f") as { mcp_servers: Record<string, unknown> };
    // Changing what parse handed out changes nothing the next edit reads.
    (doc.mcp_servers.a as Record<string, unknown>).command = "changed";
    delete doc.mcp_servers.a;
    const out = toml.edit(text, [{ path: ["mcp_servers", "b"], value: { command: "y" } }], "f");
    expect(out).toBe(`${text}\n[mcp_servers.b]\ncommand = "y"\n`);
    // Nor does an edit change it.
    const edits: Edit[] = [
      { path: ["mcp_servers", "a", "command"], value: "z" },
      { path: ["mcp_servers", "a", "env"], value: { A: "1" } },
      { path: ["model"], remove: true },
    ];
    expect(toml.edit(text, edits, "f")).toBe('\n[mcp_servers.a]\ncommand = "z"\nenv = { A = "1" }\n');
    expect(toml.parse(text, "f")).toEqual({ model: "o3", mcp_servers: { a: { command: "x" } } });
    expect(toml.edit(text, edits, "f")).toBe('\n[mcp_servers.a]\ncommand = "z"\nenv = { A = "1" }\n');
  });
});

// ---------------------------------------------------------------------------------------------
// fastRead (toml-read.ts): the check of pure additions reads the emitter's own TOML without
// smol-toml. Whatever it returns must be what smol-toml returns; when unsure it returns undefined.

describe("fastRead", () => {
  /** A value as plain data that tells apart what toStrictEqual does not: key order, prototypes, -0. */
  function shape(x: unknown): unknown {
    if (typeof x === "number") return Object.is(x, -0) ? "number -0" : `number ${x}`;
    if (typeof x !== "object" || x === null) return `${typeof x} ${String(x)}`;
    if (Array.isArray(x)) return x.map(shape);
    if (x instanceof Date) return `date ${x.toISOString()}`;
    const t = x as Record<string, unknown>;
    return {
      prototype: Object.getPrototypeOf(x) === null ? null : "some",
      entries: Object.keys(t).map((k) => [k, shape(t[k])]),
    };
  }
  function expectSame(fast: unknown, smol: unknown) {
    expect(fast).toStrictEqual(smol);
    expect(shape(fast)).toEqual(shape(smol));
  }
  /** fastRead reads `text`, with LF and with CRLF line ends, as smol-toml reads it. */
  function expectReadsAsSmol(text: string) {
    const smol = smolParse(text);
    expectSame(fastRead(text), smol);
    expectSame(fastRead(text.replaceAll("\n", "\r\n")), smol);
  }
  /** smol-toml's parse, or undefined when it throws. */
  function smolOrUndefined(text: string): unknown {
    try {
      return smolParse(text);
    } catch {
      return undefined;
    }
  }

  // Server-like tables with the values the emitter meets, and some it writes in ways the reader
  // refuses (nan, inf, big integers, multi-line arrays, arrays of tables, nested inline tables).
  const oddNumber = fc.constantFrom(
    -0,
    0.1,
    -1.5e-7,
    1e21,
    2 ** 53,
    2 ** 53 - 1,
    -(2 ** 53),
    123456789012345,
    1234567890123456,
    5e-324,
    Number.MAX_VALUE,
    Number.NaN,
    Number.POSITIVE_INFINITY,
  );
  const valueArb: fc.Arbitrary<unknown> = fc.oneof(
    { weight: 6, arbitrary: scalarArb },
    { weight: 1, arbitrary: oddNumber },
    { weight: 2, arbitrary: fc.array(fc.oneof(scalarArb, oddNumber), { maxLength: 4 }) },
    // Long enough to be written one item a line (kvLine: past SHORT_LINE columns).
    { weight: 1, arbitrary: fc.array(strArb, { minLength: 5, maxLength: 9 }) },
    {
      weight: 2,
      arbitrary: fc.dictionary(keyArb, fc.oneof(scalarArb, fc.array(strArb, { maxLength: 2 })), {
        maxKeys: 3,
      }),
    },
    { weight: 1, arbitrary: fc.array(fc.dictionary(keyArb, scalarArb, { maxKeys: 2 }), { maxLength: 2 }) },
    {
      weight: 1,
      arbitrary: fc.dictionary(keyArb, fc.dictionary(keyArb, scalarArb, { maxKeys: 2 }), { maxKeys: 2 }),
    },
  );
  const tableArb = fc.oneof(
    { weight: 3, arbitrary: serverArb as fc.Arbitrary<Record<string, unknown>> },
    { weight: 1, arbitrary: fc.dictionary(keyArb, valueArb, { maxKeys: 5 }) },
  );
  const fragmentArb = fc
    .record({
      tables: fc.array(fc.tuple(keyArb, tableArb), { minLength: 1, maxLength: 4 }),
      parent: fc.constantFrom("mcp_servers", "a.b", '"x y".z'),
      crlf: fc.boolean(),
      blankFirst: fc.boolean(),
    })
    .map(({ tables, parent, crlf, blankFirst }) => {
      const eol = crlf ? "\r\n" : "\n";
      const depth = parent.split(".").length + 1;
      // As editTomlChecked puts them together: sections separated by a blank line.
      const sections = tables.map(([n, t]) => sectionsOf(depth, `${parent}.${tomlKey(n)}`, t, eol, "  "));
      return (blankFirst ? eol : "") + sections.join(eol);
    });

  /**
   * Reads 2,000 texts of `arb` with both readers: whatever the fast reader returns, smol-toml
   * returns too, the same; the share of texts it reads (not declines).
   */
  function readShare(arb: fc.Arbitrary<string>): number {
    let read = 0;
    let runs = 0;
    fc.assert(
      fc.property(arb, (text) => {
        runs++;
        const smol = smolOrUndefined(text);
        const fast = fastRead(text);
        if (fast === undefined) return;
        read++;
        expect(smol).toBeDefined();
        expectSame(fast, smol);
      }),
      { numRuns: 2000 },
    );
    return read / runs;
  }

  test("reads what the emitter writes as smol-toml does, or declines", () => {
    // The fast path is the common one, not a reader that always declines.
    expect(readShare(fragmentArb)).toBeGreaterThan(1 / 2);
  });

  const pieces = [
    '"',
    "\\",
    "=",
    " = ",
    "[",
    "]",
    "[[",
    ",",
    ", ",
    "#",
    "\n",
    "\r",
    "\r\n",
    "\u0000",
    "\u0001",
    "\t",
    "\u007f",
    "\u001f",
    ".",
    " ",
    "{",
    "}",
    "{ a = 1 }",
    "'",
    '"""',
    "-",
    "+",
    "_",
    "0",
    "1",
    "e",
    "e+",
    "inf",
    "nan",
    "true",
    "\\u",
    "\\uD800",
    "\\uDFFF",
    "\\u00e9",
    "\\U0001F600",
    "\\x41",
    "\\e",
    "\\/",
    "\\n",
    "\\t",
    "\\b",
    "1979-05-27",
    "a",
    "é",
    "\uFEFF",
    "\ud83d",
  ];
  const valuePieces = [
    "-0",
    "-",
    "0",
    "00",
    "-0.0",
    "1e5",
    "1E5",
    "1_0",
    ".5",
    "+1",
    "99999999999999999",
    "-9",
  ];
  /** Where an insertion goes: anywhere, just after a ` = ` or a `[` or a `, `, or a whole line copied. */
  type Mutation = {
    mode: "anywhere" | "token" | "line";
    at: number;
    to: number;
    remove: number;
    insert: string;
    value: string;
  };
  const mutationArb: fc.Arbitrary<Mutation[]> = fc.array(
    fc.record({
      mode: fc.constantFrom("anywhere", "anywhere", "token", "line"),
      at: fc.nat(),
      to: fc.nat(),
      remove: fc.nat({ max: 3 }),
      insert: fc.constantFrom("", ...pieces),
      value: fc.constantFrom(...valuePieces),
    }),
    { minLength: 1, maxLength: 4 },
  );
  function mutate(text: string, { mode, at, to, remove, insert, value }: Mutation): string {
    if (mode === "line") {
      const lines = text.split("\n");
      const line = lines[at % lines.length] as string;
      lines.splice(to % (lines.length + 1), 0, line);
      return lines.join("\n");
    }
    let i = at % (text.length + 1);
    if (mode === "token") {
      // A number's spelling in place of (the start of) a value.
      const spots = [...text.matchAll(/ = |\[|, /g)].map((m) => m.index + m[0].length);
      if (spots.length > 0) i = spots[at % spots.length] as number;
      return text.slice(0, i) + value + text.slice(i + remove);
    }
    return text.slice(0, i) + insert + text.slice(i + remove);
  }

  test("a mutated fragment is read as smol-toml reads it, or declined; never read when smol-toml refuses", () => {
    let refused = 0;
    let readMutated = 0;
    fc.assert(
      fc.property(fragmentArb, mutationArb, (original, mutations) => {
        let text = original;
        for (const m of mutations) text = mutate(text, m);
        const smol = smolOrUndefined(text);
        const fast = fastRead(text);
        if (smol === undefined) {
          refused++;
          expect(fast).toBeUndefined();
        } else if (fast !== undefined) {
          readMutated++;
          expectSame(fast, smol);
        }
      }),
      { numRuns: 3000 },
    );
    // Both sides are exercised: texts smol-toml refuses, and changed texts the reader still reads.
    expect(refused).toBeGreaterThan(300);
    expect(readMutated).toBeGreaterThan(100);
  });

  // A person's comments, as Codex's own file has them after a sync: whole lines (indented or not,
  // blank lines of spaces), and after a header or a value, with or without blanks before `#`.
  const commentArb = fc.constantFrom(
    "#",
    "# note",
    "#\tx = 1",
    '# "quoted" [x] = 2',
    "# é ✓",
    "#]#",
    "# a = {",
  );
  const commentedArb = fc
    .record({
      text: fragmentArb,
      spots: fc.array(fc.tuple(fc.nat(), fc.constantFrom("line", "after", "indented", "blank"), commentArb), {
        minLength: 1,
        maxLength: 5,
      }),
    })
    .map(({ text, spots }) => {
      const lines = text.split("\n");
      for (const [at, how, c] of spots) {
        const i = at % lines.length;
        const line = lines[i] as string;
        if (how === "after")
          lines[i] = line.endsWith("\r") ? `${line.slice(0, -1)} ${c}\r` : `${line}${at % 2 ? " " : ""}${c}`;
        else lines.splice(i, 0, how === "line" ? c : how === "indented" ? `  \t${c}` : "   ");
      }
      return lines.join("\n");
    });

  test("reads a person's comments as smol-toml does (they mean nothing), or declines", () => {
    expect(readShare(commentedArb)).toBeGreaterThan(1 / 3);
  });

  test("reads a commented Codex file, and declines comments it cannot vouch for", () => {
    const file = [
      "# Codex settings",
      'model = "o3"',
      'approval_policy = "on-request" # ask first',
      "   ",
      "  # an indented note",
      "[profiles.fast] # quick",
      'model = "o4-mini"#no blank before it',
      "",
      "[mcp_servers.github]",
      'command = "npx" # "quoted" # twice',
      'args = ["-y", "#not-a-comment"] #',
      'env = { TOKEN = "a # b" }\t# tab before it',
      "",
    ].join("\n");
    expectReadsAsSmol(file);
    // Controls other than tab: smol-toml refuses them in a comment, so the reader declines.
    for (const bad of ["# a\u0001b", "b = 1 # \u007f", "# \u001f"]) {
      expect(smolOrUndefined(`[a]\n${bad}\n`)).toBeUndefined();
      expect(fastRead(`[a]\n${bad}\n`)).toBeUndefined();
    }
    // What the reader does not read: a key or header after blanks, a comment inside a long array.
    expect(fastRead("[a]\n  b = 1\n")).toBeUndefined();
    expect(fastRead("  [a]\nb = 1\n")).toBeUndefined();
    expect(fastRead("[a]\nb = [\n  1, # one\n]\n")).toBeUndefined();
    expect(fastRead("[a]\nb = [\n  1,\n] # done\n")).toBeUndefined();
    // A value followed by anything but a comment.
    expect(fastRead('[a]\nb = "x" y # z\n')).toBeUndefined();
    expect(fastRead("[a] x # z\n")).toBeUndefined();
  });

  test("reads the sections of a plain sync, and declines what it does not know", () => {
    const text =
      "\n" +
      Array.from({ length: 3 }, (_, i) =>
        sectionsOf(
          2,
          `mcp_servers.srv-${i}`,
          { command: "npx", args: ["-y", `@x/s${i}`], env: { LOG_LEVEL: "info" }, startup_timeout_sec: 20 },
          "\n",
          "  ",
        ),
      ).join("\n");
    expectReadsAsSmol(text);
    expectSame(fastRead("[a]\nb = 1 # note\n"), smolParse("[a]\nb = 1 # note\n"));
    // A long array as kvLine lays it out is read; other layouts of one are left to smol-toml.
    for (const t of ["[a]\nb = [\n  1,\n]\n", '[a]\nb = [\n\t"x",\n\t"y",\n]\nc = 2\n'])
      expectSame(fastRead(t), smolParse(t));
    expect(fastRead("[a]\nb = [\n  1\n]\n")).toBeUndefined();
    expect(fastRead("[a]\nb = [\n  1, 2,\n]\n")).toBeUndefined();
    expect(fastRead("[a]\nb = [\n  [1],\n]\n")).toBeUndefined();
    expect(fastRead("[a]\nb = [\n  1,\n  ]\n")).toBeUndefined();
    expect(fastRead("[a]\nb = 1\nb = [\n  1,\n]\n")).toBeUndefined();
    expect(fastRead('[a]\nb = "\\uD83D\\uDE00"\n')).toBeUndefined();
    expect(fastRead("[a]\nb = 1\n[a]\n")).toBeUndefined();
    expect(fastRead("[a]\nb = 1\nb = 2\n")).toBeUndefined();
    expect(fastRead("[a]\nb = { c = 1, c = 2 }\n")).toBeUndefined();
    // Separators only between items: no trailing `, `, no doubled blank, no `{ }`.
    for (const t of ["b = { c = 1,  }", "b = { c = 1, }", "b = [1, ]", "b = [1,  2]", "b = { }", "b = [, 1]"])
      expect(fastRead(`[a]\n${t}\n`)).toBeUndefined();
    for (const t of [
      "b = { c = 1, d = [1, 2] }",
      "b = {}",
      "b = []",
      "b = { c = [], d = 2 }",
      "b = [1, 2, 3]",
    ])
      expectSame(fastRead(`[a]\n${t}\n`), smolParse(`[a]\n${t}\n`));
    expect(fastRead("[a.b]\n[a]\nb = 1\n")).toBeUndefined();
    expect(fastRead("[a]\nb = 1\n[a.b]\n")).toBeUndefined();
    expect(fastRead("[a]\nb.c = 1\n")).toBeUndefined();
    expect(fastRead("[a]\nb = 9007199254740993\n")).toBeUndefined();
    expect(fastRead("[a]\nb = 1\r\r\n")).toBeUndefined();
  });

  test("new servers are checked by the inserted text alone", () => {
    const text = 'model = "o3"\n\n[mcp_servers.a]\ncommand = "x"\n';
    const edits: Edit[] = [
      { path: ["mcp_servers", "b"], value: { command: "y", args: ["1"], env: { A: "1" } } },
    ];
    expect(editTomlChecked(text, edits, "f").check).toBe("added");
  });
});

// ---------------------------------------------------------------------------------------------
// The shortcuts for a sync's batch of new servers (`shortcuts`): rendering of common values,
// sibling edits taken as they are, new keys put straight into their parent's entry, and the
// check comparing each new table with its edit. Each result must be the general way's: the same
// text, the same error, the same verdict of the check, also when the inserted text read back is
// not what the edits say (`tamper`).

describe("toml.edit shortcuts for new sibling tables, against the general way", () => {
  const BASES = [
    "",
    CONFIG,
    CONFIG.replaceAll("\n", "\r\n"),
    'model = "o3"\n\n[mcp_servers.a]\ncommand = "x"\nenv = { A = "1" }\n',
    '[mcp_servers]\na = { command = "x" }\n\n[tui]\nx = 1',
    'mcp_servers.a.command = "x"\n[tui]\nx = 1\n',
    '[[mcp_servers]]\nname = "a"\n\n[[mcp_servers]]\nname = "b"\n',
    'mcp_servers = "no"\n',
    "\uFEFF[profiles.p]\nmodel = 1\n# trailing\n",
  ];
  const strArb = fc.oneof(
    { weight: 60, arbitrary: fc.stringMatching(/^[a-z@/.:=-]{0,12}$/) },
    {
      weight: 10,
      arbitrary: fc.string({
        unit: fc.constantFrom(...Array.from('a "\\\n\t\u0001\u007fé😀,')),
        maxLength: 5,
      }),
    },
    { weight: 1, arbitrary: fc.constantFrom("\ud800", "x\udc00", "a".repeat(40)) },
  );
  const keyArb = fc.oneof(
    { weight: 60, arbitrary: fc.stringMatching(/^[a-z][a-z0-9_-]{0,4}$/) },
    {
      weight: 4,
      arbitrary: fc.constantFrom("a", "b", "docs", "web", "x y", "", "__proto__", "1", "toString"),
    },
    { weight: 1, arbitrary: fc.constant("\ud800") },
  );
  const scalarArb = fc.oneof(
    { weight: 8, arbitrary: strArb },
    { weight: 2, arbitrary: fc.integer({ min: -5, max: 100 }) },
    { weight: 2, arbitrary: fc.double() },
    { weight: 2, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constantFrom(null, undefined, 2 ** 53, -0) },
  );
  const leaf = fc.dictionary(keyArb, fc.oneof(strArb, fc.array(strArb, { maxLength: 3 }), scalarArb), {
    maxKeys: 3,
  });
  const valueArb: fc.Arbitrary<unknown> = fc.oneof(
    { weight: 6, arbitrary: strArb },
    { weight: 5, arbitrary: fc.array(strArb, { maxLength: 6 }) },
    { weight: 2, arbitrary: fc.array(scalarArb, { maxLength: 3 }) },
    { weight: 4, arbitrary: leaf },
    { weight: 1, arbitrary: fc.dictionary(keyArb, leaf, { maxKeys: 2 }) },
    { weight: 2, arbitrary: scalarArb },
  );
  const serverArb = fc.oneof(
    { weight: 8, arbitrary: fc.dictionary(keyArb, valueArb, { maxKeys: 4 }) },
    { weight: 1, arbitrary: valueArb },
  );
  /** Mostly a batch of siblings (one parent), sometimes anything. */
  const editsArb: fc.Arbitrary<Edit[]> = fc
    .record({
      parent: fc.constantFrom<(string | number)[]>(
        ["mcp_servers"],
        ["mcp_servers"],
        ["mcp_servers"],
        [],
        ["profiles"],
        ["mcp_servers", "a"],
        ["mcp_servers", "a", "env"],
        ["new", "deep"],
        [0],
      ),
      items: fc.array(
        fc.tuple(
          fc.oneof({ weight: 9, arbitrary: keyArb }, { weight: 1, arbitrary: fc.nat({ max: 3 }) }),
          serverArb,
          fc.constantFrom(false, false, false, false, false, false, true),
        ),
        { minLength: 1, maxLength: 6 },
      ),
      other: fc.option(fc.tuple(fc.array(keyArb, { minLength: 1, maxLength: 3 }), serverArb), {
        freq: 6,
      }),
    })
    .map(({ parent, items, other }) => {
      const edits: Edit[] = items.map(([k, v, remove]) =>
        remove ? { path: [...parent, k], remove: true } : { path: [...parent, k], value: v },
      );
      if (other) edits.splice(1, 0, { path: other[0], value: other[1] });
      return edits;
    });

  /** The text and verdict, or the error; with the shortcuts on or off. */
  function outcome(
    shortcuts: boolean,
    text: string,
    edits: Edit[],
    tamper?: (fragment: string) => string,
  ): string {
    try {
      const r = editTomlChecked(text, edits, "f.toml", { shortcuts, ...(tamper ? { tamper } : {}) });
      return JSON.stringify([r.check, r.text]);
    } catch (e) {
      return `throws ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`;
    }
  }

  test("any edits to any file: the same text, error and verdict with and without the shortcuts", () => {
    let added = 0;
    fc.assert(
      fc.property(fc.constantFrom(...BASES), editsArb, (text, edits) => {
        const fast = outcome(true, text, edits);
        expect(fast).toBe(outcome(false, text, edits));
        if (fast.startsWith('["added"')) added++;
      }),
      { numRuns: 1200 },
    );
    expect(added).toBeGreaterThan(300);
  });

  // Changes of the inserted text as the check reads it: a character replaced, a line dropped or
  // repeated, an empty table, a sibling table or a key added, two lines swapped.
  const tamperArb = fc.array(
    fc.tuple(
      fc.constantFrom("char", "drop", "repeat", "table", "sibling", "key", "swap"),
      fc.nat(),
      fc.nat(),
    ),
    { minLength: 1, maxLength: 2 },
  );
  function tamper(fragment: string, changes: [string, number, number][]): string {
    let lines = fragment.split("\n");
    for (const [how, a, b] of changes) {
      const i = a % lines.length;
      const line = lines[i] as string;
      if (how === "char" && line.length > 0) {
        const j = b % line.length;
        lines[i] = line.slice(0, j) + 'xyz"1 ={}[],.#'[b % 14] + line.slice(j + 1);
      } else if (how === "drop") lines.splice(i, 1);
      else if (how === "repeat") lines.splice(i, 0, line);
      else if (how === "table" && line.startsWith("[")) lines.splice(i + 1, 0, "", `${line.slice(0, -1)}.t]`);
      else if (how === "sibling" && line.startsWith("[")) lines.push(`${line.slice(0, -1)}-x]`, "k = 1", "");
      else if (how === "key") lines.splice(i + 1, 0, b % 2 ? "k = 1" : "k = {}");
      else if (how === "swap") {
        const j = b % lines.length;
        [lines[i], lines[j]] = [lines[j] as string, line];
      }
      if (lines.length === 0) lines = [""];
    }
    return lines.join("\n");
  }

  test("a changed read-back gets the same verdict with and without the shortcuts", () => {
    const verdicts = new Set<string>();
    const sync = fc
      .array(fc.tuple(fc.stringMatching(/^s[a-z0-9-]{0,4}$/), serverArb), { minLength: 1, maxLength: 4 })
      .map((items) => items.map(([k, v]): Edit => ({ path: ["mcp_servers", k], value: v })));
    fc.assert(
      fc.property(fc.constantFrom(...BASES), fc.oneof(sync, editsArb), tamperArb, (text, edits, changes) => {
        const change = (f: string) => tamper(f, changes);
        const fast = outcome(true, text, edits, change);
        expect(fast).toBe(outcome(false, text, edits, change));
        verdicts.add(fast.slice(0, 9));
      }),
      { numRuns: 1200 },
    );
    // Tampered texts refused (checked whole) and tampered texts that still read the same.
    expect(verdicts).toContain('["whole",');
    expect(verdicts).toContain('["added",');
  });

  test("a sync's new servers take the shortcuts and read back exactly", () => {
    const edits: Edit[] = Array.from({ length: 50 }, (_, i) => ({
      path: ["mcp_servers", `srv-${i}`],
      value: {
        command: "npx",
        args: ["-y", `@b/s${i}`, "--port", String(3000 + i)],
        env: { A: "1", B: `r${i}` },
      },
    }));
    const fast = outcome(true, CONFIG, edits);
    expect(fast).toBe(outcome(false, CONFIG, edits));
    expect(fast.startsWith('["added"')).toBe(true);
    // The emitter's text is read back, not trusted: a changed value is caught.
    const tamper = (f: string) => f.replace('"@b/s7"', '"@b/s8"');
    expect(editTomlChecked(CONFIG, edits, "f", { tamper }).check).toBe("whole");
  });

  test("an array of strings is written as its items are, one by one", () => {
    // tomlValue joins an array of plain strings in one go; each item alone is the reference.
    const result = (f: () => string) => {
      try {
        return f();
      } catch (e) {
        return `throws ${(e as Error).message}`;
      }
    };
    let joined = 0;
    fc.assert(
      fc.property(fc.array(strArb, { maxLength: 8 }), fc.constantFrom("", "  ", "    "), (items, indent) => {
        const inline = result(() =>
          items.length === 0 ? "[]" : `[${items.map((x) => tomlValue(x)).join(", ")}]`,
        );
        expect(result(() => tomlValue(items))).toBe(inline);
        const long =
          inline.startsWith("throws") || items.length === 0 || inline.length + indent.length <= 80
            ? inline
            : `[\n${items.map((x) => `${indent}  ${tomlValue(x)},\n`).join("")}${indent}]`;
        expect(result(() => tomlValue(items, indent, "\n", "  ", true))).toBe(long);
        if (items.length > 1 && !inline.startsWith("throws")) joined++;
      }),
      { numRuns: 2000 },
    );
    expect(joined).toBeGreaterThan(500);
  });
});
