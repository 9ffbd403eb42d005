// `hatch mcp backup …` end to end: the compiled binary on a temp HOME, files checked on disk.
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { CLAUDE, CURSOR, LMSTUDIO, requireBinary, TempHome, VSCODE } from "./harness.ts";

// Each test runs the binary a dozen times; leave room for a loaded machine.
setDefaultTimeout(60_000);

beforeAll(requireBinary);

const claude = `{
  "mcpServers": {
    "weather-api": { "command": "npx", "args": ["-y", "weather"], "env": { "API_KEY": "s3cret-weather" } },
    "news-aggregator": { "command": "uvx", "args": ["news"] }
  },
  "globalShortcut": "Ctrl+Space"
}
`;
const cursor = '{\n  "mcpServers": {\n    "mine": { "command": "node", "args": ["mine.js"] }\n  }\n}\n';
const vscode = '{\n  // my comment\n  "servers": {}\n}\n';

function seed(): TempHome {
  const h = new TempHome();
  h.write(CLAUDE, claude);
  h.write(CURSOR, cursor);
  h.write(VSCODE, vscode);
  chmodSync(h.path(CURSOR), 0o640);
  return h;
}

const yes = ["--auto-approve"];
const objects = (h: TempHome): string[] => {
  const root = h.path(".hatch/backups/objects");
  if (!existsSync(root)) return [];
  return readdirSync(root);
};
const manifests = (h: TempHome): string[] =>
  existsSync(h.path(".hatch/backups/snapshots"))
    ? readdirSync(h.path(".hatch/backups/snapshots")).sort()
    : [];
const mode = (h: TempHome, rel: string) => statSync(h.path(rel)).mode & 0o777;
function json<T = Record<string, unknown>>(r: { stdout: string; code: number; stderr: string }): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
}
function create(h: TempHome, ...args: string[]): string {
  const r = h.run(["mcp", "backup", "create", ...args, "--json"]);
  expect(r.code).toBe(0);
  return json<{ id: string }>(r).id;
}
/** Moves a snapshot back in time by editing its manifest (the store keeps time in the manifest). */
function age(h: TempHome, id: string, days: number): void {
  const p = h.path(".hatch/backups/snapshots", `${id}.json`);
  const doc = JSON.parse(readFileSync(p, "utf8"));
  doc.time = new Date(Date.now() - days * 86_400_000).toISOString();
  writeFileSync(p, JSON.stringify(doc));
}

describe("hatch mcp backup create", () => {
  test("snapshots hosts owner-only; unchanged files add no content object", () => {
    const h = seed();
    const r = h.run(["mcp", "backup", "create", "--host", "cursor,vscode", "--name", "first"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"first": 2 files, 2 new in the store');
    expect(objects(h)).toHaveLength(2);
    for (let i = 0; i < 3; i++) {
      const again = json<{ newObjects: number }>(
        h.run(["mcp", "backup", "create", "--host", "cursor,vscode", "--json"]),
      );
      expect(again.newObjects).toBe(0);
    }
    expect(objects(h)).toHaveLength(2);
    expect(manifests(h)).toHaveLength(4);
    expect(statSync(h.path(".hatch/backups")).mode & 0o777).toBe(0o700);
    expect(statSync(h.path(".hatch/backups/snapshots")).mode & 0o777).toBe(0o700);
    for (const m of manifests(h))
      expect(statSync(h.path(".hatch/backups/snapshots", m)).mode & 0o777).toBe(0o600);
    const root = h.path(".hatch/backups/objects");
    expect(statSync(root).mode & 0o777).toBe(0o700);
    for (const o of readdirSync(root)) expect(statSync(join(root, o)).mode & 0o777).toBe(0o600);
  });

  test("--quiet prints nothing on success, as the tutorial's cron loop needs", () => {
    const h = seed();
    const r = h.run(["mcp", "backup", "create", "--host", "all", "--name", "hourly", "--quiet"]);
    expect(r).toEqual({ code: 0, stdout: "", stderr: "" });
    const list = json<{ snapshots: { name: string; hosts: string[] }[] }>(
      h.run(["mcp", "backup", "list", "--json"]),
    );
    expect(list.snapshots[0]?.name).toBe("hourly");
    expect(list.snapshots[0]?.hosts).toEqual(expect.arrayContaining(["claude-desktop", "cursor", "vscode"]));
  });

  test("the tutorial's disaster-recovery loop works, hosts without a file included", () => {
    const h = seed();
    for (const host of ["claude-desktop", "cursor", "vscode", "lmstudio"]) {
      const r = h.run(["mcp", "backup", "create", "--host", host, "--name", "disaster-recovery-20260131"]);
      expect(r.code).toBe(0);
    }
    const list = json<{ snapshots: { name: string; files: { existed: boolean }[] }[] }>(
      h.run(["mcp", "backup", "list", "--json"]),
    );
    expect(list.snapshots.map((s) => s.name)).toEqual(Array(4).fill("disaster-recovery-20260131"));
    expect(list.snapshots[0]?.files[0]?.existed).toBe(false); // lmstudio has no file here
    expect(objects(h)).toHaveLength(3);
  });

  test("works for custom hosts and groups", () => {
    const h = seed();
    h.write("srv/staging/claude_desktop_config.json", claude);
    h.write(
      ".hatch/config.yaml",
      `hosts:\n  staging-claude:\n    type: claude-desktop\n    path: ${h.path("srv/staging/claude_desktop_config.json")}\ngroups:\n  editors: [cursor, vscode]\n`,
    );
    const r = h.run(["mcp", "backup", "create", "--host", "staging-claude,editors", "--json"]);
    expect(r.code).toBe(0);
    expect(json<{ hosts: string[] }>(r).hosts).toEqual(["staging-claude", "cursor", "vscode"]);
  });

  test("bad input exits 2 and writes nothing", () => {
    const h = seed();
    const r = h.run(["mcp", "backup", "create", "--host", "cursr"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Unknown host "cursr": did you mean "cursor"?');
    expect(h.run(["mcp", "backup", "create"]).code).toBe(2);
    expect(h.run(["mcp", "backup", "create", "--host", "cursor", "--name", "a b"]).code).toBe(2);
    expect(existsSync(h.path(".hatch/backups"))).toBe(false);
  });
});

describe("hatch mcp backup list/show/diff", () => {
  test("list is newest first and filters by host; reading commands create nothing", () => {
    const h = seed();
    expect(h.run(["mcp", "backup", "list"]).stdout).toContain("No backups found");
    expect(existsSync(h.path(".hatch"))).toBe(false);
    const a = create(h, "--host", "cursor", "--name", "a");
    const b = create(h, "--host", "vscode", "--name", "b");
    const all = json<{ snapshots: { id: string }[] }>(h.run(["mcp", "backup", "list", "--json"]));
    expect(all.snapshots.map((s) => s.id)).toEqual([b, a]);
    const only = json<{ snapshots: { id: string }[] }>(
      h.run(["mcp", "backup", "list", "--host", "cursor", "--json"]),
    );
    expect(only.snapshots.map((s) => s.id)).toEqual([a]);
    const text = h.run(["mcp", "backup", "list"]).stdout;
    expect(text.indexOf(b)).toBeLessThan(text.indexOf(a));
    expect(text).toMatch(/ID\s+TIME\s+NAME\s+REASON\s+HOSTS/);
  });

  test("show and diff describe a snapshot; diff redacts secrets; unknown id exits 2", () => {
    const h = seed();
    const id = create(h, "--host", "claude-desktop,cursor");
    h.write(CLAUDE, '{\n  "mcpServers": {}\n}\n');
    const show = h.run(["mcp", "backup", "show", id]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`Snapshot ${id}`);
    expect(show.stdout).toMatch(/cursor\s+~\/\.cursor\/mcp\.json\s+ok\s+0640/);
    const diff = h.run(["mcp", "backup", "diff", id]);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain(
      "claude-desktop (~/.config/Claude/claude_desktop_config.json): would be restored",
    );
    expect(diff.stdout).toContain('+    "news-aggregator": { "command": "uvx", "args": ["news"] }');
    expect(diff.stdout).toContain("= cursor (~/.cursor/mcp.json): no change");
    expect(diff.stdout).not.toContain("s3cret-weather");
    expect(h.run(["mcp", "backup", "diff", id, "--show-secrets"]).stdout).toContain("s3cret-weather");
    const one = json<{ files: { host: string }[] }>(
      h.run(["mcp", "backup", "diff", id, "--host", "cursor", "--json"]),
    );
    expect(one.files.map((f) => f.host)).toEqual(["cursor"]);
    const unknown = h.run(["mcp", "backup", "show", "20990101T000000Z-000000"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown backup snapshot "20990101T000000Z-000000"');
  });
});

describe("hatch mcp backup restore", () => {
  test("returns byte-identical files with their mode, after a safety snapshot", () => {
    const h = seed();
    const id = create(h, "--host", "cursor,vscode");
    h.write(CURSOR, '{"mcpServers": {}}');
    chmodSync(h.path(CURSOR), 0o644);
    h.write(VSCODE, "{}\n");
    const before = manifests(h).length;
    const r = h.run(["mcp", "backup", "restore", "--host", "cursor,vscode", ...yes]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`cursor (~/.cursor/mcp.json) from ${id}`);
    expect(r.stdout).toContain("Restore completed successfully!");
    expect(h.read(CURSOR)).toBe(cursor);
    expect(mode(h, CURSOR)).toBe(0o640);
    expect(h.read(VSCODE)).toBe(vscode);
    expect(manifests(h).length).toBe(before + 1);
    const safety = json<{ snapshots: { reason: string; id: string }[] }>(
      h.run(["mcp", "backup", "list", "--json"]),
    ).snapshots[0];
    expect(safety?.reason).toBe("pre-restore");
    // The safety snapshot undoes the restore.
    expect(h.run(["mcp", "backup", "restore", "--id", safety?.id as string, ...yes]).code).toBe(0);
    expect(h.read(CURSOR)).toBe('{"mcpServers": {}}');
    expect(mode(h, CURSOR)).toBe(0o644);
  });

  test("--dry-run writes nothing, and a restore with nothing to change takes no snapshot", () => {
    const h = seed();
    create(h, "--host", "cursor");
    h.write(CURSOR, "{}\n");
    const snaps = manifests(h);
    const r = h.run(["mcp", "backup", "restore", "--host", "cursor", "--dry-run"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("[DRY RUN] Nothing was written");
    expect(h.read(CURSOR)).toBe("{}\n");
    expect(manifests(h)).toEqual(snaps);
    h.write(CURSOR, cursor);
    const none = h.run(["mcp", "backup", "restore", "--host", "cursor", ...yes]);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain("Nothing to restore");
    expect(manifests(h)).toEqual(snaps);
  });

  test("refuses without a terminal or approval (exit 2, nothing written)", () => {
    const h = seed();
    create(h, "--host", "cursor");
    h.write(CURSOR, "{}\n");
    const r = h.run(["mcp", "backup", "restore", "--host", "cursor"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Refusing to write without confirmation");
    expect(h.read(CURSOR)).toBe("{}\n");
    expect(
      h.run(["mcp", "backup", "restore", "--host", "cursor"], { env: { HATCH_AUTO_APPROVE: "1" } }).code,
    ).toBe(0);
    expect(h.read(CURSOR)).toBe(cursor);
  });

  test("--id of a sync run restores every host it touched, and removes files the sync created", () => {
    const h = seed();
    mkdirSync(h.path(".lmstudio"), { recursive: true }); // LM Studio installed, no mcp.json yet
    const s = h.run([
      "mcp",
      "sync",
      "--from-host",
      "claude-desktop",
      "--to-host",
      "cursor,vscode,lmstudio",
      "--json",
      ...yes,
    ]);
    expect(s.code).toBe(0);
    const run = json<{ backupId: string }>(s).backupId;
    expect(run).toBeTruthy();
    expect(h.read(CURSOR)).not.toBe(cursor);
    expect(existsSync(h.path(LMSTUDIO))).toBe(true);
    const show = json<{ reason: string; files: { host: string; existed: boolean }[] }>(
      h.run(["mcp", "backup", "show", run, "--json"]),
    );
    expect(show.reason).toBe("sync");
    expect(show.files.map((f) => [f.host, f.existed])).toEqual([
      ["cursor", true],
      ["vscode", true],
      ["lmstudio", false],
    ]);
    const r = h.run(["mcp", "backup", "restore", "--id", run, ...yes]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("lmstudio (~/.lmstudio/mcp.json): removed");
    expect(h.read(CURSOR)).toBe(cursor);
    expect(mode(h, CURSOR)).toBe(0o640);
    expect(h.read(VSCODE)).toBe(vscode);
    expect(existsSync(h.path(LMSTUDIO))).toBe(false);
    expect(h.read(CLAUDE)).toBe(claude);
  });

  test("--name and --before choose the snapshot; bad input exits 2", () => {
    const h = seed();
    const a = create(h, "--host", "cursor", "--name", "keep-me");
    age(h, a, 2);
    h.write(CURSOR, "v2\n");
    create(h, "--host", "cursor");
    h.write(CURSOR, "v3\n");
    expect(h.run(["mcp", "backup", "restore", "--host", "cursor", "--name", "keep-me", ...yes]).code).toBe(0);
    expect(h.read(CURSOR)).toBe(cursor);
    expect(h.run(["mcp", "backup", "restore", "--host", "cursor", "--before", "1d", ...yes]).code).toBe(0);
    expect(h.read(CURSOR)).toBe(cursor);
    // The default is the last state hatch wrote or saw: what the restore above wrote (recorded in
    // its safety snapshot), never what that safety snapshot found ("v3"), so running the same
    // restore twice gives the same result.
    h.write(CURSOR, "broken by hand\n");
    for (let i = 0; i < 2; i++) {
      expect(h.run(["mcp", "backup", "restore", "--host", "cursor", ...yes]).code).toBe(0);
      expect(h.read(CURSOR)).toBe(cursor);
    }
    expect(h.run(["mcp", "backup", "restore", "--host", "cursor", "--name", "keep-me", ...yes]).code).toBe(0);
    const noName = h.run(["mcp", "backup", "restore", "--host", "cursor", "--name", "nope", ...yes]);
    expect(noName.code).toBe(2);
    expect(noName.stderr).toContain('No backup snapshot named "nope" holds "cursor"');
    expect(h.run(["mcp", "backup", "restore", "--host", "vscode", ...yes]).code).toBe(2);
    expect(h.run(["mcp", "backup", "restore", "--host", "cursor", "--before", "soon", ...yes]).code).toBe(2);
    expect(h.run(["mcp", "backup", "restore", "--id", "nope", ...yes]).code).toBe(2);
    expect(h.run(["mcp", "backup", "restore", ...yes]).code).toBe(2);
    expect(h.read(CURSOR)).toBe(cursor);
  });
});

describe("integrity", () => {
  test("a corrupted object is detected and named; nothing is written (exit 1)", () => {
    const h = seed();
    const id = create(h, "--host", "cursor,vscode");
    const snap = json<{ files: { host: string; sha256: string }[] }>(
      h.run(["mcp", "backup", "show", id, "--json"]),
    );
    const hash = snap.files.find((f) => f.host === "vscode")?.sha256 as string;
    const obj = h.path(".hatch/backups/objects", hash);
    chmodSync(obj, 0o600);
    writeFileSync(obj, '{"servers": {"evil": {}}}\n');
    h.write(CURSOR, "{}\n");
    h.write(VSCODE, "{}\n");
    const r = h.run(["mcp", "backup", "restore", "--id", id, ...yes]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Backup snapshot "${id}" is damaged`);
    expect(r.stderr).toContain(`"${h.path(VSCODE)}" (host "vscode") does not match its checksum`);
    expect(h.read(CURSOR)).toBe("{}\n");
    expect(h.read(VSCODE)).toBe("{}\n");
    const verify = h.run(["mcp", "backup", "verify"]);
    expect(verify.code).toBe(1);
    expect(verify.stderr).toContain(`Backup snapshot "${id}" is damaged`);
    const show = h.run(["mcp", "backup", "show", id]);
    expect(show.code).toBe(1);
    expect(show.stdout).toMatch(/vscode\s+\S+\s+DAMAGED/);
    expect(h.run(["mcp", "backup", "diff", id]).code).toBe(1);
    // cursor's copy is intact and can still be restored alone.
    expect(h.run(["mcp", "backup", "restore", "--id", id, "--host", "cursor", ...yes]).code).toBe(0);
    expect(h.read(CURSOR)).toBe(cursor);
  });

  test("verify passes on a healthy store, quietly", () => {
    const h = seed();
    create(h, "--host", "all");
    expect(h.run(["mcp", "backup", "verify", "--quiet"])).toEqual({ code: 0, stdout: "", stderr: "" });
  });
});

describe("hatch mcp backup clean", () => {
  /** Five snapshots of cursor, newest first in the returned list, with different content. */
  function history(h: TempHome): string[] {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      h.write(CURSOR, `{"v": ${i}}\n`);
      ids.unshift(create(h, "--host", "cursor"));
    }
    return ids;
  }
  const listed = (h: TempHome) =>
    json<{ snapshots: { id: string }[] }>(h.run(["mcp", "backup", "list", "--json"])).snapshots.map(
      (s) => s.id,
    );

  test("--keep N keeps exactly the newest N and removes unreferenced content", () => {
    const h = seed();
    const ids = history(h);
    expect(objects(h)).toHaveLength(5);
    const r = h.run(["mcp", "backup", "clean", "--keep", "2", "--quiet"]);
    expect(r).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(listed(h)).toEqual(ids.slice(0, 2));
    expect(objects(h)).toHaveLength(2);
    expect(h.run(["mcp", "backup", "verify"]).code).toBe(0);
  });

  test("--older-than removes by age; with --keep only what both allow", () => {
    const h = seed();
    const ids = history(h);
    // ages: ids[0] now, ids[1] 10d, ids[2] 35d, ids[3] 40d, ids[4] 50d
    [0, 10, 35, 40, 50].forEach((d, i) => {
      if (d) age(h, ids[i] as string, d);
    });
    const both = h.run(["mcp", "backup", "clean", "--older-than", "30d", "--keep", "4", "--json"]);
    expect(both.code).toBe(0);
    expect(json<{ removed: string[] }>(both).removed).toEqual([ids[4] as string]);
    expect(listed(h)).toEqual(ids.slice(0, 4));
    const byAge = h.run(["mcp", "backup", "clean", "--older-than", "30d"]);
    expect(byAge.code).toBe(0);
    expect(byAge.stdout).toContain("Removed 2 snapshots");
    expect(listed(h)).toEqual(ids.slice(0, 2));
    expect(objects(h)).toHaveLength(2);
  });

  test("--dry-run removes nothing; --host leaves other hosts alone", () => {
    const h = seed();
    const ids = history(h);
    const v = create(h, "--host", "vscode");
    const before = { m: manifests(h), o: objects(h).sort() };
    const dry = h.run(["mcp", "backup", "clean", "--keep", "0", "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("Would remove 6 snapshots");
    expect({ m: manifests(h), o: objects(h).sort() }).toEqual(before);
    expect(h.run(["mcp", "backup", "clean", "--host", "cursor", "--keep", "1"]).code).toBe(0);
    expect(listed(h)).toEqual([v, ids[0] as string]);
  });

  test("bad input exits 2", () => {
    const h = seed();
    create(h, "--host", "cursor");
    for (const args of [
      [],
      ["--keep", "-1"],
      ["--keep", "two"],
      ["--older-than", "30"],
      ["--host", "nope", "--keep", "1"],
    ]) {
      const r = h.run(["mcp", "backup", "clean", ...args]);
      expect(r.code).toBe(2);
    }
    expect(h.run(["mcp", "backup", "clean"]).stderr).toContain(
      "Nothing to clean by: give --keep N, --older-than AGE, or both",
    );
  });
});

describe("help", () => {
  test.each(["create", "list", "show", "diff", "restore", "clean", "verify"])(
    "backup %s --help has usage and an example",
    (c) => {
      const r = new TempHome().run(["mcp", "backup", c, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: hatch mcp backup ${c}`);
      expect(r.stdout).toContain("Examples:");
    },
  );
});
