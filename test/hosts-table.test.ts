// The README's host table is generated from the registry (scripts/hosts-table.ts): a host added
// or changed without regenerating it fails here.
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { hostsTable } from "../scripts/hosts-table.ts";
import { HOSTS } from "../src/hosts/registry.ts";

test("README.md holds exactly the generated host table between the hosts markers", () => {
  const readme = readFileSync(join(import.meta.dir, "..", "README.md"), "utf8");
  const m = /<!-- hosts:start -->\n([\s\S]*?)<!-- hosts:end -->/.exec(readme);
  expect(m).not.toBeNull();
  expect(m?.[1]).toBe(hostsTable());
});

test("hostsTable() has one row per registered host", () => {
  const rows = hostsTable().trimEnd().split("\n").slice(2);
  expect(rows.length).toBe(HOSTS.length);
  expect(rows.map((r) => /`([^`]+)`/.exec(r.split(" | ")[1] ?? "")?.[1])).toEqual(HOSTS.map((h) => h.id));
});
