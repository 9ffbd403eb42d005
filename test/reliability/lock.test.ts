// The file lock under load: a lock left by a dead process (kill -9) is found by eight processes at
// the same moment. Exactly one at a time may hold it: no two hold intervals may overlap. (Before
// the fix, two waiters that both saw the dead holder could each remove the lock, one removing the
// other's fresh lock, and both went on to write the file.)
import { expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { lockPath } from "../../src/store/lock.ts";
import { record, runs } from "./helpers.ts";

const CHILD = join(import.meta.dir, "lock-child.ts");
const WAITERS = 8;

function lockFileOf(home: string, path: string): string {
  return join(home, "locks", `${createHash("sha256").update(resolve(path)).digest("hex").slice(0, 24)}.lock`);
}

test("a stale lock found by many processes at once is taken over by one at a time", async () => {
  const trials = runs(3, 40);
  let overlaps = 0;
  const problems: string[] = [];
  for (let t = 0; t < trials; t++) {
    const home = mkdtempSync(join(tmpdir(), "hatch-lock-"));
    const path = join(home, "mcp.json");
    mkdirSync(join(home, "locks"));
    // pid 2^22+1 is above Linux's pid_max: a holder that is certainly gone.
    writeFileSync(lockFileOf(home, path), JSON.stringify({ pid: 2 ** 22 + 1, path }));
    const startAt = performance.timeOrigin + performance.now() + 1500;
    const ps = Array.from({ length: WAITERS }, () =>
      Bun.spawn([process.execPath, CHILD, home, path, String(startAt), "20"], {
        stdout: "pipe",
        stderr: "pipe",
      }),
    );
    const held = (
      await Promise.all(
        ps.map(async (p) => JSON.parse(await new Response(p.stdout).text()) as { from: number; to: number }),
      )
    ).sort((a, b) => a.from - b.from);
    for (let i = 1; i < held.length; i++) {
      if ((held[i]?.from ?? 0) < (held[i - 1]?.to ?? 0)) {
        overlaps++;
        problems.push(`trial ${t}: two processes held the lock at once`);
      }
    }
    // Everything released: no lock, break lock or temp file left behind.
    expect(readdirSync(join(home, "locks"))).toEqual([]);
  }
  await record({
    scenario: `stale lock taken over by ${WAITERS} processes at once`,
    runs: trials * WAITERS,
    failures: overlaps,
    lost: 0,
  });
  expect(problems).toEqual([]);
}, 600_000);

test("release() removes only its own lock, never one that replaced it", () => {
  const home = mkdtempSync(join(tmpdir(), "hatch-lock-"));
  const path = join(home, "mcp.json");
  const lock = lockPath(home, path, { timeoutMs: 1000 });
  const other = JSON.stringify({ pid: process.pid, path, nonce: "someone-else" });
  writeFileSync(lockFileOf(home, path), other);
  lock.release();
  expect(readdirSync(join(home, "locks"))).toEqual([basename(lockFileOf(home, path))]);
});

test("a torn lock (empty file, as a power loss leaves it) is recovered at once", () => {
  const home = mkdtempSync(join(tmpdir(), "hatch-lock-"));
  const path = join(home, "mcp.json");
  mkdirSync(join(home, "locks"));
  writeFileSync(lockFileOf(home, path), "");
  const start = Date.now();
  const lock = lockPath(home, path, { timeoutMs: 60_000, onWait: () => {} });
  expect(Date.now() - start).toBeLessThan(2_000);
  lock.release();
  expect(readdirSync(join(home, "locks"))).toEqual([]);
});

test("a lock whose pid now belongs to another program is taken over at once, not after the timeout", async () => {
  // The holder was killed, and its pid went to another program (a reboot, pid wrap-around).
  const other = Bun.spawn(["sleep", "60"]);
  try {
    await Bun.sleep(50);
    for (const lock of [
      // As an older hatch wrote it: pid and time only. The program started after the lock's time.
      { pid: other.pid, since: new Date(Date.now() - 3_600_000).toISOString() },
      // As hatch writes it now: the boot and the holder's start time, which the program does not have.
      { pid: other.pid, since: new Date().toISOString(), boot: "another-boot", start: 1 },
      { pid: other.pid, since: new Date().toISOString(), start: 1 },
    ]) {
      const home = mkdtempSync(join(tmpdir(), "hatch-lock-"));
      const path = join(home, "mcp.json");
      mkdirSync(join(home, "locks"));
      writeFileSync(lockFileOf(home, path), JSON.stringify({ ...lock, path }));
      const waited: number[] = [];
      const start = Date.now();
      const l = lockPath(home, path, { timeoutMs: 20_000, onWait: (_p, pid) => waited.push(pid) });
      expect(Date.now() - start).toBeLessThan(2_000);
      expect(waited).toEqual([]);
      l.release();
      expect(readdirSync(join(home, "locks"))).toEqual([]);
    }
  } finally {
    other.kill();
  }
});

test("a live holder is still waited for: the same pid and the same start time", () => {
  const home = mkdtempSync(join(tmpdir(), "hatch-lock-"));
  const path = join(home, "mcp.json");
  const held = lockPath(home, path);
  try {
    const waited: number[] = [];
    expect(() => lockPath(home, path, { timeoutMs: 300, onWait: (_p, pid) => waited.push(pid) })).toThrow(
      /another hatch process \(pid \d+\) is writing it/,
    );
    expect(waited).toEqual([process.pid]);
  } finally {
    held.release();
  }
});

test("temp and break files of a killed run are removed by the next run that locks", () => {
  const home = mkdtempSync(join(tmpdir(), "hatch-lock-"));
  mkdirSync(join(home, "locks"));
  const dead = Bun.spawnSync(["true"]).pid;
  const left = [
    `0123456789abcdef01234567.lock.${dead}.a1b2c3d4.tmp`,
    `0123456789abcdef01234567.lock.break.${dead}.a1b2c3d4.tmp`,
  ];
  for (const n of left) writeFileSync(join(home, "locks", n), "{}");
  // A module-level flag sweeps once per process: run the lock in a child, as a real run does.
  const child = Bun.spawnSync([process.execPath, CHILD, home, join(home, "mcp.json"), "0", "0"]);
  expect(child.exitCode).toBe(0);
  expect(readdirSync(join(home, "locks"))).toEqual([]);
});
