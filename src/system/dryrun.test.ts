// DryRunSystem: writes and removals are recorded and seen by later reads of the run; the real
// file system is never changed.
import { expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DryRunSystem } from "./dryrun.ts";
import { RealSystem } from "./system.ts";

test("DryRunSystem records writes, removals and directories; reads see them; the disk does not", () => {
  const dir = mkdtempSync(join(tmpdir(), "hatch-dry-"));
  const a = join(dir, "a.json");
  writeFileSync(a, "old\n");
  const sys = new DryRunSystem(new RealSystem());
  sys.mkdirp(join(dir, "new"));
  sys.writeAtomic(join(dir, "new", "b.json"), "b\n", { verify: true });
  sys.writeAtomic(a, "new\n");
  expect(sys.readText(a)).toBe("new\n");
  expect(sys.readText(join(dir, "new", "b.json"))).toBe("b\n");
  sys.remove(a);
  expect(sys.readText(a)).toBeUndefined();
  expect(sys.exists(a)).toBe(false);
  expect(readFileSync(a, "utf8")).toBe("old\n");
  expect(existsSync(join(dir, "new"))).toBe(false);
  expect(sys.changes.map((c) => c.action)).toEqual(["mkdir", "write", "write", "remove"]);
});
