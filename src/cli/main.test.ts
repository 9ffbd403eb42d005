import { describe, expect, test } from "bun:test";
import type { OptionSpec } from "./command.ts";
import { attachValues } from "./main.ts";

const OPTIONS: Record<string, OptionSpec> = {
  args: { type: "string", multiple: true, variadic: true, description: "" },
  command: { type: "string", description: "" },
  pattern: { type: "string", description: "" },
  yes: { type: "boolean", short: "y", description: "" },
};

describe("attachValues()", () => {
  test("a variadic option takes every value up to the next flag (Python's nargs=*)", () => {
    expect(attachValues(["--args", "weather-mcp", "serve", "--command", "uvx"], OPTIONS)).toEqual([
      "--args=weather-mcp",
      "--args=serve",
      "--command",
      "uvx",
    ]);
    expect(attachValues(["--args", "a", "b", "-y"], OPTIONS)).toEqual(["--args=a", "--args=b", "-y"]);
  });
  test("its first value may start with -, and it can be repeated", () => {
    expect(attachValues(["--args", "-y", "@acme/w", "--args", "x"], OPTIONS)).toEqual([
      "--args=-y",
      "--args=@acme/w",
      "--args=x",
    ]);
  });
  test("--name=value and -- are left alone; other string options take one value", () => {
    expect(attachValues(["--args=a", "b"], OPTIONS)).toEqual(["--args=a", "b"]);
    expect(attachValues(["--args", "a", "--", "b"], OPTIONS)).toEqual(["--args=a", "--", "b"]);
    expect(attachValues(["--pattern", "-v2$", "name"], OPTIONS)).toEqual(["--pattern=-v2$", "name"]);
  });
});
