/**
 * Erase and burn as the UI tracks them: what runs (or ran) on a recorder and
 * how it ended, and the words for the engine's progress actions.
 */
import type {
  BurnOptions,
  BurnReport,
  CopyReport,
  EraseReport,
  SaveOptions,
  SavedImage,
} from '../../contract/api.ts';
import type { HResultName } from '../../contract/hresult.ts';
import type { OperationResult } from './errors.ts';

interface OperationBase {
  /** What runs, in words: "Burning backup.iso to the DVD+R". */
  readonly title: string;
  /** Until eraseMedia / burnImage resolves. */
  readonly running: boolean;
  /** Cancel was pressed and accepted; the operation is winding down. */
  readonly cancelRequested: boolean;
}

export interface EraseOperation extends OperationBase {
  readonly kind: 'erase';
  readonly full: boolean;
  readonly result: OperationResult<EraseReport> | null;
}

export interface BurnOperation extends OperationBase {
  readonly kind: 'burn';
  readonly fileName: string;
  readonly fileSize: number;
  readonly options: BurnOptions;
  readonly result: OperationResult<BurnReport> | null;
}

/** The disc saved as an image (issue 17): to a picked file, or downloaded. */
export interface SaveOperation extends OperationBase {
  readonly kind: 'save';
  /** The image's file name ("disc.iso"). */
  readonly fileName: string;
  /** Where it went, after the save: "saved" to the picked file, "downloaded", or "kept" for a copy. */
  readonly delivered: 'saved' | 'downloaded' | 'kept' | null;
  readonly options: SaveOptions;
  readonly result: OperationResult<SavedImage> | null;
}

/** A disc copied onto another drive's disc at once (copyDisc). */
export interface CopyOperation extends OperationBase {
  readonly kind: 'copy';
  /** The drive written to, by name. */
  readonly toName: string;
  readonly options: BurnOptions;
  readonly result: OperationResult<CopyReport> | null;
}

export type Operation = EraseOperation | BurnOperation | SaveOperation | CopyOperation;

/** IMAPI2's E_IMAPI_REQUEST_CANCELLED: how a cancelled erase or burn ends. */
export const E_IMAPI_REQUEST_CANCELLED = 'E_IMAPI_REQUEST_CANCELLED' satisfies HResultName;

/** The engine's actions (IMAPI_FORMAT2_DATA_WRITE_ACTION, and erasing) in words. */
const ACTION_WORDS: Readonly<Record<string, string>> = {
  validating: 'Checking the disc and the image',
  formatting: 'Formatting the disc',
  calibrating: 'Preparing to write',
  writing: 'Writing',
  finalizing: 'Finalizing (closing the track and session)',
  verifying: 'Verifying (reading the disc back)',
  completed: 'Completed',
  erasing: 'Erasing',
  reading: 'Reading the disc',
};

/** An action for people; one the UI does not know is shown as it came. */
export function actionWords(action: string): string {
  return ACTION_WORDS[action] ?? action;
}

/** "Burn" / "Test write" / "Erase": the noun for headlines. */
export function operationNoun(op: Operation): string {
  if (op.kind === 'erase') return 'Erase';
  if (op.kind === 'save') return 'Save';
  if (op.kind === 'copy') return 'Copy';
  return op.options.simulate ? 'Test write' : 'Burn';
}

/** The status line when an operation ends ("Saved disc.iso: 300 sectors."). */
export function outcomeStatus(op: Operation): string {
  const noun = operationNoun(op);
  const r = op.result;
  if (!r) return '';
  if (!r.ok) {
    return r.error.name === E_IMAPI_REQUEST_CANCELLED
      ? `${noun} cancelled.`
      : `${noun} failed: ${r.error.name}.`;
  }
  if (op.kind === 'erase') return 'Erase completed.';
  if (op.kind === 'copy') {
    const copied = op.result?.ok ? op.result.value : null;
    return copied
      ? `Copy onto ${op.toName} completed: ${copied.burn.sectorCount.toLocaleString('en-US')} sectors${copied.burn.sha256 ? ', verified (SHA-256 matches)' : ''}.`
      : '';
  }
  if (op.kind === 'save') {
    const saved = op.result?.ok ? op.result.value : null;
    return saved
      ? `Saved ${op.fileName}: ${saved.sectors.toLocaleString('en-US')} sectors${saved.badSectors ? `, ${saved.badSectors} unreadable (zero-filled)` : ''}.`
      : '';
  }
  const report = op.result?.ok ? op.result.value : null;
  if (!report) return '';
  const verified = report.sha256
    ? ', verified (SHA-256 matches)'
    : report.verify === 'quick'
      ? ', spot-checked'
      : '';
  return `${noun} of ${op.fileName} completed: ${report.sectorCount.toLocaleString('en-US')} sectors${verified}.`;
}
