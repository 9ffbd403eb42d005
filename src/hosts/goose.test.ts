import { describe, expect, test } from "bun:test";
import { parseServer, type Server, ServerValidationError } from "../core/model.ts";
import type { WriteContext } from "../core/adapter.ts";
import { containerEdits, rawEntries } from "../core/container.ts";
import type { PathContext } from "./_paths.ts";
import goose from "./goose.ts";

const CONFIG = `# ~/.config/goose/config.yaml
GOOSE_PROVIDER: anthropic
GOOSE_MODEL: claude-sonnet-4-5   # default model
GOOSE_MODE: smart_approve
extensions:
  developer:
    bundled: true
    display_name: Developer
    enabled: true
    name: developer
    timeout: 300
    type: builtin
  github:
    args:
    - -y
    - "@modelcontextprotocol/server-github"
    cmd: npx
    enabled: true
    env_keys: []
    envs:
      GITHUB_PERSONAL_ACCESS_TOKEN: "ghp_example"   # rotate
    name: github
    timeout: 300
    type: stdio
  linear:
    description: Linear issues
    enabled: false
    headers:
      Authorization: Bearer lin_example
    name: Linear
    timeout: 120
    type: streamable_http
    uri: https://mcp.linear.app/mcp
# end of extensions
GOOSE_CLI_THEME: dark
`;

const wctx: WriteContext = { env: {}, platform: "linux" };

function entries(text: string) {
  return rawEntries(goose.container, goose.format.parse(text, "config.yaml"));
}

function decodeAll(text: string) {
  const servers: Record<string, Server> = {};
  const skipped: Record<string, string> = {};
  for (const [name, raw] of entries(text)) {
    try {
      servers[name] = goose.decode(name, raw);
    } catch (e) {
      if (!(e instanceof ServerValidationError)) throw e;
      skipped[name] = e.message;
    }
  }
  return { servers, skipped };
}

function write(text: string, set: Record<string, Server>, remove: string[] = []): string {
  const doc = goose.format.parse(text, "config.yaml");
  const existing = rawEntries(goose.container, doc);
  const changes = new Map<string, Record<string, unknown>>();
  for (const [name, s] of Object.entries(set)) {
    const r = goose.encode(name, s, existing.get(name), wctx);
    if (r.raw) changes.set(name, r.raw);
  }
  return goose.format.edit(
    text,
    containerEdits(goose.container, doc, { set: changes, remove }),
    "config.yaml",
  );
}

describe("goose adapter", () => {
  test("user path follows XDG on Linux and macOS and APPDATA on Windows", () => {
    const linux: PathContext = { platform: "linux", home: "/home/u", env: {} };
    expect(goose.userPath(linux)).toBe("/home/u/.config/goose/config.yaml");
    expect(goose.userPath({ ...linux, env: { XDG_CONFIG_HOME: "/x" } })).toBe("/x/goose/config.yaml");
    expect(goose.userPath({ platform: "darwin", home: "/Users/u", env: {} })).toBe(
      "/Users/u/.config/goose/config.yaml",
    );
    const win: PathContext = {
      platform: "win32",
      home: "C:\\Users\\u",
      env: { APPDATA: "C:\\Users\\u\\AppData\\Roaming" },
    };
    expect(goose.userPath(win)).toBe("C:\\Users\\u\\AppData\\Roaming\\Block\\goose\\config\\config.yaml");
    expect(goose.projectPath).toBeUndefined();
  });

  test("decode reads stdio and streamable_http extensions into canonical servers", () => {
    const { servers } = decodeAll(CONFIG);
    expect(servers.github).toEqual({
      command: "npx",
      args: ["-y", "@modelcontextprotocol/server-github"],
      env: { GITHUB_PERSONAL_ACCESS_TOKEN: "ghp_example" },
      disabled: false,
      // 300 s is goose's own default (DEFAULT_EXTENSION_TIMEOUT): a Goose field, not a choice.
      extra: { goose: { env_keys: [], timeout: 300 } },
    });
    expect(servers.linear).toEqual({
      url: "https://mcp.linear.app/mcp",
      transport: "http",
      headers: { Authorization: "Bearer lin_example" },
      disabled: true,
      timeout: 120_000,
      description: "Linear issues",
      extra: { goose: { name: "Linear" } },
    });
    for (const [n, s] of Object.entries(servers)) expect(() => parseServer(n, s)).not.toThrow();
  });

  test("decode refuses Goose's own extension types with a clear reason", () => {
    const { servers, skipped } = decodeAll(CONFIG);
    expect(servers.developer).toBeUndefined();
    expect(skipped.developer).toContain('Goose "builtin" extensions are not MCP server entries');
    for (const type of ["builtin", "platform", "frontend", "inline_python"]) {
      expect(() => goose.decode("x", { type, name: "x", enabled: true })).toThrow(ServerValidationError);
    }
    expect(() => goose.decode("x", { type: "websocket", uri: "ws://x" })).toThrow('"type" is "websocket"');
  });

  test("decode reads SSE entries (still in old files) and keeps null fields as Goose-only", () => {
    const s = goose.decode("old", {
      type: "sse",
      uri: "http://localhost:8931/sse",
      enabled: true,
      description: null,
    });
    expect(s).toEqual({
      url: "http://localhost:8931/sse",
      transport: "sse",
      disabled: false,
      extra: { goose: { description: null } },
    });
  });

  test("available_tools is includeTools, except the empty list (all tools)", () => {
    const base = { type: "stdio", cmd: "x", args: [], enabled: true };
    expect(goose.decode("a", { ...base, available_tools: ["read"] })).toMatchObject({
      includeTools: ["read"],
    });
    const all = goose.decode("a", { ...base, available_tools: [] });
    expect(all).not.toHaveProperty("includeTools");
    expect(all.extra).toEqual({ goose: { available_tools: [] } });
  });

  test("re-encoding every server unchanged returns the file byte for byte", () => {
    const { servers } = decodeAll(CONFIG);
    expect(write(CONFIG, servers)).toBe(CONFIG);
    const crlf = CONFIG.replace(/\n/g, "\r\n");
    expect(write(crlf, decodeAll(crlf).servers)).toBe(crlf);
  });

  test("adding a server writes a complete block entry after the others", () => {
    const out = write(CONFIG, {
      fetch: { command: "uvx", args: ["mcp-server-fetch"], env: { USER_AGENT: "hatch" } },
      context7: { url: "https://mcp.context7.com/mcp", headers: { CONTEXT7_API_KEY: "k" }, timeout: 30_500 },
    });
    const added = [
      "  fetch:",
      "    name: fetch",
      "    type: stdio",
      "    cmd: uvx",
      "    args:",
      "    - mcp-server-fetch",
      "    envs:",
      "      USER_AGENT: hatch",
      "    enabled: true",
      "    timeout: 300",
      "  context7:",
      "    name: context7",
      "    type: streamable_http",
      "    uri: https://mcp.context7.com/mcp",
      "    headers:",
      "      CONTEXT7_API_KEY: k",
      "    enabled: true",
      "    timeout: 31",
      "",
    ].join("\n");
    expect(out).toBe(CONFIG.replace("# end of extensions\n", `${added}# end of extensions\n`));
    const { servers } = decodeAll(out);
    expect(servers.fetch).toMatchObject({
      command: "uvx",
      args: ["mcp-server-fetch"],
      disabled: false,
      extra: { goose: { timeout: 300 } },
    });
    expect(servers.fetch?.timeout).toBeUndefined();
    expect(servers.context7).toMatchObject({ url: "https://mcp.context7.com/mcp", transport: "http" });
  });

  test("a stdio server without args still gets the `args` goose requires", () => {
    const r = goose.encode("x", { command: "my-server" }, undefined, wctx);
    expect(r.raw).toEqual({
      name: "x",
      type: "stdio",
      cmd: "my-server",
      args: [],
      enabled: true,
      timeout: 300,
    });
  });

  test("changing a server edits only its changed keys", () => {
    const { servers } = decodeAll(CONFIG);
    const github = { ...(servers.github as Server), command: "bunx", disabled: true } as Server;
    const out = write(CONFIG, { github });
    expect(out).toBe(
      CONFIG.replace("    cmd: npx\n    enabled: true\n", "    cmd: bunx\n    enabled: false\n"),
    );
  });

  test("a server from another host keeps the entry's enabled, timeout and unknown fields", () => {
    const out = write(CONFIG, {
      linear: { url: "https://mcp.linear.app/v2", headers: { Authorization: "Bearer lin_example" } },
    });
    expect(out).toBe(
      CONFIG.replace("    description: Linear issues\n", "").replace(
        "uri: https://mcp.linear.app/mcp",
        "uri: https://mcp.linear.app/v2",
      ),
    );
  });

  test("removing a server removes its whole entry", () => {
    const out = write(CONFIG, {}, ["github"]);
    const start = CONFIG.indexOf("  github:\n");
    const end = CONFIG.indexOf("  linear:\n");
    expect(out).toBe(CONFIG.slice(0, start) + CONFIG.slice(end));
  });

  test("never overwrites a builtin extension and never writes SSE", () => {
    const existing = entries(CONFIG).get("developer");
    const r = goose.encode("developer", { command: "dev-mcp" }, existing, wctx);
    expect(r.raw).toBeUndefined();
    expect(r.skip).toContain('Goose "builtin" extension');
    const sse = goose.encode("s", { url: "http://localhost:1/sse", transport: "sse" }, undefined, wctx);
    expect(sse.raw).toBeUndefined();
    expect(sse.skip).toContain("SSE");
  });

  test("writing into a file without `extensions` appends the key", () => {
    const text = "GOOSE_PROVIDER: openai\nGOOSE_MODEL: gpt-4o\n";
    const out = write(text, { fetch: { command: "uvx", args: ["mcp-server-fetch"] } });
    expect(out).toBe(
      `${text}extensions:\n  fetch:\n    name: fetch\n    type: stdio\n    cmd: uvx\n    args:\n      - mcp-server-fetch\n    enabled: true\n    timeout: 300\n`,
    );
  });
});
