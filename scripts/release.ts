// `make release`: dist/release/hatch-<os>-<arch>[.exe] for five platforms, install.sh and
// SHA256SUMS.
//
// Cross-compiling makes `bun build --compile` download the target's Bun runtime from Bun's own
// servers, which a build machine may not reach. The same runtimes are published on the npm
// registry as @oven/bun-<platform> at Bun's version, so each one is fetched with `npm pack` into a
// temp dir (never a project dependency), its binary extracted and handed to scripts/build.ts as
// --runtime (→ --compile-executable-path). Every output is then checked: its header names the
// right OS and CPU, its SHA256 matches SHA256SUMS, and the one for this machine runs `--version`.
import { createHash } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pkg from "../package.json" with { type: "json" };
import { ORDER_DIR, orderFiles } from "./bytecode-order.ts";

interface Target {
  /** The release name: hatch-<name>[.exe]. */
  name: string;
  /** `bun build --target`. */
  bun: string;
  /** The npm package holding that platform's Bun runtime. */
  npm: string;
  os: "linux" | "darwin" | "win32";
  arch: "x64" | "arm64";
}

const TARGETS: readonly Target[] = [
  { name: "linux-x64", bun: "bun-linux-x64", npm: "@oven/bun-linux-x64", os: "linux", arch: "x64" },
  { name: "linux-arm64", bun: "bun-linux-arm64", npm: "@oven/bun-linux-aarch64", os: "linux", arch: "arm64" },
  { name: "darwin-x64", bun: "bun-darwin-x64", npm: "@oven/bun-darwin-x64", os: "darwin", arch: "x64" },
  {
    name: "darwin-arm64",
    bun: "bun-darwin-arm64",
    npm: "@oven/bun-darwin-aarch64",
    os: "darwin",
    arch: "arm64",
  },
  { name: "windows-x64", bun: "bun-windows-x64", npm: "@oven/bun-windows-x64", os: "win32", arch: "x64" },
];

const ROOT = resolve(import.meta.dir, "..");
const OUT = join(ROOT, "dist", "release");
const BUN_VERSION = pkg.devDependencies.bun;

function fail(message: string): never {
  process.stderr.write(`release: ${message}\n`);
  process.exit(1);
}

function fileName(t: Target): string {
  return `hatch-${t.name}${t.os === "win32" ? ".exe" : ""}`;
}

function sha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

async function run(cmd: string[], cwd = ROOT): Promise<string> {
  const p = Bun.spawn(cmd, { cwd, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([
    new Response(p.stdout).text(),
    new Response(p.stderr).text(),
    p.exited,
  ]);
  if (code !== 0) fail(`"${cmd.join(" ")}" exited with ${code}:\n${stderr.trim() || stdout.trim()}`);
  return stdout;
}

/** The Bun runtime for a target: this very executable when it is the host's, else from npm. */
async function runtimeFor(t: Target, work: string): Promise<string | undefined> {
  if (t.os === process.platform && t.arch === process.arch && Bun.version === BUN_VERSION) return undefined;
  const dir = join(work, t.name);
  mkdirSync(dir, { recursive: true });
  const spec = `${t.npm}@${BUN_VERSION}`;
  // npm checks the tarball's integrity against the registry; its cache makes re-runs cheap.
  const packed = JSON.parse(
    await run(["npm", "pack", spec, "--pack-destination", dir, "--json", "--loglevel=error"], dir),
  ) as { filename: string; version: string }[];
  const tgz = packed[0]?.filename;
  if (!tgz || packed[0]?.version !== BUN_VERSION) fail(`npm pack ${spec} did not return that version`);
  const member = `package/bin/${t.os === "win32" ? "bun.exe" : "bun"}`;
  await run(["tar", "-xzf", join(dir, tgz), "-C", dir, member], dir);
  const bin = join(dir, member);
  if (!existsSync(bin)) fail(`${spec} has no ${member}`);
  chmodSync(bin, 0o755);
  return bin;
}

/** Checks an executable's header: ELF / Mach-O / PE, and the CPU it is for. */
function checkHeader(path: string, t: Target): void {
  const b = readFileSync(path).subarray(0, 4096);
  const what = `${fileName(t)} is not a ${t.os}-${t.arch} executable`;
  if (t.os === "linux") {
    // ELF, 64-bit, little-endian; e_machine at 0x12: 0x3e x86-64, 0xb7 AArch64.
    if (b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2) fail(what);
    if (b.readUInt16LE(0x12) !== (t.arch === "x64" ? 0x3e : 0xb7)) fail(what);
  } else if (t.os === "darwin") {
    // Mach-O 64 (0xfeedfacf LE); cputype 0x01000007 x86_64, 0x0100000c arm64.
    if (b.readUInt32LE(0) !== 0xfeedfacf) fail(what);
    if (b.readUInt32LE(4) !== (t.arch === "x64" ? 0x01000007 : 0x0100000c)) fail(what);
  } else {
    // "MZ", then the PE header at e_lfanew: "PE\0\0" and machine 0x8664 (AMD64).
    if (b.toString("latin1", 0, 2) !== "MZ") fail(what);
    const pe = b.readUInt32LE(0x3c);
    if (b.readUInt32BE(pe) !== 0x50450000 || b.readUInt16LE(pe + 4) !== 0x8664) fail(what);
  }
}

const started = performance.now();
if (Bun.version !== BUN_VERSION) {
  process.stderr.write(`release: running Bun ${Bun.version}; runtimes come from npm at ${BUN_VERSION}\n`);
}
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const work = mkdtempSync(join(tmpdir(), "hatch-release-"));
try {
  process.stdout.write(`Fetching Bun ${BUN_VERSION} runtimes from npm...\n`);
  const runtimes = await Promise.all(TARGETS.map((t) => runtimeFor(t, work)));

  // A build for this machine first: it records which functions the common commands use
  // (scripts/bytecode-order.ts), and every target's bytecode is laid out by those profiles.
  process.stdout.write("Recording the bytecode order...\n");
  await run([process.execPath, "scripts/build.ts", "--outfile", join(work, "hatch-profile")]);
  const order = orderFiles();
  if (order.length === 0) fail(`the build recorded no bytecode order profiles in ${ORDER_DIR}`);

  for (const [i, t] of TARGETS.entries()) {
    const out = join(OUT, fileName(t));
    const runtime = runtimes[i];
    process.stdout.write(`Building ${fileName(t)}...\n`);
    await run([
      process.execPath,
      "scripts/build.ts",
      "--target",
      t.bun,
      "--outfile",
      out,
      ...(runtime ? ["--runtime", runtime] : []),
      "--bytecode-order",
      order.join(","),
    ]);
    if (!existsSync(out)) fail(`bun build did not write ${out}`);
    checkHeader(out, t);
  }

  // The installer ships beside the binaries: `sh install.sh hatch-linux-x64` verifies, then installs.
  copyFileSync(join(ROOT, "scripts", "install.sh"), join(OUT, "install.sh"));
  chmodSync(join(OUT, "install.sh"), 0o755);
  const files = [...TARGETS.map(fileName), "install.sh"];
  const sums = files.map((f) => `${sha256(join(OUT, f))}  ${f}\n`).join("");
  writeFileSync(join(OUT, "SHA256SUMS"), sums);

  // Verify: re-read every file against SHA256SUMS as written.
  for (const line of readFileSync(join(OUT, "SHA256SUMS"), "utf8").trimEnd().split("\n")) {
    const [sum, name] = line.split("  ") as [string, string];
    if (sha256(join(OUT, name)) !== sum) fail(`checksum mismatch for ${name}`);
  }

  // The binary for this machine must run and report the embedded version.
  const native = TARGETS.find((t) => t.os === process.platform && t.arch === process.arch);
  if (native) {
    const version = (await run([join(OUT, fileName(native)), "--version"])).trim();
    if (!version.startsWith(`hatch ${pkg.version} (`))
      fail(`${fileName(native)} --version printed "${version}"`);
    process.stdout.write(`${fileName(native)} --version: ${version}\n`);
  }

  process.stdout.write(`\n${sums}`);
  process.stdout.write(
    `\n${TARGETS.length} binaries, install.sh and SHA256SUMS in dist/release (${((performance.now() - started) / 1000).toFixed(1)}s)\n`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
