// Issue 19, "Everyday use: what a new user trips over", against the compiled binary: --quiet,
// --args, broken environment files, the current environment as the default source, selections
// that match nothing, camelCase JSON, command suggestions, changed secrets, restore after a hand
// edit, --verify-servers with nothing to write, completion values, and words that say what ran.
import { beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { BIN, CLAUDE, CURSOR, envYaml, hostJson, requireBinary, stdio, TempHome } from "./harness.ts";

beforeAll(requireBinary);

const ROOT = join(import.meta.dir, "..", "..");
const yes = ["--auto-approve"];

function withClaude(servers = stdio("weather-api", "news-api", "dev-tools")): TempHome {
  const h = new TempHome();
  h.write(CLAUDE, hostJson(servers));
  h.write(CURSOR, "{}\n");
  return h;
}

describe("--quiet prints nothing but errors and warnings, on every command", () => {
  test("a successful run of each command prints nothing", () => {
    const h = withClaude();
    const runs: string[][] = [
      ["env", "create", "staging"],
      ["env", "use", "staging"],
      ["env", "list"],
      ["env", "show", "staging"],
      ["env", "current"],
      ["host", "add", "staging-claude", "--type", "claude-desktop", "--path", h.path("s.json")],
      ["host", "group", "prod", "cursor,staging-claude"],
      ["host", "list"],
      ["mcp", "discover", "hosts"],
      ["mcp", "list", "hosts"],
      ["mcp", "list", "servers", "--host", "claude-desktop"],
      ["mcp", "configure", "w", "--env", "staging", "--command", "uvx", ...yes],
      ["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor", ...yes],
      ["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor", "--dry-run"],
      ["mcp", "remove", "server", "w", "--env", "staging", ...yes],
      ["mcp", "backup", "create", "--host", "cursor", "--name", "hourly"],
      ["mcp", "backup", "list"],
      ["mcp", "backup", "restore", "--host", "cursor", ...yes],
      ["mcp", "backup", "clean", "--keep", "5"],
      ["mcp", "backup", "verify"],
      ["host", "ungroup", "prod"],
      ["env", "remove", "staging", ...yes],
    ];
    for (const args of runs) {
      const r = h.run([...args, "--quiet"]);
      expect({ args, code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
        args,
        code: 0,
        stdout: "",
        stderr: "",
      });
    }
  });

  test("-q is --quiet; a warning (what a conversion loses) still shows", () => {
    const h = new TempHome();
    h.write(CURSOR, hostJson({ remote: { url: "https://example.com/mcp" } }));
    const r = h.run(["mcp", "sync", "--from-host", "cursor", "--to-host", "claude-desktop", "-q", ...yes]);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("remote");
  });

  test("a failure still shows", () => {
    const h = withClaude();
    const r = h.run(["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "nope", "-q", ...yes]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('Unknown host "nope"');
  });
});

describe("mcp configure --args takes every value up to the next flag", () => {
  test("--args weather-mcp serve, then more flags", () => {
    const h = new TempHome();
    h.write(CURSOR, "{}\n");
    const r = h.run([
      "mcp",
      "configure",
      "weather",
      "--host",
      "cursor",
      "--command",
      "uvx",
      "--args",
      "weather-mcp",
      "serve",
      "--env-var",
      "K=V",
      ...yes,
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(h.read(CURSOR)).mcpServers.weather).toEqual({
      command: "uvx",
      args: ["weather-mcp", "serve"],
      env: { K: "V" },
    });
  });

  test("the repeatable form and a first value starting with - still work", () => {
    const h = new TempHome();
    h.write(CURSOR, "{}\n");
    const r = h.run([
      "mcp",
      "configure",
      "w",
      "--host",
      "cursor",
      "--command",
      "npx",
      "--args",
      "-y",
      "@acme/w",
      "--args",
      "--port 8080",
      ...yes,
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(h.read(CURSOR)).mcpServers.w.args).toEqual(["-y", "@acme/w", "--port", "8080"]);
  });
});

describe("environment files that cannot be read", () => {
  test("env list lists the others and names the bad file (exit 2)", () => {
    const h = new TempHome();
    h.write(".hatch/envs/good.yaml", envYaml("fine", stdio("a")));
    h.write(".hatch/envs/broken.yaml", "description: [\n");
    const r = h.run(["env", "list"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("good");
    expect(r.stdout).toContain("broken");
    expect(r.stderr).toContain('Environment "broken" cannot be read');
    expect(r.stderr).toContain(h.path(".hatch/envs/broken.yaml"));
    const j = h.run(["env", "list", "--json"]);
    expect(j.code).toBe(2);
    const doc = JSON.parse(j.stdout);
    expect(doc.environments.map((e: { name: string }) => e.name)).toEqual(["broken", "good"]);
    expect(doc.environments[0].error).toContain("broken.yaml");
    expect(doc.environments[1].servers).toEqual(["a"]);
  });

  test("a misspelled field is named in words, with the file and the field it resembles", () => {
    const h = new TempHome();
    h.write(".hatch/envs/typo.yaml", "description: x\nservers:\n  w:\n    command: uvx\n    argz: [a]\n");
    const r = h.run(["env", "show", "typo"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(h.path(".hatch/envs/typo.yaml"));
    expect(r.stderr).toContain('server "w": unknown field "argz": did you mean "args"?');
    expect(r.stderr).not.toContain("Expected never");
  });
});

describe("the current environment is the source when none is given", () => {
  function staged(): TempHome {
    const h = new TempHome();
    h.write(CURSOR, "{}\n");
    h.write(".hatch/envs/staging.yaml", envYaml("staging", stdio("alpha", "beta")));
    h.write(".hatch/envs/production.yaml", envYaml("production", stdio("prod-only")));
    expect(h.run(["env", "use", "staging"]).code).toBe(0);
    return h;
  }

  test("mcp sync", () => {
    const h = staged();
    const r = h.run(["mcp", "sync", "--to-host", "cursor", ...yes]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Using the current environment "staging"');
    expect(r.stdout).toContain("Synchronizing from environment: staging");
    expect(Object.keys(JSON.parse(h.read(CURSOR)).mcpServers)).toEqual(["alpha", "beta"]);
  });

  test("mcp list servers", () => {
    const h = staged();
    const r = h.run(["mcp", "list", "servers"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Using the current environment "staging"');
    expect(r.stdout).toContain("alpha");
    expect(r.stdout).not.toContain("prod-only");
  });

  test("mcp test", () => {
    const h = staged();
    const r = h.run(["mcp", "test", "--timeout", "2s"]);
    expect(r.stdout).toContain('Using the current environment "staging"');
    expect(r.stdout + r.stderr).toContain("env:staging/alpha");
  });

  test("no current environment and no source: the error says how to give one", () => {
    const h = new TempHome();
    const r = h.run(["mcp", "sync", "--to-host", "cursor", ...yes]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Missing source");
  });
});

describe("a selection that matches no server says so", () => {
  test("--pattern", () => {
    const h = withClaude();
    const r = h.run([
      "mcp",
      "sync",
      "--from-host",
      "claude-desktop",
      "--to-host",
      "cursor",
      "--pattern",
      "wether",
      ...yes,
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'The pattern "wether" matched no server of host "claude-desktop" (3 servers there)',
    );
    const j = h.run([
      "mcp",
      "sync",
      "--from-host",
      "claude-desktop",
      "--to-host",
      "cursor",
      "--pattern",
      "x",
      "--json",
      "--dry-run",
    ]);
    expect(JSON.parse(j.stdout).warnings[0]).toContain('The pattern "x" matched no server');
  });
});

/** Every key of a JSON document, but inside user data (env names, headers, host-only fields). */
function keysOf(doc: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(doc)) for (const x of doc) keysOf(x, out);
  else if (doc && typeof doc === "object") {
    for (const [k, v] of Object.entries(doc)) {
      out.add(k);
      if (k === "env" || k === "headers" || k === "extra" || k === "before" || k === "after") continue;
      keysOf(v, out);
    }
  }
  return out;
}

describe("--json: one style, camelCase keys everywhere", () => {
  test("every read command and every sync", () => {
    const h = withClaude();
    h.write(".hatch/envs/staging.yaml", envYaml("s", stdio("a")));
    expect(h.run(["mcp", "backup", "create", "--host", "cursor"]).code).toBe(0);
    const runs: string[][] = [
      ["mcp", "discover", "hosts"],
      ["mcp", "list", "hosts"],
      ["mcp", "list", "servers", "--host", "claude-desktop"],
      ["env", "list"],
      ["env", "show", "staging"],
      ["env", "current"],
      ["host", "list"],
      ["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor", "--dry-run"],
      ["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor", ...yes],
      ["mcp", "configure", "w", "--host", "cursor", "--command", "x", ...yes],
      ["mcp", "backup", "list"],
      ["mcp", "backup", "verify"],
      ["mcp", "backup", "restore", "--host", "cursor", "--dry-run"],
    ];
    for (const args of runs) {
      const r = h.run([...args, "--json"]);
      expect({ args, code: r.code }).toEqual({ args, code: 0 });
      for (const k of keysOf(JSON.parse(r.stdout)))
        expect({ args, key: k }).toEqual({ args, key: k.replace(/_(\w)/g, (_m, c) => c.toUpperCase()) });
    }
    const d = JSON.parse(h.run(["mcp", "discover", "hosts", "--json"]).stdout);
    const claude = d.hosts.find((x: { host: string }) => x.host === "claude-desktop");
    expect(claude).toEqual(expect.objectContaining({ path: h.path(CLAUDE), exists: true, installed: true }));
  });
});

describe("mistyped commands get a suggestion; help and -v", () => {
  test.each([
    [["snyc"], "hatch mcp sync"],
    [["sync", "--from-host", "x"], "hatch mcp sync"],
    [["backup"], "hatch mcp backup"],
    [["env", "craete", "x"], "hatch env create"],
    [["mcp", "snyc"], "hatch mcp sync"],
  ])("%j → %s", (args, want) => {
    const r = new TempHome().run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`did you mean "${want}"?`);
  });

  test("hatch help sync is the help of hatch mcp sync", () => {
    const r = new TempHome().run(["help", "sync"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: hatch mcp sync");
  });

  test("-v alone prints the version; after a command it is --verbose", () => {
    const h = new TempHome();
    const v = h.run(["-v"]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^hatch \d+\.\d+\.\d+/);
    const r = h.run(["mcp", "list", "servers", "--host", "cursor", "-v"]);
    expect(r.code).toBe(0);
  });
});

describe("a changed secret shows that it changed, without its value", () => {
  test("plan and --json", () => {
    const h = new TempHome();
    h.write(CLAUDE, hostJson({ w: { command: "x", env: { KEY: "new-secret", SAME: "same-value" } } }));
    h.write(CURSOR, hostJson({ w: { command: "x", env: { KEY: "old-secret", SAME: "same-value" } } }));
    const r = h.run(["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor", "--dry-run"]);
    expect(r.stdout).toContain(
      'env: {"KEY":"******","SAME":"******"} → {"KEY":"****** (changed)","SAME":"******"}',
    );
    expect(r.stdout).not.toContain("secret");
    const j = h.run([
      "mcp",
      "sync",
      "--from-host",
      "claude-desktop",
      "--to-host",
      "cursor",
      "--dry-run",
      "--json",
    ]);
    expect(j.stdout).not.toContain("secret");
    expect(j.stdout).not.toContain("same-value");
    expect(JSON.parse(j.stdout).hosts[0].changes[0].fields[0].after).toEqual({
      KEY: "****** (changed)",
      SAME: "******",
    });
  });
});

describe("backup restore --host brings back the last state hatch wrote", () => {
  test("a file broken by hand after a sync gets the sync's result back; --id still undoes the sync", () => {
    const h = withClaude();
    const before = hostJson(stdio("mine"));
    h.write(CURSOR, before);
    const s = h.run(["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor", ...yes]);
    expect(s.code).toBe(0);
    const synced = h.read(CURSOR);
    const id = /snapshot (\S+)\)/.exec(s.stdout)?.[1] as string;
    h.write(CURSOR, "{ broken by hand");
    let r = h.run(["mcp", "backup", "restore", "--host", "cursor", ...yes]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("(as hatch wrote it)");
    expect(h.read(CURSOR)).toBe(synced);
    // Twice changes nothing the second time.
    r = h.run(["mcp", "backup", "restore", "--host", "cursor", ...yes]);
    expect(r.code).toBe(0);
    expect(h.read(CURSOR)).toBe(synced);
    // The state before the sync is still reachable by id.
    r = h.run(["mcp", "backup", "restore", "--id", id, ...yes]);
    expect(r.code).toBe(0);
    expect(h.read(CURSOR)).toBe(before);
    expect(h.run(["mcp", "backup", "verify"]).code).toBe(0);
    expect(h.run(["mcp", "backup", "clean", "--keep", "1"]).code).toBe(0);
    expect(h.run(["mcp", "backup", "verify"]).code).toBe(0);
  });
});

describe("sync --verify-servers tests the selected servers on every target", () => {
  const good = {
    command: `${ROOT}/node_modules/.bin/bun`,
    args: [`${ROOT}/test/fixtures/mcp-servers/stdio-good.ts`],
  };
  const crash = { command: "node", args: [`${ROOT}/test/fixtures/mcp-servers/crash.mjs`] };

  test("also when nothing changed: a broken server already in the file fails the run", () => {
    const h = new TempHome();
    h.write(CLAUDE, hostJson({ good, crash }));
    h.write(CURSOR, hostJson({ good, crash }));
    const r = h.run([
      "mcp",
      "sync",
      "--from-host",
      "claude-desktop",
      "--to-host",
      "cursor",
      "--verify-servers",
      ...yes,
    ]);
    expect(r.stdout).toContain("Everything is in sync");
    expect(r.stdout).toMatch(/✓ cursor\/good: 2 tools/);
    expect(r.stdout).toMatch(/✗ cursor\/crash/);
    expect(r.code).toBe(1);
  });
});

describe("output words say what ran", () => {
  test("--to-env says where it went, and the total counts only changed servers", () => {
    const h = withClaude();
    let r = h.run(["mcp", "sync", "--from-host", "claude-desktop", "--to-env", "captured", ...yes]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("Host-to-host");
    expect(r.stdout).toContain('Synchronization into environment "captured" completed successfully!');
    h.write(CURSOR, hostJson(stdio("weather-api")));
    r = h.run(["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor", ...yes]);
    expect(r.stdout).toContain("Host-to-host synchronization completed successfully!");
    expect(r.stdout).toContain("2 total server configurations synchronized (1 already in sync)");
  });

  test("a host whose every server is skipped is not called in sync: nothing written, and why", () => {
    const h = withClaude({ "weather-api": { command: "npx", env: { KEY: "${HATCH_TEST_UNSET_KEY}" } } });
    h.write(".codex/config.toml", '# mine\nmodel = "o3"\n');
    const r = h.run(["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor,codex", ...yes]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("✓ cursor: 1 server configured\n");
    expect(r.stdout).toContain("✓ codex: 0 servers configured (nothing written: 1 skipped)");
    expect(r.stdout).not.toContain("codex: 0 servers configured (already in sync)");
    expect(r.stdout).toMatch(/weather-api: skipped: Environment variable "HATCH_TEST_UNSET_KEY" is not set/);
    expect(h.read(".codex/config.toml")).toBe('# mine\nmodel = "o3"\n');
  });

  test.skipIf(!Bun.which("script"))("answering n exits with the code the README's table gives it", () => {
    const h = withClaude();
    const cmd = `${BIN} mcp sync --from-host claude-desktop --to-host cursor`;
    const p = Bun.spawnSync(["script", "-qec", cmd, "/dev/null"], {
      env: h.env(),
      cwd: h.home,
      stdin: Buffer.from("n\n"),
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(p.stdout.toString()).toContain("Operation cancelled");
    const code = p.exitCode;
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const row = readme.split("\n").find((l) => l.startsWith(`| ${code} |`));
    expect(row).toContain("answered no");
    expect(h.read(CURSOR)).toBe("{}\n");
  });
});

// Completion values: only names the command accepts, and snapshot ids, backup names and server
// names, asked of the binary at TAB time.
describe.skipIf(!Bun.which("bash"))("completion values", () => {
  const th = withClaude();
  let script = "";
  beforeAll(() => {
    script = th.write("completion.bash", th.run(["completions", "bash"]).stdout);
    expect(
      th.run(["host", "add", "staging-claude", "--type", "claude-desktop", "--path", th.path("s.json")]).code,
    ).toBe(0);
    expect(th.run(["host", "group", "production-hosts", "staging-claude,cursor"]).code).toBe(0);
    expect(th.run(["mcp", "backup", "create", "--host", "cursor", "--name", "nightly"]).code).toBe(0);
  });

  function complete(words: string[]): string[] {
    const quote = (w: string) => `'${w.replaceAll("'", "'\\''")}'`;
    const program = `source ${quote(script)}\nCOMP_WORDS=(${words.map(quote).join(" ")}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _hatch; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = Bun.spawnSync(["bash", "--norc", "--noprofile", "-c", program], {
      env: th.env({ PATH: `${dirname(BIN)}:/usr/bin:/bin` }),
      cwd: th.home,
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(r.stderr.toString()).toBe("");
    return r.stdout.toString().split("\n").filter(Boolean);
  }

  test("host remove: custom hosts only", () => {
    expect(complete(["hatch", "host", "remove", ""])).toEqual(["staging-claude"]);
  });
  test("host ungroup: groups only", () => {
    expect(complete(["hatch", "host", "ungroup", ""])).toEqual(["production-hosts"]);
  });
  test("--from-host: one host, no groups and no all", () => {
    const got = complete(["hatch", "mcp", "sync", "--from-host", ""]);
    expect(got).toContain("claude-desktop");
    expect(got).toContain("staging-claude");
    expect(got).not.toContain("production-hosts");
    expect(got).not.toContain("all");
  });
  test("snapshot ids and backup names", () => {
    const id = JSON.parse(th.run(["mcp", "backup", "list", "--json"]).stdout).snapshots[0].id as string;
    expect(complete(["hatch", "mcp", "backup", "show", ""])).toEqual([id]);
    expect(complete(["hatch", "mcp", "backup", "restore", "--id", id.slice(0, 6)])).toEqual([id]);
    expect(complete(["hatch", "mcp", "backup", "restore", "--name", "ni"])).toEqual(["nightly"]);
  });
  test("server names, a comma list for --servers", () => {
    expect(complete(["hatch", "mcp", "sync", "--servers", "weather-api,ne"])).toEqual([
      "weather-api,news-api",
    ]);
    expect(complete(["hatch", "mcp", "remove", "server", "dev"])).toEqual(["dev-tools"]);
    expect(complete(["hatch", "mcp", "test", "--server", "we"])).toEqual(["weather-api"]);
  });
});

describe("the README is true to the binary", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");

  test("the command reference is every visible command, with the usage its --help prints", () => {
    const block =
      /<!-- commands:start -->\n```\n([\s\S]*?)```\n<!-- commands:end -->/.exec(readme)?.[1] ?? "";
    const usages = block.split("\n").filter((l) => l.startsWith("hatch "));
    const h = new TempHome();
    const commands = h.run(["--help"]).stdout.split("Commands:\n")[1]?.split("\n\n")[0]?.split("\n") ?? [];
    expect(commands.length).toBeGreaterThan(20);
    expect(usages.length).toBe(commands.length);
    for (const u of usages) {
      const words = u.split(" ").slice(1);
      const end = words.findIndex((w) => !/^[a-z]+$/.test(w));
      const path = end < 0 ? words : words.slice(0, end);
      const help = h.run([...path, "--help"]);
      expect({ u, code: help.code }).toEqual({ u, code: 0 });
      expect(help.stdout.split("\n").find((l) => l.startsWith("Usage: "))).toBe(`Usage: ${u}`);
    }
  });

  test("the engineering work log is out of the README", () => {
    const perf = readme.slice(readme.indexOf("## Performance"));
    expect(perf).not.toContain("page fault");
    expect(perf).toContain("bench/PERFORMANCE.md");
  });
});
