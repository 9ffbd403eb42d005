// The smallest program doing the everyday sync's work, for `make bench` to measure beside hatch
// (scripts/bench.ts): the floor a claim of "cannot go below" is held to. No selection, no
// conversion rules, no locks, no output; only what every correct run must do:
// read the source and each target (JSON or JSONC), add the servers to `mcpServers` as text,
// back the originals up (content-addressed objects and a manifest, each written atomically and
// fsync'd), write each target atomically (fsync, rename, fsync of its directory), read it back
// and compare, then record what was written (objects and the manifest again).
//
// With HATCH_TRACE=FILE it appends its phase marks as hatch does (src/system/trace.ts), so the
// bench can put the two side by side phase by phase.
//
//   bun scripts/bench-minimal.ts BACKUP_DIR SOURCE TARGET...
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

const [backups, source, ...targets] = process.argv.slice(2) as [string, string, ...string[]];

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

const servers = JSON.parse(readFileSync(source, "utf8")).mcpServers as Record<
  string,
  Record<string, unknown>
>;
const STRIP = /("(?:[^"\\]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\/|,(?=\s*[}\]])/g;
const found = targets.map((path) => {
  const text = readFileSync(path, "utf8");
  const value = JSON.parse(text.replace(STRIP, (_m, s) => s ?? " "));
  // Claude Desktop takes only local servers.
  const take = Object.entries(servers).filter(([, s]) => !(path.includes("Claude") && "url" in s));
  const close = text.lastIndexOf("}", text.lastIndexOf("}") - 1);
  const body = take.map(([name, s]) => `    ${JSON.stringify(name)}: ${JSON.stringify(s)}`).join(",\n");
  const newText = `${text.slice(0, close).trimEnd()},\n${body}\n  ${text.slice(close)}`;
  const container = value.servers ?? value.mcpServers;
  for (const [name, s] of take) container[name] = s;
  return { path, text, newText, want: JSON.stringify(value) };
});
mark("read and planned");
const manifest = { files: found.map((f) => ({ path: f.path, found: storeObject(f.text) })) };
const id = `${Date.now()}`;
writeAtomic(join(backups, "snapshots", `${id}.json`), JSON.stringify(manifest, null, 2));
mark("backed up");
for (const f of found) {
  writeAtomic(f.path, f.newText);
  const back = readFileSync(f.path, "utf8");
  if (JSON.stringify(JSON.parse(back.replace(STRIP, (_m, s) => s ?? " "))) !== f.want)
    throw new Error(`${f.path} does not read back`);
}
mark("written");
const written = found.map((f, i) => ({ ...manifest.files[i], written: storeObject(f.newText) }));
writeAtomic(join(backups, "snapshots", `${id}.json`), JSON.stringify({ files: written }, null, 2));
mark("recorded");
if (process.env.HATCH_TRACE) appendFileSync(process.env.HATCH_TRACE, `${JSON.stringify(marks)}\n`);
