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

/** Runs `text` as script.ts in a seeded home: exit code and output. */
function script(text: string, ...args: string[]) {
  const h = seeded();
  h.write("script.ts", text);
  return { h, ...h.run(["run", "script.ts", ...args], { env: OFFLINE }) };
}

describe("hatch run fails as Bun and Node do", () => {
  test("an uncaught exception: its message and the script's file:line:col, exit 1; nothing after it runs", () => {
    const r = script('console.log("before");\nthrow new Error("deploy failed");\nconsole.log("after");\n');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("before\n");
    expect(r.stderr).toBe("Error: deploy failed\n  at script.ts:2:11\n");
  });

  test("an unhandled rejection (a rejected promise nobody awaits) ends the run, exit 1", () => {
    const r = script(
      'Promise.reject(new Error("nobody awaits me"));\nawait Bun.sleep(200);\nconsole.log("after");\n',
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("Error: nobody awaits me\n  at script.ts:1:20\n");
  });

  test("a rejection in a callback after the top level ended is still caught, exit 1", () => {
    const r = script('setTimeout(() => {\n  Promise.reject(new Error("late"));\n}, 20);\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("Error: late\n  at script.ts:2:22\n");
  });

  test("an error thrown in a setTimeout callback: exit 1 with its location", () => {
    const r = script(
      'setTimeout(() => {\n  throw new TypeError("bad input in timer");\n}, 20);\nconsole.log("top level done");\n',
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("top level done\n");
    expect(r.stderr).toBe("TypeError: bad input in timer\n  at script.ts:2:13\n");
  });

  test("an error thrown in an event handler: exit 1", () => {
    const r = script(
      'import { EventEmitter } from "node:events";\nconst e = new EventEmitter();\ne.on("go", () => {\n  throw new Error("in handler");\n});\nsetTimeout(() => e.emit("go"), 10);\n',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("Error: in handler\n  at script.ts:4:13\n");
  });

  test("pending timers and I/O finish before the run ends", () => {
    const r = script(
      'import { writeFile } from "node:fs/promises";\nsetTimeout(async () => {\n  await writeFile("late.txt", "written");\n  console.log("timer ran");\n}, 150);\nconsole.log("top level done");\n',
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("top level done\ntimer ran\n");
    expect(r.h.read("late.txt")).toBe("written");
  });

  test("process.exitCode is honoured once the loop is empty", () => {
    const r = script('process.exitCode = 4;\nsetTimeout(() => console.log("still ran"), 20);\n');
    expect(r.code).toBe(4);
    expect(r.stdout).toBe("still ran\n");
  });

  test("process.exit(n) ends the run there, with n", () => {
    const r = script('console.log("x");\nprocess.exit(6);\nconsole.log("never");\n');
    expect(r.code).toBe(6);
    expect(r.stdout).toBe("x\n");
  });

  test("an uncaught UsageError from the API exits 2, as the CLI does, with its hint", () => {
    const r = script(
      'import { sync } from "hatch";\n\nawait sync().from("nope-host").to("cursor").plan();\n',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Error: Unknown host "nope-host"');
    expect(r.stderr).toContain('Run "hatch mcp discover hosts" to list hosts');
    expect(r.stderr).toContain("at script.ts:3:");
  });

  test("a UsageError from a callback's unhandled rejection also exits 2", () => {
    const r = script(
      'import { sync } from "hatch";\nsetTimeout(() => {\n  void sync().from("nope-host").to("cursor").plan();\n}, 10);\n',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Error: Unknown host "nope-host"');
  });

  test("a UsageError thrown by the script itself (matched by class) exits 2", () => {
    const r = script(
      'import { UsageError } from "hatch";\nthrow new UsageError("Give a host", "Try --help");\n',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("Error: Give a host\n  Try --help\n  at script.ts:2:11\n");
  });

  test("a syntax error names the file, line and column and the message", () => {
    const r = script("const ok = 1;\nconst x = ;\nconsole.log(ok, x);\n");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Error: Unexpected ;");
    expect(r.stderr).toContain("at script.ts:2:11");
    expect(r.stderr).toContain("2 | const x = ;");
  });

  test("a syntax error in a module the script imports names that file", () => {
    const h = seeded();
    h.write("script.ts", 'import { a } from "./lib.ts";\nconsole.log(a);\n');
    h.write("lib.ts", "export const a = 1;\nexport const b = ;\n");
    const r = h.run(["run", "script.ts"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("at lib.ts:2:18");
  });

  test("a rejection the script handles itself does not end the run", () => {
    const r = script(
      'process.on("unhandledRejection", (e) => console.log("handled", (e as Error).message));\nPromise.reject(new Error("x"));\nsetTimeout(() => console.log("still running"), 20);\n',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("handled x\nstill running\n");
  });

  test("a top-level await that never settles fails instead of hanging", () => {
    const r = script("await new Promise(() => {});\n");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("top-level await never settled");
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
