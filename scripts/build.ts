// Builds dist/hatch (this machine) or, with --target (and --runtime BUN), a cross-compiled binary.
// Bytecode on; the binary never autoloads a user's bunfig.toml, .env, tsconfig or package.json.
// A build for this machine is made twice: the first binary runs the common commands and records
// which functions they use (scripts/bytecode-order.ts), and the second lays that bytecode out
// first (--bytecode-order). The profiles stay in dist/bytecode-order/; --bytecode-order FILES
// (comma-separated) builds once with given profiles (scripts/release.ts, for cross-compiled targets).
//
// First it generates dist/hatch-types.json: hatch.d.ts for `hatch types`, from src/mod.ts
// (scripts/declarations.ts), which the binary embeds. It is made again only when a source file is
// newer (TypeScript's declaration emit of the tree takes several seconds).
import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { $ } from "bun";
import pkg from "../package.json" with { type: "json" };
import { COMPILE_FLAGS } from "./compile-flags.ts";
import { ORDER_DIR, recordOrder } from "./bytecode-order.ts";
import { generateDeclarations } from "./declarations.ts";

const args = process.argv.slice(2);
const target = args.includes("--target") ? args[args.indexOf("--target") + 1] : undefined;
const outfile = args.includes("--outfile") ? (args[args.indexOf("--outfile") + 1] as string) : "dist/hatch";
// The target's Bun runtime (scripts/release.ts fetches it from npm), so Bun never downloads one.
const runtime = args.includes("--runtime") ? args[args.indexOf("--runtime") + 1] : undefined;
const givenOrder = args.includes("--bytecode-order") ? args[args.indexOf("--bytecode-order") + 1] : undefined;

let commit = "unknown";
try {
  commit = (await $`git rev-parse --short HEAD`.quiet().text()).trim() || "unknown";
} catch {}

const TYPES = "dist/hatch-types.json";

/** The newest modification time among the files the declarations come from. */
function newestSource(): number {
  let newest = Math.max(statSync("tsconfig.json").mtimeMs, statSync("scripts/declarations.ts").mtimeMs);
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts"))
        newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  walk("src");
  return newest;
}

let typesMtime = 0;
try {
  typesMtime = statSync(TYPES).mtimeMs;
} catch {}
if (typesMtime < newestSource()) {
  const header = [
    `hatch.d.ts: the types of hatch ${pkg.version}'s scripting API (\`import { sync, env } from "hatch"\`),`,
    "generated from its source. Written by `hatch types`: run it again after upgrading hatch.",
  ];
  const { text, exports } = generateDeclarations(process.cwd(), header);
  mkdirSync("dist", { recursive: true });
  writeFileSync(TYPES, `${JSON.stringify({ declarations: text, exports })}\n`);
}

const flags = (order: string | undefined) => [
  "build",
  ...COMPILE_FLAGS,
  // Modules loaded with import() (the command table, the codecs' libraries, the MCP SDK) become
  // chunks of their own that the binary loads when first imported: `hatch --version` loads only
  // the entry chunk (src/cli/entry.ts: 34 ms against 42 ms as one bundle, measured with Bun 1.4.5).
  "--splitting",
  `--define=HATCH_VERSION=${JSON.stringify(pkg.version)}`,
  `--define=HATCH_COMMIT=${JSON.stringify(commit)}`,
  ...(target ? [`--target=${target}`] : []),
  ...(runtime ? [`--compile-executable-path=${runtime}`] : []),
  ...(order ? [`--bytecode-order=${order}`] : []),
  "src/cli/entry.ts",
  "--outfile",
  outfile,
];

function compile(order: string | undefined): void {
  const proc = Bun.spawnSync([process.execPath, ...flags(order)], { stdout: "inherit", stderr: "inherit" });
  if (proc.exitCode !== 0) process.exit(proc.exitCode ?? 1);
}

if (givenOrder !== undefined || target !== undefined) {
  compile(givenOrder);
} else {
  compile(undefined);
  let order: string[] | undefined;
  try {
    order = recordOrder(outfile, ORDER_DIR);
  } catch (e) {
    // The binary built above works; it only starts a little slower without the layout.
    process.stderr.write(
      `warning: no bytecode order recorded (${(e as Error).message}); ${outfile} is laid out as built\n`,
    );
  }
  if (order) compile(order.join(","));
}
