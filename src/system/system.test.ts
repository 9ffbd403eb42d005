import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { execFileSync, spawnSync } from "node:child_process";
import { isUtf8 } from "node:buffer";
import {
  chmodSync,
  chownSync,
  existsSync,
  lchownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import fc from "fast-check";
import { HostParseError } from "../core/errors.ts";
import {
  fileHolds,
  invalidUtf8Offset,
  MAX_READ_BYTES,
  RealSystem,
  RefusedFileError,
  SharedPathError,
  writerGone,
} from "./system.ts";

/** useradd/userdel live in /usr/sbin, which a PATH of a non-login shell may lack. */
function sbin(cmd: string): string {
  return existsSync(`/usr/sbin/${cmd}`) ? `/usr/sbin/${cmd}` : cmd;
}

const sys = new RealSystem();

describe("temp files of dead runs, whose pid may be another process's by now", () => {
  // Linux reuses pids (they wrap at 32,768, and each thread takes one): a killed run's temp file
  // can carry the pid of a live process that started after it; that process did not write it.
  test.skipIf(process.platform !== "linux")(
    "a temp file older than the live process holding its pid is removed by the next write; a newer one is kept",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "hatch-reuse-"));
      const child = Bun.spawn(["sleep", "30"]);
      try {
        const old = join(dir, `.f.json.hatch-${child.pid}-abc123.tmp`);
        const fresh = join(dir, `.g.json.hatch-${child.pid}-def456.tmp`);
        writeFileSync(old, "left by a killed run");
        writeFileSync(fresh, "maybe the live process's own");
        const hourAgo = new Date(Date.now() - 3_600_000);
        utimesSync(old, hourAgo, hourAgo);
        expect(writerGone(child.pid, hourAgo.getTime())).toBe(true);
        expect(writerGone(child.pid, Date.now())).toBe(false);
        sys.writeAtomic(join(dir, "f.json"), "{}\n");
        expect(existsSync(old)).toBe(false);
        expect(existsSync(fresh)).toBe(true);
        expect(readFileSync(join(dir, "f.json"), "utf8")).toBe("{}\n");
      } finally {
        child.kill();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  test("a pid no process has is gone, whenever the file was written", () => {
    expect(writerGone(2 ** 22 + 12_345, Date.now())).toBe(true);
  });
});

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

// ---------------------------------------------------------------------------------------------
// Hardening (issue 26): another user on the machine, the umask, files that are not files, bytes.

const isRoot = process.geteuid?.() === 0;

/** A second user for this test file (created with useradd; removed at the end). Root only. */
function otherUser(): { name: string; uid: number; gid: number } {
  const name = `hx${process.pid % 100000}s`;
  const id = (flag: string) =>
    Number(
      execFileSync("id", [flag, name], { stdio: ["ignore", "pipe", "ignore"] })
        .toString()
        .trim(),
    );
  try {
    return { name, uid: id("-u"), gid: id("-g") };
  } catch {
    execFileSync(sbin("useradd"), ["-M", "-N", "-s", "/usr/sbin/nologin", name], { stdio: "ignore" });
    return { name, uid: id("-u"), gid: id("-g") };
  }
}

describe("RealSystem.writeAtomicMany()", () => {
  test("writes every file of a batch with its own mode, in one or several directories", () => {
    const dir = mkdtempSync(join(tmpdir(), "hatch-sys-"));
    const files = [
      { path: join(dir, "objects", "a"), data: "one\n", opts: { mode: 0o600 } },
      { path: join(dir, "objects", "b"), data: Buffer.from("two\n"), opts: { mode: 0o640 } },
      { path: join(dir, "snapshots", "c.json"), data: "{}\n", opts: { verify: true } },
    ];
    sys.writeAtomicMany(files);
    expect(readFileSync(join(dir, "objects", "a"), "utf8")).toBe("one\n");
    expect(readFileSync(join(dir, "objects", "b"), "utf8")).toBe("two\n");
    expect(readFileSync(join(dir, "snapshots", "c.json"), "utf8")).toBe("{}\n");
    expect(statSync(join(dir, "objects", "a")).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "objects", "b")).mode & 0o777).toBe(0o640);
    // No temp file is left in either directory.
    expect(readdirSync(join(dir, "objects")).sort()).toEqual(["a", "b"]);
    expect(readdirSync(join(dir, "snapshots"))).toEqual(["c.json"]);
  });

  test("a directory the batch checked does not vouch for another one beside it", () => {
    const dir = mkdtempSync(join(tmpdir(), "hatch-sys-"));
    mkdirSync(join(dir, "good"));
    mkdirSync(join(dir, "open"));
    chmodSync(join(dir, "open"), 0o777);
    expect(() =>
      sys.writeAtomicMany([
        { path: join(dir, "good", "a"), data: "a" },
        { path: join(dir, "open", "b"), data: "b" },
      ]),
    ).toThrow(/writable by every user \(mode 0777\)/);
    // Files before the refused one are written; the refused one is not.
    expect(readFileSync(join(dir, "good", "a"), "utf8")).toBe("a");
    expect(readdirSync(join(dir, "open"))).toEqual([]);
  });
});

describe("RealSystem.writeAtomic() refuses a path another user can redirect", () => {
  let user: { name: string; uid: number; gid: number } | undefined;
  beforeAll(() => {
    if (isRoot) user = otherUser();
  });
  afterAll(() => {
    if (user) spawnSync(sbin("userdel"), [user.name], { stdio: "ignore" });
  });
  const rootOnly = () => {
    const dir = mkdtempSync(join(tmpdir(), "hatch-sys-"));
    const secret = join(dir, "shadow");
    writeFileSync(secret, "root:secret\n", { mode: 0o600 });
    return secret;
  };

  test.skipIf(!isRoot)("a world-writable directory: the other user's symlink is not followed", () => {
    const u = user as { uid: number; gid: number };
    const secret = rootOnly();
    const shared = mkdtempSync(join(tmpdir(), "hatch-sys-"));
    chmodSync(shared, 0o777);
    const host = join(shared, "claude.json");
    // The other user swaps the host file for a link to root's file (the link is theirs).
    symlinkSync(secret, host);
    lchownSync(host, u.uid, u.gid);
    expect(() => sys.writeAtomic(host, '{"mcpServers": {}}')).toThrow(SharedPathError);
    expect(() => sys.writeAtomic(host, "x")).toThrow(/another user could redirect the write/);
    expect(readFileSync(secret, "utf8")).toBe("root:secret\n");
    expect(statSync(secret).mode & 0o777).toBe(0o600);
    // Even a plain file there: the directory itself is the problem.
    rmSync(host);
    writeFileSync(host, "{}");
    expect(() => sys.writeAtomic(host, "x")).toThrow(/writable by every user \(mode 0777\)/);
  });

  test.skipIf(!isRoot)("a directory another user owns, and a symlink another user owns, are refused", () => {
    const u = user as { uid: number; gid: number };
    const secret = rootOnly();
    const theirs = mkdtempSync(join(tmpdir(), "hatch-sys-"));
    chownSync(theirs, u.uid, u.gid);
    expect(() => sys.writeAtomic(join(theirs, "mcp.json"), "{}")).toThrow(/owned by another user/);
    expect(readdirSync(theirs)).toEqual([]);
    // A directory above the file counts too (they could rename the child away).
    mkdirSync(join(theirs, "sub"));
    expect(() => sys.writeAtomic(join(theirs, "sub", "mcp.json"), "{}")).toThrow(SharedPathError);
    // A link the other user owns, in root's own directory.
    const mine = mkdtempSync(join(tmpdir(), "hatch-sys-"));
    const link = join(mine, "mcp.json");
    symlinkSync(secret, link);
    lchownSync(link, u.uid, u.gid);
    expect(() => sys.writeAtomic(link, "{}")).toThrow(/the link .* is owned by another user/);
    expect(readFileSync(secret, "utf8")).toBe("root:secret\n");
    // Root's own link to root's own file is written through, as always.
    lchownSync(link, 0, 0);
    sys.writeAtomic(link, "{}");
    expect(readFileSync(secret, "utf8")).toBe("{}");
    // Asked to: HATCH_ALLOW_SHARED_PATHS=1.
    process.env.HATCH_ALLOW_SHARED_PATHS = "1";
    try {
      sys.writeAtomic(join(theirs, "mcp.json"), "{}");
    } finally {
      delete process.env.HATCH_ALLOW_SHARED_PATHS;
    }
    expect(readFileSync(join(theirs, "mcp.json"), "utf8")).toBe("{}");
  });

  test.skipIf(!isRoot)(
    "a sticky shared directory (/tmp) may be passed through, to the running user's entry only",
    () => {
      const u = user as { uid: number; gid: number };
      const sticky = mkdtempSync(join(tmpdir(), "hatch-sys-"));
      chmodSync(sticky, 0o1777);
      const mine = join(sticky, "mine");
      mkdirSync(mine, { mode: 0o755 });
      sys.writeAtomic(join(mine, "a.json"), "{}");
      expect(readFileSync(join(mine, "a.json"), "utf8")).toBe("{}");
      const theirs = join(sticky, "theirs");
      mkdirSync(theirs, { mode: 0o755 });
      chownSync(theirs, u.uid, u.gid);
      expect(() => sys.writeAtomic(join(theirs, "a.json"), "{}")).toThrow(SharedPathError);
      // A file directly in the shared directory: someone else could have planted its name.
      expect(() => sys.writeAtomic(join(sticky, "a.json"), "{}")).toThrow(SharedPathError);
    },
  );

  test.skipIf(!isRoot)("the mode of a file another user owned is not copied; the running user's is", () => {
    const u = user as { uid: number; gid: number };
    const dir = mkdtempSync(join(tmpdir(), "hatch-sys-"));
    const p = join(dir, "mcp.json");
    writeFileSync(p, "{}");
    chmodSync(p, 0o666);
    chownSync(p, u.uid, u.gid);
    const old = process.umask(0o022);
    try {
      sys.writeAtomic(p, '{"a": 1}');
    } finally {
      process.umask(old);
    }
    expect(statSync(p).mode & 0o777).toBe(0o644);
    expect(statSync(p).uid).toBe(0);
  });

  test.skipIf(!isRoot)("the stale-temp sweep removes only the running user's files", () => {
    const u = user as { uid: number; gid: number };
    const dir = mkdtempSync(join(tmpdir(), "hatch-sys-"));
    // A pid that is surely gone: a child that has exited.
    const dead = spawnSync("true").pid;
    const mine = join(dir, `.mcp.json.hatch-${dead}-abc123.tmp`);
    const theirs = join(dir, `.other.json.hatch-${dead}-def456.tmp`);
    writeFileSync(mine, "x");
    writeFileSync(theirs, "y");
    chownSync(theirs, u.uid, u.gid);
    sys.writeAtomic(join(dir, "mcp.json"), "{}");
    expect(readdirSync(dir).sort()).toEqual([basename(theirs), "mcp.json"].sort());
  });
});

describe("RealSystem.writeAtomic(): modes of new files", () => {
  const withUmask = (mask: number, f: () => void) => {
    const old = process.umask(mask);
    try {
      f();
    } finally {
      process.umask(old);
    }
  };
  test("a new file gets 0666 less the umask (022 → 0644, 077 → 0600), never more", () => {
    const dir = mkdtempSync(join(tmpdir(), "hatch-sys-"));
    withUmask(0o022, () => sys.writeAtomic(join(dir, "a.json"), "{}"));
    expect(statSync(join(dir, "a.json")).mode & 0o777).toBe(0o644);
    withUmask(0o077, () => sys.writeAtomic(join(dir, "b.json"), "{}"));
    expect(statSync(join(dir, "b.json")).mode & 0o777).toBe(0o600);
    withUmask(0o002, () => sys.writeAtomic(join(dir, "c.json"), "{}"));
    expect(statSync(join(dir, "c.json")).mode & 0o777).toBe(0o664);
  });
  test("a new file that holds a secret is 0600 under any umask; an existing file keeps its mode", () => {
    const dir = mkdtempSync(join(tmpdir(), "hatch-sys-"));
    withUmask(0o022, () => sys.writeAtomic(join(dir, "s.json"), '{"env": {"K": "v"}}', { secret: true }));
    expect(statSync(join(dir, "s.json")).mode & 0o777).toBe(0o600);
    withUmask(0o000, () => sys.writeAtomic(join(dir, "t.json"), "{}", { secret: true }));
    expect(statSync(join(dir, "t.json")).mode & 0o777).toBe(0o600);
    writeFileSync(join(dir, "u.json"), "{}");
    chmodSync(join(dir, "u.json"), 0o640);
    withUmask(0o022, () => sys.writeAtomic(join(dir, "u.json"), '{"a": 1}', { secret: true }));
    expect(statSync(join(dir, "u.json")).mode & 0o777).toBe(0o640);
  });
  test("temp names are random: a name planted beside the file does not make the write fail", () => {
    const dir = mkdtempSync(join(tmpdir(), "hatch-sys-"));
    // The old scheme (.NAME.hatch-PID-<ms>.tmp) was guessable: plant a link at every such name.
    const now = Date.now();
    for (let t = now; t < now + 2_000; t++)
      symlinkSync("/nonexistent", join(dir, `.f.json.hatch-${process.pid}-${t.toString(36)}.tmp`));
    sys.writeAtomic(join(dir, "f.json"), "{}");
    expect(readFileSync(join(dir, "f.json"), "utf8")).toBe("{}");
  });
});

describe("RealSystem reads only regular files, of a bounded size, as UTF-8", () => {
  test("a FIFO is refused at once (no writer needed), as bad input", () => {
    const dir = mkdtempSync(join(tmpdir(), "hatch-sys-"));
    const p = join(dir, "mcp.json");
    execFileSync("mkfifo", [p]);
    const t0 = performance.now();
    expect(() => sys.readText(p)).toThrow(RefusedFileError);
    expect(() => sys.readText(p)).toThrow(/named pipe \(FIFO\), not a regular file/);
    expect(() => sys.readBytes(p)).toThrow(HostParseError);
    expect(performance.now() - t0).toBeLessThan(1_000);
  });
  test("a link to /dev/zero is refused before a byte is read", () => {
    const dir = mkdtempSync(join(tmpdir(), "hatch-sys-"));
    const p = join(dir, "mcp.json");
    symlinkSync("/dev/zero", p);
    expect(() => sys.readText(p)).toThrow(/character device, not a regular file/);
  });
  test(`a file larger than ${MAX_READ_BYTES / 1024 / 1024} MiB is refused; one of exactly that size is read`, () => {
    const dir = mkdtempSync(join(tmpdir(), "hatch-sys-"));
    const p = join(dir, "big.json");
    execFileSync("truncate", ["-s", String(MAX_READ_BYTES + 1), p]);
    expect(() => sys.readBytes(p)).toThrow(/larger than 64 MiB/);
    execFileSync("truncate", ["-s", String(MAX_READ_BYTES), p]);
    expect(sys.readBytes(p)?.length).toBe(MAX_READ_BYTES);
  });
  test("invalid UTF-8 is refused with its byte offset, its bytes are kept, and written back exactly", () => {
    const dir = mkdtempSync(join(tmpdir(), "hatch-sys-"));
    const p = join(dir, "mcp.json");
    const bytes = Buffer.concat([Buffer.from('{"a": "caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]);
    writeFileSync(p, bytes);
    expect(() => sys.readText(p)).toThrow(/not valid UTF-8 \(byte offset 10\)/);
    expect(Buffer.from(sys.readBytes(p) as Uint8Array).equals(bytes)).toBe(true);
    const q = join(dir, "copy.json");
    sys.writeAtomic(q, sys.readBytes(p) as Uint8Array, { verify: true });
    expect(readFileSync(q).equals(bytes)).toBe(true);
    // A real U+FFFD and a BOM are text like any other.
    writeFileSync(p, '\uFEFF{"a": "\uFFFD"}');
    expect(sys.readText(p)).toBe('\uFEFF{"a": "\uFFFD"}');
  });
  test("invalidUtf8Offset agrees with the platform's UTF-8 check on random bytes", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.string({ unit: "grapheme", maxLength: 20 }),
        (raw, s) => {
          const b = Buffer.concat([Buffer.from(s), Buffer.from(raw)]);
          const at = invalidUtf8Offset(b);
          expect(at === -1).toBe(isUtf8(b));
          if (at >= 0) {
            expect(isUtf8(b.subarray(0, at))).toBe(true);
            expect(at).toBeGreaterThanOrEqual(Buffer.byteLength(s) - 0);
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
