// Host fidelity against the shapes of real files (issue 20): a source host's file is read as sync
// reads it, planned into a target host's file, and the plan's changes and losses are checked.
// Each case is a shape that people's configs showed and that hatch once got wrong.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: env-var references are the test data
import { describe, expect, test } from "bun:test";
import { type ServerMap, ServerValidationError, UnconvertibleServerError } from "../src/core/model.ts";
import { type HostPlan, planTarget } from "../src/core/plan.ts";
import type { HostAdapter, WriteContext } from "../src/core/adapter.ts";
import { rawEntries } from "../src/core/container.ts";
import { HOSTS } from "../src/hosts/registry.ts";

const wctx: WriteContext = { env: { HOME: "/home/u" }, platform: "linux" };

function host(id: string): HostAdapter {
  const a = HOSTS.find((h) => h.id === id);
  if (!a) throw new Error(`no host ${id}`);
  return a;
}

/** A host file read as sync reads it: servers, and the entries that are not servers, with why. */
function read(id: string, text: string) {
  const adapter = host(id);
  const doc = adapter.format.parse(text, `${id}.${adapter.format.name}`);
  const raw = rawEntries(adapter.container, doc);
  const servers: ServerMap = new Map();
  const invalid: Record<string, string[]> = {};
  for (const [name, entry] of raw) {
    try {
      servers.set(name, adapter.decode(name, entry));
    } catch (e) {
      if (!(e instanceof ServerValidationError)) throw e;
      invalid[name] = e.problems;
    }
  }
  return { adapter, doc, raw, servers, invalid };
}

/** The plan of a sync from `from`'s file into `to`'s file (empty text: a new file). */
function plan(from: string, fromText: string, to: string, toText = ""): HostPlan {
  const src = read(from, fromText);
  expect(src.invalid).toEqual({});
  const dst = read(to, toText);
  return planTarget(
    src.servers,
    src.adapter.fields,
    {
      name: to,
      path: `/home/u/${to}`,
      adapter: dst.adapter,
      exists: toText !== "",
      text: toText,
      doc: dst.doc,
      raw: dst.raw,
      servers: dst.servers,
    },
    wctx,
  );
}

const actions = (p: HostPlan) => Object.fromEntries(p.changes.map((c) => [c.name, c.action]));
const lossFields = (p: HostPlan) => p.losses.map((l) => `${l.server}.${l.field ?? "(server)"}`);

describe("server names other hosts accept", () => {
  const VSCODE = `{
  "servers": {
    "io.github.ChromeDevTools/chrome-devtools-mcp": { "type": "stdio", "command": "npx", "args": ["chrome-devtools-mcp@latest"] },
    "Chrome DevTools": { "type": "stdio", "command": "npx", "args": ["chrome-devtools-mcp@latest"] }
  }
}
`;
  test("a VS Code gallery name and a name with spaces sync to every host and read back", () => {
    for (const to of HOSTS) {
      if (to.forProject) continue;
      const p = plan("vscode", VSCODE, to.id);
      expect({ host: to.id, actions: actions(p), problem: p.problem }).toEqual({
        host: to.id,
        actions: { "io.github.ChromeDevTools/chrome-devtools-mcp": "add", "Chrome DevTools": "add" },
        problem: undefined,
      });
      expect([...read(to.id, p.newText).servers.keys()].sort()).toEqual([
        "Chrome DevTools",
        "io.github.ChromeDevTools/chrome-devtools-mcp",
      ]);
    }
  });

  test("Codex gets them as quoted TOML keys", () => {
    const p = plan("vscode", VSCODE, "codex");
    expect(p.newText).toContain('[mcp_servers."io.github.ChromeDevTools/chrome-devtools-mcp"]\n');
    expect(p.newText).toContain('[mcp_servers."Chrome DevTools"]\n');
  });
});

describe("cwd", () => {
  test("a VS Code server's cwd reaches Codex and Gemini, which both have it", () => {
    const text = '{"servers":{"notes":{"type":"stdio","command":"node","args":["i.js"],"cwd":"/srv/notes"}}}';
    for (const to of ["codex", "gemini", "opencode", "goose", "roo-code"]) {
      const p = plan("vscode", text, to);
      expect({ to, losses: p.losses }).toEqual({ to, losses: [] });
      expect(read(to, p.newText).servers.get("notes")).toMatchObject({ cwd: "/srv/notes" });
    }
  });
});

describe("defaults are not losses", () => {
  const GOOSE = `extensions:
  github:
    name: github
    type: stdio
    cmd: npx
    args: []
    envs: {}
    env_keys: []
    bundled: null
    description: ''
    enabled: true
    timeout: 300
  archive:
    name: archive
    type: stdio
    cmd: uvx
    args:
    - mcp-archive
    enabled: false
    timeout: 300
`;
  test("Goose's bundled: null, env_keys: [], timeout: 300 and enabled: true are not losses; a disabled server is", () => {
    const p = plan("goose", GOOSE, "cursor", "{}");
    expect(lossFields(p)).toEqual(["archive.disabled"]);
  });

  test("opencode enabled: true and Zed settings: {} are not losses", () => {
    const opencode = '{"mcp":{"a":{"type":"local","command":["npx","a"],"enabled":true}}}';
    expect(plan("opencode", opencode, "cursor", "{}").losses).toEqual([]);
    const zed = '{"context_servers":{"a":{"command":"npx","args":[],"settings":{},"enabled":true}}}';
    expect(plan("zed", zed, "claude-desktop", "{}").losses).toEqual([]);
    expect(plan("zed", zed, "codex").losses).toEqual([]);
  });
});

describe("list containers", () => {
  test("Continue: an identical entry plans as unchanged, not as an update of no field", () => {
    const text = `name: Local Assistant
version: 1.0.0
schema: v1
mcpServers:
  - name: Chrome DevTools
    type: stdio
    command: npx
    args:
      - chrome-devtools-mcp@latest
  - name: docs
    type: streamable-http
    url: https://docs.example.com/mcp
    requestOptions:
      headers:
        X-Team: core
`;
    const p = plan("continue", text, "continue", text);
    expect(actions(p)).toEqual({ "Chrome DevTools": "unchanged", docs: "unchanged" });
    expect(p.changed).toBe(false);
  });

  test("Mistral Vibe: an identical entry plans as unchanged", () => {
    const text =
      '[[mcp_servers]]\nname = "fetch"\ntransport = "stdio"\ncommand = "uvx"\nargs = ["mcp-server-fetch"]\n';
    const p = plan("mistral-vibe", text, "mistral-vibe", text);
    expect(actions(p)).toEqual({ fetch: "unchanged" });
  });
});

describe("Trae", () => {
  test("reads // and /* */ comments and trailing commas, as its VS Code-based parser does", () => {
    const text =
      '{\n  // shared with VS Code\n  "mcpServers": {\n    "a": { "command": "npx", "args": ["a"], }, /* b */\n  },\n}\n';
    const p = plan("trae", text, "cursor", "{}");
    expect(actions(p)).toEqual({ a: "add" });
    expect(plan("cursor", '{"mcpServers":{"b":{"command":"b"}}}', "trae", text).newText).toContain(
      "// shared with VS Code",
    );
  });
});

describe("SSE", () => {
  const WINDSURF = `{
  "mcpServers": {
    "legacy": { "serverUrl": "https://legacy.example.com/sse", "type": "sse" },
    "modern": { "serverUrl": "https://modern.example.com/mcp" }
  }
}
`;
  test('Windsurf "type": "sse" is the transport, not a dropped field', () => {
    const p = plan("windsurf", WINDSURF, "cursor", "{}");
    expect(p.losses).toEqual([]);
    expect(read("cursor", p.newText).servers.get("legacy")).toMatchObject({ transport: "sse" });
  });

  test("Codex has no SSE: an SSE server is skipped with the reason, whatever the source host", () => {
    const sources: [string, string][] = [
      ["windsurf", WINDSURF],
      ["gemini", '{"mcpServers":{"legacy":{"url":"https://legacy.example.com/sse"}}}'],
      ["cursor", '{"mcpServers":{"legacy":{"type":"sse","url":"https://legacy.example.com/sse"}}}'],
      ["roo-code", '{"mcpServers":{"legacy":{"url":"https://legacy.example.com/sse"}}}'],
      [
        "goose",
        "extensions:\n  legacy:\n    type: sse\n    uri: https://legacy.example.com/sse\n    enabled: true\n",
      ],
    ];
    for (const [from, text] of sources) {
      const p = plan(from, text, "codex");
      expect({ from, change: p.changes.find((c) => c.name === "legacy") }).toEqual({
        from,
        change: { name: "legacy", action: "skip", reason: "Codex CLI cannot run SSE servers" },
      });
      expect(p.newText).not.toContain("legacy");
    }
    expect(actions(plan("windsurf", WINDSURF, "codex")).modern).toBe("add");
  });
});

describe("Zed extension servers", () => {
  const ZED = `{
  "context_servers": {
    "mcp-server-context7": { "source": "extension", "enabled": true, "settings": { "context7_api_key": "" } },
    "postgres-context-server": { "settings": { "database_url": "postgresql://localhost/app" } },
    "github": { "command": "github-mcp-server", "args": ["stdio"], "settings": {} },
    "broken": { "args": ["x"] }
  }
}
`;
  test("are listed with their reason, not as invalid entries", () => {
    const adapter = host("zed");
    const doc = adapter.format.parse(ZED, "settings.json");
    const outcome: Record<string, string> = {};
    for (const [name, raw] of rawEntries(adapter.container, doc)) {
      try {
        adapter.decode(name, raw);
        outcome[name] = "server";
      } catch (e) {
        outcome[name] =
          e instanceof UnconvertibleServerError ? `skipped: ${e.reason}` : `invalid: ${(e as Error).message}`;
      }
    }
    const reason =
      "skipped: a Zed extension server: Zed starts it from its extension, with no command or URL to copy to another host";
    expect(outcome).toEqual({
      "mcp-server-context7": reason,
      "postgres-context-server": reason,
      github: "server",
      broken: expect.stringContaining("invalid:"),
    });
  });

  test("a sync never turns an extension server into a custom one", () => {
    const p = plan(
      "cursor",
      '{"mcpServers":{"mcp-server-context7":{"url":"https://mcp.context7.com/mcp"}}}',
      "zed",
      ZED,
    );
    expect(p.changes).toEqual([
      {
        name: "mcp-server-context7",
        action: "skip",
        reason:
          '"mcp-server-context7" is a Zed extension server in this file; rename the server to add it to Zed',
      },
    ]);
    expect(p.changed).toBe(false);
  });
});

describe("Codex env_http_headers", () => {
  const CODEX = `[mcp_servers.linear]
url = "https://mcp.linear.app/mcp"
http_headers = { "X-Team" = "core" }
env_http_headers = { "Authorization" = "LINEAR_AUTH" }
`;
  test("become ${env:…} headers in Cursor and ${…} in Claude Code, lossless", () => {
    const cursor = plan("codex", CODEX, "cursor", "{}");
    expect(cursor.losses).toEqual([]);
    expect(JSON.parse(cursor.newText).mcpServers.linear.headers).toEqual({
      "X-Team": "core",
      Authorization: "${env:LINEAR_AUTH}",
    });
    const claude = plan("codex", CODEX, "claude-code", "{}");
    expect(JSON.parse(claude.newText).mcpServers.linear.headers.Authorization).toBe("${LINEAR_AUTH}");
  });

  test("a header that is one reference comes back to Codex as env_http_headers, never as the value", () => {
    const cursor = plan("codex", CODEX, "cursor", "{}").newText;
    const back = plan("cursor", cursor, "codex", CODEX);
    expect(actions(back)).toEqual({ linear: "unchanged" });
    const fresh = plan("cursor", cursor, "codex");
    expect(fresh.newText).toContain('env_http_headers = { Authorization = "LINEAR_AUTH" }');
    expect(fresh.newText).not.toContain("Bearer");
  });
});
