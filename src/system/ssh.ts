// One OpenSSH connection per machine per run. hatch runs the user's own `ssh` (from PATH, or the
// command in HATCH_SSH_COMMAND, split like a shell, as git does with GIT_SSH_COMMAND), so their
// ~/.ssh/config, agent, keys and known_hosts apply. The first step on a machine starts a master
// connection (ControlMaster) whose socket lives in a private temp directory; every later step is
// a session over it (no new TCP connection, no new authentication). The master ends when the
// run ends (`ssh -O exit`), or by itself 30 s after its last session if hatch was killed.
// Where OpenSSH has no multiplexing (Windows) each step connects on its own.
//
// Every step runs one POSIX `sh -c SCRIPT NAME ARG…` on the remote side. The remote login shell
// joins ssh's arguments into one command line, so each argument is single-quoted here; file
// content never appears on a command line, it goes on stdin.
import { splitShellWords as splitWords } from "../core/shellwords.ts";
import { childProcess, nodeOs } from "./builtins.ts";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ApplyError, UsageError } from "../core/errors.ts";
import { sha256Hex } from "./digest.ts";
import { machineOf, type SshUrl } from "./sshurl.ts";

/** Seconds a connection attempt may take (ssh's ConnectTimeout). */
export const CONNECT_TIMEOUT_S = 10;
/** The most one remote step may take, connection included (a hung network, a stopped machine). */
const STEP_TIMEOUT_MS = 120_000;
/** Bytes a remote step may print (a host file is at most 64 MiB: system.ts MAX_READ_BYTES). */
const MAX_OUTPUT = 64 * 1024 * 1024 + 4096;

/**
 * A machine that cannot be reached (refused, timed out, authentication failed): its hosts fail
 * (exit 1), the others go on.
 */
export class UnreachableError extends ApplyError {
  override name = "UnreachableError";
}

/**
 * Splits HATCH_SSH_COMMAND into words as a POSIX shell would (core/shellwords.ts):
 * `ssh -i "my key" -o 'A=b c'` → ["ssh", "-i", "my key", "-o", "A=b c"].
 * @throws UsageError for an unterminated quote
 */
export function splitShellWords(line: string): string[] {
  return splitWords(
    line,
    (q) => new UsageError(`Cannot split HATCH_SSH_COMMAND "${line}": unterminated ${q}`),
  );
}

/** One word for a POSIX shell: single-quoted, a `'` inside written as '\''. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The ssh command: HATCH_SSH_COMMAND split into words, or `ssh`. */
export function sshCommand(env: Readonly<Record<string, string | undefined>>): string[] {
  const cmd = env.HATCH_SSH_COMMAND?.trim();
  if (!cmd) return ["ssh"];
  const words = splitShellWords(cmd);
  if (words.length === 0) return ["ssh"];
  return words;
}

export interface StepResult {
  /** The remote script's exit status. */
  status: number;
  stdout: Buffer;
  stderr: string;
}

// Options every invocation gets. BatchMode: never prompt (a password prompt would hang a cron
// job); the agent and keys still work. ServerAlive*: a connection that stops answering is given
// up after ~15 s instead of hanging the run.
const COMMON_OPTIONS = [
  "-o",
  "BatchMode=yes",
  "-o",
  `ConnectTimeout=${CONNECT_TIMEOUT_S}`,
  "-o",
  "ServerAliveInterval=5",
  "-o",
  "ServerAliveCountMax=3",
];

let controlDir: string | undefined;
const open = new Map<string, SshConnection>();
let exitHooked = false;

function privateControlDir(): string {
  // mkdtemp creates it 0700: no other user can reach the control sockets in it.
  controlDir ??= mkdtempSync(join(nodeOs().tmpdir(), "hatch-ssh-"));
  if (!exitHooked) {
    exitHooked = true;
    process.on("exit", closeAllConnections);
  }
  return controlDir;
}

/** Ends every master connection of this process and removes their socket directory. */
export function closeAllConnections(): void {
  for (const c of open.values()) c.close();
  open.clear();
  if (controlDir) {
    try {
      rmSync(controlDir, { recursive: true, force: true });
    } catch {}
    controlDir = undefined;
  }
}

/**
 * The connection to a machine, made once per process and per ssh command: every host file of
 * the machine shares it.
 */
export function connectionFor(url: SshUrl, env: Readonly<Record<string, string | undefined>>): SshConnection {
  const cmd = sshCommand(env);
  const key = `${cmd.join("\0")}\0${machineOf(url)}`;
  let c = open.get(key);
  if (!c) {
    c = new SshConnection(url, cmd, env);
    open.set(key, c);
  }
  return c;
}

export class SshConnection {
  readonly machine: string;
  /** Set once the machine proved unreachable: every later step fails at once with it. */
  #failure: UnreachableError | undefined;
  #controlPath: string | undefined;
  #started = false;

  constructor(
    readonly url: SshUrl,
    readonly command: readonly string[],
    readonly env: Readonly<Record<string, string | undefined>>,
  ) {
    this.machine = machineOf(url);
  }

  /**
   * The ssh command with the URL's user and port first: ssh keeps the first -l and -p it is
   * given, and the URL is more specific than HATCH_SSH_COMMAND (`ssh -p 2222`) or ~/.ssh/config.
   */
  #argv(...options: string[]): [string, string[]] {
    const [bin, ...pre] = this.command as [string, ...string[]];
    return [
      bin,
      [
        ...(this.url.user ? ["-l", this.url.user] : []),
        ...(this.url.port ? ["-p", String(this.url.port)] : []),
        ...pre,
        ...options,
        "--",
        this.url.machine,
      ],
    ];
  }

  #multiplex(): boolean {
    return process.platform !== "win32" && this.env.HATCH_SSH_MULTIPLEX !== "0";
  }

  /** Keeps the failure: every later step on this machine fails at once with it. */
  #remember(e: UnreachableError): UnreachableError {
    this.#failure = e;
    return e;
  }

  #unreachable(detail: string): UnreachableError {
    const why = detail.trim().split("\n").filter(Boolean).pop() ?? "ssh failed";
    return new UnreachableError(`Cannot reach "${this.machine}" over ssh: ${why}`, undefined, this.machine);
  }

  /**
   * Starts the master connection (`ssh -M -N -f`): it authenticates, then goes to the
   * background holding the socket. Its stderr goes to a file, not a pipe, so this call does not
   * wait for the backgrounded master to close it.
   */
  #start(): void {
    if (this.#started) return;
    this.#started = true;
    if (!this.#multiplex()) return;
    const dir = privateControlDir();
    // Socket paths are limited to ~104 bytes: a short hash of the machine, in a short directory.
    const path = join(dir, sha256Hex(`${this.command.join("\0")}\0${this.machine}`).slice(0, 16));
    const errFile = `${path}.err`;
    const errFd = openSync(errFile, "w", 0o600);
    let status: number | null;
    let error: Error | undefined;
    try {
      const [bin, argv] = this.#argv(
        ...COMMON_OPTIONS,
        "-o",
        "ControlMaster=yes",
        "-o",
        `ControlPath=${path}`,
        "-o",
        "ControlPersist=30",
        "-N",
        "-f",
      );
      const r = childProcess().spawnSync(bin, argv, {
        stdio: ["ignore", "ignore", errFd],
        timeout: (CONNECT_TIMEOUT_S + 20) * 1000,
        env: { ...this.env },
      });
      status = r.status;
      error = r.error;
    } finally {
      closeSync(errFd);
    }
    let stderr = "";
    try {
      stderr = readFileSync(errFile, "utf8");
      rmSync(errFile, { force: true });
    } catch {}
    if (error && (error as NodeJS.ErrnoException).code === "ENOENT")
      throw this.#remember(
        new UnreachableError(
          `Cannot reach "${this.machine}": "${this.command[0]}" was not found (install OpenSSH, or set HATCH_SSH_COMMAND)`,
          undefined,
          this.machine,
        ),
      );
    if (status !== 0)
      throw this.#remember(this.#unreachable(stderr || error?.message || `ssh exited with ${status}`));
    this.#controlPath = path;
  }

  /**
   * Runs `sh -c SCRIPT NAME ARGS…` on the machine, `input` on its stdin.
   * @throws UnreachableError when ssh cannot connect (its exit status 255) or the step times out
   */
  run(
    name: string,
    script: string,
    args: readonly string[],
    input?: string | Uint8Array,
    opts: { evenIfFailed?: boolean } = {},
  ): StepResult {
    // `evenIfFailed`: one more try after a failure (releasing a lock after a dropped session,
    // when the master may still be up); bounded by the connect timeout like any step.
    if (this.#failure && !opts.evenIfFailed) throw this.#failure;
    this.#start();
    const remote = ["sh", "-c", script, name, ...args].map(shellQuote).join(" ");
    const mux = this.#controlPath
      ? ["-o", "ControlMaster=no", "-o", `ControlPath=${this.#controlPath}`]
      : ["-o", "ControlPath=none"];
    const [bin, argv] = this.#argv(...COMMON_OPTIONS, ...mux, "-T");
    const r = childProcess().spawnSync(bin, [...argv, remote], {
      input: input ?? "",
      maxBuffer: MAX_OUTPUT,
      timeout: STEP_TIMEOUT_MS,
      env: { ...this.env },
    });
    const stderr = r.stderr?.toString("utf8") ?? "";
    if (r.error) {
      const code = (r.error as NodeJS.ErrnoException).code;
      if (code === "ENOENT")
        throw this.#remember(
          new UnreachableError(
            `Cannot reach "${this.machine}": "${bin}" was not found (install OpenSSH, or set HATCH_SSH_COMMAND)`,
            undefined,
            this.machine,
          ),
        );
      if (code === "ETIMEDOUT")
        throw this.#remember(this.#unreachable(`no answer within ${STEP_TIMEOUT_MS / 1000} s`));
      throw this.#unreachable(r.error.message);
    }
    // 255: ssh's own failure (the connection). The remote scripts never exit 255.
    if (r.status === 255 || r.status === null)
      throw this.#remember(this.#unreachable(stderr || "the connection was lost"));
    return { status: r.status, stdout: r.stdout as Buffer, stderr };
  }

  /** Ends the master connection, if one was started. */
  close(): void {
    if (!this.#controlPath) return;
    const [bin, argv] = this.#argv("-o", `ControlPath=${this.#controlPath}`, "-O", "exit");
    childProcess().spawnSync(bin, argv, {
      stdio: "ignore",
      timeout: 5_000,
      env: { ...this.env },
    });
    this.#controlPath = undefined;
  }
}
