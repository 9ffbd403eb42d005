// Every `hatch mcp sync` command of the tutorial (shared/seed/05-advanced-synchronization.md),
// run as written against the compiled binary on a temp HOME, with the resulting files checked.
// Custom hosts, groups and environments the tutorial names are created first with hatch itself.
// Commands the tutorial shows without --auto-approve are interactive there; here they run with
// HATCH_AUTO_APPROVE=1, which is what a script or CI job sets (one test answers a real prompt).
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import {
  BIN,
  CLAUDE,
  CURSOR,
  envYaml,
  hostJson as json,
  LMSTUDIO,
  requireBinary,
  type Servers,
  stdio,
  TempHome,
  VSCODE,
} from "./harness.ts";

setDefaultTimeout(120_000);

beforeAll(requireBinary);

const ENVS: Record<string, Servers> = {
  development: stdio(
    "weather-api",
    "news-api",
    "file-api",
    "dev-debugger",
    "dev-profiler",
    "experimental-ai",
    "weather-api-v2",
    "news-api-v3",
    "redis-cache",
    "infra-dns",
  ),
  staging: stdio("weather-api", "news-api", "logging-agent"),
  production: stdio(
    "prod-weather",
    "prod-news",
    "monitoring-agent",
    "log-shipper",
    "search-beta",
    "prod-secrets-vault",
  ),
  "last-known-good": stdio("weather-api", "news-api"),
  "weather-dashboard": stdio("weather-dashboard-api", "weather-dashboard-ui", "unrelated"),
  "infrastructure-template": stdio("infra-dns", "infra-vpn", "app-x"),
  dev: {},
  prod: {},
};

function names(h: TempHome, rel: string, key = "mcpServers"): string[] {
  return Object.keys(JSON.parse(h.read(rel))[key] ?? {}).sort();
}

/** A home with the tutorial's hosts, custom hosts, groups and environments. */
function tutorialHome(): TempHome {
  const h = new TempHome();
  h.write(
    CLAUDE,
    json(
      stdio("weather-api", "news-aggregator", "file-manager", "monitoring-tools", "dev-tools", "db-postgres"),
    ),
  );
  h.write(CURSOR, json({}));
  h.write(VSCODE, json({}, "servers"));
  h.write(LMSTUDIO, json({}));
  for (const [name, servers] of Object.entries(ENVS))
    h.write(`.hatch/envs/${name}.yaml`, envYaml(`${name} servers`, servers));
  // Custom hosts: claude-desktop-format files elsewhere on disk.
  const custom: [string, string, Servers][] = [
    ["production-host", "claude-desktop", stdio("prod-weather", "dev-x", "test-y", "monitoring-agent")],
    ["staging", "claude-desktop", stdio("weather-api-v2.1", "weather-api-v1.9", "news-api-v3.0")],
    ["development", "claude-desktop", stdio("db-main", "redis-cache", "web-ui")],
    ["staging-claude", "claude-desktop", {}],
    ["production-claude", "claude-desktop", {}],
    ["team-standard", "claude-desktop", stdio("team-lint", "team-docs")],
    ["dev1-claude", "claude-desktop", {}],
    ["dev2-cursor", "cursor", {}],
    ["dev3-vscode", "vscode", {}],
    ["dev-infrastructure", "cursor", {}],
    ["staging-infrastructure", "cursor", {}],
    ["prod-infrastructure", "cursor", {}],
    ["testing-cursor", "cursor", {}],
  ];
  for (const [name, type, servers] of custom) {
    const rel = `srv/${name}/config.json`;
    h.write(rel, json(servers, type === "vscode" ? "servers" : "mcpServers"));
    const r = h.run(["host", "add", name, "--type", type, "--path", h.path(rel)]);
    if (r.code !== 0) throw new Error(`host add ${name}: ${r.stderr}`);
  }
  const groups: [string, string][] = [
    ["production-hosts", "production-claude,cursor"],
    ["staging-hosts", "staging-claude"],
    ["development-hosts", "dev1-claude,dev2-cursor"],
    ["testing-hosts", "testing-cursor"],
    ["team-hosts", "dev1-claude,dev2-cursor,dev3-vscode"],
  ];
  for (const [name, members] of groups) {
    const r = h.run(["host", "group", name, members]);
    if (r.code !== 0) throw new Error(`host group ${name}: ${r.stderr}`);
  }
  return h;
}

const APPROVE = { HATCH_AUTO_APPROVE: "1" };

function sync(h: TempHome, args: string[], env: Record<string, string> = APPROVE) {
  const r = h.run(["mcp", "sync", ...args], { env });
  if (r.code !== 0) throw new Error(`hatch mcp sync ${args.join(" ")} → ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r;
}

describe("tutorial: host-to-host synchronization", () => {
  test("copy all servers from Claude Desktop to Cursor, to several hosts, to all hosts", () => {
    const h = tutorialHome();
    sync(h, ["--from-host", "claude-desktop", "--to-host", "cursor"]);
    expect(names(h, CURSOR)).toEqual(names(h, CLAUDE));
    const r = sync(h, ["--from-host", "claude-desktop", "--to-host", "cursor,vscode,lmstudio"]);
    expect(r.stdout).toContain("Target hosts: cursor, vscode, lmstudio");
    expect(r.stdout).toContain("✓ vscode: 6 servers configured");
    expect(names(h, VSCODE, "servers")).toEqual(names(h, CLAUDE));
    const all = sync(h, ["--from-host", "claude-desktop", "--to-host", "all"]);
    expect(all.stdout).toContain("Host-to-host synchronization completed successfully!");
    // `all` includes custom hosts too.
    expect(names(h, "srv/team-standard/config.json")).toContain("weather-api");
  });
});

describe("tutorial: advanced filtering patterns", () => {
  test("regular expression filtering", () => {
    const h = tutorialHome();
    sync(h, ["--from-host", "claude-desktop", "--to-host", "cursor", "--pattern", ".*api.*"]);
    expect(names(h, CURSOR)).toEqual(["weather-api"]);
    sync(h, ["--from-host", "claude-desktop", "--to-host", "vscode", "--pattern", "^dev-.*"]);
    expect(names(h, VSCODE, "servers")).toEqual(["dev-tools"]);
    sync(h, [
      "--from-host",
      "production-host",
      "--to-host",
      "claude-desktop",
      "--pattern",
      "^(?!dev-|test-).*",
    ]);
    const claude = names(h, CLAUDE);
    expect(claude).toContain("prod-weather");
    expect(claude).toContain("monitoring-agent");
    expect(claude).not.toContain("dev-x");
    expect(claude).not.toContain("test-y");
  });

  test("version-specific and functional filtering", () => {
    const h = tutorialHome();
    sync(h, [
      "--from-env",
      "production",
      "--to-host",
      "claude-desktop",
      "--pattern",
      ".*(monitor|log|metric|trace).*",
    ]);
    expect(names(h, CLAUDE)).toContain("log-shipper");
    expect(names(h, CLAUDE)).toContain("monitoring-agent");
    expect(names(h, CLAUDE)).not.toContain("prod-news");
    sync(h, ["--from-env", "production", "--to-host", "all", "--pattern", "^(?!.*-(beta|alpha|dev)).*"]);
    expect(names(h, LMSTUDIO)).toEqual([
      "log-shipper",
      "monitoring-agent",
      "prod-news",
      "prod-secrets-vault",
      "prod-weather",
    ]);
    sync(h, ["--from-host", "staging", "--to-host", "production-host", "--pattern", ".*-v[2-9]\\..*"]);
    const prodHost = names(h, "srv/production-host/config.json");
    expect(prodHost).toEqual(expect.arrayContaining(["weather-api-v2.1", "news-api-v3.0"]));
    expect(prodHost).not.toContain("weather-api-v1.9");
    sync(h, [
      "--from-host",
      "development",
      "--to-host",
      "cursor",
      "--pattern",
      ".*(db|database|storage|cache|redis|postgres).*",
    ]);
    expect(names(h, CURSOR)).toEqual(expect.arrayContaining(["db-main", "redis-cache"]));
    expect(names(h, CURSOR)).not.toContain("web-ui");
  });

  test("multi-criteria filtering and the current environment", () => {
    const h = tutorialHome();
    sync(h, [
      "--from-env",
      "development",
      "--to-host",
      "claude-desktop",
      "--servers",
      "weather-api,news-api,file-api",
      "--pattern",
      ".*api.*",
    ]);
    expect(names(h, CLAUDE)).toEqual(expect.arrayContaining(["weather-api", "news-api", "file-api"]));
    expect(h.run(["env", "use", "production"]).code).toBe(0);
    sync(h, ["--from-env", "production", "--to-host", "all", "--pattern", "^prod-.*"]);
    expect(names(h, CURSOR)).toEqual(["prod-news", "prod-secrets-vault", "prod-weather"]);
  });
});

describe("tutorial: batch operations and automation", () => {
  test("deploy-to-staging.sh", () => {
    const h = tutorialHome();
    sync(
      h,
      ["--from-env", "development", "--to-host", "cursor,vscode", "--pattern", "^dev-.*", "--auto-approve"],
      {},
    );
    sync(
      h,
      [
        "--from-env",
        "development",
        "--to-host",
        "claude-desktop",
        "--pattern",
        "^(?!dev-).*",
        "--auto-approve",
      ],
      {},
    );
    expect(names(h, CURSOR)).toEqual(["dev-debugger", "dev-profiler"]);
    expect(names(h, VSCODE, "servers")).toEqual(["dev-debugger", "dev-profiler"]);
    expect(names(h, CLAUDE)).toContain("weather-api-v2");
    expect(names(h, CLAUDE)).not.toContain("dev-debugger");
  });

  test("deploy-to-production.sh: preview with --dry-run, then a confirmed sync at a real prompt", () => {
    const h = tutorialHome();
    const before = h.read(CURSOR);
    const preview = h.run(["mcp", "sync", "--from-env", "production", "--to-host", "all", "--dry-run"]);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain("+ prod-weather");
    expect(h.read(CURSOR)).toBe(before);
    // No terminal, no approval: refused, nothing written.
    const refused = h.run(["mcp", "sync", "--from-env", "production", "--to-host", "all"], { stdin: "y\n" });
    expect(refused.code).toBe(2);
    expect(h.read(CURSOR)).toBe(before);
    // A real pseudo-terminal answering "y" at the prompt (util-linux `script`), where available.
    const hasScript = Bun.spawnSync(["sh", "-c", "command -v script"]).exitCode === 0;
    if (hasScript) {
      const cmd = `printf 'y\\n' | script -qec '${BIN} mcp sync --from-env production --to-host cursor' /dev/null`;
      const p = Bun.spawnSync(["sh", "-c", cmd], {
        env: h.env(),
        cwd: h.home,
        stdout: "pipe",
        stderr: "pipe",
      });
      const out = p.stdout.toString();
      expect(out).toContain("Proceed? [y/N]");
      expect(p.exitCode).toBe(0);
      expect(names(h, CURSOR)).toContain("prod-weather");
    }
  });

  test("CI: staging-hosts and production-hosts groups", () => {
    const h = tutorialHome();
    expect(h.run(["env", "use", "staging"]).code).toBe(0);
    sync(h, ["--from-env", "staging", "--to-host", "staging-hosts", "--auto-approve"], {});
    expect(names(h, "srv/staging-claude/config.json")).toEqual(["logging-agent", "news-api", "weather-api"]);
    expect(h.run(["env", "use", "production"]).code).toBe(0);
    sync(h, ["--from-env", "production", "--to-host", "production-hosts", "--auto-approve"], {});
    expect(names(h, "srv/production-claude/config.json")).toContain("prod-weather");
    expect(names(h, CURSOR)).toContain("prod-weather");
  });

  test("multi-environment loop and host standardization", () => {
    const h = tutorialHome();
    for (const e of ["development", "staging", "production"]) {
      expect(h.run(["env", "use", e]).code).toBe(0);
      sync(h, ["--from-env", e, "--to-host", `${e}-hosts`, "--auto-approve"], {});
    }
    expect(names(h, "srv/dev1-claude/config.json")).toContain("dev-debugger");
    expect(names(h, "srv/staging-claude/config.json")).toContain("logging-agent");
    expect(names(h, "srv/production-claude/config.json")).toContain("prod-news");
    const primary = "claude-desktop";
    const targets = "cursor,vscode,lmstudio";
    sync(h, ["--from-host", primary, "--to-host", targets, "--auto-approve"], {});
    expect(names(h, LMSTUDIO)).toEqual(names(h, CLAUDE));
  });
});

describe("tutorial: complex synchronization workflows", () => {
  test("multi-stage deployment and selective promotion", () => {
    const h = tutorialHome();
    const dry = sync(
      h,
      [
        "--from-env",
        "development",
        "--to-host",
        "staging-claude",
        "--pattern",
        "^(?!experimental-).*",
        "--dry-run",
      ],
      {},
    );
    expect(dry.stdout).not.toContain("+ experimental-ai");
    expect(names(h, "srv/staging-claude/config.json")).toEqual([]);
    sync(h, [
      "--from-env",
      "development",
      "--to-host",
      "staging-claude",
      "--pattern",
      "^(?!experimental-).*",
    ]);
    sync(h, ["--from-host", "staging-claude", "--to-host", "production-hosts", "--auto-approve"], {});
    expect(names(h, "srv/production-claude/config.json")).toContain("weather-api-v2");
    expect(names(h, "srv/production-claude/config.json")).not.toContain("experimental-ai");
    const promo = sync(
      h,
      [
        "--from-env",
        "development",
        "--to-host",
        "production-claude",
        "--servers",
        "weather-api-v2,news-api-v3",
        "--dry-run",
      ],
      {},
    );
    expect(promo.stdout).toContain("Found servers: weather-api-v2, news-api-v3");
    sync(h, ["--from-env", "development", "--to-host", "production-claude", "--pattern", ".*api-v[2-9].*"]);
    expect(names(h, "srv/production-claude/config.json")).toEqual(
      expect.arrayContaining(["weather-api-v2", "news-api-v3"]),
    );
  });

  test("environment mirroring to development-hosts and testing-hosts", () => {
    const h = tutorialHome();
    sync(h, [
      "--from-env",
      "production",
      "--to-host",
      "development-hosts",
      "--pattern",
      "^(?!prod-secrets).*",
    ]);
    expect(names(h, "srv/dev2-cursor/config.json")).not.toContain("prod-secrets-vault");
    expect(names(h, "srv/dev2-cursor/config.json")).toContain("prod-weather");
    sync(h, ["--from-env", "staging", "--to-host", "testing-hosts", "--auto-approve"], {});
    expect(names(h, "srv/testing-cursor/config.json")).toEqual(["logging-agent", "news-api", "weather-api"]);
  });
});

describe("tutorial: enterprise deployment patterns", () => {
  test("team lead workflow, project-specific deployment, infrastructure templates, recovery", () => {
    const h = tutorialHome();
    const teamConfigHost = "team-standard";
    const teamMembers = "dev1-claude,dev2-cursor,dev3-vscode";
    sync(h, ["--from-host", teamConfigHost, "--to-host", teamMembers, "--auto-approve"], {});
    expect(names(h, "srv/dev3-vscode/config.json", "servers")).toEqual(["team-docs", "team-lint"]);

    const project = "weather-dashboard";
    sync(
      h,
      ["--from-env", project, "--to-host", "team-hosts", "--pattern", `.*${project}.*`, "--auto-approve"],
      {},
    );
    expect(names(h, "srv/dev2-cursor/config.json")).toEqual([
      "team-docs",
      "team-lint",
      "weather-dashboard-api",
      "weather-dashboard-ui",
    ]);

    const templateEnv = "infrastructure-template";
    for (const e of ["dev", "staging", "prod"]) {
      expect(h.run(["env", "use", e]).code).toBe(0);
      sync(
        h,
        [
          "--from-env",
          templateEnv,
          "--to-host",
          `${e}-infrastructure`,
          "--pattern",
          "^infra-.*",
          "--auto-approve",
        ],
        {},
      );
      expect(names(h, `srv/${e}-infrastructure/config.json`)).toEqual(["infra-dns", "infra-vpn"]);
    }

    const recoveryEnv = "last-known-good";
    const affectedHosts = "all";
    sync(h, ["--from-env", recoveryEnv, "--to-host", affectedHosts, "--auto-approve"], {});
    expect(names(h, CLAUDE)).toEqual(expect.arrayContaining(["weather-api", "news-api"]));
    expect(names(h, "srv/prod-infrastructure/config.json")).toEqual([
      "infra-dns",
      "infra-vpn",
      "news-api",
      "weather-api",
    ]);
  });
});

describe("tutorial: monitoring and validation", () => {
  test("post-sync validation: list servers per host and diff two hosts", () => {
    const h = tutorialHome();
    sync(h, ["--from-host", "claude-desktop", "--to-host", "cursor,vscode", "--auto-approve"], {});
    for (const host of ["claude-desktop", "cursor", "vscode"]) {
      const r = h.run(["mcp", "list", "servers", "--host", host]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("weather-api");
    }
    const a = h.run(["mcp", "list", "servers", "--host", "claude-desktop"]).stdout.split("\n").slice(1);
    const b = h.run(["mcp", "list", "servers", "--host", "cursor"]).stdout.split("\n").slice(1);
    expect(a).toEqual(b);
  });
});
