// `hatch help TOPIC`: the concepts behind several commands, one page each. The hosts page is
// built from the registry, so it always lists exactly the hosts this binary knows; it loads the
// registry (every adapter and codec) when it is read, not when `hatch help` lists the topics.

export interface HelpTopic {
  name: string;
  summary: string;
  text(): string | Promise<string>;
}

const patterns: HelpTopic = {
  name: "patterns",
  summary: "Choosing servers: --servers and --pattern",
  text: () => `Choosing which servers a sync copies

  --servers a,b      Exact server names, comma-separated. A name the source does not have is an
                     error that names it; nothing is written.
  --pattern REGEX    A regular expression on the server name, matched from the START of the name
                     (like Python's re.match): "api" matches "api-v2" but not "weather-api";
                     write ".*api.*" to match anywhere. Lookahead works, so "^(?!dev-).*"
                     means "every server not starting with dev-". Python-only spellings are
                     accepted: (?P<name>...), (?P=name) and a leading (?i) for case-insensitive.

Both given: a server must pass both. Neither: every server of the source.
An invalid expression is an error (exit 2) before anything is read or written.

Quote patterns in the shell, or it may expand them or choke on "(" and "!".

Examples:
  hatch mcp sync --from-host claude-desktop --to-host cursor --pattern ".*api.*"
  hatch mcp sync --from-host claude-desktop --to-host vscode --pattern "^dev-.*"
  hatch mcp sync --from-env production --to-host all --pattern "^(?!.*-(beta|alpha|dev)).*"
  hatch mcp sync --from-env production --to-host claude-desktop --pattern ".*(monitor|log|metric|trace).*"
  hatch mcp sync --from-env development --to-host claude-desktop \\
    --servers weather-api,news-api,file-api --pattern ".*api.*"
  hatch mcp sync --from-env production --to-host cursor --pattern "(?i)^PROD-" --dry-run`,
};

const hosts: HelpTopic = {
  name: "hosts",
  summary: "Host ids and aliases, custom hosts, host groups and all",
  text: async () => {
    const { HOSTS } = await import("../hosts/registry.ts");
    const width = Math.max(...HOSTS.map((h) => h.id.length));
    const rows = HOSTS.map(
      (h) =>
        `  ${h.id.padEnd(width)}  ${h.label}${h.aliases?.length ? ` (also: ${h.aliases.join(", ")})` : ""}`,
    );
    return `Hosts: where hatch reads and writes servers

A host is one MCP client's config file. Wherever a command takes a host (--host, --from-host,
--to-host) you can give:

  a built-in host id or alias (case-insensitive):
${rows.join("\n")}

  a custom host: a built-in host's file format at a path you choose
      hatch host add staging-claude --type claude-desktop --path /srv/mcp/staging/claude_desktop_config.json

  a host group: a named list of hosts and other groups
      hatch host group production-hosts staging-claude,cursor,vscode

  all: every built-in host installed on this machine, plus every custom host

  several of these, comma-separated: --to-host cursor,vscode,production-hosts

Custom hosts and groups live in $HATCH_HOME/config.yaml (default ~/.hatch/config.yaml); edit it by
hand or with "hatch host"; comments are kept. "hatch host list" shows them.

Where each host keeps its file follows the OS (HOME, APPDATA, XDG_CONFIG_HOME, CODEX_HOME, ...);
"hatch mcp discover hosts" prints the paths on this machine and which hosts are installed.
HATCH_PLATFORM=darwin|linux|win32 makes hatch resolve paths as on that OS.

Examples:
  hatch mcp discover hosts
  hatch mcp list servers --host claude-desktop
  hatch mcp sync --from-host claude-desktop --to-host cursor,vscode,lmstudio`;
  },
};

const environments: HelpTopic = {
  name: "environments",
  summary: "Named sets of servers kept by hatch (production, staging, ...)",
  text: () => `Environments: named, versioned sets of servers kept by hatch

An environment holds server definitions, independent of any host: production, staging,
last-known-good, weather-dashboard. Names may contain letters, digits, ".", "_" and "-".
Each is one YAML file, $HATCH_HOME/envs/<name>.yaml (default ~/.hatch/envs/); you may edit it by
hand, and comments survive hatch's own edits. One environment can be marked current: then
"mcp sync", "mcp test" and "mcp list servers" given no source use it, and say so.

Fill one from a host, or server by server, then sync it to hosts (or a host into it):
  hatch env create production --description "Servers for production hosts"
  hatch env create last-known-good --from-host claude-desktop
  hatch mcp configure weather-api --env production --command npx --args=-y --args @example/weather-mcp
  hatch mcp sync --from-env production --to-host all --dry-run
  hatch mcp sync --from-host claude-desktop --to-env staging

Manage them:
  hatch env list              * marks the current one; a file that cannot be read is named
  hatch env use production    make it current (the source of commands given none)
  hatch env current
  hatch env show production   its description and servers (secrets redacted)
  hatch env remove staging    asks first; a backup is kept

Recovery from a known good set:
  hatch mcp sync --from-env last-known-good --to-host all --auto-approve`,
};

const backups: HelpTopic = {
  name: "backups",
  summary: "Automatic and on-demand snapshots of host files, restore and retention",
  text: () => `Backups: snapshots of host config files

Before every write, hatch snapshots each file it is about to change (skip with --no-backup).
You can also snapshot on demand, e.g. hourly from cron. Snapshots live in $HATCH_HOME/backups/
(default ~/.hatch/backups/), readable by you only. Content is stored by its SHA-256, so a file that
did not change costs nothing however often it is backed up. Each snapshot has a manifest: id,
time, name, reason, host, path, checksum, whether the file existed, and its mode.

  hatch mcp backup create --host all --name hourly --quiet     # crontab: 0 * * * *
  hatch mcp backup list [--host cursor]                        # newest first
  hatch mcp backup show ID                                     # its files, and whether each is intact
  hatch mcp backup diff ID                                     # what restoring would change
  hatch mcp backup restore --host cursor --dry-run             # the last state hatch wrote or saw
  hatch mcp backup restore --id ID                             # undo a whole sync
  hatch mcp backup clean --older-than 30d --keep 10            # retention; removes only what both allow
  hatch mcp backup verify                                      # every stored copy matches its checksum

A restore is a plan like a sync: it shows what will change, asks, takes a safety snapshot first,
then writes. Each write also records what it wrote, so "restore --host H" alone brings back the
last state hatch wrote or saw (a file broken by hand after a sync gets that sync's result back);
--id, --name and --before reach older states. IDs may be shortened to any unique prefix.

Disaster recovery, as in the tutorial:
  backup_date=$(date +%Y%m%d)
  for host in claude-desktop cursor vscode lmstudio; do
      hatch mcp backup create --host $host --name "disaster-recovery-$backup_date"
  done`,
};

const scripting: HelpTopic = {
  name: "scripting",
  summary: "Using hatch from shell scripts, cron, CI and TypeScript",
  text: () => `Scripting: hatch in shell scripts, cron, CI and TypeScript

Exit codes:
  0  done
  1  the operation failed (a host failed; nothing is left half-written), a server failed its
     test, or you answered no at the prompt
  2  bad input or usage (unknown host, bad regex, unparsable file, unset variable, no terminal
     to confirm on); nothing written
  3  "mcp sync --check" found drift

Non-interactive use:
  A sync asks "Proceed? [y/N]" on a terminal. Without a terminal it refuses (exit 2) unless
  --auto-approve (or HATCH_AUTO_APPROVE=1) is given; it never takes end of input as yes.
  --dry-run prints the plan and writes nothing; --check exits 3 when anything would change.
  --json prints one JSON document on stdout (errors too; camelCase keys), --quiet (-q) prints
  nothing but errors and warnings, NO_COLOR=1 or --no-color turns colours off. Secrets are
  redacted unless --show-secrets; a changed one shows as "****** (changed)".

  hatch mcp sync --from-env production --to-host production-hosts --auto-approve
  hatch mcp sync --from-env production --to-host all --check || echo "drift: $?"
  hatch mcp list servers --host cursor --json | jq -r '.servers[].name'

TypeScript: "hatch run FILE.ts" runs a script with the same engine, from the binary alone
(no node_modules; the module "hatch" is built in). "hatch types" writes its type declarations
for your editor.

  import { sync, env, host, backup } from "hatch";
  const plan = await sync().from(env("production")).to("cursor", "vscode").filter(/^(?!dev-)/).plan();
  console.log(plan.summary());
  await sync().from(host("claude-desktop")).to("all").servers("weather-api", "news-api").apply();
  await backup.create({ hosts: "all", name: "before-upgrade" });

  hatch run deploy.ts --stage production`,
};

/** Every topic, in the order `hatch help` lists them. */
export const TOPICS: readonly HelpTopic[] = [patterns, hosts, environments, backups, scripting];

export function findTopic(name: string): HelpTopic | undefined {
  return TOPICS.find((t) => t.name === name.toLowerCase());
}

/** The "Help topics:" section of `hatch help`. */
export function topicList(): string[] {
  const width = Math.max(...TOPICS.map((t) => t.name.length));
  return [
    "Help topics:",
    ...TOPICS.map((t) => `  ${t.name.padEnd(width)}  ${t.summary}`),
    "",
    'Run "hatch help TOPIC" to read one, "hatch help COMMAND..." for a command\'s flags and examples.',
  ];
}
