// The smallest program doing a sync's work, for `make bench` to measure beside hatch
// (scripts/bench.ts): the floor a claim of "cannot go below" is held to. No selection, no
// conversion rules, no locks, no output; only what every correct run must do:
// read the source and each target, add the servers to the target's container (its last top-level
// key, where the bench's seeds put it) as text, back the originals up (content-addressed objects
// and a manifest, each written atomically and fsync'd), write each target atomically (fsync,
// rename, fsync of its directory), read it back and compare, then record what was written
// (objects and the manifest again). With --no-backup, neither backup nor record.
//
// Formats by extension: JSON or JSONC (text inserted before the container's closing brace),
// TOML (`.toml`: one `[key."name"]` table a server appended) and YAML (`.yaml`: one flow-style line
// a server appended under the container). As hatch does, a JSON file's new text is checked before
// it is written, by one JSON.parse of it with the original's comments and trailing commas blanked
// (the inserted text has none) and one comparison with the intended value, and every file is read
// back after its write and compared byte for byte. A TOML or YAML file's new text is not parsed:
// Bun's built-in parsers take 11–16 ms for 1,000 servers, more than hatch's whole check of such a
// file, and the emitters here are held to them by test/bench-minimal.test.ts instead. Entries keep
// the source's (Claude Code's) shape in every file, and only Claude Desktop leaves remote servers
// out: hatch converts each entry to the host's keys, which take about as many bytes. So this is a
// floor (what a program writing these files safely pays here), not a rival.
//
// With HATCH_TRACE=FILE it appends its phase marks as hatch does (src/system/trace.ts), so the
// bench can put the two side by side phase by phase.
//
//   bun scripts/bench-minimal.ts [--no-backup] BACKUP_DIR SOURCE TARGET...
import {
  appendFileSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from "node:fs";
import { dirname, join } from "node:path";

const marks: [string, number][] = [["entry", performance.now()]];
const mark = (label: string) => marks.push([label, performance.now()]);

const argv = process.argv.slice(2);
const noBackup = argv[0] === "--no-backup";
const [backups, source, ...targets] = (noBackup ? argv.slice(1) : argv) as [string, string, ...string[]];

function writeAtomic(path: string, text: string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w", 0o600);
  writeSync(fd, text);
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, path);
  const dfd = openSync(dir, "r");
  fsyncSync(dfd);
  closeSync(dfd);
}

function storeObject(text: string): string {
  const hash = new Bun.CryptoHasher("sha256").update(text).digest("hex");
  writeAtomic(join(backups, "objects", hash.slice(0, 2), hash), text);
  return hash;
}

type Entry = Record<string, unknown>;
const servers = JSON.parse(readFileSync(source, "utf8")).mcpServers as Record<string, Entry>;
mark("source read");
/** A string (kept), a comment or a trailing comma: blanked in place, offsets kept. */
const JSONC_BLANKS = /("(?:[^"\\]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\/|,(?=\s*[}\]])/g;
const blanked = (text: string) => text.replace(JSONC_BLANKS, (m, str) => str ?? m.replace(/[^\n]/g, " "));

interface Format {
  parse(text: string): Record<string, unknown>;
  /** Whether the new text is parsed and compared before it is written (JSON; see above). */
  checked: boolean;
  /** `text` with the entries added to the container `key` (the file's last top-level key). */
  add(text: string, key: string, entries: [string, Entry][]): string;
}

/** A TOML value of the source's entries: strings, arrays of strings, tables of strings. */
const tomlValue = (v: unknown): string =>
  typeof v === "object" && v !== null && !Array.isArray(v)
    ? `{ ${Object.entries(v)
        .map(([k, x]) => `${JSON.stringify(k)} = ${JSON.stringify(x)}`)
        .join(", ")} }`
    : JSON.stringify(v);

const FORMATS: Record<"json" | "toml" | "yaml", Format> = {
  json: {
    parse: (text) => JSON.parse(blanked(text)),
    checked: true,
    add(text, _key, entries) {
      const close = text.lastIndexOf("}", text.lastIndexOf("}") - 1);
      const body = entries
        .map(([name, s]) => `    ${JSON.stringify(name)}: ${JSON.stringify(s)}`)
        .join(",\n");
      const before = text.slice(0, close).trimEnd();
      return `${before}${before.endsWith(",") ? "" : ","}\n${body}\n  ${text.slice(close)}`;
    },
  },
  toml: {
    parse: (text) => Bun.TOML.parse(text) as Record<string, unknown>,
    checked: false,
    add(text, key, entries) {
      const parts = [text.trimEnd(), "\n"];
      for (const [name, s] of entries) {
        parts.push(`\n[${key}.${JSON.stringify(name)}]\n`);
        for (const [k, v] of Object.entries(s)) parts.push(`${k} = ${tomlValue(v)}\n`);
      }
      return parts.join("");
    },
  },
  yaml: {
    parse: (text) => Bun.YAML.parse(text) as Record<string, unknown>,
    checked: false,
    add(text, _key, entries) {
      const body = entries.map(([name, s]) => `  ${JSON.stringify(name)}: ${JSON.stringify(s)}\n`).join("");
      return `${text.endsWith("\n") ? text : `${text}\n`}${body}`;
    },
  },
};

const found = targets.map((path) => {
  const format = FORMATS[path.endsWith(".toml") ? "toml" : path.endsWith(".yaml") ? "yaml" : "json"];
  const text = readFileSync(path, "utf8");
  const value = format.parse(text);
  const key = Object.keys(value).at(-1) as string;
  // Claude Desktop takes only local servers.
  const take = Object.entries(servers).filter(([, s]) => !(path.includes("Claude") && "url" in s));
  const newText = format.add(text, key, take);
  if (format.checked) {
    // The intended value, and the new text as JSON.parse reads it: the original's comments
    // blanked, with the same text inserted.
    const container = value[key] as Record<string, unknown>;
    for (const [name, s] of take) container[name] = s;
    if (JSON.stringify(JSON.parse(format.add(blanked(text), key, take))) !== JSON.stringify(value))
      throw new Error(`${path}: the new text does not read back as planned`);
  }
  // Per file, as hatch marks each host it plans (the bench's per-file table).
  mark(`planned ${path}`);
  return { path, text, newText };
});
mark("read and planned");
const manifest = noBackup
  ? undefined
  : { files: found.map((f) => ({ path: f.path, found: storeObject(f.text) })) };
const id = `${Date.now()}`;
if (manifest) {
  writeAtomic(join(backups, "snapshots", `${id}.json`), JSON.stringify(manifest, null, 2));
  mark("backed up");
}
for (const f of found) {
  writeAtomic(f.path, f.newText);
  if (readFileSync(f.path, "utf8") !== f.newText) throw new Error(`${f.path} does not read back`);
}
mark("written");
if (manifest) {
  const written = found.map((f, i) => ({ ...manifest.files[i], written: storeObject(f.newText) }));
  writeAtomic(join(backups, "snapshots", `${id}.json`), JSON.stringify({ files: written }, null, 2));
  mark("recorded");
}
if (process.env.HATCH_TRACE) appendFileSync(process.env.HATCH_TRACE, `${JSON.stringify(marks)}\n`);
