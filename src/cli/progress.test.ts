import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ProgressStream, progressEnabled, startProgress, withProgress } from "./progress.ts";

function fakeStream(isTTY: boolean): ProgressStream & { chunks: string[] } {
  const chunks: string[] = [];
  return {
    isTTY,
    chunks,
    write(c: string) {
      chunks.push(c);
      return true;
    },
  };
}

const TTY_ENV = { TERM: "xterm-256color" };
const CLEAR = "\r\x1b[2K";

describe("startProgress", () => {
  test.each([
    ["off a terminal", { stream: fakeStream(false), env: TTY_ENV }],
    ["with --json", { stream: fakeStream(true), env: TTY_ENV, json: true }],
    ["with --quiet", { stream: fakeStream(true), env: TTY_ENV, quiet: true }],
    ["with TERM=dumb", { stream: fakeStream(true), env: { TERM: "dumb" } }],
  ])("writes nothing %s", async (_, opts) => {
    expect(progressEnabled(opts)).toBe(false);
    const p = startProgress("Reading hosts", { ...opts, intervalMs: 1 });
    expect(p.active).toBe(false);
    p.update("Writing", 1, 2);
    await Bun.sleep(10);
    p.stop();
    expect(opts.stream.chunks).toEqual([]);
  });

  test("draws on a terminal, animates, counts and clears its line on stop", async () => {
    const stream = fakeStream(true);
    const p = startProgress("Reading hosts", { stream, env: TTY_ENV, intervalMs: 2 });
    expect(p.active).toBe(true);
    expect(stream.chunks[0]).toBe(`${CLEAR}⠋ Reading hosts`);
    await Bun.sleep(30);
    expect(stream.chunks.length).toBeGreaterThan(2);
    expect(new Set(stream.chunks.map((c) => c.slice(CLEAR.length, CLEAR.length + 1))).size).toBeGreaterThan(
      1,
    );
    p.update("Testing weather-api", 2, 5);
    expect(stream.chunks.at(-1)).toMatch(/Testing weather-api \(2\/5\)$/);
    p.stop();
    expect(stream.chunks.at(-1)).toBe(CLEAR);
    expect(p.active).toBe(false);
    const n = stream.chunks.length;
    p.stop();
    p.update("late");
    await Bun.sleep(10);
    expect(stream.chunks.length).toBe(n);
  });

  test("never writes a line wider than the terminal", () => {
    const stream = Object.assign(fakeStream(true), { columns: 20 });
    const p = startProgress("x".repeat(100), { stream, env: TTY_ENV });
    p.stop();
    expect([...(stream.chunks[0] as string).slice(CLEAR.length)].length).toBeLessThan(20);
  });
});

describe("withProgress", () => {
  test("stops the spinner when the work throws", async () => {
    const stream = fakeStream(true);
    await expect(
      withProgress("Syncing", { stream, env: TTY_ENV }, () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(stream.chunks.at(-1)).toBe(CLEAR);
  });
});

// A real terminal: `script` runs the spinner under a pseudo-terminal (skipped where absent).
const script = Bun.which("script");
describe.skipIf(!script || process.platform !== "linux")("startProgress on a real terminal", () => {
  const dir = mkdtempSync(join(tmpdir(), "hatch-progress-"));
  const file = join(dir, "spin.ts");
  writeFileSync(
    file,
    `import { startProgress } from ${JSON.stringify(join(import.meta.dir, "progress.ts"))};
const p = startProgress("Spinning", { intervalMs: 5 });
await Bun.sleep(60);
p.stop();
process.stdout.write("done\\n");
`,
  );
  const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(file)}`;

  test("draws on stderr when it is a terminal", () => {
    const r = Bun.spawnSync([script as string, "-qec", cmd, "/dev/null"], {
      env: { ...process.env, TERM: "xterm" },
      stdout: "pipe",
      stderr: "pipe",
    });
    const out = r.stdout.toString();
    expect(r.exitCode).toBe(0);
    expect(out).toContain("⠋ Spinning");
    expect(out).toContain("\x1b[2K");
    // Cleared before "done": the spinner's line does not stay on screen.
    expect(out).toMatch(/\r\x1b\[2Kdone/);
  });

  test("draws nothing when stderr is a pipe, even with a terminal on stdout", () => {
    const r = Bun.spawnSync([script as string, "-qec", `${cmd} 2>${join(dir, "err.txt")}`, "/dev/null"], {
      env: { ...process.env, TERM: "xterm" },
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(r.exitCode).toBe(0);
    expect(Bun.file(join(dir, "err.txt")).size).toBe(0);
    expect(r.stdout.toString()).not.toContain("Spinning");
  });
});
