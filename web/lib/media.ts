/**
 * What the UI needs to know about a medium before it offers to erase or burn
 * it: names in words, which profiles can be erased or written and how, and
 * the exact sector arithmetic of "does the image fit". The worker checks all
 * of it again (worker/recording/burn.ts and erase.ts); these rules only let
 * the dialogs refuse up front, with a clear message, instead of after a
 * round trip that takes the lock.
 */
import type { DiscStatus, MediaState, RecorderInfo } from '../../contract/api.ts';

/** Every burn writes 2048-byte sectors (Mode 1 / DVD / BD user data). */
export const SECTOR_BYTES = 2048;

export const STATUS_WORDS: Readonly<Record<DiscStatus, string>> = {
  none: 'no disc',
  blank: 'blank',
  appendable: 'appendable (open session)',
  complete: 'complete (closed)',
  'random-access': 'random access (rewritable, formatted)',
};

const MEDIA_TYPE_NAMES: Readonly<Record<string, string>> = {
  UNKNOWN: 'unknown',
  CDROM: 'CD-ROM',
  CDR: 'CD-R',
  CDRW: 'CD-RW',
  DVDROM: 'DVD-ROM',
  DVDRAM: 'DVD-RAM',
  DVDPLUSR: 'DVD+R',
  DVDPLUSRW: 'DVD+RW',
  DVDPLUSR_DUALLAYER: 'DVD+R DL',
  DVDPLUSRW_DUALLAYER: 'DVD+RW DL',
  DVDDASHR: 'DVD-R',
  DVDDASHRW: 'DVD-RW',
  DVDDASHR_DUALLAYER: 'DVD-R DL',
  DISK: 'random-access disc',
  HDDVDROM: 'HD DVD-ROM',
  HDDVDR: 'HD DVD-R',
  HDDVDRAM: 'HD DVD-RAM',
  BDROM: 'BD-ROM',
  BDR: 'BD-R',
  BDRE: 'BD-RE',
};

/** IMAPI_MEDIA_TYPE_DVDPLUSR -> DVD+R (IMAPI_MEDIA_PHYSICAL_TYPE names). */
export function mediaTypeName(physicalType: string): string {
  const t = physicalType.replace(/^IMAPI_MEDIA_TYPE_/, '');
  return MEDIA_TYPE_NAMES[t] ?? (t || 'unknown');
}

/** "DVD+R, blank" / "No disc". */
export function describeMedia(m: MediaState): string {
  if (!m.present) return m.trayOpen ? 'No disc; the tray is open' : 'No disc';
  return `${mediaTypeName(m.physicalType)}, ${STATUS_WORDS[m.status]}`;
}

/**
 * How a profile is written, as the engine groups them (MMC-6 §4): CD (TAO or
 * SAO), DVD-R/-RW (incremental or DAO), the "+R" family (DVD+R, DVD+R DL,
 * BD-R: no page 05h) and random-writable media (DVD+RW, BD-RE, DVD-RW in
 * restricted overwrite) written in place from LBA 0.
 */
export type WriteFamily = 'cd' | 'dvd-minus' | 'plus-r' | 'random';

/** The worker's copy is in worker/recording/burn.ts; worker/recording/family.test.ts holds them together. */
export const WRITE_FAMILY: Readonly<Record<number, WriteFamily>> = {
  0x09: 'cd',
  0x0a: 'cd',
  0x11: 'dvd-minus',
  0x14: 'dvd-minus',
  0x15: 'dvd-minus',
  0x16: 'dvd-minus',
  0x1b: 'plus-r',
  0x2b: 'plus-r',
  0x41: 'plus-r',
  0x42: 'plus-r',
  0x1a: 'random',
  0x43: 'random',
  0x13: 'random',
};

/** CD-RW (BLANK), DVD-RW sequential and restricted overwrite (BLANK), DVD+RW and BD-RE (FORMAT UNIT). */
const ERASABLE_PROFILES: ReadonlySet<number> = new Set([0x0a, 0x13, 0x14, 0x1a, 0x43]);

/** Media whose erase is a FORMAT UNIT rather than a BLANK. */
const FORMATTED_PROFILES: ReadonlySet<number> = new Set([0x1a, 0x43]);

export function writeFamily(m: MediaState | null): WriteFamily | null {
  const code = m?.present ? m.profile?.code : undefined;
  return code === undefined ? null : (WRITE_FAMILY[code] ?? null);
}

/** The medium's name for sentences: "the DVD+R", or "this disc" when unknown. */
export function theMedium(m: MediaState | null): string {
  if (!m?.present) return 'the disc';
  const name = mediaTypeName(m.physicalType);
  return name === 'unknown' ? 'this disc' : `the ${name}`;
}

export interface EraseCheck {
  /** Why the medium cannot be erased, in words; null when it can. */
  readonly problem: string | null;
  /** What erasing does to this medium. */
  readonly method: 'blank' | 'format' | null;
}

/** Whether the medium can be erased: only CD-RW, DVD-RW, DVD+RW and BD-RE can. */
export function eraseCheck(m: MediaState | null): EraseCheck {
  if (!m) return { problem: 'The drive has not said what medium it holds yet.', method: null };
  if (!m.present) return { problem: 'There is no disc in the drive.', method: null };
  const code = m.profile?.code;
  if (code === undefined || !ERASABLE_PROFILES.has(code)) {
    const name = mediaTypeName(m.physicalType);
    return {
      problem: `${name === 'unknown' ? 'This disc' : `A ${name}`} cannot be erased: only CD-RW, DVD-RW, DVD+RW and BD-RE can.`,
      method: null,
    };
  }
  return { problem: null, method: FORMATTED_PROFILES.has(code) ? 'format' : 'blank' };
}

/** Sectors an image of `bytes` bytes takes: the last one is padded with zeros. */
export function sectorsFor(bytes: number): number {
  return Math.ceil(bytes / SECTOR_BYTES);
}

export interface BurnTarget {
  /** Why nothing can be burned to this medium; null when it can. */
  readonly problem: string | null;
  readonly family: WriteFamily | null;
  /** Where writing starts (the next writable address, or 0 on random-writable media). */
  readonly startLba: number;
  /** Sectors free from startLba. */
  readonly freeBlocks: number;
  /** Random-writable media: existing data from startLba on is overwritten. */
  readonly overwrites: boolean;
  /** The close/appendable choice means something (not on random-writable media). */
  readonly canClose: boolean;
  /** Test write (simulation): the drive reports it and the medium has it (CD-R/RW, DVD-R/RW). */
  readonly testWrite: boolean;
  /** CD write mode can be chosen: a blank CD takes track-at-once or session-at-once. */
  readonly cdWriteMode: boolean;
}

/** Where and whether an image can be written to the medium, as the engine will decide. */
export function burnTarget(m: MediaState | null, info: RecorderInfo | null): BurnTarget {
  const none = (problem: string): BurnTarget => ({
    problem,
    family: null,
    startLba: 0,
    freeBlocks: 0,
    overwrites: false,
    canClose: false,
    testWrite: false,
    cdWriteMode: false,
  });
  if (!m) return none('The drive has not said what medium it holds yet.');
  if (!m.present) return none('There is no disc in the drive. Insert a writable disc.');
  const family = writeFamily(m);
  const name = mediaTypeName(m.physicalType);
  if (!family)
    return none(
      `${name === 'unknown' ? 'This disc' : `A ${name}`} cannot be written. Insert a CD-R/RW, DVD±R/RW or BD-R/RE.`,
    );
  const random = family === 'random';
  if (!random && m.status === 'complete')
    return none(
      `The ${name} is closed: nothing more can be written to it${m.erasable ? ' until it is erased' : ''}.`,
    );
  if (!random && m.nextWritableAddress === null)
    return none(`The drive reports no next writable address on the ${name}.`);
  const startLba = random ? 0 : (m.nextWritableAddress ?? 0);
  return {
    problem: null,
    family,
    startLba,
    freeBlocks: random ? Math.max(0, m.capacityBlocks - startLba) : m.freeBlocks,
    overwrites: random && m.status !== 'blank' && m.tracks.some((t) => t.size > 0),
    canClose: !random,
    testWrite: !!info?.capabilities.testWrite && (family === 'cd' || family === 'dvd-minus'),
    cdWriteMode: family === 'cd' && m.status === 'blank',
  };
}

/** "1×" speed in kB/s (MMC counts 1 kB = 1000 bytes): CD 176.4, DVD 1385, BD 4495. */
function oneX(m: MediaState | null): number | null {
  const t = m?.present ? m.physicalType : '';
  if (/_CD/.test(t)) return 176.4;
  if (/_DVD/.test(t)) return 1385;
  if (/_BD/.test(t)) return 4495;
  return null;
}

/** "8× (11,080 kB/s)" for the medium in the drive; "11,080 kB/s" when its 1× is unknown. */
export function speedLabel(kBps: number, m: MediaState | null): string {
  const x = oneX(m);
  const rate = `${kBps.toLocaleString('en-US')} kB/s`;
  if (x === null) return rate;
  const times = kBps / x;
  const shown = times >= 10 ? Math.round(times) : Math.round(times * 10) / 10;
  return `${shown}× (${rate})`;
}
