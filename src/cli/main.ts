// The entry point: argv → command → exit code. The only place that calls process.exit and maps
// errors to exit codes (0 done, 1 failed, 2 bad input, 3 drift).
import { ApplyError, ConfigError, HostParseError, UsageError } from "../core/errors.ts";
import { pathContext } from "../hosts/_paths.ts";
import { RealSystem } from "../system/system.ts";
import { attachValues, type ParsedArgs, parseFlags, UnknownFlagError } from "./args.ts";
import { type Command, GLOBAL_OPTIONS, type OptionSpec } from "./command.ts";
import { flushOutput, makeOutput, writeErr, writeStdout } from "./output.ts";
import { COMMANDS } from "./table/index.ts";
import { COMMIT, VERSION } from "./version.ts";

/** `hatch help` and `hatch help TOPIC` only: the topics' text is not needed to run a command. */
const helpTopics = () => import("./help-topics.ts");

/** "Did you mean", loaded on a mistake only. */
async function suggest(name: string, known: Iterable<string>): Promise<string | undefined> {
  return (await import("../hosts/suggest.ts")).suggest(name, known);
}

function flagText(name: string, o: OptionSpec): string {
  return `${o.short ? `-${o.short}, ` : ""}--${name}${o.type === "string" ? ` ${o.value ?? "VALUE"}` : ""}`;
}

export function commandHelp(c: Command): string {
  const lines = [`${c.summary}`, "", `Usage: hatch ${c.path.join(" ")} ${c.usage}`.trimEnd()];
  if (c.positionals?.length) {
    lines.push("", "Arguments:");
    for (const p of c.positionals) lines.push(`  ${p.name.padEnd(26)} ${p.description}`);
  }
  const opts = { ...c.options, ...GLOBAL_OPTIONS };
  lines.push("", "Options:");
  for (const [name, o] of Object.entries(opts))
    lines.push(`  ${flagText(name, o).padEnd(26)} ${o.description}`);
  if (c.examples.length) {
    lines.push("", "Examples:");
    for (const e of c.examples) lines.push(`  ${e}`);
  }
  return lines.join("\n");
}

async function groupHelp(prefix: string[]): Promise<string> {
  const subs = COMMANDS.filter((c) => !c.hidden && prefix.every((w, i) => c.path[i] === w));
  const lines: string[] = [];
  if (prefix.length === 0) {
    lines.push(
      "hatch: keep MCP server configurations in sync across every AI host, safely",
      "",
      "Usage: hatch <command> [options]",
    );
  } else {
    lines.push(`Usage: hatch ${prefix.join(" ")} <command> [options]`);
  }
  lines.push("", "Commands:");
  const width = Math.max(...subs.map((c) => c.path.join(" ").length));
  for (const c of subs) lines.push(`  ${c.path.join(" ").padEnd(width)}  ${c.summary}`);
  lines.push("", 'Run "hatch <command> --help" for the flags and examples of a command.');
  if (prefix.length === 0) {
    lines.push("", ...(await helpTopics()).topicList());
    lines.push(
      "",
      "Global options:",
      "  -v, -V, --version          Print the version (-v after a command is --verbose)",
      "  -h, --help                 Show help",
    );
  }
  return lines.join("\n");
}

/** The longest command whose words start argv. */
function findCommand(argv: string[]): { command?: Command; rest: string[]; words: string[] } {
  const words: string[] = [];
  for (const a of argv) {
    if (a.startsWith("-")) break;
    words.push(a);
  }
  let best: Command | undefined;
  for (const c of COMMANDS) {
    if (c.path.length <= words.length && c.path.every((w, i) => words[i] === w)) {
      if (!best || c.path.length > best.path.length) best = c;
    }
  }
  if (!best) return { rest: argv, words };
  const idx = argv.indexOf(best.path[best.path.length - 1] as string);
  return { command: best, rest: argv.slice(idx + 1), words };
}

/** Whether some visible command's words start with `words` (a command or a group of them). */
function isPrefix(words: readonly string[]): boolean {
  return COMMANDS.some((c) => !c.hidden && words.every((w, i) => c.path[i] === w));
}

/**
 * What a mistyped command line most likely meant, as command words: the longest known prefix of
 * `words` plus the closest word that may follow it (`env craete` → `env create`), or the same
 * under `mcp` (`sync` → `mcp sync`, `snyc` → `mcp sync`, `backup` → `mcp backup`).
 */
export async function suggestCommand(words: readonly string[]): Promise<string | undefined> {
  const nextWords = (prefix: readonly string[]) => [
    ...new Set(
      COMMANDS.filter(
        (c) => !c.hidden && c.path.length > prefix.length && prefix.every((w, i) => c.path[i] === w),
      ).map((c) => c.path[prefix.length] as string),
    ),
  ];
  // Word by word: a known word is kept, a mistyped one replaced by the closest that may follow;
  // the walk stops at the first word with no match (an argument, such as a name).
  const attempt = async (base: readonly string[], rest: readonly string[]): Promise<string | undefined> => {
    const path = [...base];
    let fixed = false;
    for (const word of rest) {
      if (isPrefix([...path, word])) {
        path.push(word);
        continue;
      }
      const s = await suggest(word, nextWords(path));
      if (!s) break;
      path.push(s);
      fixed = true;
    }
    return (fixed || base.length > 0) && path.length > base.length ? path.join(" ") : undefined;
  };
  return (await attempt([], words)) ?? (words[0] !== "mcp" ? await attempt(["mcp"], words) : undefined);
}

/** `hatch help TOPIC` or `hatch help COMMAND WORDS...` (`hatch help sync` is `hatch help mcp sync`). */
async function helpFor(words: string[]): Promise<number> {
  const { findTopic, TOPICS } = await helpTopics();
  const topic = words.length === 1 ? findTopic(words[0] as string) : undefined;
  if (topic) {
    writeStdout(`${await topic.text()}\n`);
    return 0;
  }
  for (const w of [words, ["mcp", ...words]]) {
    const { command } = findCommand(w);
    if (command && command.path.length === w.length) {
      writeStdout(`${commandHelp(command)}\n`);
      return 0;
    }
    if (isPrefix(w)) {
      writeStdout(`${await groupHelp(w)}\n`);
      return 0;
    }
  }
  const known = [
    ...TOPICS.map((t) => t.name),
    ...COMMANDS.filter((c) => !c.hidden).map((c) => c.path.join(" ")),
  ];
  const s = await suggest(words.join(" "), known);
  throw new UsageError(
    `No help for "${words.join(" ")}"${s ? `: did you mean "hatch help ${s}"?` : ""}`,
    'Run "hatch help" to list topics and commands',
  );
}

export async function main(argv: string[]): Promise<number> {
  const env = process.env as Record<string, string | undefined>;
  // `-v`: the version as the only word (`hatch -v`), --verbose after a command.
  const verbose =
    argv.includes("--verbose") || (argv[0] !== "-v" && argv.includes("-v")) || env.DEBUG === "1";
  const wantsJson = argv.includes("--json");
  const out = makeOutput({
    json: wantsJson,
    quiet: argv.includes("--quiet") || argv.includes("-q"),
    noColor: argv.includes("--no-color"),
    showSecrets: argv.includes("--show-secrets"),
  });
  try {
    if (argv[0] === "--version" || argv[0] === "-V" || argv[0] === "-v" || argv[0] === "version") {
      writeStdout(`hatch ${VERSION} (${COMMIT})\n`);
      return 0;
    }
    if (argv[0] === "help" && argv.length > 1) return await helpFor(argv.slice(1));
    if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
      writeStdout(`${await groupHelp([])}\n`);
      return argv.length === 0 ? 2 : 0;
    }
    const { command, rest, words } = findCommand(argv);
    if (!command) {
      const isGroup = words.length > 0 && COMMANDS.some((c) => words.every((w, i) => c.path[i] === w));
      if (isGroup) {
        writeStdout(`${await groupHelp(words)}\n`);
        return argv.includes("--help") || argv.includes("-h") ? 0 : 2;
      }
      const s = words.length > 0 ? await suggestCommand(words) : undefined;
      throw new UsageError(
        `Unknown command "${words.join(" ") || argv[0]}"${s ? `: did you mean "hatch ${s}"?` : ""}`,
        s ? `Run "hatch ${s} --help" for its flags and examples` : 'Run "hatch --help" to list commands',
      );
    }
    const options = { ...command.options, ...GLOBAL_OPTIONS } as Record<string, OptionSpec>;
    if (command.passThrough) {
      if (rest.length === 0 || rest[0] === "--help" || rest[0] === "-h") {
        writeStdout(`${commandHelp(command)}\n`);
        return rest.length === 0 ? 2 : 0;
      }
      return await command.run({
        values: {},
        positionals: rest,
        out,
        system: new RealSystem(),
        ctx: pathContext(env),
        env,
        commands: COMMANDS,
      });
    }
    let parsed: ParsedArgs;
    try {
      parsed = parseFlags(attachValues(rest, options), options);
    } catch (e) {
      if (e instanceof UnknownFlagError) {
        const s = await suggest(e.flag.replace(/^-+/, ""), Object.keys(options));
        throw new UsageError(
          `Unknown option "${e.flag}" for "hatch ${command.path.join(" ")}"${s ? `: did you mean "--${s}"?` : ""}`,
          `Run "hatch ${command.path.join(" ")} --help" to list its options`,
        );
      }
      throw new UsageError((e as Error).message, `Run "hatch ${command.path.join(" ")} --help"`);
    }
    if (parsed.values.help) {
      writeStdout(`${commandHelp(command)}\n`);
      return 0;
    }
    const maxPositionals = command.positionals?.length ?? 0;
    if (parsed.positionals.length > maxPositionals) {
      throw new UsageError(
        `Unexpected argument "${parsed.positionals[maxPositionals]}" for "hatch ${command.path.join(" ")}"`,
        `Run "hatch ${command.path.join(" ")} --help"`,
      );
    }
    for (const [i, p] of (command.positionals ?? []).entries()) {
      if (p.required && parsed.positionals[i] === undefined) {
        throw new UsageError(
          `Missing ${p.name} for "hatch ${command.path.join(" ")}"`,
          `Usage: hatch ${command.path.join(" ")} ${command.usage}`,
        );
      }
    }
    if (typeof parsed.values.project === "string") env.HATCH_PROJECT = parsed.values.project;
    const ctx = pathContext(env);
    return await command.run({
      values: parsed.values,
      positionals: parsed.positionals,
      out,
      system: new RealSystem(),
      ctx,
      env,
      commands: COMMANDS,
    });
  } catch (e) {
    return reportError(e, out, verbose, wantsJson);
  }
}

function exitCodeOf(e: unknown): number {
  if (e instanceof UsageError || e instanceof HostParseError || e instanceof ConfigError) return 2;
  // By name: core/model.ts (valibot's schemas) is not loaded on the --version path.
  if (
    (e instanceof Error && e.name === "ServerValidationError") ||
    e instanceof TypeError ||
    e instanceof RangeError
  )
    return 2;
  if (e instanceof ApplyError) return 1;
  return 1;
}

function reportError(
  e: unknown,
  out: ReturnType<typeof makeOutput>,
  verbose: boolean,
  json: boolean,
): number {
  flushOutput();
  const code = exitCodeOf(e);
  const message = e instanceof Error ? e.message : String(e);
  const hint = e instanceof UsageError ? e.hint : undefined;
  if (json) {
    writeStdout(
      `${JSON.stringify({ error: { message, ...(hint ? { hint } : {}), exitCode: code } }, null, 2)}\n`,
    );
  }
  out.error(message);
  if (hint) writeErr(`  ${hint}\n`);
  if (verbose && e instanceof Error && e.stack) writeErr(`${e.stack}\n`);
  else if (code === 1 && !(e instanceof ApplyError)) writeErr("  Run again with --verbose for details\n");
  return code;
}

/** Runs a command line and exits with its code (after the buffered output is out). */
export async function run(argv: string[]): Promise<never> {
  const code = await main(argv);
  flushOutput();
  process.exit(code);
}

// Not awaited: Bun fires no beforeExit while a top-level await is pending, and `hatch run` waits for it.
if (import.meta.main) void run(process.argv.slice(2));
