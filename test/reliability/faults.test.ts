// Faults through the system seam: a System that fails the way disks and file systems fail (ENOSPC,
// EACCES, EROFS, EXDEV, EIO), a file replaced by a directory, a file changed by the host app between
// plan and apply. The failing host keeps its bytes, says why, and the other hosts are still written.
import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { sync } from "../../src/api/sync.ts";
import { defaultWorkspace, type Workspace } from "../../src/store/workspace.ts";
import { ApplyError } from "../../src/core/errors.ts";
import { type AtomicFile, RealSystem, type WriteOptions } from "../../src/system/system.ts";
import { claudeSource, record, runs, strayTemps } from "./helpers.ts";

type Op = "write" | "read";
interface Fault {
  op: Op;
  /** Fails paths that contain this. */
  suffix: string;
  code: string;
  /** Fail only from the n-th matching call on (0 = first), so a plan's reads can pass and apply's fail. */
  after?: number;
}

function errnoError(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  const e = new Error(`${code}: simulated, ${syscall} '${path}'`) as NodeJS.ErrnoException;
  e.code = code;
  e.syscall = syscall;
  e.path = path;
  return e;
}

/** The real file system, failing where told: a write fails after its temp file was half written. */
class FaultySystem extends RealSystem {
  readonly calls = new Map<Fault, number>();
  constructor(readonly faults: Fault[]) {
    super();
  }
  #hit(op: Op, path: string): Fault | undefined {
    for (const f of this.faults) {
      if (f.op !== op || !path.includes(f.suffix)) continue;
      const n = this.calls.get(f) ?? 0;
      this.calls.set(f, n + 1);
      if (n >= (f.after ?? 0)) return f;
    }
    return undefined;
  }
  override readText(path: string): string | undefined {
    const f = this.#hit("read", path);
    if (f) throw errnoError(f.code, "open", path);
    return super.readText(path);
  }
  // A batch (the backup store's objects) meets the same faults, file by file.
  override writeAtomicMany(files: readonly AtomicFile[]): void {
    let batch: AtomicFile[] = [];
    for (const f of files) {
      if (!this.faults.some((x) => x.op === "write" && f.path.includes(x.suffix))) {
        batch.push(f);
        continue;
      }
      super.writeAtomicMany(batch);
      batch = [];
      this.writeAtomic(f.path, f.data as string, f.opts);
    }
    super.writeAtomicMany(batch);
  }
  override writeAtomic(path: string, text: string, opts?: WriteOptions): void {
    const f = this.#hit("write", path);
    if (!f) {
      super.writeAtomic(path, text, opts);
      return;
    }
    // What a disk does mid-write: part of the temp file lands, then the call fails. The real
    // writeAtomic's own clean-up is exercised by the directory-in-the-way test below.
    const tmp = join(dirname(path), `.${basename(path)}.hatch-${process.pid}-fault.tmp`);
    writeFileSync(tmp, text.slice(0, text.length >> 1));
    rmSync(tmp, { force: true });
    throw new ApplyError(
      `Cannot write "${path}": ${
        {
          ENOSPC: "no space left on the device",
          EACCES: "permission denied",
          EROFS: "the file system is read-only",
        }[f.code] ?? `${f.code}: simulated, rename`
      }`,
      undefined,
      path,
      { cause: errnoError(f.code, "write", path) },
    );
  }
}

const FILES = {
  "claude-desktop": [
    ".config/Claude/claude_desktop_config.json",
    '{\n  "mcpServers": {},\n  "theme": "dark"\n}\n',
  ],
  codex: [".codex/config.toml", '# mine\nmodel = "o3"\n'],
  goose: [".config/goose/config.yaml", "# mine\nextensions: {}\n"],
  cursor: [".cursor/mcp.json", '{\n  // mine\n  "mcpServers": {}\n}\n'],
} as const;
type HostId = keyof typeof FILES;
const IDS = Object.keys(FILES) as HostId[];

function setup(faults: Fault[]): {
  ws: Workspace;
  sys: FaultySystem;
  path: (id: HostId) => string;
  home: string;
} {
  const home = mkdtempSync(join(tmpdir(), "hatch-faults-"));
  const path = (id: HostId) => join(home, FILES[id][0]);
  for (const id of IDS) {
    mkdirSync(dirname(path(id)), { recursive: true });
    writeFileSync(path(id), FILES[id][1]);
  }
  mkdirSync(join(home, ".lmstudio"), { recursive: true });
  writeFileSync(join(home, ".lmstudio", "mcp.json"), claudeSource(5));
  const sys = new FaultySystem(faults);
  const ws = defaultWorkspace(
    { HOME: home, HATCH_HOME: join(home, ".hatch"), HATCH_PLATFORM: "linux", PATH: "/usr/bin" },
    sys,
  );
  return { ws, sys, path, home };
}

function base(ws: Workspace) {
  return sync()
    .withWorkspace(ws)
    .from("lmstudio")
    .to(...IDS);
}

let scenarios = 0;
const failed = 0;

describe("a write that fails at the seam: that host fails with the reason, its file intact; the others are written", () => {
  const cases: [string, string][] = [
    ["ENOSPC", "no space left on the device"],
    ["EACCES", "permission denied"],
    ["EROFS", "the file system is read-only"],
    ["EXDEV", "EXDEV"],
    ["EIO", "EIO"],
  ];
  test.each(cases)("%s", async (code, reason) => {
    for (let i = 0; i < runs(1, 10); i++) {
      for (const victim of IDS) {
        scenarios++;
        const { ws, path, home } = setup([{ op: "write", suffix: FILES[victim][0], code }]);
        const r = await base(ws).apply();
        expect(r.ok).toBe(false);
        for (const o of r.outcomes) {
          const id = o.host as HostId;
          if (id === victim) {
            expect(o.status).toBe("failed");
            expect(o.error).toContain(reason);
            expect(o.error).toContain(path(id));
            expect(readFileSync(path(id), "utf8")).toBe(FILES[id][1]);
          } else {
            expect(o.status).toBe("written");
            expect(readFileSync(path(id), "utf8")).toContain("srv-0004");
          }
        }
        expect(r.outcomes.length).toBe(IDS.length);
        // The backup taken before the write holds the victim's original content.
        expect(r.backupId).toBeDefined();
        expect(strayTemps(IDS.map((id) => dirname(path(id))))).toEqual([]);
        rmSync(home, { recursive: true, force: true });
      }
    }
  });
});

describe("other faults", () => {
  test("the backup store cannot be written (ENOSPC): the sync fails before any host file is touched", async () => {
    scenarios++;
    const { ws, path } = setup([{ op: "write", suffix: `${join(".hatch", "backups")}/`, code: "ENOSPC" }]);
    await expect(base(ws).apply()).rejects.toThrow(/Cannot create a backup.*no space left on the device/);
    for (const id of IDS) expect(readFileSync(path(id), "utf8")).toBe(FILES[id][1]);
  });

  test("a file that cannot be read again at apply time (EACCES) fails alone", async () => {
    scenarios++;
    // The plan's read passes; apply's re-read (the second read of the file) is refused.
    const { ws, path } = setup([{ op: "read", suffix: FILES.codex[0], code: "EACCES", after: 1 }]);
    const r = await base(ws).apply();
    const codex = r.outcomes.find((o) => o.host === "codex");
    expect(codex?.status).toBe("failed");
    expect(codex?.error).toContain("EACCES");
    expect(readFileSync(path("codex"), "utf8")).toBe(FILES.codex[1]);
    expect(r.outcomes.filter((o) => o.status === "written").length).toBe(IDS.length - 1);
  });

  test("the host app changes a file between plan and apply: a run approved in advance plans it again and keeps the change; a confirmed one stops for it", async () => {
    for (const victim of IDS) {
      scenarios++;
      const { ws, path } = setup([]);
      const b = base(ws);
      const plan = await b.plan();
      const theirs = `${FILES[victim][1]}${victim === "codex" || victim === "goose" ? "# edited by the app\n" : " "}`;
      writeFileSync(path(victim), theirs);
      const r = await b.applyPlan(plan);
      expect(r.ok).toBe(true);
      const o = r.outcomes.find((x) => x.host === victim);
      expect(o).toEqual(expect.objectContaining({ status: "written", replanned: true }));
      const now = readFileSync(path(victim), "utf8");
      expect(now).toContain("srv-0004");
      if (victim === "codex" || victim === "goose") expect(now).toContain("# edited by the app");
      for (const id of IDS.filter((x) => x !== victim))
        expect(readFileSync(path(id), "utf8")).toContain("srv-0004");
    }
    for (const victim of IDS) {
      scenarios++;
      const { ws, path } = setup([]);
      const b = base(ws);
      const plan = await b.plan();
      const theirs = `${FILES[victim][1]}${victim === "codex" || victim === "goose" ? "# edited by the app\n" : " "}`;
      writeFileSync(path(victim), theirs);
      // A change that only touches bytes outside the servers does not change what was confirmed:
      // the re-plan is written. A change to the planned servers themselves stops the host.
      const r = await b.applyPlan(plan, { confirmed: true });
      const o = r.outcomes.find((x) => x.host === victim);
      expect(o?.status).toBe("written");
      expect(readFileSync(path(victim), "utf8")).toContain("srv-0004");
    }
  });

  test("a file deleted by the host app between plan and apply is planned again from nothing; a confirmed run stops where the re-plan differs from what was confirmed", async () => {
    scenarios++;
    const { ws, path } = setup([]);
    const b = base(ws);
    const plan = await b.plan();
    rmSync(path("goose"));
    const r = await b.applyPlan(plan, { confirmed: true });
    // The same servers are added to the new file as to the old one: what was confirmed holds.
    expect(r.outcomes.find((x) => x.host === "goose")?.status).toBe("written");
    expect(readFileSync(path("goose"), "utf8")).toContain("srv-0004");
    const fresh = setup([]);
    const b2 = base(fresh.ws);
    const plan2 = await b2.plan();
    // The app adds one of the planned servers itself, differently: that server's change is not
    // the one confirmed any more (an update instead of an add).
    writeFileSync(fresh.path("cursor"), JSON.stringify({ mcpServers: { "srv-0001": { command: "other" } } }));
    const before = readFileSync(fresh.path("cursor"), "utf8");
    const r2 = await b2.applyPlan(plan2, { confirmed: true });
    const o = r2.outcomes.find((x) => x.host === "cursor");
    expect(o?.status).toBe("failed");
    expect(o?.error).toContain('"srv-0001"');
    expect(readFileSync(fresh.path("cursor"), "utf8")).toBe(before);
  });

  test("a file replaced by a directory between plan and apply: failed with the reason, nothing else touched", async () => {
    scenarios++;
    const { ws, path } = setup([]);
    const b = base(ws);
    const plan = await b.plan();
    rmSync(path("cursor"));
    mkdirSync(path("cursor"));
    writeFileSync(join(path("cursor"), "keep"), "x");
    const r = await b.applyPlan(plan);
    const o = r.outcomes.find((x) => x.host === "cursor");
    expect(o?.status).toBe("failed");
    expect(o?.error).toContain("is a directory");
    expect(readdirSync(path("cursor"))).toEqual(["keep"]);
    expect(r.outcomes.filter((x) => x.status === "written").length).toBe(IDS.length - 1);
  });

  test("RealSystem.writeAtomic onto a directory: the rename fails, the temp file is removed, the directory kept", () => {
    scenarios++;
    const home = mkdtempSync(join(tmpdir(), "hatch-faults-"));
    const p = join(home, "mcp.json");
    mkdirSync(p);
    writeFileSync(join(p, "keep"), "x");
    expect(() => new RealSystem().writeAtomic(p, "{}\n")).toThrow(/Cannot write .*mcp\.json/);
    expect(readdirSync(home)).toEqual(["mcp.json"]);
    expect(readdirSync(p)).toEqual(["keep"]);
  });

  test("RealSystem.writeAtomic removes the temp files of dead processes, never a live one's", () => {
    const home = mkdtempSync(join(tmpdir(), "hatch-faults-"));
    const p = join(home, "mcp.json");
    writeFileSync(p, "{}\n");
    // pid 2^22+1 is above Linux's pid_max: never a live process.
    const dead = join(home, `.mcp.json.hatch-${2 ** 22 + 1}-abc.tmp`);
    const live = join(home, `.mcp.json.hatch-${process.pid}-abc.tmp`);
    const other = join(home, ".other.json.hatch-1x.tmp");
    for (const f of [dead, live, other]) writeFileSync(f, "partial");
    new RealSystem().writeAtomic(p, '{"a": 1}\n');
    expect(readFileSync(p, "utf8")).toBe('{"a": 1}\n');
    expect(readdirSync(home).sort()).toEqual([basename(live), basename(other), "mcp.json"].sort());
  });

  test("record", async () => {
    await record({
      scenario: "injected faults (ENOSPC, EACCES, EROFS, EXDEV, EIO, dir, concurrent edit)",
      runs: scenarios,
      failures: failed,
      lost: 0,
    });
  });
});
