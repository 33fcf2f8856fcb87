/**
 * The CLI's words about itself: one table of commands (`COMMANDS`), from
 * which the full usage (`webdisc help`), each command's help
 * (`webdisc help COMMAND`), the hint after a usage error and the shell
 * completion scripts (completion.ts) are all made, so none of them can name
 * a command or an option the others do not.
 */
import { MEDIA_NAMES } from '../virtual-recorder/src/media.ts';
import { GLOBAL_OPTIONS } from './args.ts';

/** One option of a command: `value` names what it takes (absent: a flag). */
export interface OptionHelp {
  readonly flag: `--${string}`;
  readonly short?: `-${string}`;
  readonly value?: string;
  readonly text: string;
}

/** What a command's operands are, for completion: files, a medium, a command, a shell. */
export type Operands = 'none' | 'files' | 'media' | 'commands' | 'shells';

export interface CommandHelp {
  /** The synopsis, one line per form, without the leading `webdisc`. */
  readonly usage: readonly string[];
  /** What it does, for the command list (wrapped to the terminal's 80 columns). */
  readonly summary: string;
  /** More for `webdisc help COMMAND`. */
  readonly details?: string;
  readonly options?: readonly OptionHelp[];
  readonly operands: Operands;
  /** Only inside `webdisc shell` (and the shell's own `quit`). */
  readonly shellOnly?: true;
}

const VERIFY: OptionHelp = {
  flag: '--verify',
  value: 'none|quick|full',
  text: 'after writing: nothing, a read of the first and last sectors, or every sector read back and hashed (SHA-256)',
};
const NAME: OptionHelp = {
  flag: '--name',
  value: 'NAME',
  text: 'the client name that holds the drive while it runs (others see it as the owner)',
};
const SESSION: OptionHelp = {
  flag: '--session',
  value: 'N',
  text: 'session N of the disc (1 is the first)',
};
const IMAGE_FILE: OptionHelp = {
  flag: '--image',
  value: 'FILE',
  text: 'an image file instead of the disc in the drive',
};

/** The options every image of files and folders takes (`burn DIR...` and `mkiso`). */
const IMAGE_OPTIONS: readonly OptionHelp[] = [
  { flag: '--label', value: 'L', text: 'the volume label' },
  { flag: '--publisher', value: 'P', text: 'the publisher in the volume descriptor' },
  { flag: '--udf', text: 'the UDF 1.02 bridge (the default)' },
  { flag: '--no-udf', text: 'ISO 9660 + Rock Ridge + Joliet only, no UDF bridge' },
  { flag: '--udf-revision', value: '1.02|2.50', text: 'the UDF revision (2.50 for BD)' },
  { flag: '--level', value: '1|2|3', text: 'the ISO 9660 interchange level (default 3)' },
  { flag: '--boot', value: 'IMG', text: 'El Torito BIOS boot image (a path inside the image)' },
  { flag: '--efi', value: 'IMG', text: 'El Torito EFI boot image (a path inside the image)' },
  {
    flag: '--date',
    value: 'D',
    text: 'every date in the image (ISO 8601 or seconds; else SOURCE_DATE_EPOCH): a reproducible image',
  },
  { flag: '--checksums', text: "each file's SHA-256 in /.webdisc/SHA256SUMS on the disc" },
];

const BURN_OPTIONS: readonly OptionHelp[] = [
  VERIFY,
  { flag: '--close', text: 'close the disc (no later sessions); else it stays appendable' },
  {
    flag: '--speed',
    value: '16x|max|KBPS',
    text: 'the write speed, as cdrecord takes it (16, 16x, max, or kB/s)',
  },
  { flag: '--simulate', text: 'a test write: the drive goes through the motions, writes nothing' },
  NAME,
  { flag: '--start', value: 'LBA', text: 'write at this sector instead of the next writable one' },
  { flag: '--sao', text: 'session-at-once on a CD (default: track-at-once)' },
  {
    flag: '--mastered-for',
    value: 'LBA|any',
    text: 'on a disc that has data: the sector the image was made for (mkisofs -C), or any',
  },
  { flag: '--append', text: "files and folders: a new session holding the disc's files and these" },
  {
    flag: '--remove',
    value: 'PATH',
    text: 'with --append: leave PATH out of the new session (repeatable)',
  },
];

export const COMMANDS = {
  list: {
    usage: ['list'],
    summary: 'list recorders (the virtual one and USB drives) and who holds each',
    operands: 'none',
  },
  info: {
    usage: ['info'],
    summary: 'identity, profiles, features, capabilities',
    operands: 'none',
  },
  media: {
    usage: ['media'],
    summary: 'disc type, status, sessions and tracks, free space',
    operands: 'none',
  },
  eject: { usage: ['eject'], summary: 'open the tray', operands: 'none' },
  load: { usage: ['load'], summary: 'close the tray', operands: 'none' },
  raw: {
    usage: ['raw HEX [--in N | --out FILE]'],
    summary: "send a CDB: no data, N bytes in, or FILE's bytes out",
    details:
      'HEX is the command descriptor block, spaces allowed ("12 00 00 00 24 00"). Commands that change the disc need exclusive access (acquire it in the shell first).',
    options: [
      { flag: '--in', value: 'N', text: 'read N bytes from the drive' },
      { flag: '--out', value: 'FILE', text: "send FILE's bytes to the drive" },
    ],
    operands: 'none',
  },
  erase: {
    usage: ['erase [--full] [--name NAME]'],
    summary: 'blank a CD-RW/DVD-RW, format a DVD+RW/BD-RE',
    options: [{ flag: '--full', text: 'a full blank or format (default: the quick one)' }, NAME],
    operands: 'none',
  },
  burn: {
    usage: [
      'burn IMAGE [--verify=none|quick|full] [--close] [--speed 16x|max]',
      '     [--simulate] [--name NAME] [--start LBA] [--sao] [--mastered-for LBA|any]',
      'burn DIR... [burn options] [image options] [--append [--remove PATH]...]',
    ],
    summary:
      'write an image, or build an image of files and folders while writing it (no temporary image); leaves the disc appendable unless --close',
    details:
      "Several paths merge at the disc's root, as with mkisofs. The image of files is planned first, so its size is checked against the disc and every file is checked readable before anything is written. --append adds files and folders to the disc's newest files in a new session (grown in place on DVD+RW, DVD-RW and BD-RE). An image onto a disc that has data is refused unless --mastered-for says which sector it was made for.",
    options: [...BURN_OPTIONS, ...IMAGE_OPTIONS],
    operands: 'files',
  },
  mkiso: {
    usage: ['mkiso DIR... -o FILE [image options]'],
    summary: 'write an image of files and folders to FILE',
    details:
      'The same image burn DIR... writes (ISO 9660 + Rock Ridge + Joliet with a UDF bridge), written under a temporary name and renamed when complete. --json adds the name report: every name a file system shows differently.',
    options: [
      { flag: '--output', short: '-o', value: 'FILE', text: 'the image file to write' },
      ...IMAGE_OPTIONS,
    ],
    operands: 'files',
  },
  read: {
    usage: ['read LBA COUNT FILE'],
    summary: 'read COUNT sectors from LBA into FILE',
    operands: 'files',
  },
  save: {
    usage: ['save IMAGE [--session N | --track N] [--continue] [--retries N] [--for-copy]'],
    summary:
      "save the disc (default: every data track) as an image; unreadable sectors stop it, or with --continue are zero-filled and listed in IMAGE.map (GNU ddrescue's format); after a failure or Ctrl+C the same command resumes",
    options: [
      SESSION,
      { flag: '--track', value: 'N', text: 'track N of the disc' },
      {
        flag: '--continue',
        text: 'go on past unreadable sectors (zero-filled, listed in IMAGE.map)',
      },
      {
        flag: '--retries',
        value: 'N',
        text: 'reads of an unreadable sector before it counts as bad',
      },
      {
        flag: '--for-copy',
        text: "an image to burn as a copy: a multisession disc's newest volume descriptors at sector 16, so the copy (one session) shows its newest files",
      },
    ],
    operands: 'files',
  },
  ls: {
    usage: ['ls [PATH] [--long] [--session N | --image FILE]'],
    summary: "list the disc's (newest session, or N) or an image's files",
    options: [
      { flag: '--long', short: '-l', text: 'kind, size, date and name' },
      SESSION,
      IMAGE_FILE,
    ],
    operands: 'none',
  },
  extract: {
    usage: ['extract PATH... DEST [--session N | --image FILE]'],
    summary: 'copy files and folders from the disc into DEST',
    details: 'Nothing is written outside DEST or over a file that is already there.',
    options: [SESSION, IMAGE_FILE],
    operands: 'files',
  },
  verify: {
    usage: ['verify IMAGE|DIR', 'verify --checksums'],
    summary:
      'compare the disc with an image (sector by sector) or a folder (file by file, SHA-256); --checksums checks every file of every session against the SHA-256 list burned with it',
    options: [{ flag: '--checksums', text: 'check the SHA-256 lists burned with --checksums' }],
    operands: 'files',
  },
  copy: {
    usage: [
      'copy --to ID [--session N | --track N] [--continue]',
      '     [--verify=none|quick|full] [--close] [--name NAME]',
    ],
    summary:
      'copy the disc onto the blank disc in drive ID at once (one drive: save --for-copy, insert, burn)',
    options: [
      { flag: '--to', value: 'ID', text: 'the drive with the blank disc ("webdisc list")' },
      SESSION,
      { flag: '--track', value: 'N', text: 'track N of the disc' },
      { flag: '--continue', text: 'go on past unreadable sectors' },
      { ...VERIFY, text: 'after writing the copy (default: full)' },
      { flag: '--close', text: 'close the copy' },
      NAME,
    ],
    operands: 'none',
  },
  lock: {
    usage: ['lock --name NAME [--force]'],
    summary: 'hold exclusive access until Ctrl+C / SIGTERM',
    options: [
      { ...NAME, text: 'the client name every other session sees as the owner' },
      { flag: '--force', text: 'detach a kernel driver that holds the drive (real drives)' },
    ],
    operands: 'none',
  },
  'unlock-tray': {
    usage: ['unlock-tray'],
    summary: 'clear a PREVENT left by a session that died',
    operands: 'none',
  },
  insert: {
    usage: ['insert MEDIA', 'insert --image FILE [--as MEDIA]'],
    summary:
      'put a new blank disc in the virtual drive, or a finished disc holding FILE (default: cd-rom or dvd-rom, as it fits)',
    options: [
      { flag: '--image', value: 'FILE', text: 'a finished disc holding FILE from sector 0' },
      { flag: '--as', value: 'MEDIA', text: 'the kind of disc that holds it' },
    ],
    operands: 'media',
  },
  shell: {
    usage: ['shell'],
    summary:
      'read commands from stdin, one per line; adds acquire NAME [force], release, owner, state, open, close (IMAPI v1), quit',
    details:
      'One result per line, in order; a failed line does not stop the shell, and the exit code is 1 when any line failed. Words in "double" or \'single\' quotes are one word.',
    operands: 'none',
  },
  help: {
    usage: ['help [COMMAND]'],
    summary: "this text, or one command's usage and options",
    operands: 'commands',
  },
  completion: {
    usage: ['completion bash|zsh'],
    summary: 'a completion script for the shell',
    details:
      'bash: add  source <(webdisc completion bash)  to ~/.bashrc. zsh: add  source <(webdisc completion zsh)  to ~/.zshrc after compinit, or save it as _webdisc in a folder of $fpath.',
    operands: 'shells',
  },
  acquire: {
    usage: ['acquire NAME [force]'],
    summary: 'take exclusive access as NAME, or count up if this session holds it',
    operands: 'none',
    shellOnly: true,
  },
  release: {
    usage: ['release'],
    summary: 'count down; at 0 the drive is free',
    operands: 'none',
    shellOnly: true,
  },
  owner: {
    usage: ['owner'],
    summary: 'the client name that holds the drive (empty: free)',
    operands: 'none',
    shellOnly: true,
  },
  state: {
    usage: ['state'],
    summary: 'the lock count, owner and tray lock',
    operands: 'none',
    shellOnly: true,
  },
  open: {
    usage: ['open'],
    summary: 'IMAPI v1 exclusive open',
    operands: 'none',
    shellOnly: true,
  },
  close: {
    usage: ['close'],
    summary: 'IMAPI v1 close',
    operands: 'none',
    shellOnly: true,
  },
  quit: {
    usage: ['quit'],
    summary: 'end the shell (as EOF does)',
    operands: 'none',
    shellOnly: true,
  },
} as const satisfies Record<string, CommandHelp>;

export type CommandName = keyof typeof COMMANDS;

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

/** A command's synopsis on one line, its forms apart by ` | ` (for usage errors). */
export function synopsis(name: CommandName): string {
  const forms: string[] = [];
  for (const line of (COMMANDS[name] as CommandHelp).usage) {
    if (line.startsWith(' ')) forms[forms.length - 1] += ` ${line.trim()}`;
    else forms.push(line);
  }
  return forms.join(' | ');
}

/** Commands that take no operand and no option: the table says so by a bare synopsis. */
export const BARE_COMMANDS: ReadonlySet<string> = new Set(
  Object.entries(COMMANDS as Record<string, CommandHelp>)
    .filter(([name, c]) => c.usage.length === 1 && c.usage[0] === name && !c.options?.length)
    .map(([name]) => name),
);

/**
 * Words for each global option, keyed like GLOBAL_OPTIONS (the parser's
 * table), so a global option without help does not type-check.
 */
const GLOBAL_HELP: {
  readonly [K in keyof typeof GLOBAL_OPTIONS]: Pick<OptionHelp, 'value' | 'text'>;
} = {
  json: {
    text: 'one JSON object per result: {"ok": true, ...} or {"ok": false, "hresult", "name", "message", "sense"}; erase and burn also print {"progress": {...}} lines',
  },
  virtual: {
    value: '[=MEDIA]',
    text: `the virtual recorder (the default drive when --device is absent), with the disc it kept from the last command; --virtual=MEDIA puts a NEW blank MEDIA disc in it (${MEDIA_NAMES.join(', ')}), as "webdisc insert MEDIA" does`,
  },
  'virtual-dir': {
    value: 'DIR',
    text: "the virtual recorder's folder (else $WEBDISC_VIRTUAL_DIR, else $XDG_DATA_HOME/webdisc/virtual or ~/.local/share/webdisc/virtual); one process uses it at a time, another waits 3 s, then fails naming the holder's pid",
  },
  device: {
    value: 'ID',
    text: 'a real drive from "webdisc list" (needs the optional npm package usb)',
  },
  help: { text: 'the full usage, or after a command, its help' },
};

export const GLOBAL_OPTION_HELP: readonly OptionHelp[] = Object.entries(GLOBAL_OPTIONS).map(
  ([name, config]) => ({
    flag: `--${name}`,
    ...('short' in config ? { short: `-${config.short}` as const } : {}),
    ...GLOBAL_HELP[name as keyof typeof GLOBAL_OPTIONS],
  }),
);

export { MEDIA_NAMES };

const WIDTH = 79;

/** Words wrapped to `WIDTH` columns, every line after the first indented by `indent`. */
function wrap(text: string, first: number, indent: number): string[] {
  const lines: string[] = [];
  let line = '';
  let room = WIDTH - first;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
      room = WIDTH - indent;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : ' '.repeat(indent) + l));
}

/** `  usage                      summary` with the summary in a column, as in the overview. */
function entry(usage: readonly string[], summary: string, column: number): string {
  const head = usage.map((u) => `  ${u}`);
  const last = head[head.length - 1]!;
  if (last.length < column - 1) {
    head[head.length - 1] = last.padEnd(column) + wrap(summary, column, column).join('\n');
    return head.join('\n');
  }
  return [...head, ' '.repeat(column) + wrap(summary, column, column).join('\n')].join('\n');
}

function optionLine(o: OptionHelp): string {
  const name = `${o.short ? `${o.short}, ` : ''}${o.flag}${o.value ? (o.value.startsWith('[') ? o.value : ` ${o.value}`) : ''}`;
  return entry([name], o.text, 20);
}

const commandEntries = (shellOnly: boolean) =>
  Object.values(COMMANDS as Record<string, CommandHelp>)
    .filter((c) => (c.shellOnly === true) === shellOnly)
    .map((c) => entry(c.usage, c.summary, 32));

/** `webdisc help`: every command and the global options. */
export const USAGE = [
  'webdisc: control USB optical disc recorders (IMAPI-style exclusive access)',
  '',
  'usage: webdisc [--json] [--virtual[=MEDIA]] [--virtual-dir DIR] [--device ID]',
  '               COMMAND [ARGS]',
  '',
  'commands:',
  ...commandEntries(false),
  '',
  'in the shell only:',
  ...commandEntries(true),
  '',
  'options:',
  ...GLOBAL_OPTION_HELP.map(optionLine),
  '',
  '"webdisc help COMMAND" shows a command\'s options.',
  '',
].join('\n');

/** `webdisc help COMMAND`. */
export function commandHelp(name: CommandName): string {
  const c: CommandHelp = COMMANDS[name];
  const lines = [
    ...c.usage.map((u, i) => {
      const program = c.shellOnly ? '' : 'webdisc ';
      // A synopsis' continuation line (indented) lines up under the command's words.
      const line = u.startsWith(' ') ? ' '.repeat(program.length) + u : program + u;
      return `${i === 0 ? 'usage: ' : '       '}${line}`;
    }),
    '',
    ...wrap(c.summary.replace(/^./, (s) => s.toUpperCase()) + '.', 0, 0),
  ];
  if (c.details) lines.push('', ...wrap(c.details, 0, 0));
  if (c.shellOnly) lines.push('', 'Only inside "webdisc shell".');
  if (c.options?.length) lines.push('', 'options:', ...c.options.map(optionLine));
  if (!c.shellOnly && name !== 'help' && name !== 'completion') {
    const globals = GLOBAL_OPTION_HELP.filter((o) => o.flag !== '--help')
      .map((o) => `${o.flag}${o.value ? (o.value.startsWith('[') ? o.value : ` ${o.value}`) : ''}`)
      .join(', ');
    lines.push('', ...wrap(`global options (anywhere on the line): ${globals}`, 0, 2));
  }
  return lines.join('\n') + '\n';
}

/** Where a usage error's command is described: `webdisc help COMMAND`, or the full usage. */
export function usageHint(command: string | undefined): string {
  return command !== undefined && isCommandName(command)
    ? `webdisc help ${command}`
    : 'webdisc help';
}
