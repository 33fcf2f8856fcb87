/**
 * Burning an image (the model is IMAPI2's IDiscFormat2Data): validate the
 * medium and the image, set write parameters, stream WRITE(10) at the next
 * writable address while watching the drive's buffer, then SYNCHRONIZE CACHE
 * and close the track and session (or finalize), and verify.
 *
 * The engine runs with the recorder's lock held (the Recorder takes it with
 * the caller's client name, as IDiscFormat2Data::Write does); it talks to the
 * drive through ScsiDrive, so 2/04/08 (buffer full) is retried with backoff
 * and NOT READY is polled, by the one sense table.
 */
import type { ScsiDrive } from '../../usb-mass-storage/src/scsi/scsi-drive.ts';
import { CancelledError, WebdiscError } from '../../usb-mass-storage/src/errors.ts';
import {
  CloseFunction,
  TrackAddressType,
  closeTrackSession,
  parseBufferCapacity,
  parseTrackInformation,
  readBufferCapacity,
  readTrackInformation,
  reserveTrack,
  sendCueSheet,
  dataTrackCueSheet,
  MIN_CD_TRACK_SECTORS,
  setCdSpeed,
  INVISIBLE_TRACK,
} from '../../usb-mass-storage/src/scsi/mmc.ts';
import {
  ModePageCode,
  MultiSession,
  WriteType,
  encodeModeParameterList,
  encodeWriteParameters,
  findModePage,
  parseModeParameterList,
  parseWriteParameters,
} from '../../usb-mass-storage/src/scsi/mode-pages.ts';
import { modeSelect10, modeSense10 } from '../../usb-mass-storage/src/scsi/spc.ts';
import { read10, synchronizeCache10, write10 } from '../../usb-mass-storage/src/scsi/sbc.ts';
import type { AbortSignalLike } from '../../usb-mass-storage/src/timers.ts';
import type {
  BurnAction,
  BurnOptions,
  BurnProgress,
  BurnReport,
  MediaState,
  RecorderInfo,
  VerifyMode,
} from '../../contract/api.ts';
import { formatRequest } from './erase.ts';
import { writeFamilyOf } from '../../contract/profiles.ts';
import { Sha256 } from './sha256.ts';
import { SECTOR, sectorChunks, sectorsFor, type ImageSource } from './source.ts';

export interface BurnContext {
  readonly drive: ScsiDrive;
  readonly signal: AbortSignalLike;
  /** A fresh read of the medium. */
  media(): Promise<MediaState>;
  info(): Promise<RecorderInfo>;
  progress(p: BurnProgress): void;
}

/** A WRITE carries this much by default: big enough to keep the bus busy, small enough to cancel promptly. */
export const DEFAULT_CHUNK_SECTORS = 128;

function fail(name: ConstructorParameters<typeof WebdiscError>[0], message: string): WebdiscError {
  return new WebdiscError(name, message);
}

/** A failure that also says where the burn stopped and what the disc is now. */
export class OperationError extends WebdiscError {
  readonly lastWrittenLba: number | null;
  disc: MediaState | null = null;
  constructor(cause: WebdiscError, lastWrittenLba: number | null) {
    super(cause.hresultName, cause.message, { cause, sense: cause.sense });
    this.lastWrittenLba = lastWrittenLba;
  }
}

/** FNV-1a, 32 bits: a cheap per-chunk fingerprint for one-pass sources (quick verify, locating a bad chunk). */
function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

class Clock {
  readonly started = Date.now();
  #lastEmit = 0;
  elapsed(): number {
    return Date.now() - this.started;
  }
  /** At most ~10 progress events a second, except when the action changes. */
  due(force: boolean): boolean {
    const now = Date.now();
    if (!force && now - this.#lastEmit < 100) return false;
    this.#lastEmit = now;
    return true;
  }
}

export async function burnImage(
  ctx: BurnContext,
  source: ImageSource,
  options: BurnOptions,
): Promise<BurnReport> {
  const { drive, signal } = ctx;
  const clock = new Clock();
  let action: BurnAction = 'validating';
  let startLba = 0;
  let sectorCount = source.size === undefined ? 0 : sectorsFor(source.size);
  let lastWritten: number | null = null;
  let bufferFill: number | null = null;
  let fraction: number | null = 0;
  const report = (next: BurnAction, f: number | null = fraction, force = false) => {
    const changed = next !== action;
    action = next;
    fraction = f;
    if (!clock.due(changed || force)) return;
    const elapsedMs = clock.elapsed();
    ctx.progress({
      action,
      fraction: f,
      elapsedMs,
      remainingMs: f && f > 0 && f < 1 ? Math.round((elapsedMs / f) * (1 - f)) : null,
      startLba,
      sectorCount,
      lastWrittenLba: lastWritten,
      bufferFill,
    });
  };
  const checkCancel = () => {
    if (signal.aborted) throw new CancelledError('The burn was cancelled.');
  };

  report('validating', 0, true);
  const verifyMode: VerifyMode = options.verify ?? 'none';
  const chunkSectors = options.chunkSectors ?? DEFAULT_CHUNK_SECTORS;
  if (!Number.isInteger(chunkSectors) || chunkSectors < 1 || chunkSectors > 0xffff) {
    throw fail('E_INVALIDARG', `chunkSectors must be 1..65535, not ${chunkSectors}`);
  }

  // -- the medium --------------------------------------------------------
  let media = await ctx.media();
  if (!media.present)
    throw fail('E_IMAPI_RECORDER_MEDIA_NO_MEDIA', 'There is no disc in the drive.');
  const profile = media.profile?.code ?? 0;
  const family = writeFamilyOf(profile);
  if (!family) {
    throw fail(
      'E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED',
      `${media.profile?.name ?? 'This medium'} cannot be written (${media.physicalType}).`,
    );
  }
  const info = await ctx.info();
  const close = options.close ?? false;
  const simulate = options.simulate ?? false;
  if (simulate && (family === 'plus-r' || family === 'random' || !info.capabilities.testWrite)) {
    throw fail(
      'E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED',
      `${media.profile?.name ?? 'This medium'} has no test write (simulation) on this drive.`,
    );
  }

  if (family === 'random') {
    if (media.status === 'blank') {
      // A DVD+RW or BD-RE from the box needs a format first (MMC-6 §6.5).
      report('formatting', null, true);
      await drive.run(formatRequest(profile, 'quick'), { signal });
      await drive.waitReady({
        signal,
        onProgress: (f) => report('formatting', f),
        notReadyBudgetMs: 3 * 3600_000,
      });
      media = await ctx.media();
    }
    startLba = options.startLba ?? 0;
  } else {
    if (media.status === 'complete') {
      throw fail(
        'E_IMAPI_DF2DATA_MEDIA_NOT_BLANK',
        `The ${media.profile?.name ?? 'disc'} is closed: nothing more can be written${media.erasable ? ' until it is erased' : ''}.`,
      );
    }
    if (options.startLba !== undefined) {
      throw fail(
        'E_INVALIDARG',
        'A start LBA can be chosen only on random-writable media (DVD+RW, BD-RE).',
      );
    }
    if (media.nextWritableAddress === null) {
      throw fail(
        'E_IMAPI_DF2DATA_INVALID_MEDIA_STATE',
        'The drive reports no next writable address on this disc.',
      );
    }
    startLba = media.nextWritableAddress;
  }
  const free = family === 'random' ? media.capacityBlocks - startLba : media.freeBlocks;
  if (source.size !== undefined && sectorsFor(source.size) > free) {
    throw fail(
      'E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA',
      `The image needs ${sectorsFor(source.size)} sectors; the disc has ${free} free from LBA ${startLba}.`,
    );
  }
  if (source.size === 0) throw fail('E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED', 'The image is empty.');

  // -- speed: the choices come from the drive -----------------------------
  let speedKBps: number | null = null;
  if (options.speedKBps !== undefined) {
    const choices = [...info.capabilities.writeSpeedsKBps].sort((a, b) => b - a);
    if (choices.length === 0) {
      throw fail(
        'E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED',
        'The drive reports no write speeds to choose from.',
      );
    }
    // IMAPI adjusts an unsupported speed to one the drive has (S_IMAPI_SPEEDADJUSTED): the fastest not above it.
    speedKBps = choices.find((s) => s <= options.speedKBps!) ?? choices.at(-1)!;
    const r = await drive.run(setCdSpeed({ writeSpeed: Math.min(speedKBps, 0xffff) }), {
      signal,
      allowCheckCondition: true,
    });
    if (r.status !== 'good') speedKBps = null; // the drive keeps its own speed
  }

  // -- write parameters (page 05h: CD and DVD-R/-RW only) ------------------
  let writeType: BurnReport['writeType'] = family === 'random' ? 'random' : 'incremental';
  /** CD session-at-once: the cue sheet fixes the track length; it is at least 4 s (300 blocks). */
  let saoSectors = 0;
  if (family === 'cd' || family === 'dvd-minus') {
    const dao =
      family === 'dvd-minus' && close && media.status === 'blank' && source.size !== undefined;
    const sao = family === 'cd' && options.writeType === 'sao';
    if (sao && (media.status !== 'blank' || source.size === undefined)) {
      throw fail(
        'E_IMAPI_DF2DATA_INVALID_MEDIA_STATE',
        'Session-at-once needs a blank CD and an image of known size (the cue sheet is sent first).',
      );
    }
    writeType = family === 'cd' ? (sao ? 'sao' : 'tao') : dao ? 'dao' : 'incremental';
    const sense = await drive.run(modeSense10({ pageCode: ModePageCode.WriteParameters }), {
      signal,
    });
    const list = parseModeParameterList(sense.data);
    const page = findModePage(list, ModePageCode.WriteParameters);
    if (!page)
      throw fail(
        'E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE',
        'The drive has no write parameters page (05h).',
      );
    const current = parseWriteParameters(page);
    const next = encodeWriteParameters({
      ...current,
      ps: false,
      // Buffer-underrun protection on wherever the drive has it.
      bufe: info.capabilities.bufferUnderrunProtection,
      testWrite: simulate,
      writeType:
        sao || dao
          ? WriteType.SessionAtOnce
          : family === 'cd'
            ? WriteType.TrackAtOnce
            : WriteType.Packet,
      // Next session allowed unless the caller closes the disc (MMC-6 §7.5.4.4).
      multiSession: close ? MultiSession.Closed : MultiSession.Open,
      trackMode: 4,
      dataBlockType: 8,
      fixedPacket: false,
    });
    const select = encodeModeParameterList(
      {
        mediumType: 0,
        deviceSpecific: 0,
        longLba: false,
        blockDescriptors: new Uint8Array(0),
        pages: [next],
      },
      { select: true },
    );
    await drive.run(modeSelect10(select), { signal });
    if (dao) await drive.run(reserveTrack({ size: sectorCount }), { signal });
    if (sao) {
      // MMC-6 §6.33: the cue sheet describes the whole session before any data.
      saoSectors = Math.max(MIN_CD_TRACK_SECTORS, sectorCount);
      await drive.run(sendCueSheet(dataTrackCueSheet({ sectors: saoSectors })), { signal });
    }
  }

  // -- writing -------------------------------------------------------------
  const imageHash = verifyMode === 'full' ? new Sha256() : undefined;
  const fingerprints: number[] = [];
  let lba = startLba;
  let writes = 0;
  report('calibrating', 0, true);
  try {
    const chunks = sectorChunks(source.stream(), chunkSectors * SECTOR)[Symbol.asyncIterator]();
    let next = chunks.next();
    for (;;) {
      checkCancel();
      const item = await next;
      if (item.done) break;
      next = chunks.next(); // read ahead while the drive writes
      const chunk = item.value;
      const sectors = chunk.length / SECTOR;
      if (source.size === undefined && lba + sectors - startLba > free) {
        throw fail(
          'E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA',
          `The image outgrew the disc's ${free} free sectors at LBA ${lba}.`,
        );
      }
      imageHash?.update(chunk);
      if (verifyMode !== 'none' && !source.readAt) fingerprints.push(fnv1a(chunk));
      await drive.run(write10({ lba, data: chunk }), { signal });
      lba += sectors;
      lastWritten = lba - 1;
      writes++;
      if (writes % 32 === 0) {
        const cap = await drive.run(readBufferCapacity(), { signal, allowCheckCondition: true });
        if (cap.status === 'good') {
          const b = parseBufferCapacity(cap.data);
          bufferFill = b.bufferLength > 0 ? 1 - b.availableLength / b.bufferLength : null;
        }
      }
      if (source.size === undefined) sectorCount = lba - startLba;
      report('writing', sectorCount ? (lba - startLba) / sectorCount : null);
    }
    sectorCount = lba - startLba;
    if (writeType === 'sao' && lba - startLba < saoSectors) {
      // The cue sheet promised a 300-block minimum track: fill it with zeros.
      const pad = new Uint8Array((saoSectors - (lba - startLba)) * SECTOR);
      await drive.run(write10({ lba, data: pad }), { signal });
      lba += pad.length / SECTOR;
      lastWritten = lba - 1;
    }

    // -- finalizing --------------------------------------------------------
    report('finalizing', null, true);
    await drive.run(synchronizeCache10({ immed: true }), { signal });
    await drive.waitReady({ signal, onProgress: (f) => report('finalizing', f) });
    // SAO and DAO sessions close themselves on SYNCHRONIZE CACHE (MMC-6 §4.5.6).
    if (family !== 'random' && writeType !== 'sao') {
      const track = await invisibleOrLastTrack(drive, signal);
      if (writeType !== 'dao' && track !== undefined) {
        await drive.run(
          closeTrackSession({ closeFunction: CloseFunction.Track, number: track, immed: true }),
          { signal },
        );
        await drive.waitReady({ signal, onProgress: (f) => report('finalizing', f) });
      }
      const fn = family === 'plus-r' && close ? CloseFunction.Finalize : CloseFunction.Session;
      if (writeType !== 'dao') {
        await drive.run(closeTrackSession({ closeFunction: fn, immed: true }), { signal });
        await drive.waitReady({
          signal,
          onProgress: (f) => report('finalizing', f),
          notReadyBudgetMs: 30 * 60_000,
        });
      }
    }
  } catch (error) {
    throw new OperationError(
      error instanceof WebdiscError ? error : fail('E_FAIL', String(error)),
      lastWritten,
    );
  }

  // -- verifying -------------------------------------------------------------
  let sha256: string | null = null;
  if (verifyMode !== 'none' && !simulate) {
    report('verifying', 0, true);
    try {
      sha256 = await verify(
        ctx,
        source,
        startLba,
        sectorCount,
        chunkSectors,
        verifyMode,
        imageHash,
        fingerprints,
        (f) => report('verifying', f),
      );
    } catch (error) {
      throw new OperationError(
        error instanceof WebdiscError ? error : fail('E_FAIL', String(error)),
        lastWritten,
      );
    }
  }
  report('completed', 1, true);
  return {
    startLba,
    sectorCount,
    lastWrittenLba: lastWritten,
    durationMs: clock.elapsed(),
    verify: simulate ? 'none' : verifyMode,
    sha256,
    simulated: simulate,
    writeType,
    speedKBps,
    closed: close,
    disc: await ctx.media(),
  };
}

/** The track number writing went into (the incomplete "invisible" track, or the last one). */
async function invisibleOrLastTrack(
  drive: ScsiDrive,
  signal: AbortSignalLike,
): Promise<number | undefined> {
  const r = await drive.run(
    readTrackInformation({ addressType: TrackAddressType.Track, address: INVISIBLE_TRACK }),
    {
      signal,
      allowCheckCondition: true,
    },
  );
  if (r.status !== 'good') return undefined;
  return parseTrackInformation(r.data).trackNumber;
}

/**
 * Reads the written sectors back. Full: every chunk, compared with the source
 * byte for byte when it can be re-read, else by fingerprint; the SHA-256 of
 * what the disc holds must equal the image's. Quick: a sample of chunks
 * (first, last and evenly spaced). The first bad LBA is exact when the source
 * can be re-read, else the first sector of the first bad chunk.
 */
async function verify(
  ctx: BurnContext,
  source: ImageSource,
  startLba: number,
  sectors: number,
  chunkSectors: number,
  mode: VerifyMode,
  imageHash: Sha256 | undefined,
  fingerprints: readonly number[],
  progress: (f: number) => void,
): Promise<string | null> {
  const chunks = Math.ceil(sectors / chunkSectors);
  const sample =
    mode === 'full'
      ? undefined
      : new Set([
          0,
          chunks - 1,
          ...Array.from({ length: 16 }, (_, i) => Math.floor((i * chunks) / 16)),
        ]);
  const discHash = mode === 'full' ? new Sha256() : undefined;
  const size = source.size ?? sectors * SECTOR;
  let done = 0;
  for (let c = 0; c < chunks; c++) {
    if (ctx.signal.aborted) throw new CancelledError('Verification was cancelled.');
    if (sample && !sample.has(c)) continue;
    const lba = startLba + c * chunkSectors;
    const n = Math.min(chunkSectors, sectors - c * chunkSectors);
    const r = await ctx.drive.run(read10({ lba, blocks: n }), { signal: ctx.signal });
    const disc = r.data;
    discHash?.update(disc.subarray(0, Math.min(disc.length, size - c * chunkSectors * SECTOR)));
    if (source.readAt) {
      const offset = c * chunkSectors * SECTOR;
      const expected = await source.readAt(offset, n * SECTOR);
      for (let i = 0; i < n * SECTOR; i++) {
        const want = i < expected.length ? expected[i]! : 0;
        if (disc[i] !== want) {
          throw badLba(lba + Math.floor(i / SECTOR), 'the sector read back differs from the image');
        }
      }
    } else if (fingerprints[c] !== undefined && fnv1a(disc) !== fingerprints[c]) {
      throw badLba(lba, `a sector in LBAs ${lba}..${lba + n - 1} differs from the image`);
    }
    done++;
    progress(sample ? done / sample.size : (c + 1) / chunks);
  }
  if (imageHash && discHash) {
    const want = hex(imageHash.digest());
    const got = hex(discHash.digest());
    if (want !== got)
      throw badLba(startLba, `the disc's SHA-256 ${got} is not the image's ${want}`);
    return want;
  }
  return null;
}

function badLba(lba: number, why: string): WebdiscError {
  const e = new WebdiscError(
    'E_IMAPI_BURN_VERIFICATION_FAILED',
    `Verification failed at LBA ${lba}: ${why}.`,
  );
  return Object.assign(e, { firstBadLba: lba });
}
