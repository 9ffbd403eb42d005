// Environments shared through git (PRODUCT.md): a repository made by the test with the real `git`,
// added as a source, read as SOURCE/ENV (pinned, read-only), pulled (old → new, force-push warned),
// and used as the source of a sync whose --check --json names the commit.
import { beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CURSOR, hostJson, requireBinary, TempHome } from "./harness.ts";

beforeAll(requireBinary);

const HAS_GIT = spawnSync("git", ["--version"]).status === 0;
// Under CI git is installed by .ci/run: a missing git is a failure there, not a skip.
const run = HAS_GIT || process.env.CI ? describe : describe.skip;

function git(dir: string, ...args: string[]): string {
  const r = spawnSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=T", ...args], {
    cwd: dir,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout.trim();
}

function envFile(description: string, args: string[]): string {
  return `# team environment\ndescription: ${description}\nservers:\n  api:\n    command: npx\n    args: [${args.map((a) => JSON.stringify(a)).join(", ")}]\n`;
}

function repo(h: TempHome): { dir: string; commit: (file: string, text: string, msg: string) => string } {
  const dir = h.path("team-repo");
  mkdirSync(join(dir, "envs"), { recursive: true });
  git(dir, "init", "-q", "-b", "main");
  const commit = (file: string, text: string, msg: string) => {
    writeFileSync(join(dir, file), text);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", msg);
    return git(dir, "rev-parse", "HEAD");
  };
  return { dir, commit };
}

run("hatch env source / env pull", () => {
  test("add, list, sync from SOURCE/ENV with the commit in --json and the backup; read-only; pull moves it; @commit pins", () => {
    const h = new TempHome();
    const r = repo(h);
    const c1 = r.commit("envs/production.yaml", envFile("Prod", ["api@1"]), "one");
    r.commit("README.md", "not an environment\n", "readme");
    const c1b = git(r.dir, "rev-parse", "HEAD");
    const add = h.run(["env", "source", "add", "team", r.dir, "--path", "envs", "--json"]);
    expect(add.code).toBe(0);
    expect(JSON.parse(add.stdout)).toEqual(
      expect.objectContaining({ name: "team", commit: c1b, environments: ["production"] }),
    );
    const list = h.run(["env", "list", "--json"]);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).environments).toEqual([
      expect.objectContaining({ name: "team/production", source: { name: "team", commit: c1b } }),
    ]);
    h.write(CURSOR, hostJson({}));
    const check = h.run([
      "mcp",
      "sync",
      "--from-env",
      "team/production",
      "--to-host",
      "cursor",
      "--check",
      "--json",
    ]);
    expect(check.code).toBe(3);
    expect(JSON.parse(check.stdout).source).toEqual(
      expect.objectContaining({ name: "team/production", commit: c1b }),
    );
    const apply = h.run(["mcp", "sync", "--from-env", "team/production", "--to-host", "cursor", "-y"]);
    expect(apply.code).toBe(0);
    expect(h.read(CURSOR)).toContain("api@1");
    const snaps = JSON.parse(h.run(["mcp", "backup", "list", "--json"]).stdout).snapshots;
    expect(snaps[0].command).toContain(`team/production at ${c1b}`);
    // Read-only here: a change goes through the repository.
    const cfg = h.run(["mcp", "configure", "x", "--env", "team/production", "--command", "y", "-y"]);
    expect(cfg.code).toBe(2);
    expect(cfg.stderr).toContain(
      'Environment "team/production" comes from a git source and is read-only here',
    );
    const toEnv = h.run(["mcp", "sync", "--from-host", "cursor", "--to-env", "team/production", "-y"]);
    expect(toEnv.code).toBe(2);
    // Nothing changes until a pull.
    const c2 = r.commit("envs/production.yaml", envFile("Prod", ["api@2"]), "two");
    expect(
      h.run(["mcp", "sync", "--from-env", "team/production", "--to-host", "cursor", "--check"]).code,
    ).toBe(0);
    const pull = h.run(["env", "pull"]);
    expect(pull.code).toBe(0);
    expect(pull.stdout).toContain(`team: ${c1b.slice(0, 12)} → ${c2.slice(0, 12)}`);
    expect(
      h.run(["mcp", "sync", "--from-env", "team/production", "--to-host", "cursor", "--check"]).code,
    ).toBe(3);
    // Pinned to an older commit.
    const pinned = h.run([
      "mcp",
      "sync",
      "--from-env",
      `team/production@${c1.slice(0, 10)}`,
      "--to-host",
      "cursor",
      "--check",
    ]);
    expect(pinned.code).toBe(0);
    expect(h.run(["env", "show", `team/production@${c1}`, "--json"]).stdout).toContain("api@1");
  });

  test("a force-pushed ref is followed with a warning; an unreadable URL or ref is exit 2 in one line, nothing kept", () => {
    const h = new TempHome();
    const r = repo(h);
    r.commit("envs/staging.yaml", envFile("Staging", ["s@1"]), "one");
    const c2 = r.commit("envs/staging.yaml", envFile("Staging", ["s@2"]), "two");
    expect(h.run(["env", "source", "add", "team", r.dir, "--path", "envs"]).code).toBe(0);
    git(r.dir, "reset", "-q", "--hard", "HEAD~1");
    const c3 = r.commit("envs/staging.yaml", envFile("Staging", ["s@3"]), "rewritten");
    const pull = h.run(["env", "pull", "team"]);
    expect(pull.code).toBe(0);
    expect(pull.stderr).toContain(
      `was rewritten (force-pushed): ${c2.slice(0, 12)} is not an ancestor of ${c3.slice(0, 12)}`,
    );
    expect(h.run(["env", "show", "team/staging", "--json"]).stdout).toContain("s@3");
    const bad = h.run(["env", "source", "add", "nope", h.path("no-such-repo")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.split("\n").filter((l) => l.startsWith("Error:")).length).toBe(1);
    expect(bad.stderr).toContain("Cannot clone");
    const badRef = h.run(["env", "source", "add", "other", r.dir, "--ref", "no-such-branch"]);
    expect(badRef.code).toBe(2);
    expect(badRef.stderr).toContain('find ref "no-such-branch"');
    const left = readdirSync(h.path(".hatch", "sources"));
    expect(left.some((f) => f.startsWith("nope") || f.startsWith("other"))).toBe(false);
    expect(existsSync(h.path(".hatch", "sources", "team.json"))).toBe(true);
    const rm = h.run(["env", "source", "remove", "team"]);
    expect(rm.code).toBe(0);
    expect(readdirSync(h.path(".hatch", "sources"))).toEqual([]);
  });
});
