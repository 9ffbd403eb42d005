// Whether a standard stream is a terminal, and synchronous writes to stdout/stderr, without
// touching process.stdout/process.stderr/process.stdin: in Bun, the first touch of one of those
// builds its stream object and loads the stream and tty machinery (measured with Bun 1.4.5, compiled
// binary: 8–10 ms, a quarter of `hatch --version`). Cron jobs, scripts and editor hooks write to
// files and pipes, where that machinery is never needed.
import { fstatSync, statSync, writeSync } from "node:fs";
import { sleepSync } from "./system.ts";

const known = new Map<number, boolean>();

/**
 * Whether fd 0, 1 or 2 is a terminal. A file, pipe or socket is answered from fstat alone; a
 * character device that is /dev/null (same device number) is not a terminal; any other character
 * device, or a platform where fstat cannot tell, asks node:tty.
 */
export function isTerminal(fd: 0 | 1 | 2): boolean {
  const cached = known.get(fd);
  if (cached !== undefined) return cached;
  let answer: boolean | undefined;
  try {
    const st = fstatSync(fd);
    if (st.isFile() || st.isFIFO() || st.isSocket() || st.isDirectory()) answer = false;
    else if (st.isCharacterDevice() && process.platform !== "win32") {
      try {
        if (statSync("/dev/null").rdev === st.rdev) answer = false;
      } catch {}
    }
  } catch {
    // A closed descriptor is no terminal.
    answer = false;
  }
  if (answer === undefined) answer = (require("node:tty") as typeof import("node:tty")).isatty(fd);
  known.set(fd, answer);
  return answer;
}

/**
 * Writes all of `text` to fd 1 or 2 before returning. main.ts ends with process.exit(), which drops
 * whatever an asynchronous write to a pipe still holds: `hatch mcp list servers --json` of a large
 * file, read by a script, came back cut at a few hundred KB. A full non-blocking pipe is waited on;
 * a reader that has gone (`| head`) ends the write quietly.
 */
export function writeFd(fd: 1 | 2, text: string): void {
  const buf = Buffer.from(text, "utf8");
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off, buf.length - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") {
        sleepSync(2);
        continue;
      }
      if (code === "EPIPE") return;
      throw e;
    }
  }
}
