// deploy-to-production.ts — preview, confirm, deploy (the tutorial's production pipeline).
// Run: hatch run examples/deploy-to-production.ts [--yes]
import { env, sync } from "hatch";

console.log("Deploying to production hosts...");
const deploy = sync().from(env("production")).to("all");

const plan = await deploy.plan();
console.log("Preview of changes:");
console.log(plan.summary());
if (!plan.drift) process.exit(0);

const yes =
  process.argv.includes("--yes") ||
  prompt("Proceed with production deployment? (y/N):")?.trim().toLowerCase() === "y";
if (!yes) {
  console.log("Production deployment cancelled.");
  process.exit(1);
}
const result = await deploy.applyPlan(plan);
console.log(result.ok ? "Production deployment completed!" : "Production deployment failed on some hosts");
process.exit(result.ok ? 0 : 1);
