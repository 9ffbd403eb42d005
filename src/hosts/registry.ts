// The single source of truth for built-in host ids: --help choices, `discover hosts`, the
// README table and the golden-fixture test all iterate this list. Each entry holds the host's id
// and aliases; its module (adapter, paths, format) is evaluated at the first use of anything else
// (lazy.ts), so a run loads the hosts it names. Each module is a literal require() (the compiled
// binary drops dynamic imports of computed paths), which the bundler gives a chunk of its own;
// lazy.test.ts holds every entry to its module.
import { UsageError } from "../core/errors.ts";
import type { HostAdapter } from "../core/adapter.ts";
import { lazyHost } from "./lazy.ts";
import { suggest } from "./suggest.ts";

const host = (id: string, aliases: readonly string[], load: () => { default: HostAdapter }) =>
  lazyHost(id, aliases, () => load().default);

export const HOSTS: readonly HostAdapter[] = [
  // The first twelve, in the order hatch has always listed them.
  host("claude-desktop", ["claude_desktop", "claudedesktop"], () => require("./claude-desktop.ts")),
  host("claude-code", ["claude_code", "claudecode", "claude"], () => require("./claude-code.ts")),
  host("cursor", [], () => require("./cursor.ts")),
  host("vscode", ["vs-code", "code"], () => require("./vscode.ts")),
  host("lmstudio", ["lm-studio", "lm_studio"], () => require("./lmstudio.ts")),
  host("gemini", ["gemini-cli", "gemini_cli"], () => require("./gemini.ts")),
  host("codex", ["codex-cli", "openai-codex"], () => require("./codex.ts")),
  host("kiro", [], () => require("./kiro.ts")),
  host("windsurf", ["codeium"], () => require("./windsurf.ts")),
  host("zed", [], () => require("./zed.ts")),
  host("opencode", ["open-code"], () => require("./opencode.ts")),
  host("goose", [], () => require("./goose.ts")),
  // Claude Code's per-project local scope (project-only: bind with projectTarget()).
  host("claude-code-local", ["claude-local"], () => require("./claude-code-local.ts")),
  // VS Code editions and the other GitHub Copilot / Microsoft hosts.
  host("vscode-insiders", ["code-insiders"], () => require("./vscode-insiders.ts")),
  host("vscode-server", ["vscode-remote"], () => require("./vscode-server.ts")),
  host("visual-studio", ["vs", "vs2022", "visualstudio"], () => require("./visual-studio.ts")),
  host("copilot-cli", ["copilot", "gh-copilot"], () => require("./copilot-cli.ts")),
  host("copilot-jetbrains", ["copilot-intellij"], () => require("./copilot-jetbrains.ts")),
  // Editor extensions and plugins.
  host("windsurf-jetbrains", ["codeium-jetbrains"], () => require("./windsurf-jetbrains.ts")),
  host("cline", ["cline-cli"], () => require("./cline.ts")),
  host("cline-vscode", ["claude-dev"], () => require("./cline-vscode.ts")),
  host("roo-code", ["roo", "roo-cline"], () => require("./roo-code.ts")),
  host("kilo-code", ["kilo", "kilocode"], () => require("./kilo-code.ts")),
  host("continue", ["continue-dev"], () => require("./continue.ts")),
  // Terminal agents.
  host("qwen", ["qwen-code"], () => require("./qwen.ts")),
  host("antigravity", ["google-antigravity"], () => require("./antigravity.ts")),
  host("amazon-q", ["amazonq", "q-cli", "amazon-q-cli"], () => require("./amazon-q.ts")),
  host("junie", [], () => require("./junie.ts")),
  host("crush", [], () => require("./crush.ts")),
  host("amp", ["ampcode"], () => require("./amp.ts")),
  host("augment", ["auggie"], () => require("./augment.ts")),
  host("factory", ["droid", "factory-droid"], () => require("./factory.ts")),
  host("kimi", ["kimi-cli"], () => require("./kimi.ts")),
  host("mistral-vibe", ["vibe"], () => require("./mistral-vibe.ts")),
  // Standalone IDE apps and other clients.
  host("trae", [], () => require("./trae.ts")),
  host("qoder", [], () => require("./qoder.ts")),
  host("mcphub", ["mcphub-nvim", "neovim"], () => require("./mcphub.ts")),
];

/**
 * The built-in host ids, as a literal union for scripts' completions (`HostId | (string & {})`
 * still takes custom hosts, groups and aliases). test/e2e/types.test.ts holds it to HOSTS both ways.
 */
export type HostId =
  | "claude-desktop"
  | "claude-code"
  | "cursor"
  | "vscode"
  | "lmstudio"
  | "gemini"
  | "codex"
  | "kiro"
  | "windsurf"
  | "zed"
  | "opencode"
  | "goose"
  | "claude-code-local"
  | "vscode-insiders"
  | "vscode-server"
  | "visual-studio"
  | "copilot-cli"
  | "copilot-jetbrains"
  | "windsurf-jetbrains"
  | "cline"
  | "cline-vscode"
  | "roo-code"
  | "kilo-code"
  | "continue"
  | "qwen"
  | "antigravity"
  | "amazon-q"
  | "junie"
  | "crush"
  | "amp"
  | "augment"
  | "factory"
  | "kimi"
  | "mistral-vibe"
  | "trae"
  | "qoder"
  | "mcphub";

// suggest() is in suggest.ts (the CLI loads it without the registry); its callers import it from here.
export { suggest };

const byName = new Map<string, HostAdapter>();
for (const h of HOSTS) {
  byName.set(h.id, h);
  for (const a of h.aliases ?? []) byName.set(a, h);
}

/** The built-in adapter for an id or alias (case-insensitive), or undefined. */
export function findHost(name: string): HostAdapter | undefined {
  return byName.get(name.toLowerCase());
}

/**
 * The built-in adapter for a name.
 * @throws UsageError with a "did you mean" suggestion
 */
export function requireHost(name: string, extraKnown: Iterable<string> = []): HostAdapter {
  const h = findHost(name);
  if (h) return h;
  throw unknownHost(name, extraKnown);
}

export function unknownHost(name: string, extraKnown: Iterable<string> = []): UsageError {
  const s = suggest(name, [...byName.keys(), ...extraKnown]);
  return new UsageError(
    `Unknown host "${name}"${s ? `: did you mean "${s}"?` : ""}`,
    'Run "hatch mcp discover hosts" to list hosts',
  );
}
