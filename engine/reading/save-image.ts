/**
 * Saving a disc's sectors to an image, as GNU ddrescue and ImgBurn's Read
 * mode do: large READ(10)s in order, the image write of one chunk overlapped
 * with the read of the next; an unreadable chunk (MEDIUM ERROR, sense key 3)
 * is narrowed down to its bad sectors (the sense INFORMATION field names the
 * first, SPC-4 §4.5.2.2; else bisection), each retried with growing pauses
 * (`retries` reads in all); then either stop at the first bad LBA, or
 * zero-fill it and go on, recording it in the rescue map. Every other error
 * (no disc, the drive gone, cancel) stops at once. Whatever stops the save,
 * the map says what the image holds, so a later save resumes there.
 */
import type { Progress, SaveOptions, SaveReport } from '../../contract/api.ts';
import {
  CancelledError,
  ScsiCommandError,
  WebdiscError,
} from '../../usb-mass-storage/src/errors.ts';
import { read10 } from '../../usb-mass-storage/src/scsi/sbc.ts';
import type { ScsiDrive } from '../../usb-mass-storage/src/scsi/scsi-drive.ts';
import { delay, type AbortSignalLike } from '../../usb-mass-storage/src/timers.ts';
import type { Digests } from './digests.ts';
import { RescueMap } from './rescue-map.ts';

const SECTOR = 2048;

/** Where the image goes: written at offsets; read back only to hash a resumed save's earlier part. */
export interface ImageSink {
  write(offset: number, bytes: Uint8Array): Promise<void>;
  read?(offset: number, length: number): Promise<Uint8Array>;
}

export interface SaveContext {
  readonly drive: ScsiDrive;
  readonly signal: AbortSignalLike;
  progress(p: Progress): void;
  now?(): number;
}

export interface SaveHooks {
  /** The map to resume from (what an earlier save of this range wrote). */
  readonly resume?: RescueMap;
  /** Called with the map whenever it changes much, and at the end (also on failure). */
  readonly onMap?: (map: RescueMap, position: number) => void | Promise<void>;
  /** Hashes of the image; the caller's (node:crypto in Node) or none. */
  readonly digests?: Digests;
  /**
   * With `resume`: `digests` already hold this many sectors from the range's
   * start, in order (a save resumed with the hashes it had when it stopped,
   * engine/reading/file-saves.ts). They go on from there; what the map says
   * is done below it is not hashed again.
   */
  readonly hashedSectors?: number;
  /**
   * Sectors that replace what the disc holds from `start` (whole sectors):
   * a copy's newest volume descriptors at sector 16 (sessions.ts
   * newestVolumeDescriptors). Written and hashed in place of the disc's.
   */
  readonly overlay?: { readonly start: number; readonly bytes: Uint8Array };
}

/** A save stopped at an unreadable sector (continuePastErrors was off). */
export class UnreadableSectorError extends WebdiscError {
  constructor(
    readonly lba: number,
    options?: { cause?: unknown },
  ) {
    super(
      'HRESULT_FROM_WIN32_ERROR_CRC',
      `Sector ${lba} cannot be read (the disc may be scratched or dirty). What was read so far is kept; choose "continue past errors" to save the rest with this sector zero-filled.`,
      options,
    );
  }
}

/** A read that failed because of the medium (MEDIUM ERROR), not the drive or the host. */
function unreadable(error: unknown): number | null | undefined {
  if (!(error instanceof ScsiCommandError) || error.sense?.key !== 3) return undefined;
  return error.sense.information ?? null;
}

export interface SaveRange {
  readonly start: number;
  readonly count: number;
  /** Sectors not read but written as zeros (between sessions: see disc-range.ts). */
  readonly gaps?: readonly { readonly start: number; readonly count: number }[];
}

export async function saveImage(
  ctx: SaveContext,
  range: SaveRange,
  sink: ImageSink,
  options: SaveOptions = {},
  hooks: SaveHooks = {},
): Promise<SaveReport> {
  const now = ctx.now ?? (() => Date.now());
  const started = now();
  const chunkSectors = options.chunkSectors ?? 512;
  const retries = options.retries ?? 4;
  if (!Number.isInteger(chunkSectors) || chunkSectors < 1 || chunkSectors > 0xffff)
    throw new WebdiscError('E_INVALIDARG', `chunkSectors must be 1..65535, not ${chunkSectors}`);
  if (!Number.isInteger(retries) || retries < 1 || retries > 100)
    throw new WebdiscError('E_INVALIDARG', `retries must be 1..100, not ${retries}`);
  const map = hooks.resume ?? RescueMap.fresh(range.start, range.count);
  if (map.start !== range.start || map.count !== range.count) {
    throw new WebdiscError(
      'E_INVALIDARG',
      `The rescue map is for LBAs ${map.start}..${map.start + map.count - 1}, not ${range.start}..${range.start + range.count - 1}.`,
    );
  }
  const resumed = hooks.resume !== undefined && map.sectors('?') + map.sectors('-') < map.count;
  let digests = hooks.digests;
  let sectorsRead = 0;
  let position = range.start;
  let pendingWrite: Promise<void> | undefined;
  let lastMapAt = now();
  const end = range.start + range.count;

  const report = () => {
    const elapsedMs = now() - started;
    const done = position - range.start;
    const fraction = range.count ? done / range.count : 1;
    const rate = elapsedMs > 0 ? (sectorsRead * SECTOR * 1000) / elapsedMs : null;
    ctx.progress({
      action: 'reading',
      fraction,
      elapsedMs,
      remainingMs: rate ? Math.round(((end - position) * SECTOR * 1000) / rate) : null,
      startLba: range.start,
      sectorCount: range.count,
      position,
      badSectors: map.sectors('-'),
      bytesPerSecond: rate,
    });
  };
  const saveMap = async (force = false) => {
    if (!hooks.onMap || (!force && now() - lastMapAt < 2000)) return;
    lastMapAt = now();
    await hooks.onMap(map, position);
  };
  /** `data` from `lba` with hooks.overlay's sectors in place of the disc's. */
  const overlaid = (lba: number, data: Uint8Array): Uint8Array => {
    const o = hooks.overlay;
    if (!o) return data;
    const from = Math.max(lba, o.start);
    const to = Math.min(lba + data.length / SECTOR, o.start + o.bytes.length / SECTOR);
    if (from >= to) return data;
    const out = data.slice();
    out.set(
      o.bytes.subarray((from - o.start) * SECTOR, (to - o.start) * SECTOR),
      (from - lba) * SECTOR,
    );
    return out;
  };
  /** Writes (and hashes, in order) sectors from `lba`; the write runs while the next read does. */
  const put = async (lba: number, read: Uint8Array) => {
    const data = overlaid(lba, read);
    digests?.update(data);
    const previous = pendingWrite;
    pendingWrite = undefined;
    await previous;
    pendingWrite = sink.write((lba - range.start) * SECTOR, data);
    pendingWrite.catch(() => {}); // awaited by the next put or at the end
  };
  const flush = async () => {
    const w = pendingWrite;
    pendingWrite = undefined;
    await w;
  };
  const read = async (lba: number, n: number) =>
    (await ctx.drive.run(read10({ lba, blocks: n }), { signal: ctx.signal })).data;

  /** One sector, `retries` times with growing pauses: its bytes, or undefined if it stays unreadable. */
  const readSector = async (lba: number): Promise<Uint8Array | undefined> => {
    for (let attempt = 0; attempt < retries; attempt++) {
      if (attempt > 0) await delay(Math.min(2000, 50 * 2 ** (attempt - 1)), ctx.signal);
      try {
        return await read(lba, 1);
      } catch (error) {
        if (unreadable(error) === undefined) throw error;
      }
    }
    return undefined;
  };

  /** Reads `n` sectors from `lba` into the image, narrowing a failure down to its bad sectors. */
  const readRange = async (lba: number, n: number): Promise<void> => {
    if (ctx.signal.aborted) throw new CancelledError('Saving the disc was cancelled.');
    let data: Uint8Array | undefined;
    let badAt: number | null | undefined;
    try {
      data = await read(lba, n);
    } catch (error) {
      badAt = unreadable(error);
      if (badAt === undefined) throw error;
    }
    if (data) {
      await put(lba, data);
      map.mark(lba, n, '+');
      sectorsRead += n;
      position = lba + n;
      return;
    }
    if (n === 1) {
      const sector = await readSector(lba);
      if (sector) {
        await put(lba, sector);
        map.mark(lba, 1, '+');
        sectorsRead++;
      } else {
        map.mark(lba, 1, '-');
        if (!options.continuePastErrors) {
          position = lba;
          throw new UnreadableSectorError(lba);
        }
        await put(lba, new Uint8Array(SECTOR));
      }
      position = lba + 1;
      return;
    }
    // The drive names the first bad sector (INFORMATION): read up to it, then it, then the rest.
    const at =
      badAt !== null && badAt !== undefined && badAt >= lba && badAt < lba + n ? badAt : undefined;
    if (at !== undefined) {
      if (at > lba) await readRange(lba, at - lba);
      await readRange(at, 1);
      if (at + 1 < lba + n) await readRange(at + 1, lba + n - at - 1);
      return;
    }
    const half = Math.floor(n / 2);
    await readRange(lba, half);
    await readRange(lba + half, n - half);
  };

  // Sectors below this are in `digests` already (a resume that kept its hashes).
  const hashedEnd = range.start + (hooks.resume ? (hooks.hashedSectors ?? 0) : 0);
  // Hashed as zeros but to be read again (unreadable last time): those hashes are wrong.
  if (map.blocks().some((b) => b.status !== '+' && b.start < hashedEnd)) digests = undefined;
  try {
    for (const block of map.blocks()) {
      if (block.status === '+') {
        // Resumed: already in the image. Hash what the digests lack from the image, or give up on hashes.
        const from = Math.max(block.start, hashedEnd);
        const blockEnd = block.start + block.count;
        if (digests && from < blockEnd) {
          if (!sink.read) digests = undefined;
          else {
            for (let at = from; at < blockEnd; at += chunkSectors) {
              const n = Math.min(chunkSectors, blockEnd - at);
              await flush();
              digests.update(await sink.read((at - range.start) * SECTOR, n * SECTOR));
            }
          }
        }
        position = block.start + block.count;
        continue;
      }
      // Not tried, or unreadable last time: (re)read it, but for the gaps between sessions.
      const blockEnd = block.start + block.count;
      for (let at = block.start; at < blockEnd;) {
        const gap = range.gaps?.find((g) => at >= g.start && at < g.start + g.count);
        if (gap) {
          const n = Math.min(chunkSectors, gap.start + gap.count - at, blockEnd - at);
          await put(at, new Uint8Array(n * SECTOR));
          map.mark(at, n, '+');
          at += n;
          position = at;
          continue;
        }
        const nextGap = range.gaps?.find((g) => g.start > at)?.start ?? Infinity;
        const n = Math.min(chunkSectors, blockEnd - at, nextGap - at);
        await readRange(at, n);
        at += n;
        report();
        await saveMap();
      }
    }
    await flush();
  } catch (error) {
    await flush().catch(() => {});
    await hooks.onMap?.(map, position);
    throw error;
  }
  await hooks.onMap?.(map, end);
  report();
  const hashes = digests?.digest();
  const bad = map.ranges('-');
  return {
    startLba: range.start,
    sectors: range.count,
    bytes: range.count * SECTOR,
    durationMs: now() - started,
    badRanges: bad,
    badSectors: map.sectors('-'),
    sha256: hashes?.sha256 ?? null,
    md5: hashes?.md5 ?? null,
    sectorsRead,
    resumed,
  };
}
