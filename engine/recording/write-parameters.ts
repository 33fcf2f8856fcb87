/**
 * The Write Parameters page 05h a burn sends (MMC-6 §7.5.4), composed from
 * zero per medium and write type as libburn does (`mmc_compose_mode_page_5`;
 * cookbook.txt "Sequential DVD-R[W] Cookbook": "libburn composes its mode
 * page 05h from zero"): only the page's length comes from the drive. Nothing
 * else is copied from what the drive held, since that is whatever the last
 * host left there (a CD's link size 7 on a DVD-R is refused), and page 05h
 * survives a media change. Sources and the table: docs/real-drives.md §4.
 */
import {
  DataBlockType,
  ModePageCode,
  MultiSession,
  TrackMode,
  WRITE_PARAMETERS_PAGE_LENGTH,
  WriteType,
  encodeModeParameterList,
  encodeWriteParameters,
  findModePage,
  parseModeParameterList,
  type WriteParameters,
} from '../../usb-mass-storage/src/scsi/mode-pages.ts';
import { modeSelect10, modeSense10 } from '../../usb-mass-storage/src/scsi/spc.ts';
import type { BurnReport } from '../../contract/api.ts';
import { fail, type BurnRun } from './burn-run.ts';
import { BurnFeature, readFeature } from './drive-features.ts';

/** DVD-R/-RW link size and fixed packet: one ECC block of 16 sectors (32 KiB). */
export const DVD_ECC_BLOCK_SECTORS = 16;

export interface WriteSetup {
  /** 'cd' or 'dvd-minus': the only families page 05h is sent for. */
  readonly family: 'cd' | 'dvd-minus';
  readonly writeType: BurnReport['writeType'];
  /** Close the disc (multi-session 00b), or leave the next session open (11b). */
  readonly close: boolean;
  readonly testWrite: boolean;
  /** Buffer underrun protection, where the drive has it. */
  readonly bufe: boolean;
  /** The length of the page as the drive reported it (its header included). */
  readonly pageBytes: number;
}

/**
 * Page 05h for one burn:
 * - CD TAO (01h) / SAO (02h): track mode 4 (data, uninterrupted), data block
 *   type 8 (Mode 1), LS_V 0, no fixed packets, audio pause 150
 *   (cookbook.txt "Writing a session to CD in TAO mode", "SAO CD Cookbook").
 * - DVD-R/-RW incremental (00h): LS_V 1, link size 16, track mode 5
 *   (incremental, MMC-6 §7.5.4.12's default), FP 1, packet size 16, data
 *   block type 8 (libburn `mmc_compose_mode_page_5`; growisofs
 *   `page05_setup` writes LS_V 1 and link 16 for 11h/14h too).
 * - DVD-R/-RW DAO (02h): LS_V 0, multi-session 00b, track mode 5, no fixed
 *   packets ("Link Size, Packet Size and their companions only apply to
 *   Write Type 00h", cookbook.txt "DAO writing").
 */
export function composeWriteParameters(setup: WriteSetup): WriteParameters {
  const dvd = setup.family === 'dvd-minus';
  const dao = setup.writeType === 'dao';
  const incremental = dvd && !dao;
  const writeType = dvd
    ? dao
      ? WriteType.SessionAtOnce
      : WriteType.Packet
    : setup.writeType === 'sao'
      ? WriteType.SessionAtOnce
      : WriteType.TrackAtOnce;
  return {
    ps: false,
    bufe: setup.bufe,
    lsValid: incremental,
    testWrite: setup.testWrite,
    writeType,
    // DAO writes one closed session; otherwise the next is allowed unless the caller closes (MMC-6 §7.5.4.4).
    multiSession: setup.close || dao ? MultiSession.Closed : MultiSession.Open,
    fixedPacket: incremental,
    copy: false,
    trackMode: dvd ? TrackMode.DataIncremental : TrackMode.Data,
    dataBlockType: DataBlockType.Mode1,
    linkSize: incremental ? DVD_ECC_BLOCK_SECTORS : 0,
    hostApplicationCode: 0,
    sessionFormat: 0,
    packetSize: incremental ? DVD_ECC_BLOCK_SECTORS : 0,
    audioPauseLength: dvd ? 0 : 150,
    // The drive's page length, every byte zero: no catalog number, ISRC or vendor bytes carried over.
    raw: new Uint8Array(setup.pageBytes || WRITE_PARAMETERS_PAGE_LENGTH + 2),
  };
}

/**
 * The write type of a sequential burn: CD TAO, or SAO when asked for (a
 * blank disc and an image of known size: the cue sheet comes first);
 * DVD-R/-RW incremental, or DAO (see `daoOnly`); DVD+R, DVD+R DL and BD-R
 * are written as they come (no page 05h).
 */
export async function chooseWriteType(run: BurnRun): Promise<void> {
  const { family, media, source, options } = run;
  if (family === 'cd') {
    const sao = options.writeType === 'sao';
    if (sao && (media.status !== 'blank' || source.size === undefined)) {
      throw fail(
        'E_IMAPI_DF2DATA_INVALID_MEDIA_STATE',
        'Session-at-once needs a blank CD and an image of known size (the cue sheet is sent first).',
      );
    }
    run.writeType = sao ? 'sao' : 'tao';
  } else if (family === 'dvd-minus') {
    run.writeType = (await daoOnly(run, run.close)) ? 'dao' : 'incremental';
  } else {
    run.writeType = 'incremental';
  }
}

/**
 * DVD-R/-RW: whether this burn is written disc-at-once. DAO when the caller
 * closes a blank disc with an image of known size, and whenever feature
 * 0021h (Incremental Streaming Writable) is not current: a DVD-RW after a
 * minimal blank offers only DAO (feature 002Fh, write type 2): libburn
 * cookbook.txt, "Media blanked via type 001b offer no feature 0021h ...
 * growisofs can burn them - but only via DAO"; growisofs engages DAO then
 * (`plusminus_pages_setup`). A drive without GET CONFIGURATION cannot say:
 * incremental is tried.
 */
async function daoOnly(run: BurnRun, wanted: boolean): Promise<boolean> {
  const { media, source } = run;
  const daoPossible = media.status === 'blank' && source.size !== undefined;
  const f = await readFeature(run.drive, BurnFeature.IncrementalStreamingWritable, run.signal);
  if (f === null || f?.current) return wanted && daoPossible;
  if (!daoPossible) {
    throw fail(
      'E_IMAPI_DF2DATA_INVALID_MEDIA_STATE',
      `The ${media.profile?.name ?? 'disc'} takes no incremental writing now (feature 0021h is not current, as after a minimal erase): ` +
        (media.status === 'blank'
          ? 'it can be written only disc-at-once, which needs an image of known size.'
          : 'it can be written again after a full erase.'),
    );
  }
  return true;
}

/** MODE SENSE page 05h (its length, and that the drive has it), then MODE SELECT of the composed page. */
export async function sendWriteParameters(run: BurnRun): Promise<void> {
  const { drive, signal, family } = run;
  if (family !== 'cd' && family !== 'dvd-minus') return;
  const sense = await drive.run(modeSense10({ pageCode: ModePageCode.WriteParameters }), {
    signal,
  });
  const page = findModePage(parseModeParameterList(sense.data), ModePageCode.WriteParameters);
  if (!page) {
    throw fail(
      'E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE',
      'The drive has no write parameters page (05h).',
    );
  }
  const next = encodeWriteParameters(
    composeWriteParameters({
      family,
      writeType: run.writeType,
      close: run.close,
      testWrite: run.simulate,
      bufe: run.info.capabilities.bufferUnderrunProtection,
      pageBytes: page.length,
    }),
  );
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
}
