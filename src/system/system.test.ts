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
import fc from "fast-check";
import { fileHolds, RealSystem } from "./system.ts";

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

  test("writes of any text, longer and shorter in turn, hold exactly its UTF-8 bytes", () => {
    // The writes share their encode and read-back buffers: no byte of an earlier, longer text
    // may reach a later file, and lone surrogates are written as Buffer.from writes them.
    const dir = mkdtempSync(join(tmpdir(), "hatch-sys-"));
    const p = join(dir, "f.json");
    const text = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 300 }),
      fc.string({ unit: "binary", maxLength: 300 }),
      fc.string({ maxLength: 200_000 }),
    );
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 4 }), (texts) => {
        for (const t of texts) {
          sys.writeAtomic(p, t, { verify: true });
          expect(readFileSync(p).equals(Buffer.from(t, "utf8"))).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  test("the read-back check refuses a file that differs from the bytes by one byte, or in length", () => {
    const dir = mkdtempSync(join(tmpdir(), "hatch-sys-"));
    const p = join(dir, "f.txt");
    const bytes = Buffer.from("hello, wörld\n", "utf8");
    const len = bytes.length;
    writeFileSync(p, bytes);
    expect(fileHolds(p, bytes, len)).toBe(true);
    const changed = Buffer.from(bytes);
    changed[3] = 0x21;
    writeFileSync(p, changed);
    expect(fileHolds(p, bytes, len)).toBe(false);
    writeFileSync(p, Buffer.concat([bytes, Buffer.from("x")]));
    expect(fileHolds(p, bytes, len)).toBe(false);
    writeFileSync(p, bytes.subarray(0, len - 1));
    expect(fileHolds(p, bytes, len)).toBe(false);
    // Only the first len bytes of the buffer count (the rest is an earlier write's).
    writeFileSync(p, bytes.subarray(0, 5));
    expect(fileHolds(p, bytes, 5)).toBe(true);
    writeFileSync(p, "");
    expect(fileHolds(p, bytes, 0)).toBe(true);
  });

  test("a directory in the way is a clear error naming the path", () => {
    const dir = mkdtempSync(join(tmpdir(), "hatch-sys-"));
    expect(() => sys.readText(dir)).toThrow("it is a directory");
  });
});
