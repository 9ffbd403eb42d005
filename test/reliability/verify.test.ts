// Verification happens before the write: a planned text that would not read back as planned is
// refused and the file is left as it was. (Found by the fuzzer: every sync into Continue or Mistral
// Vibe, whose servers are a list keyed by name, failed verification after the file had already
// been written, so the host was reported failed while its file had changed.)
import { expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { applyPlans } from "../../src/apply/apply.ts";
import { sync } from "../../src/api/sync.ts";
import { defaultWorkspace } from "../../src/store/workspace.ts";
import { HOSTS } from "../../src/hosts/registry.ts";
import { envAdapter } from "../../src/store/envs.ts";
import { claudeSource } from "./helpers.ts";

function workspace() {
  const home = mkdtempSync(join(tmpdir(), "hatch-verify-"));
  const ws = defaultWorkspace({ HOME: home, HATCH_HOME: join(home, ".hatch"), HATCH_PLATFORM: "linux" });
  const put = (id: string, text: string) => {
    const p = HOSTS.find((h) => h.id === id)?.userPath(ws.ctx) as string;
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    return p;
  };
  put("claude-desktop", claudeSource(3));
  return { ws, put };
}

const LIST_HOSTS: [string, string][] = [
  ["continue", "name: Local Assistant\nversion: 1.0.0\nschema: v1\nmodels: []\n"],
  ["mistral-vibe", 'model = "devstral"\n'],
];

test.each(LIST_HOSTS)(
  "a sync into %s (servers in a list keyed by name) is written and verified",
  async (id, text) => {
    const { ws, put } = workspace();
    const p = put(id, text);
    const r = await sync().withWorkspace(ws).from("claude-desktop").to(id).apply();
    expect(r.outcomes.map((o) => [o.status, o.error])).toEqual([["written", undefined]]);
    expect(readFileSync(p, "utf8")).toContain("srv-0002");
    // And the same sync again is a no-op.
    const again = await sync().withWorkspace(ws).from("claude-desktop").to(id).apply();
    expect(again.outcomes.map((o) => o.status)).toEqual(["unchanged"]);
  },
);

test("a planned text that would not read back as planned is refused before it is written", async () => {
  const { ws, put } = workspace();
  const p = put("cursor", '{\n  "mcpServers": {}\n}\n');
  const plan = await sync().withWorkspace(ws).from("claude-desktop").to("cursor").plan();
  const host = plan.hosts[0];
  if (!host) throw new Error("no plan");
  // An encoder bug: the text parses but lacks a planned server.
  const broken = { ...host, newText: '{\n  "mcpServers": {"srv-0000": {"command": "npx"}}\n}\n' };
  const adapters = new Map([...HOSTS.map((h) => [h.id, h] as const), [envAdapter.id, envAdapter] as const]);
  const r = applyPlans(ws, [broken], { backup: true, reason: "sync", adapters });
  expect(r.outcomes[0]?.status).toBe("failed");
  expect(r.outcomes[0]?.error).toContain("nothing was written");
  expect(readFileSync(p, "utf8")).toBe('{\n  "mcpServers": {}\n}\n');
});

test("a codec bug found when planning: the preview says so, and apply writes nothing to that host", async () => {
  const { ws, put } = workspace();
  const cursor = put("cursor", '{\n  "mcpServers": {}\n}\n');
  const vscode = put("vscode", '{\n  "servers": {}\n}\n');
  const format = HOSTS.find((h) => h.id === "cursor")?.format;
  if (!format) throw new Error("no cursor format");
  const edit = format.edit;
  // A JSON edit that loses the first planned change (both hosts are JSONC files).
  (format as { edit: typeof edit }).edit = (text, edits, path) => edit(text, edits.slice(1), path);
  let r: Awaited<ReturnType<ReturnType<typeof sync>["apply"]>>;
  let plan: Awaited<ReturnType<ReturnType<typeof sync>["plan"]>>;
  try {
    plan = await sync().withWorkspace(ws).from("claude-desktop").to("cursor").plan();
    r = await sync().withWorkspace(ws).from("claude-desktop").to("cursor,vscode").apply();
  } finally {
    (format as { edit: typeof edit }).edit = edit;
  }
  expect(plan.hosts[0]?.problem).toBe('server "srv-0000" would not read back as written');
  expect((plan.toJSON() as { hosts: { problem?: string }[] }).hosts[0]?.problem).toContain("srv-0000");
  expect(r.outcomes.map((o) => o.status)).toEqual(["failed", "failed"]);
  expect(r.outcomes[0]?.error).toBe(
    'Verification failed, nothing was written: server "srv-0000" would not read back as written',
  );
  expect(readFileSync(cursor, "utf8")).toBe('{\n  "mcpServers": {}\n}\n');
  expect(readFileSync(vscode, "utf8")).toBe('{\n  "servers": {}\n}\n');
});
