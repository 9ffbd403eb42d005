// Human rendering of host plans, shared by every command that previews a write (sync,
// configure, remove server): one line per server change, field diffs, and `!` loss lines.
import { secretRedactor } from "../api/sync.ts";
import type { HostPlan } from "../core/plan.ts";
import type { Loss } from "../hosts/_adapter.ts";
import { type PathContext, tildify } from "../hosts/_paths.ts";
import type { Output } from "./output.ts";

function fmtValue(field: string, value: unknown, showSecrets: boolean): string {
  return value === undefined ? "(none)" : JSON.stringify(secretRedactor(showSecrets)(field, value));
}

export function lossLine(out: Output, l: Loss): string {
  return `${out.paint("yellow", "!")} ${l.server}${l.field ? `: "${l.field}" dropped` : ""}: ${l.reason}`;
}

export function renderHostPlan(out: Output, h: HostPlan, ctx: PathContext): void {
  out.print(`  ${out.paint("bold", h.host)} (${tildify(ctx, h.path)}${h.exists ? "" : ", new file"})`);
  for (const c of h.changes) {
    switch (c.action) {
      case "add":
        out.print(`    ${out.paint("green", "+")} ${c.name}`);
        break;
      case "update":
        out.print(`    ${out.paint("yellow", "~")} ${c.name}`);
        for (const f of c.fields ?? []) {
          out.print(
            `        ${f.field}: ${fmtValue(f.field, f.before, out.showSecrets)} → ${fmtValue(f.field, f.after, out.showSecrets)}`,
          );
        }
        break;
      case "unchanged":
        out.print(`    ${out.paint("dim", "=")} ${c.name}`);
        break;
      case "remove":
        out.print(`    ${out.paint("red", "-")} ${c.name}`);
        break;
      case "skip":
        break;
    }
  }
  for (const l of h.losses) out.print(`    ${lossLine(out, l)}`);
  if (h.problem)
    out.print(
      `    ${out.paint("red", "!")} will not be written: ${h.problem} (a bug in hatch; please report it)`,
    );
}
