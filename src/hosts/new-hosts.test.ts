// Shapes of the hosts added with the full registry that go beyond a key map: Cline's nested SDK
// entries, Continue's headers under requestOptions, Copilot CLI's tools list, Mistral Vibe's
// list-form command, Qwen's URL keys, and env-var paths from the environment.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: env-var references are the test data
import { describe, expect, test } from "bun:test";
import type { WriteContext } from "../core/adapter.ts";
import { requireHost } from "./registry.ts";

const w: WriteContext = { env: { TOKEN: "t" }, platform: "linux" };

describe("cline", () => {
  const cline = requireHost("cline");
  test("reads the nested SDK shape and writes an existing nested entry back nested", () => {
    const raw = { transport: { type: "stdio", command: "npx", args: ["a"] }, disabled: false };
    const s = cline.decode("x", raw);
    expect(s).toEqual({ command: "npx", args: ["a"], disabled: false });
    const r = cline.encode("x", { command: "npx", args: ["a", "b"] }, raw, w);
    expect(r.raw).toEqual({ transport: { type: "stdio", command: "npx", args: ["a", "b"] } });
  });
  test("a url without type is SSE; HTTP is written as streamableHttp", () => {
    expect(cline.decode("x", { url: "https://x.dev/sse" })).toEqual({
      url: "https://x.dev/sse",
      transport: "sse",
    });
    expect(cline.encode("x", { url: "https://x.dev", transport: "http" }, undefined, w).raw).toEqual({
      type: "streamableHttp",
      url: "https://x.dev",
    });
  });
  test("the file honours CLINE_MCP_SETTINGS_PATH > CLINE_DATA_DIR > CLINE_DIR", () => {
    const ctx = (env: Record<string, string>) => ({ platform: "linux" as const, home: "/h", env });
    expect(cline.userPath(ctx({}))).toBe("/h/.cline/data/settings/cline_mcp_settings.json");
    expect(cline.userPath(ctx({ CLINE_DIR: "/c" }))).toBe("/c/data/settings/cline_mcp_settings.json");
    expect(cline.userPath(ctx({ CLINE_DIR: "/c", CLINE_DATA_DIR: "/d" }))).toBe(
      "/d/settings/cline_mcp_settings.json",
    );
    expect(cline.userPath(ctx({ CLINE_DATA_DIR: "/d", CLINE_MCP_SETTINGS_PATH: "/f.json" }))).toBe("/f.json");
  });
});

describe("continue", () => {
  const cont = requireHost("continue");
  test("headers live in requestOptions, next to its other options", () => {
    const raw = { type: "sse", url: "https://x.dev", requestOptions: { headers: { A: "1" }, timeout: 5 } };
    const s = cont.decode("x", raw);
    expect(s).toEqual({
      url: "https://x.dev",
      transport: "sse",
      headers: { A: "1" },
      extra: { continue: { requestOptions: { headers: { A: "1" }, timeout: 5 } } },
    });
    const r = cont.encode("x", { ...s, headers: { A: "2" } } as never, raw, w);
    expect(r.raw).toEqual({
      type: "sse",
      url: "https://x.dev",
      requestOptions: { timeout: 5, headers: { A: "2" } },
    });
  });
});

describe("copilot-cli", () => {
  const cp = requireHost("copilot-cli");
  test('tools ["*"] is every tool; a list is includeTools; new entries get ["*"]', () => {
    expect(cp.decode("x", { type: "local", command: "a", tools: ["*"] })).toEqual({
      command: "a",
      extra: { "copilot-cli": { tools: ["*"] } },
    });
    expect(cp.decode("x", { type: "local", command: "a", tools: ["t1"] })).toEqual({
      command: "a",
      includeTools: ["t1"],
    });
    expect(cp.encode("x", { command: "a" }, undefined, w).raw).toEqual({
      type: "local",
      command: "a",
      tools: ["*"],
    });
  });
});

describe("mistral-vibe", () => {
  const vibe = requireHost("mistral-vibe");
  test("a list-form command reads as program + args and keeps its form", () => {
    const raw = { transport: "stdio", command: ["uvx", "srv"], args: ["--x"] };
    const s = vibe.decode("x", raw);
    expect(s).toEqual({ command: "uvx", args: ["srv", "--x"] });
    expect(vibe.encode("x", { command: "uvx", args: ["srv", "--x", "--y"] }, raw, w).raw).toEqual({
      transport: "stdio",
      command: ["uvx", "srv"],
      args: ["--x", "--y"],
    });
  });
  test("timeouts are seconds; SSE servers are skipped", () => {
    expect(vibe.encode("x", { command: "a", timeout: 1500 }, undefined, w).raw).toEqual({
      transport: "stdio",
      command: "a",
      tool_timeout_sec: 1.5,
    });
    expect(vibe.encode("x", { url: "https://x.dev", transport: "sse" }, undefined, w).skip).toContain("SSE");
  });
});

describe("qwen", () => {
  const qwen = requireHost("qwen");
  test("httpUrl is Streamable HTTP and url is SSE, both ways", () => {
    expect(qwen.encode("x", { url: "https://x.dev", transport: "http" }, undefined, w).raw).toEqual({
      httpUrl: "https://x.dev",
    });
    expect(qwen.encode("x", { url: "https://x.dev", transport: "sse" }, undefined, w).raw).toEqual({
      url: "https://x.dev",
    });
  });
});

describe("hosts sharing a schema share host-only fields", () => {
  test("vscode-insiders writes VS Code's own fields back", () => {
    const s = requireHost("vscode").decode("x", { type: "stdio", command: "a", dev: { watch: "*.ts" } });
    const r = requireHost("vscode-insiders").encode("x", s, undefined, w);
    expect(r.losses).toEqual([]);
    expect(r.raw).toEqual({ type: "stdio", command: "a", dev: { watch: "*.ts" } });
  });
});
