import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import * as v from "valibot";
import {
  parseServer,
  plainServer,
  RemoteServerSchema,
  ServerValidationError,
  StdioServerSchema,
} from "./model.ts";

function problems(name: string, input: unknown): string[] {
  try {
    parseServer(name, input);
  } catch (e) {
    if (e instanceof ServerValidationError) return e.problems;
    throw e;
  }
  return [];
}

describe("parseServer()", () => {
  test("accepts a stdio server", () => {
    expect(parseServer("a", { command: "npx", args: ["-y", "x"], env: { K: "v" } })).toEqual({
      command: "npx",
      args: ["-y", "x"],
      env: { K: "v" },
    });
  });
  test("accepts a remote server with a transport", () => {
    expect(parseServer("r", { url: "https://x.dev/mcp", transport: "sse" })).toEqual({
      url: "https://x.dev/mcp",
      transport: "sse",
    });
  });
  test("accepts a URL that starts with an env-var reference", () => {
    expect(() => parseServer("r", { url: "${BASE_URL}/mcp" })).not.toThrow();
  });
  test("refuses command and url together", () => {
    expect(problems("x", { command: "a", url: "https://b" })[0]).toContain("not both");
  });
  test("refuses neither command nor url", () => {
    expect(problems("x", { args: [] })[0]).toContain('set "command"');
  });
  test("refuses a URL scheme other than http(s)", () => {
    expect(problems("x", { url: "ftp://host/x" }).join()).toContain("must start with http:// or https://");
  });
  test("refuses a bad transport and names the field", () => {
    expect(problems("x", { url: "https://h", transport: "ws" }).join()).toContain(
      '"transport" must be "http" or "sse"',
    );
  });
  test("accepts every name a host accepts: gallery names, spaces, a leading dash, any script", () => {
    for (const name of [
      "io.github.ChromeDevTools/chrome-devtools-mcp",
      "Chrome DevTools",
      "-x",
      " padded ",
      "a:b #c",
      'quote"d',
      "日本語",
    ]) {
      expect(problems(name, { command: "a" })).toEqual([]);
    }
  });
  test("refuses only an empty name or control characters", () => {
    expect(problems("", { command: "a" })).toEqual(["the name must not be empty"]);
    for (const name of ["a\nb", "tab\there", "nul\u0000", "del\u007f", "c1\u0085"]) {
      expect(problems(name, { command: "a" })).toEqual([
        `name ${JSON.stringify(name)} must not contain control characters`,
      ]);
    }
  });
  test("refuses unknown canonical fields", () => {
    expect(problems("x", { command: "a", bogus: 1 }).length).toBeGreaterThan(0);
  });
  test("refuses a negative timeout and wrong types with the path", () => {
    expect(problems("x", { command: "a", timeout: -1 }).join()).toContain("timeout");
    expect(problems("x", { command: "a", args: "not-a-list" }).join()).toContain("args");
  });
  test("the error message names the server", () => {
    expect(() => parseServer("weather", { args: [] })).toThrow('Invalid server "weather"');
  });
});

describe("parseServer() without the schema, for plain servers", () => {
  // Values of every type each field may meet; keys of both kinds, unknown ones and prototype ones.
  const scalar = fc.oneof(
    fc.string({ maxLength: 6 }),
    fc.constantFrom(
      "",
      "http",
      "sse",
      "https://h.example/x",
      "http:// x",
      "${URL}",
      "${URL:-https://a}",
      "ftp://x",
    ),
    fc.integer({ min: -3, max: 3 }),
    fc.constantFrom(0.5, -0, Number.NaN, Number.POSITIVE_INFINITY, true, false, null),
  );
  const strings = fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 });
  const recKey = fc.oneof(
    fc.string({ maxLength: 4 }),
    fc.constantFrom("__proto__", "constructor", "prototype"),
  );
  const record = fc.dictionary(recKey, fc.oneof(fc.string({ maxLength: 4 }), scalar), { maxKeys: 3 });
  const anyValue = fc.oneof(
    scalar,
    strings,
    fc.array(scalar, { maxLength: 2 }),
    record,
    fc.constant(undefined),
  );
  const field = fc.constantFrom(
    ...new Set([...Object.keys(StdioServerSchema.entries), ...Object.keys(RemoteServerSchema.entries)]),
    "other",
    "__proto__",
  );
  const goodValue: Record<string, fc.Arbitrary<unknown>> = {
    command: fc.constantFrom("npx", "uvx", ""),
    url: fc.constantFrom("https://h.example/mcp", "${URL}", "nope"),
    transport: fc.constantFrom("http", "sse", "ws"),
    args: strings,
    includeTools: strings,
    env: fc.dictionary(recKey, fc.string({ maxLength: 4 }), { maxKeys: 3 }),
    headers: fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 3 }),
    timeout: fc.oneof(fc.nat(), fc.constant(-1)),
    disabled: fc.boolean(),
    extra: fc.dictionary(recKey, fc.dictionary(recKey, scalar, { maxKeys: 2 }), { maxKeys: 2 }),
  };
  const server = fc
    .array(
      fc
        .tuple(field, fc.boolean())
        .chain(([k, good]) =>
          (good && Object.hasOwn(goodValue, k) ? (goodValue[k] as fc.Arbitrary<unknown>) : anyValue).map(
            (v) => [k, v] as const,
          ),
        ),
      { maxLength: 6 },
    )
    .map((pairs) => {
      const o: Record<string, unknown> = {};
      for (const [k, v] of pairs)
        Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
      return o;
    });

  test("reads every input exactly as the schema does (same keys, same order, same problems)", () => {
    let fast = 0;
    fc.assert(
      fc.property(server, fc.boolean(), (input, stdio) => {
        if (stdio && input.command === undefined) input.command = "npx";
        let mine: unknown;
        let mineErr: string[] | undefined;
        try {
          mine = parseServer("srv", input);
        } catch (e) {
          if (!(e instanceof ServerValidationError)) throw e;
          mineErr = e.problems;
        }
        // The schema alone, as parseServer used it before the fast path.
        const schema = "url" in input && input.url !== undefined ? RemoteServerSchema : StdioServerSchema;
        const r = v.safeParse(schema, input);
        if (mineErr) {
          expect(r.success && (input.command === undefined) !== (input.url === undefined)).toBe(false);
          return;
        }
        expect(r.success).toBe(true);
        if (!r.success) return;
        expect(JSON.stringify(mine)).toBe(JSON.stringify(r.output));
        expect(mine).toEqual(r.output);
        expect(mine).not.toBe(input);
        // The fast path itself: nothing, or exactly the schema's output.
        const p = plainServer(input, schema === RemoteServerSchema);
        if (p !== undefined) {
          fast++;
          expect(JSON.stringify(p)).toBe(JSON.stringify(r.output));
          expect(p).toEqual(r.output);
        }
      }),
      { numRuns: 3000 },
    );
    // Most valid inputs took the fast path (it is not a test of the schema alone).
    expect(fast).toBeGreaterThan(100);
  });
});
