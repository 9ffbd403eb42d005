// A child process for lock.test.ts: waits for a shared start time, takes the lock of a path,
// holds it for a moment and prints the interval it held it (ms since the epoch, sub-ms precision).
import { lockPath } from "../../src/store/lock.ts";

const [home, path, startAt, holdMs] = process.argv.slice(2) as [string, string, string, string];
const now = () => performance.timeOrigin + performance.now();
while (now() < Number(startAt)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
const lock = lockPath(home, path, { timeoutMs: 60_000, onWait: () => {} });
const from = now();
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(holdMs));
const to = now();
lock.release();
process.stdout.write(JSON.stringify({ pid: process.pid, from, to }));
