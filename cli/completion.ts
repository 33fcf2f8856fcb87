/**
 * `webdisc completion bash|zsh`: shell completion scripts made from the
 * command table (help.ts), so they offer exactly the commands and options
 * `webdisc help` describes. Completion runs no webdisc process: the words
 * are in the script, and the script is made again after an upgrade.
 */
import {
  COMMANDS,
  GLOBAL_OPTION_HELP,
  MEDIA_NAMES,
  type CommandHelp,
  type OptionHelp,
} from './help.ts';

const table = Object.entries(COMMANDS as Record<string, CommandHelp>);
/** Commands typed on the command line (the shell's own are words inside `webdisc shell`). */
const topLevel = table.filter(([, c]) => !c.shellOnly);
const flagsOf = (o: OptionHelp): string[] => [o.flag, ...(o.short ? [o.short] : [])];
const flags = (options: readonly OptionHelp[] = []) => options.flatMap(flagsOf);
/** Options that take the next word as their value: their own completion, not another option. */
const valueFlags = [
  ...new Set(
    [...GLOBAL_OPTION_HELP, ...table.flatMap(([, c]) => c.options ?? [])]
      .filter((o) => o.value !== undefined && !o.value.startsWith('['))
      .flatMap(flagsOf),
  ),
];
const globalFlags = [...flags(GLOBAL_OPTION_HELP), '--virtual='];
/** Options whose value is a path or a medium, known by the name of their value. */
const valuedBy = (...values: string[]) =>
  [
    ...new Set(
      [...GLOBAL_OPTION_HELP, ...table.flatMap(([, c]) => c.options ?? [])]
        .filter((o) => o.value !== undefined && values.includes(o.value))
        .flatMap(flagsOf),
    ),
  ].join('|');
const fileFlags = valuedBy('FILE', 'IMG');
const dirFlags = valuedBy('DIR');
const mediaFlags = valuedBy('MEDIA');

/** `case` arms setting $operands: the commands grouped by what their operands are. */
function operandGroups(indent: string): string {
  const groups = new Map<string, string[]>();
  for (const [name, c] of topLevel)
    groups.set(c.operands, [...(groups.get(c.operands) ?? []), name]);
  return [...groups]
    .map(([operands, names]) => `${indent}${names.join('|')}) operands=${operands} ;;`)
    .join('\n');
}

/** A word in single quotes for either shell. */
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function bash(): string {
  const commandCases = topLevel
    .filter(([, c]) => c.options?.length)
    .map(([name, c]) => `      ${name}) opts=${quote(flags(c.options).join(' '))} ;;`)
    .join('\n');
  const operandCases = operandGroups('      ');
  return `# bash completion for webdisc: source <(webdisc completion bash)
_webdisc() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  local commands=${quote(topLevel.map(([n]) => n).join(' '))}
  local media=${quote(MEDIA_NAMES.join(' '))}
  local globals=${quote(globalFlags.join(' '))}
  local valued=${quote(valueFlags.join(' '))}
  local cmd='' i word opts='' operands=none
  COMPREPLY=()
  # --virtual=MEDIA: bash splits the word at "=" (COMP_WORDBREAKS).
  if [[ $cur == --virtual=* ]]; then
    COMPREPLY=($(compgen -P --virtual= -W "$media" -- "\${cur#--virtual=}"))
    return
  fi
  if [[ $prev == = && \${COMP_WORDS[COMP_CWORD-2]} == --virtual ]]; then
    COMPREPLY=($(compgen -W "$media" -- "$cur"))
    return
  fi
  if [[ $cur == = && $prev == --virtual ]]; then
    COMPREPLY=($media)
    return
  fi
  # The command: the first word that is neither an option nor an option's value.
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=\${COMP_WORDS[i]}
    if [[ $word == = ]]; then
      ((i++)) # bash splits --option=value in three words: skip the value
    elif [[ " $valued " == *" $word "* ]]; then
      [[ \${COMP_WORDS[i+1]} == = ]] || ((i++))
    elif [[ $word != -* ]]; then
      cmd=$word
      break
    fi
  done
  case $prev in
    ${dirFlags}) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    ${mediaFlags}) COMPREPLY=($(compgen -W "$media" -- "$cur")); return ;;
    ${fileFlags}) COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  if [[ $prev == = || " $valued " == *" $prev "* ]]; then
    return
  fi
  if [[ -n $cmd ]]; then
    case $cmd in
${commandCases}
    esac
    case $cmd in
${operandCases}
    esac
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$globals $opts" -- "$cur"))
  elif [[ -z $cmd || $operands == commands ]]; then
    COMPREPLY=($(compgen -W "$commands" -- "$cur"))
  elif [[ $operands == media ]]; then
    COMPREPLY=($(compgen -W "$media" -- "$cur"))
  elif [[ $operands == shells ]]; then
    COMPREPLY=($(compgen -W 'bash zsh' -- "$cur"))
  elif [[ $operands == files ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -o bashdefault -F _webdisc webdisc
`;
}

/** `name:description` for zsh's _describe, colons in the name escaped. */
const described = (name: string, text: string) =>
  quote(`${name.replace(/:/g, '\\:')}:${text.replace(/\s+/g, ' ')}`);

function zsh(): string {
  const commandCases = topLevel
    .filter(([, c]) => c.options?.length)
    .map(
      ([name, c]) =>
        `    ${name}) opts=(${flags(c.options)
          .map((f) =>
            described(f, c.options?.find((o) => o.flag === f || o.short === f)?.text ?? ''),
          )
          .join(' ')}) ;;`,
    )
    .join('\n');
  const operandCases = operandGroups('    ');
  return `#compdef webdisc
# zsh completion for webdisc: source <(webdisc completion zsh) after compinit,
# or save it as _webdisc in a folder of $fpath.
_webdisc() {
  local -a commands media globals valued opts
  commands=(${topLevel.map(([n, c]) => described(n, c.summary)).join(' ')})
  media=(${MEDIA_NAMES.map(quote).join(' ')})
  globals=(${GLOBAL_OPTION_HELP.map((o) => described(o.flag, o.text)).join(' ')})
  valued=(${valueFlags.map(quote).join(' ')})
  local cmd='' operands=none i
  if [[ \${words[CURRENT]} == --virtual=* ]]; then
    compset -P '--virtual='
    compadd -a media
    return
  fi
  for (( i = 2; i < CURRENT; i++ )); do
    if (( \${valued[(Ie)\${words[i]}]} )); then
      (( i++ ))
    elif [[ \${words[i]} != -* ]]; then
      cmd=\${words[i]}
      break
    fi
  done
  case \${words[CURRENT-1]} in
    ${dirFlags}) _files -/; return ;;
    ${mediaFlags}) compadd -a media; return ;;
    ${fileFlags}) _files; return ;;
  esac
  (( \${valued[(Ie)\${words[CURRENT-1]}]} )) && return
  case $cmd in
${commandCases}
  esac
  case $cmd in
${operandCases}
  esac
  if [[ \${words[CURRENT]} == -* ]]; then
    _describe -t options option globals -- opts
  elif [[ -z $cmd || $operands == commands ]]; then
    _describe -t commands command commands
  elif [[ $operands == media ]]; then
    compadd -a media
  elif [[ $operands == shells ]]; then
    compadd bash zsh
  elif [[ $operands == files ]]; then
    _files
  fi
}
if [[ $funcstack[1] == _webdisc ]]; then
  _webdisc "$@"
else
  compdef _webdisc webdisc
fi
`;
}

const SCRIPTS = { bash, zsh } as const;

/** The script for `shell`, or undefined for a shell this does not know. */
export function completionScript(shell: string): string | undefined {
  return Object.hasOwn(SCRIPTS, shell) ? SCRIPTS[shell as keyof typeof SCRIPTS]() : undefined;
}

export const COMPLETION_SHELLS = Object.keys(SCRIPTS);
