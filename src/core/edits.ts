// Structural edits of a parsed file, computed as data so each codec can apply them all in one
// pass over one parse (format-preserving, and linear in the number of servers).

export type Path = readonly (string | number)[];

/** Set the value at a path (creating missing objects on the way), or remove the key at a path. */
export type Edit = { path: Path; value: unknown } | { path: Path; remove: true };

export function isRemove(e: Edit): e is { path: Path; remove: true } {
  return "remove" in e;
}

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x) && !(x instanceof Date);
}

/**
 * `o[k] = v`, except that a key named `__proto__` (JSON.parse makes it an own key like any other)
 * becomes an own key too, not the object's prototype.
 */
export function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === "__proto__")
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/** Structural equality of JSON-like values (key order ignored for objects). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    for (const k of ka) {
      if (!Object.hasOwn(b, k) || !deepEqual(a[k], b[k])) return false;
    }
    return true;
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return false;
}

/**
 * The smallest edits that turn `before` into `after` at `base`: objects are compared key by key
 * (so untouched keys, and the comments around them, stay as they are); arrays and scalars are
 * replaced whole when they differ. `undefined` in `after` means "absent".
 */
export function diffEdits(base: Path, before: unknown, after: unknown, out: Edit[] = []): Edit[] {
  if (after === undefined) {
    if (before !== undefined) out.push({ path: base, remove: true });
    return out;
  }
  if (isPlainObject(before) && isPlainObject(after)) {
    for (const k of Object.keys(before)) {
      if (!Object.hasOwn(after, k) || after[k] === undefined) out.push({ path: [...base, k], remove: true });
    }
    for (const [k, v] of Object.entries(after)) {
      if (v === undefined) continue;
      diffEdits([...base, k], before[k], v, out);
    }
    return out;
  }
  if (!deepEqual(before, after)) out.push({ path: base, value: after });
  return out;
}

/** Reads the value at a path of a plain parsed value. */
export function getAt(root: unknown, path: Path): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (Array.isArray(cur) && typeof seg === "number") cur = cur[seg];
    else if (isPlainObject(cur) && typeof seg === "string")
      cur = Object.hasOwn(cur, seg) ? cur[seg] : undefined;
    else return undefined;
  }
  return cur;
}
