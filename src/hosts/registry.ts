// The single source of truth for built-in host ids: --help choices, `discover hosts`, the
// README table and the golden-fixture test all iterate this list. Static imports only (the
// compiled binary drops dynamic imports of computed paths).
import { UsageError } from "../core/errors.ts";
import type { HostAdapter } from "../core/adapter.ts";
import { suggest } from "./suggest.ts";
import amazonQ from "./amazon-q.ts";
import amp from "./amp.ts";
import antigravity from "./antigravity.ts";
import augment from "./augment.ts";
import claudeCodeLocal from "./claude-code-local.ts";
import claudeCode from "./claude-code.ts";
import claudeDesktop from "./claude-desktop.ts";
import clineVscode from "./cline-vscode.ts";
import cline from "./cline.ts";
import codex from "./codex.ts";
import continue_ from "./continue.ts";
import copilotCli from "./copilot-cli.ts";
import copilotJetbrains from "./copilot-jetbrains.ts";
import crush from "./crush.ts";
import cursor from "./cursor.ts";
import factory from "./factory.ts";
import gemini from "./gemini.ts";
import goose from "./goose.ts";
import junie from "./junie.ts";
import kiloCode from "./kilo-code.ts";
import kimi from "./kimi.ts";
import kiro from "./kiro.ts";
import lmstudio from "./lmstudio.ts";
import mcphub from "./mcphub.ts";
import mistralVibe from "./mistral-vibe.ts";
import opencode from "./opencode.ts";
import qoder from "./qoder.ts";
import qwen from "./qwen.ts";
import rooCode from "./roo-code.ts";
import trae from "./trae.ts";
import visualStudio from "./visual-studio.ts";
import vscodeInsiders from "./vscode-insiders.ts";
import vscodeServer from "./vscode-server.ts";
import vscode from "./vscode.ts";
import windsurfJetbrains from "./windsurf-jetbrains.ts";
import windsurf from "./windsurf.ts";
import zed from "./zed.ts";

export const HOSTS: readonly HostAdapter[] = [
  // The first twelve, in the order hatch has always listed them.
  claudeDesktop,
  claudeCode,
  cursor,
  vscode,
  lmstudio,
  gemini,
  codex,
  kiro,
  windsurf,
  zed,
  opencode,
  goose,
  // Claude Code's per-project local scope (project-only: bind with projectTarget()).
  claudeCodeLocal,
  // VS Code editions and the other GitHub Copilot / Microsoft hosts.
  vscodeInsiders,
  vscodeServer,
  visualStudio,
  copilotCli,
  copilotJetbrains,
  // Editor extensions and plugins.
  windsurfJetbrains,
  cline,
  clineVscode,
  rooCode,
  kiloCode,
  continue_,
  // Terminal agents.
  qwen,
  antigravity,
  amazonQ,
  junie,
  crush,
  amp,
  augment,
  factory,
  kimi,
  mistralVibe,
  // Standalone IDE apps and other clients.
  trae,
  qoder,
  mcphub,
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
