/**
 * What the UI needs to know about a medium before it offers to erase or burn
 * it: names in words, which profiles can be erased or written and how, and
 * the exact sector arithmetic of "does the image fit". The worker checks all
 * of it again (engine/recording/); the profile tables are the contract's
 * (contract/profiles.ts), the same ones the engine decides with; these rules only let
 * the dialogs refuse up front, with a clear message, instead of after a
 * round trip that takes the lock.
 */
import type { DiscStatus, MediaState, RecorderInfo } from '../../contract/api.ts';
import {
  ERASABLE_MEDIA_WORDS,
  eraseMethodOf,
  mediaTypeName,
  oneXKBps,
  speedWords,
  writeFamilyOf,
  type WriteFamily,
} from '../../contract/profiles.ts';

export const STATUS_WORDS: Readonly<Record<DiscStatus, string>> = {
  none: 'no disc',
  blank: 'blank',
  appendable: 'appendable (open session)',
  complete: 'complete (closed)',
  'random-access': 'random access (rewritable, formatted)',
};

/** "DVD+R, blank" / "No disc". */
export function describeMedia(m: MediaState): string {
  if (!m.present) return m.trayOpen ? 'No disc; the tray is open' : 'No disc';
  return `${mediaTypeName(m.physicalType)}, ${STATUS_WORDS[m.status]}`;
}

export function writeFamily(m: MediaState | null): WriteFamily | null {
  return writeFamilyOf(m?.present ? m.profile?.code : undefined);
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
  const method = eraseMethodOf(m.profile?.code);
  if (!method) {
    const name = mediaTypeName(m.physicalType);
    return {
      problem: `${name === 'unknown' ? 'This disc' : `A ${name}`} cannot be erased: ${ERASABLE_MEDIA_WORDS}.`,
      method: null,
    };
  }
  return { problem: null, method };
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

/** "8× (11,080 kB/s)" for the medium in the drive (contract/profiles.ts speedWords). */
export function speedLabel(kBps: number, m: MediaState | null): string {
  return speedWords(kBps, m?.present ? m.physicalType : '');
}

/**
 * The write speeds to offer (kB/s, fastest first): the ones the drive
 * reported with the disc in it now (MediaState.writeSpeedsKBps), never
 * another disc's (issue 19, defect 2); the info's list only from a worker
 * that does not read them with the medium.
 */
export function offeredSpeeds(m: MediaState | null, info: RecorderInfo | null): readonly number[] {
  if (!m?.present) return [];
  return m.writeSpeedsKBps ?? info?.capabilities.writeSpeedsKBps ?? [];
}

/**
 * What 1× is for the medium in the drive: a CD's is 150 KiB/s of data
 * (75 sectors of 2048 bytes; the drive counts 176.4 kB/s, the 2352-byte
 * sectors, which the labels show), a DVD's 1,385 kB/s, a BD's 4,495 kB/s
 * (kB = 1000 bytes, as MMC counts). Null when the medium's 1× is unknown.
 */
export function oneXWords(m: MediaState | null): string | null {
  if (!m?.present) return null;
  const x = oneXKBps(m.physicalType);
  if (x === null) return null;
  const name = mediaTypeName(m.physicalType);
  if (name.startsWith('CD')) {
    const kib = Math.round((x * 1000 * (2048 / 2352)) / 1024);
    return `1× for a ${name} is ${kib} KiB/s of data (${x} kB/s as the drive counts)`;
  }
  return `1× for a ${name} is ${x.toLocaleString('en-US')} kB/s`;
}

/**
 * Burning files and folders: a new disc image is mastered for LBA 0, so a
 * write-once or sequential medium must be blank (the engine refuses it with
 * E_IMAPI_DF2DATA_MEDIA_NOT_BLANK otherwise); random-writable media are
 * written from LBA 0.
 */
export function filesBurnTarget(m: MediaState | null, info: RecorderInfo | null): BurnTarget {
  const t = burnTarget(m, info);
  if (t.problem || t.family === 'random' || !m?.present || m.status === 'blank') return t;
  const name = mediaTypeName(m.physicalType);
  return {
    ...t,
    problem: `The ${name} is not blank. Files and folders are written as a new disc starting at its first sector, so they need a blank disc${m.erasable ? ' (or this one erased first)' : ''}.${canAddFiles(m) ? ' “Add files…” adds them to the files on this one.' : ''}`,
  };
}

/** The same disc in the same state (media events repeat it as fresh objects). */
export function sameMedium(a: MediaState | null, b: MediaState | null): boolean {
  if (!a || !b) return a === b;
  return (
    a.present === b.present &&
    a.physicalType === b.physicalType &&
    a.status === b.status &&
    a.freeBlocks === b.freeBlocks &&
    a.nextWritableAddress === b.nextWritableAddress
  );
}

/** The disc holds data a new session can be added to: appendable, or overwritable with data. */
export function canAddFiles(m: MediaState | null): boolean {
  if (!m?.present) return false;
  const family = writeFamily(m);
  if (!family) return false;
  const data = m.tracks.some((t) => t.size > 0 && t.mode === 'data');
  return family === 'random' ? m.status !== 'blank' && data : m.status === 'appendable' && data;
}

/**
 * "Add files…": a new session after the disc's files (engine planAppend).
 * Where it starts and how much room it has come from planFileSession; the
 * target says whether the disc can take one at all, in words.
 */
export function appendTarget(m: MediaState | null, info: RecorderInfo | null): BurnTarget {
  const t = burnTarget(m, info);
  const name = m?.present ? mediaTypeName(m.physicalType) : 'disc';
  const refuse = (problem: string): BurnTarget => ({ ...t, problem });
  const family = m?.present ? writeFamily(m) : null;
  if (m && family && family !== 'random' && m.status === 'complete')
    return refuse(`This disc is finalized: it cannot take more files.`);
  if (t.problem) return t;
  if (!canAddFiles(m))
    return refuse(
      `The ${name} has no files to add to. Use “Burn files…” to write files to a blank disc.`,
    );
  return { ...t, overwrites: false, cdWriteMode: false };
}
