/**
 * SEND CUE SHEET (MMC-6 §6.33): the cue sheet codec and the one-data-track cue sheet.
 * Part of the MMC command set (mmc.ts re-exports every part); same shape
 * as spc.ts: CDB layout, validating builder, parse/encode pairs.
 */
import { DecodeError } from '../errors.ts';
import { struct } from '../struct.ts';
import { checkInt, lbaToMsf, msfToLba } from './bytes.ts';
import { dataOut, type ScsiRequest } from './command.ts';
import { OPCODE } from './opcodes.ts';

const u8 = 'u8' as const;

// ===========================================================================
// SEND CUE SHEET, MMC-6 §6.33 (CD Session At Once / Disc At Once)
//  0  OPERATION CODE (5Dh)
//  1-5 reserved
//  6-8 CUE SHEET SIZE (u24, bytes: 8 per entry)
//  9  CONTROL
// Data out: the cue sheet. Page 05h must say write type SAO (2) first; the
// drive then takes WRITE(10)s in the order the cue sheet lays out and writes
// the lead-in, generated pre-gaps and the lead-out itself (MMC-6 §4.5.4.3).
export const sendCueSheetLayout = struct('SEND CUE SHEET CDB', 10, {
  opcode: { offset: 0, type: u8 },
  size: { offset: 6, type: 'u24be' },
  control: { offset: 9, type: u8 },
});

export const CUE_ENTRY_LENGTH = 8;

export interface SendCueSheetParams {
  readonly cueSheetSize: number;
}

/** SEND CUE SHEET carrying `cueSheet` (whole 8-byte entries, at least one). */
export function sendCueSheet(cueSheet: Uint8Array): ScsiRequest {
  checkInt('cue sheet size', cueSheet.length, CUE_ENTRY_LENGTH, 0xffffff);
  if (cueSheet.length % CUE_ENTRY_LENGTH !== 0) {
    throw new RangeError(`cue sheet size ${cueSheet.length} is not a multiple of 8`);
  }
  return dataOut(
    sendCueSheetLayout.encode({
      opcode: OPCODE.SEND_CUE_SHEET,
      size: cueSheet.length,
      control: 0,
    }),
    cueSheet,
  );
}

/** ADR of a cue sheet entry (MMC-6 §6.33.3.3). */
export const CueAdr = {
  /** Q mode 1: a position (track, index, absolute time). */
  Position: 1,
  /** Q mode 2: media catalog number (bytes 1-7 carry digits). */
  CatalogNumber: 2,
  /** Q mode 3: ISRC of the next track. */
  Isrc: 3,
} as const;

/** CTL nibble bits (MMC-6 §6.33.3.4, the Q sub-channel CONTROL field). */
export const CueControl = {
  /** Pre-emphasis (audio) / incremental recording (data). */
  PreEmphasis: 0x1,
  /** Digital copy permitted. */
  CopyPermitted: 0x2,
  /** A data track. */
  Data: 0x4,
  /** Four-channel audio. */
  FourChannel: 0x8,
} as const;

/**
 * DATA FORM of main data, bits 5:0 (MMC-6 §6.33.3.12-14): how many bytes a
 * block carries from the host, and what the drive adds. Bits 7:6 are the
 * sub-channel data form (0: the drive makes the sub-channel).
 */
export const CueDataForm = {
  /** CD-DA, 2352 bytes a block from the host. */
  Audio: 0x00,
  /** CD-DA zero data the drive generates (lead-in, lead-out, audio pauses): no bytes. */
  AudioGenerated: 0x01,
  /** CD-ROM Mode 1, 2048 user bytes from the host; the drive adds sync, header, EDC/ECC. */
  Mode1: 0x10,
  /** CD-ROM Mode 1, 2352 raw bytes from the host. */
  Mode1Raw: 0x11,
  /** CD-ROM Mode 1 zero data the drive generates: no bytes (pre-gaps). */
  Mode1Generated: 0x14,
} as const;

/** TNO of the lead-in (00h) and the lead-out (AAh) entries. */
export const CUE_LEAD_IN_TNO = 0x00;
export const CUE_LEAD_OUT_TNO = 0xaa;

/**
 * One cue sheet entry, MMC-6 §6.33.3.1 (8 bytes):
 *  0  CTL (7:4) | ADR (3:0)
 *  1  TNO: track number, 00h lead-in, AAh lead-out
 *  2  INDEX: 00h pre-gap, 01h track start, 02h-63h sub-indexes
 *  3  DATA FORM (sub-channel form 7:6 | main data form 5:0)
 *  4  SCMS: bit 7 the alternate copy bit (serial copy management)
 *  5  ABSOLUTE TIME: MIN   6 SEC   7 FRAME  (binary; 00:00:00 is LBA -150)
 * ADR 2 and 3 entries reuse bytes 1-7 for catalog number / ISRC characters;
 * the codec keeps every byte as is, so any entry round-trips exactly.
 */
export interface CueSheetEntry {
  readonly ctl: number;
  readonly adr: number;
  readonly tno: number;
  readonly index: number;
  readonly dataForm: number;
  readonly scms: number;
  readonly min: number;
  readonly sec: number;
  readonly frame: number;
}

export function encodeCueSheet(entries: readonly CueSheetEntry[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(CUE_ENTRY_LENGTH * entries.length);
  entries.forEach((e, n) => {
    const i = CUE_ENTRY_LENGTH * n;
    checkInt('CTL', e.ctl, 0, 0x0f);
    checkInt('ADR', e.adr, 0, 0x0f);
    out[i] = (e.ctl << 4) | e.adr;
    const bytes = [e.tno, e.index, e.dataForm, e.scms, e.min, e.sec, e.frame];
    for (const b of bytes) checkInt('cue sheet byte', b, 0, 0xff);
    out.set(bytes, i + 1);
  });
  return out;
}

/** Decodes whole 8-byte entries; a length that is not a multiple of 8 is a DecodeError. */
export function parseCueSheet(data: Uint8Array): CueSheetEntry[] {
  if (data.length % CUE_ENTRY_LENGTH !== 0) {
    throw new DecodeError(`cue sheet: ${data.length} bytes is not a multiple of 8`);
  }
  const entries: CueSheetEntry[] = [];
  for (let i = 0; i < data.length; i += CUE_ENTRY_LENGTH) {
    entries.push({
      ctl: data[i]! >>> 4,
      adr: data[i]! & 0x0f,
      tno: data[i + 1]!,
      index: data[i + 2]!,
      dataForm: data[i + 3]!,
      scms: data[i + 4]!,
      min: data[i + 5]!,
      sec: data[i + 6]!,
      frame: data[i + 7]!,
    });
  }
  return entries;
}

/** The LBA of an entry's absolute time (00:00:00 = -150; minutes >= 90 are the lead-in). */
export function cueEntryLba(entry: Pick<CueSheetEntry, 'min' | 'sec' | 'frame'>): number {
  return msfToLba({ minute: entry.min, second: entry.sec, frame: entry.frame });
}

export interface DataTrackCueSheetParams {
  /** User blocks (2048 bytes) of the track: INDEX 01 to the lead-out. */
  readonly sectors: number;
  /** LBA of INDEX 01 (default 0: the first track of a blank disc). */
  readonly startLba?: number;
  /** CTL copy bit (default false: copy prohibited). */
  readonly copyPermitted?: boolean;
  /**
   * The host sends the 150 pre-gap blocks (data form 10h) from INDEX 00, as
   * libburn and cdrecord do (default true); false asks the drive to generate
   * them (14h), which not every drive takes.
   */
  readonly pregapFromHost?: boolean;
}

/** Red Book minimum track length: 4 seconds. */
export const MIN_CD_TRACK_SECTORS = 300;
/** The pause before track 1 (and the pre-gap before a data track): 2 seconds. */
export const CD_PREGAP_SECTORS = 150;

/**
 * The cue sheet of one Mode 1 data track (MMC-6 §6.33.3, ECMA-130 §22), laid
 * out as libburn does (`burn_create_toc_entries`; cookbook.txt "SAO CD
 * Cookbook": 14h is the data pause of the lead-in and lead-out, the pre-gap
 * entry carries the track's data form 10h):
 *  lead-in      CTL 4, ADR 1, TNO 00, INDEX 00, data form 14h, at the pre-gap
 *  pre-gap      TNO 01, INDEX 00, 10h: the host sends 150 zero blocks
 *               (14h with `pregapFromHost: false`: the drive makes them)
 *  track start  TNO 01, INDEX 01, 10h (Mode 1, 2048 bytes a block from the host)
 *  lead-out     TNO AAh, INDEX 01, 14h, right after the last block
 * With the default start (LBA 0) the times are 00:00:00, 00:00:00, 00:02:00
 * and the lead-out's; the host then writes from LBA -150 (FFFFFF6Ah): the
 * pre-gap, then the track from LBA 0.
 */
export function dataTrackCueSheet(params: DataTrackCueSheetParams): Uint8Array<ArrayBuffer> {
  const start = params.startLba ?? 0;
  checkInt('track sectors', params.sectors, MIN_CD_TRACK_SECTORS, 404849);
  checkInt('track start LBA', start, 0, 404849 - params.sectors);
  const ctl = CueControl.Data | (params.copyPermitted ? CueControl.CopyPermitted : 0);
  const at = (lba: number) => {
    const m = lbaToMsf(lba);
    return { min: m.minute, sec: m.second, frame: m.frame };
  };
  const entry = (tno: number, index: number, dataForm: number, lba: number): CueSheetEntry => ({
    ctl,
    adr: CueAdr.Position,
    tno,
    index,
    dataForm,
    scms: 0,
    ...at(lba),
  });
  const pregap = start - CD_PREGAP_SECTORS;
  const pregapForm =
    (params.pregapFromHost ?? true) ? CueDataForm.Mode1 : CueDataForm.Mode1Generated;
  return encodeCueSheet([
    entry(CUE_LEAD_IN_TNO, 0, CueDataForm.Mode1Generated, pregap),
    entry(1, 0, pregapForm, pregap),
    entry(1, 1, CueDataForm.Mode1, start),
    entry(CUE_LEAD_OUT_TNO, 1, CueDataForm.Mode1Generated, start + params.sectors),
  ]);
}
