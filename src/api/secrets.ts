// `secrets.*`: hatch's secret store, as both faces use it (`hatch secret set|list|remove` and
// scripts). Values are written and read, never returned by list and never printed.
import { UsageError } from "../core/errors.ts";
import { suggest } from "../hosts/registry.ts";
import { checkSecretName, type SecretBackend, type StoreKind, secretStores } from "../secrets/store.ts";
import { DryRunSystem } from "../system/dryrun.ts";
import { defaultWorkspace, type Workspace } from "../store/workspace.ts";

export interface SecretEntry {
  name: string;
  /** Where it is kept: the OS keychain or the owner-only file. */
  store: StoreKind;
  /** Which keychain or which file. */
  location: string;
}

export interface SecretSetResult {
  name: string;
  store: StoreKind;
  location: string;
  dryRun: boolean;
  /** The secret existed (in this store) before: its value was replaced. */
  replaced: boolean;
}

export interface SecretRemoveResult {
  name: string;
  dryRun: boolean;
  /** The stores it was removed from. */
  removedFrom: SecretEntry[];
}

interface Opts {
  workspace?: Workspace;
  dryRun?: boolean;
}

function wsOf(opts: Opts | undefined): Workspace {
  const ws = opts?.workspace ?? defaultWorkspace();
  // A dry run records the file store's write and changes nothing.
  return opts?.dryRun && !(ws.system instanceof DryRunSystem)
    ? { ...ws, system: new DryRunSystem(ws.system) }
    : ws;
}

const entry = (name: string, s: SecretBackend): SecretEntry => ({ name, store: s.kind, location: s.label });

/** Puts each secret in the store (capture: `env create --from-host`, `sync --to-env`). */
export function storeSecrets(ws: Workspace, values: ReadonlyMap<string, string>): void {
  if (values.size === 0) return;
  const stores = secretStores(ws);
  for (const [name, value] of values) {
    checkSecretName(name);
    if (stores.primary.get(name) !== value) stores.primary.set(name, value);
  }
}

export const secrets = {
  /**
   * Stores a secret: in the OS keychain where one works, else in the owner-only file
   * `HATCH_HOME/secrets.json` (`HATCH_SECRET_STORE=file|keychain` forces one). Refer to it as
   * `${secret:NAME}` in env values and headers.
   * @example await secrets.set("github/token", process.env.GH_TOKEN ?? "");
   */
  async set(name: string, value: string, opts: Opts = {}): Promise<SecretSetResult> {
    checkSecretName(name);
    if (typeof value !== "string" || value === "")
      throw new UsageError(`Secret "${name}" needs a value: it is empty`);
    const ws = wsOf(opts);
    const stores = secretStores(ws);
    const s = stores.primary;
    const replaced = s.get(name) !== undefined;
    const dryRun = opts.dryRun === true;
    if (!dryRun || s.kind === "file") s.set(name, value);
    // A copy left in the file from a time without a keychain would shadow nothing but would linger.
    if (!dryRun && s.kind === "keychain")
      for (const other of stores.readable) if (other !== s) other.remove(name);
    return { name, store: s.kind, location: s.label, dryRun, replaced };
  },

  /** The names of the stored secrets and where each is kept (never their values). */
  async list(opts: Omit<Opts, "dryRun"> = {}): Promise<SecretEntry[]> {
    const stores = secretStores(wsOf(opts));
    const out: SecretEntry[] = [];
    for (const s of stores.readable) for (const n of s.list()) out.push(entry(n, s));
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  },

  /** Removes a secret from every store holding it. @throws UsageError for an unknown secret */
  async remove(name: string, opts: Opts = {}): Promise<SecretRemoveResult> {
    checkSecretName(name);
    const ws = wsOf(opts);
    const stores = secretStores(ws);
    const dryRun = opts.dryRun === true;
    const removedFrom: SecretEntry[] = [];
    for (const s of stores.readable) {
      const has = s.get(name) !== undefined;
      if (!has) continue;
      if (!dryRun || s.kind === "file") s.remove(name);
      removedFrom.push(entry(name, s));
    }
    if (removedFrom.length === 0) {
      const known = stores.readable.flatMap((s) => s.list());
      const hint = suggest(name, known);
      throw new UsageError(
        `Unknown secret "${name}"${hint ? `: did you mean "${hint}"?` : ""}`,
        'List secrets with "hatch secret list"',
      );
    }
    return { name, dryRun, removedFrom };
  },
};
