// `hatch mcp backup ...`: the descriptors (the code is in ../commands/backup.ts).
import { type Command, JSON_OPTION, SHOW_SECRETS_OPTION } from "../command.ts";

export const backupCreate: Command = {
  path: ["mcp", "backup", "create"],
  summary: "Snapshot host config files now (content stored once; safe to run hourly from cron)",
  usage: "--host H[,H]|GROUP|all [--name N] [--quiet] [--json]",
  options: {
    host: {
      type: "string",
      value: "LIST",
      description: "Hosts to snapshot: ids, custom hosts, groups, comma-separated, or all",
      complete: "hosts",
    },
    name: {
      type: "string",
      value: "NAME",
      description: "A label for the snapshot (letters, digits, ., _, -)",
    },
    json: JSON_OPTION,
  },
  examples: [
    "hatch mcp backup create --host all",
    'hatch mcp backup create --host claude-desktop --name "disaster-recovery-$(date +%F)"',
    "hatch mcp backup create --host all --name hourly --quiet   # crontab: 0 * * * *",
  ],
  run: (inv) => import("../commands/backup.ts").then((m) => m.runBackupCreate(inv)),
};

export const backupList: Command = {
  path: ["mcp", "backup", "list"],
  summary: "List backup snapshots, newest first",
  usage: "[--host H] [--json]",
  options: {
    host: {
      type: "string",
      value: "LIST",
      description: "Only snapshots holding these hosts",
      complete: "hosts",
    },
    json: JSON_OPTION,
  },
  examples: ["hatch mcp backup list", "hatch mcp backup list --host cursor", "hatch mcp backup list --json"],
  run: (inv) => import("../commands/backup.ts").then((m) => m.runBackupList(inv)),
};

export const backupShow: Command = {
  path: ["mcp", "backup", "show"],
  summary: "Show one snapshot: its files, modes, sizes and whether each stored copy is intact",
  usage: "ID [--json]",
  positionals: [
    {
      name: "ID",
      description: "Snapshot id (or a unique prefix of it)",
      required: true,
      complete: "snapshots",
    },
  ],
  options: { json: JSON_OPTION },
  examples: ["hatch mcp backup show 20260131T120000Z-1a2b3c", "hatch mcp backup show 20260131T12 --json"],
  run: (inv) => import("../commands/backup.ts").then((m) => m.runBackupShow(inv)),
};

export const backupDiff: Command = {
  path: ["mcp", "backup", "diff"],
  summary: "Show what restoring a snapshot would change: a unified diff per file",
  usage: "ID [--host H] [--show-secrets] [--json]",
  positionals: [
    {
      name: "ID",
      description: "Snapshot id (or a unique prefix of it)",
      required: true,
      complete: "snapshots",
    },
  ],
  options: {
    host: { type: "string", value: "LIST", description: "Only these hosts' files", complete: "hosts" },
    json: JSON_OPTION,
    "show-secrets": SHOW_SECRETS_OPTION,
  },
  examples: [
    "hatch mcp backup diff 20260131T120000Z-1a2b3c",
    "hatch mcp backup diff 20260131T120000Z-1a2b3c --host cursor",
  ],
  run: (inv) => import("../commands/backup.ts").then((m) => m.runBackupDiff(inv)),
};

export const backupRestore: Command = {
  path: ["mcp", "backup", "restore"],
  summary: "Restore host files from a snapshot (plan, preview, confirm; a safety snapshot is taken first)",
  usage:
    "(--host H[,H]|all [--name N | --before TIME] | --id ID [--host H]) [--dry-run] [--auto-approve] [--no-backup] [--quiet] [--json]",
  options: {
    host: {
      type: "string",
      value: "LIST",
      description:
        "Hosts to restore, or all: each from the newest snapshot holding it (a restore's own safety snapshot only by --id)",
      complete: "hosts",
    },
    id: {
      type: "string",
      value: "ID",
      description: "Restore this snapshot (every file in it, or only --host's)",
      complete: "snapshots",
    },
    name: {
      type: "string",
      value: "NAME",
      description: "Use the newest snapshot with this name",
      complete: "backup-names",
    },
    before: {
      type: "string",
      value: "TIME",
      description: "Use the newest snapshot taken before TIME (ISO date/time, or an age such as 2h, 7d)",
    },
    "dry-run": { type: "boolean", description: "Print the plan and write nothing" },
    "auto-approve": {
      type: "boolean",
      short: "y",
      description: "Restore without asking (also HATCH_AUTO_APPROVE=1)",
    },
    "no-backup": {
      type: "boolean",
      description: "Do not take the safety snapshot of the current files first",
    },
    json: JSON_OPTION,
  },
  examples: [
    "hatch mcp backup restore --host cursor --dry-run",
    "hatch mcp backup restore --host all --name hourly --auto-approve",
    "hatch mcp backup restore --id 20260131T120000Z-1a2b3c   # undo a whole sync",
    "hatch mcp backup restore --host claude-desktop --before 2026-01-31T09:00:00Z",
  ],
  run: (inv) => import("../commands/backup.ts").then((m) => m.runBackupRestore(inv)),
};

export const backupClean: Command = {
  path: ["mcp", "backup", "clean"],
  summary: "Apply retention: remove old snapshots and the content nothing refers to any more",
  usage: "(--keep N | --older-than AGE | both) [--host H] [--dry-run] [--quiet] [--json]",
  options: {
    keep: { type: "string", value: "N", description: "Keep the newest N snapshots of each host file" },
    "older-than": {
      type: "string",
      value: "AGE",
      description: "Remove only snapshots older than AGE (units s, m, h, d, w: 30d, 12h, 1w)",
    },
    host: {
      type: "string",
      value: "LIST",
      description: "Only these hosts' backups (other hosts' are kept)",
      complete: "hosts",
    },
    "dry-run": { type: "boolean", description: "Print what would be removed and remove nothing" },
    json: JSON_OPTION,
  },
  examples: [
    "hatch mcp backup clean --keep 48",
    "hatch mcp backup clean --older-than 30d --keep 10   # removes only what both allow",
    "hatch mcp backup clean --host cursor --older-than 1w --dry-run",
  ],
  run: (inv) => import("../commands/backup.ts").then((m) => m.runBackupClean(inv)),
};

export const backupVerify: Command = {
  path: ["mcp", "backup", "verify"],
  summary: "Check that every snapshot (or one) can be read and its stored content matches its checksum",
  usage: "[ID] [--quiet] [--json]",
  positionals: [
    { name: "ID", description: "Only this snapshot (id or unique prefix)", complete: "snapshots" },
  ],
  options: { json: JSON_OPTION },
  examples: ["hatch mcp backup verify", "hatch mcp backup verify --quiet   # from cron: exit 1 when damaged"],
  run: (inv) => import("../commands/backup.ts").then((m) => m.runBackupVerify(inv)),
};
