// `make demo`: a sandbox home seeded with sample host files, and real runs of the compiled
// binary against it. Nothing outside .demo/ is read or written.
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dir, "..");
const home = join(root, ".demo", "home");
rmSync(join(root, ".demo"), { recursive: true, force: true });
mkdirSync(home, { recursive: true });
cpSync(join(root, "test", "fixtures", "demo-home"), home, { recursive: true });

const env: Record<string, string> = {
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  HOME: home,
  HATCH_HOME: join(home, ".hatch"),
  HATCH_PLATFORM: "linux",
  XDG_CONFIG_HOME: join(home, ".config"),
  NO_COLOR: "1",
  GITHUB_TOKEN: "demo-token",
};

function run(args: string[]): number {
  process.stdout.write(`\n$ hatch ${args.join(" ")}\n`);
  const p = Bun.spawnSync([join(root, "dist", "hatch"), ...args], {
    env,
    cwd: home,
    stdout: "inherit",
    stderr: "inherit",
  });
  return p.exitCode ?? 1;
}

process.stdout.write(`Sandbox home: ${home}\n`);
// [command, expected exit code]
const steps: [string[], number][] = [
  [["--version"], 0],
  [["mcp", "discover", "hosts"], 0],
  [["mcp", "list", "servers", "--host", "claude-desktop"], 0],
  // Preview, then apply, the tutorial's first sync.
  [["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor,vscode,lmstudio", "--dry-run"], 0],
  [
    ["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor,vscode,lmstudio", "--auto-approve"],
    0,
  ],
  // VS Code's file keeps its comments and its own server.
  [["mcp", "list", "servers", "--host", "vscode"], 0],
  // Running it again finds nothing to change (exit 0 from --check means "in sync").
  [["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "cursor,vscode,lmstudio", "--check"], 0],
  [["mcp", "list", "servers"], 0],
];
for (const [s, want] of steps) {
  const code = run(s);
  if (code !== want) {
    process.stderr.write(`demo step exited ${code}, expected ${want}: hatch ${s.join(" ")}\n`);
    process.exit(1);
  }
}
process.stdout.write(
  `\n$ cat ~/.config/Code/User/mcp.json\n${await Bun.file(join(home, ".config/Code/User/mcp.json")).text()}`,
);
process.stdout.write("\nDemo finished: every command above ran against the sandbox home in .demo/home\n");
