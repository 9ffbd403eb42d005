// Hosts on other machines (issue 23): the compiled binary against a real sshd the test starts on
// 127.0.0.1 with throw-away keys (sshd.ts). The "other machine" is this one, so the test reads
// the remote files directly to check bytes, mode, mtime and leftovers.
//
// Skipped only where OpenSSH's server is not installed and CI is unset; under CI they run (and
// fail if sshd is missing: .ci/run installs it).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { BIN, CURSOR, hostJson, type RunResult, requireBinary, stdio, TempHome } from "./harness.ts";
import { freePort, type Sshd, sshAvailable, startSshd } from "./sshd.ts";

const RUN = sshAvailable() || !!process.env.CI;

const JSONC_WITH_COMMENTS = `{
  // servers this workstation runs
  "mcpServers": {
    "keep": { "command": "keep-mcp" } // not in the source: left alone
  },
  /* other settings */
  "theme": "dark"
}
`;

let sshd: Sshd;

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { HATCH_SSH_COMMAND: sshd.sshCommand, ...extra };
}

/** `hatch ARGS` with the test's ssh command. */
function hatch(th: TempHome, args: string[], extra: Record<string, string> = {}): RunResult {
  return th.run(args, { env: env(extra) });
}

function ok(r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r;
}

/** A fresh remote directory under the remote HOME, and its `~/` spelling. */
let n = 0;
function remoteDir(): { dir: string; tilde: string } {
  const name = `case${++n}`;
  const dir = join(sshd.home, name);
  mkdirSync(dir, { recursive: true });
  return { dir, tilde: `~/${name}` };
}

function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.includes(".hatch-"));
}

/** A local source host (cursor) holding these servers. */
function withSource(th: TempHome, names: string[]): void {
  th.write(CURSOR, hostJson(stdio(...names)));
}

describe("host add --path", () => {
  beforeAll(requireBinary);
  test.each([
    ["rel/mcp.json", "it is relative"],
    ["ssh:/x/mcp.json", "it is relative"],
    ["http://ws1/mcp.json", '"http://" is not supported'],
    ["ssh://ws1", "it names no file"],
    ["ssh://-oProxyCommand=x/mcp.json", "is not a machine name"],
    ["ssh://ws1:99999/mcp.json", "is not 1–65535"],
  ])("refuses %p (exit 2, nothing written)", (path, why) => {
    const th = new TempHome();
    const r = th.run(["host", "add", "w", "--type", "cursor", "--path", path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(why);
    expect(existsSync(th.path(".hatch", "config.yaml"))).toBe(false);
    expect(existsSync(th.path("ssh:"))).toBe(false);
  });

  test("stores ssh:// paths in one spelling, /~/ under the remote HOME", () => {
    const th = new TempHome();
    ok(th.run(["host", "add", "w", "--type", "cursor", "--path", "ssh://me@ws1:2222/~/.cursor/mcp.json"]));
    ok(th.run(["host", "add", "v", "--type", "vscode", "--path", "SSH://ws2/etc/mcp.json"]));
    const doc = JSON.parse(th.run(["host", "list", "--json"]).stdout) as {
      hosts: { name: string; path: string }[];
    };
    expect(doc.hosts.map((h) => [h.name, h.path])).toEqual([
      ["v", "ssh://ws2/etc/mcp.json"],
      ["w", "ssh://me@ws1:2222/~/.cursor/mcp.json"],
    ]);
  });
});

describe.skipIf(!RUN)("hosts on another machine over OpenSSH", () => {
  beforeAll(async () => {
    requireBinary();
    sshd = await startSshd();
  });
  afterAll(() => {
    sshd?.stop();
    if (sshd) rmSync(sshd.dir, { recursive: true, force: true });
  }, 60_000);

  test("list servers, sync keeping comments and mode, no temp file left, a second sync touches nothing, --check 3 then 0", () => {
    const th = new TempHome();
    const { dir, tilde } = remoteDir();
    const file = join(dir, "mcp.json");
    writeFileSync(file, JSONC_WITH_COMMENTS);
    chmodSync(file, 0o640);
    ok(
      hatch(th, [
        "host",
        "add",
        "ws1-cursor",
        "--type",
        "cursor",
        "--path",
        `ssh://127.0.0.1/${tilde}/mcp.json`,
      ]),
    );
    withSource(th, ["weather", "news"]);

    const list = JSON.parse(
      ok(hatch(th, ["mcp", "list", "servers", "--host", "ws1-cursor", "--json"])).stdout,
    );
    expect(JSON.stringify(list)).toContain('"keep"');

    expect(
      hatch(th, ["mcp", "sync", "--from-host", "cursor", "--to-host", "ws1-cursor", "--check"]).code,
    ).toBe(3);
    expect(readFileSync(file, "utf8")).toBe(JSONC_WITH_COMMENTS);

    const r = ok(
      hatch(th, ["mcp", "sync", "--from-host", "cursor", "--to-host", "ws1-cursor", "--auto-approve"]),
    );
    expect(r.stdout).toContain("ws1-cursor: 2 servers configured");
    const after = readFileSync(file, "utf8");
    expect(after).toContain("// servers this workstation runs");
    expect(after).toContain("// not in the source: left alone");
    expect(after).toContain("/* other settings */");
    expect(after).toContain('"weather"');
    expect(after).toContain('"news"');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(leftovers(dir)).toEqual([]);

    const before = statSync(file);
    Bun.sleepSync(1100); // mtime has one-second resolution on some file systems
    expect(
      hatch(th, ["mcp", "sync", "--from-host", "cursor", "--to-host", "ws1-cursor", "--check"]).code,
    ).toBe(0);
    ok(hatch(th, ["mcp", "sync", "--from-host", "cursor", "--to-host", "ws1-cursor", "--auto-approve"]));
    expect(readFileSync(file, "utf8")).toBe(after);
    expect(statSync(file).mtimeMs).toBe(before.mtimeMs);
    expect(leftovers(dir)).toEqual([]);

    // --json of a check names the remote host and its path.
    const j = JSON.parse(
      hatch(th, ["mcp", "sync", "--from-host", "cursor", "--to-host", "ws1-cursor", "--check", "--json"])
        .stdout,
    );
    expect(JSON.stringify(j)).toContain(`ssh://127.0.0.1/${tilde}/mcp.json`);
  }, 60_000);

  test("--dry-run reads the remote file and changes nothing there (no lock, no temp file); configure writes a remote host", () => {
    const th = new TempHome();
    const { dir, tilde } = remoteDir();
    const file = join(dir, "mcp.json");
    const old = hostJson({ orig: { command: "o" } });
    writeFileSync(file, old);
    ok(
      hatch(th, [
        "host",
        "add",
        "ws1-cursor",
        "--type",
        "cursor",
        "--path",
        `ssh://127.0.0.1/${tilde}/mcp.json`,
      ]),
    );
    withSource(th, ["weather"]);
    const d = ok(hatch(th, ["mcp", "sync", "--from-host", "cursor", "--to-host", "ws1-cursor", "--dry-run"]));
    expect(d.stdout).toContain("+ weather");
    expect(readFileSync(file, "utf8")).toBe(old);
    expect(readdirSync(dir)).toEqual(["mcp.json"]);
    ok(
      hatch(th, [
        "mcp",
        "configure",
        "fetch",
        "--host",
        "ws1-cursor",
        "--command",
        "uvx",
        "--args",
        "mcp-fetch",
        "--auto-approve",
      ]),
    );
    expect(JSON.parse(readFileSync(file, "utf8")).mcpServers.fetch).toEqual({
      command: "uvx",
      args: ["mcp-fetch"],
    });
    expect(readdirSync(dir)).toEqual(["mcp.json"]);
  }, 60_000);

  test("a remote symlink is written through: the link stays a link, its target gets the new text", () => {
    const th = new TempHome();
    const { dir, tilde } = remoteDir();
    mkdirSync(join(dir, "real"));
    writeFileSync(join(dir, "real", "mcp.json"), hostJson({}));
    symlinkSync("real/mcp.json", join(dir, "mcp.json"));
    ok(
      hatch(th, [
        "host",
        "add",
        "ws1-cursor",
        "--type",
        "cursor",
        "--path",
        `ssh://127.0.0.1/${tilde}/mcp.json`,
      ]),
    );
    withSource(th, ["weather"]);
    ok(hatch(th, ["mcp", "sync", "--from-host", "cursor", "--to-host", "ws1-cursor", "--auto-approve"]));
    expect(lstatSync(join(dir, "mcp.json")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, "real", "mcp.json"), "utf8")).toContain('"weather"');
    expect(leftovers(dir)).toEqual([]);
    expect(leftovers(join(dir, "real"))).toEqual([]);
  }, 60_000);

  test("one master connection per machine per run, every step over it", () => {
    const th = new TempHome();
    const { dir, tilde } = remoteDir();
    const log = join(dir, "..", `${dir.split("/").pop()}.log`);
    const wrapper = th.write(
      "ssh-wrapper.sh",
      `#!/bin/sh\nprintf '%s\\n' "$*" >> ${JSON.stringify(log)}\nexec "$@"\n`,
    );
    chmodSync(wrapper, 0o755);
    writeFileSync(join(dir, "a.json"), hostJson({}));
    writeFileSync(join(dir, "b.json"), hostJson({}));
    const cmd = { HATCH_SSH_COMMAND: `${wrapper} ${sshd.sshCommand}` };
    for (const f of ["a", "b"])
      ok(
        th.run(
          ["host", "add", `ws1-${f}`, "--type", "cursor", "--path", `ssh://127.0.0.1/${tilde}/${f}.json`],
          { env: cmd },
        ),
      );
    ok(th.run(["host", "group", "ws1", "ws1-a,ws1-b"]));
    withSource(th, ["weather"]);
    ok(th.run(["mcp", "sync", "--from-host", "cursor", "--to-host", "ws1", "--auto-approve"], { env: cmd }));
    const calls = readFileSync(log, "utf8").trim().split("\n");
    const masters = calls.filter((c) => c.includes("ControlMaster=yes"));
    expect(masters.length).toBe(1);
    const steps = calls.filter((c) => c.includes("sh -c") || c.includes("'sh' '-c'"));
    expect(steps.length).toBeGreaterThan(4);
    for (const s of steps) expect(s).toContain("ControlMaster=no");
    expect(calls.filter((c) => c.includes("-O exit")).length).toBe(1);
    for (const f of ["a", "b"]) expect(readFileSync(join(dir, `${f}.json`), "utf8")).toContain('"weather"');
  }, 60_000);

  test("backups are stored locally, labelled with the machine, and restore brings the remote file back (mode kept)", () => {
    const th = new TempHome();
    const { dir, tilde } = remoteDir();
    const file = join(dir, "mcp.json");
    const original = hostJson({ orig: { command: "o" } });
    writeFileSync(file, original);
    chmodSync(file, 0o600);
    const url = `ssh://127.0.0.1/${tilde}/mcp.json`;
    ok(hatch(th, ["host", "add", "ws1-cursor", "--type", "cursor", "--path", url]));
    withSource(th, ["weather"]);
    ok(hatch(th, ["mcp", "sync", "--from-host", "cursor", "--to-host", "ws1-cursor", "--auto-approve"]));
    expect(readFileSync(file, "utf8")).toContain('"weather"');

    const list = JSON.parse(ok(hatch(th, ["mcp", "backup", "list", "--json"])).stdout);
    const text = JSON.stringify(list);
    expect(text).toContain("ws1-cursor");
    const id = /"id":"([^"]+)"/.exec(text)?.[1] as string;
    const show = ok(hatch(th, ["mcp", "backup", "show", id])).stdout;
    expect(show).toContain(url); // the path names the machine
    expect(readdirSync(th.path(".hatch", "backups")).length).toBeGreaterThan(0);

    ok(hatch(th, ["mcp", "backup", "restore", "--host", "ws1-cursor", "--id", id, "--auto-approve"]));
    expect(readFileSync(file, "utf8")).toBe(original);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(leftovers(dir)).toEqual([]);
  }, 60_000);

  test("a group with an unreachable machine: that host fails (exit 1, named), the other is written", async () => {
    const th = new TempHome();
    const { dir, tilde } = remoteDir();
    writeFileSync(join(dir, "mcp.json"), hostJson({}));
    const dead = await freePort(); // nothing listens there
    ok(
      hatch(th, [
        "host",
        "add",
        "ws1-cursor",
        "--type",
        "cursor",
        "--path",
        `ssh://127.0.0.1/${tilde}/mcp.json`,
      ]),
    );
    ok(
      hatch(th, [
        "host",
        "add",
        "ws9-cursor",
        "--type",
        "cursor",
        "--path",
        `ssh://127.0.0.1:${dead}/~/mcp.json`,
      ]),
    );
    ok(hatch(th, ["host", "group", "fleet", "ws9-cursor,ws1-cursor"]));
    withSource(th, ["weather"]);

    const check = hatch(th, ["mcp", "sync", "--from-host", "cursor", "--to-host", "fleet", "--check"]);
    expect(check.code).toBe(1);
    expect(check.stdout + check.stderr).toContain(`Cannot reach "127.0.0.1:${dead}"`);

    const started = Date.now();
    const r = hatch(th, ["mcp", "sync", "--from-host", "cursor", "--to-host", "fleet", "--auto-approve"]);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/✗ ws9-cursor: Cannot reach "127\.0\.0\.1:\d+" over ssh/);
    expect(r.stdout).toContain("✓ ws1-cursor: 1 server configured");
    expect(readFileSync(join(dir, "mcp.json"), "utf8")).toContain('"weather"');

    // Backups and listings of the group: the unreachable machine fails its host (exit 1, named),
    // the other host is still backed up and listed.
    const b = hatch(th, ["mcp", "backup", "create", "--host", "fleet", "--json"]);
    expect(b.code).toBe(1);
    const snap = JSON.parse(b.stdout) as { files: { host: string }[]; unreachable: { host: string }[] };
    expect(snap.files.map((f) => f.host)).toEqual(["ws1-cursor"]);
    expect(snap.unreachable.map((u) => u.host)).toEqual(["ws9-cursor"]);
    const list = hatch(th, ["mcp", "list", "servers", "--host", "fleet"]);
    expect(list.code).toBe(1);
    expect(list.stdout).toContain("weather");
    expect(list.stderr).toContain(`Cannot reach "127.0.0.1:${dead}"`);
  }, 60_000);

  test("a connection dropped while the content is sent leaves the old file and no temp file", () => {
    const th = new TempHome();
    const { dir, tilde } = remoteDir();
    const file = join(dir, "mcp.json");
    const old = hostJson({ orig: { command: "o" } });
    writeFileSync(file, old);
    // Passes only the first 10 bytes of the write step's stdin, then EOF: what a dropped link does.
    const wrapper = th.write(
      "ssh-drop.sh",
      `#!/bin/sh\ncase "$*" in *hatch-write*) head -c 10 | "$@"; exit $? ;; esac\nexec "$@"\n`,
    );
    chmodSync(wrapper, 0o755);
    const cmd = { HATCH_SSH_COMMAND: `${wrapper} ${sshd.sshCommand}` };
    ok(
      th.run([
        "host",
        "add",
        "ws1-cursor",
        "--type",
        "cursor",
        "--path",
        `ssh://127.0.0.1/${tilde}/mcp.json`,
      ]),
    );
    withSource(th, ["weather"]);
    const r = th.run(["mcp", "sync", "--from-host", "cursor", "--to-host", "ws1-cursor", "--auto-approve"], {
      env: cmd,
    });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain("the content arrived incomplete");
    expect(readFileSync(file, "utf8")).toBe(old);
    expect(leftovers(dir)).toEqual([]);
  }, 60_000);

  test("ssh killed between the checked temp file and the rename: the file is old or new, never half, and no temp file stays", () => {
    const th = new TempHome();
    const { dir, tilde } = remoteDir();
    const file = join(dir, "mcp.json");
    const old = hostJson({ orig: { command: "o" } });
    writeFileSync(file, old);
    // The write step waits 2 s before its rename (HATCH_TEST_REMOTE_STEP_DELAY); the wrapper
    // kills its ssh after 1 s, then says the connection was lost (255).
    const wrapper = th.write(
      "ssh-kill.sh",
      `#!/bin/sh\ncase "$*" in *hatch-write*) "$@" & pid=$!; sleep 1; kill -9 $pid; exit 255 ;; esac\nexec "$@"\n`,
    );
    chmodSync(wrapper, 0o755);
    const cmd = { HATCH_SSH_COMMAND: `${wrapper} ${sshd.sshCommand}`, HATCH_TEST_REMOTE_STEP_DELAY: "2" };
    ok(
      th.run([
        "host",
        "add",
        "ws1-cursor",
        "--type",
        "cursor",
        "--path",
        `ssh://127.0.0.1/${tilde}/mcp.json`,
      ]),
    );
    withSource(th, ["weather"]);
    const r = th.run(["mcp", "sync", "--from-host", "cursor", "--to-host", "ws1-cursor", "--auto-approve"], {
      env: cmd,
    });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain('Cannot reach "127.0.0.1"');
    // The remote step may still finish its rename after the client is gone: wait for it (bounded).
    const deadline = Date.now() + 8_000;
    while (leftovers(dir).length > 0 && Date.now() < deadline) Bun.sleepSync(100);
    const now = readFileSync(file, "utf8");
    if (now !== old) {
      expect(now).toContain('"weather"');
      expect(JSON.parse(now).mcpServers.orig).toEqual({ command: "o" });
    }
    expect(leftovers(dir)).toEqual([]);
  }, 60_000);

  test("two runs writing different servers into the same remote file take turns (remote lock) and lose nothing", async () => {
    const th = new TempHome();
    const { dir, tilde } = remoteDir();
    const file = join(dir, "mcp.json");
    writeFileSync(file, hostJson({}));
    ok(
      hatch(th, [
        "host",
        "add",
        "ws1-cursor",
        "--type",
        "cursor",
        "--path",
        `ssh://127.0.0.1/${tilde}/mcp.json`,
      ]),
    );
    withSource(th, ["s1", "s2", "s3", "s4"]);
    const run = (servers: string) =>
      Bun.spawn(
        [
          BIN,
          "mcp",
          "sync",
          "--from-host",
          "cursor",
          "--to-host",
          "ws1-cursor",
          "--servers",
          servers,
          "--auto-approve",
        ],
        {
          env: th.env(env()),
          cwd: th.home,
          stdout: "pipe",
          stderr: "pipe",
        },
      );
    const ps = [run("s1"), run("s2"), run("s3"), run("s4")];
    const codes = await Promise.all(ps.map((p) => p.exited));
    // A failed run's own words, so a failure here says why.
    const errs = await Promise.all(ps.map((p) => new Response(p.stderr).text()));
    expect(codes.map((c, i) => (c === 0 ? 0 : `exit ${c}: ${errs[i]}`))).toEqual([0, 0, 0, 0]);
    const servers = Object.keys(JSON.parse(readFileSync(file, "utf8")).mcpServers).sort();
    expect(servers).toEqual(["s1", "s2", "s3", "s4"]);
    expect(leftovers(dir)).toEqual([]);
  }, 60_000);

  test("a remote lock left by a run from this machine that is gone is recovered", () => {
    const th = new TempHome();
    const { dir, tilde } = remoteDir();
    const file = join(dir, "mcp.json");
    writeFileSync(file, hostJson({}));
    const host = (require("node:os") as typeof import("node:os")).hostname();
    mkdirSync(join(dir, ".mcp.json.hatch-lock"));
    writeFileSync(
      join(dir, ".mcp.json.hatch-lock", "owner"),
      `${Math.floor(Date.now() / 1000)} ${host} 999999 - dead\n`,
    );
    ok(
      hatch(th, [
        "host",
        "add",
        "ws1-cursor",
        "--type",
        "cursor",
        "--path",
        `ssh://127.0.0.1/${tilde}/mcp.json`,
      ]),
    );
    withSource(th, ["weather"]);
    ok(
      hatch(th, ["mcp", "sync", "--from-host", "cursor", "--to-host", "ws1-cursor", "--auto-approve"], {
        HATCH_LOCK_TIMEOUT_MS: "5000",
      }),
    );
    expect(readFileSync(file, "utf8")).toContain('"weather"');
    expect(leftovers(dir)).toEqual([]);
  }, 60_000);

  test("the API: hosts.discover(), hosts.add() and sync() reach the machine as the CLI does (hatch run)", () => {
    const th = new TempHome();
    const { dir, tilde } = remoteDir();
    writeFileSync(join(dir, "mcp.json"), hostJson({}));
    withSource(th, ["weather"]);
    const script = th.write(
      "remote.ts",
      `import { host, hosts, sync } from "hatch";
const found = await hosts.discover("ssh://127.0.0.1");
console.log("os", found.os);
await hosts.add("api-ws1", { type: "cursor", path: "ssh://127.0.0.1/${tilde}/mcp.json" });
const res = await sync().from(host("cursor")).to("api-ws1").apply();
console.log("ok", res.ok, res.outcomes.map((o) => o.host + ":" + o.status).join(","));
`,
    );
    const r = ok(th.run(["run", script], { env: env() }));
    expect(r.stdout).toContain("os Linux");
    expect(r.stdout).toContain("ok true api-ws1:written");
    expect(readFileSync(join(dir, "mcp.json"), "utf8")).toContain('"weather"');
  }, 60_000);

  test("host discover asks the machine's OS and HOME and prints host add lines that work", () => {
    const th = new TempHome();
    mkdirSync(join(sshd.home, ".cursor"), { recursive: true });
    writeFileSync(join(sshd.home, ".cursor", "mcp.json"), hostJson({ there: { command: "t" } }));
    mkdirSync(join(sshd.home, ".config", "Code", "User"), { recursive: true });
    const doc = JSON.parse(ok(hatch(th, ["host", "discover", "ssh://127.0.0.1", "--json"])).stdout) as {
      os: string;
      home: string;
      hosts: { id: string; path: string; exists: boolean; add: string }[];
    };
    expect(doc.os).toBe("Linux");
    expect(doc.home).toBe(sshd.home);
    const byId = new Map(doc.hosts.map((h) => [h.id, h]));
    expect(byId.get("cursor")).toMatchObject({ path: "ssh://127.0.0.1/~/.cursor/mcp.json", exists: true });
    expect(byId.get("vscode")).toMatchObject({
      path: "ssh://127.0.0.1/~/.config/Code/User/mcp.json",
      exists: false,
    });
    expect(byId.has("claude-desktop")).toBe(false);

    const human = ok(hatch(th, ["host", "discover", "ssh://127.0.0.1"])).stdout;
    const line = human.split("\n").find((l) => l.includes("hatch host add 127.0.0.1-cursor")) as string;
    expect(line.trim()).toBe(
      "hatch host add 127.0.0.1-cursor --type cursor --path ssh://127.0.0.1/~/.cursor/mcp.json",
    );
    ok(hatch(th, line.trim().split(" ").slice(1)));
    expect(ok(hatch(th, ["mcp", "list", "servers", "--host", "127.0.0.1-cursor"])).stdout).toContain("there");

    const dead = hatch(th, ["host", "discover", "ssh://127.0.0.1:1"]);
    expect(dead.code).toBe(1);
    expect(dead.stderr).toContain('Cannot reach "127.0.0.1:1"');
  }, 60_000);
});
