/**
 * The bad-input table of bad-input.fuzz.test.ts (issue 20, part 6): for each
 * command of the help table (help.ts `COMMANDS`) a spec of its well-formed
 * words, and from it the bad ones (missing, extra and unknown arguments,
 * malformed numbers, odd input files, output paths that cannot be written),
 * each with the exit code the README documents: 2 for a usage error, 1 for a
 * failure. bad-input-check.ts runs them.
 *
 * Words starting with `@in/` name the fixtures (resolved at run time); other
 * paths are relative to the run's own working folder.
 */
import { COMMANDS, type CommandHelp } from './help.ts';
import { prng } from './prng.ts';

export interface Fixtures {
  readonly root: string;
  /** empty, one (1 byte), three.iso ("abc"), plain.txt, dir/, fifo, good.iso. */
  readonly inputs: string;
  readonly good: string;
  /** A virtual drive's folder holding good.iso as a CD-ROM: copied for each run. */
  readonly dataDrive: string;
  readonly runtime: string;
}

export interface Case {
  readonly command: string;
  readonly name: string;
  /** The global options first (`--virtual=MEDIA`), then the command and its words. */
  readonly args: readonly string[];
  /** Exit code: 0, 1 or 2 as documented; `any` for random combinations (the shape is still checked). */
  readonly expect: 0 | 1 | 2 | 'any';
  /** The virtual drive the run starts with: the data disc, or a new one that `--virtual=` names. */
  readonly disc: 'data' | 'none';
  /** Lines for `webdisc shell`: each must give one result line. */
  readonly stdin?: readonly string[];
  /** The defect this case found and keeps fixed. */
  readonly regression?: string;
  readonly json?: boolean;
}

/** Malformed numbers: each is a usage error wherever a number is expected. */
export const BAD_NUMBERS = [
  '-1',
  '1e99',
  'NaN',
  '0x',
  '',
  '99999999999999999999',
  '1.5',
  '0x10',
  ' 7',
];

const INPUTS = {
  missing: '@in/missing.iso',
  folder: '@in/dir',
  empty: '@in/empty',
  'one byte': '@in/one',
  '3-byte .iso': '@in/three.iso',
  FIFO: '@in/fifo',
} as const;
type InputKind = keyof typeof INPUTS;

/** True when this process runs as root: chmod then blocks no write. */
export const ROOT = process.getuid?.() === 0;

const OUTPUTS = {
  'missing folder': 'no-such-folder/out.bin',
  'under a file': 'plain.txt/out.bin',
  folder: 'folder',
  FIFO: '@in/fifo',
  // Each run's folder has `locked/` (mode 0500); root writes there anyway, so only for others.
  ...(ROOT ? {} : { 'read-only folder': 'locked/out.bin' }),
} as const;
type OutputKind = keyof typeof OUTPUTS;

type Words = (w: string) => string[];

interface Spec {
  /** Well-formed words (a base for unknown options and extra operands). */
  readonly valid: readonly string[];
  readonly global?: readonly string[];
  readonly disc?: 'data' | 'none';
  /** Most operands the command takes (extra ones are a usage error). */
  readonly max: number;
  /** Forms with something missing: each a usage error. */
  readonly missing?: readonly (readonly string[])[];
  readonly numbers?: Readonly<Record<string, Words>>;
  /** A file the command reads: 1 (a failure) unless `ok` says it is accepted. */
  readonly inputs?: readonly {
    readonly words: Words;
    readonly ok?: readonly InputKind[];
    readonly usage?: readonly InputKind[];
  }[];
  readonly outputs?: readonly { readonly words: Words; readonly ok?: readonly OutputKind[] }[];
  /** Cases of this command alone (regressions among them). */
  readonly more?: readonly Omit<Case, 'command' | 'disc'>[];
}

const INQUIRY = '12 00 00 00 24 00';
/** MODE SELECT(10) with a parameter list: a data-out command for `raw --out`. */
const MODE_SELECT = '55 10 00 00 00 00 00 00 08 00';

const BARE: Spec = { valid: [], max: 0 };

const SPECS: Record<string, Spec> = {
  list: BARE,
  info: BARE,
  media: BARE,
  eject: BARE,
  load: BARE,
  'unlock-tray': BARE,
  raw: {
    valid: [INQUIRY, '--in', '36'],
    max: 1,
    missing: [[], ['--in', '36'], [INQUIRY, '--in']],
    numbers: { '--in': (n) => [INQUIRY, `--in=${n}`] },
    inputs: [{ words: (p) => [MODE_SELECT, '--out', p] }],
    more: [
      { name: 'raw: HEX that is not hex', args: ['raw', 'zz'], expect: 1 },
      {
        name: 'raw: --in and --out',
        args: ['raw', INQUIRY, '--in', '36', '--out', '@in/one'],
        expect: 2,
      },
      {
        name: 'raw --out a FIFO',
        args: ['raw', MODE_SELECT, '--out', '@in/fifo'],
        expect: 1,
        regression: 'raw --out FIFO waited for a writer for ever',
      },
      {
        name: 'raw --out a folder',
        args: ['raw', MODE_SELECT, '--out', '@in/dir'],
        expect: 1,
        regression: 'raw --out FOLDER printed "EISDIR: illegal operation on a directory"',
      },
      {
        name: 'raw --in 0x10',
        args: ['raw', INQUIRY, '--in', '0x10'],
        expect: 2,
        regression: 'raw --in took hex, "" and 1e3 through Number()',
      },
    ],
  },
  erase: {
    valid: ['--name', 'X'],
    global: ['--virtual=cd-rw'],
    disc: 'none',
    max: 0,
    missing: [['--name']],
  },
  burn: {
    valid: ['@in/good.iso'],
    global: ['--virtual=dvd+r'],
    disc: 'none',
    max: Infinity,
    missing: [[], ['@in/good.iso', '--speed'], ['@in/good.iso', '--verify']],
    numbers: {
      '--start': (n) => ['@in/good.iso', `--start=${n}`],
      '--mastered-for': (n) => ['@in/good.iso', `--mastered-for=${n}`],
      '--level': (n) => ['@in/dir', `--level=${n}`],
      '--date': (n) => ['@in/dir', `--date=${n}`],
    },
    // A folder is files to burn; a 1- or 3-byte image is raw data, burned with a warning.
    inputs: [
      { words: (p) => [p], ok: ['folder', 'one byte', '3-byte .iso'] },
      // One file is an image, and --append is for files and folders: a usage error.
      {
        words: (p) => [p, '--append'],
        ok: ['folder'],
        usage: ['empty', 'one byte', '3-byte .iso'],
      },
    ],
    more: [
      {
        name: 'burn: --verify=sometimes',
        args: ['burn', '@in/good.iso', '--verify=sometimes'],
        expect: 2,
      },
      { name: 'burn: --speed=fast', args: ['burn', '@in/good.iso', '--speed=fast'], expect: 2 },
      {
        name: 'burn: a blank disc is not written over an image with data',
        args: ['--virtual=cd-rom', 'burn', '@in/good.iso'],
        expect: 1,
      },
      {
        name: 'burn an empty image',
        args: ['--virtual=dvd+r', 'burn', '@in/empty'],
        expect: 1,
        regression: 'burn EMPTY printed a "no file system" warning before its error',
      },
      {
        name: 'burn --start ""',
        args: ['--virtual=dvd+rw', 'burn', '@in/good.iso', '--start='],
        expect: 2,
        regression: 'burn --start "" was taken as LBA 0',
      },
      {
        name: 'burn --date=-1',
        args: ['--virtual=dvd+r', 'burn', '@in/dir', '--date=-1'],
        expect: 2,
        regression: '--date -1 was taken as 2001-01-01 (Date.parse)',
      },
    ],
  },
  mkiso: {
    valid: ['@in/dir', '-o', 'out.iso'],
    max: Infinity,
    missing: [[], ['@in/dir'], ['-o', 'out.iso'], ['@in/dir', '-o']],
    numbers: {
      '--level': (n) => ['@in/dir', '-o', 'out.iso', `--level=${n}`],
      '--date': (n) => ['@in/dir', '-o', 'out.iso', `--date=${n}`],
    },
    inputs: [
      { words: (p) => [p, '-o', 'out.iso'], ok: ['folder', 'empty', 'one byte', '3-byte .iso'] },
    ],
    outputs: [{ words: (p) => ['@in/dir', '-o', p] }],
    more: [
      {
        name: 'mkiso -o under a missing folder',
        args: ['mkiso', '@in/dir', '-o', 'no-such-folder/x.iso'],
        expect: 1,
        regression: 'mkiso -o MISSING/x named its temporary file in a raw ENOENT',
      },
    ],
  },
  read: {
    valid: ['0', '1', 'out.bin'],
    max: 3,
    missing: [[], ['0'], ['0', '1']],
    numbers: { LBA: (n) => [n, '1', 'out.bin'], COUNT: (n) => ['0', n, 'out.bin'] },
    outputs: [{ words: (p) => ['0', '1', p] }],
    more: [
      {
        name: 'read past the end of the disc',
        args: ['read', '4000000000', '1', 'out.bin'],
        expect: 1,
        regression: 'a failed read left an empty FILE behind',
      },
      {
        name: 'read into a FIFO',
        args: ['read', '0', '1', '@in/fifo'],
        expect: 1,
        regression: 'read into a FIFO waited for a reader for ever',
      },
      {
        name: 'read a count of 1e20',
        args: ['read', '0', '99999999999999999999', 'out.bin'],
        expect: 2,
        regression: 'COUNT 1e20 went to the drive as a whole number',
      },
      {
        name: 'read LBA ""',
        args: ['read', '', '1', 'out.bin'],
        expect: 2,
        regression: 'LBA "" was read as sector 0',
      },
    ],
  },
  save: {
    valid: ['out.iso'],
    max: 1,
    missing: [[], ['out.iso', '--session']],
    numbers: {
      '--session': (n) => ['out.iso', `--session=${n}`],
      '--track': (n) => ['out.iso', `--track=${n}`],
      '--retries': (n) => ['out.iso', `--retries=${n}`],
    },
    outputs: [{ words: (p) => [p] }],
    more: [
      { name: 'save --session 99', args: ['save', 'out.iso', '--session', '99'], expect: 1 },
      {
        name: 'save --session and --track',
        args: ['save', 'o.iso', '--session=1', '--track=1'],
        expect: 2,
      },
      { name: 'save a blank disc', args: ['--virtual=dvd+r', 'save', 'out.iso'], expect: 1 },
      {
        name: 'save to an empty name',
        args: ['save', ''],
        expect: 2,
        regression: 'save "" left ".part" and ".map" behind (campaign seed 8364)',
      },
    ],
  },
  ls: {
    valid: [],
    max: 1,
    missing: [['--image'], ['--session']],
    numbers: { '--session': (n) => [`--session=${n}`] },
    inputs: [{ words: (p) => ['--image', p] }],
    more: [
      { name: 'ls a path not on the disc', args: ['ls', '/nope'], expect: 1 },
      { name: 'ls --session 99', args: ['ls', '--session', '99'], expect: 1 },
      {
        name: 'ls --image a FIFO',
        args: ['ls', '--image', '@in/fifo'],
        expect: 1,
        regression: 'ls --image FIFO waited for a writer for ever',
      },
      { name: 'ls a blank disc', args: ['--virtual=cd-r', 'ls'], expect: 1 },
    ],
  },
  extract: {
    valid: ['/a.txt', 'dest'],
    max: Infinity,
    missing: [[], ['dest'], ['/a.txt', 'dest', '--image']],
    numbers: { '--session': (n) => ['/a.txt', 'dest', `--session=${n}`] },
    inputs: [{ words: (p) => ['/a.txt', 'dest', '--image', p] }],
    // DEST is a folder, made when missing.
    outputs: [{ words: (p) => ['/a.txt', p], ok: ['missing folder', 'folder'] }],
    more: [
      {
        name: 'extract a path not on the disc',
        args: ['extract', '/nope', 'dest'],
        expect: 1,
        regression: 'extract of a path not on the disc left DEST behind',
      },
    ],
  },
  verify: {
    valid: ['@in/good.iso'],
    max: 1,
    missing: [[]],
    // The folder is the one the disc was made from.
    inputs: [{ words: (p) => [p], ok: ['folder'] }],
    more: [
      { name: 'verify --checksums with a path', args: ['verify', '--checksums', 'x'], expect: 2 },
      { name: 'verify --checksums on a disc without', args: ['verify', '--checksums'], expect: 1 },
      {
        name: 'verify an empty image',
        args: ['verify', '@in/empty'],
        expect: 1,
        regression: 'verify EMPTY said "the disc holds the image: 0 sectors identical"',
      },
      {
        name: 'verify a FIFO',
        args: ['verify', '@in/fifo'],
        expect: 1,
        regression: 'verify FIFO said "the disc holds the image: 0 sectors identical"',
      },
    ],
  },
  copy: {
    valid: ['--to', 'nosuch'],
    max: 0,
    missing: [[], ['--to']],
    numbers: {
      '--session': (n) => ['--to', 'nosuch', `--session=${n}`],
      '--track': (n) => ['--to', 'nosuch', `--track=${n}`],
    },
  },
  // Never its valid form here: it holds the drive until a signal.
  lock: { valid: ['--name', 'X'], max: 0, missing: [[], ['--name']] },
  insert: {
    valid: ['dvd+r'],
    max: 1,
    missing: [[], ['--image'], ['--as', 'cd-r']],
    // A 1- or 3-byte image is a 1-sector disc.
    inputs: [{ words: (p) => ['--image', p], ok: ['one byte', '3-byte .iso'] }],
    more: [
      { name: 'insert an unknown medium', args: ['insert', 'floppy'], expect: 1 },
      {
        name: 'insert --image --as unknown',
        args: ['insert', '--image', '@in/good.iso', '--as', 'x'],
        expect: 1,
      },
    ],
  },
  shell: { valid: [], max: 0 },
  help: {
    valid: [],
    max: 1,
    more: [{ name: 'help an unknown command', args: ['help', 'frobnicate'], expect: 2 }],
  },
  completion: {
    valid: ['bash'],
    max: 1,
    missing: [[]],
    more: [{ name: 'completion fish', args: ['completion', 'fish'], expect: 2 }],
  },
};

/** Cases that are not one command's: the global options and the process as a whole. */
const GLOBAL_CASES: readonly Case[] = [
  { command: '', name: 'no command', args: [], expect: 2, disc: 'none' },
  { command: '', name: 'unknown command', args: ['frobnicate'], expect: 2, disc: 'none' },
  {
    command: '',
    name: 'unknown global option',
    args: ['--bogus', 'media'],
    expect: 2,
    disc: 'none',
  },
  {
    command: '',
    name: '--device without ID',
    args: ['media', '--device'],
    expect: 2,
    disc: 'none',
  },
  {
    command: '',
    name: '--virtual=floppy',
    args: ['--virtual=floppy', 'media'],
    expect: 1,
    disc: 'none',
  },
  {
    command: '',
    name: '--virtual-dir a file',
    args: ['--virtual-dir', '@in/plain.txt', 'media'],
    expect: 1,
    disc: 'none',
    regression: 'a failure before the command printed text with --json, and "it already exists"',
  },
];

function shellCases(name: string): Case[] {
  const lines = [`${name} extra1 extra2 extra3`, `${name} --bogus`];
  return [
    { command: name, name: `${name}: top level`, args: [name], expect: 2, disc: 'data' },
    ...lines.map((line) => ({
      command: name,
      name: `shell: ${line}`,
      args: ['shell'],
      stdin: [line],
      expect: 1 as const,
      disc: 'data' as const,
    })),
  ];
}

/** Every case of the table, in a fixed order. */
export function badInputCases(): Case[] {
  const cases: Case[] = [...GLOBAL_CASES];
  for (const [name, help] of Object.entries(COMMANDS as Record<string, CommandHelp>)) {
    if (help.shellOnly) {
      cases.push(...shellCases(name));
      continue;
    }
    const spec = SPECS[name];
    if (!spec) continue; // the coverage test names it
    const disc = spec.disc ?? 'data';
    const g = spec.global ?? [];
    const add = (label: string, words: readonly string[], expect: 0 | 1 | 2) =>
      cases.push({
        command: name,
        name: `${name}: ${label}`,
        args: [...g, name, ...words],
        expect,
        disc,
      });
    add('unknown option', [...spec.valid, '--bogus'], 2);
    add('unknown short option', [...spec.valid, '-Z'], 2);
    if (spec.max !== Infinity) {
      const extra = ['extra1', 'extra2', 'extra3', 'extra4'].slice(0, Math.max(1, 4 - spec.max));
      add('extra operands', [...spec.valid, ...extra], 2);
    }
    for (const words of spec.missing ?? [])
      add(`missing (${words.join(' ') || 'nothing'})`, words, 2);
    for (const [slot, words] of Object.entries(spec.numbers ?? {}))
      for (const n of BAD_NUMBERS) add(`${slot} ${JSON.stringify(n)}`, words(n), 2);
    for (const input of spec.inputs ?? [])
      for (const [kind, path] of Object.entries(INPUTS) as [InputKind, string][])
        add(
          `input ${kind} (${input.words('F').join(' ')})`,
          input.words(path),
          input.ok?.includes(kind) ? 0 : input.usage?.includes(kind) ? 2 : 1,
        );
    for (const output of spec.outputs ?? [])
      for (const [kind, path] of Object.entries(OUTPUTS) as [OutputKind, string][])
        add(
          `output ${kind} (${output.words('F').join(' ')})`,
          output.words(path),
          output.ok?.includes(kind) ? 0 : 1,
        );
    for (const c of spec.more ?? [])
      cases.push({
        ...c,
        command: name,
        disc: c.args[0]?.startsWith('--virtual=') ? 'none' : disc,
      });
  }
  cases.push({
    command: 'shell',
    name: 'shell: bad lines each give one result',
    args: ['shell'],
    stdin: [
      'read 0 x f',
      'raw',
      'frobnicate',
      `raw "${MODE_SELECT}" --out @in/fifo`,
      'ls --image @in/empty',
    ],
    expect: 1,
    disc: 'data',
    regression: 'a shell line with a FIFO would stop the shell for ever',
  });
  return cases;
}

const BAD_WORDS = [
  ...BAD_NUMBERS,
  ...Object.values(INPUTS),
  ...Object.values(OUTPUTS),
  '--bogus',
  '-Z',
  '--',
  '--json=1',
  '--in',
  '--session',
  '--image',
  '--as',
  '--to',
  '-o',
  'é',
  '/nope',
  '%00',
];

/** A random command with one to three of its words replaced, dropped or added. */
export function randomCase(seed: number): Case {
  const rnd = prng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  // `lock` is left out: a combination that is still well-formed would hold the drive.
  const names = Object.keys(SPECS).filter((n) => n !== 'lock');
  const name = pick(names);
  const spec = SPECS[name]!;
  const words = [...spec.valid];
  for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) {
    const at = Math.floor(rnd() * (words.length + 1));
    const r = rnd();
    if (r < 0.4 && words.length) words[Math.min(at, words.length - 1)] = pick(BAD_WORDS);
    else if (r < 0.6 && words.length) words.splice(Math.min(at, words.length - 1), 1);
    else words.splice(at, 0, pick(BAD_WORDS));
  }
  return {
    command: name,
    name: `random ${seed}: ${name} ${words.map((w) => JSON.stringify(w)).join(' ')}`,
    args: [...(spec.global ?? []), name, ...words],
    expect: 'any',
    disc: spec.disc ?? 'data',
    json: rnd() < 0.5,
  };
}
