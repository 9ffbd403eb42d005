// "Did you mean": the closest known name to a mistyped one. A module of its own so the CLI can
// suggest a command or a flag without loading the host registry (every adapter and codec).
/** A "did you mean" suggestion among known names, or undefined when nothing is close. */
export function suggest(name: string, known: Iterable<string>): string | undefined {
  const list = [...known];
  if (list.length === 0) return undefined;
  // Loaded here, on a mistake, not on every start-up (a require() the bundler compiles in).
  const { closest, distance } = require("fastest-levenshtein") as typeof import("fastest-levenshtein");
  const best = closest(name.toLowerCase(), list);
  const d = distance(name.toLowerCase(), best);
  return d <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}
