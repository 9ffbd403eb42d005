// multi-environment.ts — each environment to its own host group (development-hosts, …).
// Run: hatch run examples/multi-environment.ts
import { env, sync } from "hatch";

let failed = false;
for (const name of ["development", "staging", "production"]) {
  console.log(`Syncing ${name} environment...`);
  const r = await sync().from(env(name)).to(`${name}-hosts`).apply();
  console.log(r.plan.summary());
  failed ||= !r.ok;
}
process.exit(failed ? 1 : 0);
