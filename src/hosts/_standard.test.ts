// Conversion rules of the table-driven adapters: a host entry decodes to the canonical server, and
// the canonical server encodes into another host's spelling (transport, URL key, timeout unit,
// env-var syntax), with losses and skips reported and the existing entry's own choices kept.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: env-var references are the test data
import { describe, expect, test } from "bun:test";
import { UsageError } from "../core/errors.ts";
import { CANONICAL_FIELDS, type Server } from "../core/model.ts";
import type { HostAdapter, WriteContext } from "../core/adapter.ts";
import { json } from "./_format/jsonc.ts";
import { standardAdapter, WRITTEN_FIELDS } from "./_standard.ts";
import claudeCode from "./claude-code.ts";
import claudeDesktop from "./claude-desktop.ts";
import cursor from "./cursor.ts";
import gemini from "./gemini.ts";
import kiro from "./kiro.ts";
import lmstudio from "./lmstudio.ts";
import opencode from "./opencode.ts";
import vscode from "./vscode.ts";
import windsurf from "./windsurf.ts";
import zed from "./zed.ts";

const linux: WriteContext = { env: { HOME: "/home/u", TOKEN: "tok-1" }, platform: "linux" };
const win: WriteContext = { env: { USERPROFILE: "C:\\Users\\u" }, platform: "win32" };

/** Host entry of `from` → canonical → entry of `to` (a new entry unless `existing` is given). */
function convert(from: HostAdapter, raw: unknown, to: HostAdapter, existing?: unknown, ctx = linux) {
  const server = from.decode("s", raw);
  return { server, ...to.encode("s", server, existing, ctx) };
}

describe("transport names", () => {
  const cases: [string, HostAdapter, Record<string, unknown>, "http" | "sse" | undefined][] = [
    ["claude-code http", claudeCode, { type: "http", url: "https://x.dev/mcp" }, "http"],
    [
      "claude-code streamable-http alias",
      claudeCode,
      { type: "streamable-http", url: "https://x.dev" },
      "http",
    ],
    ["claude-code sse", claudeCode, { type: "sse", url: "https://x.dev/sse" }, "sse"],
    ["cursor streamableHttp", cursor, { type: "streamableHttp", url: "https://x.dev" }, "http"],
    ["cursor no type", cursor, { url: "https://x.dev" }, undefined],
    ["vscode SSE in capitals", vscode, { type: "SSE", url: "https://x.dev" }, "sse"],
    ["gemini httpUrl", gemini, { httpUrl: "https://x.dev" }, "http"],
    ["gemini url alone is SSE", gemini, { url: "https://x.dev/sse" }, "sse"],
    ["gemini url + type http", gemini, { url: "https://x.dev", type: "http" }, "http"],
    ["windsurf serverUrl", windsurf, { serverUrl: "https://x.dev" }, undefined],
    ["kiro url", kiro, { url: "https://x.dev" }, undefined],
    [
      "opencode remote (transport left to opencode)",
      opencode,
      { type: "remote", url: "https://x.dev" },
      undefined,
    ],
  ];
  test.each(cases)("%s", (_label, host, raw, transport) => {
    const s = host.decode("s", raw) as { transport?: string };
    expect(s.transport).toBe(transport);
  });

  const writes: [string, HostAdapter, "http" | "sse", Record<string, unknown>][] = [
    ["claude-code http", claudeCode, "http", { type: "http", url: "https://x.dev" }],
    ["claude-code sse", claudeCode, "sse", { type: "sse", url: "https://x.dev" }],
    ["vscode http", vscode, "http", { type: "http", url: "https://x.dev" }],
    ["cursor http needs no type", cursor, "http", { url: "https://x.dev" }],
    ["cursor sse", cursor, "sse", { type: "sse", url: "https://x.dev" }],
    ["gemini http: url + type", gemini, "http", { type: "http", url: "https://x.dev" }],
    ["gemini sse: url + type", gemini, "sse", { type: "sse", url: "https://x.dev" }],
    ["opencode http", opencode, "http", { type: "remote", url: "https://x.dev" }],
    ["opencode sse", opencode, "sse", { type: "remote", url: "https://x.dev" }],
    ["windsurf http", windsurf, "http", { serverUrl: "https://x.dev" }],
    // Windsurf detects the transport, but a new SSE entry says so (real files carry `"type": "sse"`).
    ["windsurf sse", windsurf, "sse", { type: "sse", serverUrl: "https://x.dev" }],
    ["kiro sse", kiro, "sse", { url: "https://x.dev" }],
    ["zed http", zed, "http", { url: "https://x.dev" }],
    ["lmstudio http", lmstudio, "http", { url: "https://x.dev" }],
  ];
  test.each(writes)("writes %s", (_label, host, transport, want) => {
    const r = host.encode("s", { url: "https://x.dev", transport }, undefined, linux);
    expect(r.raw).toEqual(want);
    expect(Object.keys(r.raw ?? {})).toEqual(Object.keys(want));
    expect(r.losses).toEqual([]);
  });
});

describe("URL keys", () => {
  test("windsurf reads url or serverUrl and writes serverUrl on new entries", () => {
    expect(windsurf.decode("s", { url: "https://a.dev" })).toEqual({ url: "https://a.dev" });
    const r = convert(claudeCode, { type: "http", url: "https://a.dev" }, windsurf);
    expect(r.raw).toEqual({ serverUrl: "https://a.dev" });
  });
  test("windsurf keeps an existing entry's url key", () => {
    const r = windsurf.encode(
      "s",
      { url: "https://b.dev" },
      { url: "https://a.dev", disabledTools: ["x"] },
      linux,
    );
    expect(r.raw).toEqual({ url: "https://b.dev", disabledTools: ["x"] });
  });
  test("gemini keeps a legacy httpUrl entry as httpUrl, with no type added", () => {
    const r = gemini.encode(
      "s",
      { url: "https://b.dev", transport: "http" },
      { httpUrl: "https://a.dev" },
      linux,
    );
    expect(r.raw).toEqual({ httpUrl: "https://b.dev" });
  });
  test("gemini moves an httpUrl entry that becomes SSE to url + type", () => {
    const r = gemini.encode(
      "s",
      { url: "https://b.dev", transport: "sse" },
      { httpUrl: "https://a.dev" },
      linux,
    );
    expect(r.raw).toEqual({ type: "sse", url: "https://b.dev" });
  });
  test("gemini adds type when an existing SSE url entry becomes HTTP", () => {
    const r = gemini.encode(
      "s",
      { url: "https://a.dev", transport: "http" },
      { url: "https://a.dev" },
      linux,
    );
    expect(r.raw).toEqual({ url: "https://a.dev", type: "http" });
  });
  test("the gemini → claude-code → gemini round trip keeps the transport", () => {
    const back = convert(claudeCode, convert(gemini, { httpUrl: "https://a.dev" }, claudeCode).raw, gemini);
    expect(back.raw).toEqual({ type: "http", url: "https://a.dev" });
    expect(gemini.decode("s", back.raw)).toEqual({ url: "https://a.dev", transport: "http" });
  });
});

describe("timeout units", () => {
  const seconds = standardAdapter({
    id: "secs",
    label: "Seconds host",
    format: json,
    userPath: () => undefined,
    keys: { command: "command", args: "args", timeout: "timeout_sec" },
    urlKeys: [],
    remote: [],
    timeoutUnit: "s",
    envSyntax: "none",
  });
  test.each([
    ["claude-code ms → gemini ms", claudeCode, { command: "x", timeout: 120000 }, gemini, 120000],
    ["gemini ms → opencode ms", gemini, { command: "x", timeout: 5000 }, opencode, 5000],
    ["opencode ms → zed ms", opencode, { type: "local", command: ["x"], timeout: 2500 }, zed, 2500],
    ["claude-code ms → seconds host", claudeCode, { command: "x", timeout: 90000 }, seconds, 90],
    ["claude-code ms → seconds host, fraction", claudeCode, { command: "x", timeout: 1500 }, seconds, 1.5],
  ] as const)("%s", (_label, from, raw, to, want) => {
    const r = convert(from, raw, to);
    const key = to === seconds ? "timeout_sec" : "timeout";
    expect(r.raw?.[key]).toBe(want);
  });
  test("a seconds host reads into milliseconds", () => {
    expect(seconds.decode("s", { command: "x", timeout_sec: 2.5 })).toEqual({ command: "x", timeout: 2500 });
  });
  test("a host without timeout reports it lost", () => {
    const r = convert(claudeCode, { command: "x", timeout: 1000 }, cursor);
    expect(r.raw).toEqual({ command: "x" });
    expect(r.losses).toEqual([{ server: "s", field: "timeout", reason: 'Cursor has no "timeout" setting' }]);
  });
});

describe("env-var syntax", () => {
  const cases: [string, HostAdapter, unknown, HostAdapter, unknown, string[]][] = [
    ["dollar → env-colon", claudeCode, "Bearer ${TOK}", cursor, "Bearer ${env:TOK}", []],
    ["dollar default → env-colon (default lost)", claudeCode, "${TOK:-x}", vscode, "${env:TOK}", ["TOK"]],
    ["dollar → brace", gemini, "${TOK}", opencode, "{env:TOK}", []],
    ["dollar default → brace (default lost)", kiro, "a${TOK:-x}b", opencode, "a{env:TOK}b", ["TOK"]],
    ["brace → dollar", opencode, "{env:TOK}", claudeCode, "${TOK}", []],
    ["env-colon → dollar", windsurf, "${env:TOK}/x", gemini, "${TOK}/x", []],
    ["gemini bare $VAR → dollar", gemini, "$TOK", kiro, "${TOK}", []],
    ["dollar keeps defaults", claudeCode, "${TOK:-x}", gemini, "${TOK:-x}", []],
    ["none host resolves from the environment", claudeCode, "${TOKEN}", claudeDesktop, "tok-1", []],
    ["none host uses the default of an unset variable", claudeCode, "${NOPE:-d}", zed, "d", []],
    ["env-colon → none", cursor, "${env:HOME}/x", lmstudio, "/home/u/x", []],
    ["VS Code inputs pass through as text", vscode, "${input:key}", cursor, "${input:key}", []],
  ];
  test.each(cases)("%s", (_label, from, value, to, want, dropped) => {
    const raw =
      from === opencode
        ? { type: "local", command: ["x"], environment: { V: value } }
        : { command: "x", env: { V: value } };
    const r = convert(from, raw, to);
    const envKey = to === opencode ? "environment" : "env";
    expect((r.raw?.[envKey] as Record<string, string> | undefined)?.V).toBe(want as string);
    expect(r.losses.map((l) => l.reason)).toEqual(
      dropped.map((v) => `default value of \${${v}} (the host has no defaults)`),
    );
  });
  test("args, command, url and headers are translated too", () => {
    const r = convert(
      claudeCode,
      { type: "http", url: "https://${HOST}/mcp", headers: { A: "Bearer ${T}" } },
      opencode,
    );
    expect(r.raw).toEqual({
      type: "remote",
      url: "https://{env:HOST}/mcp",
      headers: { A: "Bearer {env:T}" },
    });
    const c = convert(cursor, { command: "${env:BIN}", args: ["--k", "${env:K}"] }, opencode);
    expect(c.raw?.command).toEqual(["{env:BIN}", "--k", "{env:K}"]);
  });
  test("a none host throws UsageError naming an unset variable", () => {
    const server = claudeCode.decode("gh", { command: "x", env: { T: "${MISSING_VAR}" } });
    let err: unknown;
    try {
      claudeDesktop.encode("gh", server, undefined, linux);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toContain('"MISSING_VAR"');
    expect((err as Error).message).toContain('server "gh"');
  });
  test("an existing entry's spelling of the same reference is kept", () => {
    // Gemini's bare $VAR, Cursor's ${userHome}: rewriting the same value keeps the bytes.
    const g = gemini.decode("s", { command: "x", env: { K: "$KEY" } });
    expect(g).toEqual({ command: "x", env: { K: "${KEY}" } });
    expect(gemini.encode("s", g, { command: "x", env: { K: "$KEY" } }, linux).raw).toEqual({
      command: "x",
      env: { K: "$KEY" },
    });
    // A none host keeps a literal ${X} it already holds instead of resolving it.
    const z = zed.decode("s", { command: "x", args: ["${NOT_SET}"] });
    expect(zed.encode("s", z, { command: "x", args: ["${NOT_SET}"] }, linux).raw).toEqual({
      command: "x",
      args: ["${NOT_SET}"],
    });
  });
});

describe("losses and skips", () => {
  test("remote servers are skipped for claude-desktop with a reason", () => {
    const r = claudeDesktop.encode("s", { url: "https://x.dev", transport: "http" }, undefined, linux);
    expect(r.raw).toBeUndefined();
    expect(r.skip).toBe("Claude Desktop runs only local (stdio) servers from its config file");
  });
  test.each([
    [zed, "sse", "Zed cannot run SSE servers"],
    [lmstudio, "sse", "LM Studio cannot run SSE servers"],
  ] as const)("%o skips %s", (host, transport, reason) => {
    const r = host.encode("s", { url: "https://x.dev", transport }, undefined, linux);
    expect(r.raw).toBeUndefined();
    expect(r.skip).toBe(reason);
  });
  test("fields the target cannot express are reported", () => {
    const r = convert(
      gemini,
      { command: "x", cwd: "/w", description: "d", includeTools: ["a"], trust: true },
      claudeDesktop,
    );
    expect(r.raw).toEqual({ command: "x" });
    expect(r.losses).toEqual([
      { server: "s", field: "cwd", reason: 'Claude Desktop has no "cwd" setting' },
      { server: "s", field: "includeTools", reason: 'Claude Desktop has no "includeTools" setting' },
      { server: "s", field: "description", reason: 'Claude Desktop has no "description" setting' },
      {
        server: "s",
        field: "trust",
        reason: '"trust" is a gemini setting that Claude Desktop does not have',
      },
    ]);
  });
  test("kiro's disabledTools is canonical excludeTools", () => {
    const r = convert(gemini, { command: "x", excludeTools: ["rm"] }, kiro);
    expect(r.raw).toEqual({ command: "x", disabledTools: ["rm"] });
    expect(r.losses).toEqual([]);
  });
});

describe("existing entries", () => {
  test("unknown fields of the existing entry are kept", () => {
    const existing = { type: "http", url: "https://old.dev", alwaysLoad: true, oauth: { clientId: "c" } };
    const r = claudeCode.encode("s", { url: "https://new.dev", transport: "http" }, existing, linux);
    expect(r.raw).toEqual({
      type: "http",
      url: "https://new.dev",
      alwaysLoad: true,
      oauth: { clientId: "c" },
    });
  });
  test("host-only fields round-trip through extra", () => {
    const raw = { command: "x", sandboxEnabled: true, dev: { watch: "src/**" }, type: "stdio" };
    const s = vscode.decode("s", raw);
    expect(s.extra).toEqual({ vscode: { sandboxEnabled: true, dev: { watch: "src/**" } } });
    expect(vscode.encode("s", s, undefined, linux).raw).toEqual({
      type: "stdio",
      command: "x",
      sandboxEnabled: true,
      dev: { watch: "src/**" },
    });
  });
  test("an owned field the server no longer has is dropped", () => {
    const r = cursor.encode("s", { command: "x" }, { command: "x", args: ["a"], env: { A: "1" } }, linux);
    expect(r.raw).toEqual({ command: "x" });
  });
});

describe("type field", () => {
  const stdio: Server = { command: "npx", args: ["-y", "pkg"] };
  test.each([
    ["claude-code writes type on new stdio entries", claudeCode, undefined, { type: "stdio", ...stdio }],
    ["claude-code leaves an existing untyped entry untyped", claudeCode, { command: "old" }, stdio],
    ["vscode writes type on new stdio entries", vscode, undefined, { type: "stdio", ...stdio }],
    ["cursor writes no type on new stdio entries", cursor, undefined, stdio],
    [
      "cursor keeps an existing entry's type",
      cursor,
      { type: "stdio", command: "old" },
      { type: "stdio", ...stdio },
    ],
    ["gemini has no stdio type", gemini, undefined, stdio],
    ["opencode local", opencode, undefined, { type: "local", command: ["npx", "-y", "pkg"] }],
  ] as const)("%s", (_label, host, existing, want) => {
    const r = host.encode("s", stdio, existing, linux);
    expect(r.raw).toEqual(want as Record<string, unknown>);
  });
  test("an existing entry's spelling of the same transport is kept", () => {
    const r = cursor.encode(
      "s",
      { url: "https://x.dev", transport: "http" },
      { type: "streamable-http", url: "https://x.dev" },
      linux,
    );
    expect(r.raw).toEqual({ type: "streamable-http", url: "https://x.dev" });
    const c = claudeCode.encode(
      "s",
      { url: "https://x.dev", transport: "sse" },
      { type: "streamable-http", url: "https://x.dev" },
      linux,
    );
    expect(c.raw).toEqual({ type: "sse", url: "https://x.dev" });
  });
  test("gemini leaves an existing url-only SSE entry without type", () => {
    const r = gemini.encode(
      "s",
      { url: "https://x.dev/sse", transport: "sse" },
      { url: "https://x.dev/sse", trust: true },
      linux,
    );
    expect(r.raw).toEqual({ url: "https://x.dev/sse", trust: true });
  });
  test("claude-code always writes type on remote entries", () => {
    const r = claudeCode.encode("s", { url: "https://x.dev" }, { url: "https://x.dev" }, linux);
    expect(r.raw).toEqual({ type: "http", url: "https://x.dev" });
  });
});

describe("Windows cmd /c wrapping", () => {
  test.each([
    [
      "claude-desktop wraps npx on win32",
      claudeDesktop,
      { command: "npx", args: ["-y", "p"] },
      win,
      { command: "cmd", args: ["/c", "npx", "-y", "p"] },
    ],
    [
      "claude-code wraps npx on win32",
      claudeCode,
      { command: "npx" },
      win,
      { type: "stdio", command: "cmd", args: ["/c", "npx"] },
    ],
    [
      "not on linux",
      claudeDesktop,
      { command: "npx", args: ["-y", "p"] },
      linux,
      { command: "npx", args: ["-y", "p"] },
    ],
    [
      "not a real program",
      claudeDesktop,
      { command: "uvx", args: ["p"] },
      win,
      { command: "uvx", args: ["p"] },
    ],
    [
      "not for hosts that do not need it",
      cursor,
      { command: "npx", args: ["p"] },
      win,
      { command: "npx", args: ["p"] },
    ],
  ] as const)("%s", (_label, host, server, ctx, want) => {
    expect(host.encode("s", server as Server, undefined, ctx).raw).toEqual(want as Record<string, unknown>);
  });
  test("reading a wrapper gives the wrapped program", () => {
    expect(claudeDesktop.decode("s", { command: "cmd", args: ["/c", "npx", "-y", "p"] })).toEqual({
      command: "npx",
      args: ["-y", "p"],
    });
    expect(cursor.decode("s", { command: "CMD.EXE", args: ["/C", "pnpm"] })).toEqual({ command: "pnpm" });
  });
  test("an existing wrapper of the same program is kept as spelled, on any platform", () => {
    const existing = { command: "cmd.exe", args: ["/C", "npx", "-y", "p"] };
    const s = cursor.decode("s", existing);
    expect(cursor.encode("s", { ...s, args: ["-y", "p", "--x"] } as Server, existing, linux).raw).toEqual({
      command: "cmd.exe",
      args: ["/C", "npx", "-y", "p", "--x"],
    });
    // A different program replaces the wrapper.
    expect(cursor.encode("s", { command: "uvx", args: ["q"] }, existing, linux).raw).toEqual({
      command: "uvx",
      args: ["q"],
    });
  });
});

describe("Zed and opencode shapes", () => {
  test("zed enabled is the inverse of disabled", () => {
    expect(zed.decode("s", { command: "x", args: [], enabled: false })).toEqual({
      command: "x",
      args: [],
      disabled: true,
    });
    expect(zed.encode("s", { command: "x", disabled: true }, undefined, linux).raw).toEqual({
      command: "x",
      args: [],
      enabled: false,
    });
  });
  test("zed reads the oldest nested command shape and keeps it when writing", () => {
    const raw = { command: { path: "uvx", args: ["a"], env: { K: "v" } }, settings: {} };
    const s = zed.decode("s", raw);
    expect(s).toEqual({ command: "uvx", args: ["a"], env: { K: "v" }, extra: { zed: { settings: {} } } });
    expect(zed.encode("s", { ...s, args: ["b"] } as Server, raw, linux).raw).toEqual({
      command: { path: "uvx", args: ["b"], env: { K: "v" } },
      settings: {},
    });
  });
  test("zed keeps the legacy source tag", () => {
    const raw = { source: "custom", command: "x", args: [] };
    const s = zed.decode("s", raw);
    expect(zed.encode("s", s, raw, linux).raw).toEqual(raw);
  });
  test("opencode command array and environment", () => {
    const s = opencode.decode("s", {
      type: "local",
      command: ["bun", "x", "m"],
      environment: { A: "{env:A}" },
      enabled: false,
    });
    expect(s).toEqual({ command: "bun", args: ["x", "m"], env: { A: "${A}" }, disabled: true });
    const r = convert(
      opencode,
      { type: "local", command: ["bun", "x"], environment: { A: "{env:A}" } },
      claudeCode,
    );
    expect(r.raw).toEqual({ type: "stdio", command: "bun", args: ["x"], env: { A: "${A}" } });
  });
});

// encode reads the written fields by name, one after another, in WRITTEN_FIELDS order; a new
// entry's keys come out in that order, so it must be CANONICAL_FIELDS' (less the URL and the
// transport, which are written apart). Checked here rather than at every start of the binary.
test("WRITTEN_FIELDS follows CANONICAL_FIELDS", () => {
  expect([...WRITTEN_FIELDS]).toEqual(CANONICAL_FIELDS.filter((f) => f !== "url" && f !== "transport"));
});
