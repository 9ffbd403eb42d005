// `hatch completions SHELL` and the hidden `hatch __complete KIND` (code: ../commands/completions.ts).
import { type Command, NAME_KINDS, SHELLS } from "../command.ts";

export const completionsCommand: Command = {
  path: ["completions"],
  summary: "Print a shell completion script (bash, zsh or fish)",
  usage: "bash|zsh|fish",
  positionals: [{ name: "SHELL", description: "bash, zsh or fish", required: true, complete: SHELLS }],
  options: {},
  examples: [
    "source <(hatch completions bash)                                # in ~/.bashrc",
    "source <(hatch completions zsh)                                 # in ~/.zshrc, after compinit",
    "hatch completions fish > ~/.config/fish/completions/hatch.fish",
  ],
  run: (inv) => import("../commands/completions.ts").then((m) => m.runCompletions(inv)),
};

export const completeCommand: Command = {
  path: ["__complete"],
  summary: "Print names for shell completion, one per line (used by the completion scripts)",
  usage: NAME_KINDS.join("|"),
  positionals: [{ name: "KIND", description: NAME_KINDS.join(", "), required: true }],
  options: {},
  examples: ["hatch __complete hosts"],
  hidden: true,
  run: (inv) => import("../commands/completions.ts").then((m) => m.runComplete(inv)),
};
