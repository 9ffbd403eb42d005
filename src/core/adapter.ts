// The host adapter: a descriptor (no I/O) that knows where a host keeps its servers and how one
// host entry maps to the canonical model and back.
import type { Path } from "./edits.ts";
import type { EnvSyntax, RefResolver } from "./envrefs.ts";
import type { CanonicalField, Server } from "./model.ts";
import type { FileFormat } from "./format.ts";
import type { PathContext } from "./paths.ts";

/** Something a conversion could not carry over. */
export interface Loss {
  server: string;
  /** The canonical or host field that was dropped; absent when the whole server is skipped. */
  field?: string;
  reason: string;
}

export interface WriteContext {
  /** The process environment, for hosts that cannot expand variables themselves. */
  env: Readonly<Record<string, string | undefined>>;
  platform: PathContext["platform"];
  /**
   * Resolves `${secret:…}`, `${op:…}` and `${pass:…}` in env values and headers (src/secrets/
   * builds it; without it such a reference is refused, naming it).
   */
  resolve?: RefResolver;
  /**
   * The kind of host the servers were read from (its id, or the id its entries share: `vscode`
   * for VS Code Insiders). A target of the same kind copies references as they are written there.
   */
  sourceKind?: string;
}

export interface EncodeResult {
  /** The host entry to write (the existing entry's unknown fields are already merged in). */
  raw?: Record<string, unknown>;
  /** Why the server cannot be written to this host at all. */
  skip?: string;
  losses: Loss[];
}

/** How a host stores its servers inside the file. */
export type Container =
  /** A map from name to entry at a key path (most hosts). */
  | { kind: "map"; path: Path }
  /** A list of entries each holding its name in `nameKey` (Continue, Mistral Vibe). */
  | { kind: "list"; path: Path; nameKey: string };

export interface HostAdapter {
  readonly id: string;
  readonly label: string;
  /** Other spellings users type (`lm-studio`, `gemini-cli`). */
  readonly aliases?: readonly string[];
  readonly format: FileFormat;
  readonly container: Container;
  /** Canonical fields this host can express; the rest are reported as losses on write. */
  readonly fields: ReadonlySet<CanonicalField>;
  /** How the host spells env-var references in values (`none`: hatch resolves them on write). */
  readonly envSyntax?: EnvSyntax;
  /** Whether the host can run remote servers from its file, and which transports. */
  readonly remote: ReadonlySet<"http" | "sse">;
  /** The user-scope file on this OS, or undefined when the host does not exist there. */
  userPath(ctx: PathContext): string | undefined;
  /** Files or folders whose existence means the host is installed (default: the user file's folder). */
  detectPaths?(ctx: PathContext): string[];
  /** The project-scope file inside a project directory, when the host has one. */
  projectPath?(dir: string, ctx: PathContext): string;
  /**
   * The adapter to use for a project directory's file, when the project scope stores servers at a
   * place that depends on the directory (Claude Code's local scope: `projects["<dir>"].mcpServers`
   * of `~/.claude.json`). Hosts whose project file has the user file's shape leave it out. Callers
   * go through `projectTarget()` (src/hosts/_project.ts), which applies it.
   */
  forProject?(dir: string, ctx: PathContext): HostAdapter;
  /** A host entry → canonical server (host-only fields go to `extra[id]`). Throws ServerValidationError. */
  decode(name: string, raw: unknown): Server;
  /**
   * A canonical server → host entry, merged over the existing entry so that fields this adapter
   * does not own survive.
   */
  encode(name: string, server: Server, existing: unknown, ctx: WriteContext): EncodeResult;
}
