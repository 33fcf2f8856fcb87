/**
 * GET CONFIGURATION feature descriptors (MMC-6 §5.2-§5.3): the feature codes,
 * the descriptor header, and one typed shape per feature this library
 * decodes (any other is a RawFeature). The codecs are in feature-codecs.ts;
 * the whole response in features.ts.
 *
 * Feature descriptor, MMC-6 §5.2.2:
 *  0-1 FEATURE CODE (u16)
 *  2  VERSION (5:2) | PERSISTENT (1) | CURRENT (0)
 *  3  ADDITIONAL LENGTH (n - 3), a multiple of 4
 *  4.. feature-dependent data
 */

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
  /** DVD-RW in restricted overwrite (profile 0013h, MMC-6 §5.3.22). */
  RigidRestrictedOverwrite: 0x002c,
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
