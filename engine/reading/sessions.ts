/**
 * Where a disc's sessions start, from its tracks (READ TRACK INFORMATION,
 * as MediaState lists them): every reader of a multisession disc (the
 * browser, save, verify, a new session's import) asks the same questions.
 * An overwritable disc grown in place has one session at sector 0.
 */
import type { MediaState } from '../../contract/api.ts';
import { WebdiscError } from '../../usb-mass-storage/src/errors.ts';

/** The first sector of each session that holds data, oldest first. */
export function sessionStarts(media: MediaState): number[] {
  const starts = new Map<number, number>();
  for (const t of media.tracks) {
    if (t.size <= 0 || t.mode !== 'data') continue;
    starts.set(t.session, Math.min(starts.get(t.session) ?? Infinity, t.start));
  }
  return [...starts.entries()].sort((a, b) => a[0] - b[0]).map(([, s]) => s);
}

/** The first sector of the disc's newest session that holds data (the one a drive's TOC leads an OS to). */
export function lastSessionStart(media: MediaState): number {
  const last = sessionStarts(media).at(-1);
  if (last === undefined)
    throw new WebdiscError('IMAPI_E_EMPTY_DISC', 'The disc has no data session to add to.');
  return last;
}

/** Where a reader of the disc's files starts: the newest data session, else sector 0. */
export function newestFilesStart(media: MediaState): number {
  return sessionStarts(media).at(-1) ?? 0;
}

/** The first sector of session `n` (1-based). */
export function sessionStart(media: MediaState, n: number): number {
  const tracks = media.tracks.filter((t) => t.size > 0 && t.session === n);
  if (tracks.length === 0)
    throw new WebdiscError(
      'E_INVALIDARG',
      `The disc has no session ${n} (it has ${media.sessions}).`,
    );
  return Math.min(...tracks.map((t) => t.start));
}

/** Sectors an ISO 9660 volume descriptor set may take (ECMA-119 8.1: PVD, SVDs, boot, terminator). */
const MAX_DESCRIPTORS = 16;

/** A volume descriptor's type, or null when the sector is not one (ECMA-119 8.1: "CD001", version 1). */
function descriptorType(d: Uint8Array): number | null {
  const id = String.fromCharCode(...d.subarray(1, 6));
  return id === 'CD001' && d[6] === 1 ? d[0]! : null;
}

/** The volume descriptor set at `lba` (through its terminator, type 255), or null. */
async function descriptorSet(
  read: (lba: number, n: number) => Promise<Uint8Array>,
  lba: number,
): Promise<Uint8Array | null> {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < MAX_DESCRIPTORS; i++) {
    const d = await read(lba + i, 1).catch(() => null);
    if (!d || d.length < 2048 || descriptorType(d) === null) return null;
    parts.push(d.subarray(0, 2048));
    if (d[0] === 255) break;
    if (i === MAX_DESCRIPTORS - 1) return null;
  }
  const out = new Uint8Array(parts.length * 2048);
  parts.forEach((p, i) => out.set(p, i * 2048));
  return out;
}

/**
 * The volume recognition area from sector 16: ISO 9660 volume descriptors
 * (ECMA-119 8.1, "CD001") and the ECMA-167 2/9.1 volume structure
 * descriptors after them ("BEA01", "NSR02"/"NSR03", "TEA01", "BOOT2",
 * "CDW02") that announce a UDF bridge. Its length in sectors.
 */
async function recognitionArea(
  read: (lba: number, n: number) => Promise<Uint8Array>,
): Promise<number> {
  const ids = new Set(['CD001', 'BEA01', 'NSR02', 'NSR03', 'TEA01', 'BOOT2', 'CDW02']);
  let n = 0;
  for (; n < 2 * MAX_DESCRIPTORS; n++) {
    const d = await read(16 + n, 1).catch(() => null);
    if (!d || d.length < 2048 || !ids.has(String.fromCharCode(...d.subarray(1, 6)))) break;
  }
  return n;
}

/**
 * For an image of a multisession disc that will be written as one session
 * (a copy): what stands at sector 16 instead of the first session's volume
 * recognition area: the newest session's ISO 9660 volume descriptors, then
 * zeros. A reader of the copy starts at its only session, sector 0, so it
 * finds the newest files; every address in the newest session's tree is
 * absolute and the image keeps every other sector where it was, so the tree
 * reads as on the source. This is growisofs's way of growing an
 * overwritable disc in place (the new descriptors copied to sector 16). The
 * first session's UDF bridge is announced in that area too (its NSR
 * descriptor): zeroed with it, so a reader that prefers UDF (Windows) does
 * not show the first session's files either (later sessions have no UDF).
 * Null when there is nothing to move (one session, an overwritable disc
 * grown in place) or it cannot be done safely: the newest session has no
 * ISO 9660 descriptors, or they would not fit in the first session's area.
 */
export async function newestVolumeDescriptors(
  media: MediaState,
  read: (lba: number, n: number) => Promise<Uint8Array>,
): Promise<{ readonly session: number; readonly bytes: Uint8Array } | null> {
  const newest = newestFilesStart(media);
  if (newest === 0) return null;
  const area = await recognitionArea(read);
  const latest = await descriptorSet(read, newest + 16);
  if (!latest || area === 0 || latest.length > area * 2048) return null;
  const bytes = new Uint8Array(area * 2048);
  bytes.set(latest);
  return { session: newest, bytes };
}
