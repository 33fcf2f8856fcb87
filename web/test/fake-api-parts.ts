/** The fake worker API's small parts (web/test/fake-api.ts): results, media, errors. */
import type {
  BurnSource,
  ErrorValue,
  MediaState,
  OperationResult,
  Result,
  SavedImage,
} from '../../contract/api.ts';
import { HRESULT, type HResultName } from '../../contract/hresult.ts';
import { blankCdR, blankDvd, dataCd, noDisc, usedCdRw } from './samples.ts';

export const ok = <T>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value });
export const fail = <T>(error: ErrorValue): Promise<Result<T>> =>
  Promise.resolve({ ok: false, error });

export const MEDIA: Record<string, MediaState> = {
  none: noDisc,
  'DVD+R blank': blankDvd,
  'CD-ROM data': dataCd,
  'CD-R blank': blankCdR,
  'CD-RW used': usedCdRw,
};

/** An ErrorValue with the HRESULT as the signed 32-bit number Windows gives. */
export const error = (name: HResultName, message: string): ErrorValue => ({
  hresult: HRESULT[name] | 0,
  name,
  message,
  sense: null,
});

export async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function sourceBlob(source: BurnSource): Blob | null {
  // The page hands over a real Blob; the contract types it structurally.
  if (source.kind === 'blob') return source.blob as Blob;
  if (source.kind === 'bytes') return new Blob([source.bytes as Uint8Array<ArrayBuffer>]);
  return null;
}

/** A refusal before anything ran (a plain ErrorValue) as the API's OperationFailure. */
export function withOperationFields<T>(r: Result<T, ErrorValue>): OperationResult<T> {
  if (r.ok) return r;
  return { ok: false, error: { lastWrittenLba: null, firstBadLba: null, disc: null, ...r.error } };
}

/** The fake save's report: `sectors` saved, `read` of them by this run, `bad` zero-filled. */
export function savedImage(
  sectors: number,
  read: number,
  resumed: boolean,
  bad: number,
): SavedImage {
  return {
    startLba: 0,
    sectors,
    bytes: sectors * 2048,
    durationMs: 4000,
    badRanges: bad ? [{ start: 100, count: bad }] : [],
    badSectors: bad,
    sha256: 'cd'.repeat(32),
    md5: 'ef'.repeat(16),
    sectorsRead: read,
    resumed,
    map: bad ? '# Mapfile. Created by webdisc\n0x00000000 +\n' : null,
  };
}

/** A save stopped at unreadable sector `at`, what it read kept under `token` (the engine's FileSaves). */
export function stoppedSave(at: number, token: string, sectors: number): OperationResult<never> {
  return {
    ok: false,
    error: {
      ...error(
        'HRESULT_FROM_WIN32_ERROR_CRC',
        `Sector ${at} cannot be read (the disc may be scratched or dirty).`,
      ),
      lastWrittenLba: null,
      firstBadLba: at,
      disc: null,
      resumable: { token, readSectors: at, totalSectors: sectors },
    },
  };
}
