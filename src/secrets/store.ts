// hatch's secret store, as the GitHub CLI keeps its tokens: the OS keychain where there is one
// that works (Linux Secret Service through `secret-tool`, macOS Keychain through `security`,
// Windows Credential Manager through PowerShell), otherwise an owner-only file,
// `HATCH_HOME/secrets.json` (0600, in a 0700 directory). `HATCH_SECRET_STORE=file|keychain`
// forces one. A secret is read from the keychain first and then from the file, so a secret saved
// while no keychain was reachable (over SSH, in a container) still resolves later.
// Every keychain entry is service "hatch", account (or attribute "name") the secret's name.
import { join } from "node:path";
import { SECRET_NAME_RE } from "../core/envrefs.ts";
import { ApplyError, ConfigError, UsageError } from "../core/errors.ts";
import type { System } from "../system/system.ts";
import { firstLine, type Runner, runProgram } from "./run.ts";

/** What the secret store needs of a workspace (src/store/workspace.ts's Workspace has it). */
export interface SecretContext {
  env: Readonly<Record<string, string | undefined>>;
  hatchHome: string;
  system: System;
}

export type StoreKind = "keychain" | "file";

/** One place secrets are kept. */
export interface SecretBackend {
  kind: StoreKind;
  /** For `hatch secret list`: "Secret Service (secret-tool)", or the file's path. */
  label: string;
  /** Whether it can be used on this machine now. */
  available(): boolean;
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  /** Whether it held the secret. */
  remove(name: string): boolean;
  list(): string[];
}

const SERVICE = "hatch";
/** The longest secret name (a keychain account, a JSON key: generous, but bounded). */
const MAX_NAME = 200;

/** @throws UsageError when the name uses other characters than letters, digits, ".", "_", "-", "/" */
export function checkSecretName(name: string): void {
  if (typeof name !== "string" || !SECRET_NAME_RE.test(name) || name.length > MAX_NAME) {
    throw new UsageError(
      `Invalid secret name "${String(name).slice(0, 60)}": use letters, digits, ".", "_", "-" and "/" (at most ${MAX_NAME})`,
      "For example: github/token, OPENAI_API_KEY, prod.search-key",
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Linux (and BSD): the Secret Service, through libsecret's secret-tool

function secretService(ctx: SecretContext, run: Runner): SecretBackend {
  const env = ctx.env;
  const tool = (args: string[], input?: string) =>
    run("secret-tool", args, { env, ...(input !== undefined ? { input } : {}) });
  let works: boolean | undefined;
  return {
    kind: "keychain",
    label: "Secret Service (secret-tool)",
    available() {
      if (works === undefined) {
        // A lookup of nothing: exit 0 or 1 with no complaint when the service answers; without a
        // session bus or a keyring daemon, secret-tool says why on stderr.
        const r = tool(["lookup", "service", SERVICE, "name", ".hatch-probe"]);
        works = !r.missing && (r.status === 0 || (r.status === 1 && r.stderr.trim() === ""));
      }
      return works;
    },
    get(name) {
      const r = tool(["lookup", "service", SERVICE, "name", name]);
      if (r.status === 0) return r.stdout;
      if (r.status === 1 && r.stderr.trim() === "") return undefined;
      throw new UsageError(`Cannot read secret "${name}" from the Secret Service: ${firstLine(r.stderr)}`);
    },
    set(name, value) {
      const r = tool(["store", "--label", `hatch: ${name}`, "service", SERVICE, "name", name], value);
      if (r.status !== 0) {
        throw new ApplyError(`Cannot store secret "${name}" in the Secret Service: ${firstLine(r.stderr)}`);
      }
    },
    remove(name) {
      if (this.get(name) === undefined) return false;
      const r = tool(["clear", "service", SERVICE, "name", name]);
      if (r.status !== 0) {
        throw new ApplyError(
          `Cannot remove secret "${name}" from the Secret Service: ${firstLine(r.stderr)}`,
        );
      }
      return true;
    },
    list() {
      // `search --all` prints each item's attributes (and its secret: read here, never shown).
      const r = tool(["search", "--all", "service", SERVICE]);
      const text = `${r.stdout}\n${r.stderr}`;
      return [...text.matchAll(/^attribute\.name = (.*)$/gm)].map((m) => m[1] as string);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// macOS: the login keychain, through /usr/bin/security

function macKeychain(ctx: SecretContext, run: Runner): SecretBackend {
  const env = ctx.env;
  const security = (args: string[], input?: string) =>
    run("/usr/bin/security", args, { env, ...(input !== undefined ? { input } : {}) });
  return {
    kind: "keychain",
    label: "macOS Keychain (security)",
    available: () => !security(["help"]).missing,
    get(name) {
      const r = security(["find-generic-password", "-s", SERVICE, "-a", name, "-w"]);
      if (r.status === 0) return r.stdout.replace(/\n$/, "");
      // 44: errSecItemNotFound
      if (r.status === 44) return undefined;
      throw new UsageError(`Cannot read secret "${name}" from the Keychain: ${firstLine(r.stderr)}`);
    },
    set(name, value) {
      // Through `security -i` on standard input, the value hex-encoded (-X): never on a command line
      // another user could read in the process list (go-keyring, which the GitHub CLI uses, does so).
      const hex = Buffer.from(value, "utf8").toString("hex");
      const r = security(
        ["-i"],
        `add-generic-password -U -s ${SERVICE} -a "${name}" -l "hatch: ${name}" -X ${hex}\n`,
      );
      if (r.status !== 0 || /error/i.test(r.stderr)) {
        throw new ApplyError(`Cannot store secret "${name}" in the Keychain: ${firstLine(r.stderr)}`);
      }
    },
    remove(name) {
      const r = security(["delete-generic-password", "-s", SERVICE, "-a", name]);
      if (r.status === 0) return true;
      if (r.status === 44) return false;
      throw new ApplyError(`Cannot remove secret "${name}" from the Keychain: ${firstLine(r.stderr)}`);
    },
    list() {
      // dump-keychain without -d prints attributes only, never secrets.
      const r = security(["dump-keychain"]);
      const names: string[] = [];
      for (const block of r.stdout.split(/^keychain: /m)) {
        if (!/"svce"<blob>="hatch"/.test(block)) continue;
        const m = /"acct"<blob>="([^"]*)"/.exec(block);
        if (m) names.push(m[1] as string);
      }
      return names;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Windows: Credential Manager (generic credentials "hatch:NAME"), through PowerShell and advapi32.
// Written to the Win32 API's documentation; no Windows machine runs the tests here.

const WIN_SCRIPT = `
$ErrorActionPreference = 'Stop'
Add-Type -TypeDefinition @'
using System; using System.Runtime.InteropServices; using System.Text;
public static class HatchCred {
  [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
  public struct CREDENTIAL { public int Flags; public int Type; public string TargetName; public string Comment;
    public long LastWritten; public int CredentialBlobSize; public IntPtr CredentialBlob; public int Persist;
    public int AttributeCount; public IntPtr Attributes; public string TargetAlias; public string UserName; }
  [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)] static extern bool CredReadW(string t, int type, int f, out IntPtr c);
  [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)] static extern bool CredWriteW(ref CREDENTIAL c, int f);
  [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)] static extern bool CredDeleteW(string t, int type, int f);
  [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)] static extern bool CredEnumerateW(string filter, int f, out int n, out IntPtr list);
  [DllImport("advapi32.dll")] static extern void CredFree(IntPtr p);
  public static string Read(string t) { IntPtr p; if (!CredReadW(t, 1, 0, out p)) return null;
    var c = (CREDENTIAL)Marshal.PtrToStructure(p, typeof(CREDENTIAL)); var b = new byte[c.CredentialBlobSize];
    Marshal.Copy(c.CredentialBlob, b, 0, b.Length); CredFree(p); return Encoding.UTF8.GetString(b); }
  public static void Write(string t, string u, string v) { var b = Encoding.UTF8.GetBytes(v); var c = new CREDENTIAL();
    c.Type = 1; c.TargetName = t; c.UserName = u; c.Persist = 2; c.CredentialBlobSize = b.Length;
    c.CredentialBlob = Marshal.AllocHGlobal(b.Length); Marshal.Copy(b, 0, c.CredentialBlob, b.Length);
    try { if (!CredWriteW(ref c, 0)) throw new System.ComponentModel.Win32Exception(); } finally { Marshal.FreeHGlobal(c.CredentialBlob); } }
  public static bool Delete(string t) { return CredDeleteW(t, 1, 0); }
  public static string[] List(string filter) { int n; IntPtr list; if (!CredEnumerateW(filter, 0, out n, out list)) return new string[0];
    var r = new string[n]; for (int i = 0; i < n; i++) { var p = Marshal.ReadIntPtr(list, i * IntPtr.Size);
    r[i] = ((CREDENTIAL)Marshal.PtrToStructure(p, typeof(CREDENTIAL))).TargetName; } CredFree(list); return r; }
}
'@
$op = $env:HATCH_CRED_OP; $name = $env:HATCH_CRED_NAME; $target = "hatch:" + $name
switch ($op) {
  'probe' { exit 0 }
  'get' { $v = [HatchCred]::Read($target); if ($v -eq $null) { exit 44 }; [Console]::Out.Write([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($v))) }
  'set' { $v = [Console]::In.ReadToEnd(); [HatchCred]::Write($target, $name, $v) }
  'remove' { if (-not [HatchCred]::Delete($target)) { exit 44 } }
  'list' { [HatchCred]::List('hatch:*') | ForEach-Object { $_.Substring(6) } }
}
`;

function windowsCredentials(ctx: SecretContext, run: Runner): SecretBackend {
  // The script is the `-Command` argument (fixed text); the value comes on standard input, the
  // operation and the name in the environment: no secret on a command line.
  const ps = (op: string, name = "", input?: string) =>
    run(
      "powershell.exe",
      ["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-Command", WIN_SCRIPT],
      {
        env: { ...ctx.env, HATCH_CRED_OP: op, HATCH_CRED_NAME: name },
        ...(input !== undefined ? { input } : {}),
      },
    );
  let works: boolean | undefined;
  return {
    kind: "keychain",
    label: "Windows Credential Manager",
    available() {
      works ??= ps("probe").status === 0;
      return works;
    },
    get(name) {
      const r = ps("get", name);
      if (r.status === 0) return Buffer.from(r.stdout.trim(), "base64").toString("utf8");
      if (r.status === 44) return undefined;
      throw new UsageError(
        `Cannot read secret "${name}" from the Credential Manager: ${firstLine(r.stderr)}`,
      );
    },
    set(name, value) {
      const r = ps("set", name, value);
      if (r.status !== 0) {
        throw new ApplyError(
          `Cannot store secret "${name}" in the Credential Manager: ${firstLine(r.stderr)}`,
        );
      }
    },
    remove(name) {
      const r = ps("remove", name);
      if (r.status === 0) return true;
      if (r.status === 44) return false;
      throw new ApplyError(
        `Cannot remove secret "${name}" from the Credential Manager: ${firstLine(r.stderr)}`,
      );
    },
    list() {
      return ps("list")
        .stdout.split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== "");
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The file: HATCH_HOME/secrets.json, owner-only

export function secretsFilePath(ctx: SecretContext): string {
  return join(ctx.hatchHome, "secrets.json");
}

function readFileStore(ctx: SecretContext): Record<string, string> {
  const path = secretsFilePath(ctx);
  const text = ctx.system.readText(path);
  if (text === undefined) return {};
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(path, `not valid JSON: ${(e as Error).message}`);
  }
  const secrets = (doc as { secrets?: unknown } | null)?.secrets;
  if (typeof secrets !== "object" || secrets === null || Array.isArray(secrets)) {
    throw new ConfigError(path, 'expected {"secrets": {NAME: VALUE, …}}');
  }
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(secrets)) if (typeof v === "string") out[k] = v;
  return out;
}

function writeFileStore(ctx: SecretContext, secrets: Record<string, string>): void {
  const sorted = Object.fromEntries(
    Object.keys(secrets)
      .sort()
      .map((k) => [k, secrets[k]]),
  );
  ctx.system.mkdirp(ctx.hatchHome, 0o700);
  // mode, not `secret`: the file is owner-only even when it existed with another mode.
  ctx.system.writeAtomic(secretsFilePath(ctx), `${JSON.stringify({ secrets: sorted }, null, 2)}\n`, {
    mode: 0o600,
  });
}

function fileStore(ctx: SecretContext): SecretBackend {
  return {
    kind: "file",
    label: secretsFilePath(ctx),
    available: () => true,
    get: (name) => readFileStore(ctx)[name],
    set(name, value) {
      const all = readFileStore(ctx);
      all[name] = value;
      writeFileStore(ctx, all);
    },
    remove(name) {
      const all = readFileStore(ctx);
      if (!Object.hasOwn(all, name)) return false;
      delete all[name];
      writeFileStore(ctx, all);
      return true;
    },
    list: () => Object.keys(readFileStore(ctx)),
  };
}

// ---------------------------------------------------------------------------------------------
// Choosing

/** The OS keychain backend for this machine, or undefined where hatch knows none. */
function keychainFor(ctx: SecretContext, run: Runner): SecretBackend | undefined {
  switch (process.platform) {
    case "darwin":
      return macKeychain(ctx, run);
    case "win32":
      return windowsCredentials(ctx, run);
    case "linux":
    case "freebsd":
    case "openbsd":
      return secretService(ctx, run);
    default:
      return undefined;
  }
}

export interface SecretStores {
  /** Where `secret set` writes: the keychain when it works (or is forced), else the file. */
  primary: SecretBackend;
  /** Every store a secret may be read from, in order. */
  readable: SecretBackend[];
}

/**
 * The stores to use, as the GitHub CLI chooses: the keychain if it works, else the file;
 * `HATCH_SECRET_STORE=file` or `=keychain` forces one.
 * @throws UsageError for another HATCH_SECRET_STORE value, or `keychain` where none works
 */
export function secretStores(ctx: SecretContext, run: Runner = runProgram): SecretStores {
  const file = fileStore(ctx);
  const forced = ctx.env.HATCH_SECRET_STORE?.trim().toLowerCase() || undefined;
  if (forced !== undefined && forced !== "file" && forced !== "keychain") {
    throw new UsageError(
      `Invalid HATCH_SECRET_STORE "${ctx.env.HATCH_SECRET_STORE}": use "file" or "keychain"`,
      "Leave it unset to use the keychain where one works and the file otherwise",
    );
  }
  if (forced === "file") return { primary: file, readable: [file] };
  const keychain = keychainFor(ctx, run);
  if (keychain?.available()) return { primary: keychain, readable: [keychain, file] };
  if (forced === "keychain") {
    throw new UsageError(
      'HATCH_SECRET_STORE is "keychain" but no OS keychain works here',
      process.platform === "linux"
        ? "Install secret-tool (libsecret-tools) and run a Secret Service (gnome-keyring) in a D-Bus session, or set HATCH_SECRET_STORE=file"
        : "Set HATCH_SECRET_STORE=file to keep secrets in an owner-only file",
    );
  }
  return { primary: file, readable: [file] };
}

/** A secret's value from the first store holding it, or undefined. */
export function readSecret(stores: SecretStores, name: string): string | undefined {
  for (const s of stores.readable) {
    const v = s.get(name);
    if (v !== undefined) return v;
  }
  return undefined;
}
