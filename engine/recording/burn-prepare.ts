/**
 * The burn's second step, prepare, in the order libburn uses
 * (`burn_disc_write_sync`, docs/real-drives.md §4): format a blank
 * DVD+RW/BD-RE; for CD and DVD-R/-RW choose the write type and send the
 * write parameters (page 05h, MMC-6 §7.5.4); then read where writing starts
 * (the NWA: after page 05h, which some drives need first) and check the
 * image fits; set the speed (speed.ts); last RESERVE TRACK (DVD-R DAO) or
 * SEND CUE SHEET (CD SAO, laid out from that NWA).
 */
import {
  INVISIBLE_TRACK,
  MIN_CD_TRACK_SECTORS,
  TrackAddressType,
  dataTrackCueSheet,
  parseTrackInformation,
  readTrackInformation,
  reserveTrack,
  sendCueSheet,
} from '../../usb-mass-storage/src/scsi/mmc.ts';
import { alignUp, writeAlignment } from './alignment.ts';
import { fail, type BurnRun } from './burn-run.ts';
import { PROFILE } from '../../contract/profiles.ts';
import {
  BgFormatStatus,
  backgroundFormatStatus,
  formatRequestFor,
  restartRequestFor,
} from './format.ts';
import { sectorsFor } from './source.ts';
import { setWriteSpeed } from './speed.ts';
import { chooseWriteType, sendWriteParameters } from './write-parameters.ts';

export async function prepare(run: BurnRun): Promise<void> {
  if (run.family === 'random') {
    await prepareRandom(run);
  } else {
    checkSequential(run);
    await chooseWriteType(run);
    await sendWriteParameters(run);
    await readNextWritableAddress(run);
  }
  checkFit(run);
  await setWriteSpeed(run);
  await layOut(run);
}

/**
 * DVD+RW, BD-RE, DVD-RW restricted overwrite: a disc from the box is
 * formatted first (MMC-6 §6.5); a DVD+RW whose background format was
 * stopped (BG FORMAT STATUS 01b) has it restarted, as growisofs
 * `poor_mans_setup` and libburn `burn_disc_setup_dvd_plus_rw` do (running or
 * complete: nothing). Writing starts at the caller's LBA.
 */
async function prepareRandom(run: BurnRun): Promise<void> {
  const { drive, signal, options } = run;
  run.writeType = 'random';
  let media = run.media;
  const plusRw = run.profile === PROFILE.DVD_PLUS_RW;
  const bg = plusRw ? await backgroundFormatStatus(drive, signal) : null;
  const blank = bg === null ? media.status === 'blank' : bg === BgFormatStatus.None;
  if (blank || bg === BgFormatStatus.Stopped) {
    run.report('formatting', null, true);
    const request = blank
      ? await formatRequestFor(drive, signal, run.profile, 'quick')
      : await restartRequestFor(drive, signal);
    await drive.run(request, { signal });
    await drive.waitReady({
      signal,
      onProgress: (f) => run.report('formatting', f),
      notReadyBudgetMs: 3 * 3600_000,
    });
    media = run.media = await run.ctx.media();
  }
  run.startLba = options.startLba ?? 0;
  if (typeof options.masteredFor === 'number') checkMastering(run, true);
  const align = writeAlignment(run.profile);
  if (run.startLba % align !== 0) {
    throw fail(
      'E_INVALIDARG',
      `The ${media.profile?.name ?? 'disc'} is written in whole 32 KiB blocks: the start LBA must be a multiple of ${align}, not ${run.startLba}.`,
    );
  }
  run.free = media.capacityBlocks - run.startLba;
}

/** Sequential media: not closed, and no start LBA of the caller's. */
function checkSequential(run: BurnRun): void {
  const { media, options } = run;
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
}

/**
 * The NWA and the free blocks of the invisible track (READ TRACK
 * INFORMATION, track FFh), read once the write parameters are set: libburn
 * sends page 05h first because the LG GSA-4082B "seems to dislike get_nwa()
 * in advance" (write.c), and reads it before the cue sheet, which is laid
 * out from it. A drive without READ TRACK INFORMATION: the medium's state.
 */
async function readNextWritableAddress(run: BurnRun): Promise<void> {
  const r = await run.drive.run(
    readTrackInformation({ addressType: TrackAddressType.Track, address: INVISIBLE_TRACK }),
    { signal: run.signal, allowCheckCondition: true },
  );
  let nwa: number | null = run.media.nextWritableAddress;
  let free = run.media.freeBlocks;
  if (r.status === 'good') {
    const track = parseTrackInformation(r.data);
    nwa = track.nwaValid ? track.nextWritableAddress : null;
    free = track.freeBlocks;
  }
  if (nwa === null) {
    throw fail(
      'E_IMAPI_DF2DATA_INVALID_MEDIA_STATE',
      'The drive reports no next writable address on this disc.',
    );
  }
  run.startLba = nwa;
  run.free = free;
  checkMastering(run, run.media.status !== 'blank' || nwa > 0);
}

/**
 * An image made for one address does not read back from another (its
 * directory records and path tables hold absolute sectors, ECMA-119 9.1.3):
 * appending a raw image is allowed only when the caller says where it was
 * mastered for (cdrecord's -C / mkisofs -C flow), or that it has no
 * addresses ('any').
 */
function checkMastering(run: BurnRun, appending: boolean): void {
  const said = run.options.masteredFor;
  if (said === 'any') return;
  if (said === undefined) {
    if (!appending) return;
    throw fail(
      'E_IMAPI_DF2DATA_MEDIA_NOT_BLANK',
      `This disc already holds data, so the image would be written from sector ${run.startLba}. An image is made for one start sector (usually 0), and one made for another would not read back from there. To add files, burn them with "append" (webdisc makes the new session for sector ${run.startLba}); if this image was mastered for sector ${run.startLba} (mkisofs -C), say so with "mastered for ${run.startLba}".`,
    );
  }
  if (said !== run.startLba) {
    throw fail(
      'E_IMAPI_DF2DATA_INVALID_MEDIA_STATE',
      `The image was mastered for sector ${said}, but writing would start at sector ${run.startLba}.`,
    );
  }
}

function checkFit(run: BurnRun): void {
  const { source } = run;
  // Padded to the medium's write alignment (alignment.ts).
  const needs =
    source.size === undefined ? 0 : alignUp(sectorsFor(source.size), writeAlignment(run.profile));
  if (needs > run.free) {
    throw fail(
      'E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA',
      `The image needs ${needs} sectors; the disc has ${run.free} free from LBA ${run.startLba}.`,
    );
  }
  if (source.size === 0) throw fail('E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED', 'The image is empty.');
}

/** DVD-R DAO: RESERVE TRACK of the image's size; CD SAO: the cue sheet (MMC-6 §6.33). */
async function layOut(run: BurnRun): Promise<void> {
  const { drive, signal } = run;
  if (run.writeType === 'dao') await drive.run(reserveTrack({ size: run.sectorCount }), { signal });
  if (run.writeType === 'sao') {
    // The cue sheet describes the whole session before any data; the track is at least 4 s.
    run.saoSectors = Math.max(MIN_CD_TRACK_SECTORS, run.sectorCount);
    const sheet = dataTrackCueSheet({ sectors: run.saoSectors, startLba: run.startLba });
    await drive.run(sendCueSheet(sheet), { signal });
  }
}
