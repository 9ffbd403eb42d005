// `hatch completions bash|zsh|fish` against the compiled binary: each script parses in its shell
// (where installed), and bash and fish really complete, calling back into the binary for names
// that were added after the script was generated.
import { beforeAll, describe, expect, test } from "bun:test";
import { dirname } from "node:path";
import { COMMANDS } from "../../src/cli/table/index.ts";
import { TOPICS } from "../../src/cli/help-topics.ts";
import { BIN, TempHome } from "./harness.ts";

const SHELLS = ["bash", "zsh", "fish"] as const;
const th = new TempHome();
const scripts: Record<string, string> = {};

beforeAll(() => {
  for (const sh of SHELLS) {
    const r = th.run(["completions", sh]);
    expect(r.code).toBe(0);
    scripts[sh] = th.write(`completion.${sh}`, r.stdout);
  }
  // Names that exist only after the scripts were generated: they must still complete.
  expect(
    th.run(["host", "add", "staging-claude", "--type", "claude-desktop", "--path", th.path("s.json")]).code,
  ).toBe(0);
  expect(th.run(["host", "group", "production-hosts", "staging-claude,cursor"]).code).toBe(0);
  expect(th.run(["env", "create", "production"]).code).toBe(0);
  expect(th.run(["env", "create", "weather-dashboard"]).code).toBe(0);
}, 60_000);

/** A bare environment: no user rc files, hatch on PATH as plain `hatch`. */
function shellEnv(): Record<string, string> {
  return th.env({ PATH: `${dirname(BIN)}:/usr/bin:/bin` });
}

describe("hatch completions", () => {
  test("an unknown shell is a usage error", () => {
    const r = th.run(["completions", "powershell"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Unknown shell "powershell"');
  });

  test("every script names every visible command word and flag of the command table", () => {
    for (const sh of SHELLS) {
      const text = th.read(`completion.${sh}`);
      for (const c of COMMANDS.filter((c) => !c.hidden)) {
        for (const w of c.path) expect(text).toContain(w);
        for (const f of Object.keys(c.options)) expect(text).toContain(`--${f}`);
      }
      expect(text).not.toMatch(/'__complete'\)/);
    }
  });

  for (const sh of SHELLS) {
    test.skipIf(!Bun.which(sh))(`the ${sh} script passes "${sh} -n"`, () => {
      const r = Bun.spawnSync([sh, "-n", scripts[sh] as string], { stderr: "pipe" });
      expect(r.stderr.toString()).toBe("");
      expect(r.exitCode).toBe(0);
    });
  }
});

// Help is rendered from the same table as the completions.
describe("hatch help", () => {
  test("with no topic lists every topic and every visible command", () => {
    const r = th.run(["help"]);
    expect(r.code).toBe(0);
    for (const t of TOPICS) expect(r.stdout).toContain(`  ${t.name}`);
    for (const c of COMMANDS.filter((c) => !c.hidden)) expect(r.stdout).toContain(`  ${c.path.join(" ")}`);
    expect(r.stdout).not.toContain("__complete");
  });

  test.each(TOPICS.map((t) => t.name))("help %s prints the topic", (name) => {
    const r = th.run(["help", name]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").length).toBeGreaterThan(10);
  });

  test("help hosts lists every registered host id", () => {
    const out = th.run(["help", "hosts"]).stdout;
    for (const c of ["claude-desktop", "cursor", "lmstudio", "lm-studio", "gemini-cli"])
      expect(out).toContain(c);
  });

  test("help COMMAND WORDS is the command's --help; help GROUP lists the group", () => {
    expect(th.run(["help", "mcp", "sync"]).stdout).toBe(th.run(["mcp", "sync", "--help"]).stdout);
    const group = th.run(["help", "mcp", "backup"]);
    expect(group.code).toBe(0);
    expect(group.stdout).toContain("mcp backup restore");
  });

  test("an unknown topic is a usage error with a suggestion", () => {
    const r = th.run(["help", "patern"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean "hatch help patterns"?');
  });

  test("every visible command has a summary and at least one example that runs hatch", () => {
    for (const c of COMMANDS.filter((c) => !c.hidden)) {
      expect(c.summary.length).toBeGreaterThan(0);
      expect(c.examples.length).toBeGreaterThan(0);
      for (const e of c.examples) expect(e).toMatch(/hatch /);
    }
  });
});

describe("hatch __complete", () => {
  test("hosts: built-in ids and aliases, custom hosts, groups and all", () => {
    const names = th.run(["__complete", "hosts"]).stdout.trim().split("\n");
    for (const n of [
      "claude-desktop",
      "cursor",
      "lm-studio",
      "gemini-cli",
      "staging-claude",
      "production-hosts",
      "all",
    ])
      expect(names).toContain(n);
  });

  test("envs: environment names", () => {
    expect(th.run(["__complete", "envs"]).stdout).toBe("production\nweather-dashboard\n");
  });

  test("is left out of help", () => {
    expect(th.run(["--help"]).stdout).not.toContain("__complete");
  });
});

// Real bash, no bash-completion package, no rc files: source the script, set COMP_WORDS and
// COMP_CWORD as bash does, call the function and print COMPREPLY. All lines run in one bash.
const BASH_CASES: [string[], string[] | ((got: string[]) => void)][] = [
  [["hatch", "mcp", "sync", "--to-host", "cur"], ["cursor"]],
  [["hatch", "mcp", "sync", "--to-host", "stag"], ["staging-claude"]],
  [["hatch", "mcp", "sync", "--to-host", "cursor,production-"], ["cursor,production-hosts"]],
  [
    ["hatch", "mcp", "sync", "--to-host", "="],
    (got) =>
      expect(got).toEqual(
        expect.arrayContaining(["cursor", "lm-studio", "staging-claude", "production-hosts", "all"]),
      ),
  ],
  [["hatch", "mcp", "sync", "--to-host", "=", "lm-"], ["lm-studio"]],
  [
    ["hatch", "mcp", "sync", "--from-host", "claude-desktop", "--to-host", "a"],
    (got) => {
      expect(got).toContain("all");
      expect(got.every((g) => g.startsWith("a"))).toBe(true);
    },
  ],
  [
    ["hatch", "mcp", "sync", "--from-env", ""],
    ["production", "weather-dashboard"],
  ],
  [["hatch", "mcp", "list", "servers", "--env", "w"], ["weather-dashboard"]],
  [["hatch", "env", "use", "pro"], ["production"]],
  [["hatch", "host", "ungroup", "production-h"], ["production-hosts"]],
  [["hatch", "mcp", "sync", "--dry"], ["--dry-run"]],
  [["hatch", "mcp", "sync", "--pattern", ""], []],
  [["hatch", "mcp", "sy"], ["sync"]],
  [["hatch", "mcp", "backup", "re"], ["restore"]],
  [["hatch", "e"], ["env"]],
  [["hatch", "--vers"], ["--version"]],
  [
    ["hatch", "completions", ""],
    ["bash", "zsh", "fish"],
  ],
  [["hatch", "help", "pat"], ["patterns"]],
  [["hatch", "help", "mcp", "sy"], ["sync"]],
  [
    ["hatch", "mcp", "configure", "x", "--transport", ""],
    ["http", "sse"],
  ],
  [["hatch", "host", "add", "x", "--type", "claude-d"], ["claude-desktop"]],
  [["hatch", "mcp", "configure", "x", "--env-file", "proj/con"], ["proj/config.env"]],
  [["hatch", "mcp", "configure", "x", "--cwd", "pro"], ["proj"]],
];

describe.skipIf(!Bun.which("bash"))("bash completion", () => {
  const results: string[][] = [];
  beforeAll(() => {
    th.write("proj/config.env", "A=1\n");
    const quote = (w: string) => `'${w.replaceAll("'", "'\\''")}'`;
    const program = [
      `source ${quote(scripts.bash as string)}`,
      '[ "$(complete -p hatch)" = "complete -F _hatch hatch" ] || { echo "not registered" >&2; exit 9; }',
      ...BASH_CASES.map(
        ([line]) =>
          `COMP_WORDS=(${line.map(quote).join(" ")}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _hatch; printf '%s\\n' "\${COMPREPLY[@]}"; echo "<<end>>"`,
      ),
    ].join("\n");
    const file = th.write("bash-complete.sh", program);
    const r = Bun.spawnSync(["bash", "--norc", "--noprofile", file], {
      env: shellEnv(),
      cwd: th.home,
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(r.stderr.toString()).toBe("");
    expect(r.exitCode).toBe(0);
    for (const chunk of r.stdout.toString().split("<<end>>\n").slice(0, -1))
      results.push(chunk.split("\n").filter(Boolean));
    expect(results.length).toBe(BASH_CASES.length);
  }, 60_000);

  test.each(BASH_CASES.map(([line, want], i) => [line.join(" "), want, i] as const))(
    "%s<TAB> completes",
    (_, want, i) => {
      const got = results[i] as string[];
      if (typeof want === "function") want(got);
      else expect(got).toEqual(want);
    },
  );
});

// fish's own completion engine: `complete -C` completes a command line as a key press would.
describe.skipIf(!Bun.which("fish"))("fish completion", () => {
  function complete(line: string): string[] {
    const r = Bun.spawnSync(
      ["fish", "--no-config", "-c", `source '${scripts.fish}'; complete -C ${JSON.stringify(line)}`],
      { env: shellEnv(), cwd: th.home, stdout: "pipe", stderr: "pipe" },
    );
    expect(r.stderr.toString()).toBe("");
    return r.stdout
      .toString()
      .split("\n")
      .filter(Boolean)
      .map((l) => l.split("\t")[0] as string);
  }

  test.each([
    ["hatch mcp sync --to-host cur", ["cursor"]],
    ["hatch mcp sync --to-host stag", ["staging-claude"]],
    ["hatch mcp sync --to-host cursor,production-", ["cursor,production-hosts"]],
    ["hatch mcp sync --to-host=lm-", ["--to-host=lm-studio"]],
    ["hatch mcp sync --from-env ", ["production", "weather-dashboard"]],
    ["hatch mcp sync --dry", ["--dry-run"]],
    ["hatch mcp sy", ["sync"]],
    ["hatch completions ", ["bash", "fish", "zsh"]],
  ])("%j completes", (line, want) => {
    expect(complete(line).sort()).toEqual([...want].sort());
  });
});

// zsh's completion widgets only run inside the line editor; here the script's own logic (which
// words are the command, which flag's value is being typed) is checked in real zsh.
describe.skipIf(!Bun.which("zsh"))("zsh completion", () => {
  test("finds the command and the flag whose value is being completed", () => {
    const file = th.write(
      "zsh-walk.zsh",
      // compinit is slow to start; a stand-in compdef records what the script registers.
      `typeset -A _comps; compdef() { _comps[$2]=$1; }
source '${scripts.zsh}'
[ "\${_comps[hatch]}" = _hatch ] || { echo "not registered" >&2; exit 9; }
words=(hatch mcp sync --from-env production --to-host cur); CURRENT=7
_hatch_walk 2 "$CURRENT" "\${words[@]}"
echo "$_hatch_cmd|$_hatch_vflag|$(_hatch_kind "$_hatch_cmd|$_hatch_vflag")"
words=(hatch env use x ''); CURRENT=5
_hatch_walk 2 "$CURRENT" "\${words[@]}"
echo "$_hatch_cmd|$_hatch_npos"
`,
    );
    const r = Bun.spawnSync(["zsh", "-f", file], { env: shellEnv(), stdout: "pipe", stderr: "pipe" });
    expect(r.stderr.toString()).toBe("");
    expect(r.stdout.toString()).toBe("mcp sync|--to-host|hosts\nenv use|1\n");
  });
});
