/**
 * The media the virtual drive accepts, by name, with the facts the drive
 * reports about each: profile (MMC-6 §5.3.1 table 89), capacity in 2048-byte
 * blocks, speeds, and which features become current (MMC-6 §5.3).
 *
 * Capacities are the ones real blank media report in READ TRACK INFORMATION /
 * READ FORMAT CAPACITIES: CD 80 min 359,847; DVD-R 2,298,496; DVD-RW
 * 2,297,888; DVD+R / DVD+RW 2,295,104; DVD+R DL 4,173,824; BD-R 25 GB
 * 12,219,392; BD-RE 25 GB 11,826,176 with the default spare areas (format
 * type 30h) or 12,219,392 without (31h). Pressed ROM media hold a small
 * generated ISO 9660 volume, so their capacity is that volume's size.
 *
 * Speeds are in kB/s as MMC counts them (1 kB = 1000 bytes; CD 1x = 176.4,
 * DVD 1x = 1385, BD 1x = 4495), fastest first.
 */
import { VirtualRecorderError } from './errors.ts';

export const MEDIA_NAMES = [
  'cd-rom',
  'cd-r',
  'cd-rw',
  'dvd-rom',
  'dvd-r',
  'dvd-rw',
  'dvd-rw-ro',
  'dvd+r',
  'dvd+rw',
  'dvd+r-dl',
  'bd-r',
  'bd-re',
  'none',
] as const;
export type MediaName = (typeof MEDIA_NAMES)[number];

/** MMC-6 §5.3.1 profile numbers. */
export const Profile = {
  None: 0x0000,
  CdRom: 0x0008,
  CdR: 0x0009,
  CdRw: 0x000a,
  DvdRom: 0x0010,
  DvdRSequential: 0x0011,
  DvdRwRestrictedOverwrite: 0x0013,
  DvdRwSequential: 0x0014,
  DvdPlusRw: 0x001a,
  DvdPlusR: 0x001b,
  DvdPlusRDualLayer: 0x002b,
  BdRom: 0x0040,
  BdRSequential: 0x0041,
  BdRe: 0x0043,
} as const;

/**
 * The profiles this drive (a BD writer) supports, in the order GET
 * CONFIGURATION lists them: MMC-6 §5.3.2 asks for the most capable first.
 */
export const DRIVE_PROFILES: readonly number[] = [
  Profile.BdRe,
  Profile.BdRSequential,
  Profile.BdRom,
  Profile.DvdPlusRDualLayer,
  Profile.DvdPlusR,
  Profile.DvdPlusRw,
  Profile.DvdRwSequential,
  Profile.DvdRwRestrictedOverwrite,
  Profile.DvdRSequential,
  Profile.DvdRom,
  Profile.CdRw,
  Profile.CdR,
  Profile.CdRom,
];

/** MMC-6 §5.3 feature numbers the drive implements. */
export const Feature = {
  ProfileList: 0x0000,
  Core: 0x0001,
  Morphing: 0x0002,
  RemovableMedium: 0x0003,
  RandomReadable: 0x0010,
  CdRead: 0x001e,
  DvdRead: 0x001f,
  RandomWritable: 0x0020,
  IncrementalStreamingWritable: 0x0021,
  Formattable: 0x0023,
  DvdPlusRw: 0x002a,
  DvdPlusR: 0x002b,
  RigidRestrictedOverwrite: 0x002c,
  CdTrackAtOnce: 0x002d,
  CdMastering: 0x002e,
  DvdRWrite: 0x002f,
  DvdPlusRDualLayer: 0x003b,
  BdRead: 0x0040,
  BdWrite: 0x0041,
  RealTimeStreaming: 0x0107,
  SerialNumber: 0x0108,
} as const;

/** One formattable capacity descriptor: FORMAT TYPE, NUMBER OF BLOCKS, TYPE DEPENDENT PARAMETER. */
export interface FormatDescriptor {
  readonly type: number;
  readonly blocks: number;
  readonly param: number;
}

/**
 * A blank 25 GB BD-RE in an LG BE06LU10, as dvd+rw-mediainfo listed it
 * (kept in libburn mmc.c under `Libburn_dvd_ram_as_bd_rE`, April 2008): 00h
 * and the first 30h are the default spare areas, the other 30h the most and
 * the fewest spares, 31h none; the type dependent parameter is the drive's.
 */
const BD_RE_FORMATS: readonly FormatDescriptor[] = [
  { type: 0x00, blocks: 11_826_176, param: 0x3000 },
  { type: 0x30, blocks: 11_826_176, param: 0x3000 },
  { type: 0x30, blocks: 11_564_032, param: 0x5000 },
  { type: 0x30, blocks: 12_088_320, param: 0x1000 },
  { type: 0x31, blocks: 12_219_392, param: 0x0800 },
];

export const MediaKind = {
  /** Empty tray. */
  None: 'none',
  /** Pressed: readable, never writable. */
  Rom: 'rom',
  /** Recordable: sequential, each sector written once, at the NWA. */
  WriteOnce: 'write-once',
  /** Rewritable sequential (CD-RW, DVD-RW): like write-once until erased with BLANK. */
  Erasable: 'erasable',
  /** Rewritable random access after FORMAT UNIT (DVD+RW, BD-RE, DVD-RW restricted overwrite). */
  Formattable: 'formattable',
} as const;
export type MediaKind = (typeof MediaKind)[keyof typeof MediaKind];

export type MediaFamily = 'none' | 'cd' | 'dvd' | 'bd';

export interface MediaInfo {
  readonly name: MediaName;
  /** What a media picker shows. */
  readonly label: string;
  readonly family: MediaFamily;
  readonly kind: MediaKind;
  /** Current profile in GET CONFIGURATION. */
  readonly profile: number;
  /** User blocks (2048 bytes): blank capacity; ROM: content size; formattable: default format. */
  readonly capacity: number;
  /** Formattable media: the most a format can give (no spare areas). Others: = capacity. */
  readonly maxCapacity: number;
  readonly layers: 1 | 2;
  /** READ DISC INFORMATION byte 2 bit 4. */
  readonly erasable: boolean;
  /** Write speeds in kB/s, fastest first; empty for ROM. */
  readonly writeSpeeds: readonly number[];
  readonly readSpeed: number;
  /** Blocks between a closed session's last track and the next session's first (lead-out + lead-in + pre-gap). */
  readonly sessionGap: { readonly first: number; readonly next: number };
  /** Blocks the drive leaves after a closed track before the next (CD TAO run-out). */
  readonly trackGap: number;
  /** Random Readable feature blocking (MMC-6 §5.3.5): sectors per ECC block. */
  readonly blocking: number;
  /** Feature that says "this family is readable" (CD Read / DVD Read / BD Read). */
  readonly readFeature: number | undefined;
  /** Features that become current while the medium can be written. */
  readonly writeFeatures: readonly number[];
  /**
   * Blocks a WRITE's start and length must be multiples of: 16 (32 KiB, one
   * ECC block) on DVD-RW restricted overwrite, which has no read-modify-write
   * (libburn cookbook.txt: "For DVD-RW alignment has to be 32 KiB"); else 1.
   */
  readonly writeAlignment: number;
  /**
   * READ FORMAT CAPACITIES' formattable descriptors (MMC-6 §6.24.3.3), in the
   * drive's order; FORMAT UNIT takes only these (formattable media; else empty).
   */
  readonly formats: readonly FormatDescriptor[];
  /** Formattable media sold or kept formatted (a DVD-RW in restricted overwrite is one once it is in that mode). */
  readonly formattedAlways: boolean;
}

const CD_X = 176; // 176.4 kB/s
const DVD_X = 1385;
const BD_X = 4495;
const cdSpeeds = (...xs: number[]) => xs.map((x) => Math.round(x * 176.4));
const dvdSpeeds = (...xs: number[]) => xs.map((x) => Math.round(x * DVD_X));
const bdSpeeds = (...xs: number[]) => xs.map((x) => x * BD_X);

const CD_GAPS = { first: 6750 + 4500 + 150, next: 2250 + 4500 + 150 }; // Red/Orange Book lead-out, lead-in, pre-gap
const DVD_GAPS = { first: 16384, next: 16384 }; // border-out + border-in, approximated as 32 MiB
const BD_GAPS = { first: 2048, next: 2048 }; // approximated as 4 MiB
const NO_GAPS = { first: 0, next: 0 };

/** Pressed ROM content sizes (blocks): small generated ISO 9660 volumes. */
export const ROM_BLOCKS = { cd: 4500, dvd: 16384 } as const;

export const MEDIA: { readonly [N in MediaName]: MediaInfo & { readonly name: N } } = {
  'cd-rom': {
    name: 'cd-rom',
    label: 'CD-ROM (pressed, 9 MB)',
    family: 'cd',
    kind: 'rom',
    profile: Profile.CdRom,
    capacity: ROM_BLOCKS.cd,
    maxCapacity: ROM_BLOCKS.cd,
    layers: 1,
    erasable: false,
    writeSpeeds: [],
    readSpeed: Math.round(48 * 176.4),
    sessionGap: CD_GAPS,
    trackGap: 0,
    blocking: 1,
    readFeature: Feature.CdRead,
    writeFeatures: [],
    writeAlignment: 1,
    formats: [],
    formattedAlways: false,
  },
  'cd-r': {
    name: 'cd-r',
    label: 'CD-R 80 min (700 MB)',
    family: 'cd',
    kind: 'write-once',
    profile: Profile.CdR,
    capacity: 359_847,
    maxCapacity: 359_847,
    layers: 1,
    erasable: false,
    writeSpeeds: cdSpeeds(48, 40, 32, 24, 16, 8),
    readSpeed: Math.round(48 * 176.4),
    sessionGap: CD_GAPS,
    trackGap: 2,
    blocking: 1,
    readFeature: Feature.CdRead,
    writeFeatures: [
      Feature.IncrementalStreamingWritable,
      Feature.CdTrackAtOnce,
      Feature.CdMastering,
      Feature.RealTimeStreaming,
    ],
    writeAlignment: 1,
    formats: [],
    formattedAlways: false,
  },
  'cd-rw': {
    name: 'cd-rw',
    label: 'CD-RW 80 min (700 MB)',
    family: 'cd',
    kind: 'erasable',
    profile: Profile.CdRw,
    capacity: 359_847,
    maxCapacity: 359_847,
    layers: 1,
    erasable: true,
    writeSpeeds: cdSpeeds(24, 16, 10, 4),
    readSpeed: Math.round(40 * 176.4),
    sessionGap: CD_GAPS,
    trackGap: 2,
    blocking: 1,
    readFeature: Feature.CdRead,
    writeFeatures: [
      Feature.IncrementalStreamingWritable,
      Feature.CdTrackAtOnce,
      Feature.CdMastering,
      Feature.RealTimeStreaming,
    ],
    writeAlignment: 1,
    formats: [],
    formattedAlways: false,
  },
  'dvd-rom': {
    name: 'dvd-rom',
    label: 'DVD-ROM (pressed, 32 MB)',
    family: 'dvd',
    kind: 'rom',
    profile: Profile.DvdRom,
    capacity: ROM_BLOCKS.dvd,
    maxCapacity: ROM_BLOCKS.dvd,
    layers: 1,
    erasable: false,
    writeSpeeds: [],
    readSpeed: 16 * DVD_X,
    sessionGap: DVD_GAPS,
    trackGap: 0,
    blocking: 16,
    readFeature: Feature.DvdRead,
    writeFeatures: [],
    writeAlignment: 1,
    formats: [],
    formattedAlways: false,
  },
  'dvd-r': {
    name: 'dvd-r',
    label: 'DVD-R (4.7 GB)',
    family: 'dvd',
    kind: 'write-once',
    profile: Profile.DvdRSequential,
    capacity: 2_298_496,
    maxCapacity: 2_298_496,
    layers: 1,
    erasable: false,
    writeSpeeds: dvdSpeeds(16, 12, 8, 4),
    readSpeed: 16 * DVD_X,
    sessionGap: DVD_GAPS,
    trackGap: 0,
    blocking: 16,
    readFeature: Feature.DvdRead,
    writeFeatures: [
      Feature.IncrementalStreamingWritable,
      Feature.DvdRWrite,
      Feature.RealTimeStreaming,
    ],
    writeAlignment: 1,
    formats: [],
    formattedAlways: false,
  },
  'dvd-rw': {
    name: 'dvd-rw',
    label: 'DVD-RW (4.7 GB, sequential)',
    family: 'dvd',
    kind: 'erasable',
    profile: Profile.DvdRwSequential,
    capacity: 2_297_888,
    maxCapacity: 2_297_888,
    layers: 1,
    erasable: true,
    writeSpeeds: dvdSpeeds(6, 4, 2),
    readSpeed: 12 * DVD_X,
    sessionGap: DVD_GAPS,
    trackGap: 0,
    blocking: 16,
    readFeature: Feature.DvdRead,
    writeFeatures: [
      Feature.IncrementalStreamingWritable,
      Feature.DvdRWrite,
      Feature.RealTimeStreaming,
    ],
    writeAlignment: 1,
    formats: [],
    formattedAlways: false,
  },
  'dvd-rw-ro': {
    name: 'dvd-rw-ro',
    label: 'DVD-RW (4.7 GB, restricted overwrite)',
    family: 'dvd',
    kind: 'formattable',
    profile: Profile.DvdRwRestrictedOverwrite,
    capacity: 2_297_888,
    maxCapacity: 2_297_888,
    layers: 1,
    erasable: true,
    writeSpeeds: dvdSpeeds(6, 4, 2),
    readSpeed: 12 * DVD_X,
    sessionGap: NO_GAPS,
    trackGap: 0,
    blocking: 16,
    readFeature: Feature.DvdRead,
    // MMC-5 §5.4.14 (per libburn's cookbook.txt): profile 0013h has feature 002Ch.
    writeFeatures: [Feature.RigidRestrictedOverwrite, Feature.RealTimeStreaming],
    writeAlignment: 16,
    formats: [],
    formattedAlways: true,
  },
  'dvd+r': {
    name: 'dvd+r',
    label: 'DVD+R (4.7 GB)',
    family: 'dvd',
    kind: 'write-once',
    profile: Profile.DvdPlusR,
    capacity: 2_295_104,
    maxCapacity: 2_295_104,
    layers: 1,
    erasable: false,
    writeSpeeds: dvdSpeeds(16, 12, 8, 4),
    readSpeed: 16 * DVD_X,
    sessionGap: DVD_GAPS,
    trackGap: 0,
    blocking: 16,
    readFeature: Feature.DvdRead,
    writeFeatures: [Feature.DvdPlusR, Feature.RealTimeStreaming],
    writeAlignment: 1,
    formats: [],
    formattedAlways: false,
  },
  'dvd+rw': {
    name: 'dvd+rw',
    label: 'DVD+RW (4.7 GB)',
    family: 'dvd',
    kind: 'formattable',
    profile: Profile.DvdPlusRw,
    capacity: 2_295_104,
    maxCapacity: 2_295_104,
    layers: 1,
    erasable: true,
    writeSpeeds: dvdSpeeds(8, 6, 4, 2.4),
    readSpeed: 12 * DVD_X,
    sessionGap: NO_GAPS,
    trackGap: 0,
    blocking: 16,
    readFeature: Feature.DvdRead,
    writeFeatures: [Feature.RandomWritable, Feature.DvdPlusRw, Feature.RealTimeStreaming],
    writeAlignment: 1,
    // Format type 26h over the whole disc (MMC-6 §6.5.4.2.14); FORMAT UNIT may also say FFFFFFFFh.
    formats: [{ type: 0x26, blocks: 2_295_104, param: 0 }],
    formattedAlways: false,
  },
  'dvd+r-dl': {
    name: 'dvd+r-dl',
    label: 'DVD+R DL (8.5 GB)',
    family: 'dvd',
    kind: 'write-once',
    profile: Profile.DvdPlusRDualLayer,
    capacity: 4_173_824,
    maxCapacity: 4_173_824,
    layers: 2,
    erasable: false,
    writeSpeeds: dvdSpeeds(8, 6, 4, 2.4),
    readSpeed: 12 * DVD_X,
    sessionGap: DVD_GAPS,
    trackGap: 0,
    blocking: 16,
    readFeature: Feature.DvdRead,
    writeFeatures: [Feature.DvdPlusRDualLayer, Feature.RealTimeStreaming],
    writeAlignment: 1,
    formats: [],
    formattedAlways: false,
  },
  'bd-r': {
    name: 'bd-r',
    label: 'BD-R (25 GB)',
    family: 'bd',
    kind: 'write-once',
    profile: Profile.BdRSequential,
    capacity: 12_219_392,
    maxCapacity: 12_219_392,
    layers: 1,
    erasable: false,
    writeSpeeds: bdSpeeds(6, 4, 2),
    readSpeed: 8 * BD_X,
    sessionGap: BD_GAPS,
    trackGap: 0,
    blocking: 32,
    readFeature: Feature.BdRead,
    writeFeatures: [Feature.BdWrite, Feature.RealTimeStreaming],
    writeAlignment: 1,
    formats: [],
    formattedAlways: false,
  },
  'bd-re': {
    name: 'bd-re',
    label: 'BD-RE (25 GB)',
    family: 'bd',
    kind: 'formattable',
    profile: Profile.BdRe,
    capacity: 11_826_176,
    maxCapacity: 12_219_392,
    layers: 1,
    erasable: true,
    writeSpeeds: bdSpeeds(2, 1),
    readSpeed: 6 * BD_X,
    sessionGap: NO_GAPS,
    trackGap: 0,
    blocking: 32,
    readFeature: Feature.BdRead,
    writeFeatures: [Feature.RandomWritable, Feature.BdWrite, Feature.RealTimeStreaming],
    writeAlignment: 1,
    formats: BD_RE_FORMATS,
    formattedAlways: false,
  },
  none: {
    name: 'none',
    label: 'No disc (empty tray)',
    family: 'none',
    kind: 'none',
    profile: Profile.None,
    capacity: 0,
    maxCapacity: 0,
    layers: 1,
    erasable: false,
    writeSpeeds: [],
    readSpeed: 0,
    sessionGap: NO_GAPS,
    trackGap: 0,
    blocking: 1,
    readFeature: undefined,
    writeFeatures: [],
    writeAlignment: 1,
    formats: [],
    formattedAlways: false,
  },
};

/** The "1x" unit of each family in kB/s (SET CD SPEED and page 2Ah speak in kB/s). */
export const ONE_X: { readonly [F in MediaFamily]: number } = {
  none: CD_X,
  cd: CD_X,
  dvd: DVD_X,
  bd: BD_X,
};

/**
 * The link sizes feature 0021h lists for `media` (MMC-6 §5.3.11): 7 blocks
 * on CD, 16 (one ECC block) on DVD-R/-RW (libburn cookbook.txt "Sequential
 * DVD-R[W] Cookbook"; growisofs transport.hxx page05_setup writes 16).
 */
export function linkSizesOf(media: MediaInfo | undefined): readonly number[] {
  return media?.family === 'cd' ? [7] : [16];
}

/** DVD-R/-RW fixed packets are one ECC block: 16 blocks, 32 KiB (MMC-6 §7.5.4.16 per libburn's cookbook). */
export const DVD_PACKET_BLOCKS = 16;

export function isMediaName(name: unknown): name is MediaName {
  return typeof name === 'string' && (MEDIA_NAMES as readonly string[]).includes(name);
}

/** The MEDIA entry for `name`; throws VirtualRecorderError for anything else. */
export function mediaInfo(name: string): MediaInfo {
  if (!isMediaName(name)) {
    throw new VirtualRecorderError(
      'unknown-media',
      `unknown media "${name}": use one of ${MEDIA_NAMES.join(', ')}`,
    );
  }
  return MEDIA[name];
}
