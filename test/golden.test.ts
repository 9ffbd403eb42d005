// Golden fixtures per host: test/fixtures/hosts/<id>/<case>/
//   before.<ext>   a realistic host file (comments, unrelated settings, unknown fields, …)
//   servers.json   the canonical servers it must read to (name → server, `extra` included)
//   invalid.json   optional: names of entries that must be reported as invalid (not servers)
//   skipped.json   optional: {name: reason} of entries the host runs but hatch cannot convert
//                  (Zed extension servers): listed with the reason, neither servers nor invalid
//   edit.json      optional: {"set": {name: canonical server}, "remove": [names]}
//   after.<ext>    with edit.json: the exact file the edit must produce
//   project.json   optional: {"dir": "/abs/project"} — the case is the host's project-scope file
//                  for that directory (the adapter bound by projectTarget, e.g. claude-code-local)
// Every case also checks that re-writing every server unchanged returns the file byte for byte.
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { containerEdits, rawEntries } from "../src/core/container.ts";
import { projectTarget } from "../src/hosts/_project.ts";
import { HOSTS } from "../src/hosts/registry.ts";
import { parseServer, type Server } from "../src/core/model.ts";
import type { HostAdapter, WriteContext } from "../src/core/adapter.ts";
import { ServerValidationError, UnconvertibleServerError } from "../src/core/model.ts";

const root = join(import.meta.dir, "fixtures", "hosts");
const wctx: WriteContext = { env: { HOME: "/home/u", GOLDEN_TOKEN: "tok-123" }, platform: "linux" };

function findFile(dir: string, base: string): string | undefined {
  return readdirSync(dir).find((f) => f.startsWith(`${base}.`) && f !== `${base}.json.expected`);
}

function decodeAll(adapter: HostAdapter, doc: unknown) {
  const servers: Record<string, Server> = {};
  const invalid: string[] = [];
  const skipped: Record<string, string> = {};
  for (const [name, raw] of rawEntries(adapter.container, doc)) {
    try {
      servers[name] = adapter.decode(name, raw);
    } catch (e) {
      if (e instanceof UnconvertibleServerError) skipped[name] = e.reason;
      else if (e instanceof ServerValidationError) invalid.push(name);
      else throw e;
    }
  }
  return { servers, invalid, skipped };
}

/** Writes servers over a file the way sync will: encode over the existing entry, diff, edit. */
export function writeServers(
  adapter: HostAdapter,
  text: string,
  set: Record<string, Server>,
  remove: string[] = [],
  path = "golden",
): string {
  const doc = adapter.format.parse(text, path);
  const existing = rawEntries(adapter.container, doc);
  const entries = new Map<string, Record<string, unknown>>();
  for (const [name, s] of Object.entries(set)) {
    const r = adapter.encode(name, s, existing.get(name), wctx);
    if (r.raw) entries.set(name, r.raw);
  }
  return adapter.format.edit(text, containerEdits(adapter.container, doc, { set: entries, remove }), path);
}

describe("golden fixtures", () => {
  for (const hostAdapter of HOSTS) {
    const dir = join(root, hostAdapter.id);
    test(`${hostAdapter.id} has golden fixtures`, () => {
      expect(existsSync(dir)).toBe(true);
      expect(readdirSync(dir).length).toBeGreaterThan(0);
    });
    if (!existsSync(dir)) continue;
    for (const c of readdirSync(dir).sort()) {
      const caseDir = join(dir, c);
      const projectFile = join(caseDir, "project.json");
      const adapter = existsSync(projectFile)
        ? projectTarget(hostAdapter, (JSON.parse(readFileSync(projectFile, "utf8")) as { dir: string }).dir, {
            platform: "linux",
            home: "/home/u",
            env: {},
          }).adapter
        : hostAdapter;
      const beforeName = findFile(caseDir, "before");
      test(`${adapter.id}/${c}: reads the expected servers and a no-op write keeps every byte`, () => {
        expect(beforeName).toBeDefined();
        const text = readFileSync(join(caseDir, beforeName as string), "utf8");
        const doc = adapter.format.parse(text, beforeName as string);
        const { servers, invalid, skipped } = decodeAll(adapter, doc);
        const expected = JSON.parse(readFileSync(join(caseDir, "servers.json"), "utf8"));
        expect(JSON.parse(JSON.stringify(servers))).toEqual(expected);
        const invalidFile = join(caseDir, "invalid.json");
        expect(invalid).toEqual(existsSync(invalidFile) ? JSON.parse(readFileSync(invalidFile, "utf8")) : []);
        const skippedFile = join(caseDir, "skipped.json");
        expect(skipped).toEqual(existsSync(skippedFile) ? JSON.parse(readFileSync(skippedFile, "utf8")) : {});
        // Every expected server is a valid canonical server.
        for (const [n, s] of Object.entries(expected)) expect(() => parseServer(n, s)).not.toThrow();
        expect(writeServers(adapter, text, servers)).toBe(text);
      });
      const editFile = join(caseDir, "edit.json");
      if (existsSync(editFile)) {
        test(`${adapter.id}/${c}: the edit produces the expected file`, () => {
          const text = readFileSync(join(caseDir, beforeName as string), "utf8");
          const edit = JSON.parse(readFileSync(editFile, "utf8")) as {
            set?: Record<string, Server>;
            remove?: string[];
          };
          const afterName = findFile(caseDir, "after");
          expect(afterName).toBeDefined();
          const want = readFileSync(join(caseDir, afterName as string), "utf8");
          const got = writeServers(adapter, text, edit.set ?? {}, edit.remove ?? []);
          expect(got).toBe(want);
          // The result is still a file the host reads, holding the edited servers.
          const { servers } = decodeAll(adapter, adapter.format.parse(got, "after"));
          for (const n of Object.keys(edit.set ?? {})) expect(servers[n]).toBeDefined();
          for (const n of edit.remove ?? []) expect(servers[n]).toBeUndefined();
        });
      }
    }
  }
});
