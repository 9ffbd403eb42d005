// team-environments.ts — pull the team's environments from git and apply production, from cron.
// Run: hatch run examples/team-environments.ts [SOURCE] [GROUP]
// The source was added once with: hatch env source add team git@github.com:acme/mcp-envs.git --path envs
import { env, envSources, sync } from "hatch";

const source = process.argv[2] ?? "team";
const group = process.argv[3] ?? "all";

for (const r of await envSources.pull(source)) {
  if (r.forced) console.warn(`${r.name} was force-pushed: ${r.from.slice(0, 12)} → ${r.to.slice(0, 12)}`);
  else if (r.changed) console.log(`${r.name}: ${r.from.slice(0, 12)} → ${r.to.slice(0, 12)}`);
}

const result = await sync()
  .from(env(`${source}/production`))
  .to(group)
  .apply();
console.log(result.plan.summary());
console.log(`Applied ${source}/production at ${result.plan.source.commit ?? "?"}`);
process.exit(result.ok ? 0 : 1);
