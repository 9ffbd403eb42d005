import { expect, test } from "bun:test";
import { randomHex, sha256BytesHex, sha256Hex } from "./digest.ts";

test("randomHex: 2 × bytes lowercase hex digits, every digit reachable, a new value each call", () => {
  const seen = new Set<string>();
  const values = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const h = randomHex(6);
    expect(h).toMatch(/^[0-9a-f]{12}$/);
    values.add(h);
    for (const c of h) seen.add(c);
  }
  expect(seen.size).toBe(16);
  expect(values.size).toBe(200);
  expect(randomHex(0)).toBe("");
  expect(randomHex(32)).toHaveLength(64);
});

test("sha256Hex of a text equals sha256BytesHex of its UTF-8 bytes", () => {
  const text = "héllo ✓";
  expect(sha256Hex(text)).toBe(sha256BytesHex(new TextEncoder().encode(text)));
  expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
});
