// The backup store through the in-memory system seam: content addressing, integrity, restore
// plans, retention. (Locks live on the real file system, under a temp HATCH_HOME.)
import { applyRestore } from "../apply/restore.ts";
import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Workspace } from "./workspace.ts";
import { ApplyError, UsageError } from "../core/errors.ts";
import { pathContext } from "../hosts/_paths.ts";
import { MemorySystem } from "../system/system.ts";
import {
  BackupCorruptError,
  backupsDir,
  cleanBackups,
  createSnapshot,
  findSnapshot,
  type HostMatcher,
  listSnapshots,
  parseDuration,
  parseTime,
  planClean,
  PRE_RESTORE,
  planRestore,
  readSnapshotFile,
  recordWritten,
  type Snapshot,
  selectRestore,
  sha256,
  takeSnapshot,
  verifySnapshot,
  writtenFile,
} from "./backups.ts";

const CURSOR = "/h/.cursor/mcp.json";
const VSCODE = "/h/.config/Code/User/mcp.json";

function setup(): { ws: Workspace; sys: MemorySystem } {
  const sys = new MemorySystem();
  const hatchHome = mkdtempSync(join(tmpdir(), "hatch-backups-"));
  const ws: Workspace = {
    ctx: pathContext({ HOME: "/h", HATCH_PLATFORM: "linux" }),
    system: sys,
    env: {},
    hatchHome,
  };
  sys.writeAtomic(CURSOR, '{"mcpServers": {}}\n', { mode: 0o640 });
  sys.writeAtomic(VSCODE, '{"servers": {}}\n');
  return { ws, sys };
}

const both = [
  { host: "cursor", path: CURSOR },
  { host: "vscode", path: VSCODE },
];
const host = (name: string, path: string): HostMatcher => ({
  label: name,
  paths: new Set([path]),
  names: new Set([name]),
});
const objectCount = (ws: Workspace, sys: MemorySystem) =>
  [...sys.files.keys()].filter((k) => k.startsWith(join(backupsDir(ws), "objects"))).length;
const at = (iso: string) => new Date(iso);

describe("takeSnapshot()", () => {
  test("stores unchanged content once however many snapshots refer to it", () => {
    const { ws, sys } = setup();
    expect(takeSnapshot(ws, { reason: "manual", files: both }).newObjects).toBe(2);
    expect(takeSnapshot(ws, { reason: "manual", files: both }).newObjects).toBe(0);
    expect(takeSnapshot(ws, { reason: "manual", files: both }).newObjects).toBe(0);
    expect(objectCount(ws, sys)).toBe(2);
    sys.writeAtomic(CURSOR, '{"mcpServers": {"a": {}}}\n');
    expect(takeSnapshot(ws, { reason: "manual", files: both }).newObjects).toBe(1);
    expect(objectCount(ws, sys)).toBe(3);
  });

  test("records mode, size, hash, and files that do not exist", () => {
    const { ws } = setup();
    const s = createSnapshot(ws, {
      reason: "sync",
      name: "n",
      command: "hatch x",
      files: [...both, { host: "lmstudio", path: "/h/.lmstudio/mcp.json" }],
    });
    expect(s.files[0]).toEqual({
      host: "cursor",
      path: CURSOR,
      existed: true,
      sha256: sha256('{"mcpServers": {}}\n'),
      mode: 0o640,
      size: 19,
    });
    expect(s.files[2]).toEqual({ host: "lmstudio", path: "/h/.lmstudio/mcp.json", existed: false });
    expect(findSnapshot(ws, s.id)).toEqual(s);
  });

  test("writes objects and manifests owner-only", () => {
    const { ws, sys } = setup();
    createSnapshot(ws, { reason: "manual", files: both });
    for (const [k, f] of sys.files) if (k.startsWith(backupsDir(ws))) expect(f.mode).toBe(0o600);
  });

  test("heals a damaged object when the same content is snapshotted again", () => {
    const { ws, sys } = setup();
    const s = createSnapshot(ws, { reason: "manual", files: both });
    const obj = join(backupsDir(ws), "objects", s.files[0]?.sha256 ?? "");
    sys.writeAtomic(obj, "garbage");
    expect(() => readSnapshotFile(ws, s, s.files[0] as never)).toThrow(BackupCorruptError);
    expect(takeSnapshot(ws, { reason: "manual", files: both }).newObjects).toBe(1);
    expect(readSnapshotFile(ws, s, s.files[0] as never)).toBe('{"mcpServers": {}}\n');
  });
});

describe("readSnapshotFile()", () => {
  test("names the snapshot and the file when the stored copy fails its checksum", () => {
    const { ws, sys } = setup();
    const s = createSnapshot(ws, { reason: "manual", files: both });
    const f = s.files[1] as never as { sha256: string };
    sys.writeAtomic(join(backupsDir(ws), "objects", f.sha256), '{"servers": {"evil": {}}}\n');
    let err: unknown;
    try {
      readSnapshotFile(ws, s, s.files[1] as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BackupCorruptError);
    expect(err).toBeInstanceOf(ApplyError);
    expect((err as Error).message).toContain(`Backup snapshot "${s.id}" is damaged`);
    expect((err as Error).message).toContain(`"${VSCODE}" (host "vscode") does not match its checksum`);
  });

  test("names a missing object", () => {
    const { ws, sys } = setup();
    const s = createSnapshot(ws, { reason: "manual", files: both });
    const f = s.files[0] as { sha256: string };
    sys.remove(join(backupsDir(ws), "objects", f.sha256));
    expect(() => readSnapshotFile(ws, s, s.files[0] as never)).toThrow(/is missing/);
  });
});

describe("listSnapshots() and findSnapshot()", () => {
  test("lists newest first and reports damaged manifests instead of skipping them", () => {
    const { ws, sys } = setup();
    const a = createSnapshot(ws, { reason: "manual", files: both, now: at("2026-01-01T00:00:00Z") });
    const b = createSnapshot(ws, { reason: "manual", files: both, now: at("2026-01-02T00:00:00Z") });
    const bad = join(backupsDir(ws), "snapshots", "20260103T000000Z-abcdef.json");
    sys.writeAtomic(bad, "{ not json");
    const r = listSnapshots(ws);
    expect(r.snapshots.map((s) => s.id)).toEqual([b.id, a.id]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]?.message).toContain('Backup snapshot "20260103T000000Z-abcdef" is damaged');
  });

  test("finds by unique prefix; unknown and ambiguous ids are usage errors", () => {
    const { ws } = setup();
    const a = createSnapshot(ws, { reason: "manual", files: both, now: at("2026-01-01T00:00:00Z") });
    createSnapshot(ws, { reason: "manual", files: both, now: at("2026-01-01T00:00:00Z") });
    expect(findSnapshot(ws, a.id).id).toBe(a.id);
    expect(() => findSnapshot(ws, "20260101")).toThrow(/ambiguous/);
    expect(() => findSnapshot(ws, "nope")).toThrow(UsageError);
    expect(() => findSnapshot(ws, "../../etc/passwd")).toThrow(UsageError);
  });
});

describe("selectRestore()", () => {
  function history(ws: Workspace, sys: MemorySystem): Snapshot[] {
    createSnapshot(ws, { reason: "manual", name: "daily", files: both, now: at("2026-01-01T00:00:00Z") });
    sys.writeAtomic(CURSOR, "v2\n");
    createSnapshot(ws, { reason: "sync", files: [both[0] as never], now: at("2026-01-02T00:00:00Z") });
    return listSnapshots(ws).snapshots;
  }

  test("picks, per host, the newest snapshot holding it", () => {
    const { ws, sys } = setup();
    const snaps = history(ws, sys);
    const r = selectRestore(snaps, { hosts: [host("cursor", CURSOR), host("vscode", VSCODE)] });
    expect(r.selections.map((s) => [s.file.host, s.snapshot.time])).toEqual([
      ["cursor", "2026-01-02T00:00:00.000Z"],
      ["vscode", "2026-01-01T00:00:00.000Z"],
    ]);
  });

  test("never picks a restore's own safety snapshot unless given its id", () => {
    const { ws, sys } = setup();
    history(ws, sys);
    sys.writeAtomic(CURSOR, "v3\n");
    const safety = createSnapshot(ws, {
      reason: PRE_RESTORE,
      files: [both[0] as never],
      now: at("2026-01-03T00:00:00Z"),
    });
    const snaps = listSnapshots(ws).snapshots;
    expect(selectRestore(snaps, { hosts: [host("cursor", CURSOR)] }).selections[0]?.snapshot.time).toBe(
      "2026-01-02T00:00:00.000Z",
    );
    expect(selectRestore(snaps, { id: safety }).selections[0]?.snapshot.id).toBe(safety.id);
  });

  test("filters by name and by time", () => {
    const { ws, sys } = setup();
    const snaps = history(ws, sys);
    expect(
      selectRestore(snaps, { hosts: [host("cursor", CURSOR)], name: "daily" }).selections[0]?.snapshot.name,
    ).toBe("daily");
    expect(
      selectRestore(snaps, { hosts: [host("cursor", CURSOR)], before: at("2026-01-01T12:00:00Z") })
        .selections[0]?.snapshot.time,
    ).toBe("2026-01-01T00:00:00.000Z");
    expect(() => selectRestore(snaps, { hosts: [host("cursor", CURSOR)], name: "weekly" })).toThrow(
      /No backup snapshot named "weekly"/,
    );
  });

  test("with an id restores every file in it, or only the given hosts'", () => {
    const { ws, sys } = setup();
    const snaps = history(ws, sys);
    const first = snaps[1] as Snapshot;
    expect(selectRestore(snaps, { id: first }).selections).toHaveLength(2);
    expect(
      selectRestore(snaps, { id: first, hosts: [host("vscode", VSCODE)] }).selections.map((s) => s.file.host),
    ).toEqual(["vscode"]);
    expect(() => selectRestore(snaps, { id: snaps[0] as Snapshot, hosts: [host("vscode", VSCODE)] })).toThrow(
      /holds no file of "vscode"/,
    );
  });
});

describe("written states (each write records what it wrote)", () => {
  test("restore --host alone brings back what the last write wrote; --id, --name, --before what was found", () => {
    const { ws, sys } = setup();
    const found = sys.readText(CURSOR) as string;
    const snap = createSnapshot(ws, {
      reason: "sync",
      files: [both[0] as never],
      now: at("2026-01-02T00:00:00Z"),
    });
    sys.writeAtomic(CURSOR, "as synced\n");
    const recorded = recordWritten(ws, snap, [{ path: CURSOR, content: "as synced\n" }]);
    expect(recorded.files[0]?.after).toEqual(
      expect.objectContaining({ existed: true, sha256: sha256("as synced\n") }),
    );
    sys.writeAtomic(CURSOR, "{ broken by hand");
    const snaps = listSnapshots(ws).snapshots;
    const latest = selectRestore(snaps, { hosts: [host("cursor", CURSOR)] }).selections;
    expect(latest[0]?.written).toBe(true);
    const [item] = planRestore(ws, latest);
    expect(item?.target.text).toBe("as synced\n");
    expect(item?.written).toBe(true);
    const byId = planRestore(ws, selectRestore(snaps, { id: snaps[0] as Snapshot }).selections);
    expect(byId[0]?.target.text).toBe(found);
    const before = selectRestore(snaps, {
      hosts: [host("cursor", CURSOR)],
      before: at("2026-01-03T00:00:00Z"),
    });
    expect(planRestore(ws, before.selections)[0]?.target.text).toBe(found);
  });

  test("a restore's safety snapshot counts by what the restore wrote, never by what it found", () => {
    const { ws, sys } = setup();
    createSnapshot(ws, { reason: "sync", files: [both[0] as never], now: at("2026-01-02T00:00:00Z") });
    sys.writeAtomic(CURSOR, "found by the restore\n");
    const safety = createSnapshot(ws, {
      reason: PRE_RESTORE,
      files: [both[0] as never],
      now: at("2026-01-03T00:00:00Z"),
    });
    recordWritten(ws, safety, [{ path: CURSOR, content: "restored\n" }]);
    const snaps = listSnapshots(ws).snapshots;
    const sel = selectRestore(snaps, { hosts: [host("cursor", CURSOR)] }).selections;
    expect(sel[0]?.snapshot.id).toBe(safety.id);
    expect(planRestore(ws, sel)[0]?.target.text).toBe("restored\n");
    // A removal is a written state too.
    recordWritten(ws, safety, [{ path: CURSOR, content: undefined }]);
    const again = selectRestore(listSnapshots(ws).snapshots, { hosts: [host("cursor", CURSOR)] }).selections;
    expect(planRestore(ws, again)[0]?.action).toBe("remove");
  });

  test("clean keeps the written content a kept snapshot refers to; verify checks it", () => {
    const { ws } = setup();
    const snap = createSnapshot(ws, {
      reason: "sync",
      files: [both[0] as never],
      now: at("2026-01-02T00:00:00Z"),
    });
    recordWritten(ws, snap, [{ path: CURSOR, content: "only in after\n" }]);
    const r = cleanBackups(ws, { keep: 5 }, { dryRun: false });
    expect(r.objects).toEqual([]);
    const kept = listSnapshots(ws).snapshots[0] as Snapshot;
    expect(verifySnapshot(ws, kept)).toEqual([]);
    expect(readSnapshotFile(ws, kept, writtenFile(kept.files[0] as never) as never)).toBe("only in after\n");
  });
});

describe("planRestore() and applyRestore()", () => {
  test("restores bytes and mode, removes files that did not exist, leaves matching files alone", () => {
    const { ws, sys } = setup();
    const LM = "/h/.lmstudio/mcp.json";
    const s = createSnapshot(ws, { reason: "manual", files: [...both, { host: "lmstudio", path: LM }] });
    sys.writeAtomic(CURSOR, "changed\n", { mode: 0o644 });
    sys.writeAtomic(LM, "{}\n");
    const items = planRestore(ws, selectRestore([s], { id: s }).selections);
    expect(items.map((i) => [i.host, i.action])).toEqual([
      ["cursor", "write"],
      ["vscode", "unchanged"],
      ["lmstudio", "remove"],
    ]);
    const vscodeMtime = sys.stat(VSCODE)?.mtimeMs;
    const r = applyRestore(ws, items, { backup: true });
    expect(r.outcomes.map((o) => o.status)).toEqual(["restored", "unchanged", "removed"]);
    expect(sys.files.get(CURSOR)).toMatchObject({ text: '{"mcpServers": {}}\n', mode: 0o640 });
    expect(sys.stat(VSCODE)?.mtimeMs).toBe(vscodeMtime as number);
    expect(sys.exists(LM)).toBe(false);
    // The safety snapshot holds what was there before the restore.
    expect(r.safety?.reason).toBe("pre-restore");
    expect(r.safety?.files.map((f) => f.host)).toEqual(["cursor", "lmstudio"]);
    expect(readSnapshotFile(ws, r.safety as Snapshot, r.safety?.files[0] as never)).toBe("changed\n");
  });

  test("a mode-only difference is restored", () => {
    const { ws, sys } = setup();
    const s = createSnapshot(ws, { reason: "manual", files: [both[0] as never] });
    const cur = sys.files.get(CURSOR);
    if (cur) sys.files.set(CURSOR, { ...cur, mode: 0o666 });
    const items = planRestore(ws, selectRestore([s], { id: s }).selections);
    expect(items[0]?.action).toBe("write");
    applyRestore(ws, items, { backup: false });
    expect(sys.stat(CURSOR)?.mode).toBe(0o640);
  });

  test("a file changed after a confirmed plan is not overwritten; one approved in advance is restored, the change kept in the safety snapshot", () => {
    const { ws, sys } = setup();
    const s = createSnapshot(ws, { reason: "manual", files: [both[0] as never] });
    const original = sys.readText(CURSOR);
    sys.writeAtomic(CURSOR, "one\n");
    const items = planRestore(ws, selectRestore([s], { id: s }).selections);
    sys.writeAtomic(CURSOR, "two\n");
    const r = applyRestore(ws, items, { backup: true, confirmed: true });
    expect(r.outcomes[0]?.status).toBe("failed");
    expect(r.outcomes[0]?.error).toContain("changed after the restore was confirmed");
    expect(sys.readText(CURSOR)).toBe("two\n");
    const r2 = applyRestore(ws, items, { backup: true });
    expect(r2.outcomes[0]?.status).toBe("restored");
    expect(sys.readText(CURSOR)).toBe(original);
    const safety = r2.safety as NonNullable<typeof r2.safety>;
    expect(readSnapshotFile(ws, safety, safety.files[0] as never)).toBe("two\n");
  });

  test("a damaged snapshot stops the plan before anything is written", () => {
    const { ws, sys } = setup();
    const s = createSnapshot(ws, { reason: "manual", files: both });
    const f = s.files[1] as { sha256: string };
    sys.writeAtomic(join(backupsDir(ws), "objects", f.sha256), "x");
    sys.writeAtomic(CURSOR, "changed\n");
    expect(() => planRestore(ws, selectRestore([s], { id: s }).selections)).toThrow(BackupCorruptError);
    expect(sys.readText(CURSOR)).toBe("changed\n");
  });
});

describe("planClean()", () => {
  const now = at("2026-03-01T00:00:00Z");
  const snap = (id: string, daysAgo: number, files: string[]): Snapshot => ({
    id,
    time: new Date(now.getTime() - daysAgo * 86_400_000).toISOString(),
    reason: "manual",
    files: files.map((p) => ({ host: p, path: `/${p}`, existed: false })),
  });
  // Newest first: a0 (today) … a4 (40 days ago); b only in two of them.
  const snaps = [
    snap("a0", 0, ["cursor"]),
    snap("a1", 1, ["cursor", "vscode"]),
    snap("a2", 35, ["cursor"]),
    snap("a3", 38, ["cursor", "vscode"]),
    snap("a4", 40, ["cursor"]),
  ];
  const ids = (p: ReturnType<typeof planClean>) => ({
    remove: p.remove.map((s) => s.id),
    prune: p.prune.map((x) => [x.snapshot.id, x.drop.map((f) => f.host)]),
  });

  test.each([
    ["--keep 2", { keep: 2 }, { remove: ["a2", "a4"], prune: [["a3", ["cursor"]]] }],
    [
      "--keep 0 drops everything (0 is not 'missing')",
      { keep: 0 },
      { remove: ["a0", "a1", "a2", "a3", "a4"], prune: [] },
    ],
    ["--older-than 30d", { olderThanMs: 30 * 86_400_000 }, { remove: ["a2", "a3", "a4"], prune: [] }],
    ["--older-than 37d", { olderThanMs: 37 * 86_400_000 }, { remove: ["a3", "a4"], prune: [] }],
    // Both: only what both allow: beyond the newest 4 of its file AND older than 30 days.
    ["--keep 4 --older-than 30d", { keep: 4, olderThanMs: 30 * 86_400_000 }, { remove: ["a4"], prune: [] }],
    [
      "--keep 1 --older-than 30d",
      { keep: 1, olderThanMs: 30 * 86_400_000 },
      { remove: ["a2", "a3", "a4"], prune: [] },
    ],
    ["--keep 1 --older-than 60d", { keep: 1, olderThanMs: 60 * 86_400_000 }, { remove: [], prune: [] }],
  ] as const)("%s", (_label, policy, want) => {
    expect(ids(planClean(snaps, { ...policy, now }))).toEqual(want as never);
  });

  test("--host only touches that host's entries", () => {
    const p = planClean(snaps, { keep: 0, hosts: [host("vscode", "/vscode")], now });
    expect(ids(p)).toEqual({
      remove: [],
      prune: [
        ["a1", ["vscode"]],
        ["a3", ["vscode"]],
      ],
    });
  });

  test("no policy is a usage error", () => {
    expect(() => planClean(snaps, {})).toThrow(UsageError);
  });
});

describe("parseDuration() and parseTime()", () => {
  test.each([
    ["90s", 90_000],
    ["15m", 900_000],
    ["12h", 43_200_000],
    ["30d", 2_592_000_000],
    ["1w", 604_800_000],
    ["1w2d", 777_600_000],
  ])("%s", (text, ms) => expect(parseDuration(text)).toBe(ms));

  test.each(["30", "d", "-1d", "3y", "", "1d x"])("%p is a usage error", (text) => {
    expect(() => parseDuration(text)).toThrow(UsageError);
  });

  test("parseTime() takes ISO dates and ages", () => {
    const now = at("2026-03-01T00:00:00Z");
    expect(parseTime("2026-01-31T12:00:00Z", now).toISOString()).toBe("2026-01-31T12:00:00.000Z");
    expect(parseTime("2d", now).toISOString()).toBe("2026-02-27T00:00:00.000Z");
    expect(() => parseTime("yesterday", now)).toThrow(UsageError);
  });
});

describe("cleanBackups()", () => {
  test("removes unreferenced objects and keeps shared ones; dry-run removes nothing", () => {
    const { ws, sys } = setup();
    createSnapshot(ws, { reason: "manual", files: both, now: at("2026-01-01T00:00:00Z") });
    sys.writeAtomic(CURSOR, "v2\n");
    createSnapshot(ws, { reason: "manual", files: both, now: at("2026-01-02T00:00:00Z") });
    expect(objectCount(ws, sys)).toBe(3);
    const dry = cleanBackups(ws, { keep: 1 }, { dryRun: true });
    expect(dry.plan.remove).toHaveLength(1);
    expect(dry.objects).toHaveLength(1);
    expect(objectCount(ws, sys)).toBe(3);
    expect(listSnapshots(ws).snapshots).toHaveLength(2);
    const r = cleanBackups(ws, { keep: 1 }, { dryRun: false });
    expect(r.objects).toHaveLength(1);
    expect(objectCount(ws, sys)).toBe(2); // vscode's content is shared and stays
    const left = listSnapshots(ws).snapshots;
    expect(left.map((s) => s.time)).toEqual(["2026-01-02T00:00:00.000Z"]);
    for (const f of left[0]?.files ?? [])
      expect(() => readSnapshotFile(ws, left[0] as Snapshot, f)).not.toThrow();
  });

  test("a damaged manifest stops object collection (its references are unknown)", () => {
    const { ws, sys } = setup();
    createSnapshot(ws, { reason: "manual", files: both, now: at("2026-01-01T00:00:00Z") });
    sys.writeAtomic(join(backupsDir(ws), "snapshots", "20260103T000000Z-abcdef.json"), "{");
    const r = cleanBackups(ws, { keep: 0 }, { dryRun: false });
    expect(r.problems).toHaveLength(1);
    expect(r.objects).toHaveLength(0);
    expect(objectCount(ws, sys)).toBe(2);
  });
});

describe("the object store's layout", () => {
  // Stores written before 2026-12 keep objects in fan-out directories (objects/ab/<sha256>).
  const legacy = (ws: Workspace, hash: string) => join(backupsDir(ws), "objects", hash.slice(0, 2), hash);

  test("an object of an older store (objects/ab/<sha256>) is read, counted as stored and cleaned", () => {
    const { ws, sys } = setup();
    const s = createSnapshot(ws, { reason: "manual", files: both });
    const f = s.files[0] as { sha256: string };
    const flat = join(backupsDir(ws), "objects", f.sha256);
    const text = sys.readText(flat) as string;
    sys.remove(flat);
    sys.writeAtomic(legacy(ws, f.sha256), text, { mode: 0o600 });
    expect(readSnapshotFile(ws, s, s.files[0] as never)).toBe(text);
    expect(verifySnapshot(ws, s)).toEqual([]);
    // Held already: a new snapshot of the same content adds no object.
    expect(takeSnapshot(ws, { reason: "manual", files: [both[0] as never] }).newObjects).toBe(0);
    expect(sys.exists(flat)).toBe(false);
    // Unreferenced once every snapshot is gone: clean removes it from its fan-out directory.
    const r = cleanBackups(ws, { keep: 0 }, { dryRun: false });
    expect(r.objects).toContain(legacy(ws, f.sha256));
    expect(sys.exists(legacy(ws, f.sha256))).toBe(false);
  });

  test("a damaged object of an older store is healed by a flat one, which reads win", () => {
    const { ws, sys } = setup();
    const s = createSnapshot(ws, { reason: "manual", files: both });
    const f = s.files[0] as { sha256: string };
    const flat = join(backupsDir(ws), "objects", f.sha256);
    sys.remove(flat);
    sys.writeAtomic(legacy(ws, f.sha256), "garbage", { mode: 0o600 });
    expect(() => readSnapshotFile(ws, s, s.files[0] as never)).toThrow(BackupCorruptError);
    expect(takeSnapshot(ws, { reason: "manual", files: both }).newObjects).toBe(1);
    expect(readSnapshotFile(ws, s, s.files[0] as never)).toBe('{"mcpServers": {}}\n');
  });

  test("content the caller read under its lock is stored as given, without reading the file again", () => {
    const { ws, sys } = setup();
    let reads = 0;
    const readBytes = sys.readBytes.bind(sys);
    sys.readBytes = (p: string) => {
      if (p === CURSOR || p === VSCODE) reads++;
      return readBytes(p);
    };
    const s = createSnapshot(ws, {
      reason: "sync",
      files: [
        { host: "cursor", path: CURSOR, content: '{"mcpServers": {}}\n' },
        { host: "vscode", path: "/h/.gemini/settings.json", content: null },
      ],
    });
    expect(reads).toBe(0);
    expect(s.files.map((f) => f.existed)).toEqual([true, false]);
    expect(s.files[0]?.sha256).toBe(sha256('{"mcpServers": {}}\n'));
    expect(s.files[0]?.mode).toBe(0o640);
    expect(readSnapshotFile(ws, s, s.files[0] as never)).toBe('{"mcpServers": {}}\n');
  });
});
