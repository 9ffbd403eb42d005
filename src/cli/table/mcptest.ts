// `hatch mcp test` (code: ../commands/mcptest.ts).
import { type Command, JSON_OPTION } from "../command.ts";

export const mcpTestCommand: Command = {
  path: ["mcp", "test"],
  summary: "Start each configured server, perform the MCP handshake and list its tools",
  usage: "[--host H | --env E | --project DIR] [--server S] [--timeout 10s] [--concurrency N] [--json]",
  options: {
    host: {
      type: "string",
      value: "HOST",
      description:
        "Only these hosts: ids, custom hosts, groups, comma-separated, or all (default: the current environment if one is set, else every detected host)",
      complete: "hosts",
    },
    env: {
      type: "string",
      value: "ENV",
      description: "Test the servers of an environment instead",
      complete: "envs",
    },
    project: {
      type: "string",
      value: "DIR",
      description:
        "Test the project-scope files in DIR (.cursor/mcp.json, .mcp.json, …); with --host, only theirs",
      complete: "dirs",
    },
    server: {
      type: "string",
      value: "NAME",
      description: "Only these servers (comma-separated)",
      complete: "servers",
    },
    timeout: {
      type: "string",
      value: "DURATION",
      // The defaults are api/mcptest.ts's (table.test.ts holds them): importing it would load the engine.
      description: `Time each server gets to start, initialize and list its tools: 10s, 500ms, 2m or seconds (default 10s)`,
    },
    concurrency: {
      type: "string",
      value: "N",
      description: `How many servers to test at once (default 4)`,
    },
    json: JSON_OPTION,
  },
  examples: [
    "hatch mcp test",
    "hatch mcp test --host claude-desktop --server weather-api",
    "hatch mcp test --env production --timeout 30s --json",
    'for host in claude-desktop cursor vscode; do hatch mcp test --host $host || echo "$host: failing servers"; done',
  ],
  run: (inv) => import("../commands/mcptest.ts").then((m) => m.runTest(inv)),
};
