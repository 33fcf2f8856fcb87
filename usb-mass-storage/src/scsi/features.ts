/**
 * GET CONFIGURATION response (MMC-6 §5.2-§5.3 and §6.6.2): the profile the
 * drive has loaded, and feature descriptors saying what it can do with it.
 * Known features decode into typed objects; any other stays raw. Encoders
 * build whole responses (the virtual recorder and tests use them).
 *
 * Feature descriptor, MMC-6 §5.2.2:
 *  0-1 FEATURE CODE (u16)
 *  2  VERSION (5:2) | PERSISTENT (1) | CURRENT (0)
 *  3  ADDITIONAL LENGTH (n - 3), a multiple of 4
 *  4.. feature-dependent data
 * A descriptor shorter than the layout below reads its absent bytes as zero:
 * earlier versions of a feature defined fewer fields (Core v0 had 4 bytes,
 * Formattable v0 none), and those bits then mean "not supported".
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
  putU24,
  putU32,
  readAscii,
  u16,
  u24,
  u32,
  writeAscii,
} from './bytes.ts';

// ===========================================================================
// Profiles, MMC-6 §5.3.1 (table 88)

// The tables live in the contract (every realm decides with them); this
// module re-exports them for the codecs and their callers.
export { PROFILE, PROFILE_NAMES, profileName, type Profile } from '../../../contract/profiles.ts';

// ===========================================================================
// Feature codes, MMC-6 §5.3 (table 87)

export const FeatureCode = {
  ProfileList: 0x0000,
  Core: 0x0001,
  Morphing: 0x0002,
  RemovableMedium: 0x0003,
  RandomReadable: 0x0010,
  MultiRead: 0x001d,
  CdRead: 0x001e,
  DvdRead: 0x001f,
  RandomWritable: 0x0020,
  IncrementalStreamingWritable: 0x0021,
  Formattable: 0x0023,
  DefectManagement: 0x0024,
  RestrictedOverwrite: 0x0026,
  DvdPlusRw: 0x002a,
  DvdPlusR: 0x002b,
  CdTrackAtOnce: 0x002d,
  CdMastering: 0x002e,
  DvdRWrite: 0x002f,
  BdRead: 0x0040,
  BdWrite: 0x0041,
  PowerManagement: 0x0100,
  RealTimeStreaming: 0x0107,
  DriveSerialNumber: 0x0108,
} as const;

/** PHYSICAL INTERFACE STANDARD of the Core feature (MMC-6 table 92). */
export const PhysicalInterface = {
  Unspecified: 0,
  Scsi: 1,
  Atapi: 2,
  Ieee1394_1995: 3,
  Ieee1394A: 4,
  FibreChannel: 5,
  Ieee1394B: 6,
  SerialAtapi: 7,
  Usb: 8,
  VendorUnique: 0xffff,
} as const;

/** The descriptor header every feature has. */
export interface FeatureHeader {
  readonly code: number;
  readonly version: number;
  readonly persistent: boolean;
  readonly current: boolean;
}

export interface ProfileDescriptor {
  readonly profile: number;
  readonly current: boolean;
}

/** 0000h: 4-byte profile descriptors: 0-1 PROFILE NUMBER, 2 CURRENTP (0). */
export interface ProfileListFeature extends FeatureHeader {
  readonly kind: 'profileList';
  readonly profiles: readonly ProfileDescriptor[];
}

/** 0001h: 4-7 PHYSICAL INTERFACE STANDARD (u32), 8 INQ2 (1) | DBE (0). */
export interface CoreFeature extends FeatureHeader {
  readonly kind: 'core';
  readonly physicalInterface: number;
  readonly inq2: boolean;
  readonly dbe: boolean;
}

/**
 * 0003h: 4 LOADING MECHANISM TYPE (7:5) | LOAD (4) | EJECT (3) | PVNT JMPR (2)
 * | DBML (1) | LOCK (0).
 */
export interface RemovableMediumFeature extends FeatureHeader {
  readonly kind: 'removableMedium';
  readonly loadingMechanism: number;
  readonly load: boolean;
  readonly eject: boolean;
  readonly preventJumper: boolean;
  readonly dbml: boolean;
  readonly lock: boolean;
}

/** 0010h: 4-7 LOGICAL BLOCK SIZE, 8-9 BLOCKING, 10 PP (0). */
export interface RandomReadableFeature extends FeatureHeader {
  readonly kind: 'randomReadable';
  readonly blockSize: number;
  readonly blocking: number;
  readonly pagePresent: boolean;
}

/** 0020h: 4-7 LAST LBA, 8-11 LOGICAL BLOCK SIZE, 12-13 BLOCKING, 14 PP (0). */
export interface RandomWritableFeature extends FeatureHeader {
  readonly kind: 'randomWritable';
  readonly lastLba: number;
  readonly blockSize: number;
  readonly blocking: number;
  readonly pagePresent: boolean;
}

/**
 * 0021h: 4-5 DATA BLOCK TYPES SUPPORTED (bit n = type n), 6 TRIO (2) | ARSV (1)
 * | BUF (0), 7 NUMBER OF LINK SIZES, 8.. LINK SIZE bytes, padded to 4.
 */
export interface IncrementalStreamingFeature extends FeatureHeader {
  readonly kind: 'incrementalStreaming';
  readonly dataBlockTypes: number;
  readonly trio: boolean;
  readonly arsv: boolean;
  readonly buf: boolean;
  readonly linkSizes: readonly number[];
}

/** 0023h: 4 FRF (7) RENOSA (3) EXPAND (2) QCERT (1) CERT (0), 8 RRM (0). */
export interface FormattableFeature extends FeatureHeader {
  readonly kind: 'formattable';
  readonly frf: boolean;
  readonly renosa: boolean;
  readonly expand: boolean;
  readonly qcert: boolean;
  readonly cert: boolean;
  readonly rrm: boolean;
}

/** 002Ah: 4 WRITE (0), 5 QUICK START (1) | CLOSE ONLY (0). */
export interface DvdPlusRwFeature extends FeatureHeader {
  readonly kind: 'dvdPlusRw';
  readonly write: boolean;
  readonly quickStart: boolean;
  readonly closeOnly: boolean;
}

/** 002Bh: 4 WRITE (0). */
export interface DvdPlusRFeature extends FeatureHeader {
  readonly kind: 'dvdPlusR';
  readonly write: boolean;
}

/**
 * 002Dh: 4 BUF (6) R-W RAW (4) R-W PACK (3) TEST WRITE (2) CD-RW (1)
 * R-W SUBCODE (0), 6-7 DATA TYPE SUPPORTED.
 */
export interface CdTrackAtOnceFeature extends FeatureHeader {
  readonly kind: 'cdTrackAtOnce';
  readonly buf: boolean;
  readonly rwRaw: boolean;
  readonly rwPack: boolean;
  readonly testWrite: boolean;
  readonly cdRw: boolean;
  readonly rwSubcode: boolean;
  readonly dataTypes: number;
}

/**
 * 002Eh: 4 BUF (6) SAO (5) RAW MS (4) RAW (3) TEST WRITE (2) CD-RW (1) R-W (0),
 * 5-7 MAXIMUM CUE SHEET LENGTH.
 */
export interface CdMasteringFeature extends FeatureHeader {
  readonly kind: 'cdMastering';
  readonly buf: boolean;
  readonly sao: boolean;
  readonly rawMultiSession: boolean;
  readonly raw: boolean;
  readonly testWrite: boolean;
  readonly cdRw: boolean;
  readonly rw: boolean;
  readonly maxCueSheetLength: number;
}

/** 002Fh: 4 BUF (6) RDL (3) TEST WRITE (2) DVD-RW SL (1). */
export interface DvdRWriteFeature extends FeatureHeader {
  readonly kind: 'dvdRWrite';
  readonly buf: boolean;
  readonly rdl: boolean;
  readonly testWrite: boolean;
  readonly dvdRw: boolean;
}

/** Four u16 class bitmaps: class 0..3, bit n = version n supported. */
export type BdClasses = readonly [number, number, number, number];

/** 0040h: 8-15 BD-RE classes 0-3, 16-23 BD-R classes, 24-31 BD-ROM classes. */
export interface BdReadFeature extends FeatureHeader {
  readonly kind: 'bdRead';
  readonly bdRe: BdClasses;
  readonly bdR: BdClasses;
  readonly bdRom: BdClasses;
}

/** 0041h: 4 SVNR (0), 8-15 BD-RE classes 0-3, 16-23 BD-R classes. */
export interface BdWriteFeature extends FeatureHeader {
  readonly kind: 'bdWrite';
  readonly svnr: boolean;
  readonly bdRe: BdClasses;
  readonly bdR: BdClasses;
}

/** 0107h: 4 RBCB (4) SCS (3) MP2A (2) WSPD (1) SW (0). */
export interface RealTimeStreamingFeature extends FeatureHeader {
  readonly kind: 'realTimeStreaming';
  /** READ BUFFER CAPACITY with Block=1. */
  readonly rbcb: boolean;
  /** SET CD SPEED. */
  readonly scs: boolean;
  /** Mode page 2Ah with write speed descriptors. */
  readonly mp2a: boolean;
  /** GET PERFORMANCE write speed type. */
  readonly wspd: boolean;
  /** Stream writing. */
  readonly sw: boolean;
}

/** 0108h: 4.. SERIAL NUMBER, ASCII padded with spaces to a multiple of 4. */
export interface SerialNumberFeature extends FeatureHeader {
  readonly kind: 'serialNumber';
  readonly serialNumber: string;
}

/** Any feature not decoded above: the bytes after the 4-byte header, as sent. */
export interface RawFeature extends FeatureHeader {
  readonly kind: 'raw';
  readonly data: Uint8Array;
}

export type Feature =
  | ProfileListFeature
  | CoreFeature
  | RemovableMediumFeature
  | RandomReadableFeature
  | RandomWritableFeature
  | IncrementalStreamingFeature
  | FormattableFeature
  | DvdPlusRwFeature
  | DvdPlusRFeature
  | CdTrackAtOnceFeature
  | CdMasteringFeature
  | DvdRWriteFeature
  | BdReadFeature
  | BdWriteFeature
  | RealTimeStreamingFeature
  | SerialNumberFeature
  | RawFeature;

type Typed = Exclude<Feature, RawFeature>;
type Kind = Typed['kind'];
type Body<K extends Kind> = Omit<Extract<Typed, { kind: K }>, keyof FeatureHeader | 'kind'>;

/**
 * One entry per typed feature: its code, how to read the feature-dependent
 * bytes `d` (descriptor bytes 4..; absent ones read as 0), and how to write
 * them (returns the additional data, whose length becomes ADDITIONAL LENGTH).
 */
interface Codec<K extends Kind> {
  readonly code: number;
  decode(d: Uint8Array): Body<K>;
  encode(f: Body<K>): Uint8Array;
}

const at = (d: Uint8Array, i: number): number => d[i] ?? 0;
const pad4 = (n: number): number => (n + 3) & ~3;

function readClasses(d: Uint8Array, offset: number): BdClasses {
  return [u16(d, offset), u16(d, offset + 2), u16(d, offset + 4), u16(d, offset + 6)];
}

function writeClasses(out: Uint8Array, offset: number, classes: BdClasses): void {
  classes.forEach((c, i) => {
    checkInt('BD class bitmap', c, 0, 0xffff);
    putU16(out, offset + 2 * i, c);
  });
}

/** A fixed-size body with one flag byte at body offset 0 (most writing features). */
function flagsBody(length: number, byte0: number): Uint8Array {
  const out = new Uint8Array(length);
  out[0] = byte0;
  return out;
}

const CODECS: { readonly [K in Kind]: Codec<K> } = {
  profileList: {
    code: FeatureCode.ProfileList,
    decode: (d) => {
      const profiles: ProfileDescriptor[] = [];
      for (let i = 0; i + 4 <= d.length; i += 4) {
        profiles.push({ profile: u16(d, i), current: bit(d[i + 2], 0) });
      }
      return { profiles };
    },
    encode: (f) => {
      const out = new Uint8Array(4 * f.profiles.length);
      f.profiles.forEach((p, n) => {
        checkInt('profile', p.profile, 0, 0xffff);
        putU16(out, 4 * n, p.profile);
        out[4 * n + 2] = flag(p.current, 0);
      });
      return out;
    },
  },
  core: {
    code: FeatureCode.Core,
    decode: (d) => ({ physicalInterface: u32(d, 0), inq2: bit(d[4], 1), dbe: bit(d[4], 0) }),
    encode: (f) => {
      checkInt('physical interface standard', f.physicalInterface, 0, 0xffffffff);
      const out = new Uint8Array(8);
      putU32(out, 0, f.physicalInterface);
      out[4] = flag(f.inq2, 1) | flag(f.dbe, 0);
      return out;
    },
  },
  removableMedium: {
    code: FeatureCode.RemovableMedium,
    decode: (d) => ({
      loadingMechanism: at(d, 0) >>> 5,
      load: bit(d[0], 4),
      eject: bit(d[0], 3),
      preventJumper: bit(d[0], 2),
      dbml: bit(d[0], 1),
      lock: bit(d[0], 0),
    }),
    encode: (f) => {
      checkInt('loading mechanism type', f.loadingMechanism, 0, 7);
      return flagsBody(
        4,
        (f.loadingMechanism << 5) |
          flag(f.load, 4) |
          flag(f.eject, 3) |
          flag(f.preventJumper, 2) |
          flag(f.dbml, 1) |
          flag(f.lock, 0),
      );
    },
  },
  randomReadable: {
    code: FeatureCode.RandomReadable,
    decode: (d) => ({ blockSize: u32(d, 0), blocking: u16(d, 4), pagePresent: bit(d[6], 0) }),
    encode: (f) => {
      checkInt('block size', f.blockSize, 0, 0xffffffff);
      checkInt('blocking', f.blocking, 0, 0xffff);
      const out = new Uint8Array(8);
      putU32(out, 0, f.blockSize);
      putU16(out, 4, f.blocking);
      out[6] = flag(f.pagePresent, 0);
      return out;
    },
  },
  randomWritable: {
    code: FeatureCode.RandomWritable,
    decode: (d) => ({
      lastLba: u32(d, 0),
      blockSize: u32(d, 4),
      blocking: u16(d, 8),
      pagePresent: bit(d[10], 0),
    }),
    encode: (f) => {
      checkInt('last LBA', f.lastLba, 0, 0xffffffff);
      checkInt('block size', f.blockSize, 0, 0xffffffff);
      checkInt('blocking', f.blocking, 0, 0xffff);
      const out = new Uint8Array(12);
      putU32(out, 0, f.lastLba);
      putU32(out, 4, f.blockSize);
      putU16(out, 8, f.blocking);
      out[10] = flag(f.pagePresent, 0);
      return out;
    },
  },
  incrementalStreaming: {
    code: FeatureCode.IncrementalStreamingWritable,
    decode: (d) => {
      const n = at(d, 3);
      if (4 + n > d.length && n > 0) {
        throw new DecodeError(`incremental streaming feature: ${n} link sizes do not fit`);
      }
      return {
        dataBlockTypes: u16(d, 0),
        trio: bit(d[2], 2),
        arsv: bit(d[2], 1),
        buf: bit(d[2], 0),
        linkSizes: Array.from(d.subarray(4, 4 + n)),
      };
    },
    encode: (f) => {
      checkInt('data block types', f.dataBlockTypes, 0, 0xffff);
      checkInt('number of link sizes', f.linkSizes.length, 0, 0xff);
      const out = new Uint8Array(pad4(4 + f.linkSizes.length));
      putU16(out, 0, f.dataBlockTypes);
      out[2] = flag(f.trio, 2) | flag(f.arsv, 1) | flag(f.buf, 0);
      out[3] = f.linkSizes.length;
      f.linkSizes.forEach((s, i) => {
        checkInt('link size', s, 0, 0xff);
        out[4 + i] = s;
      });
      return out;
    },
  },
  formattable: {
    code: FeatureCode.Formattable,
    decode: (d) => ({
      frf: bit(d[0], 7),
      renosa: bit(d[0], 3),
      expand: bit(d[0], 2),
      qcert: bit(d[0], 1),
      cert: bit(d[0], 0),
      rrm: bit(d[4], 0),
    }),
    encode: (f) => {
      const out = flagsBody(
        8,
        flag(f.frf, 7) | flag(f.renosa, 3) | flag(f.expand, 2) | flag(f.qcert, 1) | flag(f.cert, 0),
      );
      out[4] = flag(f.rrm, 0);
      return out;
    },
  },
  dvdPlusRw: {
    code: FeatureCode.DvdPlusRw,
    decode: (d) => ({ write: bit(d[0], 0), quickStart: bit(d[1], 1), closeOnly: bit(d[1], 0) }),
    encode: (f) => {
      const out = flagsBody(4, flag(f.write, 0));
      out[1] = flag(f.quickStart, 1) | flag(f.closeOnly, 0);
      return out;
    },
  },
  dvdPlusR: {
    code: FeatureCode.DvdPlusR,
    decode: (d) => ({ write: bit(d[0], 0) }),
    encode: (f) => flagsBody(4, flag(f.write, 0)),
  },
  cdTrackAtOnce: {
    code: FeatureCode.CdTrackAtOnce,
    decode: (d) => ({
      buf: bit(d[0], 6),
      rwRaw: bit(d[0], 4),
      rwPack: bit(d[0], 3),
      testWrite: bit(d[0], 2),
      cdRw: bit(d[0], 1),
      rwSubcode: bit(d[0], 0),
      dataTypes: u16(d, 2),
    }),
    encode: (f) => {
      checkInt('data types supported', f.dataTypes, 0, 0xffff);
      const out = flagsBody(
        4,
        flag(f.buf, 6) |
          flag(f.rwRaw, 4) |
          flag(f.rwPack, 3) |
          flag(f.testWrite, 2) |
          flag(f.cdRw, 1) |
          flag(f.rwSubcode, 0),
      );
      putU16(out, 2, f.dataTypes);
      return out;
    },
  },
  cdMastering: {
    code: FeatureCode.CdMastering,
    decode: (d) => ({
      buf: bit(d[0], 6),
      sao: bit(d[0], 5),
      rawMultiSession: bit(d[0], 4),
      raw: bit(d[0], 3),
      testWrite: bit(d[0], 2),
      cdRw: bit(d[0], 1),
      rw: bit(d[0], 0),
      maxCueSheetLength: u24(d, 1),
    }),
    encode: (f) => {
      checkInt('maximum cue sheet length', f.maxCueSheetLength, 0, 0xffffff);
      const out = flagsBody(
        4,
        flag(f.buf, 6) |
          flag(f.sao, 5) |
          flag(f.rawMultiSession, 4) |
          flag(f.raw, 3) |
          flag(f.testWrite, 2) |
          flag(f.cdRw, 1) |
          flag(f.rw, 0),
      );
      putU24(out, 1, f.maxCueSheetLength);
      return out;
    },
  },
  dvdRWrite: {
    code: FeatureCode.DvdRWrite,
    decode: (d) => ({
      buf: bit(d[0], 6),
      rdl: bit(d[0], 3),
      testWrite: bit(d[0], 2),
      dvdRw: bit(d[0], 1),
    }),
    encode: (f) =>
      flagsBody(4, flag(f.buf, 6) | flag(f.rdl, 3) | flag(f.testWrite, 2) | flag(f.dvdRw, 1)),
  },
  bdRead: {
    code: FeatureCode.BdRead,
    decode: (d) => ({
      bdRe: readClasses(d, 4),
      bdR: readClasses(d, 12),
      bdRom: readClasses(d, 20),
    }),
    encode: (f) => {
      const out = new Uint8Array(28);
      writeClasses(out, 4, f.bdRe);
      writeClasses(out, 12, f.bdR);
      writeClasses(out, 20, f.bdRom);
      return out;
    },
  },
  bdWrite: {
    code: FeatureCode.BdWrite,
    decode: (d) => ({ svnr: bit(d[0], 0), bdRe: readClasses(d, 4), bdR: readClasses(d, 12) }),
    encode: (f) => {
      const out = flagsBody(20, flag(f.svnr, 0));
      writeClasses(out, 4, f.bdRe);
      writeClasses(out, 12, f.bdR);
      return out;
    },
  },
  realTimeStreaming: {
    code: FeatureCode.RealTimeStreaming,
    decode: (d) => ({
      rbcb: bit(d[0], 4),
      scs: bit(d[0], 3),
      mp2a: bit(d[0], 2),
      wspd: bit(d[0], 1),
      sw: bit(d[0], 0),
    }),
    encode: (f) =>
      flagsBody(
        4,
        flag(f.rbcb, 4) | flag(f.scs, 3) | flag(f.mp2a, 2) | flag(f.wspd, 1) | flag(f.sw, 0),
      ),
  },
  serialNumber: {
    code: FeatureCode.DriveSerialNumber,
    decode: (d) => ({ serialNumber: readAscii(d, 0, d.length) }),
    encode: (f) => {
      const out = new Uint8Array(pad4(f.serialNumber.length));
      writeAscii(out, 0, out.length, f.serialNumber, 'serial number');
      return out;
    },
  },
};

const KIND_BY_CODE = new Map<number, Kind>(
  (Object.keys(CODECS) as Kind[]).map((kind) => [CODECS[kind].code, kind]),
);

/** Decodes one whole feature descriptor (4-byte header + additional bytes). */
export function parseFeature(descriptor: Uint8Array): Feature {
  need('feature descriptor', descriptor, 4);
  const length = 4 + descriptor[3]!;
  needDeclared('feature descriptor', descriptor, length);
  const header: FeatureHeader = {
    code: u16(descriptor, 0),
    version: (descriptor[2]! >>> 2) & 0x0f,
    persistent: bit(descriptor[2], 1),
    current: bit(descriptor[2], 0),
  };
  const d = descriptor.slice(4, length);
  const kind = KIND_BY_CODE.get(header.code);
  if (kind === undefined) return { ...header, kind: 'raw', data: d };
  return { ...header, kind, ...(CODECS[kind] as Codec<Kind>).decode(d) } as Feature;
}

/** One whole feature descriptor; RangeError when a typed feature's code does not match its kind. */
export function encodeFeature(feature: Feature): Uint8Array<ArrayBuffer> {
  checkInt('feature code', feature.code, 0, 0xffff);
  checkInt('feature version', feature.version, 0, 0x0f);
  let body: Uint8Array;
  if (feature.kind === 'raw') {
    body = feature.data;
  } else {
    const codec = CODECS[feature.kind] as Codec<Kind>;
    if (feature.code !== codec.code) {
      throw new RangeError(
        `feature ${feature.kind} has code 0x${codec.code.toString(16)}, not 0x${feature.code.toString(16)}`,
      );
    }
    body = codec.encode(feature as never);
  }
  checkInt('feature additional length', body.length, 0, 0xff);
  const out = new Uint8Array(4 + body.length);
  putU16(out, 0, feature.code);
  out[2] = (feature.version << 2) | flag(feature.persistent, 1) | flag(feature.current, 0);
  out[3] = body.length;
  out.set(body, 4);
  return out;
}

// ===========================================================================
// The whole response, MMC-6 §6.6.2:
//  0-3 DATA LENGTH (u32, n - 4: counts every byte after itself, also those the
//      allocation length cut off)
//  4-5 reserved
//  6-7 CURRENT PROFILE
//  8.. feature descriptors in ascending code order

export const CONFIGURATION_HEADER_LENGTH = 8;

export interface ConfigurationHeader {
  /** Total response length the drive has, header included. */
  readonly totalLength: number;
  readonly currentProfile: number;
}

export interface Configuration {
  readonly currentProfile: number;
  readonly features: readonly Feature[];
}

/** Only the header: enough for the current profile, or to size a second request. */
export function parseConfigurationHeader(data: Uint8Array): ConfigurationHeader {
  const totalLength = declaredLength('configuration', data, 4, CONFIGURATION_HEADER_LENGTH);
  need('configuration header', data, CONFIGURATION_HEADER_LENGTH);
  return { totalLength, currentProfile: u16(data, 6) };
}

/** The whole response; TruncatedResponseError (with the length to ask for) when cut short. */
export function parseConfiguration(data: Uint8Array): Configuration {
  const { totalLength, currentProfile } = parseConfigurationHeader(data);
  needDeclared('configuration', data, totalLength);
  const features: Feature[] = [];
  // Every descriptor is at least 4 bytes, so this ends within totalLength / 4 rounds.
  for (let i = CONFIGURATION_HEADER_LENGTH; i < totalLength;) {
    if (i + 4 > totalLength) {
      throw new DecodeError(`configuration: feature header at ${i} runs past ${totalLength}`);
    }
    const end = i + 4 + data[i + 3]!;
    if (end > totalLength) {
      throw new DecodeError(`configuration: feature at ${i} runs past ${totalLength} (to ${end})`);
    }
    features.push(parseFeature(data.subarray(i, end)));
    i = end;
  }
  return { currentProfile, features };
}

export function encodeConfiguration(config: Configuration): Uint8Array<ArrayBuffer> {
  checkInt('current profile', config.currentProfile, 0, 0xffff);
  const descriptors = config.features.map(encodeFeature);
  const length = descriptors.reduce((n, d) => n + d.length, CONFIGURATION_HEADER_LENGTH);
  const out = new Uint8Array(length);
  putU32(out, 0, length - 4);
  putU16(out, 6, config.currentProfile);
  let i = CONFIGURATION_HEADER_LENGTH;
  for (const d of descriptors) {
    out.set(d, i);
    i += d.length;
  }
  return out;
}

/** The feature with this code, if the drive listed it. */
export function findFeature(config: Configuration, code: number): Feature | undefined {
  return config.features.find((f) => f.code === code);
}
