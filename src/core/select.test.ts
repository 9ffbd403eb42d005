import { describe, expect, test } from "bun:test";
import { UsageError } from "./errors.ts";
import { compilePattern, selectNames } from "./select.ts";

const names = [
  "weather-api",
  "dev-tools",
  "test-runner",
  "prod-db",
  "news-api-v2",
  "api-gw",
  "infra-dns",
  "WEATHER",
];

describe("compilePattern() matches from the start, like Python's re.match", () => {
  test.each([
    [".*api.*", ["weather-api", "news-api-v2", "api-gw"]],
    ["^dev-.*", ["dev-tools"]],
    ["^(?!dev-|test-).*", ["weather-api", "prod-db", "news-api-v2", "api-gw", "infra-dns", "WEATHER"]],
    ["api", ["api-gw"]],
    [".*-v[2-9].*", ["news-api-v2"]],
    ["(?i)weather", ["weather-api", "WEATHER"]],
    ["(?P<kind>infra)-(?P=kind)?dns", ["infra-dns"]],
    ["^(?!.*-(beta|alpha|dev)).*", names],
  ])("%s", (pattern, want) => {
    const re = compilePattern(pattern);
    expect(names.filter((n) => re.test(n))).toEqual(want);
  });
  test("an invalid pattern is a UsageError naming it", () => {
    expect(() => compilePattern("(unclosed")).toThrow(UsageError);
    expect(() => compilePattern("(unclosed")).toThrow('Invalid pattern "(unclosed"');
  });
});

describe("selectNames()", () => {
  test("--servers and --pattern intersect", () => {
    expect(selectNames(names, { servers: ["weather-api", "dev-tools"], pattern: ".*api.*" }, "s")).toEqual([
      "weather-api",
    ]);
  });
  test("a --servers name the source lacks is an error naming it", () => {
    expect(() => selectNames(names, { servers: ["nope"] }, 'Host "cursor"')).toThrow(
      'Host "cursor" has no server "nope"',
    );
  });
  test("no selection picks everything in source order", () => {
    expect(selectNames(names, {}, "s")).toEqual(names);
  });
});
