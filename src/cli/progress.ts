// A one-line spinner on stderr for slow steps (sync, mcp test, backup). It draws only when stderr
// is a terminal and the command is neither --json nor --quiet; everywhere else it is a no-op, so
// pipes, cron mails and CI logs never see control characters. stdout is never touched.
//
//   const p = startProgress("Starting servers", out);
//   for (const s of servers) { p.update(`Testing ${s.name}`, i, servers.length); await test(s); }
//   p.stop();
//
// Stop it (or let withProgress do so) before printing anything else or asking a question: its
// line is cleared on stop. The frame advances on a timer, which only fires while the event loop
// is free; during synchronous work the last frame stays up, which is fine.
import { isTerminal } from "../system/terminal.ts";

/** The part of a stream the spinner needs (process.stderr, or a fake in tests). */
export interface ProgressStream {
  isTTY?: boolean;
  write(chunk: string): unknown;
}

export interface ProgressOptions {
  /** --json: never draw. */
  json?: boolean;
  /** --quiet: never draw. */
  quiet?: boolean;
  /** Default process.stderr. */
  stream?: ProgressStream;
  /** Default process.env (TERM=dumb turns the spinner off). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Milliseconds between frames; default 80. */
  intervalMs?: number;
}

export interface Progress {
  /** Whether anything is drawn (false off a terminal, with --json or --quiet, or after stop). */
  readonly active: boolean;
  /** New text for the line, with an optional "(done/total)" count. */
  update(label: string, done?: number, total?: number): void;
  /** Clears the line and stops for good; safe to call more than once. */
  stop(): void;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
/** Carriage return + erase the whole line. */
const CLEAR = "\r\x1b[2K";

const NOOP: Progress = {
  active: false,
  update() {},
  stop() {},
};

/** Whether a spinner would draw with these options. */
export function progressEnabled(opts: ProgressOptions = {}): boolean {
  const env = opts.env ?? process.env;
  // isTerminal(2) first: process.stderr is built (and the tty machinery loaded) only for a terminal.
  const tty = opts.stream ? opts.stream.isTTY === true : isTerminal(2);
  return !opts.json && !opts.quiet && tty && env.TERM !== "dumb";
}

/**
 * Starts a spinner with a label; a no-op unless stderr is a terminal and neither --json nor --quiet.
 * @param label what is happening, e.g. "Reading hosts"
 * @param opts an Output works as is (it has `json` and `quiet`)
 */
export function startProgress(label: string, opts: ProgressOptions = {}): Progress {
  if (!progressEnabled(opts)) return NOOP;
  const stream = opts.stream ?? process.stderr;
  const columns = (stream as { columns?: number }).columns ?? 80;
  let text = label;
  let frame = 0;
  let running = true;
  const draw = () => {
    // Never wrap: a wrapped line cannot be cleared with one \r.
    const line = `${FRAMES[frame % FRAMES.length]} ${text}`;
    const max = Math.max(10, columns - 1);
    stream.write(`${CLEAR}${[...line].length > max ? `${[...line].slice(0, max - 1).join("")}…` : line}`);
  };
  const timer = setInterval(() => {
    frame++;
    draw();
  }, opts.intervalMs ?? 80);
  // The spinner must never keep the process alive.
  (timer as { unref?: () => void }).unref?.();
  const onExit = () => {
    if (running) stream.write(CLEAR);
  };
  process.once("exit", onExit);
  draw();
  return {
    get active() {
      return running;
    },
    update(label, done, total) {
      if (!running) return;
      text = done !== undefined && total !== undefined ? `${label} (${done}/${total})` : label;
      draw();
    },
    stop() {
      if (!running) return;
      running = false;
      clearInterval(timer);
      process.off("exit", onExit);
      stream.write(CLEAR);
    },
  };
}

/** Runs `fn` with a spinner and stops it however `fn` ends. */
export async function withProgress<T>(
  label: string,
  opts: ProgressOptions,
  fn: (p: Progress) => Promise<T> | T,
): Promise<T> {
  const p = startProgress(label, opts);
  try {
    return await fn(p);
  } finally {
    p.stop();
  }
}
