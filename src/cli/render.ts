// Human rendering of host plans, shared by every command that previews a write (sync,
// configure, remove server): one line per server change, field diffs, and `!` loss lines.
import { redactChange } from "../api/engine.ts";
import type { HostPlan } from "../core/plan.ts";
import type { Loss } from "../core/adapter.ts";
import { type PathContext, tildify } from "../hosts/_paths.ts";
import type { Output } from "./output.ts";

function fmtValue(value: unknown): string {
  return value === undefined ? "(none)" : JSON.stringify(value);
}

export function lossLine(out: Output, l: Loss): string {
  return `${out.paint("yellow", "!")} ${l.server}${l.field ? `: "${l.field}" dropped` : ""}: ${l.reason}`;
}

export function renderHostPlan(out: Output, h: HostPlan, ctx: PathContext): void {
  out.print(`  ${out.paint("bold", h.host)} (${tildify(ctx, h.path)}${h.exists ? "" : ", new file"})`);
  // One line per server of the host (200,000 for 10,000 servers into 20 files): the marks are
  // painted once, and the lines are printed as one text (not a call chain per line).
  const add = `    ${out.paint("green", "+")} `;
  const update = `    ${out.paint("yellow", "~")} `;
  const same = `    ${out.paint("dim", "=")} `;
  const remove = `    ${out.paint("red", "-")} `;
  const lines: string[] = [];
  for (const c of h.changes) {
    switch (c.action) {
      case "add":
        lines.push(add + c.name);
        break;
      case "update":
        lines.push(update + c.name);
        for (const f of c.fields ?? []) {
          // A secret that changed shows as "****** (changed)", never its value.
          const r = redactChange(out.showSecrets, f.field, f.before, f.after);
          lines.push(`        ${f.field}: ${fmtValue(r.before)} → ${fmtValue(r.after)}`);
        }
        break;
      case "unchanged":
        lines.push(same + c.name);
        break;
      case "remove":
        lines.push(remove + c.name);
        break;
      case "skip":
        break;
    }
  }
  for (const l of h.losses) lines.push(`    ${lossLine(out, l)}`);
  if (lines.length > 0) out.print(lines.join("\n"));
  // With --quiet the plan is not shown, but what a conversion loses still is (a warning).
  if (out.quiet) for (const l of h.losses) out.printProblem(`${h.host}: ${lossLine(out, l)}`);
  if (h.problem)
    out.printProblem(
      `    ${out.paint("red", "!")} will not be written: ${h.problem}${h.problem.startsWith("Cannot reach") ? "" : " (a bug in hatch; please report it)"}`,
    );
}
