// Confirmation before a write. Only a terminal can say yes: with no terminal and no
// --auto-approve the command refuses (exit 2), and EOF or Ctrl-D is always "no".
import { UsageError } from "../core/errors.ts";
import { isTerminal } from "../system/terminal.ts";
import { flushOutput, type Output } from "./output.ts";

export async function confirm(out: Output, question: string): Promise<boolean> {
  if (!isTerminal(0)) {
    throw new UsageError(
      "Refusing to write without confirmation: standard input is not a terminal",
      "Pass --auto-approve (or set HATCH_AUTO_APPROVE=1) to apply, or --dry-run to preview",
    );
  }
  flushOutput();
  process.stderr.write(question);
  for await (const raw of console) {
    const answer = raw.trim().toLowerCase();
    if (answer === "y" || answer === "yes") return true;
    if (answer === "" || answer === "n" || answer === "no") return false;
    process.stderr.write(`Please enter 'y' for yes or 'n' for no.\n${question}`);
  }
  out.print();
  return false;
}
