/**
 * The burn's second step, prepare: format a blank DVD+RW/BD-RE, choose
 * where writing starts and check the image fits, set the speed the drive
 * offers, and the write parameters (page 05h, MMC-6 §7.5.4) with RESERVE
 * TRACK (DVD-R DAO) or SEND CUE SHEET (CD SAO).
 */
import {
  MIN_CD_TRACK_SECTORS,
  dataTrackCueSheet,
  reserveTrack,
  sendCueSheet,
  setCdSpeed,
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
import { fail, type BurnRun } from './burn-run.ts';
import { formatRequest } from './erase.ts';
import { sectorsFor } from './source.ts';

export async function prepare(run: BurnRun): Promise<void> {
  await chooseStart(run);
  await chooseSpeed(run);
  await setWriteParameters(run);
}

/** Where writing starts (the NWA, or the caller's LBA on random-writable media) and the fit. */
async function chooseStart(run: BurnRun): Promise<void> {
  const { drive, signal, options, source } = run;
  let media = run.media;
  if (run.family === 'random') {
    if (media.status === 'blank') {
      // A DVD+RW or BD-RE from the box needs a format first (MMC-6 §6.5).
      run.report('formatting', null, true);
      await drive.run(formatRequest(run.profile, 'quick'), { signal });
      await drive.waitReady({
        signal,
        onProgress: (f) => run.report('formatting', f),
        notReadyBudgetMs: 3 * 3600_000,
      });
      media = run.media = await run.ctx.media();
    }
    run.startLba = options.startLba ?? 0;
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
    run.startLba = media.nextWritableAddress;
  }
  run.free = run.family === 'random' ? media.capacityBlocks - run.startLba : media.freeBlocks;
  if (source.size !== undefined && sectorsFor(source.size) > run.free) {
    throw fail(
      'E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA',
      `The image needs ${sectorsFor(source.size)} sectors; the disc has ${run.free} free from LBA ${run.startLba}.`,
    );
  }
  if (source.size === 0) throw fail('E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED', 'The image is empty.');
}

/** The speed: the choices come from the drive. */
async function chooseSpeed(run: BurnRun): Promise<void> {
  const wanted = run.options.speedKBps;
  if (wanted === undefined) return;
  const choices = [...run.info.capabilities.writeSpeedsKBps].sort((a, b) => b - a);
  if (choices.length === 0) {
    throw fail(
      'E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED',
      'The drive reports no write speeds to choose from.',
    );
  }
  // IMAPI adjusts an unsupported speed to one the drive has (S_IMAPI_SPEEDADJUSTED): the fastest not above it.
  const speed = choices.find((s) => s <= wanted) ?? choices.at(-1)!;
  const r = await run.drive.run(setCdSpeed({ writeSpeed: Math.min(speed, 0xffff) }), {
    signal: run.signal,
    allowCheckCondition: true,
  });
  run.speedKBps = r.status === 'good' ? speed : null; // else the drive keeps its own speed
}

/** Page 05h: CD and DVD-R/-RW only; then RESERVE TRACK (DAO) or the cue sheet (SAO). */
async function setWriteParameters(run: BurnRun): Promise<void> {
  const { drive, signal, family, media, source, options } = run;
  run.writeType = family === 'random' ? 'random' : 'incremental';
  if (family !== 'cd' && family !== 'dvd-minus') return;
  const dao =
    family === 'dvd-minus' && run.close && media.status === 'blank' && source.size !== undefined;
  const sao = family === 'cd' && options.writeType === 'sao';
  if (sao && (media.status !== 'blank' || source.size === undefined)) {
    throw fail(
      'E_IMAPI_DF2DATA_INVALID_MEDIA_STATE',
      'Session-at-once needs a blank CD and an image of known size (the cue sheet is sent first).',
    );
  }
  run.writeType = family === 'cd' ? (sao ? 'sao' : 'tao') : dao ? 'dao' : 'incremental';
  const sense = await drive.run(modeSense10({ pageCode: ModePageCode.WriteParameters }), {
    signal,
  });
  const page = findModePage(parseModeParameterList(sense.data), ModePageCode.WriteParameters);
  if (!page)
    throw fail(
      'E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE',
      'The drive has no write parameters page (05h).',
    );
  const next = encodeWriteParameters({
    ...parseWriteParameters(page),
    ps: false,
    // Buffer-underrun protection on wherever the drive has it.
    bufe: run.info.capabilities.bufferUnderrunProtection,
    testWrite: run.simulate,
    writeType:
      sao || dao
        ? WriteType.SessionAtOnce
        : family === 'cd'
          ? WriteType.TrackAtOnce
          : WriteType.Packet,
    // Next session allowed unless the caller closes the disc (MMC-6 §7.5.4.4).
    multiSession: run.close ? MultiSession.Closed : MultiSession.Open,
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
  if (dao) await drive.run(reserveTrack({ size: run.sectorCount }), { signal });
  if (sao) {
    // MMC-6 §6.33: the cue sheet describes the whole session before any data.
    run.saoSectors = Math.max(MIN_CD_TRACK_SECTORS, run.sectorCount);
    await drive.run(sendCueSheet(dataTrackCueSheet({ sectors: run.saoSectors })), { signal });
  }
}
