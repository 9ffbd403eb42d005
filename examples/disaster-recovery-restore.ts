// disaster-recovery-restore.ts — put the last known good environment back on every host.
// Run: hatch run examples/disaster-recovery-restore.ts
import { env, sync } from "hatch";

const result = await sync().from(env("last-known-good")).to("all").apply();
console.log(result.plan.summary());
if (result.backupId) console.log(`Previous state saved as backup ${result.backupId}`);
process.exit(result.ok ? 0 : 1);
