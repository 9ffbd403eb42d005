// `envSources.*`: environments shared through git, as both faces use them (`hatch env source …`,
// `hatch env pull`, scripts). Everything git does is done by the user's `git` (store/sources.ts).
import { UsageError } from "../core/errors.ts";
import {
  checkSourceName,
  cloneSource,
  discardClone,
  type EnvSource,
  fetchSource,
  isAncestor,
  listSources,
  readSource,
  removeSource,
  resolveRef,
  sourceEnvNames,
  sourceExists,
  writeSource,
} from "../store/sources.ts";
import { defaultWorkspace, type Workspace } from "../store/workspace.ts";

export type { EnvSource };

/** What one source's pull did. */
export interface PullResult {
  name: string;
  /** The commit before and after (equal when nothing changed). */
  from: string;
  to: string;
  changed: boolean;
  /** The ref was rewritten (force-pushed): the old commit is not an ancestor of the new one. */
  forced: boolean;
  /** The environments of the source at the new commit. */
  environments: string[];
}

function wsOf(opts: { workspace?: Workspace } | undefined): Workspace {
  return opts?.workspace ?? defaultWorkspace();
}

export const envSources = {
  /**
   * Adds a source: clones the repository with the user's git and pins it to the ref's commit.
   * @throws UsageError for a name in use, or a URL or ref git cannot read (nothing kept then)
   */
  async add(
    name: string,
    url: string,
    opts: { ref?: string; path?: string; workspace?: Workspace } = {},
  ): Promise<EnvSource & { environments: string[] }> {
    const ws = wsOf(opts);
    checkSourceName(name);
    if (sourceExists(ws, name)) {
      throw new UsageError(
        `Environment source "${name}" already exists`,
        `Pull it with "hatch env pull ${name}", or remove it first with "hatch env source remove ${name}"`,
      );
    }
    if (typeof url !== "string" || url.trim() === "")
      throw new UsageError("The source's URL is empty", "Give a URL git can clone");
    discardClone(ws, name); // what a run killed mid-clone left
    cloneSource(ws, name, url);
    try {
      const commit = resolveRef(ws, name, opts.ref);
      const s: EnvSource = {
        name,
        url,
        ...(opts.ref ? { ref: opts.ref } : {}),
        path: opts.path ?? "",
        commit,
        pulledAt: new Date().toISOString(),
      };
      const environments = sourceEnvNames(ws, s);
      writeSource(ws, s);
      return { ...s, environments };
    } catch (e) {
      // A ref or folder that does not exist: the clone is not kept.
      discardClone(ws, name);
      throw e;
    }
  },

  /** Every source with the commit it is pinned to and its environments. */
  list(opts: { workspace?: Workspace } = {}): (EnvSource & { environments: string[] })[] {
    const ws = wsOf(opts);
    return listSources(ws).map((s) => ({ ...s, environments: sourceEnvNames(ws, s) }));
  },

  /** Removes a source (its clone and files; nothing else changes). */
  async remove(name: string, opts: { workspace?: Workspace } = {}): Promise<EnvSource> {
    const ws = wsOf(opts);
    const s = readSource(ws, name);
    removeSource(ws, name);
    return s;
  },

  /**
   * Fetches one source (or every one) and moves it to its ref's commit. Nothing changes between
   * pulls: a sync from `team/production` uses the commit of the last pull.
   */
  async pull(name?: string, opts: { workspace?: Workspace } = {}): Promise<PullResult[]> {
    const ws = wsOf(opts);
    const sources = name === undefined ? listSources(ws) : [readSource(ws, name)];
    const out: PullResult[] = [];
    for (const s of sources) {
      fetchSource(ws, s.name, s.url);
      const to = resolveRef(ws, s.name, s.ref);
      const forced = to !== s.commit && !isAncestor(ws, s.name, s.commit, to);
      const next = { ...s, commit: to, pulledAt: new Date().toISOString() };
      const environments = sourceEnvNames(ws, next);
      writeSource(ws, next);
      out.push({ name: s.name, from: s.commit, to, changed: to !== s.commit, forced, environments });
    }
    return out;
  },
};
