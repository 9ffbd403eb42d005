// Where host files live on each OS. Pure: everything comes from a PathContext, built from the
// process environment once (HOME, USERPROFILE, APPDATA, LOCALAPPDATA, XDG_CONFIG_HOME, CODEX_HOME,
// HATCH_PLATFORM), so tests can check every OS's paths on one machine.
import { posix, win32 } from "node:path";
import type { PathContext, Platform } from "../core/paths.ts";

export type { PathContext, Platform };

export function currentPlatform(env: Readonly<Record<string, string | undefined>> = process.env): Platform {
  const forced = env.HATCH_PLATFORM;
  if (forced === "darwin" || forced === "linux" || forced === "win32") return forced;
  if (forced) {
    throw new TypeError(`HATCH_PLATFORM must be "darwin", "linux" or "win32" (got "${forced}")`);
  }
  const p = process.platform;
  return p === "darwin" || p === "win32" ? p : "linux";
}

export function pathContext(env: Readonly<Record<string, string | undefined>> = process.env): PathContext {
  const platform = currentPlatform(env);
  const home =
    (platform === "win32" ? (env.USERPROFILE ?? env.HOME) : env.HOME) ??
    // node:os only when HOME is unset: loading it costs every start-up a little.
    ((require("node:os") as typeof import("node:os")).homedir() || (platform === "win32" ? "C:\\" : "/"));
  return { platform, home, env };
}

/** The path module for the context's OS, so Windows paths join with backslashes. */
export function pathsFor(ctx: PathContext): typeof posix {
  return ctx.platform === "win32" ? win32 : posix;
}

export function join(ctx: PathContext, ...parts: string[]): string {
  return pathsFor(ctx).join(...parts);
}

/** `~/...` under the user's home (`%USERPROFILE%` on Windows). */
export function home(ctx: PathContext, ...parts: string[]): string {
  return join(ctx, ctx.home, ...parts);
}

/** `%APPDATA%` (Roaming) on Windows. */
export function appData(ctx: PathContext, ...parts: string[]): string {
  return join(ctx, ctx.env.APPDATA ?? join(ctx, ctx.home, "AppData", "Roaming"), ...parts);
}

/** `%LOCALAPPDATA%` on Windows. */
export function localAppData(ctx: PathContext, ...parts: string[]): string {
  return join(ctx, ctx.env.LOCALAPPDATA ?? join(ctx, ctx.home, "AppData", "Local"), ...parts);
}

/** `$XDG_CONFIG_HOME` (absolute only, per the XDG spec) or `~/.config`. */
export function xdgConfig(ctx: PathContext, ...parts: string[]): string {
  const x = ctx.env.XDG_CONFIG_HOME;
  const base = x && pathsFor(ctx).isAbsolute(x) ? x : join(ctx, ctx.home, ".config");
  return join(ctx, base, ...parts);
}

/** macOS `~/Library/Application Support/...`. */
export function appSupport(ctx: PathContext, ...parts: string[]): string {
  return join(ctx, ctx.home, "Library", "Application Support", ...parts);
}

/** Per-OS application config dir: macOS Application Support, Windows APPDATA, Linux XDG config. */
export function appConfig(ctx: PathContext, ...parts: string[]): string {
  if (ctx.platform === "darwin") return appSupport(ctx, ...parts);
  if (ctx.platform === "win32") return appData(ctx, ...parts);
  return xdgConfig(ctx, ...parts);
}

/** The VS Code user directory for an edition folder name ("Code", "Code - Insiders"). */
export function vscodeUser(ctx: PathContext, edition = "Code"): string {
  return appConfig(ctx, edition, "User");
}

/** Shortens a path under the home directory to `~/...` for display. */
export function tildify(ctx: PathContext, p: string): string {
  const sep = ctx.platform === "win32" ? "\\" : "/";
  if (p === ctx.home) return "~";
  if (p.startsWith(ctx.home + sep)) return `~${sep}${p.slice(ctx.home.length + 1)}`;
  return p;
}

export function dirname(ctx: PathContext, p: string): string {
  return pathsFor(ctx).dirname(p);
}
