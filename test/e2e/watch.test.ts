// `hatch watch` end to end: the compiled binary, spawned on a temp HOME, watching real files.
// Every wait is bounded; every process is killed in `finally`.
import { afterEach, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import type { Subprocess } from "bun";
import { parse as parseJsonc } from "jsonc-parser";
import { BIN, CURSOR, envYaml, hostJson, requireBinary, stdio, TempHome, VSCODE } from "./harness.ts";

beforeAll(requireBinary);
// Each wait below is bounded on its own (a few seconds); this bounds a test on a loaded machine.
setDefaultTimeout(30_000);

type Event = Record<string, unknown> & { event: string };

/** A running `hatch watch --json`: its events as they arrive. */
class Watch {
  readonly proc: Subprocess<"ignore", "pipe", "pipe">;
  readonly events: Event[] = [];
  stderr = "";
  #buf = "";

  constructor(h: TempHome, args: string[], env: Record<string, string> = {}) {
    this.proc = Bun.spawn([BIN, "watch", ...args, "--json"], {
      env: h.env(env),
      cwd: h.home,
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    void this.#read();
    void new Response(this.proc.stderr).text().then((t) => {
      this.stderr = t;
    });
  }

  async #read(): Promise<void> {
    const dec = new TextDecoder();
    for await (const chunk of this.proc.stdout) {
      this.#buf += dec.decode(chunk, { stream: true });
      let i = this.#buf.indexOf("\n");
      while (i >= 0) {
        const line = this.#buf.slice(0, i);
        this.#buf = this.#buf.slice(i + 1);
        if (line.trim()) this.events.push(JSON.parse(line) as Event);
        i = this.#buf.indexOf("\n");
      }
    }
  }

  /** The first event after index `from` that matches, waiting at most `ms`. */
  async next(match: (e: Event) => boolean, from = 0, ms = 8000): Promise<Event> {
    const deadline = Date.now() + ms;
    for (;;) {
      const e = this.events.slice(from).find(match);
      if (e) return e;
      if (Date.now() > deadline || this.proc.exitCode !== null)
        throw new Error(
          `no matching event within ${ms} ms; events: ${JSON.stringify(this.events)}; stderr: ${this.stderr}`,
        );
      await Bun.sleep(50);
    }
  }

  /** Waits for the initial apply to end and the watchers to be armed. */
  ready(): Promise<Event> {
    return this.next((e) => e.event === "watching");
  }

  /** SIGTERM, and the exit code (bounded). */
  async stop(): Promise<number> {
    this.proc.kill("SIGTERM");
    const code = await Promise.race([this.proc.exited, Bun.sleep(5000).then(() => -1)]);
    return code;
  }
}

const running: Watch[] = [];
afterEach(() => {
  for (const w of running.splice(0)) if (w.proc.exitCode === null) w.proc.kill("SIGKILL");
});

function start(h: TempHome, args: string[], env: Record<string, string> = {}): Watch {
  const w = new Watch(h, args, env);
  running.push(w);
  return w;
}

function seed(): TempHome {
  const h = new TempHome();
  h.write(".hatch/envs/production.yaml", envYaml("prod", stdio("weather", "news")));
  h.write(CURSOR, hostJson(stdio("mine")));
  h.write(VSCODE, '{\n  // keep me\n  "servers": {}\n}\n');
  return h;
}

function servers(h: TempHome, rel: string, key = "mcpServers"): string[] {
  return Object.keys((parseJsonc(h.read(rel)) as Record<string, Record<string, unknown>>)[key] ?? {}).sort();
}

/** The content a snapshot stored for a file, read from the backup store as it lies on disk. */
function backedUp(h: TempHome, id: string, path: string): string | undefined {
  const manifest = JSON.parse(h.read(`.hatch/backups/snapshots/${id}.json`)) as {
    files: { path: string; sha256?: string; existed: boolean }[];
  };
  const f = manifest.files.find((x) => x.path === path);
  if (!f?.sha256) return undefined;
  return readFileSync(h.path(".hatch/backups/objects", f.sha256), "utf8");
}

describe("hatch watch", () => {
  test("applies once, then heals a wiped file within seconds, with a backup of what it found", async () => {
    const h = seed();
    const w = start(h, ["--from-env", "production", "--to-host", "cursor,vscode", "--interval", "1s"]);
    await w.ready();
    const first = w.events.filter((e) => e.event === "heal").map((e) => e.host);
    expect(first.sort()).toEqual(["cursor", "vscode"]);
    expect(servers(h, CURSOR)).toEqual(["mine", "news", "weather"]);
    expect(h.read(VSCODE)).toContain("// keep me");

    const at = w.events.length;
    const wipedAt = Date.now();
    h.write(CURSOR, "{}\n");
    const heal = await w.next((e) => e.event === "heal" && e.host === "cursor", at, 5000);
    expect(Date.now() - wipedAt).toBeLessThan(5000);
    expect(heal.trigger).toBe("target");
    expect(
      (heal.changes as { name: string; action: string }[]).map((c) => `${c.action} ${c.name}`).sort(),
    ).toEqual(["add news", "add weather"]);
    expect(servers(h, CURSOR)).toEqual(["news", "weather"]);
    expect(typeof heal.backupId).toBe("string");
    expect(backedUp(h, heal.backupId as string, h.path(CURSOR))).toBe("{}\n");
    // vscode was not touched by the cursor heal.
    expect(w.events.slice(at).filter((e) => e.event === "heal" && e.host === "vscode")).toEqual([]);
    expect(await w.stop()).toBe(0);
  });

  test("keeps a server added by hand (additive) while restoring one removed", async () => {
    const h = seed();
    const w = start(h, ["--from-env", "production", "--to-host", "cursor", "--interval", "1s"]);
    await w.ready();
    const at = w.events.length;
    const doc = JSON.parse(h.read(CURSOR)) as { mcpServers: Record<string, unknown> };
    delete doc.mcpServers.weather;
    doc.mcpServers["by-hand"] = { command: "node", args: ["hand.js"] };
    h.write(CURSOR, `${JSON.stringify(doc, null, 2)}\n`);
    const heal = await w.next((e) => e.event === "heal", at, 5000);
    expect(heal.changes).toEqual([{ name: "weather", action: "add" }]);
    expect(servers(h, CURSOR)).toEqual(["by-hand", "mine", "news", "weather"]);
    expect(await w.stop()).toBe(0);
  });

  test("propagates a change of the environment without a restart", async () => {
    const h = seed();
    const w = start(h, ["--from-env", "production", "--to-host", "cursor,vscode", "--interval", "1s"]);
    await w.ready();
    const at = w.events.length;
    h.write(".hatch/envs/production.yaml", envYaml("prod", stdio("weather", "news", "db")));
    const c = await w.next((e) => e.event === "heal" && e.host === "cursor", at, 5000);
    const v = await w.next((e) => e.event === "heal" && e.host === "vscode", at, 5000);
    expect(c.trigger).toBe("source");
    expect(c.changes).toEqual([{ name: "db", action: "add" }]);
    expect(v.changes).toEqual([{ name: "db", action: "add" }]);
    expect(servers(h, CURSOR)).toEqual(["db", "mine", "news", "weather"]);
    expect(servers(h, VSCODE, "servers")).toEqual(["db", "news", "weather"]);
    expect(await w.stop()).toBe(0);
  });

  test("reports an unparsable host file, leaves it alone, heals the others, and retries when it changes", async () => {
    const h = seed();
    const broken = '{\n  "mcpServers": {\n';
    h.write(CURSOR, broken);
    const w = start(h, ["--from-env", "production", "--to-host", "cursor,vscode", "--interval", "1s"]);
    await w.ready();
    const err = await w.next((e) => e.event === "error" && e.host === "cursor", 0, 1000);
    expect(err.message).toContain("Cannot read host");
    expect(err.retry).toBe("on-change");
    expect(h.read(CURSOR)).toBe(broken);
    expect(servers(h, VSCODE, "servers")).toEqual(["news", "weather"]);
    // Said once, not at every check.
    await Bun.sleep(2500);
    expect(w.events.filter((e) => e.event === "error").length).toBe(1);
    const at = w.events.length;
    h.write(CURSOR, hostJson(stdio("mine")));
    await w.next((e) => e.event === "recovered" && e.host === "cursor", at, 5000);
    await w.next((e) => e.event === "heal" && e.host === "cursor", at, 5000);
    expect(servers(h, CURSOR)).toEqual(["mine", "news", "weather"]);
    expect(await w.stop()).toBe(0);
  });

  test("--mirror removes a server the source lacks; --strict writes nothing while a conversion loses", async () => {
    const h = seed();
    h.write(CURSOR, hostJson(stdio("mine", "weather")));
    const w = start(h, ["--from-env", "production", "--to-host", "cursor", "--mirror", "--interval", "1s"]);
    await w.ready();
    expect(servers(h, CURSOR)).toEqual(["news", "weather"]);
    expect(await w.stop()).toBe(0);

    // Claude Desktop's file cannot hold a remote server: strict reports and writes nothing.
    const s = seed();
    s.write(
      ".hatch/envs/production.yaml",
      "description: p\nservers:\n  web:\n    url: https://example.com/mcp\n",
    );
    const claude = s.write(".config/Claude/claude_desktop_config.json", '{ "mcpServers": {} }\n');
    const before = readFileSync(claude, "utf8");
    const sw = start(s, ["--from-env", "production", "--to-host", "claude-desktop", "--strict"]);
    await sw.ready();
    const e = await sw.next((x) => x.event === "error", 0, 1000);
    expect(e.message).toContain("Strict mode");
    expect(readFileSync(claude, "utf8")).toBe(before);
    expect(await sw.stop()).toBe(0);
  });

  test("SIGTERM and SIGINT end it cleanly: exit 0, a stop event, no lock left", async () => {
    for (const sig of ["SIGTERM", "SIGINT"] as const) {
      const h = seed();
      const w = start(h, ["--from-env", "production", "--to-host", "cursor,vscode"]);
      await w.ready();
      // Stop while a heal may be under way.
      h.write(CURSOR, "{}\n");
      await Bun.sleep(100);
      w.proc.kill(sig);
      const code = await Promise.race([w.proc.exited, Bun.sleep(5000).then(() => -1)]);
      expect({ sig, code }).toEqual({ sig, code: 0 });
      expect(w.events.at(-1)).toMatchObject({ event: "stop", reason: sig });
      const locks = h.path(".hatch/locks");
      expect(existsSync(locks) ? readdirSync(locks) : []).toEqual([]);
    }
  });

  test("prints one line per heal without --json: time, host, what changed", async () => {
    const h = seed();
    const proc = Bun.spawn(
      [BIN, "watch", "--from-env", "production", "--to-host", "cursor", "--interval", "1s"],
      {
        env: h.env(),
        cwd: h.home,
        stdin: "ignore",
        stdout: "pipe",
        stderr: "pipe",
      },
    );
    try {
      const out = new Response(proc.stdout).text();
      // The first apply writes cursor; wait for it, then wipe the file and give the heal time.
      const deadline = Date.now() + 5000;
      while (!h.read(CURSOR).includes("weather") && Date.now() < deadline) await Bun.sleep(50);
      await Bun.sleep(300);
      h.write(CURSOR, "{}\n");
      while (!h.read(CURSOR).includes("weather") && Date.now() < deadline + 5000) await Bun.sleep(50);
      await Bun.sleep(200);
      proc.kill("SIGTERM");
      const code = await Promise.race([proc.exited, Bun.sleep(5000).then(() => -1)]);
      expect(code).toBe(0);
      const lines = (await out).trimEnd().split("\n");
      const T = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";
      expect(lines[0]).toMatch(new RegExp(`^${T} ✓ cursor: added weather, news; backup \\S+$`));
      expect(lines[1]).toMatch(new RegExp(`^${T} Watching environment "production" → cursor`));
      expect(lines[2]).toMatch(
        new RegExp(`^${T} ✓ cursor: added weather, news; its file changed; backup \\S+$`),
      );
      expect(lines.at(-1)).toMatch(new RegExp(`^${T} Stopped \\(SIGTERM\\)$`));
    } finally {
      if (proc.exitCode === null) proc.kill("SIGKILL");
    }
  });

  test("bad input fails at once with exit 2: unknown host, unknown environment, bad pattern", () => {
    const h = seed();
    for (const args of [
      ["--from-env", "production", "--to-host", "cursr"],
      ["--from-env", "nope", "--to-host", "cursor"],
      ["--from-env", "production", "--to-host", "cursor", "--pattern", "(unclosed"],
      ["--from-env", "production"],
      ["--from-env", "production", "--to-host", "cursor", "--interval", "soon"],
      ["--from-env", "production", "--to-host", "cursor", "--dry-run"],
    ]) {
      const r = h.run(["watch", ...args]);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
    }
  });

  test("idle, it uses almost no CPU (measured over 10 s from /proc/<pid>/stat)", async () => {
    if (!existsSync("/proc/self/stat")) return; // Linux only
    const h = seed();
    const w = start(h, ["--from-env", "production", "--to-host", "cursor,vscode"]);
    await w.ready();
    await Bun.sleep(500);
    const cpu = () => {
      const f = readFileSync(`/proc/${w.proc.pid}/stat`, "utf8");
      const fields = f.slice(f.lastIndexOf(")") + 2).split(" ");
      // utime and stime (fields 14 and 15 of the line; 12 and 13 after the name), in clock ticks.
      return Number(fields[11]) + Number(fields[12]);
    };
    const hz = 100; // USER_HZ is 100 on every Linux ABI Bun runs on
    const before = cpu();
    await Bun.sleep(10_000);
    const seconds = (cpu() - before) / hz;
    console.log(`hatch watch idle CPU over 10 s: ${seconds.toFixed(2)} s`);
    expect(seconds).toBeLessThan(0.5);
    expect(w.events.filter((e) => e.event === "heal").length).toBe(2); // only the first apply
    expect(await w.stop()).toBe(0);
  }, 20_000);
});

describe("hatch watch --install", () => {
  test("writes a systemd user unit running the same watch, prints how to start it, and removes it", () => {
    const h = seed();
    const args = [
      "watch",
      "--from-env",
      "production",
      "--to-host",
      "cursor,vscode",
      "--pattern",
      "^(?!dev-)",
    ];
    const r = h.run([...args, "--install"]);
    expect(r.code).toBe(0);
    const unit = h.path(".config/systemd/user/hatch-watch-production.service");
    const text = readFileSync(unit, "utf8");
    expect(text).toContain(
      `ExecStart="${BIN}" "watch" "--from-env" "production" "--to-host" "cursor,vscode" "--pattern" "^(?!dev-)"`,
    );
    expect(text.split("\n").find((l) => l.startsWith("ExecStart="))).not.toContain("--install");
    expect(text).toContain(`Environment="HATCH_HOME=${h.path(".hatch")}"`);
    expect(text).toContain("WantedBy=default.target");
    expect(r.stdout).toContain("systemctl --user enable --now hatch-watch-production.service");

    // Again with the same arguments: nothing to do. Different arguments: refused without --force.
    expect(h.run([...args, "--install"]).code).toBe(0);
    const other = h.run(["watch", "--from-env", "production", "--to-host", "cursor", "--install"]);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("--force");
    expect(readFileSync(unit, "utf8")).toBe(text);
    expect(
      h.run(["watch", "--from-env", "production", "--to-host", "cursor", "--install", "--force"]).code,
    ).toBe(0);
    expect(readFileSync(unit, "utf8")).not.toBe(text);

    // Bad arguments never make a unit.
    expect(
      h.run(["watch", "--from-env", "production", "--to-host", "cursr", "--install", "--name", "x"]).code,
    ).toBe(2);
    expect(existsSync(h.path(".config/systemd/user/hatch-watch-x.service"))).toBe(false);

    const u = h.run(["watch", "--uninstall", "--name", "production"]);
    expect(u.code).toBe(0);
    expect(u.stdout).toContain("systemctl --user stop hatch-watch-production.service");
    expect(existsSync(unit)).toBe(false);
    expect(readdirSync(h.path(".config/systemd/user"))).toEqual([]);
  });

  test("writes a launchd agent on macOS (HATCH_PLATFORM=darwin)", () => {
    const h = seed();
    const env = { HATCH_PLATFORM: "darwin" };
    const r = h.run(
      ["watch", "--from-env", "production", "--to-host", "cursor", "--install", "--name", "prod"],
      {
        env,
      },
    );
    expect(r.code).toBe(0);
    const plist = h.path("Library/LaunchAgents/dev.hatch.watch.prod.plist");
    const text = readFileSync(plist, "utf8");
    expect(text).toContain("<key>Label</key><string>dev.hatch.watch.prod</string>");
    expect(text).toContain(`<string>${BIN}</string>\n    <string>watch</string>`);
    expect(text).not.toContain("<string>--install</string>");
    expect(text).not.toContain("<string>--name</string>");
    expect(r.stdout).toContain(`launchctl load -w ${plist}`);
    expect(h.run(["watch", "--uninstall", "--name", "prod"], { env }).code).toBe(0);
    expect(existsSync(plist)).toBe(false);
  });

  test("--dry-run prints the unit and writes nothing", () => {
    const h = seed();
    const r = h.run(["watch", "--from-env", "production", "--to-host", "cursor", "--install", "--dry-run"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("ExecStart=");
    expect(existsSync(h.path(".config/systemd/user"))).toBe(false);
  });
});
