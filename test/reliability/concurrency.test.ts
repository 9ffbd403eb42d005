// Concurrency: several hatch processes sync different sources into the same files at once, while
// backups are taken. No process may report success for a write that is then lost; the loser of a
// race must fail with the reason and exit non-zero; no file is ever corrupted.
import { beforeAll, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { json } from "../../src/hosts/_format/jsonc.ts";
import { toml } from "../../src/hosts/_format/toml.ts";
import { yaml } from "../../src/hosts/_format/yaml.ts";
import { claudeSource, record, requireBinary, runAsync, runs, TempHome } from "./helpers.ts";

beforeAll(requireBinary);

const WRITERS = 8;
const PER_SOURCE = 5;

const TARGETS = {
  "c-claude": { type: "claude-desktop", file: "claude.json", text: '{\n  "mcpServers": {}\n}\n' },
  "c-codex": { type: "codex", file: "config.toml", text: '# mine\nmodel = "o3"\n' },
  "c-goose": { type: "goose", file: "config.yaml", text: "# mine\nextensions: {}\n" },
} as const;

/** Server names in a target file, decoded by the file's own format. */
function namesIn(h: TempHome, name: keyof typeof TARGETS): Set<string> {
  const t = TARGETS[name];
  const p = h.path("hosts", t.file);
  const text = readFileSync(p, "utf8");
  type Doc = Record<string, Record<string, unknown> | undefined> | undefined;
  if (t.type === "codex") return new Set(Object.keys((toml.parse(text, p) as Doc)?.mcp_servers ?? {}));
  if (t.type === "goose") return new Set(Object.keys((yaml.parse(text, p) as Doc)?.extensions ?? {}));
  return new Set(Object.keys((json.parse(text, p) as Doc)?.mcpServers ?? {}));
}

function seed(): TempHome {
  const h = new TempHome();
  for (let w = 0; w < WRITERS; w++) {
    h.write(`hosts/src-${w}.json`, claudeSource(PER_SOURCE, `p${w}`));
    expect(
      h.run(["host", "add", `src-${w}`, "--type", "claude-desktop", "--path", h.path(`hosts/src-${w}.json`)])
        .code,
    ).toBe(0);
  }
  for (const [name, t] of Object.entries(TARGETS)) {
    h.write(join("hosts", t.file), t.text);
    expect(h.run(["host", "add", name, "--type", t.type, "--path", h.path("hosts", t.file)]).code).toBe(0);
  }
  expect(h.run(["host", "group", "shared", Object.keys(TARGETS).join(",")]).code).toBe(0);
  return h;
}

const names = (w: number) =>
  Array.from({ length: PER_SOURCE }, (_, i) => `p${w}-${String(i).padStart(4, "0")}`);

interface Outcome {
  host: string;
  status: string;
  error?: string;
}

test("parallel syncs into the same files: no lost update, losers fail and say why", async () => {
  const rounds = runs(1, 20);
  let runsTotal = 0;
  let failures = 0;
  let lost = 0;
  let raceLosses = 0;
  const problems: string[] = [];
  for (let round = 0; round < rounds; round++) {
    const h = seed();
    const env = { HATCH_LOCK_TIMEOUT_MS: "60000" };
    // Each writer retries after losing a race, as the message tells a user to; backups run alongside.
    const writer = async (w: number) => {
      for (let attempt = 0; attempt < 3 * WRITERS; attempt++) {
        const r = await runAsync(
          h,
          ["mcp", "sync", "--from-host", `src-${w}`, "--to-host", "shared", "--auto-approve", "--json"],
          env,
        );
        runsTotal++;
        let doc: { ok: boolean; outcomes: Outcome[] } | undefined;
        try {
          doc = JSON.parse(r.stdout);
        } catch {
          doc = undefined;
        }
        // Every host this run says it wrote must hold the writer's servers now and at the end.
        for (const o of doc?.outcomes ?? []) {
          if (o.status === "written") {
            const have = namesIn(h, o.host as keyof typeof TARGETS);
            // (Checked again at the end; here only that it was not a false report.)
            for (const n of names(w)) if (!have.has(n)) problems.push(`round ${round}: ${o.host} lacks ${n}`);
          }
        }
        if (r.code === 0) {
          if (!doc?.ok || doc.outcomes.some((o) => o.status === "failed")) {
            failures++;
            problems.push(`round ${round} writer ${w}: exit 0 with a failed host: ${r.stdout.slice(0, 300)}`);
          }
          return w;
        }
        raceLosses++;
        const why = (doc?.outcomes ?? []).filter((o) => o.status === "failed").map((o) => o.error ?? "");
        if (
          r.code !== 1 ||
          doc?.ok !== false ||
          !why.every((e) => /changed after it was read|Cannot lock/.test(e))
        ) {
          failures++;
          problems.push(
            `round ${round} writer ${w}: exit ${r.code} without a clear reason: ${r.stdout.slice(0, 300)}${r.stderr.slice(0, 300)}`,
          );
          return -1;
        }
      }
      problems.push(`round ${round} writer ${w}: never got through`);
      return -1;
    };
    const backups = async () => {
      for (let i = 0; i < 3; i++) {
        const r = await runAsync(h, ["mcp", "backup", "create", "--host", "shared", "--name", `b${i}`], env);
        runsTotal++;
        if (r.code !== 0) {
          failures++;
          problems.push(`round ${round}: backup create exit ${r.code}: ${r.stderr.slice(0, 300)}`);
        }
      }
    };
    const done = await Promise.all([...Array.from({ length: WRITERS }, (_, w) => writer(w)), backups()]);
    // Every writer that finished with success has all its servers in every shared file.
    for (const name of Object.keys(TARGETS) as (keyof typeof TARGETS)[]) {
      let have: Set<string>;
      try {
        have = namesIn(h, name);
      } catch (e) {
        lost++;
        problems.push(`round ${round}: ${name} does not parse: ${(e as Error).message}`);
        continue;
      }
      for (const w of done) {
        if (w === undefined || w < 0) continue;
        for (const n of names(w)) {
          if (!have.has(n)) {
            lost++;
            problems.push(`round ${round}: ${name} lost ${n} of writer ${w}`);
          }
        }
      }
    }
    const v = h.run(["mcp", "backup", "verify"]);
    if (v.code !== 0) {
      failures++;
      problems.push(`round ${round}: backup verify exit ${v.code}: ${v.stdout}${v.stderr}`);
    }
  }
  await record({
    scenario: `${WRITERS} parallel syncs + backups on 3 shared files`,
    runs: runsTotal,
    failures,
    lost,
    note: `${rounds} rounds; ${raceLosses} runs lost a race, exited 1 with the reason and were retried`,
  });
  expect(problems).toEqual([]);
  expect(lost).toBe(0);
}, 1_800_000);

test("a lock held by a live process: the sync waits, says so, then refuses with exit 1 and writes nothing", async () => {
  const h = seed();
  const file = h.path("hosts", "claude.json");
  const before = readFileSync(file, "utf8");
  // A live process (sleep) holds the lock of the target file.
  const holder = Bun.spawn(["sleep", "30"], { stdout: "ignore", stderr: "ignore" });
  try {
    const lockDir = h.path(".hatch", "locks");
    mkdirSync(lockDir, { recursive: true });
    const lock = join(
      lockDir,
      `${createHash("sha256").update(resolve(file)).digest("hex").slice(0, 24)}.lock`,
    );
    writeFileSync(
      lock,
      JSON.stringify({ pid: holder.pid, path: resolve(file), since: new Date().toISOString() }),
    );
    const start = Date.now();
    const r = h.run(["mcp", "sync", "--from-host", "src-0", "--to-host", "c-claude", "--auto-approve"], {
      env: { HATCH_LOCK_TIMEOUT_MS: "400" },
    });
    const took = Date.now() - start;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `Waiting for another hatch process (pid ${holder.pid}) to finish writing "${file}"`,
    );
    expect(r.stdout + r.stderr).toContain(`another hatch process (pid ${holder.pid}) is writing it`);
    expect(took).toBeLessThan(15_000);
    expect(readFileSync(file, "utf8")).toBe(before);
    // The holder dies without releasing (kill -9): the next sync takes the lock over at once.
    holder.kill("SIGKILL");
    await holder.exited;
    const r2 = h.run(["mcp", "sync", "--from-host", "src-0", "--to-host", "c-claude", "--auto-approve"], {
      env: { HATCH_LOCK_TIMEOUT_MS: "60000" },
    });
    expect(r2.stderr).toBe("");
    expect(r2.code).toBe(0);
    expect(namesIn(h, "c-claude")).toEqual(new Set(names(0)));
  } finally {
    holder.kill("SIGKILL");
  }
});
