/**
 * Errors as values: what crosses every boundary (Comlink, BroadcastChannel,
 * the CLI's --json) is `{ hresult, name, message, sense }`, because Comlink
 * passes only `{ name, message }` of a thrown Error. Every call of the
 * recorder service resolves to a `Result`; erase and burn resolve to an
 * `OperationResult`, whose failure says where it stopped and what the disc is.
 */
import type { MediaState } from './api.ts';

/** SCSI sense (SPC-4 §4.5) as a plain, structured-cloneable value. */
export interface Sense {
  readonly key: number;
  readonly asc: number;
  readonly ascq: number;
  /** Progress 0..65535 of 65536 from the sense-key-specific bytes, when SKSV and NOT READY. */
  readonly progress?: number | undefined;
  /** The INFORMATION field (often the failing LBA) when VALID is set. */
  readonly information?: number | undefined;
}

/**
 * Why a device could not be opened, when the fix is the user's to make: the
 * protocol layer says which, as a fact; the UI and the CLI each say what to
 * do about it in their own terms (web/lib/usb-problems.ts, cli/format.ts).
 */
export const AccessProblem = {
  /** The browser refuses the mass-storage class (0x08) or its control transfers to this page. */
  ProtectedClass: 'protected-class',
  /** Another driver (the OS's usb-storage, another program) holds the interface. */
  Busy: 'busy',
} as const;
export type AccessProblem = (typeof AccessProblem)[keyof typeof AccessProblem];

export interface ErrorValue {
  readonly hresult: number;
  /** The HRESULT's name (E_ACCESS_DENIED), or a DOMException's (SecurityError). */
  readonly name: string;
  readonly message: string;
  readonly sense: Sense | null;
  /** Set when opening the device failed for a reason the user can fix. */
  readonly problem?: AccessProblem;
}

export type Result<T, E extends ErrorValue = ErrorValue> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

/** A failed or cancelled burn or erase: the error, plus where it stopped and the disc's state. */
export interface OperationFailure extends ErrorValue {
  /** The last sector the drive accepted; null when nothing was written. */
  readonly lastWrittenLba: number | null;
  /** Verification: the first sector that differs from the image. */
  readonly firstBadLba: number | null;
  /** The disc as the drive reports it after the failure; null when it could not be read. */
  readonly disc: MediaState | null;
  /**
   * A save into a picked file that stopped part way: what was read is kept
   * (not yet in the file) under `token` for resumeSaveToFile or discardSave.
   */
  readonly resumable?: {
    readonly token: string;
    readonly readSectors: number;
    readonly totalSectors: number;
  };
}

export type OperationResult<T> = Result<T, OperationFailure>;

export function isErrorValue(value: unknown): value is ErrorValue {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['hresult'] === 'number' &&
    typeof v['name'] === 'string' &&
    typeof v['message'] === 'string'
  );
}
