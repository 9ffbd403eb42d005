// `hatch env source ...` and `hatch env pull` (code: ../commands/envsource.ts).
import { type Command, JSON_OPTION } from "../command.ts";

export const envSourceAdd: Command = {
  path: ["env", "source", "add"],
  summary: "Add a git repository of environments (cloned with your git; read-only here)",
  usage: "NAME URL [--ref R] [--path DIR] [--json]",
  positionals: [
    { name: "NAME", description: "What to call the source: its environments are NAME/ENV", required: true },
    { name: "URL", description: "Any URL or path your git can clone", required: true },
  ],
  options: {
    ref: {
      type: "string",
      value: "REF",
      description: "Branch or tag to follow (default: the default branch)",
    },
    path: {
      type: "string",
      value: "DIR",
      description: "Folder of the repository holding the NAME.yaml files",
    },
    json: JSON_OPTION,
  },
  examples: [
    "hatch env source add team git@github.com:acme/mcp-envs.git --path envs",
    "hatch mcp sync --from-env team/production --to-host all --dry-run",
  ],
  run: (inv) => import("../commands/envsource.ts").then((m) => m.runEnvSourceAdd(inv)),
};

export const envSourceList: Command = {
  path: ["env", "source", "list"],
  summary: "List the git sources of environments and the commit each is pinned to",
  usage: "[--json]",
  options: { json: JSON_OPTION },
  examples: ["hatch env source list"],
  run: (inv) => import("../commands/envsource.ts").then((m) => m.runEnvSourceList(inv)),
};

export const envSourceRemove: Command = {
  path: ["env", "source", "remove"],
  summary: "Remove a git source of environments (the repository is not touched)",
  usage: "NAME [--json]",
  positionals: [{ name: "NAME", description: "A source", required: true }],
  options: { json: JSON_OPTION },
  examples: ["hatch env source remove team"],
  run: (inv) => import("../commands/envsource.ts").then((m) => m.runEnvSourceRemove(inv)),
};

export const envPull: Command = {
  path: ["env", "pull"],
  summary: "Fetch the git sources of environments and move each to its ref (prints old → new commit)",
  usage: "[NAME] [--json]",
  positionals: [{ name: "NAME", description: "Only this source (default: every source)" }],
  options: { json: JSON_OPTION },
  examples: [
    "hatch env pull",
    "hatch env pull team && hatch mcp sync --from-env team/production --to-host all -y",
  ],
  run: (inv) => import("../commands/envsource.ts").then((m) => m.runEnvPull(inv)),
};
