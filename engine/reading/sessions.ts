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
