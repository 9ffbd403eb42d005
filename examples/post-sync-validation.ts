// post-sync-validation.ts — check that hosts hold the same servers (the tutorial's diff step).
// Run: hatch run examples/post-sync-validation.ts claude-desktop cursor vscode
import { hosts } from "hatch";

const names = process.argv.slice(2).length ? process.argv.slice(2) : ["claude-desktop", "cursor", "vscode"];
const [first, ...rest] = names;
const reference = new Set((await hosts.servers(first as string)).keys());
let drift = false;
for (const h of rest) {
  const have = new Set((await hosts.servers(h)).keys());
  const missing = [...reference].filter((n) => !have.has(n));
  const extra = [...have].filter((n) => !reference.has(n));
  console.log(
    `${h}: ${missing.length ? `missing ${missing.join(", ")}` : "has every server"}${extra.length ? `; extra ${extra.join(", ")}` : ""}`,
  );
  drift ||= missing.length > 0;
}
process.exit(drift ? 3 : 0);
