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

// Names and values come from files anyone can write (a project's .vscode/mcp.json, a cloned
// repository): a server named "\x1b]0;…" must not retitle the terminal, move the cursor or hide a
// line. Every human output escapes control characters (C0 but tab and line feed, DEL, C1, the
// Unicode line separators and the bidirectional overrides): ESC shows as \x1b. Only the colour
// codes hatch itself paints (Style) pass, and only where colour is on.
const CONTROLS = "\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069";
const HAS_CONTROL = new RegExp(`[${CONTROLS}]`);
const CONTROL_RE = new RegExp(`[${CONTROLS}]`, "g");
/** hatch's own colour codes (CODES below), kept when colour is on; any other control is escaped. */
const PAINT_OR_CONTROL_RE = new RegExp(`\\x1b\\[(?:1|2|22|31|32|33|36|39)m|[${CONTROLS}]`, "g");

function escapeOne(ch: string): string {
  const c = ch.charCodeAt(0);
  return c < 0x100 ? `\\x${c.toString(16).padStart(2, "0")}` : `\\u${c.toString(16).padStart(4, "0")}`;
}

/**
 * `text` with every control character escaped (`\x1b`, `\x7f`, `\u2028`, …), tab and line feed
 * kept; with `keepPaint`, hatch's own colour codes are kept too. The one escaping function of
 * human output: print, warn, error and writeErr go through it.
 */
export function escapeControls(text: string, keepPaint = false): string {
  if (!HAS_CONTROL.test(text)) return text;
  if (!keepPaint) return text.replace(CONTROL_RE, escapeOne);
  return text.replace(PAINT_OR_CONTROL_RE, (m) => (m.length > 1 ? m : escapeOne(m)));
}

/** JSON text with DEL, C1 controls and U+2028/U+2029 as \u escapes (JSON.stringify leaves them raw). */
function escapeJson(json: string): string {
  return /[\x7f-\x9f\u2028\u2029]/.test(json)
    ? json.replace(/[\x7f-\x9f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    : json;
}

function rawErr(text: string): void {
  flushOutput();
  writeFd(2, text);
}

/**
 * Writes to stderr after whatever stdout holds, so the order a reader sees never changes.
 * Control characters are escaped (escapeControls).
 */
export function writeErr(text: string): void {
  rawErr(escapeControls(text));
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
  /** A line of human output: nothing with --json or --quiet. */
  print(line?: string): void;
  /**
   * A line about a failure or a loss (`✗ host: reason`, `! server: field dropped`): printed as
   * `print` does, and on stderr when --quiet hides the rest, so cron still reports it.
   */
  printProblem(line: string): void;
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
      if (!opts.json && !opts.quiet) bufferOut(`${escapeControls(line, color)}\n`);
    },
    printProblem(line) {
      if (opts.json) return;
      if (opts.quiet) rawErr(`${escapeControls(line.replace(/\x1b\[[0-9;]*m/g, ""))}\n`);
      else bufferOut(`${escapeControls(line, color)}\n`);
    },
    error(line) {
      rawErr(`${errPaint("red", "Error:")} ${escapeControls(line)}\n`);
    },
    // Warnings show with --quiet too: it silences everything but errors and warnings.
    warn(line) {
      rawErr(`${errPaint("yellow", "Warning:")} ${escapeControls(line)}\n`);
    },
    emitJson(doc) {
      bufferOut(`${escapeJson(JSON.stringify(doc, null, 2))}\n`);
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
