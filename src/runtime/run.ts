// `hatch run SCRIPT.ts [ARGS...]`: runs a user's automation script inside the binary. The module
// "hatch" is served from the binary itself (registered before the script is imported), so no
// node_modules is needed. A compiled Bun binary never auto-installs packages: any other bare
// import that is not installed near the script fails with Bun's "Cannot find package" (an e2e
// test proves both with the registry unreachable).
//
// A script fails as it would under Bun or Node: an uncaught exception, an unhandled rejection or
// an error thrown in a callback ends the run at once with its message and the script's
// file:line:col (exit 1; hatch's bad-input errors exit 2, as on the command line); otherwise the
// run ends when the event loop is empty (pending timers and I/O finish first), with
// process.exitCode. The CLI exits right after a command returns, so the run resolves only then.
import { existsSync, statSync } from "node:fs";
import { relative, resolve } from "node:path";
import { UsageError } from "../core/errors.ts";
import * as api from "../mod.ts";
import { workAhead } from "../system/jit.ts";

let registered = false;

function registerHatchModule(): void {
  if (registered) return;
  registered = true;
  Bun.plugin({
    name: "hatch-api",
    setup(build) {
      build.module("hatch", () => ({ exports: { ...api, default: api }, loader: "object" }));
    },
  });
}

/** The names of hatch's bad-input errors: exit 2, as `cli/main.ts` maps them for commands. */
const BAD_INPUT = new Set(["UsageError", "HostParseError", "ConfigError", "ServerValidationError"]);

/**
 * The exit code of an error that ended a script. Unlike a command's, a TypeError or RangeError
 * here is most often the script's own bug (`x is not a function`), so it exits 1 as in Bun.
 */
export function scriptExitCode(e: unknown): number {
  if (e instanceof UsageError) return 2;
  for (let p = e; p instanceof Error; p = Object.getPrototypeOf(p)) {
    if (BAD_INPUT.has(p.name) || BAD_INPUT.has(p.constructor?.name ?? "")) return 2;
  }
  return 1;
}

/** Where code runs from inside the binary (Bun's virtual file system), not the user's files. */
function inBinary(file: string): boolean {
  return /^(?:\/\$bunfs\/|[A-Z]:[\\/]~BUN[\\/])/.test(file) || /^(?:node|bun|native)\b/.test(file);
}

/** A path as the user would type it: relative to the working directory when it is inside it. */
function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith("..") && !resolve(rel).startsWith("..") ? rel : file;
}

/** `file:line:col` of the innermost stack frame in the user's code (outside the binary). */
export function scriptLocation(e: unknown): string | undefined {
  const stack = e instanceof Error ? (e.stack ?? "") : "";
  for (const line of stack.split("\n")) {
    const m = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?\s*$/.exec(line);
    if (m && !inBinary(m[1] as string)) return `${shown(m[1] as string)}:${m[2]}:${m[3]}`;
  }
  return undefined;
}

interface BuildPosition {
  file: string;
  line: number;
  column: number;
  lineText?: string;
}

/** Bun's parse errors: one BuildMessage, or an AggregateError of them ("2 errors building"). */
function buildMessages(e: unknown): { message: string; position: BuildPosition }[] {
  const hasPosition = (x: unknown): x is { message: string; position: BuildPosition } =>
    typeof x === "object" &&
    x !== null &&
    typeof (x as { position?: BuildPosition }).position?.file === "string";
  if (hasPosition(e)) return [e];
  const list = (e as { errors?: unknown } | null)?.errors;
  return Array.isArray(list) ? list.filter(hasPosition) : [];
}

/** The lines that tell why a script failed, as Bun and Node tell it, in hatch's voice. */
export function describeFailure(e: unknown): string {
  const built = buildMessages(e);
  if (built.length > 0) {
    return built
      .map(({ message, position: p }) => {
        const lines = [`Error: ${message}`, `  at ${shown(p.file)}:${p.line}:${p.column}`];
        if (p.lineText !== undefined) {
          const n = String(p.line);
          lines.push(
            `  ${n} | ${p.lineText}`,
            `  ${" ".repeat(n.length)} | ${" ".repeat(Math.max(0, p.column - 1))}^`,
          );
        }
        return lines.join("\n");
      })
      .join("\n");
  }
  if (!(e instanceof Error)) {
    return `Error: Uncaught ${typeof e === "string" ? e : Bun.inspect(e)}`;
  }
  // hatch's own classes speak in the CLI's voice ("Error: Unknown host …"); other errors keep
  // their kind, as Bun prints it ("TypeError: x is not a function").
  const hatchError = scriptExitCode(e) === 2 || e.name === "ApplyError" || e.name === "Error";
  const lines = [`${hatchError ? "Error" : e.name}: ${e.message}`];
  const hint = (e as { hint?: unknown }).hint;
  if (typeof hint === "string" && hint) lines.push(`  ${hint}`);
  const where = scriptLocation(e);
  if (where) lines.push(`  at ${where}`);
  return lines.join("\n");
}

/**
 * Runs a script; resolves to its exit code once it has ended: when the event loop is empty
 * (process.exitCode, 0 by default), or at once when an error nobody caught ends it (1; 2 for bad
 * input). `process.exit(n)` in the script exits the process there and then, as it always does.
 */
export async function runScript(file: string, args: readonly string[]): Promise<number> {
  const script = resolve(file);
  if (!existsSync(script) || !statSync(script).isFile()) {
    throw new UsageError(`Cannot run "${file}": no such file`, "Give the path of a .ts or .js script");
  }
  registerHatchModule();
  // A user's script may run long (loops, many syncs): the JIT's normal policy from here on.
  workAhead(Number.POSITIVE_INFINITY);
  process.argv = [process.argv[0] as string, script, ...args];
  return new Promise<number>((finish) => {
    let ended = false;
    let topLevelDone = false;
    const end = (code: number): void => {
      if (ended) return;
      ended = true;
      finish(code);
    };
    const fail = (e: unknown): void => {
      if (ended) return;
      process.stderr.write(`${describeFailure(e)}\n`);
      if (process.env.DEBUG === "1" && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
      end(scriptExitCode(e));
    };
    // A script that listens for these itself has chosen to handle them, as in Node.
    const uncaught = (e: unknown): void => {
      if (process.listenerCount("uncaughtException") === 1) fail(e);
    };
    const unhandled = (e: unknown): void => {
      if (process.listenerCount("unhandledRejection") === 1) fail(e);
    };
    process.on("uncaughtException", uncaught);
    process.on("unhandledRejection", unhandled);
    // The loop is empty once; one more turn lets a rejection from its last callbacks surface
    // (Bun reports unhandled rejections after beforeExit) and whatever a script's own beforeExit
    // listener started finish, as in Node.
    let lastTurn = false;
    process.on("beforeExit", () => {
      if (ended) return;
      if (!lastTurn) {
        lastTurn = true;
        setImmediate(() => {});
        return;
      }
      if (!topLevelDone) {
        // Bun would wait forever here and Node exits 13; a script from cron must not hang.
        process.stderr.write(
          `Error: The script's top-level await never settled: it awaited a promise that nothing will resolve\n  at ${shown(script)}\n`,
        );
        end(1);
        return;
      }
      const code = process.exitCode;
      end(code === undefined || code === null ? 0 : Number(code) || 0);
    });
    // Bun's own, not node:url's: importing that module costs every command ~2 ms at start-up
    // (the command table loads this file).
    import(Bun.pathToFileURL(script).href).then(() => {
      topLevelDone = true;
    }, fail);
  });
}
