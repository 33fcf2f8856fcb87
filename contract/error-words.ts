/**
 * Errors in words a person understands: one sentence per HRESULT name (and
 * the DOMException names the browser adds), said the same way by the UI and
 * the CLI. The HRESULT name, its code and the SCSI sense stay beside the
 * words (errorDetails) for bug reports; the words come first.
 */
import type { ErrorValue } from './errors.ts';
import { formatHResult, type HResultName } from './hresult.ts';

/** What the sentence may name: the session that holds the drive, when it is known. */
export interface ErrorWordsContext {
  /** The lock owner's client name ("Nightly Backup"); '' or absent when unknown. */
  readonly owner?: string | undefined;
}

/** Errors that mean "someone else has the drive": their sentence names the owner when known. */
const IN_USE: ReadonlySet<string> = new Set<HResultName>([
  'E_IMAPI_RECORDER_LOCKED',
  'E_ACCESS_DENIED',
  'E_IMAPI_DF2DATA_WRITE_IN_PROGRESS',
]);

/**
 * One sentence per error name. Names not in the table (a new HRESULT, an
 * unexpected DOMException) fall back to the error's own message, which the
 * service already writes for people.
 */
const WORDS: Readonly<Partial<Record<HResultName, string>> & Record<string, string>> = {
  E_FAIL: 'Something went wrong.',
  E_ACCESS_DENIED:
    'The drive is used by another program or the operating system, so webdisc cannot take it.',
  E_INVALIDARG: 'A value given for this is not valid.',
  E_OUTOFMEMORY: 'There is not enough memory for this.',
  E_NOTIMPL: 'This is not available yet.',
  HRESULT_FROM_WIN32_ERROR_INVALID_HANDLE: 'The drive is no longer open. Select it again.',
  HRESULT_FROM_WIN32_ERROR_DEV_NOT_EXIST: 'The drive was disconnected.',
  HRESULT_FROM_WIN32_ERROR_CRC: 'The disc has a sector the drive cannot read.',
  IMAPI_E_NOTOPENED: 'The drive is not open for this.',
  IMAPI_E_DEVICE_NOTACCESSIBLE: 'The drive cannot be reached right now; another program has it.',
  IMAPI_E_ALREADYOPEN: 'The drive is already open.',
  E_IMAPI_REQUEST_CANCELLED: 'Cancelled.',
  E_IMAPI_RECORDER_REQUIRED: 'Choose a drive first.',
  E_IMAPI_BURN_VERIFICATION_FAILED:
    'The disc does not match what was written: verification failed.',
  E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE: 'The drive does not have this setting.',
  E_IMAPI_RECORDER_MEDIA_NO_MEDIA: 'There is no disc in the drive.',
  E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE: 'This drive cannot use this kind of disc.',
  E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN: 'The disc is in upside down.',
  E_IMAPI_RECORDER_MEDIA_BECOMING_READY:
    'The drive is still reading the disc. Try again in a moment.',
  E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS: 'The disc is being formatted. Wait until it is done.',
  E_IMAPI_RECORDER_MEDIA_BUSY: 'The drive is busy. Try again in a moment.',
  E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS: 'The drive refused a setting it was sent.',
  E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED: 'The disc is write-protected.',
  E_IMAPI_RECORDER_NO_SUCH_FEATURE: 'The drive cannot do this.',
  E_IMAPI_RECORDER_FEATURE_IS_NOT_CURRENT: 'The drive cannot do this with the disc that is in it.',
  E_IMAPI_RECORDER_GET_CONFIGURATION_NOT_SUPPORTED: 'The drive does not say what it can do.',
  E_IMAPI_RECORDER_COMMAND_TIMEOUT: 'The drive stopped answering.',
  E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH: 'The disc cannot be written at this speed.',
  E_IMAPI_RECORDER_LOCKED: 'The drive is used by another program.',
  E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID: 'That name cannot be used as the drive’s owner name.',
  E_IMAPI_RECORDER_MEDIA_NOT_FORMATTED: 'The disc is not formatted yet.',
  E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE: 'The drive gave an answer that makes no sense.',
  E_IMAPI_LOSS_OF_STREAMING: 'The data did not arrive fast enough and writing stopped.',
  E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE: 'The drive answered in a way it should not.',
  E_IMAPI_DF2DATA_WRITE_IN_PROGRESS: 'The drive is already busy writing.',
  E_IMAPI_DF2DATA_INVALID_MEDIA_STATE: 'The disc cannot be written in the state it is in.',
  E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED: 'This image cannot be written to a disc.',
  E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA:
    'The disc is full: what you chose does not fit.',
  E_IMAPI_DF2DATA_MEDIA_NOT_BLANK: 'The disc is not blank.',
  E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED: 'This kind of disc cannot be written.',
  E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED: 'This drive cannot write discs.',
  IMAPI_E_FSI_INTERNAL_ERROR: 'Building the disc image failed.',
  IMAPI_E_INVALID_PARAM: 'A value given for the disc image is not valid.',
  IMAPI_E_INVALID_PATH: 'A file or folder name cannot be used on a disc.',
  IMAPI_E_IMAGE_TOO_BIG: 'The disc is full: the files do not fit.',
  IMAPI_E_DATA_STREAM_INCONSISTENCY: 'A file changed while it was being written.',
  IMAPI_E_DATA_STREAM_READ_FAILURE: 'A file could not be read.',
  IMAPI_E_TOO_MANY_DIRS: 'There are too many folders for a disc.',
  IMAPI_E_ISO9660_LEVELS: 'The folders are nested too deep for a disc.',
  IMAPI_E_BOOT_IMAGE_DATA: 'The boot image cannot be used.',
  IMAPI_E_BOOT_EMULATION_IMAGE_SIZE_MISMATCH: 'The boot image has the wrong size.',
  IMAPI_E_EMPTY_DISC: 'The disc has nothing on it.',
  IMAPI_E_NO_SUPPORTED_FILE_SYSTEM: 'The disc has no file system webdisc can read.',
  IMAPI_E_FILE_SYSTEM_NOT_FOUND: 'The disc has no file system.',
  IMAPI_E_FILE_SYSTEM_READ_CONSISTENCY_ERROR: 'The disc’s file system is damaged.',
  // The browser's own errors (DOMException names), met when opening a USB drive.
  SecurityError: 'The browser will not let this page use the drive.',
  NetworkError: 'The operating system is using the drive.',
  NotFoundError: 'No drive was chosen.',
  AbortError: 'Stopped.',
};

/**
 * The sentence for `error`: the table's words, with the owner's name for an
 * "in use" error ("The drive is used by Nightly Backup."), else the error's
 * own message.
 */
export function errorWords(error: ErrorValue, context: ErrorWordsContext = {}): string {
  const owner = context.owner?.trim();
  if (owner && IN_USE.has(error.name)) return `The drive is used by ${owner}.`;
  return WORDS[error.name] ?? error.message;
}

/** SPC-4 sense key, ASC and ASCQ as hex: "sense 2/3A/00". */
export function senseCode(sense: NonNullable<ErrorValue['sense']>): string {
  const h = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');
  return `sense ${(sense.key & 0x0f).toString(16).toUpperCase()}/${h(sense.asc)}/${h(sense.ascq)}`;
}

/**
 * The line for bug reports: "E_IMAPI_RECORDER_MEDIA_NO_MEDIA 0xC0AA0202,
 * sense 2/3A/00". The same in every realm, so a report from the app and one
 * from the CLI match.
 */
export function errorDetails(error: ErrorValue): string {
  const parts = [`${error.name} ${formatHResult(error.hresult)}`];
  if (error.sense) parts.push(senseCode(error.sense));
  return parts.join(', ');
}
