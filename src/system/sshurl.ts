// `ssh://[user@]machine[:port]/path`: a host file on another machine, reached with OpenSSH.
// The path after the authority is absolute on the remote side (`ssh://ws1/etc/mcp.json` is
// `/etc/mcp.json`), and `ssh://ws1/~/x` is `x` under the remote user's HOME (git's spelling).
// Nothing is percent-decoded: what is typed is the remote path.

/** One remote file, parsed. */
export interface SshUrl {
  user?: string;
  /** A name, an IPv4 address, or an IPv6 address without its brackets. */
  machine: string;
  port?: number;
  /** `/abs/path` or `~/rel/path`. */
  path: string;
}

export const SSH_SCHEME = "ssh://";

/** Whether a host path names a file on another machine. */
export function isRemotePath(path: string): boolean {
  return path.startsWith(SSH_SCHEME);
}

/** A URL scheme at the start of a path (`http://x`, `sftp://x`): refused unless supported. */
export function urlScheme(path: string): string | undefined {
  return /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(path)?.[1];
}

// Letters, digits and the characters of host names and addresses; never a leading "-", so a
// machine or user can never be read by ssh as an option.
const MACHINE_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const USER_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * Parses an `ssh://` host path.
 * @returns the parts, or a string saying what is wrong with it
 */
export function parseSshUrl(url: string): SshUrl | string {
  if (!isRemotePath(url)) return "it does not start with ssh://";
  const rest = url.slice(SSH_SCHEME.length);
  const slash = rest.indexOf("/");
  if (slash < 0) return "it names no file: add the path after the machine, e.g. ssh://ws1/~/.cursor/mcp.json";
  const authority = rest.slice(0, slash);
  let path = rest.slice(slash);
  if (/[\u0000-\u001f\u007f]/.test(url)) return "it holds a control character (a newline, a tab…)";
  if (path.startsWith("/~/")) path = path.slice(1);
  else if (path === "/~") return "it names the remote HOME directory, not a file";
  if (path === "/" || path.endsWith("/")) return "it names a directory, not a file";
  const m = parseAuthority(authority);
  return typeof m === "string" ? m : { ...m, path };
}

/**
 * Parses `ssh://[user@]machine[:port]` (a trailing "/" allowed): a machine, as
 * `hatch host discover` takes it.
 * @returns the parts (path "") or a string saying what is wrong
 */
export function parseSshMachine(url: string): SshUrl | string {
  if (!isRemotePath(url)) return "it does not start with ssh://";
  let rest = url.slice(SSH_SCHEME.length);
  if (rest.endsWith("/")) rest = rest.slice(0, -1);
  if (rest.includes("/")) return "it names a file: give only ssh://[user@]machine[:port]";
  if (/[\u0000-\u001f\u007f]/.test(url)) return "it holds a control character (a newline, a tab…)";
  const m = parseAuthority(rest);
  return typeof m === "string" ? m : { ...m, path: "" };
}

function parseAuthority(authority: string): Omit<SshUrl, "path"> | string {
  const at = authority.lastIndexOf("@");
  const user = at >= 0 ? authority.slice(0, at) : undefined;
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority;
  if (user !== undefined && !USER_RE.test(user)) return `the user "${user}" is not a user name`;
  let machine: string;
  let portText: string | undefined;
  if (hostPort.startsWith("[")) {
    const close = hostPort.indexOf("]");
    if (close < 0) return `the machine "${hostPort}" has no closing "]"`;
    machine = hostPort.slice(1, close);
    if (!/^[0-9A-Fa-f:.%a-z]+$/.test(machine)) return `"${machine}" is not an IPv6 address`;
    const after = hostPort.slice(close + 1);
    if (after !== "" && !after.startsWith(":")) return `unexpected "${after}" after the machine`;
    portText = after === "" ? undefined : after.slice(1);
  } else {
    const colon = hostPort.indexOf(":");
    machine = colon >= 0 ? hostPort.slice(0, colon) : hostPort;
    portText = colon >= 0 ? hostPort.slice(colon + 1) : undefined;
    if (!MACHINE_RE.test(machine))
      return machine === "" ? "it names no machine" : `"${machine}" is not a machine name`;
  }
  let port: number | undefined;
  if (portText !== undefined) {
    port = Number(portText);
    if (!/^\d{1,5}$/.test(portText) || port < 1 || port > 65535)
      return `the port "${portText}" is not 1–65535`;
  }
  return { ...(user !== undefined ? { user } : {}), machine, ...(port !== undefined ? { port } : {}) };
}

/** The URL of a parsed path, in one spelling (so one file has one lock and one backup history). */
export function formatSshUrl(u: SshUrl): string {
  const machine = u.machine.includes(":") ? `[${u.machine}]` : u.machine;
  const path = u.path.startsWith("~/") ? `/${u.path}` : u.path;
  return `${SSH_SCHEME}${u.user ? `${u.user}@` : ""}${machine}${u.port ? `:${u.port}` : ""}${path}`;
}

/** `[user@]machine[:port]`: what one connection reaches (the key of the connection cache). */
export function machineOf(u: SshUrl): string {
  const machine = u.machine.includes(":") ? `[${u.machine}]` : u.machine;
  return `${u.user ? `${u.user}@` : ""}${machine}${u.port ? `:${u.port}` : ""}`;
}
