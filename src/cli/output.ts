// Human and JSON output. Human output goes to stdout, diagnostics to stderr; colours only on a
// terminal without NO_COLOR.
import { isTerminal, writeFd } from "../system/terminal.ts";

// Stdout is line-buffered on a terminal (each line shows at once, e.g. `mcp test` verdicts) and
// block-buffered into a pipe or file: a plan of 10,000 servers × 20 hosts is one write per 64 KB,
// not 200,000 writes. flushOutput() runs before anything goes to stderr, before a prompt, and at
// exit (main.ts), so the order a reader sees never changes.
let pending: string[] = [];
let pendingBytes = 0;
const stdoutIsTTY = isTerminal(1);

export function flushOutput(): void {
  if (pending.length === 0) return;
  const text = pending.join("");
  pending = [];
  pendingBytes = 0;
  writeFd(1, text);
}

function bufferOut(text: string): void {
  if (stdoutIsTTY) {
    flushOutput();
    writeFd(1, text);
    return;
  }
  pending.push(text);
  pendingBytes += text.length;
  if (pendingBytes >= 65536) flushOutput();
}

/** Writes to stderr after whatever stdout holds, so the order a reader sees never changes. */
export function writeErr(text: string): void {
  flushOutput();
  writeFd(2, text);
}

/** Writes to stdout at once (help texts, completion scripts), after whatever is buffered. */
export function writeStdout(text: string): void {
  flushOutput();
  writeFd(1, text);
}

export interface Output {
  json: boolean;
  color: boolean;
  quiet: boolean;
  showSecrets: boolean;
  print(line?: string): void;
  error(line: string): void;
  warn(line: string): void;
  /** Writes one JSON document to stdout. */
  emitJson(doc: unknown): void;
  paint(style: Style, text: string): string;
}

export type Style = "bold" | "dim" | "green" | "red" | "yellow" | "cyan";

const CODES: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  green: [32, 39],
  red: [31, 39],
  yellow: [33, 39],
  cyan: [36, 39],
};

export function makeOutput(opts: {
  json: boolean;
  quiet: boolean;
  noColor: boolean;
  showSecrets: boolean;
}): Output {
  const color = !opts.noColor && !process.env.NO_COLOR && isTerminal(1) && !opts.json;
  const stderrColor = !opts.noColor && !process.env.NO_COLOR && isTerminal(2);
  const paintWith = (on: boolean) => (style: Style, text: string) => {
    if (!on) return text;
    const [a, b] = CODES[style];
    return `\x1b[${a}m${text}\x1b[${b}m`;
  };
  const errPaint = paintWith(stderrColor);
  return {
    json: opts.json,
    color,
    quiet: opts.quiet,
    showSecrets: opts.showSecrets,
    print(line = "") {
      if (!opts.json) bufferOut(`${line}\n`);
    },
    error(line) {
      writeErr(`${errPaint("red", "Error:")} ${line}\n`);
    },
    warn(line) {
      if (!opts.quiet) writeErr(`${errPaint("yellow", "Warning:")} ${line}\n`);
    },
    emitJson(doc) {
      bufferOut(`${JSON.stringify(doc, null, 2)}\n`);
    },
    paint: paintWith(color),
  };
}

/** Display width of a string (counts characters, not UTF-16 units; ANSI codes are invisible). */
function width(s: string): number {
  // Printable ASCII (nearly every cell): its length, without an array of characters per cell
  // (a table of 10,000 servers: 22 ms → 2 ms).
  if (PRINTABLE_ASCII.test(s)) return s.length;
  return [...s.replace(/\x1b\[[0-9;]*m/g, "")].length;
}
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** A table with two-space indented rows and a ─ rule under the header, as the Python tool prints. */
export function table(headers: string[], rows: string[][]): string[] {
  // A loop, not Math.max(...rows): a table of 200,000 rows must not overflow the call stack.
  const widths = headers.map((h, i) => {
    let w = width(h);
    for (const r of rows) w = Math.max(w, width(r[i] ?? ""));
    return w;
  });
  const line = (cells: string[]) =>
    `  ${cells
      .map((c, i) => (i === cells.length - 1 ? c : c + " ".repeat((widths[i] ?? 0) - width(c))))
      .join("  ")}`.trimEnd();
  const rule = `  ${"─".repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1))}`;
  return [line(headers), rule, ...rows.map(line)];
}

const REDACTED = "******";

/** Env and header values redacted for display unless --show-secrets. */
export function redactMap(
  m: Record<string, string> | undefined,
  show: boolean,
): Record<string, string> | undefined {
  if (!m || show) return m;
  return Object.fromEntries(Object.keys(m).map((k) => [k, REDACTED]));
}
