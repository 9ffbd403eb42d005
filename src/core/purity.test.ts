// core/ is pure: planning is data in, data out. No file, process or network I/O may creep in.
import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

test("core/ imports no I/O modules", () => {
  const dir = import.meta.dir;
  const offenders: string[] = [];
  for (const f of readdirSync(dir)) {
    if (!f.endsWith(".ts") || f.endsWith(".test.ts")) continue;
    const src = readFileSync(join(dir, f), "utf8");
    for (const m of src.matchAll(/from\s+"([^"]+)"/g)) {
      const mod = m[1] as string;
      if (/^(node:)?(fs|fs\/promises|child_process|net|http|https|os)$/.test(mod) || mod === "bun")
        offenders.push(`${f}: ${mod}`);
    }
    if (/\bBun\.(file|write|spawn)|process\.(env|exit)/.test(src))
      offenders.push(`${f}: uses Bun/process I/O`);
  }
  expect(offenders).toEqual([]);
});
