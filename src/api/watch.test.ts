import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { UsageError } from "../core/errors.ts";
import { defaultWorkspace, type Workspace } from "../store/workspace.ts";
import { env } from "./sync.ts";
import { checkWatch, serviceName, type WatchEvent, watch, watchService } from "./watch.ts";

const ENV = "description: p\nservers:\n  weather:\n    command: npx\n    args: [weather]\n";

function space(platform = "linux"): {
  ws: Workspace;
  home: string;
  write(rel: string, text: string): string;
} {
  const home = mkdtempSync(join(tmpdir(), "hatch-watch-"));
  const ws = defaultWorkspace({ HOME: home, HATCH_HOME: join(home, ".hatch"), HATCH_PLATFORM: platform });
  const write = (rel: string, text: string) => {
    const p = join(home, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    return p;
  };
  write(".hatch/envs/prod.yaml", ENV);
  return { ws, home, write };
}

/** Runs a watch until `until` says so (or 5 s pass), then aborts it; returns its events. */
async function run(
  ws: Workspace,
  until: (e: WatchEvent, all: WatchEvent[]) => boolean,
  extra: Partial<Parameters<typeof watch>[0]> = {},
): Promise<{ events: WatchEvent[]; summary: Awaited<ReturnType<typeof watch>> }> {
  const stop = new AbortController();
  const events: WatchEvent[] = [];
  const timer = setTimeout(() => stop.abort("timeout"), 5000);
  try {
    const summary = await watch({
      from: env("prod"),
      to: ["cursor"],
      workspace: ws,
      intervalMs: 50,
      debounceMs: 10,
      signal: stop.signal,
      onEvent: (e) => {
        events.push(e);
        if (until(e, events)) stop.abort("done");
      },
      ...extra,
    });
    return { events, summary };
  } finally {
    clearTimeout(timer);
  }
}

describe("watch()", () => {
  test("watch() applies once, reports watching, and stops on abort with a stop event", async () => {
    const s = space();
    const cursor = s.write(".cursor/mcp.json", '{ "mcpServers": {} }\n');
    const { events, summary } = await run(s.ws, (e) => e.event === "watching");
    expect(events.map((e) => e.event)).toEqual(["heal", "watching", "stop"]);
    expect(events.at(-1)).toMatchObject({ event: "stop", reason: "done" });
    expect(summary).toMatchObject({ heals: 1, errors: 0 });
    expect(readFileSync(cursor, "utf8")).toContain('"weather"');
  });

  test("watch() heals a target written through a symlink (the link's target directory is watched)", async () => {
    const s = space();
    const real = s.write("dotfiles/cursor.json", '{ "mcpServers": {} }\n');
    mkdirSync(join(s.home, ".cursor"), { recursive: true });
    symlinkSync(real, join(s.home, ".cursor/mcp.json"));
    const stop = new AbortController();
    const seen: WatchEvent[] = [];
    const timer = setTimeout(() => stop.abort("timeout"), 5000);
    await watch({
      from: env("prod"),
      to: "cursor",
      workspace: s.ws,
      intervalMs: 60_000,
      debounceMs: 10,
      signal: stop.signal,
      onEvent: (e) => {
        seen.push(e);
        if (e.event === "watching") writeFileSync(real, "{}\n");
        if (e.event === "heal" && e.trigger === "target") stop.abort("done");
      },
    });
    clearTimeout(timer);
    expect(seen.at(-1)).toMatchObject({ event: "stop", reason: "done" });
    expect(readFileSync(real, "utf8")).toContain('"weather"');
  });

  test("watch() pauses a host whose app rewrites the file as fast as it is healed", async () => {
    const s = space();
    const cursor = s.write(".cursor/mcp.json", "{}\n");
    const stop = new AbortController();
    const seen: WatchEvent[] = [];
    const timer = setTimeout(() => stop.abort("timeout"), 5000);
    const result = await watch({
      from: env("prod"),
      to: "cursor",
      workspace: s.ws,
      intervalMs: 50,
      debounceMs: 10,
      maxHealsPerMinute: 3,
      signal: stop.signal,
      onEvent: (e) => {
        seen.push(e);
        if (e.event === "heal") writeFileSync(cursor, "{}\n"); // the "app" wipes it again at once
        if (e.event === "error") setTimeout(() => stop.abort("done"), 300);
      },
    });
    clearTimeout(timer);
    const errors = seen.filter((e) => e.event === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ host: "cursor", retry: "after-pause" });
    expect(result.heals).toBe(4); // the first apply, three heals of the wiped file, none while paused
    expect(seen.at(-1)).toMatchObject({ event: "stop", reason: "done" });
  });

  test("watch() retries a failing write later and later, not at every check", async () => {
    const s = space();
    s.write(".cursor", "a file where the folder should be\n"); // every write of cursor fails
    const stop = new AbortController();
    const seen: WatchEvent[] = [];
    setTimeout(() => stop.abort("done"), 1500);
    const summary = await watch({
      from: env("prod"),
      to: "cursor",
      workspace: s.ws,
      intervalMs: 50,
      signal: stop.signal,
      onEvent: (e) => seen.push(e),
    });
    expect(seen.filter((e) => e.event === "error")).toEqual([
      expect.objectContaining({ host: "cursor", retry: "next-check" }),
    ]);
    // Tries at 0, 50, 150, 350, 750 ms (and perhaps 1550): a check every 50 ms would be 30.
    expect(summary.cycles).toBeGreaterThanOrEqual(4);
    expect(summary.cycles).toBeLessThanOrEqual(6);
  });

  test("watch() with mirror does not empty the targets when the source loses every server", async () => {
    const s = space();
    const cursor = s.write(".cursor/mcp.json", '{ "mcpServers": { "mine": { "command": "x" } } }\n');
    const stop = new AbortController();
    const seen: WatchEvent[] = [];
    setTimeout(() => stop.abort("timeout"), 5000);
    await watch({
      from: env("prod"),
      to: "cursor",
      workspace: s.ws,
      mirror: true,
      intervalMs: 50,
      debounceMs: 10,
      signal: stop.signal,
      onEvent: (e) => {
        seen.push(e);
        if (e.event === "watching") s.write(".hatch/envs/prod.yaml", "description: p\nservers: {}\n");
        if (e.event === "error") stop.abort("done");
      },
    });
    expect(seen.at(-2)).toMatchObject({ event: "error", retry: "on-change" });
    expect(JSON.stringify(seen.at(-2))).toContain("no server to mirror");
    // The first apply mirrored (mine removed, weather added); the empty source removed nothing.
    expect(Object.keys(JSON.parse(readFileSync(cursor, "utf8")).mcpServers)).toEqual(["weather"]);
  });

  test("watch() rejects with the error an onEvent callback throws, and stops", async () => {
    const s = space();
    s.write(".cursor/mcp.json", "{}\n");
    const boom = new Error("boom");
    await expect(
      watch({
        from: env("prod"),
        to: "cursor",
        workspace: s.ws,
        onEvent: () => {
          throw boom;
        },
      }),
    ).rejects.toBe(boom);
  });

  test("watch() with an aborted signal does nothing; bad input throws before anything is read", async () => {
    const s = space();
    const cursor = s.write(".cursor/mcp.json", "{}\n");
    const summary = await watch({
      from: env("prod"),
      to: "cursor",
      workspace: s.ws,
      signal: AbortSignal.abort(),
    });
    expect(summary).toEqual({ heals: 0, errors: 0, cycles: 0 });
    expect(readFileSync(cursor, "utf8")).toBe("{}\n");
    await expect(watch({ from: env("nope"), to: "cursor", workspace: s.ws })).rejects.toBeInstanceOf(
      UsageError,
    );
    await expect(watch({ from: env("prod"), to: "cursr", workspace: s.ws })).rejects.toBeInstanceOf(
      UsageError,
    );
    await expect(
      watch({ from: env("prod"), to: "cursor", workspace: s.ws, pattern: "(bad" }),
    ).rejects.toBeInstanceOf(UsageError);
    await expect(watch({ from: env("prod"), to: [], workspace: s.ws })).rejects.toBeInstanceOf(TypeError);
    expect(checkWatch({ from: env("prod"), to: ["cursor"], workspace: s.ws }).targets).toEqual([
      { host: "cursor", path: cursor },
    ]);
  });
});

describe("watchService", () => {
  test("install() quotes ExecStart for systemd: specifiers, variables, quotes and spaces survive", () => {
    const s = space();
    const r = watchService.install({
      name: "prod",
      program: ["/opt/my tools/hatch"],
      args: ["watch", "--pattern", '^a"b\\c$', "--servers", "100%"],
      cwd: "/srv/100%",
      environment: { HATCH_HOME: "/h 1" },
      workspace: s.ws,
    });
    expect(r.status).toBe("created");
    expect(r.path).toBe(join(s.home, ".config/systemd/user/hatch-watch-prod.service"));
    const text = readFileSync(r.path, "utf8");
    expect(text).toContain(
      'ExecStart="/opt/my tools/hatch" "watch" "--pattern" "^a\\"b\\\\c$$" "--servers" "100%%"\n',
    );
    expect(text).toContain("WorkingDirectory=/srv/100%%\n");
    expect(text).toContain('Environment="HATCH_HOME=/h 1"\n');
    expect(r.command).toBe("systemctl --user enable --now hatch-watch-prod.service");
  });

  test("install() refuses control characters, bad names and Windows; uninstall() keeps a file hatch did not write", () => {
    const s = space();
    expect(() => watchService.install({ name: "p", args: ["watch", "a\nb"], workspace: s.ws })).toThrow(
      UsageError,
    );
    expect(() => watchService.install({ name: "../x", args: ["watch"], workspace: s.ws })).toThrow(
      UsageError,
    );
    const w = space("win32");
    expect(() => watchService.install({ name: "p", args: ["watch"], workspace: w.ws })).toThrow(UsageError);
    const mine = s.write(".config/systemd/user/hatch-watch-own.service", "[Service]\nExecStart=/bin/true\n");
    expect(() => watchService.uninstall({ name: "own", workspace: s.ws })).toThrow(UsageError);
    expect(existsSync(mine)).toBe(true);
    expect(watchService.uninstall({ name: "own", workspace: s.ws, force: true }).status).toBe("removed");
    expect(existsSync(mine)).toBe(false);
    expect(watchService.uninstall({ name: "own", workspace: s.ws }).status).toBe("absent");
  });

  test("uninstall() also removes systemd's enable link", () => {
    const s = space();
    const r = watchService.install({ name: "p", args: ["watch"], program: ["/bin/hatch"], workspace: s.ws });
    const wants = join(dirname(r.path), "default.target.wants");
    mkdirSync(wants);
    symlinkSync(r.path, join(wants, "hatch-watch-p.service"));
    watchService.uninstall({ name: "p", workspace: s.ws });
    expect(existsSync(join(wants, "hatch-watch-p.service"))).toBe(false);
    expect(existsSync(r.path)).toBe(false);
  });

  test("serviceName() makes a unit name of any source name", () => {
    expect(serviceName("team/production@abc1")).toBe("team-production-abc1");
    expect(serviceName("claude-desktop")).toBe("claude-desktop");
    expect(serviceName("///")).toBe("default");
  });
});
