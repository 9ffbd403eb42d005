// `hatch run` and `hatch types`: scripts import "hatch" from inside the compiled binary, from a
// folder with no node_modules, with the package registry unreachable.
import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { requireBinary, TempHome } from "./harness.ts";

beforeAll(requireBinary);

const OFFLINE = {
  NPM_CONFIG_REGISTRY: "http://127.0.0.1:9/",
  BUN_CONFIG_REGISTRY: "http://127.0.0.1:9/",
  BUN_INSTALL_CACHE_DIR: "/nonexistent-hatch-cache",
};

function seeded(): TempHome {
  const h = new TempHome();
  h.write(
    ".config/Claude/claude_desktop_config.json",
    JSON.stringify(
      { mcpServers: { "prod-api": { command: "npx", args: ["p"] }, "dev-x": { command: "d" } } },
      null,
      2,
    ),
  );
  h.write(".cursor/mcp.json", '{\n  "mcpServers": {}\n}\n');
  return h;
}

describe("hatch run", () => {
  test("runs a script that imports hatch, from a folder with no node_modules, offline; files change", () => {
    const h = seeded();
    h.write(
      "scripts/deploy.ts",
      `import { sync, host } from "hatch";
const r = await sync().from(host("claude-desktop")).to("cursor").filter(/^prod-/).apply();
console.log("ok", r.ok, r.outcomes.map((o) => o.host + ":" + o.status).join(","));
`,
    );
    const r = h.run(["run", "scripts/deploy.ts"], { env: OFFLINE });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("ok true cursor:written");
    expect(Object.keys(JSON.parse(h.read(".cursor/mcp.json")).mcpServers)).toEqual(["prod-api"]);
    expect(existsSync(h.path("scripts/node_modules"))).toBe(false);
    expect(existsSync(h.path("node_modules"))).toBe(false);
    expect(readdirSync(h.home).sort()).toEqual([".config", ".cursor", ".hatch", "scripts"]);
  });

  test("passes arguments through and returns the script's exit code", () => {
    const h = seeded();
    h.write(
      "s.ts",
      "console.log(JSON.stringify(process.argv.slice(2)));\nprocess.exit(Number(process.argv[2]));\n",
    );
    const r = h.run(["run", "s.ts", "7", "--flag", "x y"]);
    expect(r.code).toBe(7);
    expect(JSON.parse(r.stdout)).toEqual(["7", "--flag", "x y"]);
  });

  test("an uncaught error prints its message and the script's line, exit 1", () => {
    const h = seeded();
    h.write(
      "bad.ts",
      'import { sync } from "hatch";\n\nawait sync().from("nope-host").to("cursor").plan();\n',
    );
    const r = h.run(["run", "bad.ts"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Unknown host "nope-host"');
    expect(r.stderr).toContain("bad.ts:3");
  });

  test("a package that is not installed is refused, never fetched", () => {
    const h = seeded();
    h.write("dep.ts", 'import leftPad from "left-pad";\nconsole.log(leftPad("x", 3));\n');
    const r = h.run(["run", "dep.ts"], { env: OFFLINE });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("left-pad");
    expect(existsSync(h.path("node_modules"))).toBe(false);
  });

  test("a missing script is a usage error (exit 2)", () => {
    const r = seeded().run(["run", "nope.ts"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Cannot run "nope.ts"');
  });
});

describe("hatch types", () => {
  test("writes hatch.d.ts with the API's declarations", () => {
    const h = seeded();
    const r = h.run(["types"]);
    expect(r.code).toBe(0);
    const dts = readFileSync(h.path("hatch.d.ts"), "utf8");
    expect(dts).toContain('declare module "hatch"');
    expect(dts).toContain("export function sync(): SyncBuilder;");
  });
});

describe("scripting API backups", () => {
  test("a script backs up, syncs, and rolls the sync back byte for byte", () => {
    const h = seeded();
    const before = h.read(".cursor/mcp.json");
    h.write(
      "rollback.ts",
      `import { backup, sync } from "hatch";
const snap = await backup.create({ hosts: "cursor", name: "pre" });
await sync().from("claude-desktop").to("cursor").apply();
const r = await backup.restore({ hosts: "cursor", name: "pre" });
console.log(snap.files.length, r.ok, r.outcomes.map((o) => o.status).join(","), (await backup.list()).length);
`,
    );
    const r = h.run(["run", "rollback.ts"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe("1 true restored 3");
    expect(h.read(".cursor/mcp.json")).toBe(before);
  });
});
