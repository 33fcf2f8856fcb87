/**
 * MMC commands (MMC-6, T10/1836-D): the multimedia command set of CD/DVD/BD
 * recorders. READ TOC/PMA/ATIP, GET CONFIGURATION (its response is in
 * features.ts), GET EVENT STATUS NOTIFICATION, READ DISC INFORMATION, READ
 * TRACK INFORMATION, RESERVE TRACK, CLOSE TRACK/SESSION, READ BUFFER CAPACITY,
 * SEND CUE SHEET, BLANK, FORMAT UNIT, SET CD SPEED, MECHANISM STATUS.
 *
 * Same shape as spc.ts: a `struct` CDB layout, a validating builder returning
 * a ScsiRequest (the tests decode its exported layout back), and
 * parse/encode pairs for the data. Parsers
 * follow the length rules in bytes.ts.
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
  need,
  needDeclared,
  putU16,
  putU32,
  u16,
  u32,
} from './bytes.ts';
import { dataIn, dataOut, noData, type ScsiRequest } from './command.ts';
import { OPCODE, COMMAND_TIMEOUT_MS } from './opcodes.ts';

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

// ===========================================================================
// GET CONFIGURATION, MMC-6 §6.6 (response codec: features.ts)
//  0  OPERATION CODE (46h)
//  1  RT (1:0): 0 all features, 1 current ones, 2 only the starting feature
//  2-3 STARTING FEATURE NUMBER (u16)
//  4-6 reserved
//  7-8 ALLOCATION LENGTH (u16)
//  9  CONTROL
export const getConfigurationLayout = struct('GET CONFIGURATION CDB', 10, {
  opcode: { offset: 0, type: u8 },
  rt: { offset: 1, type: u8 },
  startingFeature: { offset: 2, type: 'u16be' },
  allocationLength: { offset: 7, type: 'u16be' },
  control: { offset: 9, type: u8 },
});

export const ConfigurationRequestType = {
  All: 0,
  Current: 1,
  One: 2,
} as const;

export interface GetConfigurationParams {
  readonly requestType: number;
  readonly startingFeature: number;
  readonly allocationLength: number;
}

export function getConfiguration(params: Partial<GetConfigurationParams> = {}): ScsiRequest {
  const requestType = params.requestType ?? ConfigurationRequestType.All;
  const startingFeature = params.startingFeature ?? 0;
  const allocationLength = params.allocationLength ?? 4096;
  checkInt('GET CONFIGURATION RT', requestType, 0, 2);
  checkInt('starting feature', startingFeature, 0, 0xffff);
  checkInt('GET CONFIGURATION allocation length', allocationLength, 8, 0xffff);
  return dataIn(
    getConfigurationLayout.encode({
      opcode: OPCODE.GET_CONFIGURATION,
      rt: requestType,
      startingFeature,
      allocationLength,
      control: 0,
    }),
    allocationLength,
  );
}

// ===========================================================================
// GET EVENT STATUS NOTIFICATION, MMC-6 §6.7
//  0  OPERATION CODE (4Ah)
//  1  POLLED (0) = 1 (asynchronous operation is not defined for MMC drives)
//  2-3 reserved
//  4  NOTIFICATION CLASS REQUEST (bit mask, EventClassMask)
//  5-6 reserved
//  7-8 ALLOCATION LENGTH (u16)
//  9  CONTROL
export const gesnLayout = struct('GET EVENT STATUS NOTIFICATION CDB', 10, {
  opcode: { offset: 0, type: u8 },
  flags: { offset: 1, type: u8 },
  classRequest: { offset: 4, type: u8 },
  allocationLength: { offset: 7, type: 'u16be' },
  control: { offset: 9, type: u8 },
});

/** NOTIFICATION CLASS field of the event header (MMC-6 §6.7.2.1). */
export const NotificationClass = {
  None: 0,
  OperationalChange: 1,
  PowerManagement: 2,
  ExternalRequest: 3,
  Media: 4,
  MultiHost: 5,
  DeviceBusy: 6,
} as const;

/** NOTIFICATION CLASS REQUEST bits (the CDB) and SUPPORTED EVENT CLASSES bits (the header). */
export const EventClassMask = {
  OperationalChange: 0x02,
  PowerManagement: 0x04,
  ExternalRequest: 0x08,
  Media: 0x10,
  MultiHost: 0x20,
  DeviceBusy: 0x40,
} as const;

export interface GetEventStatusParams {
  readonly polled: boolean;
  readonly classMask: number;
  readonly allocationLength: number;
}

export function getEventStatusNotification(
  params: Partial<Omit<GetEventStatusParams, 'polled'>> = {},
): ScsiRequest {
  const classMask = params.classMask ?? EventClassMask.Media;
  const allocationLength = params.allocationLength ?? 8;
  checkInt('event class mask', classMask, 0, 0xff);
  checkInt('GESN allocation length', allocationLength, 4, 0xffff);
  return dataIn(
    gesnLayout.encode({
      opcode: OPCODE.GET_EVENT_STATUS_NOTIFICATION,
      flags: 0x01,
      classRequest: classMask,
      allocationLength,
      control: 0,
    }),
    allocationLength,
  );
}

/** Media event codes (MMC-6 §6.7.2.5, table 155). */
export const MediaEventCode = {
  NoChange: 0,
  EjectRequest: 1,
  NewMedia: 2,
  MediaRemoval: 3,
  MediaChanged: 4,
  BgFormatCompleted: 5,
  BgFormatRestarted: 6,
} as const;

/**
 * Media class event descriptor, MMC-6 §6.7.2.5 (4 bytes after the header):
 *  0  MEDIA EVENT CODE (3:0)
 *  1  MEDIA PRESENT (1) | DOOR OR TRAY OPEN (0)
 *  2  START SLOT  3  END SLOT
 */
export interface MediaEvent {
  readonly kind: 'media';
  readonly eventCode: number;
  readonly mediaPresent: boolean;
  readonly doorOpen: boolean;
  readonly startSlot: number;
  readonly endSlot: number;
}

/** Any other class's event data, kept as sent. */
export interface RawEvent {
  readonly kind: 'raw';
  readonly data: Uint8Array;
}

/**
 * Response, MMC-6 §6.7.2.1:
 *  0-1 EVENT DATA LENGTH (n - 2)
 *  2  NEA (7): no event available | NOTIFICATION CLASS (2:0)
 *  3  SUPPORTED EVENT CLASSES (EventClassMask bits)
 *  4.. event data of that class (absent when NEA)
 */
export interface EventStatus {
  readonly noEventAvailable: boolean;
  readonly notificationClass: number;
  readonly supportedClasses: number;
  readonly event: MediaEvent | RawEvent | undefined;
}

export function parseEventStatus(data: Uint8Array): EventStatus {
  const total = declaredLength('event status', data, 2, 4);
  needDeclared('event status', data, total);
  const noEventAvailable = bit(data[2], 7);
  const notificationClass = data[2]! & 0x07;
  let event: MediaEvent | RawEvent | undefined;
  if (!noEventAvailable && total > 4) {
    if (notificationClass === NotificationClass.Media && total >= 8) {
      event = {
        kind: 'media',
        eventCode: data[4]! & 0x0f,
        mediaPresent: bit(data[5], 1),
        doorOpen: bit(data[5], 0),
        startSlot: data[6]!,
        endSlot: data[7]!,
      };
    } else {
      event = { kind: 'raw', data: data.slice(4, total) };
    }
  }
  return { noEventAvailable, notificationClass, supportedClasses: data[3]!, event };
}

export function encodeEventStatus(value: EventStatus): Uint8Array<ArrayBuffer> {
  checkInt('notification class', value.notificationClass, 0, 7);
  checkInt('supported classes', value.supportedClasses, 0, 0xff);
  let body: Uint8Array = new Uint8Array(0);
  if (value.event?.kind === 'media') {
    const e = value.event;
    checkInt('media event code', e.eventCode, 0, 0x0f);
    checkInt('start slot', e.startSlot, 0, 0xff);
    checkInt('end slot', e.endSlot, 0, 0xff);
    body = Uint8Array.of(
      e.eventCode,
      flag(e.mediaPresent, 1) | flag(e.doorOpen, 0),
      e.startSlot,
      e.endSlot,
    );
  } else if (value.event?.kind === 'raw') {
    body = value.event.data;
  }
  const out = new Uint8Array(4 + body.length);
  checkInt('event data length', out.length - 2, 2, 0xffff);
  putU16(out, 0, out.length - 2);
  out[2] = flag(value.noEventAvailable, 7) | value.notificationClass;
  out[3] = value.supportedClasses;
  out.set(body, 4);
  return out;
}

// ===========================================================================
// READ DISC INFORMATION, MMC-6 §6.22
//  0  OPERATION CODE (51h)
//  1  DATA TYPE (2:0): 0 standard disc information
//  2-6 reserved
//  7-8 ALLOCATION LENGTH (u16)
//  9  CONTROL
export const readDiscInfoLayout = struct('READ DISC INFORMATION CDB', 10, {
  opcode: { offset: 0, type: u8 },
  dataType: { offset: 1, type: u8 },
  allocationLength: { offset: 7, type: 'u16be' },
  control: { offset: 9, type: u8 },
});

export const DISC_INFORMATION_LENGTH = 34;

export interface ReadDiscInformationParams {
  readonly dataType: number;
  readonly allocationLength: number;
}

export function readDiscInformation(params: Partial<ReadDiscInformationParams> = {}): ScsiRequest {
  const dataType = params.dataType ?? 0;
  const allocationLength = params.allocationLength ?? DISC_INFORMATION_LENGTH;
  checkInt('disc information data type', dataType, 0, 7);
  checkInt('READ DISC INFORMATION allocation length', allocationLength, 2, 0xffff);
  return dataIn(
    readDiscInfoLayout.encode({
      opcode: OPCODE.READ_DISC_INFORMATION,
      dataType,
      allocationLength,
      control: 0,
    }),
    allocationLength,
  );
}

/** DISC STATUS (MMC-6 §6.22.3.1.3). */
export const DiscStatus = {
  Blank: 0,
  Appendable: 1,
  Complete: 2,
  /** Random-access media (DVD-RAM, formatted DVD+RW, BD-RE, ...). */
  Other: 3,
} as const;

/** STATE OF LAST SESSION (MMC-6 §6.22.3.1.2). */
export const SessionState = {
  Empty: 0,
  Incomplete: 1,
  Damaged: 2,
  Complete: 3,
} as const;

/**
 * Standard disc information, MMC-6 §6.22.3.1 (34 bytes):
 *  0-1 DISC INFORMATION LENGTH (n - 2)
 *  2  DATA TYPE (7:5) | ERASABLE (4) | STATE OF LAST SESSION (3:2) | DISC STATUS (1:0)
 *  3  NUMBER OF FIRST TRACK ON DISC
 *  4  NUMBER OF SESSIONS (LSB)        9  (MSB)
 *  5  FIRST TRACK IN LAST SESSION (LSB) 10 (MSB)
 *  6  LAST TRACK IN LAST SESSION (LSB)  11 (MSB)
 *  7  DID_V (7) DBC_V (6) URU (5) DAC_V (4) DBIT (2) | BG FORMAT STATUS (1:0)
 *  8  DISC TYPE (00h CD-DA/CD-ROM, 10h CD-I, 20h CD-ROM XA)
 * 12-15 DISC IDENTIFICATION
 * 16-19 LAST SESSION LEAD-IN START ADDRESS (CD: 00 M S F)
 * 20-23 LAST POSSIBLE LEAD-OUT START ADDRESS (CD: 00 M S F)
 * 24-31 DISC BAR CODE
 * 32  DISC APPLICATION CODE
 * 33  NUMBER OF OPC TABLES (the tables that may follow are not decoded)
 */
export interface DiscInformation {
  readonly dataType: number;
  readonly erasable: boolean;
  readonly lastSessionState: number;
  readonly discStatus: number;
  readonly firstTrack: number;
  readonly sessions: number;
  readonly firstTrackInLastSession: number;
  readonly lastTrackInLastSession: number;
  readonly discIdValid: boolean;
  readonly barCodeValid: boolean;
  readonly unrestrictedUse: boolean;
  readonly applicationCodeValid: boolean;
  readonly dirty: boolean;
  readonly bgFormatStatus: number;
  readonly discType: number;
  readonly discIdentification: number;
  readonly lastSessionLeadInStart: number;
  readonly lastPossibleLeadOutStart: number;
  readonly barCode: Uint8Array;
  readonly applicationCode: number;
  readonly opcTableCount: number;
}

const discInfoLayout = struct('disc information', DISC_INFORMATION_LENGTH, {
  length: { offset: 0, type: 'u16be' },
  status: { offset: 2, type: u8 },
  firstTrack: { offset: 3, type: u8 },
  sessionsLsb: { offset: 4, type: u8 },
  firstInLastLsb: { offset: 5, type: u8 },
  lastInLastLsb: { offset: 6, type: u8 },
  flags: { offset: 7, type: u8 },
  discType: { offset: 8, type: u8 },
  sessionsMsb: { offset: 9, type: u8 },
  firstInLastMsb: { offset: 10, type: u8 },
  lastInLastMsb: { offset: 11, type: u8 },
  discIdentification: { offset: 12, type: 'u32be' },
  leadInStart: { offset: 16, type: 'u32be' },
  leadOutStart: { offset: 20, type: 'u32be' },
  barCode: { offset: 24, type: { bytes: 8 } },
  applicationCode: { offset: 32, type: u8 },
  opcTables: { offset: 33, type: u8 },
});

/**
 * Needs the 34-byte standard block; declared length below 34 is inconsistent.
 * OPC tables after byte 33 are not decoded, so a response cut at 34 bytes by
 * the allocation length is complete for this parser.
 */
export function parseDiscInformation(data: Uint8Array): DiscInformation {
  const total = declaredLength('disc information', data, 2, DISC_INFORMATION_LENGTH);
  needDeclared('disc information', data, Math.min(total, DISC_INFORMATION_LENGTH));
  const r = discInfoLayout.decode(data);
  return {
    dataType: r.status >>> 5,
    erasable: bit(r.status, 4),
    lastSessionState: (r.status >>> 2) & 0x03,
    discStatus: r.status & 0x03,
    firstTrack: r.firstTrack,
    sessions: (r.sessionsMsb << 8) | r.sessionsLsb,
    firstTrackInLastSession: (r.firstInLastMsb << 8) | r.firstInLastLsb,
    lastTrackInLastSession: (r.lastInLastMsb << 8) | r.lastInLastLsb,
    discIdValid: bit(r.flags, 7),
    barCodeValid: bit(r.flags, 6),
    unrestrictedUse: bit(r.flags, 5),
    applicationCodeValid: bit(r.flags, 4),
    dirty: bit(r.flags, 2),
    bgFormatStatus: r.flags & 0x03,
    discType: r.discType,
    discIdentification: r.discIdentification,
    lastSessionLeadInStart: r.leadInStart,
    lastPossibleLeadOutStart: r.leadOutStart,
    barCode: r.barCode,
    applicationCode: r.applicationCode,
    opcTableCount: r.opcTables,
  };
}

export function encodeDiscInformation(value: DiscInformation): Uint8Array<ArrayBuffer> {
  checkInt('data type', value.dataType, 0, 7);
  checkInt('last session state', value.lastSessionState, 0, 3);
  checkInt('disc status', value.discStatus, 0, 3);
  checkInt('BG format status', value.bgFormatStatus, 0, 3);
  for (const [name, v] of [
    ['sessions', value.sessions],
    ['first track in last session', value.firstTrackInLastSession],
    ['last track in last session', value.lastTrackInLastSession],
  ] as const) {
    checkInt(name, v, 0, 0xffff);
  }
  return discInfoLayout.encode({
    length: DISC_INFORMATION_LENGTH - 2,
    status:
      (value.dataType << 5) |
      flag(value.erasable, 4) |
      (value.lastSessionState << 2) |
      value.discStatus,
    firstTrack: value.firstTrack,
    sessionsLsb: value.sessions & 0xff,
    firstInLastLsb: value.firstTrackInLastSession & 0xff,
    lastInLastLsb: value.lastTrackInLastSession & 0xff,
    flags:
      flag(value.discIdValid, 7) |
      flag(value.barCodeValid, 6) |
      flag(value.unrestrictedUse, 5) |
      flag(value.applicationCodeValid, 4) |
      flag(value.dirty, 2) |
      value.bgFormatStatus,
    discType: value.discType,
    sessionsMsb: value.sessions >>> 8,
    firstInLastMsb: value.firstTrackInLastSession >>> 8,
    lastInLastMsb: value.lastTrackInLastSession >>> 8,
    discIdentification: value.discIdentification,
    leadInStart: value.lastSessionLeadInStart,
    leadOutStart: value.lastPossibleLeadOutStart,
    barCode: value.barCode,
    applicationCode: value.applicationCode,
    opcTables: value.opcTableCount,
  });
}

// ===========================================================================
// READ TRACK INFORMATION, MMC-6 §6.27
//  0  OPERATION CODE (52h)
//  1  OPEN (2) | ADDRESS/NUMBER TYPE (1:0): 0 LBA, 1 track number, 2 session number
//  2-5 LOGICAL BLOCK ADDRESS / TRACK / SESSION NUMBER (u32; track FFh = the invisible track)
//  6  reserved
//  7-8 ALLOCATION LENGTH (u16)
//  9  CONTROL
export const readTrackInfoLayout = struct('READ TRACK INFORMATION CDB', 10, {
  opcode: { offset: 0, type: u8 },
  flags: { offset: 1, type: u8 },
  address: { offset: 2, type: 'u32be' },
  allocationLength: { offset: 7, type: 'u16be' },
  control: { offset: 9, type: u8 },
});

export const TrackAddressType = {
  Lba: 0,
  Track: 1,
  Session: 2,
} as const;

/** Track number that addresses the incomplete ("invisible") track where writing goes on. */
export const INVISIBLE_TRACK = 0xff;

export const TRACK_INFORMATION_LENGTH = 48;

export interface ReadTrackInformationParams {
  readonly addressType: number;
  readonly address: number;
  readonly open: boolean;
  readonly allocationLength: number;
}

export function readTrackInformation(
  params: Partial<ReadTrackInformationParams> & { readonly address: number },
): ScsiRequest {
  const addressType = params.addressType ?? TrackAddressType.Track;
  const allocationLength = params.allocationLength ?? TRACK_INFORMATION_LENGTH;
  checkInt('address type', addressType, 0, 2);
  checkInt('track address', params.address, 0, 0xffffffff);
  checkInt('READ TRACK INFORMATION allocation length', allocationLength, 2, 0xffff);
  return dataIn(
    readTrackInfoLayout.encode({
      opcode: OPCODE.READ_TRACK_INFORMATION,
      flags: flag(params.open ?? false, 2) | addressType,
      address: params.address,
      allocationLength,
      control: 0,
    }),
    allocationLength,
  );
}

/**
 * Track information, MMC-6 §6.27.3 (48 bytes; MMC-1..3 drives send 28 or 36):
 *  0-1 DATA LENGTH (n - 2)
 *  2  TRACK NUMBER (LSB)        32 (MSB)
 *  3  SESSION NUMBER (LSB)      33 (MSB)
 *  5  DAMAGE (5) | COPY (4) | TRACK MODE (3:0)
 *  6  RT (7) | BLANK (6) | PACKET/INC (5) | FP (4) | DATA MODE (3:0)
 *  7  LRA_V (1) | NWA_V (0)
 *  8-11 LOGICAL TRACK START ADDRESS
 * 12-15 NEXT WRITABLE ADDRESS (valid only with NWA_V)
 * 16-19 FREE BLOCKS
 * 20-23 FIXED PACKET SIZE / BLOCKING FACTOR
 * 24-27 LOGICAL TRACK SIZE
 * 28-31 LAST RECORDED ADDRESS          (from 32 bytes on)
 * 36-39 READ COMPATIBILITY LBA         (from 40 bytes on)
 * 40-43 NEXT LAYER JUMP ADDRESS, 44-47 LAST LAYER JUMP ADDRESS (48 bytes)
 * Fields beyond the declared length are left out (older drives).
 */
export interface TrackInformation {
  readonly trackNumber: number;
  readonly sessionNumber: number;
  readonly damage: boolean;
  readonly copy: boolean;
  readonly trackMode: number;
  /** RT: a reserved (RESERVE TRACK) track. */
  readonly reservedTrack: boolean;
  readonly blank: boolean;
  readonly packet: boolean;
  readonly fixedPacket: boolean;
  readonly dataMode: number;
  readonly lraValid: boolean;
  readonly nwaValid: boolean;
  readonly trackStart: number;
  readonly nextWritableAddress: number;
  readonly freeBlocks: number;
  readonly fixedPacketSize: number;
  readonly trackSize: number;
  readonly lastRecordedAddress?: number;
  readonly readCompatibilityLba?: number;
  readonly nextLayerJumpAddress?: number;
  readonly lastLayerJumpAddress?: number;
}

/** Minimum a track information block must have: through LOGICAL TRACK SIZE (MMC-1). */
const TRACK_INFORMATION_MINIMUM = 28;

export function parseTrackInformation(data: Uint8Array): TrackInformation {
  const total = declaredLength('track information', data, 2, TRACK_INFORMATION_MINIMUM);
  const end = Math.min(total, TRACK_INFORMATION_LENGTH);
  needDeclared('track information', data, end);
  const b5 = data[5]!;
  const b6 = data[6]!;
  const msb = (offset: number) => (end > offset ? data[offset]! << 8 : 0);
  return {
    trackNumber: msb(32) | data[2]!,
    sessionNumber: msb(33) | data[3]!,
    damage: bit(b5, 5),
    copy: bit(b5, 4),
    trackMode: b5 & 0x0f,
    reservedTrack: bit(b6, 7),
    blank: bit(b6, 6),
    packet: bit(b6, 5),
    fixedPacket: bit(b6, 4),
    dataMode: b6 & 0x0f,
    lraValid: bit(data[7], 1),
    nwaValid: bit(data[7], 0),
    trackStart: u32(data, 8),
    nextWritableAddress: u32(data, 12),
    freeBlocks: u32(data, 16),
    fixedPacketSize: u32(data, 20),
    trackSize: u32(data, 24),
    ...(end >= 32 ? { lastRecordedAddress: u32(data, 28) } : {}),
    ...(end >= 40 ? { readCompatibilityLba: u32(data, 36) } : {}),
    ...(end >= 48
      ? { nextLayerJumpAddress: u32(data, 40), lastLayerJumpAddress: u32(data, 44) }
      : {}),
  };
}

/** Always the 48-byte MMC-6 form; absent optional fields are written as 0. */
export function encodeTrackInformation(value: TrackInformation): Uint8Array<ArrayBuffer> {
  checkInt('track number', value.trackNumber, 0, 0xffff);
  checkInt('session number', value.sessionNumber, 0, 0xffff);
  checkInt('track mode', value.trackMode, 0, 0x0f);
  checkInt('data mode', value.dataMode, 0, 0x0f);
  const out = new Uint8Array(TRACK_INFORMATION_LENGTH);
  putU16(out, 0, TRACK_INFORMATION_LENGTH - 2);
  out[2] = value.trackNumber & 0xff;
  out[3] = value.sessionNumber & 0xff;
  out[5] = flag(value.damage, 5) | flag(value.copy, 4) | value.trackMode;
  out[6] =
    flag(value.reservedTrack, 7) |
    flag(value.blank, 6) |
    flag(value.packet, 5) |
    flag(value.fixedPacket, 4) |
    value.dataMode;
  out[7] = flag(value.lraValid, 1) | flag(value.nwaValid, 0);
  const words: [number, number | undefined][] = [
    [8, value.trackStart],
    [12, value.nextWritableAddress],
    [16, value.freeBlocks],
    [20, value.fixedPacketSize],
    [24, value.trackSize],
    [28, value.lastRecordedAddress],
    [36, value.readCompatibilityLba],
    [40, value.nextLayerJumpAddress],
    [44, value.lastLayerJumpAddress],
  ];
  for (const [offset, v] of words) {
    checkInt(`track information field at ${offset}`, v ?? 0, 0, 0xffffffff);
    putU32(out, offset, v ?? 0);
  }
  out[32] = value.trackNumber >>> 8;
  out[33] = value.sessionNumber >>> 8;
  return out;
}

// ===========================================================================
// RESERVE TRACK, MMC-6 §6.31
//  0  OPERATION CODE (53h)
//  1  ARSV (0) = 0: reserve by size
//  2-4 reserved
//  5-8 RESERVATION SIZE in blocks (u32)
//  9  CONTROL
export const reserveTrackLayout = struct('RESERVE TRACK CDB', 10, {
  opcode: { offset: 0, type: u8 },
  flags: { offset: 1, type: u8 },
  size: { offset: 5, type: 'u32be' },
  control: { offset: 9, type: u8 },
});

export interface ReserveTrackParams {
  readonly size: number;
}

export function reserveTrack(params: ReserveTrackParams): ScsiRequest {
  checkInt('reservation size', params.size, 0, 0xffffffff);
  return noData(
    reserveTrackLayout.encode({
      opcode: OPCODE.RESERVE_TRACK,
      flags: 0,
      size: params.size,
      control: 0,
    }),
  );
}

// ===========================================================================
// CLOSE TRACK/SESSION, MMC-6 §6.3
//  0  OPERATION CODE (5Bh)
//  1  IMMED (0)
//  2  CLOSE FUNCTION (2:0): 1 close track, 2 close session (CD: lead-out; DVD±R:
//     close), 5 finalize DVD+R with minimal radius / 6 finalize DVD+R, BD-R
//  3  reserved
//  4-5 TRACK/SESSION NUMBER (u16)
//  6-8 reserved
//  9  CONTROL
export const closeLayout = struct('CLOSE TRACK/SESSION CDB', 10, {
  opcode: { offset: 0, type: u8 },
  flags: { offset: 1, type: u8 },
  function: { offset: 2, type: u8 },
  number: { offset: 4, type: 'u16be' },
  control: { offset: 9, type: u8 },
});

export const CloseFunction = {
  Track: 1,
  Session: 2,
  FinalizeMinimalRadius: 5,
  Finalize: 6,
} as const;

export interface CloseTrackSessionParams {
  readonly immed: boolean;
  readonly closeFunction: number;
  readonly number: number;
}

export function closeTrackSession(
  params: Partial<CloseTrackSessionParams> & { readonly closeFunction: number },
): ScsiRequest {
  const number = params.number ?? 0;
  const immed = params.immed ?? false;
  checkInt('close function', params.closeFunction, 0, 7);
  checkInt('track/session number', number, 0, 0xffff);
  return noData(
    closeLayout.encode({
      opcode: OPCODE.CLOSE_TRACK_SESSION,
      flags: flag(immed, 0),
      function: params.closeFunction,
      number,
      control: 0,
    }),
  );
}

// ===========================================================================
// READ BUFFER CAPACITY, MMC-6 §6.21
//  0  OPERATION CODE (5Ch)
//  1  BLOCK (0): answer in blocks instead of bytes
//  2-6 reserved
//  7-8 ALLOCATION LENGTH (u16)
//  9  CONTROL
export const readBufferCapacityLayout = struct('READ BUFFER CAPACITY CDB', 10, {
  opcode: { offset: 0, type: u8 },
  flags: { offset: 1, type: u8 },
  allocationLength: { offset: 7, type: 'u16be' },
  control: { offset: 9, type: u8 },
});

export const BUFFER_CAPACITY_LENGTH = 12;

export interface ReadBufferCapacityParams {
  readonly block: boolean;
  readonly allocationLength: number;
}

export function readBufferCapacity(params: Partial<ReadBufferCapacityParams> = {}): ScsiRequest {
  const allocationLength = params.allocationLength ?? BUFFER_CAPACITY_LENGTH;
  checkInt('READ BUFFER CAPACITY allocation length', allocationLength, 2, 0xffff);
  return dataIn(
    readBufferCapacityLayout.encode({
      opcode: OPCODE.READ_BUFFER_CAPACITY,
      flags: flag(params.block ?? false, 0),
      allocationLength,
      control: 0,
    }),
    allocationLength,
  );
}

/**
 * Response, MMC-6 §6.21.2 (12 bytes):
 *  0-1 DATA LENGTH (0Ah)  2-3 reserved
 *  4-7 LENGTH OF BUFFER (bytes; reserved when BLOCK = 1)
 *  8-11 AVAILABLE / BLANK LENGTH OF BUFFER (bytes, or blocks when BLOCK = 1)
 */
export interface BufferCapacity {
  readonly bufferLength: number;
  readonly availableLength: number;
}

export function parseBufferCapacity(data: Uint8Array): BufferCapacity {
  const total = declaredLength('buffer capacity', data, 2, BUFFER_CAPACITY_LENGTH);
  needDeclared('buffer capacity', data, Math.min(total, BUFFER_CAPACITY_LENGTH));
  return { bufferLength: u32(data, 4), availableLength: u32(data, 8) };
}

export function encodeBufferCapacity(value: BufferCapacity): Uint8Array<ArrayBuffer> {
  checkInt('buffer length', value.bufferLength, 0, 0xffffffff);
  checkInt('available length', value.availableLength, 0, 0xffffffff);
  const out = new Uint8Array(BUFFER_CAPACITY_LENGTH);
  putU16(out, 0, BUFFER_CAPACITY_LENGTH - 2);
  putU32(out, 4, value.bufferLength);
  putU32(out, 8, value.availableLength);
  return out;
}

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
}

/** Red Book minimum track length: 4 seconds. */
export const MIN_CD_TRACK_SECTORS = 300;
/** The pause before track 1 (and the pre-gap before a data track): 2 seconds. */
export const CD_PREGAP_SECTORS = 150;

/**
 * The cue sheet of one Mode 1 data track (MMC-6 §6.33.3, ECMA-130 §22):
 *  lead-in      CTL 4, ADR 1, TNO 00, INDEX 00, data form 14h, at the pre-gap
 *  pre-gap      TNO 01, INDEX 00, 14h (the drive writes its 150 zero blocks)
 *  track start  TNO 01, INDEX 01, 10h (Mode 1, 2048 bytes a block from the host)
 *  lead-out     TNO AAh, INDEX 01, 14h, right after the last block
 * With the default start (LBA 0) the times are 00:00:00, 00:00:00, 00:02:00
 * and the lead-out's; the host then sends the track with WRITE(10) from LBA 0.
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
  return encodeCueSheet([
    entry(CUE_LEAD_IN_TNO, 0, CueDataForm.Mode1Generated, pregap),
    entry(1, 0, CueDataForm.Mode1Generated, pregap),
    entry(1, 1, CueDataForm.Mode1, start),
    entry(CUE_LEAD_OUT_TNO, 1, CueDataForm.Mode1Generated, start + params.sectors),
  ]);
}

// ===========================================================================
// BLANK, MMC-6 §6.2
//  0  OPERATION CODE (A1h)
//  1  IMMED (4) | BLANKING TYPE (2:0)
//  2-5 START ADDRESS / TRACK NUMBER (u32; types 2-4)
//  6-10 reserved
//  11 CONTROL
// Progress while IMMED: TEST UNIT READY answers 2/04/07 with a progress indicator.
export const blankLayout = struct('BLANK CDB', 12, {
  opcode: { offset: 0, type: u8 },
  flags: { offset: 1, type: u8 },
  address: { offset: 2, type: 'u32be' },
  control: { offset: 11, type: u8 },
});

export const BlankType = {
  Full: 0,
  Minimal: 1,
  Track: 2,
  UnreserveTrack: 3,
  TrackTail: 4,
  UncloseLastSession: 5,
  EraseLastSession: 6,
} as const;

export interface BlankParams {
  readonly immed: boolean;
  readonly type: number;
  readonly address: number;
}

export function blank(params: Partial<BlankParams> & { readonly type: number }): ScsiRequest {
  const address = params.address ?? 0;
  checkInt('blanking type', params.type, 0, 7);
  checkInt('blank start address', address, 0, 0xffffffff);
  return noData(
    blankLayout.encode({
      opcode: OPCODE.BLANK,
      flags: flag(params.immed ?? false, 4) | params.type,
      address,
      control: 0,
    }),
  );
}

// ===========================================================================
// FORMAT UNIT, MMC-6 §6.5
//  0  OPERATION CODE (04h)
//  1  FMTDATA (4) = 1: a parameter list follows | CMPLIST (3) | FORMAT CODE (2:0) = 001b
//  2  vendor specific  3-4 obsolete (interleave)
//  5  CONTROL
export const formatUnitLayout = struct('FORMAT UNIT CDB', 6, {
  opcode: { offset: 0, type: u8 },
  flags: { offset: 1, type: u8 },
  control: { offset: 5, type: u8 },
});

export interface FormatUnitCdb {
  readonly fmtData: boolean;
  readonly cmpList: boolean;
  readonly formatCode: number;
}

/** Format types (MMC-6 §6.5.4.2) of the ones webdisc uses. */
export const FormatType = {
  Full: 0x00,
  DvdPlusRw: 0x26,
  BdReWithSpare: 0x30,
  BdReWithoutSpare: 0x31,
  BdRSrm: 0x32,
} as const;

/**
 * Format parameter list, MMC-6 §6.5.3: a 4-byte header and one 8-byte format
 * descriptor.
 * Header:
 *  0  reserved
 *  1  FOV (7) | DCRT (5) | IP (3) | TRY-OUT (2) | IMMED (1) | VS (0)
 *  2-3 FORMAT DESCRIPTOR LENGTH (8)
 * Descriptor:
 *  4-7 NUMBER OF BLOCKS (u32)
 *  8  FORMAT TYPE (7:2) | FORMAT SUBTYPE (1:0)
 *  9-11 TYPE DEPENDENT PARAMETER (u24; block length or format options)
 * DVD+RW: type 26h, blocks FFFFFFFFh or the READ FORMAT CAPACITIES value;
 * BD-RE: 30h (with spare areas; subtype 2 full / 3 quick certification) or 31h.
 */
export interface FormatParameterList {
  readonly fov: boolean;
  readonly dcrt: boolean;
  readonly tryOut: boolean;
  readonly immed: boolean;
  readonly numberOfBlocks: number;
  readonly formatType: number;
  readonly formatSubtype: number;
  readonly typeDependent: number;
}

export const FORMAT_PARAMETER_LIST_LENGTH = 12;

const formatListLayout = struct('format parameter list', FORMAT_PARAMETER_LIST_LENGTH, {
  reserved: { offset: 0, type: u8 },
  flags: { offset: 1, type: u8 },
  descriptorLength: { offset: 2, type: 'u16be' },
  numberOfBlocks: { offset: 4, type: 'u32be' },
  type: { offset: 8, type: u8 },
  typeDependent: { offset: 9, type: 'u24be' },
});

export function encodeFormatParameterList(value: FormatParameterList): Uint8Array<ArrayBuffer> {
  checkInt('format type', value.formatType, 0, 0x3f);
  checkInt('format subtype', value.formatSubtype, 0, 3);
  checkInt('number of blocks', value.numberOfBlocks, 0, 0xffffffff);
  checkInt('type dependent parameter', value.typeDependent, 0, 0xffffff);
  return formatListLayout.encode({
    reserved: 0,
    flags: flag(value.fov, 7) | flag(value.dcrt, 5) | flag(value.tryOut, 2) | flag(value.immed, 1),
    descriptorLength: 8,
    numberOfBlocks: value.numberOfBlocks,
    type: (value.formatType << 2) | value.formatSubtype,
    typeDependent: value.typeDependent,
  });
}

/** Device side: the list a FORMAT UNIT carried. Needs one whole 8-byte descriptor. */
export function parseFormatParameterList(data: Uint8Array): FormatParameterList {
  need('format parameter list', data, 4);
  const descriptorLength = u16(data, 2);
  if (descriptorLength < 8) {
    throw new DecodeError(`format parameter list: descriptor length ${descriptorLength} < 8`);
  }
  needDeclared('format parameter list', data, 4 + descriptorLength);
  const r = formatListLayout.decode(data);
  return {
    fov: bit(r.flags, 7),
    dcrt: bit(r.flags, 5),
    tryOut: bit(r.flags, 2),
    immed: bit(r.flags, 1),
    numberOfBlocks: r.numberOfBlocks,
    formatType: r.type >>> 2,
    formatSubtype: r.type & 0x03,
    typeDependent: r.typeDependent,
  };
}

/**
 * FORMAT UNIT with FmtData=1, format code 001b and the given list. With
 * `immed` the request carries a short timeout; without it the long default
 * of defaultTimeoutMs applies.
 */
export function formatUnit(
  list: FormatParameterList,
  options: { readonly cmpList?: boolean } = {},
): ScsiRequest {
  const data = encodeFormatParameterList(list);
  const cdb = formatUnitLayout.encode({
    opcode: OPCODE.FORMAT_UNIT,
    flags: 0x10 | flag(options.cmpList ?? false, 3) | 0x01,
    control: 0,
  });
  return dataOut(cdb, data, list.immed ? COMMAND_TIMEOUT_MS.immediate : undefined);
}

// ===========================================================================
// SET CD SPEED, MMC-6 §6.37
//  0  OPERATION CODE (BBh)
//  1  ROTATIONAL CONTROL (1:0): 0 CLV and non-pure CAV, 1 pure CAV
//  2-3 LOGICAL UNIT READ SPEED (kB/s, u16; FFFFh = maximum)
//  4-5 LOGICAL UNIT WRITE SPEED (kB/s, u16; FFFFh = maximum)
//  6-10 reserved
//  11 CONTROL
// 1x CD = 176.4 kB/s (drives round: 4x = 706); 1x DVD = 1385; 1x BD = 4495.
export const setCdSpeedLayout = struct('SET CD SPEED CDB', 12, {
  opcode: { offset: 0, type: u8 },
  rotation: { offset: 1, type: u8 },
  readSpeed: { offset: 2, type: 'u16be' },
  writeSpeed: { offset: 4, type: 'u16be' },
  control: { offset: 11, type: u8 },
});

export const MAX_SPEED = 0xffff;

export interface SetCdSpeedParams {
  readonly readSpeed: number;
  readonly writeSpeed: number;
  readonly rotationControl: number;
}

export function setCdSpeed(params: Partial<SetCdSpeedParams> = {}): ScsiRequest {
  const readSpeed = params.readSpeed ?? MAX_SPEED;
  const writeSpeed = params.writeSpeed ?? MAX_SPEED;
  const rotationControl = params.rotationControl ?? 0;
  checkInt('read speed (kB/s)', readSpeed, 0, MAX_SPEED);
  checkInt('write speed (kB/s)', writeSpeed, 0, MAX_SPEED);
  checkInt('rotational control', rotationControl, 0, 3);
  return noData(
    setCdSpeedLayout.encode({
      opcode: OPCODE.SET_CD_SPEED,
      rotation: rotationControl,
      readSpeed,
      writeSpeed,
      control: 0,
    }),
  );
}

// ===========================================================================
// MECHANISM STATUS, MMC-6 §6.11
//  0  OPERATION CODE (BDh)
//  1-7 reserved
//  8-9 ALLOCATION LENGTH (u16)
//  10 reserved
//  11 CONTROL
export const mechanismStatusLayout = struct('MECHANISM STATUS CDB', 12, {
  opcode: { offset: 0, type: u8 },
  allocationLength: { offset: 8, type: 'u16be' },
  control: { offset: 11, type: u8 },
});

export interface MechanismStatusParams {
  readonly allocationLength: number;
}

export function mechanismStatus(params: Partial<MechanismStatusParams> = {}): ScsiRequest {
  const allocationLength = params.allocationLength ?? 256;
  checkInt('MECHANISM STATUS allocation length', allocationLength, 8, 0xffff);
  return dataIn(
    mechanismStatusLayout.encode({
      opcode: OPCODE.MECHANISM_STATUS,
      allocationLength,
      control: 0,
    }),
    allocationLength,
  );
}

/** CHANGER STATE (MMC-6 §6.11.2.1). */
export const ChangerState = {
  Ready: 0,
  Loading: 1,
  Unloading: 2,
  Initializing: 3,
} as const;

/** Slot table entry: DISC PRESENT (b0 bit7), CHANGE (b0 bit0); 4 bytes. */
export interface MechanismSlot {
  readonly discPresent: boolean;
  readonly change: boolean;
}

/**
 * Response, MMC-6 §6.11.2 (8-byte header, then 4-byte slot tables):
 *  0  FAULT (7) | CHANGER STATE (6:5) | CURRENT SLOT LSBs (4:0)
 *  1  MECHANISM STATE (7:5) | DOOR OPEN (4) | CURRENT SLOT MSBs (2:0)
 *  2-4 CURRENT LBA (u24, obsolete)
 *  5  NUMBER OF SLOTS AVAILABLE
 *  6-7 LENGTH OF SLOT TABLES (u16)
 */
export interface MechanismStatus {
  readonly fault: boolean;
  readonly changerState: number;
  readonly currentSlot: number;
  readonly mechanismState: number;
  readonly doorOpen: boolean;
  readonly currentLba: number;
  readonly slotsAvailable: number;
  readonly slots: readonly MechanismSlot[];
}

export function parseMechanismStatus(data: Uint8Array): MechanismStatus {
  need('mechanism status', data, 8);
  const tableLength = u16(data, 6);
  if (tableLength % 4 !== 0) {
    throw new DecodeError(
      `mechanism status: slot table length ${tableLength} is not a multiple of 4`,
    );
  }
  needDeclared('mechanism status', data, 8 + tableLength);
  const slots: MechanismSlot[] = [];
  for (let i = 8; i + 4 <= 8 + tableLength; i += 4) {
    slots.push({ discPresent: bit(data[i], 7), change: bit(data[i], 0) });
  }
  return {
    fault: bit(data[0], 7),
    changerState: (data[0]! >>> 5) & 0x03,
    currentSlot: ((data[1]! & 0x07) << 5) | (data[0]! & 0x1f),
    mechanismState: data[1]! >>> 5,
    doorOpen: bit(data[1], 4),
    currentLba: (data[2]! << 16) | (data[3]! << 8) | data[4]!,
    slotsAvailable: data[5]!,
    slots,
  };
}

export function encodeMechanismStatus(value: MechanismStatus): Uint8Array<ArrayBuffer> {
  checkInt('changer state', value.changerState, 0, 3);
  checkInt('current slot', value.currentSlot, 0, 0xff);
  checkInt('mechanism state', value.mechanismState, 0, 7);
  checkInt('current LBA', value.currentLba, 0, 0xffffff);
  checkInt('slots available', value.slotsAvailable, 0, 0xff);
  checkInt('slot table length', value.slots.length * 4, 0, 0xffff);
  const out = new Uint8Array(8 + 4 * value.slots.length);
  out[0] = flag(value.fault, 7) | (value.changerState << 5) | (value.currentSlot & 0x1f);
  out[1] = (value.mechanismState << 5) | flag(value.doorOpen, 4) | (value.currentSlot >>> 5);
  out[2] = value.currentLba >>> 16;
  out[3] = (value.currentLba >>> 8) & 0xff;
  out[4] = value.currentLba & 0xff;
  out[5] = value.slotsAvailable;
  putU16(out, 6, 4 * value.slots.length);
  value.slots.forEach((s, n) => {
    out[8 + 4 * n] = flag(s.discPresent, 7) | flag(s.change, 0);
  });
  return out;
}
