// A throw-away OpenSSH server for the remote-host tests: started on 127.0.0.1 on a free port, as
// the current user, with host and user keys made for it in a temp dir; nothing reaches beyond
// 127.0.0.1. `sshCommand` is the HATCH_SSH_COMMAND that reaches it with those keys.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const SSHD = "/usr/sbin/sshd";

/** Whether these tests can run here: sshd and ssh are installed. */
export function sshAvailable(): boolean {
  return existsSync(SSHD) && spawnSync("ssh", ["-V"], { stdio: "ignore" }).status === 0;
}

/** A port nothing listens on now (the kernel's pick, released at once). */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => (typeof a === "object" && a ? resolve(a.port) : reject(new Error("no port"))));
    });
  });
}

async function accepts(port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const c = connect({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      c.destroy();
      resolve(ok);
    };
    c.once("connect", () => done(true));
    c.once("error", () => done(false));
    setTimeout(() => done(false), 1_000);
  });
}

export interface Sshd {
  port: number;
  dir: string;
  /** The remote user's HOME (the sshd sets it for every session). */
  home: string;
  key: string;
  sshCommand: string;
  stop(): void;
}

function keygen(file: string): void {
  const r = spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
}

/** Starts sshd; waits (at most 10 s) until it accepts connections. */
export async function startSshd(): Promise<Sshd> {
  const dir = mkdtempSync(join(tmpdir(), "hatch-sshd-"));
  const home = join(dir, "home");
  mkdirSync(home);
  keygen(join(dir, "host_key"));
  keygen(join(dir, "user_key"));
  writeFileSync(join(dir, "authorized_keys"), await Bun.file(join(dir, "user_key.pub")).text(), {
    mode: 0o600,
  });
  // sshd running as root wants its privilege separation directory (the service makes it at boot).
  if (process.getuid?.() === 0 && !existsSync("/run/sshd")) mkdirSync("/run/sshd", { mode: 0o755 });
  const port = await freePort();
  const config = join(dir, "sshd_config");
  writeFileSync(
    config,
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${join(dir, "host_key")}`,
      `PidFile ${join(dir, "sshd.pid")}`,
      `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
      "StrictModes no",
      "PermitRootLogin prohibit-password",
      "PubkeyAuthentication yes",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      // The remote user's HOME is a temp dir, so `~/` paths stay inside the test.
      `SetEnv HOME=${home}`,
      "MaxSessions 50",
      "MaxStartups 50",
      "LogLevel ERROR",
      "",
    ].join("\n"),
  );
  const child: ChildProcess = spawn(SSHD, ["-D", "-e", "-f", config], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  child.stderr?.on("data", (d) => {
    log += String(d);
  });
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`sshd did not start on port ${port}: ${log}`);
    }
    await Bun.sleep(50);
  }
  const key = join(dir, "user_key");
  return {
    port,
    dir,
    home,
    key,
    sshCommand: `ssh -F /dev/null -i ${key} -p ${port} -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR`,
    stop() {
      child.kill("SIGTERM");
    },
  };
}
