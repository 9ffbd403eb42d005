import { describe, expect, test } from "bun:test";
import { table } from "./output.ts";

describe("table()", () => {
  test("columns line up by characters shown: ASCII, colour codes and non-ASCII alike", () => {
    const rows = table(
      ["NAME", "HOST"],
      [
        ["\x1b[32mweather\x1b[39m", "cursor"],
        ["café-🙂", "zed"],
        ["plain", "vscode"],
      ],
    );
    const visible = rows.map((r) => r.replace(/\x1b\[[0-9;]*m/g, ""));
    // The second column starts at the same character position on every line.
    expect(visible[0]).toBe("  NAME     HOST");
    expect(visible[1]).toBe("  ───────────────");
    expect(visible[2]).toBe("  weather  cursor");
    expect(visible[3]).toBe("  café-🙂   zed");
    expect(visible[4]).toBe("  plain    vscode");
  });
});
