// biome-ignore-all lint/suspicious/noTemplateCurlyInString: env-var references are the test data
import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readHost } from "./hostfile.ts";
import { defaultWorkspace, type Workspace } from "./workspace.ts";
import { ConfigError, UsageError } from "../core/errors.ts";
import type { ServerMap } from "../core/model.ts";
import { planTarget } from "../core/plan.ts";
import {
  checkEnvName,
  createEnv,
  currentEnv,
  envPath,
  envTarget,
  listEnvNames,
  readEnv,
  removeEnv,
  unknownFieldProblem,
  useEnv,
} from "./envs.ts";

function tempWs(): Workspace {
  const tmp = mkdtempSync(join(tmpdir(), "hatch-envs-"));
  return defaultWorkspace({ ...process.env, HATCH_HOME: tmp });
}

const servers: ServerMap = new Map([
  ["weather-api", { command: "npx", args: ["-y", "weather"], env: { API_KEY: "${WEATHER_KEY}" } }],
  ["news", { url: "https://news.example.com/mcp", transport: "sse" }],
]);

describe("createEnv() and readEnv()", () => {
  test("createEnv() writes a commented YAML file that readEnv() reads back", () => {
    const ws = tempWs();
    createEnv(ws, "production", { description: "Prod: servers", servers });
    const text = ws.system.readText(envPath(ws, "production")) ?? "";
    expect(text.startsWith('# hatch environment "production"')).toBe(true);
    expect(text).toContain('description: "Prod: servers"\nservers:\n  weather-api:\n    command: npx\n');
    const e = readEnv(ws, "production");
    expect(e.description).toBe("Prod: servers");
    expect([...e.servers.keys()]).toEqual(["weather-api", "news"]);
    expect(e.servers.get("weather-api")).toEqual(servers.get("weather-api") as never);
    expect(e.servers.get("news")).toEqual(servers.get("news") as never);
  });

  test("createEnv() without servers writes an empty servers map", () => {
    const ws = tempWs();
    createEnv(ws, "empty");
    const e = readEnv(ws, "empty");
    expect(e.servers.size).toBe(0);
    expect(e.text).toMatch(/description: ""\nservers: \{\}\n$/);
  });

  test("createEnv() refuses an existing environment and leaves its file alone", () => {
    const ws = tempWs();
    createEnv(ws, "staging", { description: "first" });
    const before = ws.system.readText(envPath(ws, "staging"));
    expect(() => createEnv(ws, "staging", { description: "second" })).toThrow(
      /Environment "staging" already exists/,
    );
    expect(ws.system.readText(envPath(ws, "staging"))).toBe(before);
  });

  test("readEnv() names the file and the server of an invalid entry", () => {
    const ws = tempWs();
    createEnv(ws, "broken");
    const path = envPath(ws, "broken");
    ws.system.writeAtomic(
      path,
      "description: x\nservers:\n  bad:\n    command: npx\n    url: https://x.example\n",
    );
    let err: unknown;
    try {
      readEnv(ws, "broken");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(path);
    expect((err as Error).message).toContain('server "bad"');
  });

  test("readEnv() names a bad field inside an entry", () => {
    const ws = tempWs();
    createEnv(ws, "badurl");
    ws.system.writeAtomic(envPath(ws, "badurl"), "servers:\n  api:\n    url: ftp://x\n");
    expect(() => readEnv(ws, "badurl")).toThrow(/server "api": "url" must start with http/);
  });

  test.each([
    ["servers: [a, b]\n", /"servers" must be a mapping/],
    ["description: [1]\nservers: {}\n", /"description" must be text/],
    ["server: {}\n", /unknown field "server" \(did you mean "servers"\?\)/],
    ["- a\n", /expected a mapping/],
  ])("readEnv() refuses the top level %j", (text, re) => {
    const ws = tempWs();
    createEnv(ws, "e");
    ws.system.writeAtomic(envPath(ws, "e"), text);
    expect(() => readEnv(ws, "e")).toThrow(re);
  });

  test("an environment target is validated for sync too (readHost does not skip a bad entry)", () => {
    const ws = tempWs();
    createEnv(ws, "e");
    ws.system.writeAtomic(envPath(ws, "e"), "servers:\n  bad: {}\n");
    expect(() => readHost(envTarget(ws, "e"), ws.system)).toThrow(ConfigError);
  });

  test("edits of an environment through planTarget keep its comments", () => {
    const ws = tempWs();
    createEnv(ws, "e", { servers });
    const path = envPath(ws, "e");
    const withComment = (ws.system.readText(path) ?? "").replace("  news:\n", "  # the news feed\n  news:\n");
    ws.system.writeAtomic(path, withComment);
    const t = envTarget(ws, "e");
    const r = readHost(t, ws.system);
    const changed = new Map([
      ["weather-api", { ...(r.servers.get("weather-api") as object), timeout: 5000 } as never],
    ]);
    const plan = planTarget(
      changed,
      new Set(),
      { ...r, name: t.name, path, adapter: t.adapter },
      { env: {}, platform: "linux" },
    );
    expect(plan.newText).toContain("  # the news feed\n  news:\n");
    expect(plan.newText).toContain("    timeout: 5000\n");
    expect(plan.newText.replace("    timeout: 5000\n", "")).toBe(withComment);
  });
});

describe("checkEnvName() and envTarget()", () => {
  test.each(["production", "staging-eu", "team.v2", "last_known_good"])("checkEnvName() accepts %j", (n) => {
    expect(() => checkEnvName(n)).not.toThrow();
  });
  test.each(["bad/name", "", "..", "a b", "é"])("checkEnvName() refuses %j", (n) => {
    expect(() => checkEnvName(n)).toThrow(UsageError);
  });
  test("envTarget() suggests a close name for an unknown environment", () => {
    const ws = tempWs();
    createEnv(ws, "production");
    expect(() => envTarget(ws, "prodution")).toThrow(
      /Unknown environment "prodution": did you mean "production"\?/,
    );
  });
});

describe("useEnv(), currentEnv() and removeEnv()", () => {
  test("useEnv() records the current environment; removeEnv() of it clears it", () => {
    const ws = tempWs();
    createEnv(ws, "a");
    createEnv(ws, "b");
    expect(currentEnv(ws)).toBeUndefined();
    useEnv(ws, "a");
    expect(currentEnv(ws)).toBe("a");
    expect(ws.system.readText(join(ws.hatchHome, "current"))).toBe("a\n");
    expect(removeEnv(ws, "b")).toEqual({ wasCurrent: false });
    expect(currentEnv(ws)).toBe("a");
    expect(removeEnv(ws, "a")).toEqual({ wasCurrent: true });
    expect(currentEnv(ws)).toBeUndefined();
    expect(listEnvNames(ws)).toEqual([]);
  });
  test("useEnv() refuses an unknown environment and writes nothing", () => {
    const ws = tempWs();
    expect(() => useEnv(ws, "nope")).toThrow(/Unknown environment "nope"/);
    expect(ws.system.exists(join(ws.hatchHome, "current"))).toBe(false);
  });
});

describe("environment names that would hide or not fit (issue 26)", () => {
  test.each([".hidden", ".x", "..."])(
    "checkEnvName() refuses %j (a hidden file env list would leave out)",
    (n) => {
      expect(() => checkEnvName(n)).toThrow(/may not start with "\."|use letters/);
    },
  );
  test("a 300-character name is a usage error naming the limit, not a raw ENAMETOOLONG", () => {
    const ws = tempWs();
    expect(() => createEnv(ws, "e".repeat(300))).toThrow(/300 characters long, the most is 128/);
    expect(() => checkEnvName("e".repeat(128))).not.toThrow();
  });
  test("a description with DEL, U+2028 and a tab is written escaped (YAML 1.1 readers accept it) and read back", () => {
    const ws = tempWs();
    const description = "a\x7fb\u2028c\td\x85";
    createEnv(ws, "esc", { description });
    const text = ws.system.readText(envPath(ws, "esc")) ?? "";
    expect(text).not.toMatch(/[\x7f\u2028\t\x85]/);
    expect(readEnv(ws, "esc").description).toBe(description);
  });
});

describe("unknownFieldProblem()", () => {
  test("a misspelled field is named, with the field it resembles", () => {
    expect(unknownFieldProblem({ command: "uvx", argz: ["a"] })).toBe(
      'unknown field "argz": did you mean "args"?',
    );
    expect(unknownFieldProblem({ url: "https://x", header: {} })).toBe(
      'unknown field "header": did you mean "headers"?',
    );
  });
  test("a field of the other kind of server says which kind it belongs to", () => {
    expect(unknownFieldProblem({ command: "uvx", headers: {} })).toContain('"headers" is for remote servers');
    expect(unknownFieldProblem({ url: "https://x", args: [] })).toContain('"args" is for local servers');
  });
  test("known fields pass (the schema then checks the values)", () => {
    expect(
      unknownFieldProblem({ command: "uvx", args: [], env: {}, timeout: 5, description: "d" }),
    ).toBeUndefined();
    expect(unknownFieldProblem("not an object")).toBeUndefined();
  });
  test("an environment file with a typo is a ConfigError naming the file, the server and the field", () => {
    const home = mkdtempSync(join(tmpdir(), "hatch-envs-typo-"));
    const ws = defaultWorkspace({ HOME: home, HATCH_HOME: join(home, ".hatch"), HATCH_PLATFORM: "linux" });
    createEnv(ws, "typo");
    ws.system.writeAtomic(envPath(ws, "typo"), "servers:\n  w:\n    command: uvx\n    argz: [a]\n");
    expect(() => readEnv(ws, "typo")).toThrow(ConfigError);
    expect(() => readEnv(ws, "typo")).toThrow(
      `Invalid "${envPath(ws, "typo")}": server "w": unknown field "argz": did you mean "args"?`,
    );
  });
});
