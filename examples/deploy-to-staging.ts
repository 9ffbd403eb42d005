// deploy-to-staging.ts — the tutorial's "Development to Staging Pipeline" as a script.
// Run: hatch run examples/deploy-to-staging.ts
import { env, sync } from "hatch";

console.log("Deploying development environment to staging hosts...");

// Development tools to the development hosts.
const devTools = await sync().from(env("development")).to("cursor", "vscode").filter("^dev-.*").apply();
// Stable tools to the staging host.
const stable = await sync().from(env("development")).to("claude-desktop").filter("^(?!dev-).*").apply();

for (const r of [devTools, stable]) {
  for (const o of r.outcomes)
    console.log(
      `${o.status === "failed" ? "✗" : "✓"} ${o.host}: ${o.error ?? `${o.servers} servers configured`}`,
    );
}
if (!devTools.ok || !stable.ok) process.exit(1);
console.log("Staging deployment completed!");
