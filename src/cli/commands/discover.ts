// `hatch mcp discover hosts`: every built-in host, its file on this OS, and whether it is installed.
import { hostInfo } from "../../store/targets.ts";
import { UsageError } from "../../core/errors.ts";
import { tildify } from "../../hosts/_paths.ts";
import { HOSTS } from "../../hosts/registry.ts";
import type { Invocation } from "../command.ts";
import { table } from "../output.ts";

export function runDiscoverHosts({ values, positionals, out, ctx, system }: Invocation): number {
  let filter: RegExp | undefined;
  if (positionals[0]) filter = compileFilter(positionals[0]);
  const infos = HOSTS.filter((h) => !filter || filter.test(h.id)).map((h) => hostInfo(h, ctx, system));
  if (values.json) {
    out.emitJson({
      platform: ctx.platform,
      hosts: infos.map((i) => ({
        host: i.adapter.id,
        label: i.adapter.label,
        format: i.adapter.format.name,
        // Same words as every other document: `path` and `exists` of the host file; `installed`
        // is whether the host app was detected here (its file or its folder exists).
        path: i.path ?? null,
        exists: i.path !== undefined && system.exists(i.path),
        installed: i.installed,
      })),
    });
    return 0;
  }
  out.print("Available MCP Host Platforms:");
  out.print(
    table(
      ["Host", "Status", "Config Path"],
      infos.map((i) => [
        i.adapter.id,
        i.installed ? out.paint("green", "✓ Available") : out.paint("dim", "✗ Not Found"),
        i.path ? tildify(ctx, i.path) : "-",
      ]),
    ).join("\n"),
  );
  const n = infos.filter((i) => i.installed).length;
  out.print();
  out.print(`${n} of ${infos.length} hosts installed on ${ctx.platform}`);
  return 0;
}

/** A user's filter regex (re.search semantics), with a clear error when it does not compile. */
export function compileFilter(src: string): RegExp {
  try {
    return new RegExp(src);
  } catch (e) {
    throw new UsageError(
      `Invalid regular expression "${src}": ${(e as Error).message.replace(/^Invalid regular expression: /, "")}`,
    );
  }
}
