// Points HOME, XDG and APPDATA at a temp dir for every test process, so no test reads or writes
// the real user's host configs.
import { afterAll } from "bun:test";
import { chmodSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Tests spawn ssh with `-F /dev/null` and programs reading it as empty input. A /dev/null that is a
// regular file (as root, `bun build --compile --outfile /dev/null` renames its output over it) made
// those fail far from the cause (ssh: "/dev/null: line 1: Bad configuration option"): say it here.
if (process.platform !== "win32" && !statSync("/dev/null").isCharacterDevice()) {
  throw new Error(
    "/dev/null is not a device on this machine (something replaced it with a file): restore it as root with `rm /dev/null && mknod -m 666 /dev/null c 1 3`",
  );
}

// Every temp dir a test makes (homes, stores, sockets: tmpdir() reads TMPDIR) goes under one root
// per test run, removed after the last test: a `make test` used to leave hundreds of dirs in /tmp.
// The root is sticky and world-writable, as /tmp is, for the tests that act as another user.
// HATCH_KEEP_TMP=1 keeps it to look at a failure.
const root = mkdtempSync(join(tmpdir(), "hatch-tests-"));
chmodSync(root, 0o1777);
process.env.TMPDIR = root;
if (process.env.HATCH_KEEP_TMP !== "1") {
  // A global hook: in a preload file it runs once, after the last test file.
  afterAll(() => {
    try {
      rmSync(root, { recursive: true, force: true });
    } catch {
      // A dir still in use (a child that outlived its test) is left for the system's cleaner.
    }
  });
}

const home = mkdtempSync(join(root, "hatch-test-home-"));
process.env.HOME = home;
process.env.USERPROFILE = home;
process.env.XDG_CONFIG_HOME = join(home, ".config");
process.env.APPDATA = join(home, "AppData", "Roaming");
process.env.LOCALAPPDATA = join(home, "AppData", "Local");
process.env.HATCH_HOME = join(home, ".hatch");
delete process.env.CODEX_HOME;
delete process.env.HATCH_PLATFORM;
delete process.env.HATCH_AUTO_APPROVE;
