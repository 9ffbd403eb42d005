// Writes the README's command reference (between `<!-- commands:start -->` and
// `<!-- commands:end -->`) from the command table: every visible command's usage line, as its
// --help prints it, and its summary. `bun scripts/commands-block.ts`; test/e2e/everyday.test.ts
// fails when the README and the binary disagree.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { COMMANDS } from "../src/cli/table/index.ts";

export function commandsBlock(): string {
  const lines: string[] = [];
  for (const c of COMMANDS) {
    if (c.hidden) continue;
    lines.push(`hatch ${c.path.join(" ")} ${c.usage}`.trimEnd(), `    ${c.summary}`);
  }
  return `${lines.join("\n")}\n`;
}

if (import.meta.main) {
  const file = join(import.meta.dir, "..", "README.md");
  const text = readFileSync(file, "utf8");
  const next = text.replace(
    /(<!-- commands:start -->\n```\n)[\s\S]*?(```\n<!-- commands:end -->)/,
    (_m, a: string, b: string) => `${a}${commandsBlock()}${b}`,
  );
  if (next === text) console.log("README.md: the command reference is up to date");
  else {
    writeFileSync(file, next);
    console.log("README.md: command reference rewritten");
  }
}
