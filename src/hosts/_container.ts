// Reading and editing the server container of a parsed host file (pure).
import { diffEdits, type Edit, getAt, isPlainObject } from "../core/edits.ts";
import type { Container } from "./_adapter.ts";

/** The raw entries of a parsed file, by name, in file order. */
export function rawEntries(container: Container, doc: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const at = getAt(doc, container.path);
  if (container.kind === "map") {
    if (isPlainObject(at)) for (const [k, v] of Object.entries(at)) out.set(k, v);
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
      diffEdits(
        [...container.path, name],
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
  // A list keyed by name: edit items in place, append new ones as one replacement of the list
  // tail is not expressible as a path edit, so new items extend the array value.
  const list = Array.isArray(at) ? at : [];
  const index = new Map<string, number>();
  list.forEach((item, i) => {
    if (isPlainObject(item) && typeof item[container.nameKey] === "string")
      index.set(item[container.nameKey] as string, i);
  });
  const removed = new Set(changes.remove);
  const appended: unknown[] = [];
  for (const [name, raw] of changes.set) {
    const i = index.get(name);
    const item = { [container.nameKey]: name, ...raw };
    if (i === undefined) appended.push(item);
    else diffEdits([...container.path, i], list[i], item, edits);
  }
  if (appended.length > 0 || [...removed].some((n) => index.has(n))) {
    if ([...removed].some((n) => index.has(n))) {
      // Removing from a list shifts indices: rewrite the list value.
      const next = list.filter(
        (item) => !(isPlainObject(item) && removed.has(item[container.nameKey] as string)),
      );
      const updated = next.map((item) => {
        const n = isPlainObject(item) ? (item[container.nameKey] as string) : undefined;
        const raw = n !== undefined ? changes.set.get(n) : undefined;
        return raw ? { [container.nameKey]: n, ...raw } : item;
      });
      return [{ path: container.path, value: [...updated, ...appended] }];
    }
    appended.forEach((item, k) => {
      edits.push({ path: [...container.path, list.length + k], value: item });
    });
  }
  return edits;
}
