import { describe, expect, test } from "bun:test";
import { HOST_DEFAULTS, isCanonicalDefault, isHostDefault } from "./_defaults.ts";
import { HOSTS } from "./registry.ts";
import { standardSpecOf } from "./_standard.ts";

describe("isCanonicalDefault()", () => {
  test("disabled: false and empty lists and maps are what every host assumes", () => {
    for (const [f, v] of [
      ["disabled", false],
      ["args", []],
      ["env", {}],
      ["headers", {}],
      ["excludeTools", []],
      ["autoApprove", []],
      ["description", ""],
    ] as const) {
      expect(isCanonicalDefault(f, v)).toBe(true);
    }
  });
  test("a disabled server, a value, and an empty allow-list (Codex: no tool) are real", () => {
    expect(isCanonicalDefault("disabled", true)).toBe(false);
    expect(isCanonicalDefault("args", ["x"])).toBe(false);
    expect(isCanonicalDefault("env", { A: "1" })).toBe(false);
    expect(isCanonicalDefault("includeTools", [])).toBe(false);
    expect(isCanonicalDefault("timeout", 0)).toBe(false);
    expect(isCanonicalDefault("cwd", "")).toBe(false);
  });
});

describe("isHostDefault()", () => {
  test("null, an empty list and an empty map say nothing, for any host", () => {
    expect(isHostDefault("goose", "bundled", null)).toBe(true);
    expect(isHostDefault("goose", "env_keys", [])).toBe(true);
    expect(isHostDefault("zed", "settings", {})).toBe(true);
    expect(isHostDefault("zed", "settings", Object.create(null))).toBe(true);
    expect(isHostDefault("anyhost", "anything", null)).toBe(true);
  });
  test("each host's own defaults (facts cited in _defaults.ts)", () => {
    expect(isHostDefault("goose", "timeout", 300)).toBe(true);
    expect(isHostDefault("goose", "timeout", 60)).toBe(false);
    expect(isHostDefault("goose", "env_keys", ["API_KEY"])).toBe(false);
    expect(isHostDefault("opencode", "enabled", true)).toBe(true);
    expect(isHostDefault("opencode", "enabled", false)).toBe(false);
    expect(isHostDefault("zed", "source", "custom")).toBe(true);
    expect(isHostDefault("zed", "remote", true)).toBe(false);
    expect(isHostDefault("copilot-cli", "tools", ["*"])).toBe(true);
    expect(isHostDefault("copilot-cli", "tools", ["read"])).toBe(false);
    expect(isHostDefault("codex", "required", false)).toBe(true);
    expect(isHostDefault("gemini", "trust", true)).toBe(false);
  });
  test("a table row's own key only, never an inherited name", () => {
    expect(isHostDefault("toString", "x", 1)).toBe(false);
    expect(isHostDefault("goose", "constructor", Object)).toBe(false);
  });
  test("every table is keyed by the extra key of a registered host", () => {
    const keys = new Set(HOSTS.map((h) => standardSpecOf(h)?.extraKey ?? h.id));
    for (const k of Object.keys(HOST_DEFAULTS)) expect(keys.has(k)).toBe(true);
  });
});
