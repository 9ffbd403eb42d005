// The promise of issue 21 as a property: for any environment and any target host, no secret value
// appears in the environment file, the plan (summary, JSON), the result's JSON or what the API
// logs; a host file hatch creates holding a resolved value is owner-only (0600); a host that can
// expand variables gets its own reference, never the value.
import { expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { secrets } from "../../src/api/secrets.ts";
import { env, sync } from "../../src/api/sync.ts";
import { pathContext } from "../../src/hosts/_paths.ts";
import { HOSTS } from "../../src/hosts/registry.ts";
import { defaultWorkspace } from "../../src/store/workspace.ts";
import { RealSystem } from "../../src/system/system.ts";

const BASE = { HOME: "/h", HATCH_PLATFORM: "linux" };
/** Every built-in host with a user file on Linux (Visual Studio's is Windows-only). */
const TARGETS = HOSTS.filter((h) => h.userPath(pathContext(BASE)) !== undefined).map((h) => h.id);
const secretValue = fc.stringMatching(/^[A-Za-z0-9]{12,24}$/).map((s) => `S3CR3T-${s}`);

test("no secret value reaches an environment file, a plan, --json, summary() or a log; created host files are 0600", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...TARGETS),
      secretValue,
      secretValue,
      fc.boolean(),
      async (target, stored, fromEnv, remote) => {
        const dir = mkdtempSync(join(tmpdir(), "hatch-prop-"));
        const ws = defaultWorkspace(
          {
            PATH: process.env.PATH ?? "/usr/bin",
            HOME: dir,
            HATCH_HOME: join(dir, ".hatch"),
            HATCH_PLATFORM: "linux",
            HATCH_SECRET_STORE: "file",
            API_TOKEN: fromEnv,
          },
          new RealSystem(),
        );
        await secrets.set("team/key", stored, { workspace: ws });
        const server = remote
          ? `    url: https://mcp.example.com/mcp\n    headers:\n      Authorization: "Bearer \${secret:team/key}"\n      X-Api-Token: "\${env:API_TOKEN}"\n`
          : `    command: npx\n    env:\n      API_KEY: "\${secret:team/key}"\n      API_TOKEN: "\${env:API_TOKEN}"\n`;
        const envFile = join(ws.hatchHome, "envs", "prod.yaml");
        mkdirSync(join(ws.hatchHome, "envs"), { recursive: true });
        writeFileSync(envFile, `description: p\nservers:\n  s:\n${server}`);
        const logs: string[] = [];
        const saved = { log: console.log, error: console.error, warn: console.warn };
        console.log = console.error = console.warn = (...a: unknown[]) => void logs.push(a.join(" "));
        let plan: Awaited<ReturnType<ReturnType<typeof sync>["plan"]>>;
        let resultJson: string;
        try {
          const b = sync().from(env("prod")).to(target).withWorkspace(ws);
          plan = await b.plan();
          resultJson = JSON.stringify(await b.apply());
        } finally {
          Object.assign(console, saved);
        }
        const shown = [
          readFileSync(envFile, "utf8"),
          plan.summary(),
          JSON.stringify(plan),
          String(plan),
          resultJson,
          ...logs,
        ].join("\n");
        expect(shown).not.toContain(stored);
        expect(shown).not.toContain(fromEnv);
        const hostFile = plan.hosts[0]?.path as string;
        if (existsSync(hostFile)) {
          const text = readFileSync(hostFile, "utf8");
          if (text.includes(stored) || text.includes(fromEnv))
            expect(statSync(hostFile).mode & 0o777).toBe(0o600);
        }
      },
    ),
    { numRuns: Number(process.env.HATCH_PROPERTY_RUNS ?? 60) },
  );
}, 120_000);

test("hosts that expand variables get their own reference, never the value", async () => {
  const dir = mkdtempSync(join(tmpdir(), "hatch-native-"));
  const ws = defaultWorkspace(
    {
      PATH: "/usr/bin",
      HOME: dir,
      HATCH_HOME: join(dir, ".hatch"),
      HATCH_PLATFORM: "linux",
      HATCH_SECRET_STORE: "file",
      GITHUB_TOKEN: "gh-VALUE",
      SEARCH_KEY: "sk-VALUE",
    },
    new RealSystem(),
  );
  mkdirSync(join(ws.hatchHome, "envs"), { recursive: true });
  writeFileSync(
    join(ws.hatchHome, "envs", "prod.yaml"),
    'servers:\n  gh:\n    command: npx\n    env:\n      GITHUB_TOKEN: "${env:GITHUB_TOKEN}"\n  search:\n    url: https://s.example/mcp\n    headers:\n      X-Key: "${env:SEARCH_KEY}"\n      Authorization: "Bearer ${GITHUB_TOKEN}"\n',
  );
  const r = await sync()
    .from(env("prod"))
    .to(["cursor", "claude-code", "codex", "goose", "opencode", "copilot-cli"])
    .withWorkspace(ws)
    .apply();
  expect(r.ok).toBe(true);
  const read = (p: string) => readFileSync(join(dir, p), "utf8");
  expect(read(".cursor/mcp.json")).toContain('"GITHUB_TOKEN": "${env:GITHUB_TOKEN}"');
  expect(read(".claude.json")).toContain('"GITHUB_TOKEN": "${GITHUB_TOKEN}"');
  expect(read(".config/opencode/opencode.json")).toContain('"X-Key": "{env:SEARCH_KEY}"');
  expect(read(".copilot/mcp-config.json")).toContain('"GITHUB_TOKEN": "${GITHUB_TOKEN}"');
  const codex = read(".codex/config.toml");
  expect(codex).toContain('env_vars = ["GITHUB_TOKEN"]');
  expect(codex).toContain('bearer_token_env_var = "GITHUB_TOKEN"');
  expect(codex).toMatch(/env_http_headers = \{ "?X-Key"? = "SEARCH_KEY" \}/);
  const goose = read(".config/goose/config.yaml");
  expect(goose).toMatch(/env_keys:\s*\n\s*- GITHUB_TOKEN/);
  // Goose substitutes ${VAR} in headers from the variables env_keys names.
  expect(goose).toContain("X-Key: ${SEARCH_KEY}");
  expect(goose).toContain("Authorization: Bearer ${GITHUB_TOKEN}");
  for (const p of [
    ".cursor/mcp.json",
    ".claude.json",
    ".codex/config.toml",
    ".config/goose/config.yaml",
    ".config/opencode/opencode.json",
    ".copilot/mcp-config.json",
  ]) {
    expect(read(p)).not.toContain("gh-VALUE");
    expect(read(p)).not.toContain("sk-VALUE");
  }
});

test("one unset variable skips only the hosts that cannot expand it; alone, it is bad input", async () => {
  const dir = mkdtempSync(join(tmpdir(), "hatch-unset-"));
  const ws = defaultWorkspace(
    { PATH: "/usr/bin", HOME: dir, HATCH_HOME: join(dir, ".hatch"), HATCH_PLATFORM: "linux" },
    new RealSystem(),
  );
  mkdirSync(join(ws.hatchHome, "envs"), { recursive: true });
  writeFileSync(
    join(ws.hatchHome, "envs", "prod.yaml"),
    'servers:\n  s:\n    command: npx\n    env:\n      K: "${UNSET_VAR_X}"\n',
  );
  const r = await sync().from(env("prod")).to(["cursor", "claude-desktop"]).withWorkspace(ws).apply();
  expect(r.outcomes.find((o) => o.host === "cursor")?.status).toBe("written");
  const claude = r.plan.hosts.find((h) => h.host === "claude-desktop");
  expect(claude?.changes[0]).toMatchObject({ action: "skip" });
  expect(claude?.changes[0]?.reason).toContain('"UNSET_VAR_X" is not set');
  expect(sync().from(env("prod")).to("claude-desktop").withWorkspace(ws).plan()).rejects.toThrow(
    '"UNSET_VAR_X" is not set',
  );
});

test("a Codex file's ${VAR} text stays ${VAR} in another Codex file (same kind: copied as written)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "hatch-codex-"));
  const ws = defaultWorkspace(
    {
      PATH: "/usr/bin",
      HOME: dir,
      HATCH_HOME: join(dir, ".hatch"),
      HATCH_PLATFORM: "linux",
      GITHUB_TOKEN: "gh-SET",
    },
    new RealSystem(),
  );
  mkdirSync(join(dir, ".codex"), { recursive: true });
  writeFileSync(
    join(dir, ".codex", "config.toml"),
    '[mcp_servers.gh]\ncommand = "npx"\n\n[mcp_servers.gh.env]\nGITHUB_TOKEN = "${GITHUB_TOKEN}"\n',
  );
  const { hosts } = await import("../../src/api/hosts.ts");
  await hosts.add("codex2", { type: "codex", path: join(dir, "other.toml") }, { workspace: ws });
  await sync().from("codex").to("codex2").withWorkspace(ws).apply();
  const out = readFileSync(join(dir, "other.toml"), "utf8");
  expect(out).toContain('GITHUB_TOKEN = "${GITHUB_TOKEN}"');
  expect(out).not.toContain("gh-SET");
});

test("capture: env create --from-host moves secret-looking literals into the store", async () => {
  const dir = mkdtempSync(join(tmpdir(), "hatch-capture-"));
  const ws = defaultWorkspace(
    {
      PATH: "/usr/bin",
      HOME: dir,
      HATCH_HOME: join(dir, ".hatch"),
      HATCH_PLATFORM: "linux",
      HATCH_SECRET_STORE: "file",
    },
    new RealSystem(),
  );
  mkdirSync(join(dir, ".cursor"), { recursive: true });
  writeFileSync(
    join(dir, ".cursor", "mcp.json"),
    JSON.stringify({
      mcpServers: {
        gh: { command: "npx", env: { GITHUB_TOKEN: "ghp-LITERAL", LOG_LEVEL: "debug" } },
        api: { url: "https://a.example/mcp", headers: { Authorization: "Bearer tok-LITERAL" } },
      },
    }),
  );
  const { envs } = await import("../../src/api/envs.ts");
  await envs.create("prod", { fromHost: "cursor", workspace: ws });
  const text = readFileSync(join(ws.hatchHome, "envs", "prod.yaml"), "utf8");
  expect(text).not.toContain("LITERAL");
  expect(text).toContain("${secret:prod/gh/GITHUB_TOKEN}");
  expect(text).toContain("Bearer ${secret:prod/api/Authorization}");
  expect(text).toContain("debug");
  expect((await secrets.list({ workspace: ws })).map((s) => s.name)).toEqual([
    "prod/api/Authorization",
    "prod/gh/GITHUB_TOKEN",
  ]);
  // Round trip: syncing the environment back to a host writes the values again.
  await sync().from(env("prod")).to("claude-desktop").withWorkspace(ws).apply();
  expect(readFileSync(join(dir, ".config/Claude/claude_desktop_config.json"), "utf8")).toContain(
    "ghp-LITERAL",
  );
});
