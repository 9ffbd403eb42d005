// How a program is compiled into a standalone binary: shared by scripts/build.ts (hatch) and
// scripts/bench.ts (the smallest program it is measured beside), so the two start alike.
export const COMPILE_FLAGS: readonly string[] = [
  "--compile",
  "--bytecode",
  "--format=esm",
  "--minify-syntax",
  // JavaScriptCore compiles hot code in tiers; in a run of a fraction of a second most of that
  // compiling is never paid back (and competes for the CPU). Thresholds × 100 until a run has much
  // work ahead (src/system/jit.ts). Measured with Bun 1.4.5 on 2 cores: a sync of 100 servers into
  // 10 files 200 → 155 ms, 1,000 → 10: 390 → 335 ms, 10,000 → 20 unchanged (about 3.2 s).
  "--compile-jit-policy=100",
  "--no-compile-autoload-dotenv",
  "--no-compile-autoload-bunfig",
  "--no-compile-autoload-tsconfig",
  "--no-compile-autoload-package-json",
];
