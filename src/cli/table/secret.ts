// `hatch secret ...` (code: ../commands/secret.ts).
import { type Command, JSON_OPTION } from "../command.ts";

const DRY_RUN = { type: "boolean", description: "Print what would change and write nothing" } as const;
const NAME = {
  name: "NAME",
  description: 'Secret name: letters, digits, ".", "_", "-" and "/" (github/token)',
  required: true,
} as const;

export const secretSet: Command = {
  path: ["secret", "set"],
  summary: "Store a secret for ${secret:NAME} references (hidden prompt, or standard input)",
  usage: "NAME [--dry-run] [--json]",
  positionals: [NAME],
  options: { "dry-run": DRY_RUN, json: JSON_OPTION },
  examples: [
    "hatch secret set github/token                       # asks for the value, not echoed",
    'printf %s "$OPENAI_API_KEY" | hatch secret set openai   # from standard input',
  ],
  run: (inv) => import("../commands/secret.ts").then((m) => m.runSecretSet(inv)),
};

export const secretList: Command = {
  path: ["secret", "list"],
  summary: "List stored secrets: names and where each is kept, never values",
  usage: "[--json]",
  options: { json: JSON_OPTION },
  examples: ["hatch secret list", "hatch secret list --json"],
  run: (inv) => import("../commands/secret.ts").then((m) => m.runSecretList(inv)),
};

export const secretRemove: Command = {
  path: ["secret", "remove"],
  summary: "Remove a stored secret (from the keychain and the file)",
  usage: "NAME [--dry-run] [--json]",
  positionals: [NAME],
  options: { "dry-run": DRY_RUN, json: JSON_OPTION },
  examples: ["hatch secret remove github/token"],
  run: (inv) => import("../commands/secret.ts").then((m) => m.runSecretRemove(inv)),
};
