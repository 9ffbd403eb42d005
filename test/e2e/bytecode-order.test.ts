// The binary's bytecode is laid out by the profiles the build recorded (scripts/bytecode-order.ts,
// `bun build --bytecode-order`): a script run through the binary (`hatch run`) asks the runtime
// how many of the functions it loaded came from the part the profiles put first. A binary built
// without them answers null. Counts, not times: what is laid out, not how fast it starts.
import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { orderFiles } from "../../scripts/bytecode-order.ts";
import { requireBinary, TempHome } from "./harness.ts";

beforeAll(requireBinary);

describe("the bytecode layout (bun build --bytecode-order)", () => {
  test("the build recorded a profile per common run, most common first", () => {
    const files = orderFiles(join(import.meta.dir, "..", "..", "dist", "bytecode-order"));
    expect(files.map((f) => f.replace(/.*\//, ""))).toEqual([
      "everyday.txt",
      "version.txt",
      "formats.txt",
      "dry-run.txt",
      "list.txt",
    ]);
    for (const f of files) {
      expect(existsSync(f)).toBe(true);
      const lines = readFileSync(f, "utf8").split("\n");
      expect(lines[0]).toBe("v2");
      expect(lines.length).toBeGreaterThan(100);
    }
  });

  test("the binary is laid out by them: a run through it loads hatch's code from the used part", () => {
    const h = new TempHome();
    h.write(
      "stats.ts",
      `import { sync, host } from "hatch";
import { bytecodeOrderStats } from "bun:jsc";
await sync().from(host("claude-desktop")).to("cursor").plan();
console.log(JSON.stringify(bytecodeOrderStats()));
`,
    );
    h.write(".config/Claude/claude_desktop_config.json", '{"mcpServers": {"a": {"command": "x"}}}\n');
    h.write(".cursor/mcp.json", '{"mcpServers": {}}\n');
    const r = h.run(["run", "stats.ts"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const stats = JSON.parse(r.stdout) as { hot: number; cold: number; unknown: number } | null;
    expect(stats).not.toBeNull();
    if (!stats) return;
    // Planning a sync runs code the recorded runs used: most of it comes from the front.
    expect(stats.hot).toBeGreaterThan(100);
    expect(stats.hot).toBeGreaterThan(stats.cold);
  });
});
