import { describe, expect, test } from "bun:test";
import {
  chmodSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RealSystem } from "./system.ts";

const sys = new RealSystem();

describe("RealSystem.writeAtomic()", () => {
  test("keeps the exact mode of the file it replaces, whatever the umask", () => {
    const dir = mkdtempSync(join(tmpdir(), "hatch-sys-"));
    const p = join(dir, "f.json");
    writeFileSync(p, "{}");
    chmodSync(p, 0o666);
    const old = process.umask(0o022);
    try {
      sys.writeAtomic(p, '{"a": 1}');
    } finally {
      process.umask(old);
    }
    expect(statSync(p).mode & 0o777).toBe(0o666);
    expect(readFileSync(p, "utf8")).toBe('{"a": 1}');
  });

  test("writes through a symlink and leaves no temp file behind", () => {
    const dir = mkdtempSync(join(tmpdir(), "hatch-sys-"));
    const real = join(dir, "real.json");
    const link = join(dir, "link.json");
    writeFileSync(real, "old");
    symlinkSync(real, link);
    sys.writeAtomic(link, "new");
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, "utf8")).toBe("new");
    expect(readdirSync(dir).sort()).toEqual(["link.json", "real.json"]);
  });

  test("creates missing directories and gives new files the requested mode", () => {
    const dir = mkdtempSync(join(tmpdir(), "hatch-sys-"));
    const p = join(dir, "a", "b", "c.yaml");
    sys.writeAtomic(p, "x: 1\n", { mode: 0o600 });
    expect(statSync(p).mode & 0o777).toBe(0o600);
  });

  test("a directory in the way is a clear error naming the path", () => {
    const dir = mkdtempSync(join(tmpdir(), "hatch-sys-"));
    expect(() => sys.readText(dir)).toThrow("it is a directory");
  });
});
