// Host files on other machines, behind the same System seam as local ones: reading a host file,
// planning, backups, apply (lock → re-read → backup → atomic write → read back) and restore run
// unchanged on an `ssh://[user@]machine[:port]/path`. HostSystem routes such paths to the
// machine's RemoteSystem and every other path to the local system.
//
// The remote side runs only POSIX sh and utilities (cat, cp -p, mv, mkdir, cksum, dirname,
// basename; readlink and stat where present), one `sh -c SCRIPT` per step over the machine's
// one ssh connection (ssh.ts). An atomic write there is: the temp file
// `.NAME.hatch-PID-RAND.tmp` in the file's own directory (a copy of the old file made with
// `cp -p`, so mode and owner are kept, then overwritten from stdin), its POSIX cksum checked
// against what was sent (a connection dropped mid-transfer leaves a short temp file, which is
// removed, and the old file stays), sync, rename over the file, cksum of the file printed back
// for verification. A trap removes the temp file when the step fails or is hung up on; a temp
// file whose process is gone (a machine that lost power) is removed by the next write there.
import { ApplyError } from "../core/errors.ts";
import { posixCksum } from "./cksum.ts";
import { randomHex } from "./digest.ts";
import { connectionFor, type SshConnection, UnreachableError } from "./ssh.ts";
import { formatSshUrl, isRemotePath, parseSshUrl, type SshUrl } from "./sshurl.ts";
import {
  type AtomicFile,
  decodeUtf8,
  type FileInfo,
  MAX_READ_BYTES,
  RealSystem,
  RefusedFileError,
  type System,
  type WriteOptions,
  writeEach,
} from "./system.ts";

type Env = Readonly<Record<string, string | undefined>>;

/** A script as one line: the remote login shell may be one (csh) that refuses newlines in quotes. */
function line(...parts: string[]): string {
  return parts.join(" ");
}

// $1 is the path: `~/x` is x under the remote HOME.
const PATH_ARG = `p=$1; case $p in "~/"*) p=$HOME/\${p#"~/"};; esac;`;
// Follows symlinks to the file they name (a write goes through a link, as locally).
const FOLLOW = line(
  'n=0; while [ -L "$p" ] && [ $n -lt 40 ]; do',
  't=$(readlink -- "$p") || exit 9;',
  'case $t in /*) p=$t;; *) p=$(dirname -- "$p")/$t;; esac;',
  "n=$((n+1)); done;",
);

// Exit statuses of the read step.
const NOT_FOUND = 3;
const IS_DIR = 4;
const NOT_FILE = 5;
const DENIED = 6;
const TOO_BIG = 7;

const READ = line(
  PATH_ARG,
  `if [ -d "$p" ]; then exit ${IS_DIR}; fi;`,
  `if [ ! -e "$p" ]; then exit ${NOT_FOUND}; fi;`,
  `if [ ! -f "$p" ]; then exit ${NOT_FILE}; fi;`,
  `if [ ! -r "$p" ]; then exit ${DENIED}; fi;`,
  `n=$(wc -c < "$p") || exit ${DENIED};`,
  `if [ "$n" -gt ${MAX_READ_BYTES} ]; then exit ${TOO_BIG}; fi;`,
  'exec cat -- "$p"',
);

// "MODE MTIME SIZE UID": GNU stat, else BSD stat.
const STAT = line(
  PATH_ARG,
  `[ -e "$p" ] || exit ${NOT_FOUND};`,
  's=$(stat -L -c "%a %Y %s %u" -- "$p" 2>/dev/null) || s=$(stat -L -f "%Lp %m %z %u" -- "$p" 2>/dev/null) || exit 8;',
  'printf "%s\\n" "$s"',
);

const EXISTS = line(PATH_ARG, '[ -e "$p" ]');
const REMOVE = line(PATH_ARG, 'rm -f -- "$p"');
const MKDIR = line(PATH_ARG, 'mkdir -p -- "$p" || exit 1;', 'if [ -n "$2" ]; then chmod "$2" "$p"; fi');
const LIST = line(PATH_ARG, '[ -d "$p" ] || exit 0;', 'cd -- "$p" && ls -A');

// Exit statuses of the write step.
const W_MKDIR = 10;
const W_TEMP = 11;
const W_DATA = 12;
const W_SHORT = 13;
const W_RENAME = 14;

/**
 * $1 path, $2 the cksum of the content ("CRC SIZE"), $3 an exact mode or "", $4 "1" when the
 * content holds a secret (a new file is then owner-only), $5 a random tag for the temp name.
 * HATCH_TEST_REMOTE_STEP_DELAY (tests only) sleeps between the checked temp file and the rename,
 * so a test can drop the connection there.
 */
const WRITE = line(
  PATH_ARG,
  FOLLOW,
  'd=$(dirname -- "$p"); b=$(basename -- "$p");',
  `mkdir -p -- "$d" || exit ${W_MKDIR};`,
  't="$d/.$b.hatch-$$-$5.tmp";',
  "trap 'rm -f -- \"$t\"' EXIT; trap 'exit 1' HUP INT TERM PIPE;",
  `if [ -f "$p" ] && [ -z "$3" ]; then cp -p -- "$p" "$t" || exit ${W_TEMP};`,
  `else if [ -n "$3" ] || [ "$4" = 1 ]; then umask 077; fi; (set -C; : > "$t") || exit ${W_TEMP}; fi;`,
  `cat > "$t" || exit ${W_DATA};`,
  `if [ -n "$3" ]; then chmod "$3" "$t" || exit ${W_DATA}; fi;`,
  `[ "$(cksum < "$t")" = "$2" ] || exit ${W_SHORT};`,
  'sync "$t" 2>/dev/null || sync 2>/dev/null || :;',
  'if [ -n "$6" ]; then sleep "$6"; fi;',
  `mv -f -- "$t" "$p" || exit ${W_RENAME};`,
  "trap - EXIT;",
  'for f in "$d/.$b.hatch-"*.tmp; do [ -f "$f" ] || continue;',
  'q=${f#"$d/.$b.hatch-"}; q=${q%%-*};',
  'case $q in ""|*[!0-9]*) continue;; esac;',
  'if ! kill -0 "$q" 2>/dev/null && ! ps -p "$q" >/dev/null 2>&1; then rm -f -- "$f"; fi; done;',
  'cksum < "$p"',
);

/**
 * The lock of a remote file: the directory `.NAME.hatch-lock` beside it, made with mkdir (atomic
 * on every file system). $2 is the owner's line. Prints "taken", or the holder's
 * "EPOCH OWNER" and the remote time "now EPOCH" when someone else holds it.
 */
const LOCK = line(
  PATH_ARG,
  'd=$(dirname -- "$p"); b=$(basename -- "$p"); l="$d/.$b.hatch-lock";',
  `mkdir -p -- "$d" 2>/dev/null || exit ${W_MKDIR};`,
  // mkdir fails when the lock exists, and when it cannot be made. A lock released between the
  // failed mkdir and the test is neither: try again (twice) before calling it an error.
  "i=0; while :; do",
  'if mkdir -- "$l" 2>/dev/null; then printf "%s %s\\n" "$(date +%s)" "$2" > "$l/owner" || { rmdir -- "$l"; exit 1; }; echo taken; exit 0; fi;',
  '[ -d "$l" ] && break;',
  `i=$((i + 1)); [ "$i" -lt 3 ] || exit ${W_TEMP};`,
  "done;",
  'cat -- "$l/owner" 2>/dev/null; echo "now $(date +%s)"; exit 2',
);

/**
 * Removes the lock directory if it still holds $2, as its whole line "EPOCH OWNER" (a breaker) or
 * as its owner (the holder): so a breaker never removes a lock another run has just taken.
 */
const UNLOCK = line(
  PATH_ARG,
  'd=$(dirname -- "$p"); b=$(basename -- "$p"); l="$d/.$b.hatch-lock";',
  'o=$(cat -- "$l/owner" 2>/dev/null) || exit 0;',
  'if [ "$o" = "$2" ] || [ "${o#* }" = "$2" ]; then rm -rf -- "$l"; fi; exit 0',
);

/** What a remote lock attempt found. */
export type RemoteLockAttempt =
  | { taken: true }
  | { taken: false; holder: string | undefined; ageSeconds: number | undefined; line: string | undefined };

/** The files of one machine, reached over its ssh connection. Paths are `ssh://` URLs. */
export class RemoteSystem implements System {
  constructor(readonly connection: SshConnection) {}

  #url(path: string): SshUrl {
    const u = parseSshUrl(path);
    if (typeof u === "string") throw new ApplyError(`Invalid remote path "${path}": ${u}`, undefined, path);
    return u;
  }

  #run(name: string, script: string, path: string, args: readonly string[] = [], input?: Uint8Array) {
    return this.connection.run(name, script, [this.#url(path).path, ...args], input);
  }

  #fail(path: string, action: string, r: { stderr: string; status: number }): ApplyError {
    const why =
      r.stderr.trim().split("\n").filter(Boolean).pop() ?? `the remote step exited with ${r.status}`;
    return new ApplyError(`Cannot ${action} "${path}": ${why}`, undefined, path);
  }

  readBytes(path: string): Uint8Array | undefined {
    const r = this.#run("hatch-read", READ, path);
    switch (r.status) {
      case 0:
        return r.stdout;
      case NOT_FOUND:
        return undefined;
      case IS_DIR:
        throw new ApplyError(`Cannot read "${path}": it is a directory, not a file`, undefined, path);
      case NOT_FILE:
        throw new RefusedFileError(path, "it is not a regular file");
      case DENIED:
        throw new ApplyError(`Cannot read "${path}": permission denied`, undefined, path);
      case TOO_BIG:
        throw new RefusedFileError(
          path,
          `the file is larger than ${MAX_READ_BYTES / (1024 * 1024)} MiB, the most hatch reads of a configuration file`,
        );
      default:
        throw this.#fail(path, "read", r);
    }
  }

  readText(path: string): string | undefined {
    const b = this.readBytes(path);
    return b === undefined ? undefined : decodeUtf8(b, path);
  }

  stat(path: string): FileInfo | undefined {
    const r = this.#run("hatch-stat", STAT, path);
    if (r.status === NOT_FOUND) return undefined;
    if (r.status !== 0) throw this.#fail(path, "stat", r);
    const [mode, mtime, size, uid] = r.stdout.toString("utf8").trim().split(/\s+/).map(Number);
    return {
      mode: Number.parseInt(String(mode), 8) & 0o7777,
      mtimeMs: (mtime ?? 0) * 1000,
      size: size ?? 0,
      ...(uid !== undefined && Number.isFinite(uid) ? { uid } : {}),
    };
  }

  exists(path: string): boolean {
    return this.#run("hatch-exists", EXISTS, path).status === 0;
  }

  writeAtomic(path: string, data: string | Uint8Array, opts: WriteOptions = {}): void {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    const sum = posixCksum(bytes);
    const mode = opts.mode !== undefined ? (opts.mode & 0o7777).toString(8) : "";
    const delay = this.connection.env.HATCH_TEST_REMOTE_STEP_DELAY ?? "";
    const r = this.#run(
      "hatch-write",
      WRITE,
      path,
      [sum, mode, opts.secret ? "1" : "0", randomHex(6), /^\d{1,3}$/.test(delay) ? delay : ""],
      bytes,
    );
    const why: Record<number, string> = {
      [W_MKDIR]: "cannot create its directory",
      [W_TEMP]: "cannot create a temp file beside it",
      [W_DATA]: "cannot write the temp file",
      [W_SHORT]: "the content arrived incomplete (the connection dropped); the file was not changed",
      [W_RENAME]: "cannot rename the temp file over it; the file was not changed",
    };
    if (r.status !== 0) {
      const detail = r.stderr.trim().split("\n").filter(Boolean).pop();
      throw new ApplyError(
        `Cannot write "${path}": ${why[r.status] ?? `the remote step exited with ${r.status}`}${detail ? ` (${detail})` : ""}`,
        undefined,
        path,
      );
    }
    if (opts.verify && r.stdout.toString("utf8").trim() !== sum) {
      throw new ApplyError(
        "Verification failed: the file read back differs from what was written",
        undefined,
        path,
      );
    }
  }

  writeAtomicMany(files: readonly AtomicFile[]): void {
    writeEach(this, files);
  }
  remove(path: string): void {
    const r = this.#run("hatch-remove", REMOVE, path);
    if (r.status !== 0) throw this.#fail(path, "remove", r);
  }

  mkdirp(path: string, mode?: number): void {
    const r = this.#run("hatch-mkdir", MKDIR, path, [mode !== undefined ? mode.toString(8) : ""]);
    if (r.status !== 0) throw this.#fail(path, "create the directory", r);
  }

  list(dir: string): string[] {
    const r = this.#run("hatch-list", LIST, dir);
    if (r.status !== 0) throw this.#fail(dir, "list", r);
    return r.stdout.toString("utf8").split("\n").filter(Boolean);
  }

  /** The machine's OS and the variables host paths depend on (one step). */
  facts(): MachineFacts {
    // The names are fixed identifiers (eval'd on the remote side), never user input.
    const r = this.connection.run("hatch-about", ABOUT, PATH_VARIABLES);
    if (r.status !== 0)
      throw new ApplyError(`Cannot ask "${this.connection.machine}" its OS: ${r.stderr.trim()}`);
    const env: Record<string, string> = {};
    let os = "";
    for (const l of r.stdout.toString("utf8").split("\n")) {
      const eq = l.indexOf("=");
      if (eq <= 0) continue;
      const k = l.slice(0, eq);
      if (k === "OS") os = l.slice(eq + 1);
      else env[k] = l.slice(eq + 1);
    }
    return { os, env };
  }

  /** Which of these absolute remote paths exist (one step for all of them). */
  existing(paths: readonly string[]): Set<string> {
    if (paths.length === 0) return new Set();
    const r = this.connection.run("hatch-exist", WHICH_EXIST, paths);
    if (r.status !== 0)
      throw new ApplyError(`Cannot look for files on "${this.connection.machine}": ${r.stderr.trim()}`);
    return new Set(r.stdout.toString("utf8").split("\n").filter(Boolean));
  }

  /** One attempt at the lock of a remote file. */
  tryLock(path: string, owner: string): RemoteLockAttempt {
    const r = this.#run("hatch-lock", LOCK, path, [owner]);
    const out = r.stdout.toString("utf8");
    if (r.status === 0 && out.trim() === "taken") return { taken: true };
    if (r.status !== 2) throw this.#fail(path, "lock", r);
    const lines = out.split("\n").filter(Boolean);
    const now = Number(/^now (\d+)$/.exec(lines.find((l) => l.startsWith("now ")) ?? "")?.[1]);
    const first = lines.find((l) => !l.startsWith("now "));
    const m = first ? /^(\d+) (.*)$/.exec(first) : null;
    const since = Number(m?.[1]);
    return {
      taken: false,
      holder: m?.[2],
      ageSeconds: Number.isFinite(now) && Number.isFinite(since) ? now - since : undefined,
      line: first,
    };
  }

  /** Removes the lock of a remote file if it still holds `line` ("EPOCH OWNER", or OWNER alone). */
  unlock(path: string, line: string): void {
    // Also after a step on this machine failed: a lock is not left behind while it can be removed.
    this.connection.run("hatch-unlock", UNLOCK, [this.#url(path).path, line], undefined, {
      evenIfFailed: true,
    });
  }
}

/** The environment variables host file locations depend on (hosts/_paths.ts and the adapters). */
export const PATH_VARIABLES = [
  "HOME",
  "XDG_CONFIG_HOME",
  "CODEX_HOME",
  "COPILOT_HOME",
  "CLINE_DIR",
  "VIBE_HOME",
];

// The OS (uname -s) and the variables above, one "NAME=value" a line (unset ones left out).
const ABOUT = line(
  'printf "OS=%s\\n" "$(uname -s)";',
  'for v in "$@"; do eval "x=\\${$v-}"; eval "s=\\${$v+set}"; if [ "$s" = set ]; then printf "%s=%s\\n" "$v" "$x"; fi; done',
);

// The paths among $@ that exist, one a line.
const WHICH_EXIST = 'for p in "$@"; do if [ -e "$p" ]; then printf "%s\\n" "$p"; fi; done';

/** What `hatch host discover` asks a machine. */
export interface MachineFacts {
  /** `uname -s`: Linux, Darwin, FreeBSD … */
  os: string;
  /** The variables of PATH_VARIABLES that are set there. */
  env: Record<string, string>;
}

/** The RemoteSystem of the machine of an `ssh://` path (one per machine and ssh command). */
export function remoteFor(path: string | SshUrl, env: Env = process.env): RemoteSystem {
  const u = typeof path === "string" ? parseSshUrl(path) : path;
  if (typeof u === "string")
    throw new ApplyError(`Invalid remote path "${path}": ${u}`, undefined, String(path));
  const c = connectionFor(u, env);
  let s = systems.get(c);
  if (!s) {
    s = new RemoteSystem(c);
    systems.set(c, s);
  }
  return s;
}
const systems = new WeakMap<SshConnection, RemoteSystem>();

/** The one spelling of a remote path (an unparsable one is returned as is). */
export function normalRemotePath(path: string): string {
  const u = parseSshUrl(path);
  return typeof u === "string" ? path : formatSshUrl(u);
}

/** Local paths to `local`, `ssh://` paths to their machine. */
export class HostSystem implements System {
  constructor(
    readonly local: System,
    readonly env: Env,
  ) {}
  #of(path: string): System {
    return isRemotePath(path) ? remoteFor(path, this.env) : this.local;
  }
  readText(path: string) {
    return this.#of(path).readText(path);
  }
  readBytes(path: string) {
    return this.#of(path).readBytes(path);
  }
  stat(path: string) {
    return this.#of(path).stat(path);
  }
  exists(path: string) {
    return this.#of(path).exists(path);
  }
  writeAtomic(path: string, data: string | Uint8Array, opts?: WriteOptions) {
    this.#of(path).writeAtomic(path, data, opts);
  }
  writeAtomicMany(files: readonly AtomicFile[]) {
    // The backup store is local: one batch. Files on other machines are written one by one.
    if (!files.some((f) => isRemotePath(f.path))) this.local.writeAtomicMany(files);
    else for (const f of files) this.#of(f.path).writeAtomic(f.path, f.data, f.opts);
  }
  remove(path: string) {
    this.#of(path).remove(path);
  }
  mkdirp(path: string, mode?: number) {
    this.#of(path).mkdirp(path, mode);
  }
  list(dir: string) {
    return this.#of(dir).list(dir);
  }
}

/** The real file system, with `ssh://` paths reaching other machines (other systems are kept as they are). */
export function withRemoteHosts(system: System, env: Env): System {
  return system instanceof RealSystem ? new HostSystem(system, env) : system;
}

export { UnreachableError };
