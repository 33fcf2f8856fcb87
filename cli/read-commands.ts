/**
 * Getting things back from a disc: `save` (the disc as an image, with a
 * GNU ddrescue map of what could not be read, resumable), `ls`, `extract`
 * (files and folders, never outside DEST), and `verify` (the disc against
 * an image or a folder, naming the first difference).
 */
import { synopsis } from './help.ts';
import { createHash } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import {
  lstat,
  mkdir,
  open,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { DiscFileEntry, DiscRange, FileTreeEntry, SaveReport } from '../contract/api.ts';
import { verifyAgainstFiles, verifyAgainstImage } from '../engine/reading/disc-access.ts';
import { WebdiscError } from '../usb-mass-storage/src/errors.ts';
import { openVolume, type DiscVolume, type VolumeEntry } from '../engine/reading/disc-files.ts';
import { RescueMap } from '../engine/reading/rescue-map.ts';
import { commandArgs, unwrap, UsageError, wholeNumber, type Outcome } from './args.ts';
import { inputFile, outputFile } from './paths.ts';
import { newestFilesStart, sessionStart } from '../engine/reading/sessions.ts';
import { verifyChecksums } from '../engine/reading/verify-checksums.ts';
import type { CommandContext } from './burn-commands.ts';
import { nodeDigests } from './digests.ts';

function positiveInt(value: string | undefined, option: string): number | undefined {
  return value === undefined ? undefined : wholeNumber(value, option, 1);
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** The disc's sectors as an image file: written at offsets into IMAGE.part, read back to hash a resume. */
async function fileSink(path: string) {
  const handle = await open(path, 'a+').then(async (h) => {
    await h.close();
    return open(path, 'r+');
  });
  return {
    handle,
    async write(offset: number, bytes: Uint8Array) {
      let at = 0;
      while (at < bytes.length)
        at += (await handle.write(bytes, at, bytes.length - at, offset + at)).bytesWritten;
    },
    async read(offset: number, length: number) {
      const out = new Uint8Array(length);
      let at = 0;
      while (at < length) {
        const { bytesRead } = await handle.read(out, at, length - at, offset + at);
        if (bytesRead === 0) break;
        at += bytesRead;
      }
      return out;
    },
  };
}

// One synopsis per command, from the help table (cli/help.ts).
const SAVE_USAGE = synopsis('save');

/**
 * `save IMAGE`: the image goes to IMAGE.part and its map to IMAGE.map; the
 * part is renamed to IMAGE when every sector was read (or, with
 * --continue, tried). After a failure or Ctrl+C both stay: the same command
 * resumes where the map says, re-reading only what is missing.
 */
export async function saveCommand(ctx: CommandContext, args: readonly string[]): Promise<Outcome> {
  const { values, positionals } = commandArgs(
    args,
    SAVE_USAGE,
    {
      session: { type: 'string' },
      track: { type: 'string' },
      continue: { type: 'boolean' },
      retries: { type: 'string' },
      'chunk-sectors': { type: 'string' },
      'for-copy': { type: 'boolean' },
    },
    [1, 1],
  );
  const image = positionals[0]!;
  if (values.session !== undefined && values.track !== undefined)
    throw new UsageError('save: --session and --track contradict each other');
  const session = positiveInt(values.session, '--session');
  const track = positiveInt(values.track, '--track');
  const range: DiscRange =
    session !== undefined
      ? { kind: 'session', session }
      : track !== undefined
        ? { kind: 'track', track }
        : { kind: 'disc' };
  const part = `${image}.part`;
  const mapPath = `${image}.map`;
  // Before IMAGE.part is made: a folder or FIFO at IMAGE, or no folder for it, is said at once.
  await outputFile(image, 'the image');
  const retries = positiveInt(values.retries, '--retries');
  const chunkSectors = positiveInt(values['chunk-sectors'], '--chunk-sectors');
  const options = {
    range,
    continuePastErrors: values.continue === true,
    ...(values['for-copy'] === true ? { newestVolumeFirst: true } : {}),
    ...(retries !== undefined ? { retries } : {}),
    ...(chunkSectors !== undefined ? { chunkSectors } : {}),
  };
  // A map and a part from an earlier run of this save: resume (the range must match).
  let resume: RescueMap | undefined;
  const previous = await readFile(mapPath, 'utf8').catch(() => undefined);
  const partThere = await stat(part)
    .then((s) => s.isFile())
    .catch(() => false);
  const sink = await fileSink(part);
  const digests = nodeDigests();
  let lastMap = '';
  const onSigint = () => void ctx.service.cancelOperation(ctx.recorderId);
  process.once('SIGINT', onSigint);
  const stop = ctx.watchProgress();
  let report: SaveReport;
  try {
    if (previous && partThere) {
      const m = /Rescue domain: LBAs (\d+)\.\.(\d+)/.exec(previous);
      if (m) resume = RescueMap.parse(previous, Number(m[1]), Number(m[2]) - Number(m[1]) + 1);
    }
    const result = await ctx.service.saveDisc(ctx.recorderId, sink, options, {
      ...(resume ? { resume } : {}),
      digests,
      onMap: async (map, position) => {
        const text = map.encode(position);
        if (text === lastMap) return;
        lastMap = text;
        const temp = `${mapPath}.tmp`;
        await writeFile(temp, text);
        await rename(temp, mapPath);
      },
    });
    if (!result.ok) {
      const e = result.error;
      if (!lastMap && !partThere) {
        // Nothing was read (no disc, a blank one, a bad option): leave nothing behind.
        await sink.handle.close();
        await rm(part, { force: true });
        return { ok: false, error: e };
      }
      const kept = `; what was read is in ${part} and ${mapPath}: run the same command again to resume`;
      return { ok: false, error: { ...e, message: e.message + kept } };
    }
    report = result.value;
    await sink.handle.truncate(report.bytes);
    await sink.handle.sync();
  } finally {
    stop();
    process.removeListener('SIGINT', onSigint);
    await sink.handle.close().catch(() => {});
  }
  await rename(part, image);
  if (report.badSectors === 0) await rm(mapPath, { force: true });
  const bad = report.badRanges.map((r) =>
    r.count === 1 ? `${r.start}` : `${r.start}-${r.start + r.count - 1}`,
  );
  const seconds = report.durationMs / 1000;
  const text = [
    `saved ${report.sectors} sectors from LBA ${report.startLba} (${mb(report.bytes)}) to ${image} in ${seconds.toFixed(1)} s` +
      ` (${((report.sectorsRead * 2048) / 1e6 / Math.max(seconds, 0.001)).toFixed(1)} MB/s${report.resumed ? ', resumed' : ''})`,
    report.sha256
      ? `SHA-256 ${report.sha256}\nMD5     ${report.md5}`
      : 'hashes: not computed (the earlier part could not be re-read)',
    ...(report.badSectors
      ? [
          `${report.badSectors} unreadable sectors, zero-filled: LBAs ${bad.join(', ')}; map in ${mapPath}`,
        ]
      : []),
    ...(report.newestVolume
      ? [
          `for a copy: the newest session's volume descriptors (LBA ${report.newestVolume.sessionStart + 16}) are at LBA 16`,
        ]
      : []),
  ].join('\n');
  return { ok: true, text, json: { save: report, image, map: report.badSectors ? mapPath : null } };
}

function discReader(ctx: CommandContext) {
  return ctx.service.discReader(ctx.recorderId);
}

/**
 * The file system of an image file, or of the disc's session `session`
 * (default: the newest, as a drive's TOC leads an OS to it).
 */
async function volumeOf(
  ctx: CommandContext,
  o: { image?: string | undefined; session?: string | undefined },
): Promise<DiscVolume> {
  const session = positiveInt(o.session, '--session');
  if (o.image) {
    if (session !== undefined)
      throw new UsageError('--session reads the disc in the drive, not --image');
    // Checked first: a FIFO would block the first read, a folder would read as no file system.
    await inputFile(o.image, 'the image');
    return openVolume(imageReader(o.image));
  }
  const media = unwrap(await ctx.service.getMedia(ctx.recorderId));
  const start = session !== undefined ? sessionStart(media, session) : newestFilesStart(media);
  return openVolume(discReader(ctx), start);
}

function entryLine(e: DiscFileEntry, long: boolean): string {
  const name =
    e.kind === 'dir'
      ? `${e.name}/`
      : e.kind === 'symlink'
        ? `${e.name} -> ${e.target ?? ''}`
        : e.name;
  if (!long) return name;
  const when =
    e.mtime === null
      ? '????-??-?? ??:??'
      : new Date(e.mtime).toISOString().slice(0, 16).replace('T', ' ');
  return `${e.kind === 'dir' ? 'd' : e.kind === 'symlink' ? 'l' : '-'} ${String(e.size).padStart(12)} ${when} ${name}`;
}

export async function lsCommand(ctx: CommandContext, args: readonly string[]): Promise<Outcome> {
  const { values, positionals } = commandArgs(
    args,
    synopsis('ls'),
    {
      long: { type: 'boolean', short: 'l' },
      image: { type: 'string' },
      session: { type: 'string' },
    },
    [0, 1],
  );
  const path = positionals[0] ?? '/';
  const volume = await volumeOf(ctx, values);
  const entry = await volume.stat(path);
  const entries = entry.kind === 'dir' ? await volume.list(path) : [entry];
  const plain = entries.map(({ entry: _e, ...rest }) => rest);
  return {
    ok: true,
    text: [
      `${volume.label || '(no label)'} (${volume.fileSystem})`,
      ...plain.map((e) => entryLine(e, values.long === true)),
    ].join('\n'),
    json: { volume: { label: volume.label, fileSystem: volume.fileSystem }, entries: plain },
  };
}

/** An image file as a SectorReader (for `ls --image`, `extract --image`). */
export function imageReader(path: string) {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  return {
    async read(sector: number, count: number) {
      handle ??= await open(path, 'r');
      const out = new Uint8Array(count * 2048);
      const { bytesRead } = await handle.read(out, 0, out.length, sector * 2048);
      return out.subarray(0, bytesRead);
    },
  };
}

/** Resolves `name` under `dest`, refusing anything that would land outside it. */
function inside(dest: string, ...parts: string[]): string {
  const target = resolve(dest, ...parts);
  const root = resolve(dest);
  if (target !== root && !target.startsWith(root + sep)) {
    throw new WebdiscError(
      'E_INVALIDARG',
      `"${parts.join('/')}" would be written outside ${dest}; nothing was written there.`,
    );
  }
  return target;
}

/**
 * Makes the folders from `dest` down to `rel` one at a time, refusing a
 * symbolic link or a file met on the way (issue 20, part 3): `inside()`
 * checks only the names, and mkdir/open follow a link someone planted in
 * DEST (DEST/sub -> /elsewhere), which would put the disc's files outside.
 */
async function realFolders(dest: string, rel: readonly string[]): Promise<void> {
  let at = resolve(dest);
  for (const part of rel) {
    at = join(at, part);
    const seen = await lstat(at).catch(() => null);
    if (!seen) {
      await mkdir(at);
      continue;
    }
    if (seen.isSymbolicLink() || !seen.isDirectory()) {
      throw new WebdiscError(
        'E_INVALIDARG',
        `${at} is ${seen.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}: nothing is extracted through it.`,
      );
    }
  }
}

async function extractFile(volume: DiscVolume, e: VolumeEntry, target: string): Promise<number> {
  const temp = join(dirname(target), `.${basename(target)}.webdisc-partial`);
  // 'wx': never through an existing file or link, never over the user's data.
  const handle = await open(temp, 'wx');
  let bytes = 0;
  try {
    for await (const chunk of volume.read(e)) {
      let at = 0;
      while (at < chunk.length)
        at += (await handle.write(chunk, at, chunk.length - at)).bytesWritten;
      bytes += chunk.length;
    }
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(temp, { force: true });
    throw error;
  }
  if (
    await lstat(target).then(
      () => true,
      () => false,
    )
  ) {
    await rm(temp, { force: true });
    throw new WebdiscError('E_INVALIDARG', `${target} already exists; it was left as it is.`);
  }
  await rename(temp, target);
  return bytes;
}

export async function extractCommand(
  ctx: CommandContext,
  args: readonly string[],
): Promise<Outcome> {
  const { values, positionals } = commandArgs(
    args,
    synopsis('extract'),
    { image: { type: 'string' }, session: { type: 'string' } },
    [2, Infinity],
  );
  const dest = positionals[positionals.length - 1]!;
  const paths = positionals.slice(0, -1);
  const volume = await volumeOf(ctx, values);
  const existing = await stat(dest).catch(() => undefined);
  if (existing && !existing.isDirectory())
    throw new WebdiscError(
      'IMAPI_E_INVALID_PATH',
      `Cannot extract into "${dest}": it is not a folder.`,
    );
  // Every path is found on the disc before DEST is made: a wrong one leaves no folder behind.
  const tops = [];
  for (const path of paths) tops.push({ path, top: await volume.stat(path) });
  await mkdir(dest, { recursive: true });
  let files = 0;
  let bytes = 0;
  for (const { path, top } of tops) {
    const base = top.path === '/' ? '' : top.path.slice(0, top.path.length - top.name.length);
    for await (const e of volume.walk(path)) {
      const rel = e.path.slice(base.length).split('/').filter(Boolean);
      const target = inside(dest, ...rel);
      await realFolders(dest, e.kind === 'dir' ? rel : rel.slice(0, -1));
      if (e.kind === 'dir') continue;
      if (e.kind === 'symlink') await symlink(e.target ?? '', target);
      else {
        bytes += await extractFile(volume, e, target);
        files++;
      }
    }
  }
  return {
    ok: true,
    text: `extracted ${files} file${files === 1 ? '' : 's'} (${mb(bytes)}) into ${dest}`,
    json: { extracted: { files, bytes, dest } },
  };
}

/** `verify IMAGE`: the disc from LBA 0 against the image, sector by sector; `verify DIR`: file by file. */
export async function verifyCommand(
  ctx: CommandContext,
  args: readonly string[],
): Promise<Outcome> {
  const usage = synopsis('verify');
  const { values, positionals } = commandArgs(
    args,
    usage,
    { checksums: { type: 'boolean' } },
    [0, 1],
  );
  if (values.checksums) {
    if (positionals.length) throw new UsageError(`usage: ${usage}`);
    return verifyRecorded(ctx);
  }
  if (positionals.length !== 1) throw new UsageError(`usage: ${usage}`);
  const target = positionals[0]!;
  const st = await stat(target).catch(() => null);
  if (!st) throw new WebdiscError('E_INVALIDARG', `"${target}" is not a file or folder.`);
  // A FIFO or an empty file would compare as 0 identical sectors: "the disc holds the image".
  if (!st.isDirectory() && (await inputFile(target, 'the image')) === 0)
    throw new WebdiscError(
      'E_INVALIDARG',
      `The image "${target}" is empty: there is nothing to compare.`,
    );
  const r = st.isDirectory()
    ? await verifyAgainstFiles(await volumeOf(ctx, {}), await folderTree(target))
    : await verifyAgainstImage(discReader(ctx), await openAsBlob(target));
  if (!r.same) throw new WebdiscError('E_IMAPI_BURN_VERIFICATION_FAILED', r.message);
  return {
    ok: true,
    text: r.message + (r.sha256 ? ` SHA-256 ${r.sha256}` : ''),
    json: { verify: r },
  };
}

/** A folder on disk as the tree verifyAgainstFiles compares (files as Blobs, read when compared). */
async function folderTree(dir: string): Promise<FileTreeEntry & { kind: 'dir' }> {
  const visit = async (path: string, name: string): Promise<FileTreeEntry & { kind: 'dir' }> => {
    const children: FileTreeEntry[] = [];
    for (const e of await readdir(path, { withFileTypes: true })) {
      const p = join(path, e.name);
      if (e.isDirectory()) children.push(await visit(p, e.name));
      else if (e.isSymbolicLink())
        children.push({ kind: 'symlink', name: e.name, target: await readlink(p) });
      else if (e.isFile()) children.push({ kind: 'file', name: e.name, blob: await openAsBlob(p) });
    }
    return { kind: 'dir', name, children };
  };
  return visit(dir, '');
}

const COPY_USAGE = synopsis('copy');

/** `copy --to ID`: the disc in this drive onto the blank disc in drive ID, at once. */
export async function copyCommand(ctx: CommandContext, args: readonly string[]): Promise<Outcome> {
  const { values } = commandArgs(args, COPY_USAGE, {
    to: { type: 'string' },
    session: { type: 'string' },
    track: { type: 'string' },
    continue: { type: 'boolean' },
    verify: { type: 'string' },
    close: { type: 'boolean' },
    name: { type: 'string' },
  });
  if (!values.to) {
    throw new UsageError(
      `copy: --to ID names the drive with the blank disc ("webdisc list"); with one drive: save IMAGE --for-copy, insert a blank disc, burn IMAGE`,
    );
  }
  const verify = values.verify ?? 'full';
  if (verify !== 'none' && verify !== 'quick' && verify !== 'full')
    throw new UsageError('--verify must be none, quick or full');
  const session = positiveInt(values.session, '--session');
  const track = positiveInt(values.track, '--track');
  const range: DiscRange =
    session !== undefined
      ? { kind: 'session', session }
      : track !== undefined
        ? { kind: 'track', track }
        : { kind: 'disc' };
  const onSigint = () => {
    void ctx.service.cancelOperation(ctx.recorderId);
    void ctx.service.cancelOperation(values.to!);
  };
  process.once('SIGINT', onSigint);
  const stop = ctx.watchProgress();
  try {
    const r = await ctx.service.copyDisc(
      ctx.recorderId,
      values.to,
      { range, continuePastErrors: values.continue === true },
      { clientName: values.name ?? ctx.clientName, verify, close: values.close === true },
    );
    if (!r.ok) return { ok: false, error: r.error };
    const { save, burn } = r.value;
    return {
      ok: true,
      text:
        `copied ${save.sectors} sectors (${mb(save.bytes)}) onto ${values.to} in ${(burn.durationMs / 1000).toFixed(1)} s; ` +
        `disc now ${burn.disc.status}${burn.sha256 ? `; verified, SHA-256 ${burn.sha256}` : ''}` +
        (save.badSectors ? `\n${save.badSectors} unreadable sectors were copied as zeros` : ''),
      json: { copy: r.value },
    };
  } finally {
    stop();
    process.removeListener('SIGINT', onSigint);
  }
}

/** `verify --checksums`: every session's files against the SHA-256 list it carries. */
async function verifyRecorded(ctx: CommandContext): Promise<Outcome> {
  const media = unwrap(await ctx.service.getMedia(ctx.recorderId));
  const r = await verifyChecksums(discReader(ctx), media, async () => {
    const h = createHash('sha256');
    return { update: (b) => void h.update(b), digest: () => h.digest('hex') };
  });
  if (r.checkedSessions === 0) {
    throw new WebdiscError(
      'E_INVALIDARG',
      'No session on this disc carries checksums (burn files with --checksums to record them); verify against the source instead: verify IMAGE|DIR.',
    );
  }
  return {
    ok: true,
    text: `${r.files} files (${mb(r.bytes)}) match their recorded SHA-256 in ${r.checkedSessions} of ${r.sessions} session${r.sessions === 1 ? '' : 's'}`,
    json: { verify: { checksums: r } },
  };
}
