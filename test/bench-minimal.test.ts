// scripts/bench-minimal.ts is the floor `make bench` holds hatch to (bench/RESULTS.md): the
// smallest program writing the same servers into the same files. A floor that skipped a file, a
// server or a format would flatter the comparison, so it is held here to writing every one.
import { expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jsonc as jsoncFormat } from "../src/hosts/_format/jsonc.ts";

const SCRIPT = join(import.meta.dir, "..", "scripts", "bench-minimal.ts");

function seed() {
  const dir = mkdtempSync(join(tmpdir(), "hatch-minimal-"));
  const source = join(dir, "claude.json");
  const servers = {
    "a-local": { type: "stdio", command: "npx", args: ["-y", "a"], env: { K: "v" } },
    "b-remote": { type: "http", url: "https://b.example.com/mcp", headers: { "X-T": "t" } },
  };
  writeFileSync(source, JSON.stringify({ theme: "dark", mcpServers: servers }, null, 2));
  const files = {
    json: join(dir, "Claude", "claude_desktop_config.json"),
    jsonc: join(dir, "settings.json"),
    toml: join(dir, "config.toml"),
    yaml: join(dir, "config.yaml"),
  };
  const texts = {
    json: '{\n  "theme": "dark",\n  "mcpServers": {\n    "mine": { "command": "uvx" }\n  }\n}\n',
    jsonc:
      '// mine\n{\n  "font": 14, // big\n  "context_servers": {\n    "mine": { "command": "uvx" },\n  }\n}\n',
    toml: '# codex\nmodel = "o3"\n\n[mcp_servers.mine]\ncommand = "uvx"\n',
    yaml: "# goose\nGOOSE_MODEL: gpt-4o\nextensions:\n  mine:\n    cmd: uvx\n",
  };
  for (const k of Object.keys(files) as (keyof typeof files)[]) {
    Bun.spawnSync(["mkdir", "-p", join(files[k], "..")]);
    writeFileSync(files[k], texts[k]);
  }
  return { dir, source, files };
}

for (const backup of [true, false]) {
  test(`writes every server into JSON, JSONC, TOML and YAML${backup ? ", with its backup" : ", --no-backup"}`, () => {
    const { dir, source, files } = seed();
    const trace = join(dir, "trace.jsonl");
    const backups = join(dir, "backups");
    const r = Bun.spawnSync(
      [
        process.execPath,
        SCRIPT,
        ...(backup ? [] : ["--no-backup"]),
        backups,
        source,
        ...Object.values(files),
      ],
      { env: { ...process.env, HATCH_TRACE: trace }, stderr: "pipe" },
    );
    expect(r.stderr.toString()).toBe("");
    expect(r.exitCode).toBe(0);
    const json = JSON.parse(readFileSync(files.json, "utf8"));
    // Claude Desktop takes local servers only; the user's own entry and settings stay.
    expect(Object.keys(json.mcpServers)).toEqual(["mine", "a-local"]);
    expect(json.theme).toBe("dark");
    const jsonc = readFileSync(files.jsonc, "utf8");
    expect(jsonc).toContain("// big");
    const plain = jsoncFormat.parse(jsonc, files.jsonc) as Record<string, Record<string, unknown>>;
    expect(Object.keys(plain.context_servers ?? {})).toEqual(["mine", "a-local", "b-remote"]);
    const toml = Bun.TOML.parse(readFileSync(files.toml, "utf8")) as Record<string, unknown> & {
      mcp_servers?: Record<string, unknown>;
    };
    expect(toml.model).toBe("o3");
    expect(toml.mcp_servers?.["a-local"]).toEqual({
      type: "stdio",
      command: "npx",
      args: ["-y", "a"],
      env: { K: "v" },
    });
    expect(Object.keys(toml.mcp_servers ?? {})).toEqual(["mine", "a-local", "b-remote"]);
    const yaml = Bun.YAML.parse(readFileSync(files.yaml, "utf8")) as Record<string, Record<string, unknown>>;
    expect(Object.keys(yaml.extensions ?? {})).toEqual(["mine", "a-local", "b-remote"]);
    expect(yaml.extensions?.["b-remote"]).toEqual({
      type: "http",
      url: "https://b.example.com/mcp",
      headers: { "X-T": "t" },
    });
    // Its phases, as the bench reads them; the backup's only when it makes one.
    const marks = (JSON.parse(readFileSync(trace, "utf8").trim()) as [string, number][]).map(([l]) => l);
    const planned = Object.values(files).map((f) => `planned ${f}`);
    const before = ["entry", "source read", ...planned, "read and planned"];
    expect(marks).toEqual(backup ? [...before, "backed up", "written", "recorded"] : [...before, "written"]);
    expect(readdirSync(dir).includes("backups")).toBe(backup);
  });
}
