// Filled in by scripts/build.ts with --define; the fallbacks serve `bun src/cli/main.ts`.
declare const HATCH_VERSION: string | undefined;
declare const HATCH_COMMIT: string | undefined;

export const VERSION: string = typeof HATCH_VERSION === "string" ? HATCH_VERSION : "0.0.0-dev";
export const COMMIT: string = typeof HATCH_COMMIT === "string" ? HATCH_COMMIT : "unknown";
