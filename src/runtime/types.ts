// `hatch types`: what a folder of scripts needs so that `tsc --strict --noEmit` passes with nothing
// installed: hatch.d.ts (the API's declarations, generated from src/mod.ts by scripts/build.ts),
// the few runtime globals a script uses (where no @types/bun or @types/node is found) and, where
// none exists, a strict tsconfig.json.
import { existsSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** Globals a script run by `hatch run` may use: Bun's runtime, typed minimally. */
export const SCRIPT_GLOBALS = `// The runtime globals of a script run with \`hatch run\` (Bun's), typed minimally so that a folder
// with nothing installed type-checks. Written by \`hatch types\`. With @types/bun installed, delete
// this file and the "types" entry of tsconfig.json.
interface HatchWritable {
  write(chunk: string | Uint8Array): boolean;
  readonly isTTY?: boolean;
}
interface HatchProcess {
  /** [runtime, script, ...arguments]: the script's arguments are \`process.argv.slice(2)\`. */
  argv: string[];
  env: Record<string, string | undefined>;
  /** The exit code once the script ends (0 by default). */
  exitCode: number | string | undefined;
  exit(code?: number): never;
  cwd(): string;
  chdir(dir: string): void;
  readonly platform: string;
  readonly pid: number;
  readonly stdout: HatchWritable;
  readonly stderr: HatchWritable;
  readonly stdin: { readonly isTTY?: boolean };
  on(event: "exit" | "beforeExit", listener: (code: number) => void): this;
  on(event: "uncaughtException" | "unhandledRejection", listener: (error: unknown) => void): this;
  on(event: "SIGINT" | "SIGTERM", listener: () => void): this;
  uptime(): number;
}
declare var process: HatchProcess;

interface HatchConsole {
  log(...data: unknown[]): void;
  info(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
  debug(...data: unknown[]): void;
  table(data: unknown, columns?: string[]): void;
  time(label?: string): void;
  timeEnd(label?: string): void;
}
declare var console: HatchConsole;

interface HatchBunFile {
  readonly size: number;
  text(): Promise<string>;
  json(): Promise<unknown>;
  exists(): Promise<boolean>;
}
interface HatchSpawnResult {
  readonly exitCode: number | null;
  readonly success: boolean;
  readonly stdout: { toString(): string };
  readonly stderr: { toString(): string };
}
interface HatchShellOutput {
  readonly exitCode: number;
  text(): string;
}
interface HatchShellPromise extends Promise<HatchShellOutput> {
  quiet(): HatchShellPromise;
  nothrow(): HatchShellPromise;
  cwd(dir: string): HatchShellPromise;
  env(vars: Record<string, string | undefined>): HatchShellPromise;
  text(): Promise<string>;
  json(): Promise<unknown>;
  lines(): AsyncIterable<string>;
}
interface HatchBun {
  readonly version: string;
  readonly argv: string[];
  readonly env: Record<string, string | undefined>;
  file(path: string): HatchBunFile;
  write(path: string, data: string | Uint8Array): Promise<number>;
  sleep(ms: number): Promise<void>;
  which(command: string): string | null;
  inspect(value: unknown): string;
  spawnSync(
    command: string[],
    options?: {
      cwd?: string;
      env?: Record<string, string | undefined>;
      stdin?: "inherit" | "ignore";
      stdout?: "pipe" | "inherit" | "ignore";
      stderr?: "pipe" | "inherit" | "ignore";
    },
  ): HatchSpawnResult;
  /** Bun Shell: \`await Bun.$\\\`git pull\\\`.quiet()\`. */
  $(strings: TemplateStringsArray, ...values: unknown[]): HatchShellPromise;
}
declare var Bun: HatchBun;

interface ImportMeta {
  readonly url: string;
  /** The script's directory. */
  readonly dir: string;
  /** The script's path. */
  readonly path: string;
  readonly main: boolean;
}

interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  throwIfAborted(): void;
  addEventListener(type: "abort", listener: () => void): void;
  removeEventListener(type: "abort", listener: () => void): void;
}
declare var AbortSignal: {
  /** A signal that aborts after \`ms\` milliseconds. */
  timeout(ms: number): AbortSignal;
  abort(reason?: unknown): AbortSignal;
};
interface AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}
declare var AbortController: { new (): AbortController };

interface HatchTimer {
  ref(): this;
  unref(): this;
}
declare function setTimeout<A extends unknown[]>(callback: (...args: A) => void, ms?: number, ...args: A): HatchTimer;
declare function clearTimeout(timer?: HatchTimer): void;
declare function setInterval<A extends unknown[]>(callback: (...args: A) => void, ms?: number, ...args: A): HatchTimer;
declare function clearInterval(timer?: HatchTimer): void;
declare function setImmediate(callback: () => void): HatchTimer;
declare function queueMicrotask(callback: () => void): void;
/** Asks on the terminal; null when there is no answer (no terminal, end of input). */
declare function prompt(message?: string, defaultValue?: string): string | null;
/** Asks a yes/no question on the terminal. */
declare function confirm(message?: string): boolean;
declare function alert(message?: string): void;

// Node's and Bun's modules, untyped here: install @types/bun for their types.
declare module "node:*";
declare module "bun";
`;

/** The tsconfig.json written where none exists: strict, no output, modules as Bun runs them. */
export function scriptTsconfig(withGlobals: boolean): string {
  const compilerOptions: Record<string, unknown> = {
    target: "ES2022",
    module: "ESNext",
    moduleResolution: "Bundler",
    lib: ["ES2023"],
    // hatch-globals.d.ts declares the runtime: no @types package is looked for.
    ...(withGlobals ? { types: [] } : {}),
    strict: true,
    noEmit: true,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
  };
  return `${JSON.stringify({ compilerOptions }, null, 2)}\n`;
}

/** Whether the runtime's types are installed where `dir`'s scripts would find them. */
function runtimeTypesInstalled(dir: string): boolean {
  for (let d = resolve(dir); ; d = dirname(d)) {
    for (const pkg of ["@types/bun", "@types/node", "bun-types"]) {
      if (existsSync(join(d, "node_modules", pkg, "package.json"))) return true;
    }
    if (dirname(d) === d) return false;
  }
}

export interface WrittenTypes {
  /** Files written, in order. */
  written: string[];
  /** Files left as they were, with why. */
  kept: { path: string; reason: string }[];
}

/**
 * Writes hatch.d.ts into `dir` and, where they are missing, the runtime globals and a strict
 * tsconfig.json.
 * @param declarations the text of hatch.d.ts
 */
export function writeTypes(dir: string, declarations: string): WrittenTypes {
  const out: WrittenTypes = { written: [], kept: [] };
  const dts = join(dir, "hatch.d.ts");
  writeFileSync(dts, declarations);
  out.written.push(dts);
  const globals = join(dir, "hatch-globals.d.ts");
  const withGlobals = !runtimeTypesInstalled(dir);
  if (withGlobals) {
    writeFileSync(globals, SCRIPT_GLOBALS);
    out.written.push(globals);
  } else {
    out.kept.push({ path: globals, reason: "not written: @types/bun or @types/node is installed" });
  }
  const tsconfig = join(dir, "tsconfig.json");
  if (existsSync(tsconfig)) {
    out.kept.push({ path: tsconfig, reason: "exists: left as it is" });
  } else {
    writeFileSync(tsconfig, scriptTsconfig(withGlobals));
    out.written.push(tsconfig);
  }
  return out;
}
