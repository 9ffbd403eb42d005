// The registry's lazily loaded hosts (lazy.ts): each entry is its module's adapter, a run that names
// a host evaluates that host's module only, and an entry behaves as the adapter itself does.
import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { HostAdapter } from "../core/adapter.ts";
import { realAdapter } from "./lazy.ts";
import { findHost, HOSTS } from "./registry.ts";

const CTX = { platform: "linux" as const, home: "/home/u", env: {} };

describe("the registry's hosts", () => {
  test("every entry's id and aliases are its module's, and every host module has an entry", async () => {
    const files = readdirSync(import.meta.dir).filter(
      (f) =>
        f.endsWith(".ts") &&
        !f.startsWith("_") &&
        !f.includes(".test.") &&
        !["registry.ts", "lazy.ts", "suggest.ts"].includes(f),
    );
    const fromModules: HostAdapter[] = [];
    for (const f of files) fromModules.push((await import(join(import.meta.dir, f))).default as HostAdapter);
    expect(HOSTS.map((h) => h.id).sort()).toEqual(fromModules.map((a) => a.id).sort());
    for (const h of HOSTS) {
      const real = realAdapter(h);
      expect(fromModules).toContain(real);
      expect(h.aliases).toEqual(real.aliases ?? []);
    }
  });

  test("an entry reads as its adapter: properties, optional methods, a spread, Object.create", () => {
    /** A value, or what reading it threw (claude-code-local's container throws: it is project-only). */
    const outcome = (read: () => unknown) => {
      try {
        return { value: read() };
      } catch (e) {
        return { threw: (e as Error).message };
      }
    };
    const keys = [
      "label",
      "format",
      "container",
      "fields",
      "envSyntax",
      "remote",
      "detectPaths",
      "projectPath",
      "forProject",
    ] as const;
    for (const h of HOSTS) {
      const real = realAdapter(h);
      for (const k of keys) {
        expect(outcome(() => h[k])).toEqual(outcome(() => real[k]));
        expect(outcome(() => (Object.create(h) as HostAdapter)[k])).toEqual(outcome(() => real[k]));
      }
      expect(h.userPath(CTX)).toBe(real.userPath(CTX));
      expect(outcome(() => ({ ...h }).format)).toEqual(outcome(() => ({ ...real }).format));
    }
    const cursor = findHost("cursor") as HostAdapter;
    const raw = { command: "npx", args: ["-y", "x"] };
    expect(cursor.decode("x", raw)).toEqual(realAdapter(cursor).decode("x", raw));
    expect(realAdapter(realAdapter(cursor))).toBe(realAdapter(cursor));
  });

  test("naming a host evaluates its module only", () => {
    // A fresh process: this one has loaded every host already.
    const script = `
      const { findHost } = await import(${JSON.stringify(join(import.meta.dir, "registry.ts"))});
      const hostFiles = () => Object.keys(require.cache).filter((k) => k.includes("/src/hosts/") && !k.includes("/_") && !/(registry|lazy|suggest)\\.ts$/.test(k)).map((k) => k.split("/").pop());
      const before = hostFiles();
      findHost("lm-studio").userPath({ platform: "linux", home: "/h", env: {} });
      console.log(JSON.stringify({ before, after: hostFiles() }));
    `;
    const r = Bun.spawnSync([process.execPath, "-e", script], { stdout: "pipe", stderr: "pipe" });
    expect(r.stderr.toString()).toBe("");
    expect(JSON.parse(r.stdout.toString())).toEqual({ before: [], after: ["lmstudio.ts"] });
  });
});
