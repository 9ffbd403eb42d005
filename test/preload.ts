// Points HOME, XDG and APPDATA at a temp dir for every test process, so no test reads or writes
// the real user's host configs.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const home = mkdtempSync(join(tmpdir(), "hatch-test-home-"));
process.env.HOME = home;
process.env.USERPROFILE = home;
process.env.XDG_CONFIG_HOME = join(home, ".config");
process.env.APPDATA = join(home, "AppData", "Roaming");
process.env.LOCALAPPDATA = join(home, "AppData", "Local");
process.env.HATCH_HOME = join(home, ".hatch");
delete process.env.CODEX_HOME;
delete process.env.HATCH_PLATFORM;
delete process.env.HATCH_AUTO_APPROVE;
