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
const steps: string[][] = [
  ["--version"],
  ["mcp", "discover", "hosts"],
  ["mcp", "list", "hosts"],
  ["mcp", "list", "servers", "--host", "claude-desktop"],
  ["mcp", "list", "servers"],
];
for (const s of steps) {
  const code = run(s);
  if (code !== 0) {
    process.stderr.write(`demo step failed with exit code ${code}: hatch ${s.join(" ")}\n`);
    process.exit(1);
  }
}
process.stdout.write("\nDemo finished: every command above ran against the sandbox home in .demo/home\n");
