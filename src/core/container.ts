// Reading and editing the server container of a parsed host file (pure).
import { diffEdits, type Edit, getAt, isPlainObject } from "./edits.ts";
import type { Container } from "./adapter.ts";

/** The raw entries of a parsed file, by name, in file order. */
export function rawEntries(container: Container, doc: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const at = getAt(doc, container.path);
  if (container.kind === "map") {
    // for…in (own keys only): no array of pairs per call, as Object.entries builds.
    if (isPlainObject(at)) for (const k in at) if (Object.hasOwn(at, k)) out.set(k, at[k]);
  } else if (Array.isArray(at)) {
    for (const item of at) {
      if (isPlainObject(item) && typeof item[container.nameKey] === "string")
        out.set(item[container.nameKey] as string, item);
    }
  }
  return out;
}

/** What a caller wants done to a host file's servers: entries to write whole, names to remove. */
export interface EntryChanges {
  set: Map<string, Record<string, unknown>>;
  remove: Iterable<string>;
}

/**
 * The structural edits that apply entry changes to a parsed file: existing entries are diffed
 * key by key, new ones are added whole, in one batch for the codec.
 */
export function containerEdits(container: Container, doc: unknown, changes: EntryChanges): Edit[] {
  const edits: Edit[] = [];
  const at = getAt(doc, container.path);
  if (container.kind === "map") {
    const existing = isPlainObject(at) ? at : {};
    for (const [name, raw] of changes.set) {
      // A new entry (most of a sync) is one edit that sets it whole, as diffEdits would give.
      if (raw !== undefined && !Object.hasOwn(existing, name))
        edits.push({ path: container.path.concat(name), value: raw });
      else
        diffEdits(
          container.path.concat(name),
          Object.hasOwn(existing, name) ? existing[name] : undefined,
          raw,
          edits,
        );
    }
    for (const name of changes.remove) {
      if (Object.hasOwn(existing, name)) edits.push({ path: [...container.path, name], remove: true });
    }
    return edits;
  }
  // A list keyed by name. Indices refer to the list as parsed: items are edited in place, new
  // items appended at `length + k`, and removed items dropped last from the highest index down, so
  // the edits mean the same whether a codec reads every index against the one parse (YAML, TOML
  // text) or applies the edits one after another (the TOML check).
  const list = Array.isArray(at) ? at : [];
  const index = new Map<string, number>();
  list.forEach((item, i) => {
    if (isPlainObject(item) && typeof item[container.nameKey] === "string")
      index.set(item[container.nameKey] as string, i);
  });
  const appended: unknown[] = [];
  for (const [name, raw] of changes.set) {
    const i = index.get(name);
    const item = { [container.nameKey]: name, ...raw };
    if (i === undefined) appended.push(item);
    else diffEdits([...container.path, i], list[i], item, edits);
  }
  appended.forEach((item, k) => {
    edits.push({ path: [...container.path, list.length + k], value: item });
  });
  const removed = [...new Set(changes.remove)]
    .map((n) => index.get(n))
    .filter((i): i is number => i !== undefined)
    .sort((a, b) => b - a);
  for (const i of removed) edits.push({ path: [...container.path, i], remove: true });
  return edits;
}
