// Prints the README's host table (Markdown) from the registry: `bun scripts/hosts-table.ts`.
// test/hosts-table.test.ts checks that README.md holds exactly this table between the
// `<!-- hosts:start -->` and `<!-- hosts:end -->` markers.
import type { HostAdapter } from "../src/core/adapter.ts";
import type { PathContext, Platform } from "../src/hosts/_paths.ts";
import { HOSTS } from "../src/hosts/registry.ts";

/** Display contexts: paths come out as `~/…` and `%APPDATA%\…`, whoever runs this. */
const DISPLAY: Record<Platform, PathContext> = {
  darwin: { platform: "darwin", home: "~", env: {} },
  linux: { platform: "linux", home: "~", env: {} },
  win32: {
    platform: "win32",
    home: "%USERPROFILE%",
    env: { APPDATA: "%APPDATA%", LOCALAPPDATA: "%LOCALAPPDATA%" },
  },
};

const FORMAT: Record<string, string> = { json: "JSON", jsonc: "JSONC", toml: "TOML", yaml: "YAML" };

function code(s: string | undefined): string {
  return s === undefined ? "—" : `\`${s}\``;
}

function containerText(h: HostAdapter, dir: string): string {
  let c: HostAdapter["container"];
  try {
    c = h.container;
  } catch {
    // Bound to a project directory only (claude-code-local).
    c = (h.forProject?.(dir, DISPLAY.linux) ?? h).container;
  }
  const path = c.path.map((s) => (s === dir ? "<project>" : String(s)));
  const key = path.length === 1 ? (path[0] as string) : path.join(" → ");
  return c.kind === "list" ? `\`${key}\` (list by \`${c.nameKey}\`)` : `\`${key}\``;
}

/** One row per registered host. */
export function hostRows(): string[][] {
  return HOSTS.map((h) => {
    const paths = (["darwin", "linux", "win32"] as const).map((p) => h.userPath(DISPLAY[p]));
    const dir = "/PROJECT";
    const project = h.projectPath?.(dir, DISPLAY.linux).replace(`${dir}/`, "");
    const scopes = [paths.some((p) => p !== undefined) ? "user" : undefined, project ? "project" : undefined]
      .filter(Boolean)
      .join(", ");
    return [
      h.label,
      code(h.id),
      FORMAT[h.format.name] ?? h.format.name,
      containerText(h, dir),
      ...paths.map(code),
      code(project),
      scopes,
    ];
  });
}

/** The Markdown table. */
export function hostsTable(): string {
  const head = ["Host", "id", "Format", "Servers at", "macOS", "Linux", "Windows", "Project file", "Scopes"];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
  for (const r of hostRows()) lines.push(`| ${r.join(" | ")} |`);
  return `${lines.join("\n")}\n`;
}

if (import.meta.main) process.stdout.write(hostsTable());
