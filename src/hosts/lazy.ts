// A built-in host whose module is evaluated at its first use. The registry knows every host's id
// and aliases (to resolve names) without evaluating 37 modules and the formats they import: a run
// that names its hosts loads only theirs (its one chunk each, and TOML's code only with Codex or
// Mistral Vibe). Measured 2026-12-03 (Bun 1.4.5, compiled binary, copies A/B in both orders): the
// everyday sync into 5 JSON hosts 1.045 and 0.961 (~4% faster), `list servers --host` 1.072,
// 1,000 servers into 7 named hosts 1.055 and 0.989; runs that load every host (`--to-host all`,
// `discover hosts`) 0.97–1.01.
//
// The object's other properties are its own getters (enumerable, as the adapter's are data), so a
// spread (`{ ...adapter, encode }`) or Object.create() of it still reads the host's adapter.
import type { HostAdapter } from "../core/adapter.ts";

const REAL = new WeakMap<HostAdapter, () => HostAdapter>();

/** A registry entry for the host `id`, whose module `load` returns its adapter. */
export function lazyHost(id: string, aliases: readonly string[], load: () => HostAdapter): HostAdapter {
  let real: HostAdapter | undefined;
  const get = (): HostAdapter => {
    if (real === undefined) {
      const a = load();
      // The registry's table and the module must agree (registry.test.ts holds every entry).
      if (a.id !== id) throw new Error(`Internal error: the module of host "${id}" is "${a.id}"`);
      real = a;
    }
    return real;
  };
  const lazy: HostAdapter = {
    id,
    aliases,
    get label() {
      return get().label;
    },
    get format() {
      return get().format;
    },
    get container() {
      return get().container;
    },
    get fields() {
      return get().fields;
    },
    get envSyntax() {
      return get().envSyntax;
    },
    get remote() {
      return get().remote;
    },
    userPath: (ctx) => get().userPath(ctx),
    // The optional methods as the host has them (or not): callers test for them.
    get detectPaths() {
      return get().detectPaths;
    },
    get projectPath() {
      return get().projectPath;
    },
    get forProject() {
      return get().forProject;
    },
    decode: (name, raw) => get().decode(name, raw),
    encode: (name, server, existing, ctx) => get().encode(name, server, existing, ctx),
  };
  REAL.set(lazy, get);
  return lazy;
}

/** The host's own adapter (its module evaluated) for a registry entry; any other adapter as it is. */
export function realAdapter(a: HostAdapter): HostAdapter {
  const get = REAL.get(a);
  return get === undefined ? a : get();
}
