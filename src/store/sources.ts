// Environments shared through git (PRODUCT.md): a team keeps `NAME.yaml` environment files in a
// repository; each machine clones it with the user's own `git` (credentials, SSH config and proxies
// apply) and reads them as `SOURCE/ENV`, pinned to the commit of the last `hatch env pull`, or to
// any commit with `SOURCE/ENV@<sha>`. Files from a repository are data: nothing in them is run,
// and hatch never writes into a source (a change goes through the repository).
//
// Layout under HATCH_HOME/sources/: `NAME.git/` is a bare clone (git reads files at any commit
// with `git show`, no work tree to keep clean), `NAME.json` the source's settings and the commit
// it is pinned to, and `NAME.files/<commit>/ENV.yaml` the environment files of a commit as read
// from git, so every other part of hatch reads them as it reads its own environments.
import { childProcess } from "../system/builtins.ts";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../core/errors.ts";
import { ENTITY_NAME_RE } from "../core/model.ts";
import type { Workspace } from "./workspace.ts";

export interface EnvSource {
  name: string;
  url: string;
  /** The branch or tag followed (default: the remote's default branch). */
  ref?: string;
  /** The folder of the repository that holds the environment files ("" = the top). */
  path: string;
  /** The commit the source is pinned to (moved only by `hatch env pull`). */
  commit: string;
  /** When it was last pulled. */
  pulledAt: string;
}

/** `team/production` or `team/production@1a2b3c4`. */
export const SOURCE_ENV_RE =
  /^([A-Za-z0-9][A-Za-z0-9._-]*)\/([A-Za-z0-9][A-Za-z0-9._-]*)(?:@([0-9a-fA-F]{4,40}))?$/;

export function isSourceEnvName(name: string): boolean {
  return name.includes("/");
}

function sourcesDir(ws: Workspace): string {
  return join(ws.hatchHome, "sources");
}

function gitDir(ws: Workspace, name: string): string {
  return join(sourcesDir(ws), `${name}.git`);
}

function metaPath(ws: Workspace, name: string): string {
  return join(sourcesDir(ws), `${name}.json`);
}

/** @throws UsageError for a name other than letters, digits, ".", "_", "-" */
export function checkSourceName(name: string): void {
  if (!ENTITY_NAME_RE.test(name) || name.startsWith(".") || name.length > 64) {
    throw new UsageError(
      `Invalid source name "${name}": use letters, digits, ".", "_" and "-" (not first), at most 64`,
      "For example: team, platform-envs",
    );
  }
}

/**
 * Runs the user's `git`. Never prompts (a cron job must not hang on a password question) and
 * never runs hooks.
 * @throws UsageError with git's own first line of error for a URL or ref it cannot read
 */
export function git(args: readonly string[], opts: { cwd?: string; what: string }): string {
  const r = childProcess().spawnSync("git", ["-c", "core.hooksPath=/dev/null", ...args], {
    cwd: opts.cwd,
    encoding: "utf8",
    env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "", SSH_ASKPASS: "" },
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 120_000,
  });
  if (r.error) {
    const missing = (r.error as NodeJS.ErrnoException).code === "ENOENT";
    throw new UsageError(
      missing ? `Cannot ${opts.what}: git is not installed` : `Cannot ${opts.what}: ${r.error.message}`,
      missing ? "Install git, then run the command again" : undefined,
    );
  }
  if (r.status !== 0) {
    const line =
      (r.stderr || r.stdout)
        .split("\n")
        .map((l) => l.replace(/^(fatal|error): /, "").trim())
        .find((l) => l !== "") ?? `git exited with ${r.status}`;
    throw new UsageError(`Cannot ${opts.what}: ${line}`);
  }
  return r.stdout;
}

/** Every source, by name. */
export function listSources(ws: Workspace): EnvSource[] {
  return ws.system
    .list(sourcesDir(ws))
    .filter((f) => f.endsWith(".json"))
    .map((f) => readSource(ws, f.slice(0, -5)))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** @throws UsageError for an unknown source */
export function readSource(ws: Workspace, name: string): EnvSource {
  checkSourceName(name);
  const text = ws.system.readText(metaPath(ws, name));
  if (text === undefined) {
    throw new UsageError(`Unknown environment source "${name}"`, 'List sources with "hatch env source list"');
  }
  return JSON.parse(text) as EnvSource;
}

export function sourceExists(ws: Workspace, name: string): boolean {
  return ws.system.exists(metaPath(ws, name));
}

export function writeSource(ws: Workspace, s: EnvSource): void {
  ws.system.mkdirp(sourcesDir(ws), 0o700);
  ws.system.writeAtomic(metaPath(ws, s.name), `${JSON.stringify(s, null, 2)}\n`, { mode: 0o600 });
}

/** Fetches the remote's branches and tags into the bare clone. */
export function fetchSource(ws: Workspace, name: string, url: string): void {
  git(
    ["fetch", "--quiet", "--prune", "--force", url, "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"],
    {
      cwd: gitDir(ws, name),
      what: `fetch "${url}"`,
    },
  );
}

/** Makes the bare clone of a new source (nothing else is written when git cannot read the URL). */
export function cloneSource(ws: Workspace, name: string, url: string): void {
  ws.system.mkdirp(sourcesDir(ws), 0o700);
  const dir = gitDir(ws, name);
  git(["clone", "--quiet", "--bare", "--no-tags", url, dir], { what: `clone "${url}"` });
}

/** The commit a ref names in the clone (default: the remote's default branch). */
export function resolveRef(ws: Workspace, name: string, ref: string | undefined): string {
  const spec = ref ?? "HEAD";
  return git(["rev-parse", "--verify", "--quiet", `${spec}^{commit}`], {
    cwd: gitDir(ws, name),
    what: `find ref "${spec}" in source "${name}"`,
  }).trim();
}

/** Whether `older` is an ancestor of `newer` (false after a force-push that rewrote history). */
export function isAncestor(ws: Workspace, name: string, older: string, newer: string): boolean {
  try {
    git(["merge-base", "--is-ancestor", older, newer], { cwd: gitDir(ws, name), what: "compare commits" });
    return true;
  } catch {
    return false;
  }
}

/** Removes a source's clone and the files read from it (not its settings). */
export function discardClone(ws: Workspace, name: string): void {
  checkSourceName(name);
  for (const p of [join(sourcesDir(ws), `${name}.files`), gitDir(ws, name)]) {
    rmSync(p, { recursive: true, force: true });
  }
}

/** Removes a source's clone, settings and files. */
export function removeSource(ws: Workspace, name: string): void {
  readSource(ws, name);
  discardClone(ws, name);
  ws.system.remove(metaPath(ws, name));
}

function folder(s: EnvSource): string {
  return s.path.replace(/^\/+|\/+$/g, "");
}

/** The environment names of a source at a commit (its `*.yaml` files in the source's folder). */
export function sourceEnvNames(ws: Workspace, s: EnvSource, commit = s.commit): string[] {
  const dir = folder(s);
  const out = git(["ls-tree", "--name-only", commit, ...(dir === "" ? [] : [`${dir}/`])], {
    cwd: gitDir(ws, s.name),
    what: `list the environments of source "${s.name}"`,
  });
  return out
    .split("\n")
    .map((l) => l.trim().split("/").pop() ?? "")
    .filter((f) => f.endsWith(".yaml") && ENTITY_NAME_RE.test(f.slice(0, -5)) && !f.startsWith("."))
    .map((f) => f.slice(0, -5))
    .sort();
}

/**
 * The local file holding `SOURCE/ENV[@commit]` as the repository has it at that commit, read
 * from git the first time it is asked for.
 * @throws UsageError for an unknown source, commit or environment (with the names there are)
 */
export function sourceEnvFile(
  ws: Workspace,
  spec: string,
): { path: string; source: EnvSource; commit: string } {
  const m = SOURCE_ENV_RE.exec(spec);
  if (!m) {
    throw new UsageError(
      `Invalid environment "${spec}": a shared environment is SOURCE/ENV or SOURCE/ENV@COMMIT`,
      "For example: team/production, team/production@1a2b3c4",
    );
  }
  const [, name, env, at] = m as unknown as [string, string, string, string | undefined];
  const s = readSource(ws, name);
  const commit = at ? resolveRef(ws, name, at) : s.commit;
  const path = join(sourcesDir(ws), `${name}.files`, commit, `${env}.yaml`);
  if (!ws.system.exists(path)) {
    const names = sourceEnvNames(ws, s, commit);
    if (!names.includes(env)) {
      throw new UsageError(
        `Source "${name}" has no environment "${env}" at ${commit.slice(0, 12)}`,
        names.length
          ? `Its environments: ${names.map((n) => `${name}/${n}`).join(", ")}`
          : "It holds no NAME.yaml files",
      );
    }
    const dir = folder(s);
    const text = git(["show", `${commit}:${dir === "" ? "" : `${dir}/`}${env}.yaml`], {
      cwd: gitDir(ws, name),
      what: `read "${env}.yaml" of source "${name}"`,
    });
    ws.system.mkdirp(join(sourcesDir(ws), `${name}.files`, commit), 0o700);
    ws.system.writeAtomic(path, text, { mode: 0o600 });
  }
  return { path, source: s, commit };
}
