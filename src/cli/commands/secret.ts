// `hatch secret set|list|remove`: hatch's secret store (the OS keychain, or an owner-only file),
// for `${secret:NAME}` references in env values and headers. Each command is a call of the API's
// `secrets.*`, rendered. A value is read from a hidden prompt on a terminal, else from standard
// input; it is never printed, and never taken from the command line (shell history, `ps`).
import { readSync } from "node:fs";
import { secrets } from "../../api/secrets.ts";
import { UsageError } from "../../core/errors.ts";
import { tildify } from "../../hosts/_paths.ts";
import { defaultWorkspace, type Workspace } from "../../store/workspace.ts";
import { isTerminal } from "../../system/terminal.ts";
import type { Invocation } from "../command.ts";
import { flushOutput, table } from "../output.ts";

function ws(inv: Invocation): Workspace {
  return defaultWorkspace(inv.env, inv.system);
}

/** Standard input to its end, one trailing newline taken off (`echo "$TOKEN" | hatch secret set X`). */
function readStdin(): string {
  const chunks: Buffer[] = [];
  const buf = Buffer.alloc(65536);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EAGAIN") continue;
      if ((e as NodeJS.ErrnoException).code === "EOF") break;
      throw e;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

/** A line typed on the terminal without echo (raw mode): Enter ends it, Ctrl-C or Ctrl-D cancels. */
async function hiddenPrompt(question: string): Promise<string> {
  flushOutput();
  process.stderr.write(question);
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = "";
      const onData = (chunk: Buffer) => {
        for (const ch of chunk.toString("utf8")) {
          if (ch === "\r" || ch === "\n") {
            stdin.off("data", onData);
            return resolve(value);
          }
          if (ch === "\u0003" || ch === "\u0004") {
            stdin.off("data", onData);
            return reject(new UsageError("Cancelled: no secret was stored"));
          }
          if (ch === "\u007f" || ch === "\b") value = [...value].slice(0, -1).join("");
          else value += ch;
        }
      };
      stdin.on("data", onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    process.stderr.write("\n");
  }
}

export async function runSecretSet(inv: Invocation): Promise<number> {
  const name = inv.positionals[0] as string;
  const value = isTerminal(0) ? await hiddenPrompt(`Value for secret "${name}": `) : readStdin();
  const r = await secrets.set(name, value, { dryRun: inv.values["dry-run"] === true, workspace: ws(inv) });
  if (inv.out.json) {
    inv.out.emitJson(r);
    return 0;
  }
  const where = r.store === "file" ? tildify(inv.ctx, r.location) : r.location;
  const verb = r.replaced ? "Replaced" : "Stored";
  if (r.dryRun) inv.out.print(`[DRY RUN] Would store secret "${name}" in ${where}`);
  else inv.out.print(`${inv.out.paint("green", "✓")} ${verb} secret "${name}" in ${where}`);
  inv.out.print(`  Refer to it as \${secret:${name}} in env values and headers`);
  return 0;
}

export async function runSecretList(inv: Invocation): Promise<number> {
  const list = await secrets.list({ workspace: ws(inv) });
  if (inv.out.json) {
    inv.out.emitJson({ secrets: list });
    return 0;
  }
  if (list.length === 0) {
    inv.out.print('No secrets stored. Add one with "hatch secret set NAME"');
    return 0;
  }
  for (const line of table(
    ["Name", "Store", "Where"],
    list.map((s) => [s.name, s.store, s.store === "file" ? tildify(inv.ctx, s.location) : s.location]),
  ))
    inv.out.print(line);
  return 0;
}

export async function runSecretRemove(inv: Invocation): Promise<number> {
  const name = inv.positionals[0] as string;
  const r = await secrets.remove(name, { dryRun: inv.values["dry-run"] === true, workspace: ws(inv) });
  if (inv.out.json) {
    inv.out.emitJson(r);
    return 0;
  }
  const where = r.removedFrom.map((s) => s.store).join(" and ");
  if (r.dryRun) inv.out.print(`[DRY RUN] Would remove secret "${name}" from the ${where}`);
  else inv.out.print(`${inv.out.paint("green", "✓")} Removed secret "${name}" from the ${where}`);
  return 0;
}

/** The `hatch secret …` commands, in --help order. */
