// Secrets by reference through the compiled binary (PRODUCT.md "Secrets"): `hatch secret set`
// from standard input, `secret list` without values, `${secret:…}` resolved into a host that
// cannot resolve references itself (its new file owner-only), a host-native reference kept as a
// reference, capture moving a literal token into the store, and no value in any output.
import { beforeAll, expect, test } from "bun:test";
import { existsSync, statSync } from "node:fs";
import { CLAUDE, CURSOR, hostJson, requireBinary, TempHome, VSCODE } from "./harness.ts";

beforeAll(requireBinary);

const TOKEN = "tok-e2e-7f3a9c1d";
// The file store: the test does not depend on a keychain being reachable.
const FILE_STORE = { HATCH_SECRET_STORE: "file" };

test("secret set from stdin, list without values, ${secret:…} resolved for Claude Desktop (0600) and kept as a reference for Cursor", () => {
  const h = new TempHome();
  const set = h.run(["secret", "set", "github/token"], { stdin: TOKEN, env: FILE_STORE });
  expect(set.code).toBe(0);
  const list = h.run(["secret", "list", "--json"], { env: FILE_STORE });
  expect(list.code).toBe(0);
  expect(list.stdout).toContain("github/token");
  expect(list.stdout).not.toContain(TOKEN);
  const configure = h.run(
    [
      "mcp",
      "configure",
      "github",
      "--host",
      "claude-desktop,cursor",
      "--command",
      "npx",
      "--args",
      "github-mcp",
      "--env-var",
      "GITHUB_TOKEN=${secret:github/token}",
      "--env-var",
      "REGION=${env:HATCH_E2E_REGION}",
      "-y",
      "--json",
    ],
    { env: { ...FILE_STORE, HATCH_E2E_REGION: "eu" } },
  );
  expect(configure.code).toBe(0);
  expect(configure.stdout + configure.stderr).not.toContain(TOKEN);
  // Claude Desktop cannot resolve references: it gets the value, in a file only its owner reads.
  expect(h.read(CLAUDE)).toContain(TOKEN);
  expect(statSync(h.path(CLAUDE)).mode & 0o777).toBe(0o600);
  // Cursor resolves ${env:…} itself: the env reference stays one; the hatch secret is resolved.
  const cursor = h.read(CURSOR);
  expect(cursor).toContain("${env:HATCH_E2E_REGION}");
  expect(statSync(h.path(CURSOR)).mode & 0o777).toBe(0o600);
  // Plans print no value either way.
  const plan = h.run(
    ["mcp", "sync", "--from-host", "claude-desktop", "--to-host", "vscode", "--dry-run", "--json"],
    {
      env: FILE_STORE,
    },
  );
  expect(plan.code).toBe(0);
  expect(plan.stdout + plan.stderr).not.toContain(TOKEN);
});

test("env create --from-host moves a literal token into the store and leaves ${secret:…} in the environment file", () => {
  const h = new TempHome();
  h.write(
    CLAUDE,
    hostJson({ api: { command: "npx", args: ["api"], env: { API_TOKEN: TOKEN, REGION: "eu" } } }),
  );
  const r = h.run(["env", "create", "captured", "--from-host", "claude-desktop"], { env: FILE_STORE });
  expect(r.code).toBe(0);
  expect(r.stdout + r.stderr).not.toContain(TOKEN);
  const text = h.read(".hatch/envs/captured.yaml");
  expect(text).not.toContain(TOKEN);
  expect(text).toContain("${secret:");
  expect(text).toContain("REGION: eu");
  // Synced back out to a host, the reference resolves to the value again.
  const sync = h.run(["mcp", "sync", "--from-env", "captured", "--to-host", "vscode", "-y"], {
    env: FILE_STORE,
  });
  expect(sync.code).toBe(0);
  expect(sync.stdout + sync.stderr).not.toContain(TOKEN);
  expect(h.read(VSCODE)).toContain(TOKEN);
  expect(statSync(h.path(VSCODE)).mode & 0o777).toBe(0o600);
});

test("an unknown secret is exit 2 naming the reference, before any write", () => {
  const h = new TempHome();
  h.write(CURSOR, hostJson({}));
  const before = h.read(CURSOR);
  const r = h.run(
    [
      "mcp",
      "configure",
      "x",
      "--host",
      "claude-desktop",
      "--command",
      "y",
      "--env-var",
      "K=${secret:nope/missing}",
      "-y",
    ],
    { env: FILE_STORE },
  );
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("nope/missing");
  expect(h.read(CURSOR)).toBe(before);
  expect(existsSync(h.path(CLAUDE))).toBe(false);
});
