import { describe, expect, test } from "bun:test";
import { escapeControls, table } from "./output.ts";

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

describe("escapeControls()", () => {
  test("a terminal title, a cursor move, DEL, C1 and line separators are shown escaped", () => {
    expect(escapeControls("evil\x1b]0;pwned\x07name")).toBe("evil\\x1b]0;pwned\\x07name");
    expect(escapeControls("a\rb\x7fc\x9b31md")).toBe("a\\x0db\\x7fc\\x9b31md");
    expect(escapeControls("x\u2028y\u202egnp.exe")).toBe("x\\u2028y\\u202egnp.exe");
    // Tab and line feed are layout, kept; plain text is returned as is.
    expect(escapeControls("a\tb\nc")).toBe("a\tb\nc");
    expect(escapeControls("café 🙂")).toBe("café 🙂");
  });
  test("hatch's own colour codes pass where colour is on; any other escape sequence does not", () => {
    const painted = "\x1b[32m+\x1b[39m srv\x1b[8mhidden";
    expect(escapeControls(painted, true)).toBe("\x1b[32m+\x1b[39m srv\\x1b[8mhidden");
    expect(escapeControls(painted, false)).toBe("\\x1b[32m+\\x1b[39m srv\\x1b[8mhidden");
  });
});
