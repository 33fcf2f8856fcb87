/**
 * READ TOC/PMA/ATIP (MMC-6 §6.26): the TOC, session information, full TOC and ATIP formats.
 * Part of the MMC command set (mmc.ts re-exports every part); same shape
 * as spc.ts: CDB layout, validating builder, parse/encode pairs.
 */
import { DecodeError } from '../errors.ts';
import { struct } from '../struct.ts';
import {
  bit,
  checkInt,
  declaredLength,
  flag,
  lbaToMsf,
  type Msf,
  msfToLba,
  needDeclared,
  putU16,
  putU32,
  u32,
} from './bytes.ts';
import { dataIn, type ScsiRequest } from './command.ts';
import { OPCODE } from './opcodes.ts';

const u8 = 'u8' as const;

// ===========================================================================
// READ TOC/PMA/ATIP, MMC-6 §6.26
//  0  OPERATION CODE (43h)
//  1  MSF (1): addresses as 00 M S F instead of LBA
//  2  FORMAT (3:0): 0 TOC, 1 session info, 2 full TOC, 3 PMA, 4 ATIP, 5 CD-TEXT
//  3-5 reserved
//  6  TRACK/SESSION NUMBER (format 0: first track; 2: first session)
//  7-8 ALLOCATION LENGTH (u16)
//  9  CONTROL (old drives also took the format in bits 7:6, not used)
export const readTocLayout = struct('READ TOC/PMA/ATIP CDB', 10, {
  opcode: { offset: 0, type: u8 },
  flags: { offset: 1, type: u8 },
  format: { offset: 2, type: u8 },
  number: { offset: 6, type: u8 },
  allocationLength: { offset: 7, type: 'u16be' },
  control: { offset: 9, type: u8 },
});

export const TocFormat = {
  Toc: 0,
  SessionInfo: 1,
  FullToc: 2,
  Pma: 3,
  Atip: 4,
  CdText: 5,
} as const;

export interface ReadTocParams {
  readonly format: number;
  readonly msf: boolean;
  readonly trackSessionNumber: number;
  readonly allocationLength: number;
}

/**
 * Allocation lengths that hold a whole answer on any CD: TOC 4 + 100 × 8
 * (99 tracks and the lead-out), session info 12, ATIP 4 + 28. A full TOC
 * longer than 4096 bytes needs a second, longer request (TruncatedResponseError).
 */
function defaultTocAllocation(format: number): number {
  switch (format) {
    case TocFormat.Toc:
      return 804;
    case TocFormat.SessionInfo:
      return 12;
    case TocFormat.Atip:
      return 32;
    default:
      return 4096;
  }
}

export function readTocPmaAtip(
  params: Partial<ReadTocParams> & { readonly format: number },
): ScsiRequest {
  const trackSessionNumber = params.trackSessionNumber ?? 0;
  const allocationLength = params.allocationLength ?? defaultTocAllocation(params.format);
  checkInt('TOC format', params.format, 0, 0x0f);
  checkInt('track/session number', trackSessionNumber, 0, 0xff);
  checkInt('READ TOC allocation length', allocationLength, 4, 0xffff);
  return dataIn(
    readTocLayout.encode({
      opcode: OPCODE.READ_TOC_PMA_ATIP,
      flags: flag(params.msf ?? false, 1),
      format: params.format,
      number: trackSessionNumber,
      allocationLength,
      control: 0,
    }),
    allocationLength,
  );
}

/** Track number of the lead-out in a format 0 TOC (MMC-6 §6.26.3.2). */
export const LEAD_OUT_TRACK = 0xaa;

/** For TOC codecs: whether addresses are in MSF form (the CDB's MSF bit). */
export interface TocOptions {
  readonly msf?: boolean;
}

function readAddress(data: Uint8Array, offset: number, msf: boolean): number {
  return msf
    ? msfToLba({ minute: data[offset + 1]!, second: data[offset + 2]!, frame: data[offset + 3]! })
    : u32(data, offset);
}

function writeAddress(out: Uint8Array, offset: number, address: number, msf: boolean): void {
  if (msf) {
    const m = lbaToMsf(address);
    out[offset + 1] = m.minute;
    out[offset + 2] = m.second;
    out[offset + 3] = m.frame;
  } else {
    checkInt('TOC address', address, 0, 0xffffffff);
    putU32(out, offset, address);
  }
}

/**
 * Format 0 track descriptor, MMC-6 §6.26.3.2 (8 bytes):
 *  0  reserved
 *  1  ADR (7:4) | CONTROL (3:0)  (CONTROL bit 2 = data track)
 *  2  TRACK NUMBER (AAh = lead-out)
 *  3  reserved
 *  4-7 TRACK START ADDRESS (LBA, or 00 M S F; `address` is always the LBA)
 */
export interface TocTrack {
  readonly adr: number;
  readonly control: number;
  readonly trackNumber: number;
  readonly address: number;
}

/**
 * Format 0 response: 0-1 TOC DATA LENGTH (n - 2), 2 FIRST TRACK NUMBER,
 * 3 LAST TRACK NUMBER, then 8-byte descriptors ending with the lead-out.
 */
export interface Toc {
  readonly firstTrack: number;
  readonly lastTrack: number;
  readonly tracks: readonly TocTrack[];
}

export function parseToc(data: Uint8Array, options: TocOptions = {}): Toc {
  const total = declaredLength('TOC', data, 2, 4);
  needDeclared('TOC', data, total);
  if ((total - 4) % 8 !== 0) {
    throw new DecodeError(`TOC: ${total - 4} descriptor bytes is not a multiple of 8`);
  }
  const tracks: TocTrack[] = [];
  for (let i = 4; i + 8 <= total; i += 8) {
    tracks.push({
      adr: data[i + 1]! >>> 4,
      control: data[i + 1]! & 0x0f,
      trackNumber: data[i + 2]!,
      address: readAddress(data, i + 4, options.msf ?? false),
    });
  }
  return { firstTrack: data[2]!, lastTrack: data[3]!, tracks };
}

function adrControl(adr: number, control: number): number {
  checkInt('ADR', adr, 0, 0x0f);
  checkInt('CONTROL', control, 0, 0x0f);
  return (adr << 4) | control;
}

function tocHeader(length: number, first: number, last: number): Uint8Array<ArrayBuffer> {
  checkInt('TOC data length', length - 2, 2, 0xffff);
  checkInt('first track/session', first, 0, 0xff);
  checkInt('last track/session', last, 0, 0xff);
  const out = new Uint8Array(length);
  putU16(out, 0, length - 2);
  out[2] = first;
  out[3] = last;
  return out;
}

export function encodeToc(toc: Toc, options: TocOptions = {}): Uint8Array<ArrayBuffer> {
  const out = tocHeader(4 + 8 * toc.tracks.length, toc.firstTrack, toc.lastTrack);
  toc.tracks.forEach((t, n) => {
    const i = 4 + 8 * n;
    checkInt('track number', t.trackNumber, 0, 0xff);
    out[i + 1] = adrControl(t.adr, t.control);
    out[i + 2] = t.trackNumber;
    writeAddress(out, i + 4, t.address, options.msf ?? false);
  });
  return out;
}

/**
 * Format 1, session information, MMC-6 §6.26.3.3 (12 bytes):
 *  0-1 DATA LENGTH (0Ah)  2 FIRST COMPLETE SESSION  3 LAST COMPLETE SESSION
 *  5  ADR | CONTROL of the first track in the last complete session
 *  6  FIRST TRACK NUMBER IN LAST COMPLETE SESSION
 *  8-11 START ADDRESS of that track (the multisession offset)
 */
export interface SessionInfo {
  readonly firstSession: number;
  readonly lastSession: number;
  readonly adr: number;
  readonly control: number;
  readonly firstTrackInLastSession: number;
  readonly lastSessionStart: number;
}

export function parseSessionInfo(data: Uint8Array, options: TocOptions = {}): SessionInfo {
  const total = declaredLength('session info', data, 2, 12);
  needDeclared('session info', data, total);
  return {
    firstSession: data[2]!,
    lastSession: data[3]!,
    adr: data[5]! >>> 4,
    control: data[5]! & 0x0f,
    firstTrackInLastSession: data[6]!,
    lastSessionStart: readAddress(data, 8, options.msf ?? false),
  };
}

export function encodeSessionInfo(
  value: SessionInfo,
  options: TocOptions = {},
): Uint8Array<ArrayBuffer> {
  const out = tocHeader(12, value.firstSession, value.lastSession);
  checkInt('first track in last session', value.firstTrackInLastSession, 0, 0xff);
  out[5] = adrControl(value.adr, value.control);
  out[6] = value.firstTrackInLastSession;
  writeAddress(out, 8, value.lastSessionStart, options.msf ?? false);
  return out;
}

/**
 * Format 2, full TOC, MMC-6 §6.26.3.4: raw Q sub-channel entries of the
 * lead-in, 11 bytes each, kept as sent:
 *  0 SESSION NUMBER  1 ADR | CONTROL  2 TNO  3 POINT  4 MIN  5 SEC  6 FRAME
 *  7 ZERO  8 PMIN  9 PSEC  10 PFRAME
 * POINT A0h/A1h/A2h give first track, last track and lead-out start (PMIN..);
 * B0h the next writable time (multisession), C0h the ATIP lead-in start.
 */
export interface FullTocEntry {
  readonly session: number;
  readonly adr: number;
  readonly control: number;
  readonly tno: number;
  readonly point: number;
  readonly min: number;
  readonly sec: number;
  readonly frame: number;
  readonly zero: number;
  readonly pmin: number;
  readonly psec: number;
  readonly pframe: number;
}

export interface FullToc {
  readonly firstSession: number;
  readonly lastSession: number;
  readonly entries: readonly FullTocEntry[];
}

export function parseFullToc(data: Uint8Array): FullToc {
  const total = declaredLength('full TOC', data, 2, 4);
  needDeclared('full TOC', data, total);
  if ((total - 4) % 11 !== 0) {
    throw new DecodeError(`full TOC: ${total - 4} descriptor bytes is not a multiple of 11`);
  }
  const entries: FullTocEntry[] = [];
  for (let i = 4; i + 11 <= total; i += 11) {
    entries.push({
      session: data[i]!,
      adr: data[i + 1]! >>> 4,
      control: data[i + 1]! & 0x0f,
      tno: data[i + 2]!,
      point: data[i + 3]!,
      min: data[i + 4]!,
      sec: data[i + 5]!,
      frame: data[i + 6]!,
      zero: data[i + 7]!,
      pmin: data[i + 8]!,
      psec: data[i + 9]!,
      pframe: data[i + 10]!,
    });
  }
  return { firstSession: data[2]!, lastSession: data[3]!, entries };
}

export function encodeFullToc(value: FullToc): Uint8Array<ArrayBuffer> {
  const out = tocHeader(4 + 11 * value.entries.length, value.firstSession, value.lastSession);
  value.entries.forEach((e, n) => {
    const i = 4 + 11 * n;
    const bytes = [
      e.session,
      e.tno,
      e.point,
      e.min,
      e.sec,
      e.frame,
      e.zero,
      e.pmin,
      e.psec,
      e.pframe,
    ];
    for (const b of bytes) checkInt('full TOC byte', b, 0, 0xff);
    out[i] = e.session;
    out[i + 1] = adrControl(e.adr, e.control);
    out.set(bytes.slice(1), i + 2);
  });
  return out;
}

/**
 * Format 4, ATIP, MMC-6 §6.26.3.6 (minimal: what a recorder needs to tell
 * CD-R from CD-RW and the disc's capacity):
 *  0-1 ATIP DATA LENGTH (n - 2)  2-3 reserved
 *  4  1 (7) | INDICATIVE TARGET WRITING POWER (6:4) | DDCD (3) | REFERENCE SPEED (2:0)
 *  5  0 (7) | URU (6): unrestricted use
 *  6  1 (7) | DISC TYPE (6): 0 CD-R, 1 CD-RW | DISC SUB-TYPE (5:3) | A1 (2) A2 (1) A3 (0) valid
 *  8-10 ATIP START TIME OF LEAD-IN (M S F; minutes >= 90 = negative LBA)
 * 12-14 ATIP LAST POSSIBLE START TIME OF LEAD-OUT (M S F)
 * 16..  A1, A2, A3 (and S4) values: kept raw in `extra`
 */
export interface Atip {
  readonly writingPower: number;
  readonly ddcd: boolean;
  readonly referenceSpeed: number;
  readonly unrestrictedUse: boolean;
  readonly rewritable: boolean;
  readonly discSubType: number;
  readonly a1Valid: boolean;
  readonly a2Valid: boolean;
  readonly a3Valid: boolean;
  readonly leadInStart: Msf;
  readonly lastLeadOutStart: Msf;
  readonly extra: Uint8Array;
}

export function parseAtip(data: Uint8Array): Atip {
  const total = declaredLength('ATIP', data, 2, 16);
  needDeclared('ATIP', data, total);
  const b4 = data[4]!;
  const b6 = data[6]!;
  return {
    writingPower: (b4 >>> 4) & 0x07,
    ddcd: bit(b4, 3),
    referenceSpeed: b4 & 0x07,
    unrestrictedUse: bit(data[5], 6),
    rewritable: bit(b6, 6),
    discSubType: (b6 >>> 3) & 0x07,
    a1Valid: bit(b6, 2),
    a2Valid: bit(b6, 1),
    a3Valid: bit(b6, 0),
    leadInStart: { minute: data[8]!, second: data[9]!, frame: data[10]! },
    lastLeadOutStart: { minute: data[12]!, second: data[13]!, frame: data[14]! },
    extra: data.slice(16, total),
  };
}

export function encodeAtip(value: Atip): Uint8Array<ArrayBuffer> {
  checkInt('writing power', value.writingPower, 0, 7);
  checkInt('reference speed', value.referenceSpeed, 0, 7);
  checkInt('disc sub-type', value.discSubType, 0, 7);
  const out = tocHeader(16 + value.extra.length, 0, 0);
  out[4] = 0x80 | (value.writingPower << 4) | flag(value.ddcd, 3) | value.referenceSpeed;
  out[5] = flag(value.unrestrictedUse, 6);
  out[6] =
    0x80 |
    flag(value.rewritable, 6) |
    (value.discSubType << 3) |
    flag(value.a1Valid, 2) |
    flag(value.a2Valid, 1) |
    flag(value.a3Valid, 0);
  for (const [offset, msf] of [
    [8, value.leadInStart],
    [12, value.lastLeadOutStart],
  ] as const) {
    checkInt('ATIP minute', msf.minute, 0, 0xff);
    checkInt('ATIP second', msf.second, 0, 0xff);
    checkInt('ATIP frame', msf.frame, 0, 0xff);
    out[offset] = msf.minute;
    out[offset + 1] = msf.second;
    out[offset + 2] = msf.frame;
  }
  out.set(value.extra, 16);
  return out;
}
