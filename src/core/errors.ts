// The few error classes everything throws. Only cli/main.ts maps them to exit codes:
// UsageError, HostParseError and ConfigError → 2, ApplyError → 1.

/** Bad input or usage: unknown host, bad regex, missing flag, unset variable. Exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** A host or hatch state file that cannot be parsed. Exit 2; nothing is written. */
export class HostParseError extends Error {
  override name = "HostParseError";
  constructor(
    readonly path: string,
    readonly detail: string,
    readonly line?: number,
    readonly column?: number,
    readonly host?: string,
  ) {
    const where = line !== undefined ? ` at line ${line}, column ${column ?? 1}` : "";
    const who = host ? `host "${host}" at ` : "";
    super(`Cannot read ${who}"${path}": ${detail}${where}`);
  }
}

/** A hatch state file (environment, config.yaml) whose content is invalid. Exit 2. */
export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`Invalid "${path}": ${detail}`);
  }
}

/** A write that failed. Exit 1. */
export class ApplyError extends Error {
  override name = "ApplyError";
  constructor(
    message: string,
    readonly host?: string,
    readonly path?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}
