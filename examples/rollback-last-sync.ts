// rollback-last-sync.ts — undo the newest sync across every host it touched.
// Run: hatch run examples/rollback-last-sync.ts [--dry-run]
import { backup } from "hatch";

const last = (await backup.list()).find((s) => s.reason === "sync");
if (!last) {
  console.log("No sync has been backed up yet");
  process.exit(0);
}
const r = await backup.restore({ id: last.id, dryRun: process.argv.includes("--dry-run") });
for (const i of r.items) console.log(`${i.action.padEnd(9)} ${i.host} (${i.path})`);
if (r.safetyId) console.log(`Undo this rollback with: hatch mcp backup restore --id ${r.safetyId}`);
process.exit(r.ok ? 0 : 1);
