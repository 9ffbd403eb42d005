// Every script in examples/ run by the compiled binary (`hatch run`) on a temp HOME, from a
// folder with no node_modules, with the files it should change checked on disk.
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { copyFileSync, cpSync, mkdirSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  CLAUDE,
  CURSOR,
  envYaml,
  hostJson,
  LMSTUDIO,
  requireBinary,
  stdio,
  TempHome,
  VSCODE,
} from "./harness.ts";

setDefaultTimeout(120_000);

beforeAll(requireBinary);

const EXAMPLES = resolve(import.meta.dir, "..", "..", "examples");

function names(h: TempHome, rel: string, key = "mcpServers"): string[] {
  return Object.keys(JSON.parse(h.read(rel))[key] ?? {}).sort();
}

function home(): TempHome {
  const h = new TempHome();
  cpSync(EXAMPLES, h.path("scripts"), { recursive: true });
  h.write(CLAUDE, hostJson(stdio("weather-api", "news-api")));
  h.write(CURSOR, hostJson({}));
  h.write(VSCODE, hostJson({}, "servers"));
  h.write(LMSTUDIO, hostJson({}));
  const envs = {
    development: stdio("dev-debugger", "weather-api-v2"),
    staging: stdio("staging-api"),
    production: stdio("prod-weather", "dev-console"),
    "last-known-good": stdio("weather-api", "lkg-news"),
  };
  for (const [name, servers] of Object.entries(envs))
    h.write(`.hatch/envs/${name}.yaml`, envYaml(name, servers));
  for (const [name, type] of [
    ["dev-box", "cursor"],
    ["staging-box", "claude-desktop"],
    ["prod-box", "claude-desktop"],
  ] as const) {
    h.write(`srv/${name}.json`, hostJson({}));
    expect(h.run(["host", "add", name, "--type", type, "--path", h.path(`srv/${name}.json`)]).code).toBe(0);
  }
  for (const [group, members] of [
    ["development-hosts", "dev-box"],
    ["staging-hosts", "staging-box"],
    ["production-hosts", "prod-box"],
  ]) {
    expect(h.run(["host", "group", group as string, members as string]).code).toBe(0);
  }
  return h;
}

function run(h: TempHome, script: string, ...args: string[]) {
  return h.run(["run", join("scripts", script), ...args], {
    env: { NPM_CONFIG_REGISTRY: "http://127.0.0.1:9/" },
  });
}

describe("examples/ run through the compiled binary", () => {
  test("every example is covered by this file", () => {
    const covered = [
      "check-drift.ts",
      "deploy-to-production.ts",
      "deploy-to-staging.ts",
      "disaster-recovery-backup.ts",
      "disaster-recovery-restore.ts",
      "multi-environment.ts",
      "post-sync-validation.ts",
      "rollback-last-sync.ts",
      "standardize-hosts.ts",
      "team-environments.ts",
    ];
    expect(
      readdirSync(EXAMPLES)
        .filter((f) => f.endsWith(".ts"))
        .sort(),
    ).toEqual(covered);
  });

  test("deploy-to-staging.ts", () => {
    const h = home();
    const r = run(h, "deploy-to-staging.ts");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Staging deployment completed!");
    expect(names(h, CURSOR)).toEqual(["dev-debugger"]);
    expect(names(h, VSCODE, "servers")).toEqual(["dev-debugger"]);
    expect(names(h, CLAUDE)).toEqual(["news-api", "weather-api", "weather-api-v2"]);
  });

  test("deploy-to-production.ts previews, then deploys with --yes; check-drift.ts turns green", () => {
    const h = home();
    expect(run(h, "check-drift.ts").code).toBe(3);
    const r = run(h, "deploy-to-production.ts", "--yes");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Preview of changes:");
    expect(r.stdout).toContain("Production deployment completed!");
    expect(names(h, LMSTUDIO)).toEqual(["dev-console", "prod-weather"]);
    expect(names(h, "srv/prod-box.json")).toEqual(["dev-console", "prod-weather"]);
    expect(run(h, "check-drift.ts").code).toBe(0);
  });

  test("deploy-to-production.ts without an answer cancels and writes nothing", () => {
    const h = home();
    const before = h.read(CURSOR);
    const r = h.run(["run", "scripts/deploy-to-production.ts"], { stdin: "\n" });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("Production deployment cancelled.");
    expect(h.read(CURSOR)).toBe(before);
  });

  test("multi-environment.ts syncs each environment to its group", () => {
    const h = home();
    const r = run(h, "multi-environment.ts");
    expect(r.code).toBe(0);
    expect(names(h, "srv/dev-box.json")).toEqual(["dev-debugger", "weather-api-v2"]);
    expect(names(h, "srv/staging-box.json")).toEqual(["staging-api"]);
    expect(names(h, "srv/prod-box.json")).toEqual(["dev-console", "prod-weather"]);
  });

  test("standardize-hosts.ts and post-sync-validation.ts", () => {
    const h = home();
    expect(run(h, "post-sync-validation.ts", "claude-desktop", "cursor", "lmstudio").code).toBe(3);
    const r = run(h, "standardize-hosts.ts");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("✓ lmstudio: 2 servers");
    expect(names(h, LMSTUDIO)).toEqual(names(h, CLAUDE));
    const v = run(h, "post-sync-validation.ts", "claude-desktop", "cursor", "lmstudio");
    expect(v.code).toBe(0);
    expect(v.stdout).toContain("cursor: has every server");
  });

  test("disaster recovery: back up, restore last-known-good, roll the sync back", () => {
    const h = home();
    const b = run(h, "disaster-recovery-backup.ts");
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/Snapshot \S+: \d+ host files/);
    const before = h.read(CURSOR);
    const r = run(h, "disaster-recovery-restore.ts");
    expect(r.code).toBe(0);
    expect(names(h, CURSOR)).toEqual(["lkg-news", "weather-api"]);
    const back = run(h, "rollback-last-sync.ts");
    expect(back.code).toBe(0);
    expect(back.stdout).toContain("Undo this rollback with: hatch mcp backup restore --id");
    expect(h.read(CURSOR)).toBe(before);
  });
});

describe("team-environments.ts", () => {
  test("pulls the team's git source and applies its production to a group", () => {
    const h = home();
    const repo = h.path("team-repo");
    const git = (...args: string[]) => {
      const p = Bun.spawnSync(["git", "-c", "user.email=t@example.com", "-c", "user.name=T", ...args], {
        cwd: repo,
        stdout: "pipe",
        stderr: "pipe",
      });
      if (p.exitCode !== 0) throw new Error(p.stderr.toString());
      return p.stdout.toString().trim();
    };
    mkdirSync(join(repo, "envs"), { recursive: true });
    git("init", "-q", "-b", "main");
    h.write("team-repo/envs/production.yaml", envYaml("team production", stdio("team-api")));
    git("add", "-A");
    git("commit", "-q", "-m", "one");
    expect(h.run(["env", "source", "add", "team", repo, "--path", "envs"]).code).toBe(0);
    h.write("team-repo/envs/production.yaml", envYaml("team production", stdio("team-api", "team-docs")));
    git("commit", "-q", "-am", "two");
    const head = git("rev-parse", "HEAD");
    const r = run(h, "team-environments.ts", "team", "production-hosts");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("team: ");
    expect(r.stdout).toContain(`Applied team/production at ${head}`);
    expect(names(h, "srv/prod-box.json")).toEqual(["team-api", "team-docs"]);
  });
});

describe("examples/ type-check strictly with only what `hatch types` writes", () => {
  const TSC = resolve(import.meta.dir, "..", "..", "node_modules", ".bin", "tsc");
  const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith(".ts"));
  let types = "";

  beforeAll(() => {
    const h = new TempHome();
    mkdirSync(h.path("types"));
    expect(h.run(["types", "types"]).code).toBe(0);
    types = h.path("types");
  });

  test.each(examples)("%s passes tsc --strict --noEmit in an empty folder", (example) => {
    const dir = new TempHome().path();
    for (const f of readdirSync(types)) copyFileSync(join(types, f), join(dir, f));
    copyFileSync(join(EXAMPLES, example), join(dir, example));
    expect(readdirSync(dir).sort()).toEqual(
      [example, "hatch-globals.d.ts", "hatch.d.ts", "tsconfig.json"].sort(),
    );
    const p = Bun.spawnSync([TSC, "--strict", "--noEmit", "--pretty", "false"], { cwd: dir, stdout: "pipe" });
    expect(p.stdout.toString()).toBe("");
    expect(p.exitCode).toBe(0);
  });
});
