// standardize-hosts.ts — make every target host match the primary host's configuration.
// Run: hatch run examples/standardize-hosts.ts [primary] [targets]
import { host, sync } from "hatch";

const primary = process.argv[2] ?? "claude-desktop";
const targets = (process.argv[3] ?? "cursor,vscode,lmstudio").split(",");

const result = await sync().from(host(primary)).to(targets).apply();
for (const o of result.outcomes)
  console.log(`${o.status === "failed" ? "✗" : "✓"} ${o.host}: ${o.error ?? `${o.servers} servers`}`);
process.exit(result.ok ? 0 : 1);
