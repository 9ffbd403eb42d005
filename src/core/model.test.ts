import { describe, expect, test } from "bun:test";
import { parseServer, ServerValidationError } from "./model.ts";

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
  test("refuses names with spaces or a leading dash", () => {
    expect(problems("my server", { command: "a" }).join()).toContain('name "my server"');
    expect(problems("-x", { command: "a" }).join()).toContain("name");
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
