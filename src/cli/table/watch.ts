// `hatch watch` (code: ../commands/watch.ts).
import { type Command, PROJECT_OPTION, SELECTION_OPTIONS } from "../command.ts";

export const watchCommand: Command = {
  path: ["watch"],
  summary: "Keep hosts in sync: apply once, then heal every target file that drifts (Ctrl-C stops)",
  usage:
    "[--from-env E | --from-host H] --to-host LIST|GROUP|all [--servers a,b] [--pattern REGEX] [--mirror] [--strict] [--no-backup] [--interval 2s] [--json] [--install|--uninstall [--name N] [--force] [--dry-run]]",
  options: {
    ...SELECTION_OPTIONS,
    strict: {
      type: "boolean",
      description: "Write nothing while the conversion would lose anything (reported, retried on change)",
    },
    "no-backup": { type: "boolean", description: "Do not snapshot a file before healing it" },
    interval: {
      type: "string",
      value: "DURATION",
      description: "How often files are checked without a file-system event (default 2s)",
    },
    project: PROJECT_OPTION,
    json: { type: "boolean", description: "Print one JSON object per event, one per line (JSON Lines)" },
    install: {
      type: "boolean",
      description:
        "Write a user service running this watch (systemd user unit on Linux, launchd agent on macOS) and print how to start it",
    },
    uninstall: { type: "boolean", description: "Remove the service written by --install" },
    name: {
      type: "string",
      value: "NAME",
      description: "The service's name with --install/--uninstall (default: the source's name)",
    },
    force: {
      type: "boolean",
      description: "With --install, replace a different service of the same name",
    },
    "dry-run": {
      type: "boolean",
      description: "With --install/--uninstall, print the service file and its path; write nothing",
    },
  },
  examples: [
    "hatch watch --from-env production --to-host cursor,claude-desktop",
    "hatch watch --from-host claude-desktop --to-host all --pattern '^(?!dev-)' --json",
    "hatch watch --from-env production --to-host all --install",
    "hatch watch --from-env production --uninstall",
  ],
  run: (inv) => import("../commands/watch.ts").then((m) => m.runWatch(inv)),
};
