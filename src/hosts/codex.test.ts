import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Server } from "../core/model.ts";
import type { WriteContext } from "../core/adapter.ts";
import { containerEdits, rawEntries } from "../core/container.ts";
import type { PathContext } from "./_paths.ts";
import codex from "./codex.ts";

/** A canonical `${NAME}` reference. */
const ref = (name: string) => "$" + "{" + name + "}";

const wctx: WriteContext = { env: { HOME: "/home/u", SEARCH_TOKEN: "tok-123" }, platform: "linux" };

const CONFIG = `# Codex configuration
model = "gpt-5-codex"
approval_policy = "on-request"   # ask first

[profiles.deep]
model = "o3"
model_reasoning_effort = "high"

# Local docs
[mcp_servers.docs]
command = "npx"
args = ["-y", "@acme/docs-mcp"]
startup_timeout_sec = 20
tool_timeout_sec = 60

[mcp_servers.docs.env]
DOCS_ROOT = "/srv/docs"

[mcp_servers.search]
url = "https://mcp.example.com/mcp"
http_headers = { "X-Team" = "core" }
bearer_token_env_var = "SEARCH_TOKEN"
enabled = false

[tui]
notifications = true
`;

function read(text: string): Map<string, Server> {
  const doc = codex.format.parse(text, "config.toml");
  const out = new Map<string, Server>();
  for (const [name, raw] of rawEntries(codex.container, doc)) out.set(name, codex.decode(name, raw));
  return out;
}

/** Writes servers over a file the way sync does: encode over the existing entry, diff, edit. */
function write(text: string, set: Record<string, Server>, remove: string[] = []): string {
  const doc = codex.format.parse(text, "config.toml");
  const existing = rawEntries(codex.container, doc);
  const entries = new Map<string, Record<string, unknown>>();
  for (const [name, s] of Object.entries(set)) {
    const r = codex.encode(name, s, existing.get(name), wctx);
    if (r.raw) entries.set(name, r.raw);
  }
  return codex.format.edit(
    text,
    containerEdits(codex.container, doc, { set: entries, remove }),
    "config.toml",
  );
}

describe("codex adapter", () => {
  test("describes the host", () => {
    expect(codex.id).toBe("codex");
    expect(codex.label).toBe("Codex CLI");
    expect(codex.aliases).toEqual(["codex-cli", "openai-codex"]);
    expect(codex.format.name).toBe("toml");
    expect(codex.container).toEqual({ kind: "map", path: ["mcp_servers"] });
    expect([...codex.remote]).toEqual(["http"]);
    for (const f of [
      "command",
      "args",
      "env",
      "cwd",
      "url",
      "headers",
      "disabled",
      "timeout",
      "includeTools",
      "excludeTools",
    ]) {
      expect(codex.fields.has(f as never)).toBe(true);
    }
    expect(codex.fields.has("autoApprove")).toBe(false);
  });

  test("paths follow CODEX_HOME, else ~/.codex", () => {
    const ctx: PathContext = { platform: "linux", home: "/home/u", env: {} };
    expect(codex.userPath(ctx)).toBe("/home/u/.codex/config.toml");
    expect(codex.detectPaths?.(ctx)).toEqual(["/home/u/.codex"]);
    const custom: PathContext = { ...ctx, env: { CODEX_HOME: "/opt/codex" } };
    expect(codex.userPath(custom)).toBe("/opt/codex/config.toml");
    expect(codex.detectPaths?.(custom)).toEqual(["/opt/codex"]);
    expect(codex.projectPath?.("/work/p", ctx)).toBe("/work/p/.codex/config.toml");
    const win: PathContext = { platform: "win32", home: "C:\\Users\\u", env: {} };
    expect(codex.userPath(win)).toBe("C:\\Users\\u\\.codex\\config.toml");
  });

  test("decodes stdio and remote servers, keeping Codex-only keys in extra", () => {
    const servers = read(CONFIG);
    expect([...servers.keys()]).toEqual(["docs", "search"]);
    expect(servers.get("docs")).toEqual({
      command: "npx",
      args: ["-y", "@acme/docs-mcp"],
      env: { DOCS_ROOT: "/srv/docs" },
      timeout: 60000,
      extra: { codex: { startup_timeout_sec: 20 } },
    });
    expect(servers.get("search")).toEqual({
      url: "https://mcp.example.com/mcp",
      transport: "http",
      // bearer_token_env_var is the canonical bearer header (issue 21).
      headers: { "X-Team": "core", Authorization: `Bearer ${ref("SEARCH_TOKEN")}` },
      disabled: true,
    });
  });

  test("re-writing every server unchanged keeps every byte", () => {
    const servers = Object.fromEntries(read(CONFIG));
    expect(write(CONFIG, servers)).toBe(CONFIG);
  });

  test("adds a new server as a [mcp_servers.<name>] section after the others, with no type key", () => {
    const out = write(CONFIG, {
      linear: {
        url: "https://mcp.linear.app/mcp",
        transport: "http",
        headers: { Authorization: `Bearer ${ref("SEARCH_TOKEN")}` },
      },
      fs: {
        command: "npx",
        args: ["-y", "@modelcontextprotocol/server-filesystem"],
        env: { ROOT: "/tmp" },
        timeout: 1500,
      },
    });
    expect(out).toBe(
      CONFIG.replace(
        "enabled = false\n\n[tui]",
        [
          "enabled = false",
          "",
          "[mcp_servers.linear]",
          'url = "https://mcp.linear.app/mcp"',
          // Codex reads the bearer token from the variable itself: never the token (issue 21).
          'bearer_token_env_var = "SEARCH_TOKEN"',
          "",
          "[mcp_servers.fs]",
          'command = "npx"',
          'args = ["-y", "@modelcontextprotocol/server-filesystem"]',
          'env = { ROOT = "/tmp" }',
          "tool_timeout_sec = 1.5",
          "",
          "[tui]",
        ].join("\n"),
      ),
    );
    expect(out).not.toContain("type");
    expect(read(out).get("fs")).toEqual({
      command: "npx",
      args: ["-y", "@modelcontextprotocol/server-filesystem"],
      env: { ROOT: "/tmp" },
      timeout: 1500,
    });
  });

  test("changes one env key inside the [x.env] section only", () => {
    const docs = read(CONFIG).get("docs") as Server & { env: Record<string, string> };
    const out = write(CONFIG, {
      docs: { ...docs, env: { ...docs.env, DOCS_ROOT: "/data/docs", EXTRA: "1" } },
    });
    expect(out).toBe(CONFIG.replace('DOCS_ROOT = "/srv/docs"\n', 'DOCS_ROOT = "/data/docs"\nEXTRA = "1"\n'));
  });

  test("enabling a server writes enabled = true in place", () => {
    const search = read(CONFIG).get("search") as Server;
    const { disabled: _, ...enabled } = search;
    expect(write(CONFIG, { search: enabled })).toBe(CONFIG.replace("enabled = false\n", ""));
    expect(write(CONFIG, { search: { ...search, disabled: false } })).toBe(
      CONFIG.replace("enabled = false", "enabled = true"),
    );
  });

  test("removes a server with its env section", () => {
    const out = write(CONFIG, {}, ["docs"]);
    // The comment above the first server table introduces the run: it stays (issue 19).
    expect(out).toBe(CONFIG.replace(/(# Local docs\n)[\s\S]*?DOCS_ROOT = "\/srv\/docs"\n\n/, "$1"));
    expect([...read(out).keys()]).toEqual(["search"]);
  });

  test("an SSE server is skipped with a reason", () => {
    const r = codex.encode("old", { url: "https://x.example/sse", transport: "sse" }, undefined, wctx);
    expect(r.raw).toBeUndefined();
    expect(r.skip).toContain("SSE");
  });

  test("resolves canonical variable references from the environment (Codex has no interpolation)", () => {
    const r = codex.encode("a", { command: "run", args: ["--home", `${ref("HOME")}/x`] }, undefined, wctx);
    expect(r.raw).toEqual({ command: "run", args: ["--home", "/home/u/x"] });
  });

  test("a server that changes transport drops the other transport's keys", () => {
    const doc = codex.format.parse(CONFIG, "c") as { mcp_servers: Record<string, unknown> };
    const r = codex.encode("docs", { url: "https://docs.example/mcp" }, doc.mcp_servers.docs, wctx);
    expect(r.raw).toEqual({ startup_timeout_sec: 20, url: "https://docs.example/mcp" });
    const s = codex.encode("search", { command: "search-mcp" }, doc.mcp_servers.search, wctx);
    expect(s.raw).toEqual({ command: "search-mcp" });
  });

  test("never adds a type key, but keeps one the user wrote", () => {
    const fresh = codex.encode("a", { url: "https://a.example/mcp", transport: "http" }, undefined, wctx);
    expect(fresh.raw?.type).toBeUndefined();
    const text = '[mcp_servers.a]\ntype = "http"\nurl = "https://a.example/mcp"\n';
    expect(write(text, Object.fromEntries(read(text)))).toBe(text);
  });

  test("fields Codex lacks are reported as losses", () => {
    const r = codex.encode("a", { command: "x", autoApprove: ["t"], description: "d" }, undefined, wctx);
    expect(r.losses.map((l) => l.field).sort()).toEqual(["autoApprove", "description"]);
  });

  test("an entry with both command and url is invalid", () => {
    expect(() => codex.decode("both", { command: "x", url: "https://x" })).toThrow();
  });
});

describe("codex golden fixtures", () => {
  const root = join(import.meta.dir, "..", "..", "test", "fixtures", "hosts", "codex");
  const cases = readdirSync(root).sort();
  test("there are at least three cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(3);
  });
  for (const c of cases) {
    test(`${c}: reads servers.json and a no-op write keeps every byte`, () => {
      const text = readFileSync(join(root, c, "before.toml"), "utf8");
      const servers = Object.fromEntries(read(text));
      expect(JSON.parse(JSON.stringify(servers))).toEqual(
        JSON.parse(readFileSync(join(root, c, "servers.json"), "utf8")),
      );
      expect(write(text, servers)).toBe(text);
    });
  }
});
