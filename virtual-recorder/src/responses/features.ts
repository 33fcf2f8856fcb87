/**
 * GET CONFIGURATION data (MMC-6 §6.6): the feature descriptors (MMC-6 §5.3)
 * the drive has, current or not for the medium loaded.
 */
import { DRIVE_PROFILES, Feature, linkSizesOf, type MediaInfo } from '../media.ts';
import type { Disc } from '../disc.ts';
import { asciiField, concat, put16, put24, put32 } from './fields.ts';

export interface FeatureContext {
  readonly media: MediaInfo | undefined;
  readonly disc: Disc | undefined;
  /** The medium can take a WRITE now (write features current). */
  readonly writable: boolean;
  /** Feature 0021h is current when writable (not after a DVD-RW's minimal blank, disc.ts). */
  readonly incremental: boolean;
  readonly serial: string;
  /** Feature 0023h CERT (full) and QCERT (quick certification of BD-RE formats). */
  readonly certification: { readonly full: boolean; readonly quick: boolean };
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
    has(Feature.IncrementalStreamingWritable) && ctx.incremental,
    data(8, (b) => {
      put16(b, 0, 0x0100);
      b[2] = 0x01;
      b[3] = 1;
      b[4] = linkSizesOf(m)[0]!;
    }),
  );
  // 0023h Formattable: 4 RENOSA(3) EXPAND(2) QCERT(1) CERT(0), 8 RRM(0).
  add(
    Feature.Formattable,
    0,
    false,
    m?.kind === 'formattable',
    data(8, (b) => {
      b[0] = 0x08 | (ctx.certification.quick ? 0x02 : 0) | (ctx.certification.full ? 0x01 : 0);
    }),
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
  // 002Ch Rigid Restricted Overwrite: 4 DSDG(3) DSDR(2) INTERMEDIATE(1) BLANK(0) = BLANK (it can be blanked).
  add(
    Feature.RigidRestrictedOverwrite,
    1,
    false,
    has(Feature.RigidRestrictedOverwrite),
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
