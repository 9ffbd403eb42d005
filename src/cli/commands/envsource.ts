// `hatch env source add|list|remove` and `hatch env pull`: environments shared through git. Each
// is a call of the API's `envSources.*`, rendered.
import { envSources } from "../../api/sources.ts";
import { UsageError } from "../../core/errors.ts";
import { defaultWorkspace } from "../../store/workspace.ts";
import { type Invocation, str } from "../command.ts";
import { table } from "../output.ts";

function ws(inv: Invocation) {
  return defaultWorkspace(inv.env, inv.system);
}

const short = (sha: string) => sha.slice(0, 12);

export async function runEnvSourceAdd(inv: Invocation): Promise<number> {
  const [name, url] = inv.positionals as [string, string];
  const ref = str(inv.values.ref);
  const path = str(inv.values.path);
  const s = await envSources.add(name, url, {
    ...(ref ? { ref } : {}),
    ...(path ? { path } : {}),
    workspace: ws(inv),
  });
  if (inv.out.json) {
    inv.out.emitJson(s);
    return 0;
  }
  inv.out.print(
    `${inv.out.paint("green", "✓")} Added source "${name}" at ${short(s.commit)}: ${s.environments.length} environment${s.environments.length === 1 ? "" : "s"}`,
  );
  for (const e of s.environments) inv.out.print(`  ${name}/${e}`);
  return 0;
}

export function runEnvSourceList(inv: Invocation): number {
  const list = envSources.list({ workspace: ws(inv) });
  if (inv.out.json) {
    inv.out.emitJson({ sources: list });
    return 0;
  }
  if (list.length === 0) {
    inv.out.print('No environment sources: add one with "hatch env source add NAME URL"');
    return 0;
  }
  inv.out.print(
    table(
      ["Name", "URL", "Ref", "Commit", "Environments"],
      list.map((s) => [s.name, s.url, s.ref ?? "(default)", short(s.commit), s.environments.join(", ")]),
    ).join("\n"),
  );
  return 0;
}

export async function runEnvSourceRemove(inv: Invocation): Promise<number> {
  const s = await envSources.remove(inv.positionals[0] as string, { workspace: ws(inv) });
  if (inv.out.json) inv.out.emitJson({ removed: s });
  else inv.out.print(`${inv.out.paint("green", "✓")} Removed source "${s.name}" (${s.url})`);
  return 0;
}

export async function runEnvPull(inv: Invocation): Promise<number> {
  const name = inv.positionals[0];
  const results = await envSources.pull(name, { workspace: ws(inv) });
  if (results.length === 0 && name === undefined)
    throw new UsageError("No environment sources to pull", 'Add one with "hatch env source add NAME URL"');
  for (const r of results)
    if (r.forced)
      inv.out.warn(
        `Source "${r.name}" was rewritten (force-pushed): ${short(r.from)} is not an ancestor of ${short(r.to)}; following it`,
      );
  if (inv.out.json) {
    inv.out.emitJson({ sources: results });
    return 0;
  }
  for (const r of results) {
    inv.out.print(
      r.changed
        ? `${inv.out.paint("green", "✓")} ${r.name}: ${short(r.from)} → ${short(r.to)}`
        : `${inv.out.paint("green", "✓")} ${r.name}: ${short(r.to)} (up to date)`,
    );
  }
  return 0;
}
