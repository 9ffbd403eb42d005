// containerEdits against its reference: every entry of a map container diffed by diffEdits (new
// entries are one edit setting them whole, which the shortcut writes without the diff).
import { expect, test } from "bun:test";
import fc from "fast-check";
import { diffEdits, type Edit } from "./edits.ts";
import { containerEdits } from "./container.ts";

const name = fc.constantFrom("a", "b", "c", "d", "__proto__", "toString", "");
const entry = fc.dictionary(fc.constantFrom("command", "args", "x"), fc.jsonValue({ maxDepth: 2 }), {
  maxKeys: 3,
});

test("a map container's edits equal a diff of every entry", () => {
  fc.assert(
    fc.property(
      fc.constantFrom<readonly string[]>(["mcpServers"], ["mcp", "servers"], []),
      fc.dictionary(name, entry, { maxKeys: 4 }),
      fc.array(fc.tuple(name, entry), { maxLength: 5 }),
      fc.array(name, { maxLength: 3 }),
      (path, existing, sets, remove) => {
        const doc =
          path.length === 0
            ? existing
            : path.length === 1
              ? { mcpServers: existing }
              : { mcp: { servers: existing } };
        const set = new Map(sets);
        const want: Edit[] = [];
        for (const [n, raw] of set)
          diffEdits([...path, n], Object.hasOwn(existing, n) ? existing[n] : undefined, raw, want);
        for (const n of remove)
          if (Object.hasOwn(existing, n)) want.push({ path: [...path, n], remove: true });
        expect(containerEdits({ kind: "map", path }, doc, { set, remove })).toEqual(want);
      },
    ),
    { numRuns: 500 },
  );
});
