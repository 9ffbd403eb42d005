// Phase marks for `make bench`: with HATCH_TRACE=FILE set, a run appends one JSON line to FILE at
// exit, [[label, ms since the process started], …], and scripts/bench.ts turns the lines of many
// runs into the per-phase table of bench/RESULTS.md (where a run's time goes, measured in the
// binary users run, beside the smallest program doing the same work). Unset, a mark is one
// comparison: no clock is read and nothing is kept.
import { appendFileSync } from "node:fs";

const file = process.env.HATCH_TRACE;
const marks: [string, number][] | undefined = file ? [] : undefined;

if (marks && file) {
  process.on("exit", () => {
    marks.push(["exit", performance.now()]);
    try {
      appendFileSync(file, `${JSON.stringify(marks)}\n`);
    } catch {
      // A trace that cannot be written is not the run's failure.
    }
  });
}

/** Records that the phase `label` ends now (HATCH_TRACE only). */
export function mark(label: string): void {
  marks?.push([label, performance.now()]);
}
