// Sixteen syncs started together, each adding a different server, into the same JSON, JSONC, TOML
// and YAML files: every run exits 0 (a file that changed since a run planned is planned again
// under the lock, PRODUCT.md Concurrency) and every file ends up holding all sixteen servers, its
// comments kept.
import { beforeAll, expect, test } from "bun:test";
import { json, jsonc } from "../../src/hosts/_format/jsonc.ts";
import { toml } from "../../src/hosts/_format/toml.ts";
import { yaml } from "../../src/hosts/_format/yaml.ts";
import { BIN, envYaml, requireBinary, stdio, TempHome } from "./harness.ts";

beforeAll(requireBinary);

const N = 16;
const FILES = {
  "t-json": {
    type: "claude-desktop",
    file: "t/claude.json",
    text: '{\n  "mcpServers": {}\n}\n',
    key: "mcpServers",
  },
  "t-jsonc": {
    type: "vscode",
    file: "t/vscode.json",
    text: '// team file\n{\n  "servers": {\n    // keep me\n  },\n}\n',
    key: "servers",
  },
  "t-toml": { type: "codex", file: "t/config.toml", text: '# mine\nmodel = "o3"\n', key: "mcp_servers" },
  "t-yaml": { type: "goose", file: "t/config.yaml", text: "# mine\nextensions: {}\n", key: "extensions" },
} as const;

function names(h: TempHome, t: (typeof FILES)[keyof typeof FILES]): string[] {
  const p = h.path(t.file);
  const text = h.read(t.file);
  const doc = (
    t.type === "codex" ? toml : t.type === "goose" ? yaml : t.type === "vscode" ? jsonc : json
  ).parse(text, p) as Record<string, Record<string, unknown>>;
  return Object.keys(doc[t.key] ?? {}).sort();
}

test("16 concurrent syncs of different servers into the same JSON, JSONC, TOML and YAML files all succeed and lose nothing", async () => {
  const h = new TempHome();
  for (const [name, t] of Object.entries(FILES)) {
    h.write(t.file, t.text);
    expect(h.run(["host", "add", name, "--type", t.type, "--path", h.path(t.file)]).code).toBe(0);
  }
  expect(h.run(["host", "group", "shared", Object.keys(FILES).join(",")]).code).toBe(0);
  const server = (i: number) => `s${String(i).padStart(2, "0")}`;
  for (let i = 0; i < N; i++) h.write(`.hatch/envs/e${i}.yaml`, envYaml(`env ${i}`, stdio(server(i))));
  const runs = await Promise.all(
    Array.from({ length: N }, async (_, i) => {
      const p = Bun.spawn(
        [BIN, "mcp", "sync", "--from-env", `e${i}`, "--to-host", "shared", "--auto-approve", "--json"],
        { env: h.env({ HATCH_LOCK_TIMEOUT_MS: "120000" }), cwd: h.home, stdout: "pipe", stderr: "pipe" },
      );
      const [stdout, stderr, code] = await Promise.all([
        new Response(p.stdout).text(),
        new Response(p.stderr).text(),
        p.exited,
      ]);
      return { i, code, stdout, stderr };
    }),
  );
  for (const r of runs) {
    // Waiting for another run's lock is said on stderr; nothing else may be.
    const said = r.stderr.split("\n").filter((l) => l && !l.startsWith("Waiting for another hatch process"));
    expect({ i: r.i, code: r.code, said }).toEqual({ i: r.i, code: 0, said: [] });
    const doc = JSON.parse(r.stdout) as { ok: boolean; outcomes: { status: string }[] };
    expect(doc.ok).toBe(true);
    expect(doc.outcomes.every((o) => o.status === "written")).toBe(true);
  }
  const all = Array.from({ length: N }, (_, i) => server(i));
  for (const t of Object.values(FILES)) expect(names(h, t)).toEqual(all);
  expect(h.read(FILES["t-jsonc"].file)).toContain("// team file");
  expect(h.read(FILES["t-jsonc"].file)).toContain("// keep me");
  expect(h.read(FILES["t-toml"].file)).toStartWith('# mine\nmodel = "o3"\n');
  expect(h.read(FILES["t-yaml"].file)).toStartWith("# mine\n");
  // At least some runs found a file changed under them: the re-plan is what made them succeed.
  const replanned = runs.filter((r) => r.stdout.includes('"replanned": true')).length;
  expect(replanned).toBeGreaterThan(0);
}, 240_000);
