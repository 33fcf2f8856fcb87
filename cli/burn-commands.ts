/**
 * `burn` (an image file, or files and folders built while written) and
 * `mkiso` (files and folders to an image file). Options shared by both file
 * commands: `--label`, `--udf`/`--no-udf`, `--boot`, `--efi`, `--date`.
 */
import { synopsis } from './help.ts';
import { stat } from 'node:fs/promises';
import type { BurnOptions, BurnReport, FileImageOptions } from '../contract/api.ts';
import { parseSpeed, speedWords } from '../contract/profiles.ts';
import type { WebdiscService } from '../engine/service.ts';
import { commandArgs, unwrap, UsageError, wholeNumber, type Outcome } from './args.ts';
import { inputFile, outputFile } from './paths.ts';
import { fileSource } from './file-source.ts';
import { IMAGE_KIND_BYTES, NOT_A_DISC_IMAGE, imageKind } from '../contract/image-kind.ts';
import {
  imageDate,
  plan,
  reportText,
  treeFromPaths,
  writeImage,
  type WalkedTree,
} from './files.ts';
import { planAppend } from '../engine/recording/append.ts';

export interface CommandContext {
  readonly service: WebdiscService;
  readonly recorderId: string;
  readonly clientName: string;
  /** Starts showing progress events; returns the function that stops. */
  readonly watchProgress: () => () => void;
  /** A line for the person on stderr (a warning before a burn); not in --json output. */
  readonly warn?: (line: string) => void;
  /** A line that overwrites the last on a terminal (mkiso's own progress). */
  readonly progress?: (line: string) => void;
  readonly env: NodeJS.ProcessEnv;
}

const IMAGE_OPTIONS = {
  label: { type: 'string' },
  publisher: { type: 'string' },
  udf: { type: 'boolean' },
  'no-udf': { type: 'boolean' },
  'udf-revision': { type: 'string' },
  level: { type: 'string' },
  boot: { type: 'string' },
  efi: { type: 'string' },
  date: { type: 'string' },
  checksums: { type: 'boolean' },
} as const;

type ImageValues = {
  [K in keyof typeof IMAGE_OPTIONS]?: (typeof IMAGE_OPTIONS)[K]['type'] extends 'string'
    ? string
    : boolean;
};

function imageOptions(v: ImageValues, env: NodeJS.ProcessEnv): FileImageOptions {
  if (v.udf && v['no-udf']) throw new UsageError('--udf and --no-udf contradict each other');
  const revision = v['udf-revision'];
  if (revision !== undefined && revision !== '1.02' && revision !== '2.50')
    throw new UsageError('--udf-revision must be 1.02 or 2.50');
  if (revision !== undefined && v['no-udf'])
    throw new UsageError('--udf-revision and --no-udf contradict each other');
  const level = v.level === undefined ? undefined : Number(v.level);
  // Number('') is 0 and Number(' 2') is 2: only the digit itself is a level.
  if (
    level !== undefined &&
    (!/^[123]$/.test(v.level!) || (level !== 1 && level !== 2 && level !== 3))
  )
    throw new UsageError('--level must be 1, 2 or 3 (ISO 9660 interchange level)');
  const date = imageDate(v.date, env);
  return {
    ...(v.label !== undefined ? { volumeLabel: v.label } : {}),
    ...(v.publisher !== undefined ? { publisher: v.publisher } : {}),
    ...(v['no-udf'] ? { udf: false } : {}),
    ...(revision !== undefined ? { udfRevision: revision } : {}),
    ...(level !== undefined ? { isoLevel: level } : {}),
    ...(v.boot !== undefined ? { bootImage: inTree(v.boot) } : {}),
    ...(v.efi !== undefined ? { efiImage: inTree(v.efi) } : {}),
    ...(date !== undefined ? { date } : {}),
    ...(v.checksums ? { checksums: true } : {}),
  };
}

/** `--boot`/`--efi` name a file inside the image, as xorriso's `-b`/`-e` do. */
function inTree(path: string): string {
  if (!path)
    throw new UsageError('--boot and --efi need a path inside the image, e.g. boot/eltorito.img');
  return path.startsWith('/') ? path : `/${path}`;
}

// One synopsis per command, from the help table (cli/help.ts).
const MKISO_USAGE = synopsis('mkiso');

export async function mkisoCommand(ctx: CommandContext, args: readonly string[]): Promise<Outcome> {
  const { values, positionals } = commandArgs(
    args,
    MKISO_USAGE,
    { ...IMAGE_OPTIONS, output: { type: 'string', short: 'o' } },
    [1, Infinity],
  );
  if (!values.output) throw new UsageError('mkiso: -o FILE is required');
  const image = imageOptions(values, ctx.env);
  // Before the files are walked: a missing folder or a FIFO at FILE is said at once.
  await outputFile(values.output, 'the image');
  const tree = await treeFromPaths(positionals);
  const { plan: p, summary } = plan(tree, image);
  let last = -1;
  const written = await writeImage(tree, p, values.output, (done, total) => {
    const pct = Math.floor((done / total) * 100);
    if (pct !== last) ctx.progress?.(`building    ${pct}%`);
    last = pct;
  });
  ctx.progress?.('');
  const seconds = written.durationMs / 1000;
  return {
    ok: true,
    text:
      `wrote ${written.path}: ${reportText(summary, tree.skipped)}\n` +
      `${(written.bytes / 1e6 / Math.max(seconds, 0.001)).toFixed(0)} MB/s, SHA-256 ${written.sha256}`,
    json: { image: { ...written }, plan: summary, skipped: tree.skipped },
  };
}

const BURN_USAGE = synopsis('burn');

function burnText(b: BurnReport): string {
  return (
    `${b.simulated ? 'simulated ' : ''}burn of ${b.sectorCount} sectors at LBA ${b.startLba} ` +
    `(${b.writeType}${b.speedKBps ? ` at ${speedWords(b.speedKBps, b.disc.physicalType)}` : ''}) in ${(b.durationMs / 1000).toFixed(1)} s; disc now ${b.disc.status}` +
    (b.verifyCancelled
      ? '; written, verification cancelled'
      : b.sha256
        ? `; verified, SHA-256 ${b.sha256}`
        : b.verify === 'quick'
          ? '; quick verify passed'
          : '')
  );
}

/** `burn IMAGE` writes an image file; `burn DIR...` (or several paths) builds the image while writing. */
export async function burnCommand(ctx: CommandContext, args: readonly string[]): Promise<Outcome> {
  const { values, positionals } = commandArgs(
    args,
    BURN_USAGE,
    {
      ...IMAGE_OPTIONS,
      verify: { type: 'string' },
      close: { type: 'boolean' },
      speed: { type: 'string' },
      simulate: { type: 'boolean' },
      name: { type: 'string' },
      start: { type: 'string' },
      sao: { type: 'boolean' },
      'mastered-for': { type: 'string' },
      append: { type: 'boolean' },
      remove: { type: 'string', multiple: true },
    },
    [1, Infinity],
  );
  const verify = values.verify ?? 'none';
  if (verify !== 'none' && verify !== 'quick' && verify !== 'full') {
    throw new UsageError('--verify must be none, quick or full');
  }
  // cdrecord's words: 16, 16x, max, or kB/s ("11080kB/s"), for the disc in the drive.
  let speed: number | undefined;
  if (values.speed !== undefined) {
    const media = unwrap(await ctx.service.getMedia(ctx.recorderId));
    const parsed = parseSpeed(values.speed, media.physicalType);
    if (parsed instanceof Error) throw new UsageError(`--speed: ${parsed.message}`);
    speed = parsed;
  }
  const start =
    values.start === undefined
      ? undefined
      : wholeNumber(values.start, '--start (an LBA)', 0, 0xffff_ffff);
  const mastered = values['mastered-for'];
  if (mastered !== undefined && mastered !== 'any' && !/^\d{1,10}$/.test(mastered))
    throw new UsageError(
      '--mastered-for needs a sector number (the image\'s mkisofs -C address) or "any"',
    );
  const masteredFor =
    mastered === undefined
      ? undefined
      : mastered === 'any'
        ? ('any' as const)
        : wholeNumber(mastered, '--mastered-for', 0, 0xffff_ffff);
  const options: BurnOptions = {
    ...(masteredFor !== undefined ? { masteredFor } : {}),
    clientName: values.name ?? ctx.clientName,
    verify,
    close: values.close === true,
    simulate: values.simulate === true,
    ...(values.sao ? { writeType: 'sao' as const } : {}),
    ...(speed !== undefined ? { speedKBps: speed } : {}),
    ...(start !== undefined ? { startLba: start } : {}),
  };
  const files =
    positionals.length > 1 || (await stat(positionals[0]!).catch(() => null))?.isDirectory();
  // One path that is no folder must be a readable image: a missing path or a FIFO is said as
  // such, before what the options allow an image.
  if (!files) await inputFile(positionals[0]!, 'the image');
  const imageFlags = Object.keys(IMAGE_OPTIONS).filter((k) => k in values);
  if (!files && (values.append || values.remove))
    throw new UsageError(
      '--append adds files and folders; to add an image to a disc, use --mastered-for',
    );
  if (!files && imageFlags.length) {
    throw new UsageError(`--${imageFlags[0]} applies to burning files and folders, not an image`);
  }
  if (!files) {
    const source = await fileSource(positionals[0]!);
    const head = source.readAt ? await source.readAt(0, IMAGE_KIND_BYTES) : new Uint8Array(0);
    const kind = imageKind(head);
    const stop = ctx.watchProgress();
    try {
      // Said before the burn starts, on stderr, so it is seen while the disc is written.
      // An empty file is refused by the burn itself: one error line, no warning first.
      if (kind === 'unknown' && source.size !== 0) ctx.warn?.(`warning: ${NOT_A_DISC_IMAGE}`);
      const b = unwrap(await ctx.service.burn(ctx.recorderId, source, options));
      return {
        ok: true,
        text: burnText(b),
        json: {
          burn: b,
          image: { fileSystem: kind, ...(kind === 'unknown' ? { warning: NOT_A_DISC_IMAGE } : {}) },
        },
      };
    } finally {
      stop();
    }
  }
  const image = imageOptions(values, ctx.env);
  if (values.remove?.length && !values.append) throw new UsageError('--remove goes with --append');
  const tree = await treeFromPaths(positionals);
  if (values.append) return appendFiles(ctx, tree, image, options, values.remove ?? []);
  const { plan: p, summary } = plan(tree, image);
  const stop = ctx.watchProgress();
  try {
    const b = unwrap(await ctx.service.burnFiles(ctx.recorderId, tree.root, image, options, p));
    return {
      ok: true,
      text: `${reportText(summary, tree.skipped)}\n${burnText(b)}`,
      json: { burn: b, plan: summary, skipped: tree.skipped },
    };
  } finally {
    stop();
  }
}

/**
 * `burn DIR... --append [--remove PATH]...`: a new session with the disc's
 * newest tree, these files laid over it and the removed paths taken out (a
 * blank disc simply gets its first session).
 */
async function appendFiles(
  ctx: CommandContext,
  tree: WalkedTree,
  image: FileImageOptions,
  options: BurnOptions,
  removals: readonly string[],
): Promise<Outcome> {
  const s = ctx.service;
  const media = unwrap(await s.getMedia(ctx.recorderId));
  const planned =
    media.status === 'blank'
      ? undefined
      : await planAppend(s.discReader(ctx.recorderId), media, tree.root, removals, image);
  const stop = ctx.watchProgress();
  try {
    const b = unwrap(
      await s.burnFiles(ctx.recorderId, tree.root, image, options, undefined, {
        remove: removals,
        ...(planned ? { planned } : {}),
      }),
    );
    const edits = planned?.edits ?? [];
    const lines = edits.map((e) => `  ${e.kind} ${e.path}`);
    const where = planned
      ? planned.grow
        ? `grown in place from sector ${planned.startSector}`
        : `new session from sector ${planned.startSector}`
      : 'first session';
    return {
      ok: true,
      text: [
        `${where}; ${edits.length} change${edits.length === 1 ? '' : 's'}:`,
        ...lines,
        burnText(b),
      ].join('\n'),
      json: {
        burn: b,
        session: { startSector: planned?.startSector ?? 0, grown: planned?.grow ?? false, edits },
      },
    };
  } finally {
    stop();
  }
}
