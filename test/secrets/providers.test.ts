// The secret store and the providers with the users' real programs: `secret-tool` against a Secret
// Service (gnome-keyring) started in a private D-Bus session, `pass` with a throw-away GPG key, and
// `op` through a stand-in on PATH that checks its arguments (1Password's CLI is not packaged).
// A test whose program is absent is skipped only outside CI: under CI=true it must run.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configure } from "../../src/api/configure.ts";
import { secrets } from "../../src/api/secrets.ts";
import { UsageError } from "../../src/core/errors.ts";
import { secretStores } from "../../src/secrets/store.ts";
import { defaultWorkspace, type Workspace } from "../../src/store/workspace.ts";
import { RealSystem } from "../../src/system/system.ts";

const CI = !!process.env.CI;
function has(program: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${program}`]).status === 0;
}
/** Runs the test when every program is installed, or under CI (where a missing one fails it). */
function needs(...programs: string[]) {
  return programs.every(has) || CI ? test : test.skip;
}

function home(extra: Record<string, string> = {}): Workspace {
  const dir = mkdtempSync(join(tmpdir(), "hatch-secrets-"));
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: dir,
    HATCH_HOME: join(dir, ".hatch"),
    HATCH_PLATFORM: "linux",
    ...extra,
  };
  return defaultWorkspace(env, new RealSystem());
}

const CLAUDE = ".config/Claude/claude_desktop_config.json";

/** Configures one stdio server with this env on Claude Desktop (no interpolation: resolved on write). */
async function writeClaude(ws: Workspace, env: Record<string, string>) {
  return configure("s").on("claude-desktop").command("npx").env(env).withWorkspace(ws).apply();
}

function claudeEnv(ws: Workspace): Record<string, string> {
  const doc = JSON.parse(readFileSync(join(ws.env.HOME as string, CLAUDE), "utf8"));
  return doc.mcpServers.s.env;
}

describe("the file store (HATCH_SECRET_STORE=file)", () => {
  test("secrets.set/list/remove keep values in an owner-only file and never list them", async () => {
    const ws = home({ HATCH_SECRET_STORE: "file" });
    const r = await secrets.set("github/token", "ghp-file-1", { workspace: ws });
    expect(r).toMatchObject({ name: "github/token", store: "file", replaced: false });
    const file = join(ws.hatchHome, "secrets.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const list = await secrets.list({ workspace: ws });
    expect(list).toEqual([{ name: "github/token", store: "file", location: file }]);
    expect(JSON.stringify(list)).not.toContain("ghp-file-1");
    await writeClaude(ws, { GITHUB_TOKEN: "${secret:github/token}" });
    expect(claudeEnv(ws).GITHUB_TOKEN).toBe("ghp-file-1");
    expect((await secrets.remove("github/token", { workspace: ws })).removedFrom).toHaveLength(1);
    expect(secrets.remove("github/token", { workspace: ws })).rejects.toThrow(
      'Unknown secret "github/token"',
    );
  });

  test("a dry run stores nothing; bad names and empty values are refused", async () => {
    const ws = home({ HATCH_SECRET_STORE: "file" });
    await secrets.set("a", "v", { workspace: ws, dryRun: true });
    expect(await secrets.list({ workspace: ws })).toEqual([]);
    expect(secrets.set("bad name", "v", { workspace: ws })).rejects.toThrow(UsageError);
    expect(secrets.set("ok", "", { workspace: ws })).rejects.toThrow("needs a value");
  });

  test("an unknown secret is bad input naming the reference, and nothing is written", async () => {
    const ws = home({ HATCH_SECRET_STORE: "file" });
    const err = await writeClaude(ws, { T: "${secret:missing/one}" }).catch((e) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toContain('"${secret:missing/one}"');
    expect(() => statSync(join(ws.env.HOME as string, CLAUDE))).toThrow();
  });
});

describe("the Secret Service through secret-tool", () => {
  let bus: { address: string; pid: number } | undefined;
  let ws: Workspace;
  beforeAll(() => {
    if (!has("dbus-daemon") || !has("gnome-keyring-daemon") || !has("secret-tool")) return;
    const dir = mkdtempSync(join(tmpdir(), "hatch-keyring-"));
    // A private session bus, and a keyring daemon on it whose login keyring is created unlocked.
    const d = spawnSync("dbus-daemon", ["--session", "--fork", "--print-address=1", "--print-pid=1"], {
      encoding: "utf8",
    });
    const [address, pid] = d.stdout.trim().split("\n");
    bus = { address: address as string, pid: Number(pid) };
    ws = home({ DBUS_SESSION_BUS_ADDRESS: bus.address, XDG_DATA_HOME: join(dir, "share"), HOME: dir });
    const k = spawnSync("gnome-keyring-daemon", ["--unlock", "--components=secrets"], {
      input: "hatch-test",
      env: ws.env as Record<string, string>,
      encoding: "utf8",
    });
    expect(k.status).toBe(0);
  });
  afterAll(() => {
    // The keyring daemon leaves with its bus.
    if (bus) process.kill(bus.pid, "SIGTERM");
  });

  needs(
    "dbus-daemon",
    "gnome-keyring-daemon",
    "secret-tool",
  )(
    "the keychain is chosen when it works: set, read back by secret-tool, resolved on write, listed, removed",
    async () => {
      expect(secretStores(ws).primary.kind).toBe("keychain");
      const r = await secrets.set("prod/search-key", "sk-keyring-77", { workspace: ws });
      expect(r).toMatchObject({ store: "keychain", location: "Secret Service (secret-tool)" });
      // Really in the Secret Service, and not in a file.
      const look = spawnSync("secret-tool", ["lookup", "service", "hatch", "name", "prod/search-key"], {
        env: ws.env as Record<string, string>,
        encoding: "utf8",
      });
      expect(look.stdout).toBe("sk-keyring-77");
      expect(() => statSync(join(ws.hatchHome, "secrets.json"))).toThrow();
      expect(await secrets.list({ workspace: ws })).toEqual([
        { name: "prod/search-key", store: "keychain", location: "Secret Service (secret-tool)" },
      ]);
      await writeClaude(ws, { KEY: "${secret:prod/search-key}" });
      expect(claudeEnv(ws).KEY).toBe("sk-keyring-77");
      expect(statSync(join(ws.env.HOME as string, CLAUDE)).mode & 0o777).toBe(0o600);
      await secrets.remove("prod/search-key", { workspace: ws });
      expect(await secrets.list({ workspace: ws })).toEqual([]);
    },
  );

  needs("secret-tool")(
    "without a session bus the file is used, and HATCH_SECRET_STORE=keychain says why not",
    async () => {
      const w = home({ DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/bus" });
      expect(secretStores(w).primary.kind).toBe("file");
      const forced = home({
        DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/bus",
        HATCH_SECRET_STORE: "keychain",
      });
      expect(() => secretStores(forced)).toThrow("no OS keychain works here");
    },
  );
});

describe("pass", () => {
  let ws: Workspace;
  let gnupg = "";
  beforeAll(() => {
    if (!has("pass") || !has("gpg")) return;
    const dir = mkdtempSync(join(tmpdir(), "hatch-pass-"));
    gnupg = join(dir, "gnupg");
    mkdirSync(gnupg, { mode: 0o700 });
    ws = home({ GNUPGHOME: gnupg, PASSWORD_STORE_DIR: join(dir, "store"), HATCH_SECRET_STORE: "file" });
    const env = ws.env as Record<string, string>;
    const run = (cmd: string, args: string[], input = "") => {
      const r = spawnSync(cmd, args, { env, input, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
    };
    // A throw-away key, no passphrase.
    run("gpg", [
      "--batch",
      "--passphrase",
      "",
      "--quick-gen-key",
      "hatch test <hatch@test.invalid>",
      "default",
      "default",
      "never",
    ]);
    run("pass", ["init", "hatch@test.invalid"]);
    run("pass", ["insert", "-m", "team/db"], "pw-from-pass-9\nuser: admin\n");
  });
  afterAll(() => {
    if (gnupg) spawnSync("gpgconf", ["--kill", "gpg-agent"], { env: { ...process.env, GNUPGHOME: gnupg } });
  });

  needs("pass", "gpg")(
    "${pass:PATH} is the first line of `pass show PATH`, written, never shown",
    async () => {
      const res = await writeClaude(ws, { DB_PASSWORD: "${pass:team/db}" });
      expect(claudeEnv(ws).DB_PASSWORD).toBe("pw-from-pass-9");
      expect(JSON.stringify(res)).not.toContain("pw-from-pass-9");
      expect(res.plan.summary()).not.toContain("pw-from-pass-9");
    },
  );

  needs("pass", "gpg")("a missing entry is bad input naming the reference", async () => {
    const err = await writeClaude(ws, { X: "${pass:team/nope}" }).catch((e) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toContain('Cannot resolve "${pass:team/nope}"');
  });
});

describe("op (a stand-in on PATH that checks its arguments)", () => {
  const dir = mkdtempSync(join(tmpdir(), "hatch-op-"));
  const bin = join(dir, "bin");
  mkdirSync(bin);
  const log = join(dir, "calls");
  writeFileSync(
    join(bin, "op"),
    `#!/bin/sh
printf '%s\\n' "$#:$*" >> "${log}"
if [ "$#" -ne 2 ] || [ "$1" != read ]; then echo "[ERROR] unexpected arguments: $*" >&2; exit 64; fi
case "$2" in
  "op://Private/Search API/credential") printf 'op-secret-42\\n' ;;
  *) echo "[ERROR] could not read secret '$2': item not found" >&2; exit 1 ;;
esac
`,
  );
  chmodSync(join(bin, "op"), 0o755);
  const ws = home({ PATH: `${bin}:${process.env.PATH}`, HATCH_SECRET_STORE: "file" });

  test("${op:VAULT/ITEM/FIELD} runs `op read op://VAULT/ITEM/FIELD` once, with nothing else", async () => {
    await configure("s")
      .on("claude-desktop")
      .command("npx")
      .env({ A: "${op:Private/Search API/credential}", B: "x-${op:Private/Search API/credential}" })
      .withWorkspace(ws)
      .apply();
    expect(claudeEnv(ws)).toEqual({ A: "op-secret-42", B: "x-op-secret-42" });
    // Cached for the run: read once (the plan is made, then checked once more under the lock).
    expect(readFileSync(log, "utf8").trim().split("\n")[0]).toBe("2:read op://Private/Search API/credential");
  });

  test("an error of op, and op missing from PATH, are bad input naming the reference", async () => {
    const err = await writeClaude(ws, { A: "${op:Private/Nope/credential}" }).catch((e) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toContain('"${op:Private/Nope/credential}"');
    expect(err.message).toContain("item not found");
    const bare = home({ PATH: "/nonexistent", HATCH_SECRET_STORE: "file" });
    const missing = await writeClaude(bare, { A: "${op:V/I/F}" }).catch((e) => e);
    expect(missing.message).toContain("is not installed or not on PATH");
  });

  test("a reference that could pass an option or leave the store is refused before anything runs", async () => {
    for (const bad of ["${op:-x/i/f}", "${pass:../etc}", "${op:V/I}", "${secret:bad name}"]) {
      const err = await writeClaude(ws, { A: bad }).catch((e) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect(err.message).toContain("Invalid reference");
    }
  });
});
