import { describe, expect, test } from "bun:test";
import { CHANGED_SECRET, redactChange } from "./engine.ts";

describe("redactChange()", () => {
  test("a changed secret shows as changed, an unchanged one as redacted, neither with its value", () => {
    const r = redactChange(
      false,
      "env",
      { KEY: "old", SAME: "x", GONE: "g" },
      { KEY: "new", SAME: "x", NEW: "n" },
    );
    expect(r).toEqual({
      before: { KEY: "******", SAME: "******", GONE: "******" },
      after: { KEY: CHANGED_SECRET, SAME: "******", NEW: "******" },
    });
    expect(JSON.stringify(r)).not.toMatch(/old|new"|"x"|"g"|"n"/);
  });
  test("headers too; other fields and --show-secrets are left alone", () => {
    expect(redactChange(false, "headers", { A: "1" }, { A: "2" }).after).toEqual({ A: CHANGED_SECRET });
    expect(redactChange(false, "args", ["a"], ["b"])).toEqual({ before: ["a"], after: ["b"] });
    expect(redactChange(true, "env", { K: "1" }, { K: "2" })).toEqual({
      before: { K: "1" },
      after: { K: "2" },
    });
    expect(redactChange(false, "env", undefined, { K: "1" })).toEqual({
      before: undefined,
      after: { K: "******" },
    });
  });
});
