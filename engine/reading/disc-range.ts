/**
 * Which sectors a save reads, from the disc's own layout (READ TRACK
 * INFORMATION for each track, as MediaState lists them): the whole disc is
 * every data track from the first to the last; a session its tracks; a
 * track itself. Overwritable media (DVD+RW, DVD-RW restricted overwrite,
 * BD-RE) report one track as large as the formatted disc, so there the file
 * system says how much is used: the ISO 9660 volume space size (ECMA-119
 * 8.4.8, bytes 80-83 of the primary volume descriptor at sector 16), which
 * growisofs and xorriso keep up to date when they grow a disc in place; the
 * whole track when there is none.
 */
import type { DiscRange, MediaState, SectorRange, TrackInfo } from '../../contract/api.ts';
import { writeFamilyOf } from '../../contract/profiles.ts';
import { WebdiscError } from '../../usb-mass-storage/src/errors.ts';

export interface ResolvedRange {
  readonly start: number;
  readonly count: number;
  /**
   * Sectors inside the range that belong to no track: the lead-out and
   * lead-in between sessions, which drives refuse to read (5/21/00). A save
   * writes zeros there instead of reading, so later sessions keep their
   * addresses in the image.
   */
  readonly gaps: readonly SectorRange[];
  /** In words, for reports: "the whole disc", "session 2", "track 3". */
  readonly what: string;
}

/** Reads sector 16 and returns the ISO 9660 volume space size, or null without one. */
export async function isoVolumeSize(
  read: (lba: number, n: number) => Promise<Uint8Array>,
): Promise<number | null> {
  try {
    const pvd = await read(16, 1);
    const id = String.fromCharCode(...pvd.subarray(1, 6));
    if (pvd[0] !== 1 || id !== 'CD001') return null;
    const size = pvd[80]! | (pvd[81]! << 8) | (pvd[82]! << 16) | (pvd[83]! << 24);
    return size >>> 0;
  } catch {
    return null;
  }
}

function span(tracks: readonly TrackInfo[]): { start: number; end: number } {
  const start = Math.min(...tracks.map((t) => t.start));
  const end = Math.max(...tracks.map((t) => t.start + t.size));
  return { start, end };
}

export async function resolveRange(
  media: MediaState,
  range: DiscRange,
  read: (lba: number, n: number) => Promise<Uint8Array>,
): Promise<ResolvedRange> {
  const name = media.profile?.name ?? 'disc';
  if (!media.present)
    throw new WebdiscError('E_IMAPI_RECORDER_MEDIA_NO_MEDIA', 'There is no disc in the drive.');
  let tracks = media.tracks.filter((t) => t.size > 0);
  if (tracks.length === 0 && media.status === 'complete' && media.capacityBlocks > 0) {
    // A drive that answers no READ TRACK INFORMATION (a plain CD-ROM bridge):
    // READ CAPACITY's size is the disc, one data track (MMC-6 §6.23).
    tracks = [{ number: 1, session: 1, start: 0, size: media.capacityBlocks, mode: 'data' }];
  }
  const data = tracks.filter((t) => t.mode === 'data');
  if (media.status === 'blank' || data.length === 0) {
    throw new WebdiscError(
      'IMAPI_E_EMPTY_DISC',
      media.status === 'blank'
        ? `The ${name} is blank: there is nothing to save.`
        : `The ${name} has no data tracks (audio CDs are not saved as data images).`,
    );
  }
  let chosen: readonly TrackInfo[];
  let what: string;
  switch (range.kind) {
    case 'track': {
      const t = tracks.find((x) => x.number === range.track);
      if (!t)
        throw new WebdiscError(
          'E_INVALIDARG',
          `The ${name} has no track ${range.track} (tracks: ${tracks.map((x) => x.number).join(', ')}).`,
        );
      if (t.mode !== 'data')
        throw new WebdiscError(
          'E_INVALIDARG',
          `Track ${t.number} is audio: only data tracks are saved as images.`,
        );
      chosen = [t];
      what = `track ${t.number}`;
      break;
    }
    case 'session': {
      chosen = data.filter((x) => x.session === range.session);
      if (chosen.length === 0)
        throw new WebdiscError(
          'E_INVALIDARG',
          `The ${name} has no data in session ${range.session} (sessions: ${media.sessions}).`,
        );
      what = `session ${range.session}`;
      break;
    }
    default:
      chosen = data;
      what = 'the whole disc';
  }
  const { start } = span(chosen);
  let { end } = span(chosen);
  if (writeFamilyOf(media.profile?.code) === 'random' && start === 0) {
    const size = await isoVolumeSize(read);
    if (size !== null && size > 16 && size < end) end = size;
  }
  const gaps: SectorRange[] = [];
  const sorted = [...chosen].sort((a, b) => a.start - b.start);
  for (let i = 0; i + 1 < sorted.length; i++) {
    const gapStart = sorted[i]!.start + sorted[i]!.size;
    const gapEnd = sorted[i + 1]!.start;
    if (gapEnd > gapStart) gaps.push({ start: gapStart, count: gapEnd - gapStart });
  }
  return { start, count: end - start, what, gaps };
}
