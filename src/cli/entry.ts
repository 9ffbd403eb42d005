// The binary's entry point. `hatch --version` answers from here, with nothing else loaded: the
// build splits lazily imported modules into chunks, so this chunk is all that start-up reads.
// Everything else goes to main.ts (which also answers --version when run from source).
import { mark } from "../system/trace.ts";
import { COMMIT, VERSION } from "./version.ts";

mark("entry");

const argv = process.argv.slice(2);
if (
  argv.length === 1 &&
  (argv[0] === "--version" || argv[0] === "-V" || argv[0] === "-v" || argv[0] === "version")
) {
  // writeSync, not process.stdout: building the stdout stream would double the time this takes.
  (await import("node:fs")).writeSync(1, `hatch ${VERSION} (${COMMIT})\n`);
} else {
  const { run } = await import("./main.ts");
  void run(argv); // not awaited: Bun fires no beforeExit while a top-level await is pending (hatch run waits for it)
}
