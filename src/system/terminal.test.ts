import { describe, expect, test } from "bun:test";
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// A child process reports isTerminal(0/1/2) into a file, its standard streams set up by the test.
const dir = mkdtempSync(join(tmpdir(), "hatch-term-"));
const report = join(dir, "report.json");
const child = `
import { writeFileSync } from "node:fs";
import { isTerminal, writeFd } from ${JSON.stringify(join(import.meta.dir, "terminal.ts"))};
const answers = [isTerminal(0), isTerminal(1), isTerminal(2)];
writeFileSync(${JSON.stringify(report)}, JSON.stringify(answers));
writeFd(1, "out\\n");
writeFd(2, "err\\n");
`;
const childFile = join(dir, "child.ts");
writeFileSync(childFile, child);

function runChild(
  stdio: ["ignore" | "pipe" | number, "ignore" | "pipe" | number, "ignore" | "pipe" | number],
) {
  rmSync(report, { force: true });
  const p = Bun.spawnSync([process.execPath, childFile], {
    stdin: stdio[0],
    stdout: stdio[1],
    stderr: stdio[2],
  });
  expect(p.exitCode).toBe(0);
  return { answers: JSON.parse(readFileSync(report, "utf8")) as boolean[], stdout: p.stdout?.toString() };
}

describe("isTerminal()", () => {
  test("a pipe, a file and /dev/null are not terminals", () => {
    const file = openSync(join(dir, "out.txt"), "w");
    const devnull = openSync("/dev/null", "r+");
    const r = runChild([devnull, "pipe", file]);
    expect(r.answers).toEqual([false, false, false]);
    expect(r.stdout).toBe("out\n");
    expect(readFileSync(join(dir, "out.txt"), "utf8")).toBe("err\n");
  });

  test("a pseudo-terminal is one (util-linux script, where available)", () => {
    if (Bun.spawnSync(["sh", "-c", "command -v script"]).exitCode !== 0) return;
    rmSync(report, { force: true });
    const p = Bun.spawnSync(["script", "-qec", `"${process.execPath}" "${childFile}"`, "/dev/null"], {
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(p.exitCode).toBe(0);
    expect(JSON.parse(readFileSync(report, "utf8"))).toEqual([true, true, true]);
  });
});
