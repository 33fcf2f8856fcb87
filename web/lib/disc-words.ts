/**
 * The disc in the drive in words a person uses ("Blank DVD+R, 4.7 GB free"),
 * and which jobs it allows. The home and the operation log say it the same
 * way; the write and erase rules are lib/media.ts's (the contract's profile
 * tables), never copied here.
 */
import type { MediaState } from '../../contract/api.ts';
import { mediaTypeName } from '../../contract/profiles.ts';
import { formatBytes } from './format.ts';
import {
  appendTarget,
  burnTarget,
  canAddFiles,
  eraseCheck,
  filesBurnTarget,
  writeFamily,
} from './media.ts';

/** A disc with a data track: something to save, browse, verify or copy. */
export function hasData(m: MediaState | null): boolean {
  return !!m?.present && m.status !== 'blank' && m.tracks.some((t) => t.mode === 'data');
}

/** "DVD+R", or "disc" when the drive does not name it. */
function nameOf(m: MediaState): string {
  const name = mediaTypeName(m.physicalType);
  return name === 'unknown' ? 'disc' : name;
}

/**
 * The bytes of data on the disc: its tracks, without the open (invisible)
 * track a writable disc reports from its next writable address on.
 */
function dataBytes(m: MediaState): number {
  const next = m.nextWritableAddress;
  const written = m.tracks.filter((t) => next === null || t.start < next);
  return written.reduce((sum, t) => sum + t.size, 0) * m.blockSize;
}

/**
 * "Blank DVD+R, 4.7 GB free", "DVD+R with 1.20 GB of files, open for more:
 * 3.50 GB free", "Finalized CD-R with 650 MB of data", "No disc", "The tray
 * is open". Medium names keep their own capitals (DVD+R, CD-ROM) at the start
 * of a sentence.
 */
export function discWords(m: MediaState | null, loading = false): string {
  if (!m) return loading ? 'Reading the disc…' : 'The drive has not said what is in it yet.';
  if (!m.present)
    return m.trayOpen ? 'The tray is open, with no disc in it' : 'No disc in the drive';
  const name = nameOf(m);
  const free = formatBytes(m.freeBlocks * m.blockSize);
  const data = formatBytes(dataBytes(m));
  const family = writeFamily(m);
  if (m.status === 'blank')
    return `Blank ${name}, ${formatBytes(m.capacityBlocks * m.blockSize)} free`;
  if (!family) return `${name} with ${data} of data (read-only)`;
  if (family === 'random')
    return hasData(m)
      ? `Rewritable ${name} with ${data} of data, ${free} free`
      : `Empty rewritable ${name}, ${formatBytes(m.capacityBlocks * m.blockSize)} free`;
  if (m.status === 'appendable') return `${name} with ${data} of data, open for more: ${free} free`;
  return `Finalized ${name} with ${data} of data`;
}

/** The jobs the home offers. */
export const Job = {
  BurnFiles: 'burn-files',
  BurnImage: 'burn-image',
  AddFiles: 'add-files',
  Save: 'save',
  Browse: 'browse',
  Verify: 'verify',
  Copy: 'copy',
  Erase: 'erase',
} as const;
export type Job = (typeof Job)[keyof typeof Job];

export interface DiscJobs {
  /** The jobs this disc allows, in the order the home shows them. */
  readonly jobs: readonly Job[];
  /** Why the jobs a person would expect are not there, one sentence each. */
  readonly why: readonly string[];
}

/**
 * Which jobs the disc allows, and why not the others a person would look
 * for: a finalized disc "cannot take more files", a pressed disc cannot be
 * written or erased, no disc means insert one. The dialogs check again in
 * full (with the drive's info); this only decides what to offer.
 */
export function discJobs(m: MediaState | null): DiscJobs {
  if (!m?.present) return { jobs: [], why: ['Insert a disc to burn, save, browse or erase it.'] };
  const jobs: Job[] = [];
  const why: string[] = [];
  const files = filesBurnTarget(m, null);
  const image = burnTarget(m, null);
  if (!files.problem) jobs.push(Job.BurnFiles);
  if (!image.problem) jobs.push(Job.BurnImage);
  if (canAddFiles(m)) jobs.push(Job.AddFiles);
  if (hasData(m)) jobs.push(Job.Save, Job.Browse, Job.Verify, Job.Copy);
  if (!eraseCheck(m).problem && (m.status !== 'blank' || writeFamily(m) === 'random'))
    jobs.push(Job.Erase);
  const family = writeFamily(m);
  if (family && family !== 'random' && m.status === 'complete') {
    const refusal = appendTarget(m, null).problem;
    if (refusal) why.push(refusal + (m.erasable ? ' Erase it to use it again.' : ''));
  } else if (!family) {
    why.push(
      `A ${nameOf(m)} cannot be written${m.erasable ? '' : ' or erased'}: it can only be read.`,
    );
  } else if (files.problem && !image.problem && !canAddFiles(m)) {
    why.push(files.problem);
  }
  return { jobs, why };
}
