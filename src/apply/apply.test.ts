// applyPlans() through a faulty system seam: a failed host does not stop the others, a backup
// failure writes nothing, a file changed after planning is not overwritten.
import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readHost } from "../store/hostfile.ts";
import type { Workspace } from "../store/workspace.ts";
import { ApplyError } from "../core/errors.ts";
import { parseServer } from "../core/model.ts";
import { planTarget } from "../core/plan.ts";
import cursor from "../hosts/cursor.ts";
import lmstudio from "../hosts/lmstudio.ts";
import { pathContext } from "../hosts/_paths.ts";
import { MemorySystem, type System, type WriteOptions } from "../system/system.ts";
import { applyPlans } from "./apply.ts";

class FaultySystem extends MemorySystem {
  armed = false;
  constructor(readonly failOn: (path: string) => string | undefined) {
    super();
  }
  override writeAtomic(path: string, text: string, opts?: WriteOptions): void {
    const code = this.armed ? this.failOn(path) : undefined;
    if (code) throw new ApplyError(`Cannot write "${path}": ${code}`, undefined, path);
    super.writeAtomic(path, text, opts);
  }
}

function setup(system: System) {
  const hatchHome = mkdtempSync(join(tmpdir(), "hatch-apply-"));
  const ws: Workspace = {
    ctx: pathContext({ HOME: "/h", HATCH_PLATFORM: "linux" }),
    system,
    env: {},
    hatchHome,
  };
  system.writeAtomic("/h/.cursor/mcp.json", '{"mcpServers": {}}\n');
  system.writeAtomic("/h/.lmstudio/mcp.json", '{"mcpServers": {}}\n');
  const source = new Map([["a", parseServer("a", { command: "npx", args: ["a"] })]]);
  const plans = [
    { name: "cursor", adapter: cursor, path: "/h/.cursor/mcp.json" },
    { name: "lmstudio", adapter: lmstudio, path: "/h/.lmstudio/mcp.json" },
  ].map((t) => {
    const r = readHost({ ...t, scope: "user" }, system);
    return planTarget(source, cursor.fields, { ...t, ...r }, { env: {}, platform: "linux" });
  });
  const adapters = new Map([
    ["cursor", cursor],
    ["lmstudio", lmstudio],
  ]);
  if (system instanceof FaultySystem) system.armed = true;
  return { ws, plans, adapters };
}

describe("applyPlans()", () => {
  test("a failed host does not stop the others", () => {
    const sys = new FaultySystem((p) =>
      p === "/h/.cursor/mcp.json" ? "no space left on the device" : undefined,
    );
    const { ws, plans, adapters } = setup(sys);
    const r = applyPlans(ws, plans, { backup: false, reason: "test", adapters });
    expect(r.outcomes.map((o) => [o.host, o.status])).toEqual([
      ["cursor", "failed"],
      ["lmstudio", "written"],
    ]);
    expect(r.outcomes[0]?.error).toContain("no space left");
    expect(sys.readText("/h/.cursor/mcp.json")).toBe('{"mcpServers": {}}\n');
    expect(JSON.parse(sys.readText("/h/.lmstudio/mcp.json") as string).mcpServers.a).toEqual({
      command: "npx",
      args: ["a"],
    });
  });

  test("a backup that cannot be written stops everything before any host write", () => {
    const sys = new FaultySystem((p) => (p.includes("/backups/") ? "permission denied" : undefined));
    const { ws, plans, adapters } = setup(sys);
    expect(() => applyPlans(ws, plans, { backup: true, reason: "test", adapters })).toThrow(
      "Cannot create a backup",
    );
    expect(sys.readText("/h/.cursor/mcp.json")).toBe('{"mcpServers": {}}\n');
    expect(sys.readText("/h/.lmstudio/mcp.json")).toBe('{"mcpServers": {}}\n');
  });

  test("a file changed between plan and apply is not overwritten", () => {
    const sys = new MemorySystem();
    const { ws, plans, adapters } = setup(sys);
    sys.writeAtomic("/h/.cursor/mcp.json", '{"mcpServers": {"by-the-app": {"command": "z"}}}\n');
    const r = applyPlans(ws, plans, { backup: false, reason: "test", adapters });
    expect(r.outcomes[0]?.status).toBe("failed");
    expect(r.outcomes[0]?.error).toContain("changed after it was read");
    expect(sys.readText("/h/.cursor/mcp.json")).toContain("by-the-app");
    expect(r.outcomes[1]?.status).toBe("written");
  });

  test("a backup snapshot covers every host the run writes, stored once by content", () => {
    const sys = new MemorySystem();
    const { ws, plans, adapters } = setup(sys);
    const r = applyPlans(ws, plans, { backup: true, reason: "sync", adapters });
    expect(r.snapshot?.files.map((f) => f.host)).toEqual(["cursor", "lmstudio"]);
    // Both files had the same bytes, and both were written the same new bytes: one object for what
    // was found, one for what the writes left (recorded as each file's "after").
    expect(new Set(r.snapshot?.files.map((f) => f.sha256)).size).toBe(1);
    const objects = [...sys.files.keys()].filter((k) => k.includes("/backups/objects/"));
    expect(objects.length).toBe(2);
    expect(sys.stat(objects[0] as string)?.mode).toBe(0o600);
  });
});
