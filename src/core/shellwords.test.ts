// splitShellWords: the one POSIX-shell word splitter (--args values, HATCH_SSH_COMMAND).
import { expect, test } from "bun:test";
import { splitShellWords } from "./shellwords.ts";

const split = (s: string) => splitShellWords(s, (q) => new Error(`unclosed ${q}`));

test("splitShellWords() reads quotes and backslashes as a POSIX shell does", () => {
  expect(split(`ssh -i "my key" -o 'A=b c' -p\\ 2 x""y`)).toEqual([
    "ssh",
    "-i",
    "my key",
    "-o",
    "A=b c",
    "-p 2",
    "xy",
  ]);
  expect(split(`-m srv  "" ''`)).toEqual(["-m", "srv", "", ""]);
  expect(split(`"a\\"b\\\\c\\$d\\x"`)).toEqual(['a"b\\c$d\\x']);
  expect(split("a\\\nb")).toEqual(["ab"]);
  expect(split("trailing\\")).toEqual(["trailing\\"]);
  expect(split("  \t ")).toEqual([]);
});

test("splitShellWords() reports an open quote through the caller's error", () => {
  expect(() => split("ssh 'open")).toThrow("unclosed '");
  expect(() => split('a "open')).toThrow('unclosed "');
});
