import { describe, expect, test } from "bun:test";
import { UsageError } from "./errors.ts";
import fc from "fast-check";
import {
  anyRefIn,
  envRefNames,
  envRefsToCanonical,
  envRefsToHost,
  hostRefMarker,
  soleEnvRef,
} from "./envrefs.ts";

describe("envRefsToCanonical()", () => {
  test.each([
    ["env-colon", "Bearer ${env:TOKEN}", "Bearer ${TOKEN}"],
    ["brace", "Bearer {env:TOKEN}", "Bearer ${TOKEN}"],
    ["dollar-bare", "Bearer $TOKEN", "Bearer ${TOKEN}"],
    ["dollar", "pa$word", "pa$word"],
    ["dollar", "${A:-x} and ${B}", "${A:-x} and ${B}"],
    ["none", "${A}", "${A}"],
  ] as const)("%s: %s → %s", (syntax, input, want) => {
    expect(envRefsToCanonical(input, syntax)).toBe(want);
  });
});

describe("hostRefMarker()", () => {
  test.each(["dollar", "dollar-bare", "env-colon", "brace", "none"] as const)(
    "%s: a value without the marker is already canonical",
    (syntax) => {
      const marker = hostRefMarker(syntax);
      const piece = fc.constantFrom("a", "$", "{", "}", "env", ":", "${", "{env:", "${env:", "X", "_1", "-");
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 8 }), (parts) => {
          const value = parts.join("");
          if (marker === undefined || !value.includes(marker)) {
            expect(envRefsToCanonical(value, syntax)).toBe(value);
          }
        }),
        { numRuns: 300 },
      );
    },
  );
});

describe("envRefsToHost()", () => {
  const env = { TOKEN: "t0k" };
  test("dollar keeps defaults", () => {
    expect(envRefsToHost("${A:-x}/${TOKEN}", "dollar", env, "w").value).toBe("${A:-x}/${TOKEN}");
  });
  test("env-colon drops a default and reports it", () => {
    const r = envRefsToHost("${A:-x}", "env-colon", env, "w");
    expect(r.value).toBe("${env:A}");
    expect(r.droppedDefaults).toEqual(["A"]);
  });
  test("brace syntax", () => {
    expect(envRefsToHost("Bearer ${TOKEN}", "brace", env, "w").value).toBe("Bearer {env:TOKEN}");
  });
  test("none resolves from the environment, then the default", () => {
    expect(envRefsToHost("Bearer ${TOKEN}", "none", env, "w").value).toBe("Bearer t0k");
    expect(envRefsToHost("${MISSING:-fallback}", "none", env, "w").value).toBe("fallback");
  });
  test("none with an unset variable is a UsageError naming it", () => {
    expect(() => envRefsToHost("${NOPE}", "none", env, 'server "a" env')).toThrow(UsageError);
    expect(() => envRefsToHost("${NOPE}", "none", env, 'server "a" env')).toThrow('"NOPE" is not set');
  });
  test("round trip through each syntax keeps the reference", () => {
    for (const s of ["dollar", "env-colon", "brace"] as const) {
      const host = envRefsToHost("x ${TOKEN} y", s, {}, "w").value;
      expect(envRefsToCanonical(host, s)).toBe("x ${TOKEN} y");
    }
  });
  test("editor variables pass through as text, reported where the host does not expand them", () => {
    expect(envRefsToHost("${workspaceFolder}/x", "env-colon", {}, "w")).toEqual({
      value: "${workspaceFolder}/x",
      droppedDefaults: [],
      unexpanded: [],
    });
    const r = envRefsToHost("${userHome}/x", "none", {}, "w");
    expect(r.value).toBe("${userHome}/x");
    expect(r.unexpanded).toEqual(["userHome"]);
  });
  test("envRefNames lists referenced variables", () => {
    expect(envRefNames("${A} ${B:-c} $D")).toEqual(["A", "B"]);
  });
});

describe("anyRefIn", () => {
  test("is false exactly when no value could hold a reference (soleEnvRef and envRefNames find none)", () => {
    expect(anyRefIn({})).toBe(false);
    expect(anyRefIn({ A: "x", B: "$HOME", C: "{x}" })).toBe(false);
    expect(anyRefIn({ A: "x", B: "${B}" })).toBe(true);
    expect(anyRefIn({ A: "Bearer ${env:TOKEN}" })).toBe(true);
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.constantFrom("${A}", "${env:B}", "x${C}y"))),
        (m) => {
          if (anyRefIn(m)) return;
          for (const v of Object.values(m)) {
            expect(soleEnvRef(v)).toBeUndefined();
            expect(envRefNames(v)).toEqual([]);
          }
        },
      ),
    );
  });
});
