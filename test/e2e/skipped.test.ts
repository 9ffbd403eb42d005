// An entry hatch cannot convert is listed and skipped with its reason, never dropped without a
// line: a remote entry in Claude Desktop's file (which runs only local servers from the file).
import { beforeAll, expect, test } from "bun:test";
import { CLAUDE, CURSOR, hostJson, requireBinary, TempHome } from "./harness.ts";

beforeAll(requireBinary);

const REASON = 'Claude Desktop runs only local servers from this file (a "command")';

test("a remote entry in Claude Desktop's file: listed with the real reason, and a sync from it says it is skipped", () => {
  const h = new TempHome();
  h.write(CLAUDE, hostJson({ remote: { url: "https://mcp.example.com/mcp" }, local: { command: "x" } }));
  h.write(CURSOR, hostJson({}));
  const list = h.run(["mcp", "list", "servers", "--host", "claude-desktop"]);
  expect(list.stderr).toContain(REASON);
  expect(list.stderr).not.toContain('set "command"');
  const sync = h.run(["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor", "-y", "--json"]);
  expect(sync.code).toBe(0);
  const doc = JSON.parse(sync.stdout) as { warnings: string[]; servers: string[] };
  expect(doc.servers).toEqual(["local"]);
  expect(doc.warnings.join("\n")).toContain('entry "remote" is skipped');
  expect(doc.warnings.join("\n")).toContain(REASON);
  const human = h.run(["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor", "--dry-run"]);
  expect(human.stderr).toContain('entry "remote" is skipped');
});

test("a Zed extension server is listed as skipped with its reason (--json: skipped, not invalid)", () => {
  const h = new TempHome();
  h.write(
    ".config/zed/settings.json",
    JSON.stringify({
      context_servers: {
        "ext-server": { source: "extension", settings: {} },
        local: { command: "x", args: [] },
      },
    }),
  );
  const r = h.run(["mcp", "list", "servers", "--host", "zed", "--json"]);
  expect(r.code).toBe(0);
  const doc = JSON.parse(r.stdout) as {
    servers: { name: string }[];
    invalid: unknown[];
    skipped: { host: string; name: string; reason: string }[];
  };
  expect(doc.servers.map((s) => s.name)).toEqual(["local"]);
  expect(doc.invalid).toEqual([]);
  expect(doc.skipped).toEqual([expect.objectContaining({ host: "zed", name: "ext-server" })]);
  expect(doc.skipped[0]?.reason).toContain("extension");
});
