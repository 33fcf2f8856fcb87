/**
 * `verify --checksums`: every file of every session checked against the
 * SHA256SUMS list that session carries (engine/recording/checksums.ts), with
 * no copy of the source. The first file that differs, or cannot be read, is
 * named with its session; sessions without a list are counted, not failed.
 */
import type { MediaState } from '../../contract/api.ts';
import { WebdiscError } from '../../usb-mass-storage/src/errors.ts';
import { utf8Decode, type SectorReader } from '../../disc-fs/src/index.ts';
import { CHECKSUM_PATH, parseChecksums } from '../recording/checksums.ts';
import { openVolume } from './disc-files.ts';
import { sessionStarts } from './sessions.ts';

export interface ChecksumHasher {
  update(bytes: Uint8Array): void;
  digest(): string;
}

export interface ChecksumReport {
  readonly sessions: number;
  /** Sessions that carry a checksum list. */
  readonly checkedSessions: number;
  readonly files: number;
  readonly bytes: number;
}

export async function verifyChecksums(
  reader: SectorReader,
  media: MediaState,
  sha256: () => Promise<ChecksumHasher>,
): Promise<ChecksumReport> {
  const starts = sessionStarts(media);
  let checkedSessions = 0;
  let files = 0;
  let bytes = 0;
  for (const [i, start] of starts.entries()) {
    const session = i + 1;
    const vol = await openVolume(reader, start);
    let list;
    try {
      list = await vol.stat(CHECKSUM_PATH);
    } catch {
      continue; // no list in this session
    }
    const parts: Uint8Array[] = [];
    for await (const c of vol.read(list)) parts.push(c);
    const expected = parseChecksums(utf8Decode(concat(parts)));
    checkedSessions++;
    for (const [path, want] of expected) {
      const fail = (why: string) =>
        new WebdiscError('E_IMAPI_BURN_VERIFICATION_FAILED', `Session ${session}: ${path} ${why}.`);
      let entry;
      try {
        entry = await vol.stat(path);
      } catch {
        throw fail('is listed in its checksums but is not on the disc');
      }
      const h = await sha256();
      try {
        for await (const c of vol.read(entry)) {
          h.update(c);
          bytes += c.length;
        }
      } catch (error) {
        throw new WebdiscError(
          'E_IMAPI_BURN_VERIFICATION_FAILED',
          `Session ${session}: ${path} cannot be read: ${(error as Error).message}`,
          { cause: error },
        );
      }
      const got = h.digest();
      if (got !== want)
        throw fail(`differs from its recorded checksum (SHA-256 ${got}, recorded ${want})`);
      files++;
    }
  }
  return { sessions: starts.length, checkedSessions, files, bytes };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
