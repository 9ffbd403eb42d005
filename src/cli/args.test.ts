import { describe, expect, test } from "bun:test";
import { parseArgs } from "node:util";
import { attachValues, parseFlags, UnknownFlagError } from "./args.ts";
import { GLOBAL_OPTIONS, type OptionSpec } from "./command.ts";
import { COMMANDS } from "./table/index.ts";

const OPTIONS: Record<string, OptionSpec> = {
  args: { type: "string", multiple: true, variadic: true, description: "" },
  command: { type: "string", description: "" },
  pattern: { type: "string", description: "" },
  yes: { type: "boolean", short: "y", description: "" },
};

describe("attachValues()", () => {
  test("a variadic option takes every value up to the next flag (Python's nargs=*)", () => {
    expect(attachValues(["--args", "weather-mcp", "serve", "--command", "uvx"], OPTIONS)).toEqual([
      "--args=weather-mcp",
      "--args=serve",
      "--command",
      "uvx",
    ]);
    expect(attachValues(["--args", "a", "b", "-y"], OPTIONS)).toEqual(["--args=a", "--args=b", "-y"]);
  });
  test("its first value may start with -, and it can be repeated", () => {
    expect(attachValues(["--args", "-y", "@acme/w", "--args", "x"], OPTIONS)).toEqual([
      "--args=-y",
      "--args=@acme/w",
      "--args=x",
    ]);
  });
  test("--name=value and -- are left alone; other string options take one value", () => {
    expect(attachValues(["--args=a", "b"], OPTIONS)).toEqual(["--args=a", "b"]);
    expect(attachValues(["--args", "a", "--", "b"], OPTIONS)).toEqual(["--args=a", "--", "b"]);
    expect(attachValues(["--pattern", "-v2$", "name"], OPTIONS)).toEqual(["--pattern=-v2$", "name"]);
  });
});

/** node:util's parseArgs as main.ts called it before parseFlags: the reference. */
function reference(args: string[], options: Record<string, OptionSpec>) {
  return parseArgs({
    args,
    options: Object.fromEntries(
      Object.entries(options).map(([k, o]) => [
        k,
        {
          type: o.type,
          ...(o.short ? { short: o.short } : {}),
          ...(o.multiple || o.variadic ? { multiple: true } : {}),
        },
      ]),
    ),
    allowPositionals: true,
    strict: true,
  });
}

/** The outcome of a parser as plain data: its result, or that it threw. */
function outcome(parse: () => { values: object; positionals: string[] }) {
  try {
    const { values, positionals } = parse();
    return { values: { ...values }, positionals };
  } catch {
    return "error";
  }
}

const FLAGS: Record<string, OptionSpec> = {
  ...OPTIONS,
  description: { type: "string", short: "D", description: "" },
  "dry-run": { type: "boolean", description: "" },
  "no-backup": { type: "boolean", description: "" },
  host: { type: "string", multiple: true, description: "" },
  ...GLOBAL_OPTIONS,
};

describe("parseFlags()", () => {
  const lines: string[][] = [
    [],
    ["a", "b"],
    ["--dry-run", "name"],
    ["name", "--command", "uvx", "--args", "x", "--args", "y"],
    ["--command=uvx", "--pattern=a=b", "-y"],
    ["-y", "-q", "-yq", "-qy", "-h"],
    ["-D", "text", "-Dtext", "-yDtext", "-yD", "last"],
    ["--description", "one", "--description", "two"],
    ["--host", "a", "--host=b", "--host", "c"],
    ["--", "--dry-run", "-y"],
    ["-", "x", "--no-color", "--no-backup"],
    ["--description="],
    ["--dry-run=yes"],
    ["--dry-run=", "x"],
    ["--nope"],
    ["--nope=1"],
    ["-z"],
    ["-yz"],
    ["--description"],
    ["-D"],
    ["-yD"],
    ["--yes", "--yes", "--verbose"],
    ["name", "--", "--"],
  ];
  test("reads every line as node:util's parseArgs does (strict, positionals allowed)", () => {
    for (const args of lines) {
      expect({ args, got: outcome(() => parseFlags(args, FLAGS)) }).toEqual({
        args,
        got: outcome(() => reference(args, FLAGS)),
      });
    }
  });

  test("and so every command's flags, after attachValues, on a line that uses them all", () => {
    for (const c of COMMANDS) {
      const options = { ...c.options, ...GLOBAL_OPTIONS };
      const args = ["first"];
      for (const [name, o] of Object.entries(options)) {
        if (o.type === "boolean") args.push(o.short ? `-${o.short}` : `--${name}`);
        else args.push(`--${name}`, `-value-of-${name}`, ...(o.variadic ? ["more", "words"] : []));
      }
      args.push("second");
      const attached = attachValues(args, options);
      expect(outcome(() => parseFlags(attached, options))).toEqual(
        outcome(() => reference(attached, options)),
      );
    }
  });

  test("an unknown flag is an UnknownFlagError that names it, also inside a group of short flags", () => {
    for (const [args, flag] of [
      [["--nope"], "--nope"],
      [["--nope=1"], "--nope"],
      [["-yz"], "-z"],
    ] as const) {
      let error: unknown;
      try {
        parseFlags(args, FLAGS);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UnknownFlagError);
      expect((error as UnknownFlagError).flag).toBe(flag);
    }
  });

  test("a missing or unwanted value says which flag, as parseArgs does", () => {
    expect(() => parseFlags(["--description"], FLAGS)).toThrow(
      "Option '-D, --description <value>' argument missing",
    );
    expect(() => parseFlags(["--dry-run=1"], FLAGS)).toThrow("Option '--dry-run' does not take an argument");
    expect(() => parseFlags(["-yD", "-x"], FLAGS)).toThrow("Option '-D' argument is ambiguous");
  });
});
