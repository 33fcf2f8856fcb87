/**
 * Erase and burn as the UI tracks them: what runs (or ran) on a recorder and
 * how it ended, and the words for the engine's progress actions.
 */
import type { BurnOptions, BurnReport, EraseReport } from '../../contract/api.ts';
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

export type Operation = EraseOperation | BurnOperation;

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
};

/** An action for people; one the UI does not know is shown as it came. */
export function actionWords(action: string): string {
  return ACTION_WORDS[action] ?? action;
}

/** "Burn" / "Test write" / "Erase": the noun for headlines. */
export function operationNoun(op: Operation): string {
  if (op.kind === 'erase') return 'Erase';
  return op.options.simulate ? 'Test write' : 'Burn';
}
