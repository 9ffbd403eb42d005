// Crash safety: the compiled binary syncs many servers into ten host files of every format and is
// killed with SIGKILL at random moments. Every file must then be exactly its old or its new bytes,
// the next sync must take over the dead process's locks at once and clean up its temp files, and
// the backup store must still verify.
import { beforeAll, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { json, jsonc } from "../../src/hosts/_format/jsonc.ts";
import { toml } from "../../src/hosts/_format/toml.ts";
import { yaml } from "../../src/hosts/_format/yaml.ts";
import {
  allDirs,
  BIN,
  claudeSource,
  FULL,
  record,
  requireBinary,
  rng,
  runs,
  strayTemps,
  TempHome,
} from "./helpers.ts";

beforeAll(requireBinary);

// Ten targets: JSON, JSONC (comments, tabs, CRLF, trailing commas), TOML (Codex), YAML (Goose).
export const TARGETS: Record<string, { type: string; file: string; text: string }> = {
  "t-claude": {
    type: "claude-desktop",
    file: "claude.json",
    text: '{\n  "mcpServers": {\n    "old": { "command": "node", "args": ["old.js"] }\n  },\n  "theme": "dark"\n}\n',
  },
  "t-kiro": { type: "kiro", file: "kiro.json", text: '{\n    "mcpServers": {}\n}\n' },
  "t-lmstudio": { type: "lmstudio", file: "lm.json", text: "{}\n" },
  "t-cursor": {
    type: "cursor",
    file: "cursor.json",
    text: '{\n  // mine\n  "mcpServers": {\n    "old": { "command": "node" }, // keep\n  }\n}\n',
  },
  "t-vscode": {
    type: "vscode",
    file: "vscode.json",
    text: '{\n\t// tabs\n\t"inputs": [],\n\t"servers": {}\n}\n',
  },
  "t-zed": {
    type: "zed",
    file: "zed.json",
    text: '// zed settings\n{\n  "theme": "One Dark",\n  "context_servers": {}\n}\n',
  },
  "t-gemini": { type: "gemini", file: "gemini.json", text: '{\r\n  "mcpServers": {}\r\n}\r\n' },
  "t-opencode": {
    type: "opencode",
    file: "opencode.json",
    text: '{\n  "$schema": "https://opencode.ai/config.json",\n  "mcp": {}\n}\n',
  },
  "t-codex": {
    type: "codex",
    file: "codex.toml",
    text: '# codex\nmodel = "o3"\n\n[mcp_servers.old]\ncommand = "node"\nargs = ["old.js"]\n',
  },
  "t-goose": {
    type: "goose",
    file: "goose.yaml",
    text: "# goose\nGOOSE_MODEL: gpt-4o\nextensions:\n  developer:\n    enabled: true\n    name: developer\n    type: builtin\n",
  },
};

const FORMATS = { json, jsonc, toml, yaml } as const;
function formatOf(type: string) {
  if (type === "codex") return FORMATS.toml;
  if (type === "goose") return FORMATS.yaml;
  return ["claude-desktop", "kiro", "lmstudio"].includes(type) ? FORMATS.json : FORMATS.jsonc;
}

/** A home with a source host of `n` servers and the ten targets as custom hosts in group "targets". */
export function seedHome(n: number): TempHome {
  const h = new TempHome();
  h.write("hosts/src.json", claudeSource(n));
  expect(
    h.run(["host", "add", "src", "--type", "claude-desktop", "--path", h.path("hosts/src.json")]).code,
  ).toBe(0);
  for (const [name, t] of Object.entries(TARGETS)) {
    h.write(join("hosts", t.file), t.text);
    const r = h.run(["host", "add", name, "--type", t.type, "--path", h.path("hosts", t.file)]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  }
  expect(h.run(["host", "group", "targets", Object.keys(TARGETS).join(",")]).code).toBe(0);
  return h;
}

const SYNC = ["mcp", "sync", "--from-host", "src", "--to-host", "targets", "--auto-approve"];

test("SIGKILL at random moments of a sync leaves every host file old or new, never torn", async () => {
  // The bounded form syncs 300 servers so that its 20 kills fit in `make test`.
  const servers = Number(process.env.HATCH_RELIABILITY_SERVERS) || (FULL ? 1000 : 300);
  const kills = runs(20, 200);
  const recoverEvery = 10;
  const h = seedHome(servers);
  const paths = Object.values(TARGETS).map((t) => h.path("hosts", t.file));
  const oldBytes = paths.map((p) => readFileSync(p, "utf8"));

  // Calibrate: one complete sync gives the new bytes and when, after the spawn, writing happens.
  const t0 = Date.now();
  const first = h.run(SYNC);
  const total = Date.now() - t0;
  expect(first.stderr).toBe("");
  expect(first.code).toBe(0);
  const newBytes = paths.map((p) => readFileSync(p, "utf8"));
  const { statSync } = await import("node:fs");
  const firstWrite = Math.min(...paths.map((p) => statSync(p).mtimeMs)) - t0;
  const lastWrite = Math.max(...paths.map((p) => statSync(p).mtimeMs)) - t0;
  for (const [i, t] of Object.values(TARGETS).entries()) {
    expect(newBytes[i]).not.toBe(oldBytes[i]);
    // Both known states parse: "old or new" is therefore always a readable file.
    formatOf(t.type).parse(oldBytes[i] as string, paths[i] as string);
    formatOf(t.type).parse(newBytes[i] as string, paths[i] as string);
  }

  const rand = rng(Number(process.env.HATCH_RELIABILITY_SEED) || 9);
  let failures = 0;
  let lost = 0;
  let mixed = 0; // kills that landed between the first and the last file written
  let strays = 0;
  const problems: string[] = [];
  // The write phase is ~10% of the window the aimed kills are spread over, so 20 kills can all
  // miss it (about one run in five): until one has landed mid-write, up to `kills` more follow,
  // aimed at the write phase alone (a run's timing drifts by a few ms from the calibration's).
  const limit = kills >= 20 ? 2 * kills : kills;
  let k = 0;
  for (; k < kills || (k < limit && mixed === 0); k++) {
    for (const [i, p] of paths.entries()) writeFileSync(p, oldBytes[i] as string);
    // A quarter of the kills land anywhere in the run, the rest around the write phase (backup,
    // then one atomic write per file), where they matter most.
    const [lo, hi] =
      k >= kills
        ? [Math.max(0, firstWrite - 10), lastWrite + 5]
        : k % 4 === 0
          ? [0, total + 100]
          : [Math.max(0, firstWrite - 60), lastWrite + 30];
    const delay = lo + rand() * (hi - lo);
    const proc = Bun.spawn([BIN, ...SYNC], {
      env: h.env(),
      cwd: h.home,
      stdin: "ignore",
      stdout: "ignore",
      stderr: "ignore",
    });
    await Bun.sleep(delay);
    proc.kill("SIGKILL");
    await proc.exited;
    let olds = 0;
    let news = 0;
    for (const [i, p] of paths.entries()) {
      let now: string | undefined;
      try {
        now = readFileSync(p, "utf8");
      } catch {
        now = undefined;
      }
      if (now === oldBytes[i]) olds++;
      else if (now === newBytes[i]) news++;
      else {
        lost++;
        problems.push(
          `kill ${k} at ${Math.round(delay)} ms: "${p}" is neither old nor new (${now?.length ?? "missing"})`,
        );
      }
    }
    if (olds > 0 && news > 0) mixed++;
    strays += strayTemps(allDirs(h.home)).length;

    if ((k + 1) % recoverEvery === 0 || k + 1 >= kills) {
      // The next sync takes over the dead process's locks without waiting for the timeout.
      const start = Date.now();
      const r = h.run(SYNC, { env: { HATCH_LOCK_TIMEOUT_MS: "120000" } });
      const took = Date.now() - start;
      if (
        r.code !== 0 ||
        r.stderr.includes("Waiting for another hatch process") ||
        took > total * 3 + 10_000
      ) {
        failures++;
        problems.push(`recovery after kill ${k}: exit ${r.code} in ${took} ms: ${r.stderr.slice(0, 300)}`);
      }
      for (const [i, p] of paths.entries()) {
        if (readFileSync(p, "utf8") !== newBytes[i]) {
          failures++;
          problems.push(`recovery after kill ${k}: "${p}" is not the synced content`);
        }
      }
      // Decision: temp files of killed runs are removed by the next write into their directory.
      const left = strayTemps([h.path("hosts"), h.path(".hatch", "backups", "snapshots")]);
      if (left.length > 0) {
        failures++;
        problems.push(`recovery after kill ${k}: temp files left: ${left.join(", ")}`);
      }
    }
  }
  const verify = h.run(["mcp", "backup", "verify"]);
  if (verify.code !== 0) {
    failures++;
    problems.push(`backup verify: exit ${verify.code}: ${verify.stdout}${verify.stderr}`);
  }
  const list = h.run(["mcp", "backup", "list", "--json"]);
  expect(list.code).toBe(0);
  await record({
    scenario: `kill -9 during sync (${servers} servers × 10 hosts)`,
    runs: k,
    failures: failures + lost,
    lost,
    note: `sync ${total} ms, writes at ${Math.round(firstWrite)}–${Math.round(lastWrite)} ms; ${mixed} kills landed mid-write; ${strays} stray temp files seen after kills, all removed by the next sync`,
  });
  expect(problems).toEqual([]);
  expect(lost).toBe(0);
  // The kills must have hit the write phase at least once, or this test proved nothing.
  if (kills >= 20) expect(mixed).toBeGreaterThan(0);
}, 1_800_000);
