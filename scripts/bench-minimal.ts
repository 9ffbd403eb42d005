// The smallest program doing a sync's work, for `make bench` to measure beside hatch
// (scripts/bench.ts): the floor a claim of "cannot go below" is held to. It writes the same bytes
// hatch writes into the same files (the bench compares them after each workload's first run, and
// test/bench-minimal.test.ts holds the two to each other), and does what every correct run must:
// read the source and each target, convert every server to the host's keys (the bench's servers:
// stdio with args and env, or HTTP with headers; anything else is refused), add the entries to
// the target's container (its last top-level key, where the bench's seeds put it) as text in the
// file's layout, take a lock on every target and re-read it under the lock, back the originals up
// (content-addressed objects and a manifest, each written atomically and fsync'd), write each
// target atomically (fsync, rename; each directory fsync'd once the batch is renamed), read it back
// and compare, then record what was written (objects and the manifest again). With --no-backup,
// neither backup nor record. Every read goes into one reused buffer and every write is encoded
// into another, as hatch's are: a new buffer a file is fresh memory, a page fault per 4 KB.
//
// It knows nothing it is not given and decides nothing hatch decides from the file: the layout is
// the bench's seeds' (two-space JSON, short string arrays on one line; Goose's block YAML; Codex's
// bare keys), not read from the file. A JSON file's new text is checked before it is written, as
// hatch checks it: one JSON.parse of it with the original's comments and trailing commas blanked
// (the inserted text has none) and one comparison with the intended value. A TOML or YAML file's
// new text is not parsed (hatch reads the TOML tables it appends back, and proves its YAML
// insertion from the emitter's exact text), so here, too, it does less than hatch. Every file is
// read back after its write and compared byte for byte. No output, no selection, no losses.
//
// With HATCH_TRACE=FILE it appends its phase marks as hatch does (src/system/trace.ts), so the
// bench can put the two side by side phase by phase.
//
//   bun scripts/bench-minimal.ts [--no-backup] BACKUP_DIR SOURCE HOST=TARGET...
//   (HOST: hatch's id of the host whose file TARGET is)
import {
  appendFileSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { dirname, join } from "node:path";

const marks: [string, number][] = [["entry", performance.now()]];
const mark = (label: string) => marks.push([label, performance.now()]);

const argv = process.argv.slice(2);
const noBackup = argv[0] === "--no-backup";
const [backups, source, ...targets] = (noBackup ? argv.slice(1) : argv) as [string, string, ...string[]];

// The two reused buffers (src/system/system.ts's scratch): texts are encoded into `out`, files are
// read into `back`.
let out = Buffer.alloc(64 * 1024);
let back = Buffer.alloc(64 * 1024);

/** The file's bytes, in `back` (valid until the next read). */
function readBytes(path: string): Buffer {
  const fd = openSync(path, "r");
  try {
    let got = 0;
    for (;;) {
      if (got === back.length) back = Buffer.concat([back.subarray(0, got), Buffer.alloc(back.length)]);
      const n = readSync(fd, back, got, back.length - got, null);
      if (n === 0) return back.subarray(0, got);
      got += n;
    }
  } finally {
    closeSync(fd);
  }
}
const readText = (path: string) => readBytes(path).toString("utf8");

/** `text` as UTF-8, in `out` (valid until the next encoding). */
function encode(text: string): Buffer {
  const len = Buffer.byteLength(text, "utf8");
  if (len > out.length) out = Buffer.alloc(Math.max(len, out.length * 2));
  return out.subarray(0, out.write(text, 0, "utf8"));
}

/**
 * Writes `text` into a temp file beside `path`, fsync'd, renamed over it; returns its bytes (in
 * `out`). The directory's fsync is left to syncDirs, once a batch (as hatch's writeAtomicMany).
 */
function writeAtomic(path: string, text: string, dirs: Set<string>): Buffer {
  const dir = dirname(path);
  if (!dirs.has(dir)) mkdirSync(dir, { recursive: true });
  dirs.add(dir);
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w", 0o600);
  const bytes = encode(text);
  for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, path);
  return bytes;
}

/** fsync of each directory a batch renamed into. */
function syncDirs(dirs: Set<string>): void {
  for (const dir of dirs) {
    const dfd = openSync(dir, "r");
    fsyncSync(dfd);
    closeSync(dfd);
  }
}

/** Backup objects, content-addressed in one directory: written as one batch. */
function storeObjects(texts: string[]): string[] {
  const dirs = new Set<string>();
  const hashes = texts.map((text) => {
    const hash = new Bun.CryptoHasher("sha256").update(text).digest("hex");
    writeAtomic(join(backups, "objects", hash), text, dirs);
    return hash;
  });
  syncDirs(dirs);
  return hashes;
}

function writeManifest(path: string, value: unknown): void {
  const dirs = new Set<string>();
  writeAtomic(path, JSON.stringify(value, null, 2), dirs);
  syncDirs(dirs);
}

/** A source entry (Claude Code's shape), as the bench writes them. */
interface Entry {
  type: string;
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  url?: string;
  headers?: Record<string, string>;
}
type Value = string | number | boolean | string[] | Record<string, string>;
/** A host's entry: its keys in its order, or undefined when the host cannot take the server. */
type Convert = (name: string, e: Entry) => [string, Value][] | undefined;

const servers = JSON.parse(readText(source)).mcpServers as Record<string, Entry>;
for (const [name, e] of Object.entries(servers))
  if (!(e.type === "stdio" ? e.command !== undefined : e.type === "http" && e.url !== undefined))
    throw new Error(`${name}: only the bench's stdio and HTTP servers are handled here`);
mark("source read");

// Each host's keys for the two kinds of server, as hatch writes a new entry (bench/RESULTS.md's
// hosts; test/bench-minimal.test.ts checks the bytes against hatch's).
const local = (e: Entry): [string, Value][] => [
  ["command", e.command as string],
  ["args", e.args ?? []],
  ["env", e.env ?? {}],
];
const typed =
  (stdioType: string, remoteType: string): Convert =>
  (_n, e) =>
    e.type === "stdio"
      ? [["type", stdioType], ...local(e)]
      : [
          ["type", remoteType],
          ["url", e.url as string],
          ["headers", e.headers ?? {}],
        ];
const plain =
  (urlKey: string, remoteType?: string): Convert =>
  (_n, e) =>
    e.type === "stdio"
      ? local(e)
      : [
          ...(remoteType ? ([["type", remoteType]] as [string, Value][]) : []),
          [urlKey, e.url as string],
          ["headers", e.headers ?? {}],
        ];
// Hosts that write alike share one function, so that their entries' text is made once (below).
const claudeCode = typed("stdio", "http");
const urlOnly = plain("url");
const HOSTS: Record<string, Convert> = {
  "claude-desktop": (_n, e) => (e.type === "stdio" ? local(e) : undefined),
  "claude-code": claudeCode,
  vscode: claudeCode,
  cursor: urlOnly,
  lmstudio: urlOnly,
  kiro: urlOnly,
  zed: urlOnly,
  gemini: plain("url", "http"),
  windsurf: plain("serverUrl"),
  opencode: (_n, e) =>
    e.type === "stdio"
      ? [
          ["type", "local"],
          ["command", [e.command as string, ...(e.args ?? [])]],
          ["environment", e.env ?? {}],
        ]
      : [
          ["type", "remote"],
          ["url", e.url as string],
          ["headers", e.headers ?? {}],
        ],
  codex: (_n, e) =>
    e.type === "stdio"
      ? local(e)
      : [
          ["url", e.url as string],
          ["http_headers", e.headers ?? {}],
        ],
  goose: (name, e) => [
    ["name", name],
    ...(e.type === "stdio"
      ? ([
          ["type", "stdio"],
          ["cmd", e.command as string],
          ["args", e.args ?? []],
          ["envs", e.env ?? {}],
        ] as [string, Value][])
      : ([
          ["type", "streamable_http"],
          ["uri", e.url as string],
          ["headers", e.headers ?? {}],
        ] as [string, Value][])),
    ["enabled", true],
    ["timeout", 300],
  ],
};

/** A string (kept), a comment or a trailing comma: blanked in place, offsets kept. */
const JSONC_BLANKS = /("(?:[^"\\]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\/|,(?=\s*[}\]])/g;
const blanked = (text: string) => text.replace(JSONC_BLANKS, (m, str) => str ?? m.replace(/[^\n]/g, " "));

const q = JSON.stringify;

/** One entry as JSON text at the container's depth (entry at 4 spaces, its keys at 6). */
function jsonEntry(name: string, kv: [string, Value][]): string {
  let out = `    ${q(name)}: {`;
  for (let i = 0; i < kv.length; i++) {
    const [k, v] = kv[i] as [string, Value];
    out += `${i === 0 ? "\n" : ",\n"}      ${q(k)}: `;
    if (Array.isArray(v)) {
      out += "[";
      for (let j = 0; j < v.length; j++) out += j === 0 ? q(v[j]) : `, ${q(v[j])}`;
      out += "]";
    } else if (typeof v === "object") {
      let inner = "";
      for (const ik in v) inner += `${inner === "" ? "\n" : ",\n"}        ${q(ik)}: ${q(v[ik])}`;
      out += inner === "" ? "{}" : `{${inner}\n      }`;
    } else out += q(v);
  }
  return `${out}\n    }`;
}

const BARE = /^[A-Za-z0-9_-]+$/;
const tomlKey = (k: string) => (BARE.test(k) ? k : q(k));
/** TOML values of the bench's entries: strings, arrays of strings, tables of strings. */
function tomlValue(v: Value): string {
  if (Array.isArray(v)) return `[${v.map((s) => q(s)).join(", ")}]`;
  if (typeof v === "object") {
    const pairs = Object.entries(v).map(([k, s]) => `${tomlKey(k)} = ${q(s)}`);
    return pairs.length === 0 ? "{}" : `{ ${pairs.join(", ")} }`;
  }
  return q(v);
}

/** A YAML string scalar: plain where nothing could read it otherwise, else JSON-quoted. */
const YAML_PLAIN =
  /^(?!(?:true|false|null|True|False|Null|TRUE|FALSE|NULL)$)(?:[A-Za-z_/]|--?[A-Za-z_])[\w./@:+=~-]*$/;
const yamlStr = (s: string) => (YAML_PLAIN.test(s) && !s.endsWith(":") ? s : q(s));
/** One entry in Goose's block style under a two-space container. */
function yamlEntry(name: string, kv: [string, Value][]): string {
  const parts = [`  ${yamlStr(name)}:\n`];
  for (const [k, v] of kv) {
    if (Array.isArray(v)) {
      parts.push(v.length === 0 ? `    ${k}: []\n` : `    ${k}:\n`);
      for (const s of v) parts.push(`      - ${yamlStr(s)}\n`);
    } else if (typeof v === "object") {
      const inner = Object.entries(v);
      parts.push(inner.length === 0 ? `    ${k}: {}\n` : `    ${k}:\n`);
      for (const [ik, iv] of inner) parts.push(`      ${yamlStr(ik)}: ${yamlStr(iv)}\n`);
    } else parts.push(`    ${k}: ${typeof v === "string" ? yamlStr(v) : String(v)}\n`);
  }
  return parts.join("");
}

interface Format {
  parse(text: string): Record<string, unknown>;
  /** Whether the new text is parsed and compared before it is written (JSON; see above). */
  checked: boolean;
  /** The entries' text, as `add` inserts it into the container `key`. */
  body(key: string, entries: [string, [string, Value][]][]): string;
  /** `text` with `body` added to its container (the file's last top-level key). */
  add(text: string, body: string): string;
}

const FORMATS: Record<"json" | "toml" | "yaml", Format> = {
  json: {
    parse: (text) => JSON.parse(blanked(text)),
    checked: true,
    body: (_key, entries) => entries.map(([name, kv]) => jsonEntry(name, kv)).join(",\n"),
    add(text, body) {
      const close = text.lastIndexOf("}", text.lastIndexOf("}") - 1);
      const before = text.slice(0, close).trimEnd();
      return `${before}${before.endsWith(",") ? "" : ","}\n${body}\n  ${text.slice(close)}`;
    },
  },
  toml: {
    parse: (text) => Bun.TOML.parse(text) as Record<string, unknown>,
    checked: false,
    body(key, entries) {
      const parts: string[] = [];
      for (const [name, kv] of entries) {
        parts.push(`\n[${key}.${tomlKey(name)}]\n`);
        for (const [k, v] of kv) parts.push(`${k} = ${tomlValue(v)}\n`);
      }
      return parts.join("");
    },
    add: (text, body) => `${text.endsWith("\n") ? text : `${text}\n`}${body}`,
  },
  yaml: {
    parse: (text) => Bun.YAML.parse(text) as Record<string, unknown>,
    checked: false,
    body: (_key, entries) => entries.map(([name, kv]) => yamlEntry(name, kv)).join(""),
    add: (text, body) => `${text.endsWith("\n") ? text : `${text}\n`}${body}`,
  },
};

/** The intended value of an entry: its keys, in order. */
const intended = (kv: [string, Value][]) => Object.fromEntries(kv);

const madeBy = new Map<Convert, Map<string, { take: [string, [string, Value][]][]; body: string }>>();
const found = targets.map((arg) => {
  const at = arg.indexOf("=");
  const host = arg.slice(0, at);
  const path = arg.slice(at + 1);
  const convert = HOSTS[host];
  if (at < 1 || convert === undefined)
    throw new Error(`${arg}: expected HOST=PATH with HOST one of ${Object.keys(HOSTS)}`);
  const format = FORMATS[path.endsWith(".toml") ? "toml" : path.endsWith(".yaml") ? "yaml" : "json"];
  const text = readText(path);
  const value = format.parse(text);
  const key = Object.keys(value).at(-1) as string;
  // The entries and their text, made once for every host that writes them alike in one format
  // and container.
  const shared = `${key}\0${path.slice(path.lastIndexOf("."))}`;
  let made = madeBy.get(convert)?.get(shared);
  if (made === undefined) {
    const take: [string, [string, Value][]][] = [];
    for (const name in servers) {
      const kv = convert(name, servers[name] as Entry);
      if (kv !== undefined) take.push([name, kv]);
    }
    made = { take, body: format.body(key, take) };
    madeBy.set(convert, (madeBy.get(convert) ?? new Map()).set(shared, made));
  }
  const { take, body } = made;
  const newText = format.add(text, body);
  if (format.checked) {
    // The intended value, and the new text as JSON.parse reads it: the original's comments
    // blanked, with the same text inserted.
    const container = value[key] as Record<string, unknown>;
    for (const [name, kv] of take) container[name] = intended(kv);
    if (JSON.stringify(JSON.parse(format.add(blanked(text), body))) !== JSON.stringify(value))
      throw new Error(`${path}: the new text does not read back as planned`);
  }
  // Per file, as hatch marks each host it plans (the bench's per-file table).
  mark(`planned ${path}`);
  return { path, text, newText };
});
mark("read and planned");

// A lock a target (created exclusively, holding this process's id), then each target read again:
// a file another program changed since it was read is not overwritten.
const locks = join(backups, "..", "minimal-locks");
mkdirSync(locks, { recursive: true });
const held = found.map((_f, i) => {
  const lock = join(locks, `${i}.lock`);
  const fd = openSync(lock, "wx", 0o600);
  writeSync(fd, `${process.pid}\n`);
  closeSync(fd);
  return lock;
});
for (const f of found)
  if (!readBytes(f.path).equals(encode(f.text))) throw new Error(`${f.path} changed since it was read`);
mark("locked");

const id = `${Date.now()}`;
const manifestPath = join(backups, "snapshots", `${id}.json`);
let manifest: { files: { path: string; found: string; written?: string }[] } | undefined;
if (!noBackup) {
  const hashes = storeObjects(found.map((f) => f.text));
  manifest = { files: found.map((f, i) => ({ path: f.path, found: hashes[i] as string })) };
  writeManifest(manifestPath, manifest);
  mark("backed up");
}
const dirs = new Set<string>();
for (const f of found) {
  const bytes = writeAtomic(f.path, f.newText, dirs);
  if (!readBytes(f.path).equals(bytes)) throw new Error(`${f.path} does not read back`);
}
syncDirs(dirs);
mark("written");
if (manifest) {
  const hashes = storeObjects(found.map((f) => f.newText));
  writeManifest(manifestPath, { files: manifest.files.map((f, i) => ({ ...f, written: hashes[i] })) });
  mark("recorded");
}
for (const lock of held) unlinkSync(lock);
if (process.env.HATCH_TRACE) appendFileSync(process.env.HATCH_TRACE, `${JSON.stringify(marks)}\n`);
