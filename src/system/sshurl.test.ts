import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { posixCksum } from "./cksum.ts";
import { shellQuote, splitShellWords } from "./ssh.ts";
import { formatSshUrl, machineOf, parseSshMachine, parseSshUrl } from "./sshurl.ts";

describe("parseSshUrl", () => {
  test.each([
    ["ssh://ws1/etc/mcp.json", { machine: "ws1", path: "/etc/mcp.json" }],
    ["ssh://ws1/~/.cursor/mcp.json", { machine: "ws1", path: "~/.cursor/mcp.json" }],
    ["ssh://me@ws1:2222/~/x.json", { user: "me", machine: "ws1", port: 2222, path: "~/x.json" }],
    ["ssh://[::1]:22/x.json", { machine: "::1", port: 22, path: "/x.json" }],
  ])("parses %p", (url, want) => {
    expect(parseSshUrl(url)).toEqual(want);
    expect(formatSshUrl(parseSshUrl(url) as never)).toBe(url);
  });

  test.each([
    ["ssh://ws1", "names no file"],
    ["ssh://ws1/", "directory"],
    ["ssh://ws1/~", "HOME directory"],
    ["ssh://-oProxyCommand=evil/x", "not a machine name"],
    ["ssh://-l@ws1/x", "not a user name"],
    ["ssh://ws1:0/x", "not 1–65535"],
    ["ssh://ws1/a\nb", "control character"],
  ])("refuses %p", (url, why) => {
    expect(String(parseSshUrl(url))).toContain(why);
  });

  test("parseSshMachine takes a machine without a path; machineOf keys one connection", () => {
    const m = parseSshMachine("ssh://me@ws1:2222/");
    expect(m).toEqual({ user: "me", machine: "ws1", port: 2222, path: "" });
    expect(machineOf(m as never)).toBe("me@ws1:2222");
    expect(String(parseSshMachine("ssh://ws1/x"))).toContain("names a file");
  });
});

describe("splitShellWords and shellQuote", () => {
  test("split HATCH_SSH_COMMAND like a shell", () => {
    expect(splitShellWords(`ssh -i "my key" -o 'A=b c' -p\\ 2 x""y`)).toEqual([
      "ssh",
      "-i",
      "my key",
      "-o",
      "A=b c",
      "-p 2",
      "xy",
    ]);
    expect(() => splitShellWords("ssh 'open")).toThrow("unterminated");
  });

  test("a quoted word reaches sh unchanged, whatever it holds", () => {
    const word = `it's $HOME \`id\` "x" \\ ; | & * ~`;
    const r = spawnSync("sh", ["-c", `printf %s ${shellQuote(word)}`], { encoding: "utf8" });
    expect(r.stdout).toBe(word);
  });
});

describe("posixCksum", () => {
  test.each([[""], ["hello world\n"], ["x".repeat(70_000)], ["é ✓ \u0000 binary"]])(
    "agrees with cksum(1) for %#",
    (text) => {
      const bytes = Buffer.from(text, "utf8");
      const r = spawnSync("cksum", [], { input: bytes, encoding: "utf8" });
      expect(posixCksum(bytes)).toBe(r.stdout.trim());
    },
  );
});
