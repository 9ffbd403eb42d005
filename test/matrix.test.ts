// The conversion matrix: every ordered pair of registered hosts, over representative servers.
// A server is first written by the SOURCE host and read back (what that host can hold), then
// written by the TARGET host into an empty file and judged by the target's own rules: the file
// parses, the entry decodes, every field that survived means the same (URL, transport where the
// target tells HTTP from SSE, timeout in ms after unit conversion, env-var references in the
// target's syntax or resolved for hosts that cannot expand them), every field that did not
// survive is in the loss report, and a skipped server carries a reason.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: env-var references are the test data
import { describe, expect, test } from "bun:test";
import { deepEqual } from "../src/core/edits.ts";
import { CANONICAL_FIELDS, type Server } from "../src/core/model.ts";
import type { HostAdapter, Loss, WriteContext } from "../src/core/adapter.ts";
import { containerEdits, rawEntries } from "../src/core/container.ts";
import { isCanonicalDefault, isHostDefault } from "../src/hosts/_defaults.ts";
import { projectTarget } from "../src/hosts/_project.ts";
import { HOSTS } from "../src/hosts/registry.ts";

const TOKEN = "tok-matrix-1";
const wctx: WriteContext = { env: { HOME: "/home/u", TOKEN }, platform: "linux" };
const pctx = { platform: "linux" as const, home: "/home/u", env: {} };

const SERVERS: Record<string, Server> = {
  "stdio-env": {
    command: "npx",
    args: ["-y", "@acme/mcp", "--token=${TOKEN}"],
    env: { API_KEY: "${TOKEN}", MODE: "prod" },
  },
  "remote-http": { url: "https://mcp.example.com/mcp", transport: "http" },
  "remote-sse": { url: "https://mcp.example.com/sse", transport: "sse" },
  "remote-headers": {
    url: "https://api.example.com/mcp",
    transport: "http",
    headers: { Authorization: "Bearer ${TOKEN}", "X-Team": "core" },
  },
  // One reference as the whole value: Codex keeps it as env_http_headers (the variable's name).
  "remote-env-header": {
    url: "https://api.example.com/mcp",
    transport: "http",
    headers: { "X-Api-Key": "${TOKEN}" },
  },
  tools: {
    command: "uvx",
    args: ["mcp-server-git"],
    includeTools: ["git_log", "git_diff"],
    excludeTools: ["git_push"],
  },
  timeout: { command: "node", args: ["server.js"], timeout: 30000 },
  "stdio-misc": {
    command: "python",
    args: ["-m", "srv"],
    cwd: "/srv/app",
    disabled: true,
    autoApprove: ["read"],
    description: "Internal tools",
  },
  // Values every host, or the host that read them, assumes anyway: never a loss.
  defaults: {
    command: "uvx",
    args: [],
    env: {},
    disabled: false,
    excludeTools: [],
    autoApprove: [],
    extra: {
      goose: { bundled: null, env_keys: [], available_tools: [], timeout: 300 },
      zed: { settings: {}, remote: false, source: "custom" },
      opencode: { enabled: true },
      codex: { required: false, startup_timeout_sec: 10 },
      "copilot-cli": { tools: ["*"] },
      gemini: { trust: false },
      vscode: { sandboxEnabled: false },
      "claude-code": { alwaysLoad: false },
    },
  },
  "remote-defaults": {
    url: "https://mcp.example.com/mcp",
    transport: "http",
    headers: {},
    disabled: false,
    extra: { opencode: { oauth: {} } },
  },
};

/** The adapter as used for its file (claude-code-local is bound to a project directory). */
function bind(a: HostAdapter): HostAdapter {
  return a.forProject ? projectTarget(a, "/home/u/src/app", pctx).adapter : a;
}

/** Writes one server into an empty file of the host; the file, the decoded server, the losses. */
function roundTrip(host: HostAdapter, name: string, server: Server) {
  const enc = host.encode(name, server, undefined, wctx);
  if (enc.skip !== undefined || !enc.raw) return { skip: enc.skip, losses: enc.losses };
  const edits = containerEdits(host.container, undefined, { set: new Map([[name, enc.raw]]), remove: [] });
  const text = host.format.edit("", edits, `matrix.${host.format.name}`);
  const doc = host.format.parse(text, `matrix.${host.format.name}`);
  const raw = rawEntries(host.container, doc).get(name);
  if (raw === undefined)
    throw new Error(`${host.id}: the written entry "${name}" is not in the file:\n${text}`);
  return { text, decoded: host.decode(name, raw), losses: enc.losses };
}

const resolve = (x: unknown): unknown => JSON.parse(JSON.stringify(x ?? null).replaceAll("${TOKEN}", TOKEN));

/** Problems with a conversion, as readable lines (empty: the conversion is faithful). */
function judge(src: Server, dst: HostAdapter, out: Server, losses: Loss[], text: string): string[] {
  const problems: string[] = [];
  const s = src as Record<string, unknown>;
  const o = out as Record<string, unknown>;
  const lost = (field: string) => losses.some((l) => l.field === field && l.reason.length > 0);
  for (const f of CANONICAL_FIELDS) {
    const before = s[f];
    if (before === undefined) continue;
    const after = o[f];
    if (isCanonicalDefault(f, before)) {
      // Written or not, the target runs the server the same way: no loss to report.
      if (lost(f)) problems.push(`${f} ${JSON.stringify(before)} is a default, reported as a loss`);
      if (after === undefined || isCanonicalDefault(f, after)) continue;
    }
    if (after === undefined) {
      // No transport read back: the target detects it (Streamable HTTP first, then SSE).
      if (f === "transport") continue;
      if (!lost(f)) problems.push(`${f} dropped silently`);
      continue;
    }
    if (f === "transport") {
      if (dst.fields.has("transport") && after !== before)
        problems.push(`transport ${before} became ${after}`);
      continue;
    }
    // A host without interpolation holds the value, or the reference in a native form that reads
    // back as the same reference (Codex env_http_headers).
    const same = deepEqual(before, after) || (dst.envSyntax === "none" && deepEqual(resolve(before), after));
    if (!same) problems.push(`${f} ${JSON.stringify(before)} became ${JSON.stringify(after)}`);
  }
  // Goose substitutes ${VAR} in headers from the variables its env_keys names (issue 21).
  const gooseNative = dst.id === "goose" && /env_keys:\s*\n\s*- TOKEN/.test(text);
  if (dst.envSyntax === "none" && text.includes("${TOKEN}") && !gooseNative) {
    problems.push("a ${TOKEN} reference was written to a host that cannot expand it");
  }
  for (const [key, fields] of Object.entries(src.extra ?? {})) {
    for (const [k, v] of Object.entries(fields)) {
      const kept = deepEqual(out.extra?.[key]?.[k], v);
      if (isHostDefault(key, k, v)) {
        if (!kept && lost(k)) problems.push(`${key} field "${k}" is a default, reported as a loss`);
      } else if (!kept && !lost(k)) problems.push(`${key} field "${k}" dropped silently`);
    }
  }
  return problems;
}

describe("conversion matrix", () => {
  const hosts = HOSTS.map(bind);
  for (const from of hosts) {
    test(`${from.id} → every host: faithful, or reported`, () => {
      const problems: string[] = [];
      for (const [name, canonical] of Object.entries(SERVERS)) {
        const first = roundTrip(from, name, canonical);
        if (first.skip !== undefined || !first.decoded) {
          if (!first.skip) problems.push(`${from.id} skipped ${name} without a reason`);
          continue;
        }
        const src = first.decoded;
        for (const to of hosts) {
          const r = roundTrip(to, name, src);
          const where = `${from.id} → ${to.id} ${name}`;
          if (r.skip !== undefined || !r.decoded) {
            if (!r.skip) problems.push(`${where}: skipped without a reason`);
            continue;
          }
          for (const p of judge(src, to, r.decoded, r.losses, r.text ?? "")) problems.push(`${where}: ${p}`);
        }
      }
      expect(problems).toEqual([]);
    });
  }

  test("every registered host is in the matrix", () => {
    expect(HOSTS.length).toBeGreaterThanOrEqual(36);
  });
});
