// check-drift.ts — for CI: fail when hosts drifted from the production environment.
// Run: hatch run examples/check-drift.ts
import { env, sync } from "hatch";

const plan = await sync()
  .from(env("production"))
  .to("all")
  .filter(/^(?!dev-)/)
  .check();
console.log(plan.summary());
process.exit(plan.drift ? 3 : 0);
