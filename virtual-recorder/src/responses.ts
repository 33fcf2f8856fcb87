/**
 * Byte layouts of the data the virtual drive returns, built the way drive
 * firmware builds them: from the drive's own state, independently of the
 * host-side decoders in usb-mass-storage/src/scsi/ (the conformance suite
 * cross-checks the two). Every SCSI field is big-endian (SPC-4 §4.3.1).
 * Each builder returns the full response; the caller truncates it to the
 * CDB's allocation length (SPC-4 §4.2.5.6), so length fields always describe
 * the whole response.
 */
import { DRIVE_PROFILES, Feature, type MediaInfo } from './media.ts';
import type { Disc, Track } from './disc.ts';

// ---- field helpers ---------------------------------------------------------

export function put16(b: Uint8Array, at: number, v: number): void {
  b[at] = (v >>> 8) & 0xff;
  b[at + 1] = v & 0xff;
}
export function put24(b: Uint8Array, at: number, v: number): void {
  b[at] = (v >>> 16) & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = v & 0xff;
}
export function put32(b: Uint8Array, at: number, v: number): void {
  b[at] = (v >>> 24) & 0xff;
  b[at + 1] = (v >>> 16) & 0xff;
  b[at + 2] = (v >>> 8) & 0xff;
  b[at + 3] = v & 0xff;
}
export function get16(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
}
export function get32(b: Uint8Array, at: number): number {
  return (
    (((b[at] ?? 0) << 24) |
      ((b[at + 1] ?? 0) << 16) |
      ((b[at + 2] ?? 0) << 8) |
      (b[at + 3] ?? 0)) >>>
    0
  );
}

function asciiField(b: Uint8Array, at: number, text: string, width: number): void {
  for (let i = 0; i < width; i++) b[at + i] = i < text.length ? text.charCodeAt(i) & 0x7f : 0x20;
}

/** LBA to MSF (MMC-6 §4.2.3.4: MSF = LBA + 150 frames; 75 frames/s). Minutes saturate at 255. */
export function lbaToMsf(lba: number): [number, number, number] {
  const frames = lba + 150;
  const m = Math.floor(frames / (60 * 75));
  const s = Math.floor((frames % (60 * 75)) / 75);
  const f = frames % 75;
  return m > 255 ? [255, 59, 74] : [m, s, f];
}

/** An address field of READ TOC / READ DISC INFORMATION: 00 M S F when `msf`, else the LBA. */
function putAddress(b: Uint8Array, at: number, lba: number, msf: boolean): void {
  if (!msf) {
    put32(b, at, lba >>> 0);
    return;
  }
  const [m, s, f] = lbaToMsf(lba);
  b[at] = 0;
  b[at + 1] = m;
  b[at + 2] = s;
  b[at + 3] = f;
}

function concat(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// ---- INQUIRY (SPC-4 §6.4) ----------------------------------------------------

export interface Identity {
  readonly vendor: string;
  readonly product: string;
  readonly revision: string;
  readonly serial: string;
}

/**
 * Standard INQUIRY data, 36 bytes (SPC-4 §6.4.2):
 *  0  PERIPHERAL QUALIFIER(7:5) | DEVICE TYPE(4:0) = 05h (MMC), or 7Fh for an absent LUN
 *  1  RMB(7) = 1 removable
 *  2  VERSION = 05h (SPC-3)
 *  3  NORMACA(5) HISUP(4) | RESPONSE DATA FORMAT(3:0) = 2
 *  4  ADDITIONAL LENGTH = 31
 *  8  T10 VENDOR IDENTIFICATION (8 ASCII)   16 PRODUCT IDENTIFICATION (16)   32 PRODUCT REVISION LEVEL (4)
 */
export function standardInquiry(id: Identity, lunPresent: boolean): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(36);
  b[0] = lunPresent ? 0x05 : 0x7f;
  b[1] = 0x80;
  b[2] = 0x05;
  b[3] = 0x02;
  b[4] = 36 - 5;
  asciiField(b, 8, id.vendor, 8);
  asciiField(b, 16, id.product, 16);
  asciiField(b, 32, id.revision, 4);
  return b;
}

/**
 * Vital product data (SPC-4 §7.8): 00h supported pages, 80h unit serial number.
 *  0 DEVICE TYPE  1 PAGE CODE  2-3 PAGE LENGTH  4.. page data
 */
export function vpdPage(page: number, id: Identity): Uint8Array<ArrayBuffer> | undefined {
  if (page === 0x00) return Uint8Array.of(0x05, 0x00, 0x00, 2, 0x00, 0x80);
  if (page === 0x80) {
    const b = new Uint8Array(4 + id.serial.length);
    b[0] = 0x05;
    b[1] = 0x80;
    put16(b, 2, id.serial.length);
    asciiField(b, 4, id.serial, id.serial.length);
    return b;
  }
  return undefined;
}

// ---- READ CAPACITY (MMC-6 §6.23) -----------------------------------------------

/** 0-3 LOGICAL BLOCK ADDRESS of the last readable block, 4-7 BLOCK LENGTH = 2048. */
export function readCapacity(lastLba: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(8);
  put32(b, 0, lastLba >>> 0);
  put32(b, 4, 2048);
  return b;
}

// ---- READ TOC/PMA/ATIP (MMC-6 §6.26) ---------------------------------------------

const ADR_CTL_DATA = 0x14; // ADR 1 (Q mode 1) | CONTROL 4 (data track, recorded uninterrupted)
const LEAD_OUT = 0xaa;

/**
 * Format 0000b, TOC (MMC-6 §6.26.3.2):
 *  0-1 TOC DATA LENGTH (n - 2)   2 FIRST TRACK NUMBER   3 LAST TRACK NUMBER
 *  then 8-byte descriptors: 0 reserved, 1 ADR|CONTROL, 2 TRACK NUMBER, 3 reserved,
 *  4-7 TRACK START ADDRESS (LBA, or 00 M S F with MSF=1); the last one is the
 *  lead-out (AAh). Only tracks of closed sessions appear, as in a CD's TOC.
 *  Returns undefined when `startTrack` is past the last track (5/24/00).
 */
export function tocFormat0(disc: Disc, msf: boolean, startTrack: number): Uint8Array | undefined {
  const sessions = disc.sessions().filter((s) => s.closed);
  const last = sessions[sessions.length - 1];
  if (!last) return undefined;
  const tracks = disc.tracks.filter((t) => t.session <= last.number);
  const lastTrackNumber = tracks[tracks.length - 1]?.number ?? 1;
  const from = startTrack === 0 ? 1 : startTrack;
  if (from !== LEAD_OUT && from > lastTrackNumber) return undefined;
  const listed = from === LEAD_OUT ? [] : tracks.filter((t) => t.number >= from);
  const b = new Uint8Array(4 + 8 * (listed.length + 1));
  put16(b, 0, b.length - 2);
  b[2] = tracks[0]?.number ?? 1;
  b[3] = lastTrackNumber;
  let at = 4;
  for (const t of listed) {
    b[at + 1] = ADR_CTL_DATA;
    b[at + 2] = t.number;
    putAddress(b, at + 4, t.start, msf);
    at += 8;
  }
  b[at + 1] = ADR_CTL_DATA;
  b[at + 2] = LEAD_OUT;
  putAddress(b, at + 4, last.leadOut, msf);
  return b;
}

/**
 * Format 0001b, session information (MMC-6 §6.26.3.3):
 *  0-1 DATA LENGTH = 0Ah  2 FIRST COMPLETE SESSION  3 LAST COMPLETE SESSION
 *  4-11 one descriptor: ADR|CONTROL at 5, FIRST TRACK NUMBER IN LAST COMPLETE SESSION at 6,
 *  its START ADDRESS at 8-11.
 */
export function tocFormat1(disc: Disc, msf: boolean): Uint8Array | undefined {
  const sessions = disc.sessions().filter((s) => s.closed);
  const last = sessions[sessions.length - 1];
  if (!last) return undefined;
  const b = new Uint8Array(12);
  put16(b, 0, 10);
  b[2] = 1;
  b[3] = last.number;
  b[5] = ADR_CTL_DATA;
  b[6] = last.firstTrack;
  putAddress(b, 8, last.start, msf);
  return b;
}

/**
 * Format 0010b, full TOC (MMC-6 §6.26.3.4): 0-1 length, 2 first / 3 last
 * complete session, then 11-byte descriptors: 0 SESSION, 1 ADR|CONTROL, 2 TNO,
 * 3 POINT, 4-6 MIN SEC FRAME (ATIME, 0 here), 7 ZERO, 8-10 PMIN PSEC PFRAME.
 * Per session: A0 (first track, disc type 00h), A1 (last track), A2 (lead-out),
 * one point per track; an appendable disc's last session adds B0 (ADR 5:
 * next program area start in MIN/SEC/FRAME, last possible lead-out in P-MSF).
 */
export function tocFormat2(disc: Disc, startSession: number): Uint8Array | undefined {
  const sessions = disc.sessions().filter((s) => s.closed && s.number >= Math.max(1, startSession));
  const all = disc.sessions().filter((s) => s.closed);
  const lastAll = all[all.length - 1];
  if (!lastAll || sessions.length === 0) return undefined;
  const rows: Uint8Array[] = [];
  const row = (session: number, adrCtl: number, point: number, a: number[], p: number[]) => {
    const r = new Uint8Array(11);
    r[0] = session;
    r[1] = adrCtl;
    r[3] = point;
    r.set(a.slice(0, 4), 4);
    r.set(p.slice(0, 3), 8);
    rows.push(r);
  };
  const next = disc.invisibleTrack;
  for (const s of sessions) {
    row(s.number, ADR_CTL_DATA, 0xa0, [0, 0, 0, 0], [s.firstTrack, 0x00, 0]);
    row(s.number, ADR_CTL_DATA, 0xa1, [0, 0, 0, 0], [s.lastTrack, 0, 0]);
    row(s.number, ADR_CTL_DATA, 0xa2, [0, 0, 0, 0], lbaToMsf(s.leadOut));
    for (const t of disc.tracks.filter((x) => x.session === s.number)) {
      row(s.number, ADR_CTL_DATA, t.number, [0, 0, 0, 0], lbaToMsf(t.start));
    }
    if (s.number === lastAll.number && next) {
      const [m, sec, f] = lbaToMsf(next.start);
      row(s.number, 0x54, 0xb0, [m, sec, f, 1], lbaToMsf(disc.capacity));
    }
  }
  const body = concat(rows);
  const b = new Uint8Array(4 + body.length);
  put16(b, 0, b.length - 2);
  b[2] = all[0]?.number ?? 1;
  b[3] = lastAll.number;
  b.set(body, 4);
  return b;
}

/** ATIP lead-in start of a typical 80-minute disc (97:26:66), in MSF. */
const ATIP_LEAD_IN: readonly [number, number, number] = [97, 26, 66];

/**
 * Format 0100b, ATIP (MMC-6 §6.26.3.6), CD-R/RW only:
 *  0-1 DATA LENGTH = 26   4 bit7=1 | INDICATIVE TARGET WRITING POWER(6:4) | REFERENCE SPEED(2:0)
 *  5 URU(6)   6 bit7=1 | DISC TYPE(6) (1 = CD-RW) | DISC SUB-TYPE(5:3) | A1/A2/A3 valid(2:0)
 *  8-10 ATIP START TIME OF LEAD-IN (M S F)   12-14 LAST POSSIBLE START TIME OF LEAD-OUT (M S F)
 */
export function tocFormat4(media: MediaInfo): Uint8Array {
  const b = new Uint8Array(28);
  put16(b, 0, 26);
  b[4] = 0x80 | (5 << 4) | (media.kind === 'erasable' ? 0x01 : 0x00);
  b[6] = 0x80 | (media.kind === 'erasable' ? 0x40 : 0x00);
  b.set(ATIP_LEAD_IN, 8);
  b.set(lbaToMsf(media.capacity), 12);
  return b;
}

// ---- READ DISC INFORMATION (MMC-6 §6.22) ------------------------------------------

/**
 * Standard disc information, 34 bytes (MMC-6 §6.22.3.1):
 *  0-1 DISC INFORMATION LENGTH = 32
 *  2   DATA TYPE(7:5)=000 | ERASABLE(4) | STATE OF LAST SESSION(3:2) | DISC STATUS(1:0)
 *  3   NUMBER OF FIRST TRACK ON DISC
 *  4   NUMBER OF SESSIONS (LSB)   5 FIRST TRACK IN LAST SESSION (LSB)   6 LAST TRACK IN LAST SESSION (LSB)
 *  7   DID_V DBC_V URU DAC_V | BG FORMAT STATUS(1:0) (DVD+RW: 11b formatting complete)
 *  8   DISC TYPE (00h CD-DA/CD-ROM)
 *  9-11 the MSBs of 4, 5, 6
 *  16-19 LAST SESSION LEAD-IN START ADDRESS   20-23 LAST POSSIBLE LEAD-OUT START ADDRESS
 *        (MSF on CD, LBA otherwise; FFFFFFFFh when the disc is complete)
 *  24-31 DISC BAR CODE   32 DISC APPLICATION CODE   33 NUMBER OF OPC TABLES = 0
 */
export function discInformation(disc: Disc): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(34);
  put16(b, 0, 32);
  const status = disc.status;
  b[2] = (disc.media.erasable ? 0x10 : 0) | (disc.lastSessionState << 2) | status;
  b[3] = 1;
  const sessions = disc.sessionCount;
  const lastSession = disc.tracks.filter((t) => t.session === sessions);
  const first = lastSession[0]?.number ?? 1;
  const last = lastSession[lastSession.length - 1]?.number ?? 1;
  b[4] = sessions & 0xff;
  b[5] = first & 0xff;
  b[6] = last & 0xff;
  b[9] = sessions >> 8;
  b[10] = first >> 8;
  b[11] = last >> 8;
  if (disc.media.kind === 'formattable' && disc.formatted && disc.media.family === 'dvd')
    b[7] = 0x03;
  b[8] = 0x00;
  const cd = disc.media.family === 'cd';
  const inv = disc.invisibleTrack;
  if (status === 2 || status === 3 || !inv) {
    put32(b, 16, 0xffffffff);
    put32(b, 20, 0xffffffff);
  } else if (cd) {
    if (disc.closedSessions === 0) b.set([0, ...ATIP_LEAD_IN], 16);
    else putAddress(b, 16, inv.start - 4500 - 150, true); // lead-in precedes the pre-gap
    putAddress(b, 20, disc.capacity, true);
  } else {
    put32(b, 16, inv.start);
    put32(b, 20, disc.capacity);
  }
  return b;
}

// ---- READ TRACK INFORMATION (MMC-6 §6.27) --------------------------------------------

/**
 * Track information, 48 bytes (MMC-6 §6.27.3):
 *  0-1 DATA LENGTH = 46   2 TRACK NUMBER (LSB)   3 SESSION NUMBER (LSB)
 *  5   DAMAGE(5) COPY(4) | TRACK MODE(3:0) = 4 (data)
 *  6   RT(7) BLANK(6) PACKET/INC(5) FP(4) | DATA MODE(3:0) (1 = Mode 1, Fh = unknown/blank)
 *  7   LRA_V(1) NWA_V(0)
 *  8-11 TRACK START ADDRESS   12-15 NEXT WRITABLE ADDRESS   16-19 FREE BLOCKS
 *  20-23 FIXED PACKET SIZE / BLOCKING FACTOR   24-27 TRACK SIZE   28-31 LAST RECORDED ADDRESS
 *  32 TRACK NUMBER (MSB)   33 SESSION NUMBER (MSB)   36-39 READ COMPATIBILITY LBA
 *  40-43 NEXT LAYER JUMP ADDRESS   44-47 LAST LAYER JUMP ADDRESS
 */
export function trackInformation(disc: Disc, t: Track): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(48);
  put16(b, 0, 46);
  b[2] = t.number & 0xff;
  b[3] = t.session & 0xff;
  b[32] = t.number >> 8;
  b[33] = t.session >> 8;
  b[5] = 0x04;
  const blank = t.recorded === 0 && !(disc.media.kind === 'formattable' && disc.formatted);
  const incremental = disc.sequential && !t.reserved;
  b[6] =
    (t.reserved ? 0x80 : 0) |
    (blank ? 0x40 : 0) |
    (incremental && disc.media.family !== 'cd' ? 0x20 : 0) |
    (blank ? 0x0f : 0x01);
  const nwa = disc.nextWritableAddress(t);
  const lraValid = t.recorded > 0 && disc.sequential && disc.media.family !== 'cd';
  b[7] = (lraValid ? 0x02 : 0) | (nwa !== undefined ? 0x01 : 0);
  put32(b, 8, t.start);
  put32(b, 12, nwa ?? 0);
  put32(b, 16, disc.freeBlocks(t));
  put32(b, 20, disc.media.family === 'cd' ? 0 : disc.media.blocking);
  put32(b, 24, t.size ?? disc.capacity - t.start);
  put32(b, 28, t.recorded > 0 ? t.start + t.recorded - 1 : 0);
  return b;
}

// ---- GET CONFIGURATION (MMC-6 §6.6, features §5.3) --------------------------------------

export interface FeatureContext {
  readonly media: MediaInfo | undefined;
  readonly disc: Disc | undefined;
  /** The medium can take a WRITE now (write features current). */
  readonly writable: boolean;
  readonly serial: string;
}

/**
 * Feature descriptor (MMC-6 §5.2.2):
 *  0-1 FEATURE CODE  2 VERSION(5:2) PERSISTENT(1) CURRENT(0)  3 ADDITIONAL LENGTH  4.. data
 */
function descriptor(
  code: number,
  version: number,
  persistent: boolean,
  current: boolean,
  data: Uint8Array,
): Uint8Array {
  const b = new Uint8Array(4 + data.length);
  put16(b, 0, code);
  b[2] = (version << 2) | (persistent ? 0x02 : 0) | (current ? 0x01 : 0);
  b[3] = data.length;
  b.set(data, 4);
  return b;
}

function data(length: number, fill: (b: Uint8Array) => void): Uint8Array {
  const b = new Uint8Array(length);
  fill(b);
  return b;
}

/** Feature 002Eh MAXIMUM CUE SHEET LENGTH: the longest SEND CUE SHEET the drive takes (480 entries). */
export const MAX_CUE_SHEET_BYTES = 0x000f00;

/** BD class support bitmap (2 bytes, versions 15..8 then 7..0) with versions 1 and 2 of class 0. */
const BD_CLASS0_V12 = [0x00, 0x06] as const;

/** Every feature the drive has, in ascending code order, with its current bit for this medium. */
export function features(
  ctx: FeatureContext,
): { code: number; bytes: Uint8Array; current: boolean }[] {
  const m = ctx.media;
  const disc = ctx.disc;
  const has = (f: number) => m !== undefined && m.writeFeatures.includes(f) && ctx.writable;
  const readable = disc !== undefined && disc.readableEnd > 0;
  const family = m?.family ?? 'none';
  const out: { code: number; bytes: Uint8Array; current: boolean }[] = [];
  const add = (
    code: number,
    version: number,
    persistent: boolean,
    current: boolean,
    d: Uint8Array,
  ) => out.push({ code, bytes: descriptor(code, version, persistent, current, d), current });

  // 0000h Profile List: 4 bytes per profile: 0-1 PROFILE NUMBER, 2 CURRENTP(0).
  add(
    Feature.ProfileList,
    0,
    true,
    true,
    data(DRIVE_PROFILES.length * 4, (b) => {
      DRIVE_PROFILES.forEach((p, i) => {
        put16(b, i * 4, p);
        b[i * 4 + 2] = m !== undefined && m.profile === p ? 0x01 : 0x00;
      });
    }),
  );
  // 0001h Core: 4-7 PHYSICAL INTERFACE STANDARD (8 = USB), 8 INQ2(1) DBE(0).
  add(
    Feature.Core,
    2,
    true,
    true,
    data(8, (b) => {
      put32(b, 0, 0x00000008);
      b[4] = 0x01;
    }),
  );
  // 0002h Morphing: 4 OCEVENT(1) ASYNC(0) = polling only.
  add(
    Feature.Morphing,
    1,
    true,
    true,
    data(4, (b) => (b[0] = 0x02)),
  );
  // 0003h Removable Medium: 4 LOADING MECHANISM(7:5)=001b tray | LOAD(4) EJECT(3) PVNT JMPR(2) DBML(1) LOCK(0).
  add(
    Feature.RemovableMedium,
    2,
    true,
    true,
    data(4, (b) => (b[0] = 0x20 | 0x10 | 0x08 | 0x01)),
  );
  // 0010h Random Readable: 4-7 LOGICAL BLOCK SIZE, 8-9 BLOCKING, 10 PP(0).
  add(
    Feature.RandomReadable,
    0,
    false,
    readable,
    data(8, (b) => {
      put32(b, 0, 2048);
      put16(b, 4, m?.blocking ?? 1);
    }),
  );
  // 001Eh CD Read: 4 DAP(7) C2(1) CD-TEXT(0) = none.
  add(Feature.CdRead, 2, false, family === 'cd', new Uint8Array(4));
  // 001Fh DVD Read: 4 MULTI110(0), 6 DUAL-R(0).
  add(
    Feature.DvdRead,
    1,
    false,
    family === 'dvd',
    data(4, (b) => (b[2] = 0x01)),
  );
  // 0020h Random Writable: 4-7 LAST LBA, 8-11 LOGICAL BLOCK SIZE, 12-13 BLOCKING, 14 PP(0).
  add(
    Feature.RandomWritable,
    0,
    false,
    has(Feature.RandomWritable),
    data(12, (b) => {
      put32(b, 0, disc && disc.randomAccess ? disc.capacity - 1 : 0);
      put32(b, 4, 2048);
      put16(b, 8, m?.blocking ?? 1);
    }),
  );
  // 0021h Incremental Streaming Writable: 4-5 DATA BLOCK TYPES SUPPORTED (bit 8 = Mode 1),
  // 6 TRIO(2) ARSV(1) BUF(0), 7 NUMBER OF LINK SIZES, 8.. LINK SIZE (padded to 4).
  add(
    Feature.IncrementalStreamingWritable,
    1,
    false,
    has(Feature.IncrementalStreamingWritable),
    data(8, (b) => {
      put16(b, 0, 0x0100);
      b[2] = 0x01;
      b[3] = 1;
      b[4] = family === 'cd' ? 7 : 16;
    }),
  );
  // 0023h Formattable: 4 RENOSA(3) EXPAND(2) QCERT(1) CERT(0), 8 RRM(0).
  add(
    Feature.Formattable,
    0,
    false,
    m?.kind === 'formattable',
    data(8, (b) => (b[0] = 0x0b)),
  );
  // 002Ah DVD+RW: 4 WRITE(0), 5 QUICK START(1) CLOSE ONLY(0).
  add(
    Feature.DvdPlusRw,
    1,
    false,
    m?.name === 'dvd+rw',
    data(4, (b) => {
      b[0] = 0x01;
    }),
  );
  // 002Bh DVD+R: 4 WRITE(0).
  add(
    Feature.DvdPlusR,
    1,
    false,
    has(Feature.DvdPlusR),
    data(4, (b) => (b[0] = 0x01)),
  );
  // 002Dh CD Track at Once: 4 BUF(6) R-W RAW(4) R-W PACK(3) TEST WRITE(2) CD-RW(1) R-W SUBCODE(0),
  // 6-7 DATA TYPE SUPPORTED (bit 8 = Mode 1).
  add(
    Feature.CdTrackAtOnce,
    2,
    false,
    has(Feature.CdTrackAtOnce),
    data(4, (b) => {
      b[0] = 0x40 | 0x04 | 0x02;
      put16(b, 2, 0x0100);
    }),
  );
  // 002Eh CD Mastering: 4 BUF(6) SAO(5) RAW MS(4) RAW(3) TEST WRITE(2) CD-RW(1) R-W(0),
  // 5-7 MAXIMUM CUE SHEET LENGTH.
  add(
    Feature.CdMastering,
    1,
    false,
    has(Feature.CdMastering),
    data(4, (b) => {
      b[0] = 0x40 | 0x20 | 0x04 | 0x02;
      put24(b, 1, MAX_CUE_SHEET_BYTES);
    }),
  );
  // 002Fh DVD-R/-RW Write: 4 BUF(6) RDL(3) TEST WRITE(2) DVD-RW SL(1).
  add(
    Feature.DvdRWrite,
    1,
    false,
    has(Feature.DvdRWrite),
    data(4, (b) => (b[0] = 0x40 | 0x04 | 0x02)),
  );
  // 003Bh DVD+R Dual Layer: 4 WRITE(0).
  add(
    Feature.DvdPlusRDualLayer,
    1,
    false,
    has(Feature.DvdPlusRDualLayer),
    data(4, (b) => (b[0] = 0x01)),
  );
  // 0040h BD Read: 4-7 reserved, then 2-byte class bitmaps: 8-15 BD-RE class 0-3,
  // 16-23 BD-R class 0-3, 24-31 BD-ROM class 0-3.
  add(
    Feature.BdRead,
    1,
    false,
    family === 'bd',
    data(28, (b) => {
      b.set(BD_CLASS0_V12, 4);
      b.set(BD_CLASS0_V12, 12);
      b.set(BD_CLASS0_V12, 20);
    }),
  );
  // 0041h BD Write: 4 SVNR(0), 8-15 BD-RE class 0-3, 16-23 BD-R class 0-3.
  add(
    Feature.BdWrite,
    2,
    false,
    has(Feature.BdWrite),
    data(20, (b) => {
      b.set(BD_CLASS0_V12, 4);
      b.set(BD_CLASS0_V12, 12);
    }),
  );
  // 0107h Real Time Streaming: 4 RBCB(4) SCS(3) MP2A(2) WSPD(1) SW(0).
  add(
    Feature.RealTimeStreaming,
    3,
    false,
    has(Feature.RealTimeStreaming),
    data(4, (b) => (b[0] = 0x10 | 0x08 | 0x04)),
  );
  // 0108h Logical Unit Serial Number: 4.. SERIAL NUMBER (ASCII, padded to a multiple of 4).
  const serialLength = Math.ceil(ctx.serial.length / 4) * 4;
  add(
    Feature.SerialNumber,
    0,
    true,
    true,
    data(serialLength, (b) => asciiField(b, 0, ctx.serial, serialLength)),
  );
  return out;
}

/**
 * GET CONFIGURATION response (MMC-6 §6.6.2): 0-3 DATA LENGTH (n - 4),
 * 6-7 CURRENT PROFILE, then the descriptors RT selects: 00b all from the
 * starting feature, 01b current ones only, 10b exactly the starting feature.
 */
export function configuration(
  ctx: FeatureContext,
  rt: number,
  startingFeature: number,
): Uint8Array<ArrayBuffer> {
  const all = features(ctx);
  const chosen = all.filter((f) =>
    rt === 2 ? f.code === startingFeature : f.code >= startingFeature && (rt === 0 || f.current),
  );
  const body = concat(chosen.map((f) => f.bytes));
  const b = new Uint8Array(8 + body.length);
  put32(b, 0, b.length - 4);
  put16(b, 6, ctx.media?.profile ?? 0);
  b.set(body, 8);
  return b;
}

// ---- GET EVENT STATUS NOTIFICATION (MMC-6 §6.7) ------------------------------------------

/** Notification class bit for media events in the request mask and SUPPORTED EVENT CLASSES. */
export const MEDIA_CLASS_MASK = 0x10;

/**
 *  0-1 EVENT DESCRIPTOR LENGTH (n - 2)  2 NEA(7) | NOTIFICATION CLASS(2:0) (4 = media)
 *  3 SUPPORTED EVENT CLASSES (10h)
 *  media event descriptor: 4 MEDIA EVENT CODE(3:0)  5 MEDIA PRESENT(1) DOOR/TRAY OPEN(0)
 *  6 START SLOT  7 END SLOT
 * A request without the media class gets NEA = 1 and no descriptor.
 */
export function eventStatus(
  media: { event: number; present: boolean; trayOpen: boolean } | undefined,
): Uint8Array<ArrayBuffer> {
  if (!media) return Uint8Array.of(0x00, 0x02, 0x80, MEDIA_CLASS_MASK);
  return Uint8Array.of(
    0x00,
    0x06,
    0x04,
    MEDIA_CLASS_MASK,
    media.event & 0x0f,
    (media.present ? 0x02 : 0) | (media.trayOpen ? 0x01 : 0),
    0,
    0,
  );
}

// ---- MODE SENSE / MODE SELECT (SPC-4 §7.5, MMC-6 §7) ---------------------------------------

export const WRITE_PARAMETERS_PAGE = 0x05;
export const CAPABILITIES_PAGE = 0x2a;
export const PAGE_05_LENGTH = 0x32;

/**
 * Write Parameters mode page 05h (MMC-6 §7.5.2), 52 bytes:
 *  0 PS(7) SPF(6) | PAGE CODE 05h   1 PAGE LENGTH 32h
 *  2 BUFE(6) LS_V(5) TEST WRITE(4) | WRITE TYPE(3:0) (0 packet/incremental, 1 TAO, 2 SAO/DAO, 3 raw)
 *  3 MULTI-SESSION(7:6) FP(5) COPY(4) | TRACK MODE(3:0)
 *  4 DATA BLOCK TYPE(3:0) (8 = Mode 1, 2048 bytes)   5 LINK SIZE   7 INITIATOR APPLICATION CODE(5:0)
 *  8 SESSION FORMAT   10-13 PACKET SIZE   14-15 AUDIO PAUSE LENGTH
 *  16-31 MEDIA CATALOG NUMBER   32-47 ISRC   48-51 SUB-HEADER
 */
export function defaultWriteParameters(): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(2 + PAGE_05_LENGTH);
  b[0] = WRITE_PARAMETERS_PAGE;
  b[1] = PAGE_05_LENGTH;
  b[2] = 0x40 | 0x01; // BUFE on, TAO
  b[3] = 0x04; // no next session, data track
  b[4] = 0x08; // Mode 1
  put16(b, 14, 150);
  return b;
}

/**
 * Which bits of page 05h MODE SELECT may change (the PC = 01b "changeable"
 * view). TEST WRITE (byte 2 bit 4) is changeable only where the medium has a
 * test write: CD-R/RW and DVD-R/RW (MMC-6 §7.5.4; DVD+R/+RW and BD have
 * none), so `testWrite` says whether the loaded medium can simulate.
 */
export function writeParametersChangeable(testWrite = false): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(2 + PAGE_05_LENGTH);
  b[0] = WRITE_PARAMETERS_PAGE;
  b[1] = PAGE_05_LENGTH;
  b[2] = 0x6f | (testWrite ? 0x10 : 0); // BUFE, LS_V, write type; TEST WRITE where the medium has it
  b[3] = 0xff;
  b[4] = 0x0f;
  b[5] = 0xff;
  b[7] = 0x3f;
  b[8] = 0xff;
  b.fill(0xff, 10, 2 + PAGE_05_LENGTH);
  return b;
}

export interface CapabilitiesContext {
  readonly locked: boolean;
  readonly bufferBytes: number;
  readonly maxReadSpeed: number;
  readonly readSpeed: number;
  readonly maxWriteSpeed: number;
  readonly writeSpeed: number;
  readonly writeSpeeds: readonly number[];
}

/**
 * CD/DVD Capabilities and Mechanical Status page 2Ah (MMC-3 §5.5.10, kept by
 * MMC-6 as a legacy page), 32 + 4n bytes:
 *  2 DVD-RAM/DVD-R/DVD-ROM READ(5:3) METHOD 2(2) CD-RW READ(1) CD-R READ(0)
 *  3 DVD-RAM/DVD-R WRITE(5:4) TEST WRITE(2) CD-RW WRITE(1) CD-R WRITE(0)
 *  4 BUF(7) MULTI SESSION(6)   6 LOADING MECHANISM(7:5) EJECT(3) PREVENT JUMPER(2) LOCK STATE(1) LOCK(0)
 *  8-9 MAX READ SPEED   12-13 BUFFER SIZE (KiB)   14-15 CURRENT READ SPEED
 *  18-19 MAX WRITE SPEED   20-21 CURRENT WRITE SPEED   27 ROTATION CONTROL SELECTED
 *  28-29 CURRENT WRITE SPEED SELECTED   30-31 NUMBER OF WRITE SPEED DESCRIPTORS (n)
 *  32.. descriptors: 1 ROTATION CONTROL(1:0), 2-3 WRITE SPEED SUPPORTED (kB/s)
 */
export function capabilitiesPage(ctx: CapabilitiesContext, changeable: boolean): Uint8Array {
  const n = ctx.writeSpeeds.length;
  const b = new Uint8Array(32 + 4 * n);
  b[0] = CAPABILITIES_PAGE;
  b[1] = b.length - 2;
  if (changeable) return b; // nothing in page 2Ah is changeable
  b[2] = 0x1f;
  b[3] = 0x17; // CD-R, CD-RW, DVD-R write and TEST WRITE (bit 2)
  b[4] = 0xc0;
  b[6] = 0x20 | 0x08 | (ctx.locked ? 0x02 : 0) | 0x01;
  put16(b, 8, ctx.maxReadSpeed);
  put16(b, 12, Math.floor(ctx.bufferBytes / 1024));
  put16(b, 14, ctx.readSpeed);
  put16(b, 18, ctx.maxWriteSpeed);
  put16(b, 20, ctx.writeSpeed);
  put16(b, 28, ctx.writeSpeed);
  put16(b, 30, n);
  ctx.writeSpeeds.forEach((s, i) => put16(b, 32 + 4 * i + 2, s));
  return b;
}

/** MODE SENSE(10) parameter header (SPC-4 §7.5.5): 0-1 MODE DATA LENGTH (n - 2), 6-7 BLOCK DESCRIPTOR LENGTH = 0. */
export function modeSense10(pages: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const body = concat(pages);
  const b = new Uint8Array(8 + body.length);
  put16(b, 0, b.length - 2);
  b.set(body, 8);
  return b;
}

// ---- READ BUFFER CAPACITY (MMC-6 §6.21) ---------------------------------------------------

/**
 * BLOCK = 0: 0-1 DATA LENGTH = 10, 4-7 LENGTH OF THE BUFFER, 8-11 BLANK LENGTH OF BUFFER (bytes).
 * BLOCK = 1: 3 BLOCK(0) = 1, 8-11 AVAILABLE LENGTH OF BUFFER (blocks).
 */
export function bufferCapacity(
  block: boolean,
  size: number,
  free: number,
): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(12);
  put16(b, 0, 10);
  if (block) {
    b[3] = 0x01;
    put32(b, 8, Math.floor(free / 2048));
  } else {
    put32(b, 4, size);
    put32(b, 8, free);
  }
  return b;
}

// ---- MECHANISM STATUS (MMC-6 §6.11) ---------------------------------------------------------

/**
 * Header only (no changer), 8 bytes: 0 FAULT(7) CHANGER STATE(6:5) CURRENT SLOT(4:0)
 * 1 MECHANISM STATE(7:5) DOOR OPEN(4)  2-4 CURRENT LBA  5 NUMBER OF SLOTS AVAILABLE
 * 6-7 LENGTH OF SLOT TABLES.
 */
export function mechanismStatus(trayOpen: boolean, busy: boolean): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(8);
  b[1] = (busy ? 0x20 : 0x00) | (trayOpen ? 0x10 : 0x00);
  return b;
}

// ---- READ FORMAT CAPACITIES (MMC-6 §6.24) ---------------------------------------------------

/**
 * 0-2 reserved, 3 CAPACITY LIST LENGTH (8 per descriptor); then the current/maximum
 * capacity descriptor (0-3 NUMBER OF BLOCKS, 4 DESCRIPTOR TYPE(1:0): 1 unformatted,
 * 2 formatted, 3 no media, 5-7 BLOCK LENGTH), then formattable descriptors (0-3 NUMBER OF
 * BLOCKS, 4 FORMAT TYPE(7:2) | SUBTYPE(1:0), 5-7 TYPE DEPENDENT PARAMETER).
 */
export function formatCapacities(
  current: { blocks: number; type: 1 | 2 | 3 },
  formattable: readonly { blocks: number; type: number; param: number }[],
): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(12 + 8 * formattable.length);
  b[3] = 8 * (formattable.length + 1);
  put32(b, 4, current.blocks);
  b[8] = current.type;
  put24(b, 9, 2048);
  formattable.forEach((f, i) => {
    put32(b, 12 + 8 * i, f.blocks);
    b[16 + 8 * i] = f.type << 2;
    put24(b, 17 + 8 * i, f.param);
  });
  return b;
}
