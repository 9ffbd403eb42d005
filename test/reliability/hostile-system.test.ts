// Hostile surroundings, through the compiled binary (issue 26): another user on the machine who
// swaps a host file for a symlink, the umask, a FIFO or /dev/zero at a host path, bytes that are not
// UTF-8, YAML 1.1 readers, a lock whose pid went to another program, control characters in names,
// names every JavaScript object has, and a HATCH_HOME the user cannot write.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { BIN, record, requireBinary, TempHome } from "./helpers.ts";

/** useradd/userdel live in /usr/sbin, which a PATH of a non-login shell may lack. */
function sbin(cmd: string): string {
  return existsSync(`/usr/sbin/${cmd}`) ? `/usr/sbin/${cmd}` : cmd;
}

const CLAUDE = ".config/Claude/claude_desktop_config.json";
const CURSOR = ".cursor/mcp.json";
const GOOSE = ".config/goose/config.yaml";
const isRoot = process.geteuid?.() === 0;
const hasPyYaml = spawnSync("python3", ["-c", "import yaml"]).status === 0;

beforeAll(() => requireBinary());

let checks = 0;
let failures = 0;
function count(ok: boolean): boolean {
  checks++;
  if (!ok) failures++;
  return ok;
}
afterAll(async () => {
  await record({
    scenario: "hostile surroundings (issue 26) through the CLI",
    runs: checks,
    failures,
    lost: 0,
  });
});

function claude(servers: Record<string, unknown>): string {
  return `${JSON.stringify({ mcpServers: servers }, null, 2)}\n`;
}

/** A second user, created for this file (useradd) and removed at the end. Root only. */
const user = { name: `hx${process.pid % 100000}e`, uid: -1, gid: -1 };
beforeAll(() => {
  if (!isRoot) return;
  spawnSync(sbin("useradd"), ["-M", "-N", "-s", "/usr/sbin/nologin", user.name], { stdio: "ignore" });
  const id = (f: string) => Number(execFileSync("id", [f, user.name]).toString().trim());
  user.uid = id("-u");
  user.gid = id("-g");
});
afterAll(() => {
  if (isRoot) spawnSync(sbin("userdel"), [user.name], { stdio: "ignore" });
});

/** Runs a command as the second user. */
function asUser(
  cmd: string[],
  env: Record<string, string>,
): { code: number; stdout: string; stderr: string } {
  const p = Bun.spawnSync(
    ["setpriv", `--reuid=${user.uid}`, `--regid=${user.gid}`, "--clear-groups", ...cmd],
    { env, stdout: "pipe", stderr: "pipe", stdin: "ignore" },
  );
  return { code: p.exitCode ?? -1, stdout: p.stdout.toString(), stderr: p.stderr.toString() };
}

/** A directory both users can reach (the temp homes are 0700). */
function sharedRoot(): string {
  const d = mkdtempSync(join(tmpdir(), "hatch-hostile-"));
  chmodSync(d, 0o755);
  return d;
}

describe("another user cannot redirect a write", () => {
  test.skipIf(!isRoot)(
    "the other user swaps a custom host's file (world-writable directory) for a link to root's file: sync and restore refuse, the file is untouched",
    () => {
      const h = new TempHome();
      h.write(CLAUDE, claude({ weather: { command: "npx", args: ["-y", "weather"] } }));
      const root = sharedRoot();
      const shared = join(root, "staging");
      mkdirSync(shared);
      chmodSync(shared, 0o777);
      const hostFile = join(shared, "mcp.json");
      writeFileSync(hostFile, claude({}));
      chmodSync(hostFile, 0o666);
      chownSync(hostFile, user.uid, user.gid);
      const secret = join(mkdtempSync(join(tmpdir(), "hatch-secret-")), "shadow");
      // Root's own file, one hatch could even parse (a host file of root's).
      const rootText = claude({ "root-only": { command: "x" } });
      writeFileSync(secret, rootText, { mode: 0o600 });
      expect(h.run(["host", "add", "staging", "--type", "cursor", "--path", hostFile]).code).toBe(0);
      // A backup of the other user's file, taken while it was a file (mode 0666 recorded).
      expect(h.run(["mcp", "backup", "create", "--host", "staging"]).code).toBe(0);
      // The other user, as that user, swaps it for a link to root's file.
      const swap = asUser(["sh", "-c", `rm -f '${hostFile}' && ln -s '${secret}' '${hostFile}'`], {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
      });
      expect(swap.code).toBe(0);
      expect(lstatSync(hostFile).uid).toBe(user.uid);
      // Restore first: a sync's own backup would record what the link points to as the newest state.
      const restore = h.run(["mcp", "backup", "restore", "--host", "staging", "--auto-approve"]);
      const sync = h.run([
        "mcp",
        "sync",
        "--from-host",
        "claude-desktop",
        "--to-host",
        "staging",
        "--auto-approve",
      ]);
      const configure = h.run([
        "mcp",
        "configure",
        "x",
        "--host",
        "staging",
        "--command",
        "y",
        "--auto-approve",
      ]);
      const untouched =
        readFileSync(secret, "utf8") === rootText && (statSync(secret).mode & 0o777) === 0o600;
      expect(count(untouched)).toBe(true);
      for (const r of [sync, restore, configure]) {
        expect(count(r.code !== 0)).toBe(true);
        expect(r.stderr + r.stdout).toMatch(/another user could redirect the write/);
      }
      expect(lstatSync(hostFile).isSymbolicLink()).toBe(true);
    },
  );

  test.skipIf(!isRoot)("the other user running hatch on their own files (all theirs) syncs as usual", () => {
    const root = sharedRoot();
    const home = join(root, "home");
    mkdirSync(join(home, ".config", "Claude"), { recursive: true });
    writeFileSync(join(home, CLAUDE), claude({ weather: { command: "npx" } }));
    execFileSync("chown", ["-R", `${user.uid}:${user.gid}`, home]);
    const env = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: home,
      HATCH_HOME: join(home, ".hatch"),
      HATCH_PLATFORM: "linux",
      NO_COLOR: "1",
    };
    const r = asUser(
      [BIN, "mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor", "--auto-approve"],
      env,
    );
    expect(count(r.code === 0)).toBe(true);
    expect(JSON.parse(readFileSync(join(home, CURSOR), "utf8")).mcpServers.weather.command).toBe("npx");
    expect(statSync(join(home, CURSOR)).uid).toBe(user.uid);
  });

  test.skipIf(!isRoot)("a HATCH_HOME the user cannot write: the error says so (not a cleanup error)", () => {
    const root = sharedRoot();
    const home = join(root, "home");
    mkdirSync(join(home, ".config", "Claude"), { recursive: true });
    writeFileSync(join(home, CLAUDE), claude({ weather: { command: "npx" } }));
    execFileSync("chown", ["-R", `${user.uid}:${user.gid}`, home]);
    const hatchHome = join(root, "hatch-home"); // root's, 0755: not writable by the user
    mkdirSync(hatchHome, { mode: 0o755 });
    const env = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: home,
      HATCH_HOME: hatchHome,
      HATCH_PLATFORM: "linux",
      NO_COLOR: "1",
    };
    const r = asUser(
      [
        BIN,
        "mcp",
        "sync",
        "--from-host",
        "claude-desktop",
        "--to-host",
        "cursor",
        "--auto-approve",
        "--no-backup",
      ],
      env,
    );
    expect(count(r.code === 1)).toBe(true);
    expect(r.stderr).toMatch(/permission denied/);
    expect(r.stderr).not.toMatch(/ENOENT|EACCES|unlink|rmSync/);
    expect(readdirSync(hatchHome)).toEqual([]);
  });
});

describe("modes of new host files", () => {
  for (const [mask, want] of [
    [0o022, 0o644],
    [0o077, 0o600],
  ] as const) {
    test(`a new host file under umask ${mask.toString(8).padStart(3, "0")} is ${want.toString(8)}`, () => {
      const h = new TempHome();
      h.write(CLAUDE, claude({ weather: { command: "npx" } }));
      const old = process.umask(mask);
      let code: number;
      try {
        code = h.run([
          "mcp",
          "sync",
          "--from-host",
          "claude-desktop",
          "--to-host",
          "cursor",
          "--auto-approve",
        ]).code;
      } finally {
        process.umask(old);
      }
      expect(code).toBe(0);
      expect(count((statSync(h.path(CURSOR)).mode & 0o777) === want)).toBe(true);
    });
  }
});

describe("host paths that are not files", () => {
  test("a FIFO at a host path: list, sync and backup create end at once with exit 2, no lock left held", () => {
    const h = new TempHome();
    h.write(CLAUDE, claude({ weather: { command: "npx" } }));
    mkdirSync(h.path(".cursor"), { recursive: true });
    execFileSync("mkfifo", [h.path(CURSOR)]);
    const start = Date.now();
    for (const args of [
      ["mcp", "list", "servers", "--host", "cursor"],
      ["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor", "--auto-approve"],
      ["mcp", "backup", "create", "--host", "cursor"],
      ["mcp", "list", "hosts"],
    ]) {
      const r = h.run(args);
      expect(count(r.code === 2)).toBe(true);
      expect(r.stderr).toMatch(/named pipe \(FIFO\), not a regular file/);
    }
    expect(Date.now() - start).toBeLessThan(20_000);
    expect(lstatSync(h.path(CURSOR)).isFIFO()).toBe(true);
  });

  test("a link to /dev/zero at a host path (also in a project folder) is refused before it is read: exit 2", () => {
    const h = new TempHome();
    h.write(CLAUDE, claude({ weather: { command: "npx" } }));
    mkdirSync(h.path(".cursor"), { recursive: true });
    symlinkSync("/dev/zero", h.path(CURSOR));
    const project = h.path("repo");
    mkdirSync(join(project, ".vscode"), { recursive: true });
    symlinkSync("/dev/zero", join(project, ".vscode", "mcp.json"));
    for (const r of [
      h.run(["mcp", "list", "servers", "--host", "cursor"]),
      h.run(["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor", "--auto-approve"]),
    ]) {
      expect(count(r.code === 2)).toBe(true);
      expect(r.stderr).toMatch(/character device, not a regular file/);
    }
  });
});

describe("bytes that are not UTF-8", () => {
  test("a sync into a file that is not UTF-8 is refused naming the byte offset; backup and restore are byte for byte", () => {
    const h = new TempHome();
    h.write(CLAUDE, claude({ weather: { command: "npx" } }));
    mkdirSync(h.path(".cursor"), { recursive: true });
    const head = '{\n  "mcpServers": {\n    "old": {"command": "caf';
    const bytes = Buffer.concat([Buffer.from(head), Buffer.from([0xe9, 0xff]), Buffer.from('"}\n  }\n}\n')]);
    writeFileSync(h.path(CURSOR), bytes);
    const sync = h.run([
      "mcp",
      "sync",
      "--from-host",
      "claude-desktop",
      "--to-host",
      "cursor",
      "--auto-approve",
    ]);
    expect(count(sync.code === 2)).toBe(true);
    expect(sync.stderr).toContain(`not valid UTF-8 (byte offset ${head.length})`);
    expect(readFileSync(h.path(CURSOR)).equals(bytes)).toBe(true);
    // Backed up as bytes: the stored object is the file, byte for byte, and verify passes.
    const created = h.run(["mcp", "backup", "create", "--host", "cursor"]);
    expect(created.code).toBe(0);
    const hash = createHash("sha256").update(bytes).digest("hex");
    const obj = h.path(".hatch", "backups", "objects", hash);
    expect(count(readFileSync(obj).equals(bytes))).toBe(true);
    expect(h.run(["mcp", "backup", "verify"]).code).toBe(0);
    // Restored over a UTF-8 file: byte for byte, never with replaced bytes.
    writeFileSync(h.path(CURSOR), claude({}));
    const restore = h.run(["mcp", "backup", "restore", "--host", "cursor", "--auto-approve"]);
    expect(restore.code).toBe(0);
    const after = readFileSync(h.path(CURSOR));
    expect(count(after.equals(bytes))).toBe(true);
  });
});

describe("YAML 1.1 readers", () => {
  test.skipIf(!hasPyYaml)(
    "values with DEL, U+2028, U+2029, NEL, C1 and a tab, synced into Goose's file and an environment, load in PyYAML (pure and libyaml) as the same strings",
    () => {
      const h = new TempHome();
      const args = ["a\x7fb", "c\u2028d", "e\u2029f", "g\x85h", "i\x9bj", "k\tl", "m\x1bn"];
      h.write(CLAUDE, claude({ weather: { command: "npx", args } }));
      h.write(GOOSE, "GOOSE_PROVIDER: openai\n");
      expect(
        h.run(["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "goose", "--auto-approve"]).code,
      ).toBe(0);
      expect(
        h.run(["env", "create", "esc", "--description", "d\x7fe\u2028f", "--from-host", "claude-desktop"])
          .code,
      ).toBe(0);
      const load = (file: string, loader: string) =>
        spawnSync(
          "python3",
          [
            "-c",
            `import sys, json, yaml\nprint(json.dumps(yaml.load(open(sys.argv[1], encoding="utf-8"), Loader=yaml.${loader})))`,
            file,
          ],
          { encoding: "utf8" },
        );
      const loaders = [
        "SafeLoader",
        ...(spawnSync("python3", ["-c", "import yaml; yaml.CSafeLoader"]).status === 0
          ? ["CSafeLoader"]
          : []),
      ];
      for (const loader of loaders) {
        const goose = load(h.path(GOOSE), loader);
        expect(goose.stderr).toBe("");
        expect(
          count(JSON.stringify(JSON.parse(goose.stdout).extensions.weather.args) === JSON.stringify(args)),
        ).toBe(true);
        const env = load(h.path(".hatch", "envs", "esc.yaml"), loader);
        expect(env.stderr).toBe("");
        const doc = JSON.parse(env.stdout);
        expect(count(doc.description === "d\x7fe\u2028f")).toBe(true);
        expect(JSON.stringify(doc.servers.weather.args)).toBe(JSON.stringify(args));
      }
    },
  );
});

describe("a lock whose pid went to another program", () => {
  test("is taken over at once: the sync does not wait for the timeout", async () => {
    const h = new TempHome();
    h.write(CLAUDE, claude({ weather: { command: "npx" } }));
    const other = Bun.spawn(["sleep", "60"]);
    try {
      await Bun.sleep(50);
      const target = resolve(h.path(CURSOR));
      const lockDir = h.path(".hatch", "locks");
      mkdirSync(lockDir, { recursive: true });
      const name = `${createHash("sha256").update(target).digest("hex").slice(0, 24)}.lock`;
      // As the killed hatch left it, an hour ago; its pid now belongs to `sleep`.
      writeFileSync(
        join(lockDir, name),
        JSON.stringify({
          pid: other.pid,
          path: target,
          since: new Date(Date.now() - 3_600_000).toISOString(),
        }),
      );
      const start = Date.now();
      const r = h.run(
        ["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor", "--auto-approve"],
        {
          env: { HATCH_LOCK_TIMEOUT_MS: "20000" },
        },
      );
      expect(count(r.code === 0)).toBe(true);
      expect(r.stderr).not.toMatch(/Waiting for another hatch process/);
      expect(Date.now() - start).toBeLessThan(10_000);
    } finally {
      other.kill();
    }
  });
});

describe("names", () => {
  test("control characters in a server name from a host file reach the terminal escaped", () => {
    const h = new TempHome();
    h.write(
      CLAUDE,
      claude({ "evil\x1b]0;pwned\x07": { command: "x" }, ok: { command: "y", args: ["a\x1b[2Jb"] } }),
    );
    for (const args of [
      ["mcp", "list", "servers", "--host", "claude-desktop"],
      ["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor", "--dry-run"],
      ["mcp", "list", "hosts"],
    ]) {
      const r = h.run(args);
      expect(count(!/[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(r.stdout + r.stderr))).toBe(true);
    }
  });

  test("host add __proto__/constructor/prototype, env create .hidden and a 300-character name: exit 2 with a clear message", () => {
    const h = new TempHome();
    for (const name of ["__proto__", "constructor", "prototype"]) {
      const r = h.run(["host", "add", name, "--type", "cursor", "--path", h.path("x.json")]);
      expect(count(r.code === 2)).toBe(true);
      expect(r.stderr).toMatch(/reserved/);
    }
    const hidden = h.run(["env", "create", ".hidden"]);
    expect(count(hidden.code === 2)).toBe(true);
    const long = h.run(["env", "create", "e".repeat(300)]);
    expect(count(long.code === 2)).toBe(true);
    expect(long.stderr).toMatch(/300 characters long, the most is 128/);
    expect(long.stderr).not.toMatch(/ENAMETOOLONG/);
    expect(h.run(["host", "list"]).code).toBe(0);
  });
});
