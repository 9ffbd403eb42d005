// Node built-in modules most runs never use, loaded at their first use. Importing one evaluates it
// at start-up: measured in a compiled one-line program (Bun 1.4.5), after node:fs and node:path,
// node:child_process costs 2.4–3.0 ms and node:os ~0.4 ms, paid by every sync although only git
// sources, SSH hosts and secret stores spawn anything.
import type * as ChildProcess from "node:child_process";
import type * as Os from "node:os";

let cp: typeof ChildProcess | undefined;
let os: typeof Os | undefined;

/** node:child_process, loaded on the first call. */
export function childProcess(): typeof ChildProcess {
  cp ??= require("node:child_process") as typeof ChildProcess;
  return cp;
}

/** node:os, loaded on the first call. */
export function nodeOs(): typeof Os {
  os ??= require("node:os") as typeof Os;
  return os;
}
