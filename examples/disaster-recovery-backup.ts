// disaster-recovery-backup.ts — snapshot every host's configuration (cron-friendly).
// Run: hatch run examples/disaster-recovery-backup.ts
import { backup } from "hatch";

const date = new Date().toISOString().slice(0, 10).replaceAll("-", "");
const snap = await backup.create({ hosts: "all", name: `disaster-recovery-${date}` });
console.log(
  `Snapshot ${snap.id}: ${snap.files.length} host files (${snap.files.filter((f) => f.existed).length} present)`,
);
