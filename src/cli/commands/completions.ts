// `hatch completions bash|zsh|fish` and the hidden `hatch __complete hosts|envs`.
//
// The scripts are generated from the command table (the same one --help renders): command words,
// flags, which flags take a value and what to offer for it. Names that change as the user works
// (custom hosts, groups, environments) are not baked in: the script calls back into the binary
// (`hatch __complete hosts`) at completion time, so a new custom host completes at once.
// The bash script needs nothing beyond bash itself (no bash-completion package).
import { defaultWorkspace } from "../../store/workspace.ts";
import { UsageError } from "../../core/errors.ts";
import { HOSTS } from "../../hosts/registry.ts";
import { loadConfig } from "../../store/config.ts";
import { listSnapshots, type Snapshot } from "../../store/backups.ts";
import { envTarget, listEnvNames } from "../../store/envs.ts";
import { type HostTarget, readHost } from "../../store/hostfile.ts";
import { resolveTargets } from "../../store/targets.ts";
import type { Workspace } from "../../store/workspace.ts";
import { type Command, GLOBAL_OPTIONS, type Invocation, type OptionSpec, SHELLS } from "../command.ts";
import { TOPICS } from "../help-topics.ts";
import { writeStdout } from "../output.ts";

type Kind = NonNullable<OptionSpec["complete"]> | "value";

const TOP_FLAGS = ["--help", "-h", "--version", "-V"];

interface Model {
  /** Command-word prefix ("" for none) → the words that may follow it. */
  words: Map<string, string[]>;
  /** Full command path → every flag it accepts. */
  flags: Map<string, string[]>;
  /** "path|flag" → what the flag's value completes to (boolean flags are absent). */
  kinds: Map<string, Kind>;
  /** "path|index" (or "path|*" for every further one) → what that argument completes to. */
  positionals: Map<string, Kind>;
}

const SAFE = /^[A-Za-z0-9._:/@+,=-]*$/;
function safe(word: string): string {
  if (!SAFE.test(word)) throw new Error(`Completion word "${word}" needs quoting`);
  return word;
}

function addWord(words: Map<string, string[]>, prefix: string, word: string): void {
  const list = words.get(prefix) ?? [];
  if (!list.includes(word)) list.push(safe(word));
  words.set(prefix, list);
}

/** The completion model of a command table. */
export function completionModel(commands: readonly Command[]): Model {
  const visible = commands.filter((c) => !c.hidden);
  const words = new Map<string, string[]>();
  const flags = new Map<string, string[]>();
  const kinds = new Map<string, Kind>();
  const positionals = new Map<string, Kind>();
  for (const c of visible) {
    for (const [i, w] of c.path.entries()) addWord(words, c.path.slice(0, i).join(" "), w);
  }
  addWord(words, "", "help");
  // `hatch help <topic | command words>`.
  for (const t of TOPICS) addWord(words, "help", t.name);
  for (const [prefix, next] of [...words]) {
    if (prefix === "help" || prefix.startsWith("help ")) continue;
    for (const w of next) if (w !== "help") addWord(words, prefix ? `help ${prefix}` : "help", w);
  }
  for (const c of visible) {
    const path = c.path.join(" ");
    const opts = { ...c.options, ...GLOBAL_OPTIONS };
    const list: string[] = [];
    for (const [name, o] of Object.entries(opts)) {
      const names = [`--${name}`, ...(o.short ? [`-${o.short}`] : [])];
      for (const n of names) {
        if (list.includes(n)) continue;
        list.push(safe(n));
        if (o.type === "string") kinds.set(`${path}|${n}`, o.complete ?? "value");
      }
    }
    flags.set(path, list);
    for (const [i, p] of (c.positionals ?? []).entries()) {
      if (p.complete) positionals.set(`${path}|${i}`, p.complete);
    }
    if (c.passThrough) positionals.set(`${path}|*`, "files");
  }
  return { words, flags, kinds, positionals };
}

function kindText(k: Kind): string {
  return typeof k === "string" ? k : `words:${k.map(safe).join(" ")}`;
}

// ---------------------------------------------------------------------------------------------
// bash and zsh share the tables: `case` with quoted patterns reads the same in both.

function posixTables(m: Model): string {
  const q = (s: string) => `'${s}'`;
  const caseFn = (name: string, doc: string, rows: [string, string][]) =>
    [
      `# ${doc}`,
      `_hatch_${name}() {`,
      '  case "$1" in',
      ...rows.map(([k, v]) => `    ${q(k)}) echo ${q(v)} ;;`),
      "  esac",
      "}",
    ].join("\n");
  const words = caseFn(
    "words",
    "Command words that may follow a prefix of command words.",
    [...m.words].map(([k, v]) => [k, v.join(" ")]),
  );
  const flags = caseFn("flags", "Flags of a command.", [
    ["", TOP_FLAGS.join(" ")],
    ...[...m.flags].map(([k, v]): [string, string] => [k, v.join(" ")]),
  ]);
  const kinds = caseFn(
    "kind",
    '"command|flag" → what the flag\'s value completes to; nothing for a flag without a value.',
    [...m.kinds].map(([k, v]) => [k, kindText(v)]),
  );
  const pos = caseFn(
    "pos",
    '"command|index" → what that argument completes to.',
    [...m.positionals].map(([k, v]) => [k, kindText(v)]),
  );
  const isCmd = [
    "# Whether the words are a whole command.",
    "_hatch_is_cmd() {",
    '  case "$1" in',
    `    ${[...m.flags.keys()].map(q).join(" | ")}) return 0 ;;`,
    "  esac",
    "  return 1",
    "}",
  ].join("\n");
  return [words, flags, kinds, pos, isCmd].join("\n\n");
}

/**
 * Shared walk over the words before the cursor (bash and zsh): sets `_hatch_cmd` (the command
 * words), `_hatch_npos` (arguments after them) and `_hatch_vflag` (the flag whose value is being
 * completed, if any). `$1` = index of the first word after `hatch`, `$2` = index of the current
 * word, then the words themselves from `$3` (indexed as the shell indexes arrays: from 0 in
 * bash, from 1 in zsh).
 */
const WALK = `_hatch_walk() {
  local first=$1 cword=$2 i w next
  shift 2
  local -a ws
  ws=("$@")
  _hatch_cmd="" _hatch_npos=0 _hatch_vflag=""
  i=$first
  while [ "$i" -lt "$cword" ]; do
    w=\${ws[$i]}
    case "$w" in
      --*=*) ;;
      -*)
        if [ -n "$(_hatch_kind "$_hatch_cmd|$w")" ]; then
          # The flag's value: the next word (bash splits "--flag=value" into "--flag" "=" "value").
          if [ "$((i + 1))" -eq "$cword" ]; then _hatch_vflag=$w; return; fi
          i=$((i + 1))
          if [ "\${ws[$i]}" = "=" ]; then
            if [ "$((i + 1))" -eq "$cword" ]; then _hatch_vflag=$w; return; fi
            i=$((i + 1))
          fi
        fi
        ;;
      *)
        next=\${_hatch_cmd:+$_hatch_cmd }$w
        if [ "$_hatch_npos" -eq 0 ] && { [ -n "$(_hatch_words "$next")" ] || _hatch_is_cmd "$next"; }; then
          _hatch_cmd=$next
        else
          _hatch_npos=$((_hatch_npos + 1))
        fi
        ;;
    esac
    i=$((i + 1))
  done
}`;

function bashScript(m: Model): string {
  return `# bash completion for hatch. Generated by "hatch completions bash"; needs only bash.
# Load it in ~/.bashrc:  source <(hatch completions bash)
# Host and environment names are asked of hatch itself each time ("hatch __complete hosts").

${posixTables(m)}

${WALK}

# The names of a kind, one per line, from the binary being completed.
_hatch_names() {
  local bin=\${COMP_WORDS[0]}
  case "$bin" in "~/"*) bin=$HOME/\${bin#"~/"} ;; esac
  "$bin" __complete "$1" 2>/dev/null
}

# Fills COMPREPLY for a value of kind $1 whose text so far is $2.
_hatch_values() {
  local kind=$1 cur=$2 pre="" IFS=$'\\n'
  case "$kind" in
    hosts|servers)
      # A comma-separated list: complete the last item.
      case "$cur" in *,*) pre=\${cur%,*}, cur=\${cur##*,} ;; esac
      COMPREPLY=($(compgen -P "$pre" -W "$(_hatch_names "$kind")" -- "$cur")) ;;
    host|custom-hosts|groups|envs|snapshots|backup-names)
      COMPREPLY=($(compgen -W "$(_hatch_names "$kind")" -- "$cur")) ;;
    files) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")) ;;
    dirs) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")) ;;
    words:*)
      local list=\${kind#words:}
      COMPREPLY=($(compgen -W "\${list// /$'\\n'}" -- "$cur")) ;;
  esac
}

_hatch() {
  local cur=\${COMP_WORDS[COMP_CWORD]} kind flag
  COMPREPLY=()
  # Bash splits "--flag=value" at "=": the cursor right after "=" means an empty value.
  if [ "$cur" = "=" ]; then cur=""; fi
  _hatch_walk 1 "$COMP_CWORD" "\${COMP_WORDS[@]}"
  if [ -z "$_hatch_vflag" ] && [ "$COMP_CWORD" -ge 2 ] && [ "\${COMP_WORDS[COMP_CWORD]}" = "=" ]; then
    _hatch_vflag=\${COMP_WORDS[COMP_CWORD-1]}
  fi
  if [ -n "$_hatch_vflag" ]; then
    _hatch_values "$(_hatch_kind "$_hatch_cmd|$_hatch_vflag")" "$cur"
    return 0
  fi
  case "$cur" in
    --*=*)
      # "--flag=value" in one word (COMP_WORDBREAKS without "="): complete the value.
      flag=\${cur%%=*}
      kind=$(_hatch_kind "$_hatch_cmd|$flag")
      [ -n "$kind" ] || return 0
      _hatch_values "$kind" "\${cur#*=}"
      local i
      for i in "\${!COMPREPLY[@]}"; do COMPREPLY[i]=$flag=\${COMPREPLY[i]}; done
      return 0
      ;;
    -*)
      if _hatch_is_cmd "$_hatch_cmd" || [ -z "$_hatch_cmd" ]; then
        COMPREPLY=($(compgen -W "$(_hatch_flags "$_hatch_cmd")" -- "$cur"))
      else
        COMPREPLY=($(compgen -W "--help -h" -- "$cur"))
      fi
      return 0
      ;;
  esac
  if [ "$_hatch_npos" -eq 0 ]; then
    COMPREPLY=($(compgen -W "$(_hatch_words "$_hatch_cmd")" -- "$cur"))
    [ \${#COMPREPLY[@]} -gt 0 ] && return 0
  fi
  kind=$(_hatch_pos "$_hatch_cmd|$_hatch_npos")
  [ -n "$kind" ] || kind=$(_hatch_pos "$_hatch_cmd|*")
  [ -n "$kind" ] && _hatch_values "$kind" "$cur"
  return 0
}

complete -F _hatch hatch
`;
}

function zshScript(m: Model): string {
  return `#compdef hatch
# zsh completion for hatch. Generated by "hatch completions zsh".
# Load it in ~/.zshrc after compinit:  source <(hatch completions zsh)
# or save it as _hatch in a directory on $fpath.
# Host and environment names are asked of hatch itself each time ("hatch __complete hosts").

${posixTables(m)}

${WALK}

# The names of a kind, one per line, from the binary being completed.
_hatch_names() {
  local bin=\${words[1]/#\\~/$HOME}
  "$bin" __complete "$1" 2>/dev/null
}

# Offers the values of kind $1 for the current word.
_hatch_values() {
  local kind=$1
  case "$kind" in
    hosts|servers) compset -P '*,'; compadd -- \${(f)"$(_hatch_names "$kind")"} ;;
    host|custom-hosts|groups|envs|snapshots|backup-names) compadd -- \${(f)"$(_hatch_names "$kind")"} ;;
    files) _files ;;
    dirs) _directories ;;
    words:*) compadd -- \${=kind#words:} ;;
  esac
}

_hatch() {
  local cur=\${words[CURRENT]} kind
  # zsh arrays start at 1: words[1] is "hatch".
  _hatch_walk 2 "$CURRENT" "\${words[@]}"
  if [ -n "$_hatch_vflag" ]; then
    _hatch_values "$(_hatch_kind "$_hatch_cmd|$_hatch_vflag")"
    return
  fi
  case "$cur" in
    --*=*)
      kind=$(_hatch_kind "$_hatch_cmd|\${cur%%=*}")
      [ -n "$kind" ] || return 1
      compset -P '*='
      _hatch_values "$kind"
      return
      ;;
    -*)
      if _hatch_is_cmd "$_hatch_cmd" || [ -z "$_hatch_cmd" ]; then
        compadd -- \${=$(_hatch_flags "$_hatch_cmd")}
      else
        compadd -- --help -h
      fi
      return
      ;;
  esac
  local next
  if [ "$_hatch_npos" -eq 0 ]; then
    next=$(_hatch_words "$_hatch_cmd")
    if [ -n "$next" ]; then compadd -- \${=next}; return; fi
  fi
  kind=$(_hatch_pos "$_hatch_cmd|$_hatch_npos")
  [ -n "$kind" ] || kind=$(_hatch_pos "$_hatch_cmd|*")
  [ -n "$kind" ] && _hatch_values "$kind"
}

if [ "$funcstack[1]" = "_hatch" ]; then
  _hatch "$@"
else
  compdef _hatch hatch
fi
`;
}

function fishScript(m: Model): string {
  const q = (s: string) => `'${s}'`;
  const switchFn = (name: string, doc: string, rows: [string, string[]][]) =>
    [
      `# ${doc}`,
      `function __hatch_${name}`,
      "    switch $argv[1]",
      ...rows.flatMap(([k, v]) => [
        `        case ${q(k)}`,
        `            printf '%s\\n' ${v.map(q).join(" ")}`,
      ]),
      "    end",
      "end",
    ].join("\n");
  const tables = [
    switchFn(
      "words",
      "Command words that may follow a prefix of command words.",
      [...m.words].map(([k, v]) => [k, v]),
    ),
    switchFn("flags", "Flags of a command.", [["", TOP_FLAGS], ...[...m.flags]]),
    switchFn(
      "kind",
      '"command|flag" → what the flag\'s value completes to; nothing for a flag without a value.',
      [...m.kinds].map(([k, v]) => [k, [kindText(v)]]),
    ),
    switchFn(
      "pos",
      '"command|index" → what that argument completes to.',
      [...m.positionals].map(([k, v]) => [k, [kindText(v)]]),
    ),
    [
      "# Whether the words are a whole command.",
      "function __hatch_is_cmd",
      "    switch $argv[1]",
      `        case ${[...m.flags.keys()].map(q).join(" ")}`,
      "            return 0",
      "    end",
      "    return 1",
      "end",
    ].join("\n"),
  ].join("\n\n");
  return `# fish completion for hatch. Generated by "hatch completions fish".
# Load it:  hatch completions fish > ~/.config/fish/completions/hatch.fish
# Host and environment names are asked of hatch itself each time ("hatch __complete hosts").

${tables}

# The values of kind $argv[1] for the text $argv[2]; $argv[3] is the binary.
function __hatch_values
    set -l kind $argv[1]
    set -l cur $argv[2]
    switch $kind
        case hosts servers
            set -l pre (string match -r '^.*,' -- $cur)
            for n in ($argv[3] __complete $kind 2>/dev/null)
                printf '%s\\n' "$pre$n"
            end
        case host custom-hosts groups envs snapshots backup-names
            $argv[3] __complete $kind 2>/dev/null
        case files
            __fish_complete_path $cur
        case dirs
            __fish_complete_directories $cur
        case 'words:*'
            string split ' ' -- (string replace 'words:' '' -- $kind)
    end
end

function __hatch_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l bin (string replace -r '^~/' "$HOME/" -- $tokens[1])
    set -l cmd ''
    set -l npos 0
    set -l n (count $tokens)
    set -l i 2
    while test $i -le $n
        set -l w $tokens[$i]
        switch $w
            case '--*=*'
            case '-*'
                set -l k (__hatch_kind "$cmd|$w")
                if test -n "$k"
                    if test $i -eq $n
                        __hatch_values $k $cur $bin
                        return
                    end
                    set i (math $i + 1)
                end
            case '*'
                set -l next (string trim -- "$cmd $w")
                set -l sub (__hatch_words $next)
                if test $npos -eq 0; and begin; test -n "$sub"; or __hatch_is_cmd $next; end
                    set cmd $next
                else
                    set npos (math $npos + 1)
                end
        end
        set i (math $i + 1)
    end
    switch $cur
        case '--*=*'
            set -l flag (string replace -r '=.*' '' -- $cur)
            set -l k (__hatch_kind "$cmd|$flag")
            test -n "$k"; or return
            for v in (__hatch_values $k (string replace -r '^[^=]*=' '' -- $cur) $bin)
                printf '%s\\n' "$flag=$v"
            end
            return
        case '-*'
            if test -z "$cmd"; or __hatch_is_cmd $cmd
                __hatch_flags $cmd
            else
                printf '%s\\n' --help -h
            end
            return
    end
    if test $npos -eq 0
        set -l sub (__hatch_words $cmd)
        if test -n "$sub"
            printf '%s\\n' $sub
            return
        end
    end
    set -l k (__hatch_pos "$cmd|$npos")
    test -n "$k"; or set k (__hatch_pos "$cmd|*")
    test -n "$k"; and __hatch_values $k $cur $bin
end

complete -c hatch -e
complete -c hatch -f -a '(__hatch_complete)'
`;
}

/** The completion script for a shell, generated from a command table. */
export function completionScript(shell: (typeof SHELLS)[number], commands: readonly Command[]): string {
  const m = completionModel(commands);
  if (shell === "bash") return bashScript(m);
  if (shell === "zsh") return zshScript(m);
  return fishScript(m);
}

export function runCompletions({ positionals, commands }: Invocation): number {
  const shell = positionals[0] as string;
  if (!(SHELLS as readonly string[]).includes(shell)) {
    throw new UsageError(
      `Unknown shell "${shell}": use bash, zsh or fish`,
      "Example: hatch completions bash",
    );
  }
  writeStdout(completionScript(shell as (typeof SHELLS)[number], commands));
  return 0;
}

/** The names of a kind, for `hatch __complete KIND`; whatever cannot be read is left out. */
function namesOf(kind: string, ws: Workspace): string[] | undefined {
  const config = () => {
    try {
      return loadConfig(ws);
    } catch {
      // A broken config.yaml must not break the shell: built-in names still complete.
      return undefined;
    }
  };
  const builtins = () => HOSTS.flatMap((h) => [h.id, ...(h.aliases ?? [])]);
  switch (kind) {
    case "hosts": {
      const cfg = config();
      return [...builtins(), ...(cfg?.hosts.keys() ?? []), ...(cfg?.groups.keys() ?? []), "all"];
    }
    case "host":
      return [...builtins(), ...(config()?.hosts.keys() ?? [])];
    case "custom-hosts":
      return [...(config()?.hosts.keys() ?? [])];
    case "groups":
      return [...(config()?.groups.keys() ?? [])];
    case "envs":
      try {
        return listEnvNames(ws);
      } catch {
        return [];
      }
    case "snapshots":
    case "backup-names": {
      let snaps: Snapshot[];
      try {
        snaps = listSnapshots(ws).snapshots;
      } catch {
        return [];
      }
      return kind === "snapshots"
        ? snaps.map((x) => x.id)
        : snaps.flatMap((x) => (x.name !== undefined ? [x.name] : []));
    }
    case "servers": {
      // Every server name in the hosts found here and in the environments.
      const names: string[] = [];
      const read = (t: HostTarget) => {
        try {
          names.push(...readHost(t, ws.system).servers.keys());
        } catch {
          // An unreadable file has no names to offer.
        }
      };
      try {
        for (const t of resolveTargets(ws, "all")) read(t);
      } catch {
        // As above.
      }
      try {
        for (const e of listEnvNames(ws)) read(envTarget(ws, e));
      } catch {
        // As above.
      }
      return names;
    }
    default:
      return undefined;
  }
}

export function runComplete({ positionals, env, system }: Invocation): number {
  const names = namesOf(positionals[0] as string, defaultWorkspace(env, system));
  if (names === undefined) return 2;
  // One per line: a name holding a line break cannot be offered whole.
  writeStdout(
    [...new Set(names)]
      .filter((n) => n !== "" && !/[\r\n]/.test(n))
      .map((n) => `${n}\n`)
      .join(""),
  );
  return 0;
}
