// Pieces of the adapters' code as it was before the encode and decode fast paths, shared by the
// differential tests that hold those paths to it (src/hosts/_standard-encode.test.ts and
// _standard-decode.test.ts). Not used by hatch itself.
import { isPlainObject } from "../../src/core/edits.ts";
import type { StandardSpec } from "../../src/hosts/_standard.ts";

/** A value's strings mapped through `f` (a list or record one level deep, copied). */
export function mapStrings(x: unknown, f: (s: string) => string): unknown {
  if (typeof x === "string") return f(x);
  if (Array.isArray(x)) return x.map((s) => (typeof s === "string" ? f(s) : s));
  if (isPlainObject(x)) {
    const o: Record<string, unknown> = {};
    for (const k in x) {
      if (!Object.hasOwn(x, k)) continue;
      const val = x[k];
      o[k] = typeof val === "string" ? f(val) : val;
    }
    return o;
  }
  return x;
}

/** Canonical fields whose strings may hold env-var references. */
export const INTERPOLATED: ReadonlySet<string> = new Set(["command", "args", "env", "cwd", "url", "headers"]);

/** Goose extension types that are not MCP servers. */
export const GOOSE_NON_MCP_TYPES: ReadonlySet<string> = new Set([
  "builtin",
  "platform",
  "frontend",
  "inline_python",
]);

/** The host keys an adapter owns (its other keys pass through as host-only fields). */
export function referenceOwnedKeys(spec: StandardSpec): Set<string> {
  return new Set<string>([
    ...Object.values(spec.keys).filter((k): k is string => !!k),
    ...spec.urlKeys.map((u) => u.key),
    ...(spec.type ? [spec.type.key] : []),
    ...(spec.ownedKeys ?? []),
  ]);
}
