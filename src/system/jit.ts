// The binary starts with JavaScriptCore's JIT made reluctant (scripts/build.ts bakes in
// --compile-jit-policy): most runs are short, and compiling code that runs a few thousand times
// costs more than it saves (measured: a sync of 100 servers into 10 files 200 → 155 ms, of 1,000
// 390 → 335 ms). A run that has much work ahead asks for the normal policy again, so its hot loops
// get compiled. Outside the binary the policy already is the normal one, and this does nothing.
// Measured 2026-12-03 (with vs without, same binary, pairs): 10,000 servers into 10 files
// 0.99 s → 0.93 s wall, for ~12% more CPU (the compiler runs on the other core); into 20 files 1.47 →
// 1.41 s. Below MUCH_WORK (the everyday sync, 1,000 → 10) it is never reached.

/** Server × host pairs from which a sync counts as much work. */
export const MUCH_WORK = 20_000;

/** Tells the runtime that `units` of per-item work lie ahead (a script: unbounded). */
export function workAhead(units: number): void {
  if (units < MUCH_WORK) return;
  const unsafe = (globalThis as { Bun?: { unsafe?: { setJITPolicy?: (scale: number) => void } } }).Bun
    ?.unsafe;
  unsafe?.setJITPolicy?.(1);
}
