// Every CLI command is an API call first (README, "Scripting: every command as an API call"). Each
// test here runs a script through the compiled binary (`hatch run`) on a temp HOME, calling the
// API for one row group of that table, and checks the files on disk, as the CLI tests do for the
// same commands.
import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { CLAUDE, CURSOR, hostJson, requireBinary, stdio, TempHome, VSCODE } from "./harness.ts";

beforeAll(requireBinary);

const BUN = resolve(import.meta.dir, "..", "..", "node_modules", ".bin", "bun");
const GOOD = resolve(import.meta.dir, "..", "fixtures", "mcp-servers", "stdio-good.ts");

/** Writes a script into the temp HOME and runs it with `hatch run`. */
function script(h: TempHome, body: string, env: Record<string, string> = {}) {
  const file = h.write("script.ts", body);
  return h.run(["run", file], { env });
}

function expectOk(r: { code: number; stdout: string; stderr: string }) {
  if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
}

describe("the API behind each command, through hatch run", () => {
  test("sync(): plan, check, apply, verifyServers (hatch mcp sync [--dry-run|--check|--verify-servers])", () => {
    const h = new TempHome();
    h.write(
      CLAUDE,
      hostJson({
        ...stdio("prod-api", "dev-tool"),
        good: { command: BUN, args: [GOOD], env: { API_KEY: "secret-value-1" } },
      }),
    );
    h.write(CURSOR, '{\n  // mine\n  "mcpServers": {}\n}\n');
    const r = script(
      h,
      `import { host, sync } from "hatch";
const base = sync().from(host("claude-desktop")).to(["cursor", "vscode"]).filter(/^(?!dev-)/);
const plan = await base.plan();
console.log("drift", plan.drift, plan.servers.join(","));
console.log("json-has-secret", JSON.stringify(plan).includes("secret-value-1"));
const dry = await base.dryRun().apply();
const { existsSync, readFileSync } = await import("node:fs");
console.log("dry", dry.dryRun, dry.outcomes.map((o) => o.status).join(","), readFileSync(${JSON.stringify(h.path(CURSOR))}, "utf8").includes("prod-api"), existsSync(${JSON.stringify(h.path(".hatch"))}));
const res = await base.apply();
console.log("ok", res.ok, res.outcomes.map((o) => o.host + ":" + o.status).join(","));
const v = await base.servers("good").verifyServers({ timeoutMs: 20000 }).apply();
console.log("verified", v.ok, v.verification?.results.map((x) => x.host + "/" + x.server + ":" + x.status).join(","));
const again = await base.check();
console.log("drift-after", again.drift);
`,
    );
    expectOk(r);
    expect(r.stdout).toContain("drift true prod-api,good");
    expect(r.stdout).toContain("json-has-secret false");
    // A dry run takes every step against a system that only records writes: it says what would
    // be written, and the file is untouched.
    expect(r.stdout).toContain("dry true written,written false false");
    expect(r.stdout).toContain("ok true cursor:written,vscode:written");
    expect(r.stdout).toContain("verified true cursor/good:ok,vscode/good:ok");
    expect(r.stdout).toContain("drift-after false");
    expect(h.read(CURSOR)).toContain("// mine");
    expect(h.read(CURSOR)).toContain('"prod-api"');
    expect(h.read(CURSOR)).not.toContain("dev-tool");
    expect(h.read(VSCODE)).toContain('"good"');
  }, 60_000);

  test("configure(name) and remove(name) (hatch mcp configure, hatch mcp remove server)", () => {
    const h = new TempHome();
    h.write(CURSOR, '{\n  // mine\n  "mcpServers": {}\n}\n');
    const r = script(
      h,
      `import { configure, env, envs, remove } from "hatch";
await envs.create("staging");
const c = await configure("weather").on("cursor", env("staging")).command("uvx").args(["weather-mcp", "serve"]).env({ KEY: "\${env:WEATHER_KEY}" }).apply();
console.log("configured", c.ok, c.plan.kind, c.outcomes.map((o) => o.host + ":" + o.status).join(","));
const d = await configure("weather").on("cursor").args("weather-mcp", "--v2").plan();
console.log("update", d.hosts[0]?.changes[0]?.action);
const r = await remove("weather").from(["cursor"]).apply();
console.log("removed", r.ok, r.plan.kind);
`,
    );
    expectOk(r);
    expect(r.stdout).toContain("configured true configure cursor:written,env:staging:written");
    expect(r.stdout).toContain("update update");
    expect(r.stdout).toContain("removed true remove");
    expect(h.read(CURSOR)).toContain("// mine");
    expect(h.read(CURSOR)).not.toContain("weather");
    const envText = h.read(".hatch/envs/staging.yaml");
    expect(envText).toContain("weather:");
    expect(envText).toContain("serve");
  });

  test("envs.* (hatch env create|use|current|list|show|remove)", () => {
    const h = new TempHome();
    h.write(CLAUDE, hostJson(stdio("a", "b")));
    const r = script(
      h,
      `import { envs } from "hatch";
const c = await envs.create("prod", { description: "Production", fromHost: "claude-desktop" });
console.log("created", c.created, c.servers.join(","));
await envs.create("tmp");
await envs.use("prod");
console.log("current", envs.current());
console.log("list", envs.list().map((e) => e.name + (e.current ? "*" : "") + ":" + e.servers.length).join(","));
console.log("show", Object.keys(envs.show("prod").servers).join(","), envs.show("prod").description);
const rm = await envs.remove("tmp");
console.log("removed", rm.removed, typeof rm.backupId);
`,
    );
    expectOk(r);
    expect(r.stdout).toContain("created true a,b");
    expect(r.stdout).toContain("current prod");
    expect(r.stdout).toContain("list prod*:2,tmp:0");
    expect(r.stdout).toContain("show a,b Production");
    expect(r.stdout).toContain("removed true string");
    expect(h.read(".hatch/current").trim()).toBe("prod");
    expect(existsSync(h.path(".hatch/envs/tmp.yaml"))).toBe(false);
    expect(existsSync(h.path(".hatch/envs/prod.yaml"))).toBe(true);
  });

  test("hosts.* (hatch host add|remove|list|group|ungroup, mcp list hosts, mcp list servers)", () => {
    const h = new TempHome();
    h.write("srv/claude.json", hostJson(stdio("x")));
    const r = script(
      h,
      `import { hosts } from "hatch";
await hosts.add("staging-claude", { type: "claude-desktop", path: ${JSON.stringify(h.path("srv/claude.json"))} });
await hosts.add("gone", { type: "cursor", path: "/nowhere/mcp.json" });
await hosts.group("team", ["staging-claude", "cursor"]);
console.log("groups", JSON.stringify(hosts.groups()));
const list = hosts.list();
console.log("custom", list.filter((x) => x.kind === "custom").map((x) => x.id).join(","));
console.log("builtin", list.some((x) => x.kind === "builtin" && x.id === "cursor"));
console.log("servers", [...(await hosts.servers("staging-claude")).keys()].join(","));
await hosts.remove("gone");
await hosts.ungroup("team");
console.log("after", JSON.stringify(hosts.groups()), hosts.list().filter((x) => x.kind === "custom").length);
`,
    );
    expectOk(r);
    expect(r.stdout).toContain('groups {"team":["staging-claude","cursor"]}');
    expect(r.stdout).toContain("custom gone,staging-claude");
    expect(r.stdout).toContain("builtin true");
    expect(r.stdout).toContain("servers x");
    expect(r.stdout).toContain("after {} 1");
    const cfg = h.read(".hatch/config.yaml");
    expect(cfg).toContain("staging-claude:");
    expect(cfg).not.toContain("gone:");
  });

  test("backup.* (hatch mcp backup create|list|show|diff|restore|clean|verify)", () => {
    const h = new TempHome();
    h.write(CURSOR, hostJson(stdio("a")));
    const r = script(
      h,
      `import { backup } from "hatch";
import { writeFileSync } from "node:fs";
const s = await backup.create({ hosts: "cursor", name: "nightly" });
console.log("created", s.name, s.files.length);
writeFileSync(${JSON.stringify(h.path(CURSOR))}, "{}\\n");
console.log("listed", (await backup.list()).length);
console.log("shown", (await backup.show(s.id)).ok);
const d = await backup.diff(s.id);
console.log("diff", d.changes, d.files[0]?.patch.includes("+"));
const plan = await backup.planRestore({ hosts: "cursor", name: "nightly" });
console.log("plan", plan.drift);
const res = await backup.restore({ hosts: "cursor", name: "nightly" });
console.log("restored", res.ok, typeof res.safetyId);
console.log("verify", (await backup.verify()).ok);
const c = await backup.clean({ keep: 1 });
console.log("clean", c.ok, c.dryRun);
`,
    );
    expectOk(r);
    expect(r.stdout).toContain("created nightly 1");
    expect(r.stdout).toContain("listed 1");
    expect(r.stdout).toContain("shown true");
    expect(r.stdout).toContain("diff 1 true");
    expect(r.stdout).toContain("plan true");
    expect(r.stdout).toContain("restored true string");
    expect(r.stdout).toContain("verify true");
    expect(r.stdout).toContain("clean true false");
    expect(h.read(CURSOR)).toBe(hostJson(stdio("a")));
  });

  test("testServers() (hatch mcp test)", () => {
    const h = new TempHome();
    h.write(CURSOR, hostJson({ good: { command: BUN, args: [GOOD] } }));
    const r = script(
      h,
      `import { testServers } from "hatch";
const report = await testServers({ hosts: "cursor", timeoutMs: 20000 });
console.log("test", report.ok, report.results.map((x) => x.server + ":" + x.status + ":" + (x.tools?.length ?? 0)).join(","));
`,
    );
    expectOk(r);
    expect(r.stdout).toMatch(/test true good:ok:\d+/);
  }, 60_000);
});

describe("watch() (hatch watch), through hatch run", () => {
  test("applies once, heals a wiped file, and stops when its signal aborts", () => {
    const h = new TempHome();
    h.write(CLAUDE, hostJson(stdio("a")));
    h.write(CURSOR, hostJson({}));
    const r = script(
      h,
      `import { watch } from "hatch";
import { writeFileSync } from "node:fs";
const stop = new AbortController();
const seen: string[] = [];
let wiped = false;
await watch({
  from: "claude-desktop",
  to: ["cursor"],
  signal: stop.signal,
  intervalMs: 100,
  onEvent(e) {
    seen.push(e.event);
    if (e.event === "heal" && !wiped) {
      wiped = true;
      setTimeout(() => writeFileSync(${JSON.stringify(h.path(CURSOR))}, "{}\\n"), 50);
    } else if (e.event === "heal") stop.abort();
  },
});
console.log("events", seen.filter((x) => x === "heal").length, seen.at(-1));
`,
    );
    expectOk(r);
    expect(r.stdout).toContain("events 2 stop");
    expect(h.read(CURSOR)).toContain('"a"');
  }, 60_000);
});

describe("API rules", () => {
  test("awaiting a builder (or returning one from an async function) writes nothing", () => {
    const h = new TempHome();
    h.write(CLAUDE, hostJson(stdio("a")));
    h.write(CURSOR, hostJson({}));
    const before = statSync(h.path(CURSOR)).mtimeMs;
    const r = script(
      h,
      `import { configure, sync } from "hatch";
async function builderFor() { return sync().from("claude-desktop").to("cursor"); }
const b = await builderFor();
const c = await configure("x").on("cursor").command("y");
console.log("awaited", typeof (b as { plan?: unknown }).plan, typeof (c as { apply?: unknown }).apply);
`,
    );
    expectOk(r);
    expect(r.stdout).toContain("awaited function function");
    expect(h.read(CURSOR)).toBe(hostJson({}));
    expect(statSync(h.path(CURSOR)).mtimeMs).toBe(before);
    expect(existsSync(h.path(".hatch", "backups"))).toBe(false);
  });

  test("an unknown host thrown by the API exits 2, as the CLI does; the message names API calls", () => {
    const h = new TempHome();
    h.write(CLAUDE, hostJson(stdio("a")));
    const r = script(
      h,
      `import { sync } from "hatch";\nawait sync().from("claude-desktop").to("cursr").apply();\n`,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Unknown host "cursr"');
    const r2 = script(h, `import { sync } from "hatch";\nawait sync().to("cursor").apply();\n`);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain(".from(");
    expect(r2.stderr).not.toContain("--from-host");
  });

  test("a new host file holding a secret is owner-only; one without stays within the umask", () => {
    const h = new TempHome();
    h.write(CLAUDE, hostJson({ s: { command: "x", env: { TOKEN: "t" } }, p: { command: "y" } }));
    const r = script(
      h,
      `import { sync } from "hatch";
await sync().from("claude-desktop").to("cursor").servers("s").apply();
await sync().from("claude-desktop").to("vscode").servers("p").apply();
`,
    );
    expectOk(r);
    expect(statSync(h.path(CURSOR)).mode & 0o777).toBe(0o600);
    expect(statSync(h.path(VSCODE)).mode & 0o777).toBe(0o666 & ~process.umask());
  });
});
