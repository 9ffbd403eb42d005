// Running the users' own programs (secret-tool, security, PowerShell, op, pass): synchronously,
// without a shell, with arguments and standard input hatch chose, never anything named in a file.
import { childProcess } from "../system/builtins.ts";

export interface RunResult {
  /** The exit status, or null when the program could not be started or was killed. */
  status: number | null;
  stdout: string;
  stderr: string;
  /** The program is not installed (not found on PATH). */
  missing: boolean;
}

/** Runs a program. Never throws for a failing or missing program: the result says. */
export type Runner = (
  program: string,
  args: readonly string[],
  opts: { env: Readonly<Record<string, string | undefined>>; input?: string },
) => RunResult;

/** How long a provider may take (a 1Password sign-in prompt, a GPG pinentry) before it is stopped. */
const TIMEOUT_MS = 120_000;

export const runProgram: Runner = (program, args, opts) => {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.env)) if (v !== undefined) env[k] = v;
  const r = childProcess().spawnSync(program, [...args], {
    env,
    input: opts.input ?? "",
    encoding: "utf8",
    timeout: TIMEOUT_MS,
    maxBuffer: 16 * 1024 * 1024,
    // A pinentry or sign-in prompt may need the terminal: stderr stays the user's.
    stdio: ["pipe", "pipe", "pipe"],
    windowsHide: true,
  });
  const code = (r.error as NodeJS.ErrnoException | undefined)?.code;
  return {
    status: r.status,
    stdout: r.stdout ?? "",
    stderr: r.stderr ?? (r.error ? r.error.message : ""),
    missing: code === "ENOENT",
  };
};

/** The first line of a program's complaint, for a message (never its standard output). */
export function firstLine(text: string): string {
  return (
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => l !== "") ?? "no message"
  );
}
