import { afterEach, expect, test } from "bun:test";
import { betweenFiles, SMALL_FILE } from "./heap.ts";

// betweenFiles asks the runtime for collections; which files it asks for is the choice under test.
const real = Bun.gc;
const calls: boolean[] = [];
afterEach(() => {
  (Bun as { gc: typeof Bun.gc }).gc = real;
  calls.length = 0;
});

function spy(): void {
  (Bun as { gc: typeof Bun.gc }).gc = ((force: boolean) => {
    calls.push(force);
  }) as typeof Bun.gc;
}

test("a small file asks for no collection", () => {
  spy();
  betweenFiles(0);
  betweenFiles(5_000);
  betweenFiles(SMALL_FILE - 1);
  expect(calls).toEqual([]);
});

test("a big file asks for a young collection", () => {
  spy();
  betweenFiles(SMALL_FILE);
  betweenFiles(10 * SMALL_FILE);
  expect(calls.length).toBe(2);
  // A full collection only once the resident size has grown by 80 MB since the first call.
  expect(calls.every((force) => force === false)).toBe(true);
});
