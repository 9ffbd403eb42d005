// The builder: immutable, lazy, awaitable; one engine with the CLI.
import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathContext } from "../hosts/_paths.ts";
import { MemorySystem, type WriteOptions } from "../system/system.ts";
import { env, host, StrictLossError, SyncBuilder, sync } from "./sync.ts";
import type { Workspace } from "../store/workspace.ts";

class CountingSystem extends MemorySystem {
  reads = 0;
  writes = 0;
  override readText(path: string): string | undefined {
    this.reads++;
    return super.readText(path);
  }
  override writeAtomic(path: string, text: string, opts?: WriteOptions): void {
    this.writes++;
    super.writeAtomic(path, text, opts);
  }
}

const CLAUDE = "/h/.config/Claude/claude_desktop_config.json";
const CURSOR = "/h/.cursor/mcp.json";
const CODEX = "/h/.codex/config.toml";

function workspace(): { ws: Workspace; sys: CountingSystem } {
  const sys = new CountingSystem();
  sys.writeAtomic(
    CLAUDE,
    JSON.stringify({
      mcpServers: {
        "prod-api": { command: "npx", args: ["prod"] },
        "dev-tool": { command: "dev" },
        web: { command: "w" },
      },
    }),
  );
  sys.writeAtomic(CURSOR, '{"mcpServers": {}}\n');
  sys.writeAtomic(CODEX, 'model = "o4"\n');
  sys.reads = 0;
  sys.writes = 0;
  const hatchHome = mkdtempSync(join(tmpdir(), "hatch-builder-"));
  return {
    ws: { ctx: pathContext({ HOME: "/h", HATCH_PLATFORM: "linux" }), system: sys, env: {}, hatchHome },
    sys,
  };
}

describe("SyncBuilder", () => {
  test("is lazy: building a chain reads nothing", () => {
    const { ws, sys } = workspace();
    sync()
      .withWorkspace(ws)
      .from(host("claude-desktop"))
      .to("cursor")
      .filter(/^prod-/)
      .servers("prod-api")
      .mirror()
      .strict()
      .dryRun();
    expect(sys.reads).toBe(0);
  });

  test("is immutable: a base builder forks into independent plans", async () => {
    const { ws } = workspace();
    const base = sync().withWorkspace(ws).from("claude-desktop");
    const a = base.to("cursor");
    const b = base.to("codex").filter("^prod-");
    const pa = await a.plan();
    const pb = await b.plan();
    expect(pa.hosts.map((h) => h.host)).toEqual(["cursor"]);
    expect(pa.servers).toEqual(["prod-api", "dev-tool", "web"]);
    expect(pb.hosts.map((h) => h.host)).toEqual(["codex"]);
    expect(pb.servers).toEqual(["prod-api"]);
    await expect(base.plan()).rejects.toThrow("No target");
  });

  test("filter() takes a RegExp, a pattern string or a predicate", async () => {
    const { ws } = workspace();
    const b = sync().withWorkspace(ws).from("claude-desktop").to("cursor");
    expect((await b.filter(/^prod-/).plan()).servers).toEqual(["prod-api"]);
    expect((await b.filter("^(?!dev-)").plan()).servers).toEqual(["prod-api", "web"]);
    expect(
      (await b.filter((name, s) => "command" in s && s.command === "w" && name === "web").plan()).servers,
    ).toEqual(["web"]);
    expect(() => b.filter(42 as unknown as RegExp)).toThrow(TypeError);
  });

  test("awaiting a builder writes nothing (it is not thenable); dryRun() writes nothing; apply() writes", async () => {
    const { ws, sys } = workspace();
    const awaited: unknown = await sync().withWorkspace(ws).from("claude-desktop").to("cursor");
    expect(awaited).toBeInstanceOf(SyncBuilder);
    expect(sys.writes).toBe(0);
    const asyncFn = async () => sync().withWorkspace(ws).from("claude-desktop").to("cursor");
    expect(await asyncFn()).toBeInstanceOf(SyncBuilder);
    expect(sys.writes).toBe(0);
    const dry = await sync().withWorkspace(ws).from("claude-desktop").to("cursor").dryRun().apply();
    expect(dry.dryRun).toBe(true);
    expect(sys.writes).toBe(0);
    const res = await sync().withWorkspace(ws).from("claude-desktop").to(["cursor"]).noBackup().apply();
    expect(res.ok).toBe(true);
    expect(res.outcomes).toEqual([{ host: "cursor", path: CURSOR, status: "written", servers: 3 }]);
    expect(JSON.parse(sys.readText(CURSOR) as string).mcpServers["prod-api"]).toEqual({
      command: "npx",
      args: ["prod"],
    });
  });

  test("plan JSON has the same shape as the CLI's --json", async () => {
    const { ws } = workspace();
    const plan = await sync().withWorkspace(ws).from("claude-desktop").to("cursor").plan();
    const doc = JSON.parse(JSON.stringify(plan)) as Record<string, unknown>;
    expect(Object.keys(doc).sort()).toEqual([
      "drift",
      "hosts",
      "kind",
      "servers",
      "source",
      "totals",
      "warnings",
    ]);
    expect(plan.summary()).toContain("cursor: 3 to add");
  });

  test("a serialized plan or result redacts env values and headers unless showSecrets()", async () => {
    const { ws, sys } = workspace();
    sys.writeAtomic(
      CURSOR,
      JSON.stringify({ mcpServers: { "prod-api": { command: "npx", env: { TOKEN: "old-secret-1" } } } }),
    );
    sys.writeAtomic(
      CLAUDE,
      JSON.stringify({ mcpServers: { "prod-api": { command: "npx", env: { TOKEN: "new-secret-2" } } } }),
    );
    const b = sync().withWorkspace(ws).from("claude-desktop").to("cursor");
    const plan = await b.plan();
    const text = `${JSON.stringify(plan)}${plan.summary()}${String(plan)}`;
    expect(text).not.toContain("secret-1");
    expect(text).not.toContain("secret-2");
    expect(text).toContain("******");
    const result = await b.dryRun().apply();
    expect(JSON.stringify(result)).not.toContain("secret-2");
    const shown = JSON.stringify(await b.showSecrets().plan());
    expect(shown).toContain("old-secret-1");
    expect(shown).toContain("new-secret-2");
  });

  test(".to() takes arrays and arguments alike; API errors name API calls, not CLI flags", async () => {
    const { ws } = workspace();
    const a = await sync().withWorkspace(ws).from("claude-desktop").to(["cursor", "codex"]).plan();
    const b = await sync().withWorkspace(ws).from("claude-desktop").to("cursor", "codex").plan();
    expect(a.hosts.map((h) => h.host)).toEqual(["cursor", "codex"]);
    expect(b.hosts.map((h) => h.host)).toEqual(a.hosts.map((h) => h.host));
    const err = (await sync()
      .withWorkspace(ws)
      .to("cursor")
      .plan()
      .catch((e) => e)) as Error;
    expect(err.message).toContain(".from(");
    expect(err.message).not.toContain("--from");
    const err2 = (await sync()
      .withWorkspace(ws)
      .from("cursor")
      .plan()
      .catch((e) => e)) as Error;
    expect(err2.message).toContain(".to(");
  });

  test("strict() turns a loss into StrictLossError before anything is written", async () => {
    const { ws, sys } = workspace();
    sys.writeAtomic(CURSOR, JSON.stringify({ mcpServers: { r: { url: "https://x.dev/mcp" } } }));
    sys.writes = 0;
    await expect(
      sync().withWorkspace(ws).from("cursor").to("claude-desktop").strict().apply(),
    ).rejects.toBeInstanceOf(StrictLossError);
    expect(sys.writes).toBe(0);
  });

  test("env() and host() refuse empty names", () => {
    expect(() => env("")).toThrow(TypeError);
    expect(() => host("")).toThrow(TypeError);
  });
});

describe("SyncBuilder.project()", () => {
  test("targets the hosts' project files; a source without project scope reads its user file", async () => {
    const { ws, sys } = workspace();
    sys.writeAtomic("/proj/.cursor/mcp.json", '{"mcpServers": {}}\n');
    const res = await sync()
      .withWorkspace(ws)
      .from("claude-desktop")
      .to("cursor", "claude-code")
      .project("/proj")
      .noBackup()
      .apply();
    expect(res.ok).toBe(true);
    expect(res.plan.hosts.map((h) => h.path)).toEqual(["/proj/.cursor/mcp.json", "/proj/.mcp.json"]);
    expect(Object.keys(JSON.parse(sys.readText("/proj/.mcp.json") as string).mcpServers)).toEqual([
      "prod-api",
      "dev-tool",
      "web",
    ]);
    expect(sys.readText(CURSOR)).toBe('{"mcpServers": {}}\n');
  });

  test("a target host without a project file is refused at project scope", async () => {
    const { ws, sys } = workspace();
    sys.writeAtomic("/proj/.cursor/mcp.json", '{"mcpServers": {"a": {"command": "x"}}}\n');
    await expect(
      sync().withWorkspace(ws).from("cursor").to("claude-desktop").project("/proj").plan(),
    ).rejects.toThrow('Host "claude-desktop" has no project scope');
  });
});
