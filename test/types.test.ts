// The declarations `hatch types` writes must describe the real API: every example script is
// type-checked against them (as a user's editor would), not only against the source.
import { expect, test } from "bun:test";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dir, "..");

test("examples type-check against the declarations written by `hatch types`", () => {
  const dir = mkdtempSync(join(tmpdir(), "hatch-types-"));
  cpSync(join(root, "examples"), dir, { recursive: true });
  writeFileSync(join(dir, "hatch.d.ts"), readFileSync(join(root, "src/runtime/hatch-dts.txt"), "utf8"));
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ESNext",
        module: "Preserve",
        moduleResolution: "bundler",
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        lib: ["ESNext"],
        types: ["bun"],
        typeRoots: [join(root, "node_modules/@types")],
      },
      include: ["*.ts"],
    }),
  );
  const p = Bun.spawnSync([join(root, "node_modules/.bin/tsc"), "-p", dir], {
    stdout: "pipe",
    stderr: "pipe",
  });
  expect(p.stdout.toString() + p.stderr.toString()).toBe("");
  expect(p.exitCode).toBe(0);
}, 60_000);

test("the declarations name every value the API module exports", async () => {
  const api = await import("../src/mod.ts");
  const dts = readFileSync(join(root, "src/runtime/hatch-dts.txt"), "utf8");
  for (const name of Object.keys(api)) {
    expect(dts).toMatch(new RegExp(`export (const|function|class) ${name}\\b`));
  }
});
