// `hatch mcp discover hosts` (code: ../commands/discover.ts).
import { type Command, JSON_OPTION } from "../command.ts";

export const discoverHosts: Command = {
  path: ["mcp", "discover", "hosts"],
  summary: "List every host hatch knows, where its config lives on this OS, and whether it is installed",
  usage: "[FILTER] [--json]",
  positionals: [{ name: "FILTER", description: "Only hosts whose id contains this regular expression" }],
  options: { json: JSON_OPTION },
  examples: ["hatch mcp discover hosts", "hatch mcp discover hosts code --json"],
  run: (inv) => import("../commands/discover.ts").then((m) => m.runDiscoverHosts(inv)),
};
