/**
 * Mode parameters for MODE SENSE(10)/MODE SELECT(10) (SPC-4 §7.5) and the two
 * MMC mode pages a recorder needs: 05h write parameters (MMC-6 §7.5) and 2Ah
 * capabilities and mechanical status (MMC-3 §5.5.10; "legacy" since MMC-5
 * but still what most drives report for speeds, buffer and tray mechanics).
 *
 * Typed page decoders keep the whole page as read in `raw`, and the encoders
 * start from it, so bytes webdisc does not name (media catalog number, ISRC,
 * vendor bytes) survive a MODE SENSE -> change -> MODE SELECT round trip.
 */
import { DecodeError } from '../errors.ts';
import {
  bit,
  checkInt,
  declaredLength,
  flag,
  need,
  needDeclared,
  putU16,
  putU32,
  TruncatedResponseError,
  u16,
  u32,
} from './bytes.ts';

export const ModePageCode = {
  ReadWriteErrorRecovery: 0x01,
  WriteParameters: 0x05,
  Caching: 0x08,
  PowerCondition: 0x1a,
  TimeoutAndProtect: 0x1d,
  Capabilities: 0x2a,
  AllPages: 0x3f,
} as const;

// ===========================================================================
// Mode parameter list (10-byte CDB form), SPC-4 §7.5.4 and §7.5.5
//  0-1 MODE DATA LENGTH (n - 2; reserved, sent as 0, in MODE SELECT)
//  2  MEDIUM TYPE (obsolete for MMC: 0)
//  3  DEVICE-SPECIFIC PARAMETER
//  4  LONGLBA (0)
//  5  reserved
//  6-7 BLOCK DESCRIPTOR LENGTH (MMC: 0; QEMU's emulated drive still sends one)
//  8.. block descriptors, then mode pages:
//   page_0 format: 0 PS (7) | SPF (6) = 0 | PAGE CODE (5:0), 1 PAGE LENGTH (n - 1)
//   sub_page format: 0 PS | SPF = 1 | PAGE CODE, 1 SUBPAGE CODE, 2-3 PAGE LENGTH (n - 3)

export const MODE_HEADER_LENGTH = 8;

export interface ModeParameterList {
  readonly mediumType: number;
  readonly deviceSpecific: number;
  readonly longLba: boolean;
  /** Kept raw; MMC drives send none. */
  readonly blockDescriptors: Uint8Array;
  /** Each page whole, its header included (see modePageCode, parseWriteParameters, ...). */
  readonly pages: readonly Uint8Array[];
}

export interface ModeListOptions {
  /**
   * MODE SELECT data: the length comes from the parameter list length (the
   * data given), not MODE DATA LENGTH, which the host sends as 0; encoding
   * writes MODE DATA LENGTH 0 and clears every page's PS bit (reserved in
   * MODE SELECT, SPC-4 §7.5.7).
   */
  readonly select?: boolean;
}

/** PAGE CODE of a whole page (byte 0 bits 5:0). */
export function modePageCode(page: Uint8Array): number {
  return (page[0] ?? 0) & 0x3f;
}

/** SUBPAGE CODE when the page uses the sub_page format (SPF), else undefined. */
export function modeSubpageCode(page: Uint8Array): number | undefined {
  return bit(page[0], 6) ? (page[1] ?? 0) : undefined;
}

/** The first page with this code (and subpage, when given). */
export function findModePage(
  list: ModeParameterList,
  code: number,
  subpage?: number,
): Uint8Array | undefined {
  return list.pages.find(
    (p) =>
      modePageCode(p) === code && (subpage === undefined || (modeSubpageCode(p) ?? 0) === subpage),
  );
}

export function parseModeParameterList(
  data: Uint8Array,
  options: ModeListOptions = {},
): ModeParameterList {
  let total: number;
  if (options.select) {
    need('mode parameter list', data, MODE_HEADER_LENGTH);
    total = data.length;
  } else {
    total = declaredLength('mode parameter list', data, 2, MODE_HEADER_LENGTH);
    needDeclared('mode parameter list', data, total);
  }
  const blockDescriptorLength = u16(data, 6);
  const pagesStart = MODE_HEADER_LENGTH + blockDescriptorLength;
  if (pagesStart > total) {
    throw new DecodeError(
      `mode parameter list: ${blockDescriptorLength} bytes of block descriptors do not fit in ${total}`,
    );
  }
  const pages: Uint8Array[] = [];
  // Each page is at least 2 bytes, so the loop ends within total / 2 rounds.
  for (let i = pagesStart; i < total;) {
    const spf = bit(data[i], 6);
    const headerLength = spf ? 4 : 2;
    if (i + headerLength > total) {
      throw new DecodeError(`mode parameter list: page header at ${i} runs past ${total}`);
    }
    const end = i + headerLength + (spf ? u16(data, i + 2) : data[i + 1]!);
    if (end > total) {
      throw new DecodeError(`mode parameter list: page at ${i} runs past ${total} (to ${end})`);
    }
    pages.push(data.slice(i, end));
    i = end;
  }
  return {
    mediumType: data[2]!,
    deviceSpecific: data[3]!,
    longLba: bit(data[4], 0),
    blockDescriptors: data.slice(MODE_HEADER_LENGTH, pagesStart),
    pages,
  };
}

export function encodeModeParameterList(
  list: ModeParameterList,
  options: ModeListOptions = {},
): Uint8Array<ArrayBuffer> {
  checkInt('medium type', list.mediumType, 0, 0xff);
  checkInt('device-specific parameter', list.deviceSpecific, 0, 0xff);
  let length = MODE_HEADER_LENGTH + list.blockDescriptors.length;
  for (const page of list.pages) {
    const spf = bit(page[0], 6);
    const declared = page.length < 2 ? -1 : spf ? u16(page, 2) + 4 : page[1]! + 2;
    if (declared !== page.length) {
      throw new RangeError(`mode page of ${page.length} bytes does not match its page length`);
    }
    length += page.length;
  }
  checkInt('mode data length', length - 2, 6, 0xffff);
  checkInt('block descriptor length', list.blockDescriptors.length, 0, 0xffff);
  const out = new Uint8Array(length);
  putU16(out, 0, options.select ? 0 : length - 2);
  out[2] = list.mediumType;
  out[3] = list.deviceSpecific;
  out[4] = flag(list.longLba, 0);
  putU16(out, 6, list.blockDescriptors.length);
  out.set(list.blockDescriptors, MODE_HEADER_LENGTH);
  let i = MODE_HEADER_LENGTH + list.blockDescriptors.length;
  for (const page of list.pages) {
    out.set(page, i);
    if (options.select) out[i] = out[i]! & 0x7f;
    i += page.length;
  }
  return out;
}

/** Checks a whole page's code and declared length; returns its length. */
function checkPage(what: string, page: Uint8Array, code: number, minimum: number): number {
  need(what, page, 2);
  if (modePageCode(page) !== code || bit(page[0], 6)) {
    throw new DecodeError(
      `${what}: page code 0x${modePageCode(page).toString(16)} is not 0x${code.toString(16)}`,
    );
  }
  const total = page[1]! + 2;
  if (total < minimum) {
    throw new DecodeError(`${what}: page length ${page[1]!} is shorter than ${minimum - 2}`);
  }
  if (page.length < total) throw new TruncatedResponseError(what, total, page.length);
  return total;
}

// ===========================================================================
// Write parameters mode page 05h, MMC-6 §7.5 (CD and DVD-R/-RW; not used for
// DVD+R/RW or BD):
//  0  PS (7) | 05h
//  1  PAGE LENGTH (32h; some drives 36h)
//  2  BUFE (6) | LS_V (5) | TEST WRITE (4) | WRITE TYPE (3:0):
//     0 packet, 1 TAO, 2 SAO/DAO, 3 raw, 4 layer jump
//  3  MULTI-SESSION (7:6) | FP (5) | COPY (4) | TRACK MODE (3:0) (4 = data, 5 = data incremental)
//  4  DATA BLOCK TYPE (3:0): 8 = Mode 1 (2048 bytes), 10 = Mode 2 Form 1, 0 = raw 2352
//  5  LINK SIZE (valid with LS_V)
//  7  HOST APPLICATION CODE (5:0)
//  8  SESSION FORMAT: 00h CD-DA/CD-ROM, 10h CD-I, 20h CD-ROM XA
// 10-13 PACKET SIZE   14-15 AUDIO PAUSE LENGTH (default 150)
// 16-31 MEDIA CATALOG NUMBER  32-47 ISRC  48-51 SUB-HEADER  (kept in raw)

export const WriteType = {
  Packet: 0,
  TrackAtOnce: 1,
  SessionAtOnce: 2,
  Raw: 3,
  LayerJump: 4,
} as const;

/** MULTI-SESSION field (MMC-6 §7.5.4, table 647). */
export const MultiSession = {
  /** No B0 pointer: no next session. */
  Closed: 0,
  /** B0 = FF:FF:FF: no next session (CD-ROM XA style). */
  ClosedB0: 1,
  /** Next session allowed. */
  Open: 3,
} as const;

export const TrackMode = {
  Audio: 0,
  Data: 4,
  DataIncremental: 5,
} as const;

export const DataBlockType = {
  Raw2352: 0,
  Mode1: 8,
  Mode2Form1: 10,
  Mode2Form2: 12,
} as const;

export const WRITE_PARAMETERS_PAGE_LENGTH = 0x32;
const WRITE_PARAMETERS_MINIMUM = 16;

export interface WriteParameters {
  readonly ps: boolean;
  readonly bufe: boolean;
  readonly lsValid: boolean;
  readonly testWrite: boolean;
  readonly writeType: number;
  readonly multiSession: number;
  readonly fixedPacket: boolean;
  readonly copy: boolean;
  readonly trackMode: number;
  readonly dataBlockType: number;
  readonly linkSize: number;
  readonly hostApplicationCode: number;
  readonly sessionFormat: number;
  readonly packetSize: number;
  readonly audioPauseLength: number;
  /** The page as read, header included. Encoding starts from it; absent = a zeroed 52-byte page. */
  readonly raw?: Uint8Array;
}

/** What a data CD TAO burn starts from: TAO, data track, Mode 1, 150-frame pause. */
export const DEFAULT_WRITE_PARAMETERS: WriteParameters = {
  ps: false,
  bufe: false,
  lsValid: false,
  testWrite: false,
  writeType: WriteType.TrackAtOnce,
  multiSession: MultiSession.Closed,
  fixedPacket: false,
  copy: false,
  trackMode: TrackMode.Data,
  dataBlockType: DataBlockType.Mode1,
  linkSize: 0,
  hostApplicationCode: 0,
  sessionFormat: 0,
  packetSize: 0,
  audioPauseLength: 150,
};

/** Decodes a whole page 05h (needs at least 16 bytes: through AUDIO PAUSE LENGTH). */
export function parseWriteParameters(page: Uint8Array): WriteParameters & { raw: Uint8Array } {
  const total = checkPage(
    'write parameters page',
    page,
    ModePageCode.WriteParameters,
    WRITE_PARAMETERS_MINIMUM,
  );
  const b2 = page[2]!;
  const b3 = page[3]!;
  return {
    ps: bit(page[0], 7),
    bufe: bit(b2, 6),
    lsValid: bit(b2, 5),
    testWrite: bit(b2, 4),
    writeType: b2 & 0x0f,
    multiSession: b3 >>> 6,
    fixedPacket: bit(b3, 5),
    copy: bit(b3, 4),
    trackMode: b3 & 0x0f,
    dataBlockType: page[4]! & 0x0f,
    linkSize: page[5]!,
    hostApplicationCode: page[7]! & 0x3f,
    sessionFormat: page[8]!,
    packetSize: u32(page, 10),
    audioPauseLength: u16(page, 14),
    raw: page.slice(0, total),
  };
}

export function encodeWriteParameters(value: WriteParameters): Uint8Array<ArrayBuffer> {
  checkInt('write type', value.writeType, 0, 0x0f);
  checkInt('multi-session', value.multiSession, 0, 3);
  checkInt('track mode', value.trackMode, 0, 0x0f);
  checkInt('data block type', value.dataBlockType, 0, 0x0f);
  checkInt('link size', value.linkSize, 0, 0xff);
  checkInt('host application code', value.hostApplicationCode, 0, 0x3f);
  checkInt('session format', value.sessionFormat, 0, 0xff);
  checkInt('packet size', value.packetSize, 0, 0xffffffff);
  checkInt('audio pause length', value.audioPauseLength, 0, 0xffff);
  const out = new Uint8Array(value.raw?.length ?? WRITE_PARAMETERS_PAGE_LENGTH + 2);
  if (value.raw) out.set(value.raw);
  checkInt('write parameters page size', out.length, WRITE_PARAMETERS_MINIMUM, 0xff + 2);
  out[0] = flag(value.ps, 7) | ModePageCode.WriteParameters;
  out[1] = out.length - 2;
  out[2] =
    (out[2]! & 0x80) |
    flag(value.bufe, 6) |
    flag(value.lsValid, 5) |
    flag(value.testWrite, 4) |
    value.writeType;
  out[3] =
    (value.multiSession << 6) | flag(value.fixedPacket, 5) | flag(value.copy, 4) | value.trackMode;
  out[4] = (out[4]! & 0xf0) | value.dataBlockType;
  out[5] = value.linkSize;
  out[7] = (out[7]! & 0xc0) | value.hostApplicationCode;
  out[8] = value.sessionFormat;
  putU32(out, 10, value.packetSize);
  putU16(out, 14, value.audioPauseLength);
  return out;
}

// ===========================================================================
// CD/DVD capabilities and mechanical status page 2Ah, MMC-3 §5.5.10
//  0  PS (7) | 2Ah        1  PAGE LENGTH (12h MMC-1 / QEMU, 14h-18h MMC-2, 1Ch + 4n MMC-3)
//  2  read:  DVD-RAM (5) DVD-R (4) DVD-ROM (3) METHOD 2 (2) CD-RW (1) CD-R (0)
//  3  write: DVD-RAM (5) DVD-R (4) TEST WRITE (2) CD-RW (1) CD-R (0)
//  4  BUF (7) MULTI-SESSION (6) MODE 2 FORM 2 (5) MODE 2 FORM 1 (4) ... AUDIO PLAY (0)
//  5  ... C2 POINTERS (4) ... CD-DA STREAM ACCURATE (1) CD-DA COMMANDS (0)
//  6  LOADING MECHANISM TYPE (7:5) | EJECT (3) | PREVENT JUMPER (2) | LOCK STATE (1) | LOCK (0)
//  7  changer / audio bits (kept raw)
//  8-9 MAX READ SPEED (kB/s, obsolete)   10-11 NUMBER OF VOLUME LEVELS
// 12-13 BUFFER SIZE (KiB)                14-15 CURRENT READ SPEED (obsolete)
// 18-19 MAX WRITE SPEED (obsolete)       20-21 CURRENT WRITE SPEED (obsolete)
// 22-23 COPY MANAGEMENT REVISION         27    ROTATION CONTROL SELECTED (1:0)
// 28-29 CURRENT WRITE SPEED SELECTED     30-31 NUMBER OF WRITE SPEED DESCRIPTORS (n)
// 32..  write speed descriptors, 4 bytes: 1 ROTATION CONTROL (2:0), 2-3 WRITE SPEED (kB/s)
// No BD bits: the page predates BD; use GET CONFIGURATION features 0040h/0041h.

/** LOADING MECHANISM TYPE (MMC-3 table 361; also feature 0003h). */
export const LoadingMechanism = {
  Caddy: 0,
  Tray: 1,
  PopUp: 2,
  Changer: 4,
  CartridgeChanger: 5,
} as const;

export interface WriteSpeedDescriptor {
  readonly rotationControl: number;
  readonly speed: number;
}

export interface Capabilities {
  readonly ps: boolean;
  readonly read: {
    readonly cdR: boolean;
    readonly cdRw: boolean;
    readonly method2: boolean;
    readonly dvdRom: boolean;
    readonly dvdR: boolean;
    readonly dvdRam: boolean;
  };
  readonly write: {
    readonly cdR: boolean;
    readonly cdRw: boolean;
    readonly testWrite: boolean;
    readonly dvdR: boolean;
    readonly dvdRam: boolean;
  };
  /** BUF: buffer underrun protection. */
  readonly buf: boolean;
  readonly multiSession: boolean;
  readonly mode2Form1: boolean;
  readonly mode2Form2: boolean;
  readonly audioPlay: boolean;
  readonly c2Pointers: boolean;
  readonly cddaStreamAccurate: boolean;
  readonly cddaCommands: boolean;
  readonly loadingMechanism: number;
  readonly eject: boolean;
  readonly preventJumper: boolean;
  readonly lockState: boolean;
  readonly lock: boolean;
  readonly maxReadSpeed: number;
  readonly volumeLevels: number;
  readonly bufferSize: number;
  readonly currentReadSpeed: number;
  readonly maxWriteSpeed: number;
  /** Present from a 22-byte page on. */
  readonly currentWriteSpeed?: number;
  /** Present from a 24-byte page on. */
  readonly copyManagementRevision?: number;
  /** MMC-3 fields, present from a 30-byte page on. */
  readonly rotationControlSelected?: number;
  readonly currentWriteSpeedSelected?: number;
  /** MMC-3 write speed descriptors; empty for older pages. */
  readonly writeSpeeds: readonly WriteSpeedDescriptor[];
  /** The page as read, header included. Encoding starts from it. */
  readonly raw?: Uint8Array;
}

/** 20 bytes: through MAX WRITE SPEED (QEMU's page length 12h; libburn accepts it too). */
const CAPABILITIES_MINIMUM = 20;

export function parseCapabilities(page: Uint8Array): Capabilities & { raw: Uint8Array } {
  const total = checkPage(
    'capabilities page',
    page,
    ModePageCode.Capabilities,
    CAPABILITIES_MINIMUM,
  );
  let writeSpeeds: WriteSpeedDescriptor[] = [];
  if (total >= 32) {
    const n = u16(page, 30);
    if (32 + 4 * n > total) {
      throw new DecodeError(
        `capabilities page: ${n} write speed descriptors do not fit in ${total} bytes`,
      );
    }
    writeSpeeds = Array.from({ length: n }, (_, k) => ({
      rotationControl: page[32 + 4 * k + 1]! & 0x07,
      speed: u16(page, 32 + 4 * k + 2),
    }));
  }
  const [b2, b3, b4, b5, b6] = [page[2]!, page[3]!, page[4]!, page[5]!, page[6]!];
  return {
    ps: bit(page[0], 7),
    read: {
      cdR: bit(b2, 0),
      cdRw: bit(b2, 1),
      method2: bit(b2, 2),
      dvdRom: bit(b2, 3),
      dvdR: bit(b2, 4),
      dvdRam: bit(b2, 5),
    },
    write: {
      cdR: bit(b3, 0),
      cdRw: bit(b3, 1),
      testWrite: bit(b3, 2),
      dvdR: bit(b3, 4),
      dvdRam: bit(b3, 5),
    },
    buf: bit(b4, 7),
    multiSession: bit(b4, 6),
    mode2Form2: bit(b4, 5),
    mode2Form1: bit(b4, 4),
    audioPlay: bit(b4, 0),
    c2Pointers: bit(b5, 4),
    cddaStreamAccurate: bit(b5, 1),
    cddaCommands: bit(b5, 0),
    loadingMechanism: b6 >>> 5,
    eject: bit(b6, 3),
    preventJumper: bit(b6, 2),
    lockState: bit(b6, 1),
    lock: bit(b6, 0),
    maxReadSpeed: u16(page, 8),
    volumeLevels: u16(page, 10),
    bufferSize: u16(page, 12),
    currentReadSpeed: u16(page, 14),
    maxWriteSpeed: u16(page, 18),
    ...(total >= 22 ? { currentWriteSpeed: u16(page, 20) } : {}),
    ...(total >= 24 ? { copyManagementRevision: u16(page, 22) } : {}),
    ...(total >= 30
      ? { rotationControlSelected: page[27]! & 0x03, currentWriteSpeedSelected: u16(page, 28) }
      : {}),
    writeSpeeds,
    raw: page.slice(0, total),
  };
}

/**
 * The page is as long as `raw`, or as the fields given need: 20 bytes, 22
 * with currentWriteSpeed, 24 with copyManagementRevision, 32 + 4n with the
 * MMC-3 fields or any write speed descriptor. Bits not named in Capabilities
 * keep their value from `raw`.
 */
export function encodeCapabilities(value: Capabilities): Uint8Array<ArrayBuffer> {
  const n = value.writeSpeeds.length;
  let needed = CAPABILITIES_MINIMUM;
  if (value.currentWriteSpeed !== undefined) needed = 22;
  if (value.copyManagementRevision !== undefined) needed = 24;
  if (
    value.rotationControlSelected !== undefined ||
    value.currentWriteSpeedSelected !== undefined
  ) {
    needed = 30;
  }
  let length = Math.max(needed, value.raw?.length ?? 0);
  // The descriptor count (30-31) comes with the MMC-3 fields of a new page, and
  // a page that has the count must also hold the descriptors.
  if (n > 0 || length >= 32 || (value.raw === undefined && needed === 30)) {
    length = Math.max(length, 32 + 4 * n);
  }
  checkInt('capabilities page size', length, CAPABILITIES_MINIMUM, 0xff + 2);
  checkInt('loading mechanism type', value.loadingMechanism, 0, 7);
  const out = new Uint8Array(length);
  if (value.raw) out.set(value.raw.subarray(0, length));
  const keep = (i: number, mask: number) => out[i]! & ~mask;
  const r = value.read;
  const w = value.write;
  out[0] = flag(value.ps, 7) | ModePageCode.Capabilities;
  out[1] = length - 2;
  out[2] =
    keep(2, 0x3f) |
    flag(r.dvdRam, 5) |
    flag(r.dvdR, 4) |
    flag(r.dvdRom, 3) |
    flag(r.method2, 2) |
    flag(r.cdRw, 1) |
    flag(r.cdR, 0);
  out[3] =
    keep(3, 0x37) |
    flag(w.dvdRam, 5) |
    flag(w.dvdR, 4) |
    flag(w.testWrite, 2) |
    flag(w.cdRw, 1) |
    flag(w.cdR, 0);
  out[4] =
    keep(4, 0xf1) |
    flag(value.buf, 7) |
    flag(value.multiSession, 6) |
    flag(value.mode2Form2, 5) |
    flag(value.mode2Form1, 4) |
    flag(value.audioPlay, 0);
  out[5] =
    keep(5, 0x13) |
    flag(value.c2Pointers, 4) |
    flag(value.cddaStreamAccurate, 1) |
    flag(value.cddaCommands, 0);
  out[6] =
    keep(6, 0xef) |
    (value.loadingMechanism << 5) |
    flag(value.eject, 3) |
    flag(value.preventJumper, 2) |
    flag(value.lockState, 1) |
    flag(value.lock, 0);
  const words: [number, number | undefined][] = [
    [8, value.maxReadSpeed],
    [10, value.volumeLevels],
    [12, value.bufferSize],
    [14, value.currentReadSpeed],
    [18, value.maxWriteSpeed],
    [20, value.currentWriteSpeed],
    [22, value.copyManagementRevision],
    [28, value.currentWriteSpeedSelected],
  ];
  for (const [offset, v] of words) {
    if (v === undefined) continue;
    checkInt(`capabilities field at ${offset}`, v, 0, 0xffff);
    putU16(out, offset, v);
  }
  if (value.rotationControlSelected !== undefined) {
    checkInt('rotation control selected', value.rotationControlSelected, 0, 3);
    out[27] = keep(27, 0x03) | value.rotationControlSelected;
  }
  if (length >= 32) {
    putU16(out, 30, n);
    value.writeSpeeds.forEach((d, k) => {
      checkInt('rotation control', d.rotationControl, 0, 7);
      checkInt('write speed', d.speed, 0, 0xffff);
      const i = 32 + 4 * k;
      out[i + 1] = keep(i + 1, 0x07) | d.rotationControl;
      putU16(out, i + 2, d.speed);
    });
  }
  return out;
}
