/**
 * What webdisc does about each sense key / ASC / ASCQ: one table, mapping a
 * CHECK CONDITION's sense to a readable message (SPC-4 Annex F names), a host
 * policy, and the IMAPI HRESULT the error carries. The rows are those of the
 * protocol notes' sense table plus the common extras drives send.
 */
import type { HResultName } from '../../../contract/hresult.ts';
import { OPCODE } from './opcodes.ts';
import { formatSenseTriple, type Sense } from './sense.ts';

/** What the host does next. */
export const SensePolicy = {
  /** Transient (becoming ready): retry the same command with backoff. */
  Retry: 'retry',
  /**
   * A long operation runs (format, blank, close, sync cache): poll TEST UNIT
   * READY and report the sense progress indicator until it clears.
   */
  Poll: 'poll',
  /**
   * 2/04/08 LONG WRITE IN PROGRESS: the drive's buffer is full. Not a poll
   * (there is no progress to report and nothing else runs): resend the same
   * WRITE after a short delay, without counting it as a failure.
   */
  RetryWrite: 'retry-write',
  /**
   * Unit attention (6/28, 6/29, 6/2A, 6/3A, ...): the drive's state changed
   * under us. Refresh what we know of the medium (and mode pages), then retry
   * the command once.
   */
  Refresh: 'refresh',
  /**
   * 5/20/00 (and 5/24/00 on MODE SENSE): the command or page is not there.
   * Report the capability as absent, not the operation as failed (simple
   * CD-ROM bridges lack GET CONFIGURATION, GESN, page 2Ah ...).
   */
  Unsupported: 'unsupported',
  /**
   * The command completed: RECOVERED ERROR (key 1: the drive succeeded after
   * retries or correction, SPC-4 §4.5.6) or NO SENSE 0/00/00 with CHECK
   * CONDITION. Success, with the sense kept as a note (libburn treats both so).
   */
  Recovered: 'recovered',
  /** Stop and report the error. */
  Fail: 'fail',
} as const;
export type SensePolicy = (typeof SensePolicy)[keyof typeof SensePolicy];

/** The wildcard for ASC or ASCQ ("xx" in the protocol notes). */
export const SENSE_ANY = -1;

export interface SenseRow {
  readonly key: number;
  /** An ASC, or SENSE_ANY. */
  readonly asc: number;
  /** An ASCQ, or SENSE_ANY. */
  readonly ascq: number;
  /** Only for these opcodes (rows without it apply to every command). */
  readonly opcodes?: readonly number[];
  readonly message: string;
  readonly policy: SensePolicy;
  readonly hresultName: HResultName;
}

export interface SenseAdvice {
  readonly message: string;
  readonly policy: SensePolicy;
  readonly hresultName: HResultName;
}

const { Retry, Poll, RetryWrite, Refresh, Unsupported, Recovered, Fail } = SensePolicy;

// Short local names for the HRESULTs the table uses most.
const BECOMING_READY = 'E_IMAPI_RECORDER_MEDIA_BECOMING_READY';
const BUSY = 'E_IMAPI_RECORDER_MEDIA_BUSY';
const NO_MEDIA = 'E_IMAPI_RECORDER_MEDIA_NO_MEDIA';
const INCOMPATIBLE = 'E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE';
const BAD_MODE = 'E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS';
const UNEXPECTED = 'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE';
const MODE_SELECT = [OPCODE.MODE_SELECT_10, OPCODE.MODE_SELECT_6] as const;
const MODE_SENSE = [OPCODE.MODE_SENSE_10, OPCODE.MODE_SENSE_6] as const;
const WRITES = [OPCODE.WRITE_10, OPCODE.WRITE_12] as const;

/** A row from "K/AA/QQ" (hex; "xx" = SENSE_ANY), as the protocol notes write them. */
function row(
  triple: string,
  message: string,
  policy: SensePolicy,
  hresultName: HResultName,
  opcodes?: readonly number[],
): SenseRow {
  const [key, asc, ascq] = triple.split('/').map((p) => (p === 'xx' ? SENSE_ANY : parseInt(p, 16)));
  return {
    key: key!,
    asc: asc!,
    ascq: ascq!,
    message,
    policy,
    hresultName,
    ...(opcodes ? { opcodes } : {}),
  };
}

/**
 * The table. lookupSense picks the most specific matching row (exact ASC over
 * "xx", exact ASCQ over "xx", an opcode-specific row over a general one), so
 * the order here is for reading only.
 */
export const SENSE_TABLE: readonly SenseRow[] = [
  // -- 0h NO SENSE with CHECK CONDITION: nothing is wrong that the drive can
  // name. libburn takes key 0 / ASC 0 as success; resending in a loop is what
  // made 52,770 WRITEs in 500 ms (issue 13). A bridge that answers a
  // RESERVATION CONFLICT this way did not run the command: the data-in
  // length check then catches it. The HRESULT is what commandError reports
  // when a caller asks for the CHECK CONDITION itself.
  row('0/00/00', 'NO SENSE (possibly RESERVATION CONFLICT)', Recovered, 'E_IMAPI_RECORDER_LOCKED'),

  // -- 1h RECOVERED ERROR: the command completed (SPC-4 §4.5.6).
  row('1/xx/xx', 'RECOVERED ERROR', Recovered, 'S_IMAPI_COMMAND_HAS_SENSE_DATA'),

  // -- 2h NOT READY
  row('2/04/00', 'LOGICAL UNIT NOT READY, CAUSE NOT REPORTABLE', Retry, BECOMING_READY),
  row('2/04/01', 'LOGICAL UNIT IS IN PROCESS OF BECOMING READY', Retry, BECOMING_READY),
  // The drive waits for START STOP UNIT (Start=1): retrying alone will not help.
  row('2/04/02', 'LOGICAL UNIT NOT READY, INITIALIZING COMMAND REQUIRED', Fail, BECOMING_READY),
  row('2/04/03', 'LOGICAL UNIT NOT READY, MANUAL INTERVENTION REQUIRED', Fail, UNEXPECTED),
  row(
    '2/04/04',
    'LOGICAL UNIT NOT READY, FORMAT IN PROGRESS',
    Poll,
    'E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS',
  ),
  row('2/04/07', 'LOGICAL UNIT NOT READY, OPERATION IN PROGRESS', Poll, BUSY),
  row('2/04/08', 'LONG WRITE IN PROGRESS (buffer full)', RetryWrite, BUSY),
  row('2/04/xx', 'LOGICAL UNIT NOT READY', Retry, BECOMING_READY),
  row('2/30/xx', 'INCOMPATIBLE MEDIUM INSTALLED', Fail, INCOMPATIBLE),
  row('2/3A/00', 'MEDIUM NOT PRESENT', Fail, NO_MEDIA),
  row('2/3A/01', 'MEDIUM NOT PRESENT - TRAY CLOSED', Fail, NO_MEDIA),
  row('2/3A/02', 'MEDIUM NOT PRESENT - TRAY OPEN', Fail, NO_MEDIA),
  row('2/3A/xx', 'MEDIUM NOT PRESENT', Fail, NO_MEDIA),
  row('2/3E/00', 'LOGICAL UNIT HAS NOT SELF-CONFIGURED YET', Retry, BECOMING_READY),

  // -- 3h MEDIUM ERROR (the sense INFORMATION field holds the failing LBA)
  row('3/0C/09', 'WRITE ERROR - LOSS OF STREAMING', Fail, 'E_IMAPI_LOSS_OF_STREAMING'),
  row('3/0C/xx', 'WRITE ERROR', Fail, UNEXPECTED),
  row('3/11/xx', 'UNRECOVERED READ ERROR', Fail, UNEXPECTED),
  row('3/31/xx', 'MEDIUM FORMAT CORRUPTED', Fail, UNEXPECTED),
  row('3/72/xx', 'SESSION FIXATION ERROR', Fail, UNEXPECTED),
  row('3/73/xx', 'CD CONTROL ERROR (power calibration or PMA)', Fail, UNEXPECTED),
  row('3/xx/xx', 'MEDIUM ERROR', Fail, UNEXPECTED),

  // -- 4h HARDWARE ERROR: nothing the host can do.
  row('4/xx/xx', 'HARDWARE ERROR', Fail, 'E_FAIL'),

  // -- 5h ILLEGAL REQUEST
  row('5/20/00', 'INVALID COMMAND OPERATION CODE', Unsupported, 'E_NOTIMPL'),
  row(
    '5/20/00',
    'INVALID COMMAND OPERATION CODE',
    Unsupported,
    'E_IMAPI_RECORDER_GET_CONFIGURATION_NOT_SUPPORTED',
    [OPCODE.GET_CONFIGURATION],
  ),
  // A parameter list (MODE SELECT, FORMAT UNIT, SEND CUE SHEET) cut inside a field.
  row('5/1A/00', 'PARAMETER LIST LENGTH ERROR', Fail, 'E_INVALIDARG'),
  row('5/1A/00', 'PARAMETER LIST LENGTH ERROR (mode parameters)', Fail, BAD_MODE, MODE_SELECT),
  row('5/21/00', 'LOGICAL BLOCK ADDRESS OUT OF RANGE', Fail, 'E_INVALIDARG'),
  row('5/21/02', 'INVALID ADDRESS FOR WRITE', Fail, 'E_INVALIDARG'),
  row('5/24/00', 'INVALID FIELD IN CDB', Fail, 'E_INVALIDARG'),
  // MODE SENSE of a page the drive does not have answers 5/24/00.
  row(
    '5/24/00',
    'INVALID FIELD IN CDB (no such mode page)',
    Unsupported,
    'E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE',
    MODE_SENSE,
  ),
  row('5/24/00', 'INVALID FIELD IN CDB (mode parameters)', Fail, BAD_MODE, MODE_SELECT),
  // Addressed a LUN the device does not have: a host configuration error.
  row('5/25/00', 'LOGICAL UNIT NOT SUPPORTED', Fail, 'E_INVALIDARG'),
  row('5/26/xx', 'INVALID FIELD IN PARAMETER LIST', Fail, 'E_INVALIDARG'),
  row('5/26/xx', 'INVALID FIELD IN PARAMETER LIST (mode parameters)', Fail, BAD_MODE, MODE_SELECT),
  row('5/2C/00', 'COMMAND SEQUENCE ERROR', Fail, 'E_FAIL'),
  // MODE SENSE of saved values (PC 11b) or MODE SELECT with SP=1 on a drive
  // that keeps no saved pages (SPC-4 §6.12.3): the saved page is absent.
  row('5/39/00', 'SAVING PARAMETERS NOT SUPPORTED', Fail, 'E_INVALIDARG'),
  row(
    '5/39/00',
    'SAVING PARAMETERS NOT SUPPORTED (no saved mode pages)',
    Unsupported,
    'E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE',
    MODE_SENSE,
  ),
  row('5/39/00', 'SAVING PARAMETERS NOT SUPPORTED (mode parameters)', Fail, BAD_MODE, MODE_SELECT),
  row('5/30/10', 'MEDIUM NOT FORMATTED', Fail, 'E_IMAPI_RECORDER_MEDIA_NOT_FORMATTED'),
  row('5/30/xx', 'INCOMPATIBLE MEDIUM INSTALLED', Fail, INCOMPATIBLE),
  // The only PREVENT webdisc sets is the exclusive owner's tray lock (IMAPI:
  // the tray is locked while a client owns the recorder), so an eject refused
  // because removal is prevented means the recorder is locked.
  row('5/53/02', 'MEDIUM REMOVAL PREVENTED', Fail, 'E_IMAPI_RECORDER_LOCKED'),
  row(
    '5/63/xx',
    'END OF USER AREA ENCOUNTERED ON THIS TRACK',
    Fail,
    'E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA',
  ),
  // A write type or track mode (page 05h) this track cannot take.
  row('5/64/00', 'ILLEGAL MODE FOR THIS TRACK', Fail, BAD_MODE),
  row('5/6F/xx', 'COPY PROTECTION KEY EXCHANGE FAILURE', Fail, INCOMPATIBLE),
  row('5/72/xx', 'SESSION FIXATION ERROR', Fail, 'E_IMAPI_DF2DATA_INVALID_MEDIA_STATE'),

  // -- 6h UNIT ATTENTION
  row('6/28/00', 'NOT READY TO READY CHANGE, MEDIUM MAY HAVE CHANGED', Refresh, BECOMING_READY),
  row('6/28/xx', 'NOT READY TO READY CHANGE', Refresh, BECOMING_READY),
  row('6/29/xx', 'POWER ON, RESET, OR BUS DEVICE RESET OCCURRED', Refresh, UNEXPECTED),
  row('6/2A/xx', 'PARAMETERS CHANGED (mode parameters)', Refresh, UNEXPECTED),
  // A media change may surface as 6/3A/00 instead of 6/28/00 (protocol notes, quirks).
  row('6/3A/xx', 'MEDIUM NOT PRESENT (medium changed)', Refresh, NO_MEDIA),
  row('6/xx/xx', 'UNIT ATTENTION', Refresh, UNEXPECTED),

  // -- 7h DATA PROTECT
  row('7/27/xx', 'WRITE PROTECTED', Fail, 'E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED'),

  // -- 8h BLANK CHECK: reading where nothing is written.
  row('8/xx/xx', 'BLANK CHECK', Fail, 'E_IMAPI_DF2DATA_INVALID_MEDIA_STATE'),

  // -- Bh ABORTED COMMAND: the drive gave up on this one; another try may work
  // (a few times, with a delay: scsi-drive.ts). Not a WRITE: its data may be
  // half on the disc, so the burn fails there, as libburn's does, except for
  // B/08/xx LOGICAL UNIT COMMUNICATION FAILURE, a transport hiccup it retries.
  row('B/xx/xx', 'ABORTED COMMAND', Retry, 'E_FAIL'),
  row('B/xx/xx', 'ABORTED COMMAND during a write', Fail, 'E_FAIL', WRITES),
  row('B/08/xx', 'LOGICAL UNIT COMMUNICATION FAILURE', Retry, 'E_FAIL'),
];

const DEFAULT_ADVICE: SenseAdvice = {
  message: 'UNKNOWN SENSE',
  policy: Fail,
  hresultName: 'E_FAIL',
};

function specificity(r: SenseRow): number {
  return (r.asc !== SENSE_ANY ? 4 : 0) + (r.ascq !== SENSE_ANY ? 2 : 0) + (r.opcodes ? 1 : 0);
}

/**
 * The advice for a sense triple (and, when given, the opcode that failed:
 * 5/24/00 on MODE SENSE means "no such page", on MODE SELECT "bad mode
 * parameters"). Unknown senses: fail with E_FAIL.
 */
export function lookupSense(
  sense: Pick<Sense, 'key' | 'asc' | 'ascq'>,
  opcode?: number,
): SenseAdvice {
  let best: SenseRow | undefined;
  for (const r of SENSE_TABLE) {
    if (r.key !== sense.key) continue;
    if (r.asc !== SENSE_ANY && r.asc !== sense.asc) continue;
    if (r.ascq !== SENSE_ANY && r.ascq !== sense.ascq) continue;
    if (r.opcodes && (opcode === undefined || !r.opcodes.includes(opcode))) continue;
    if (best === undefined || specificity(r) > specificity(best)) best = r;
  }
  if (best === undefined) return DEFAULT_ADVICE;
  return { message: best.message, policy: best.policy, hresultName: best.hresultName };
}

/**
 * "2/04/08 LOGICAL UNIT NOT READY, LONG WRITE IN PROGRESS (buffer full)", with
 * ", 42% done" when the sense carries a progress indicator and ", LBA n" when
 * it carries an INFORMATION field (the failing block of a medium error).
 */
export function describeSense(
  sense: Pick<Sense, 'key' | 'asc' | 'ascq'> & Partial<Pick<Sense, 'progress' | 'information'>>,
  opcode?: number,
): string {
  let text = `${formatSenseTriple(sense)} ${lookupSense(sense, opcode).message}`;
  if (sense.progress !== undefined) {
    text += `, ${Math.floor((sense.progress * 100) / 65536)}% done`;
  }
  if (sense.information !== undefined) text += `, LBA ${sense.information}`;
  return text;
}

// ---------------------------------------------------------------------------
// Named conditions. Callers that branch on a sense ask these, never compare
// key/ASC/ASCQ themselves, so this file stays the one place that decides.

type Triple = Pick<Sense, 'key' | 'asc' | 'ascq'> | null | undefined;

/**
 * 5/20/xx INVALID COMMAND OPERATION CODE or 5/24/xx INVALID FIELD IN CDB:
 * the drive lacks the command or the option asked for (RESERVE(6) on a bridge
 * that has none, GET CONFIGURATION on a simple CD-ROM, Persistent PREVENT).
 * The capability is absent; nothing failed.
 */
export function isCommandRefused(sense: Triple): boolean {
  return !!sense && sense.key === 0x5 && (sense.asc === 0x20 || sense.asc === 0x24);
}

/** 5/24/xx INVALID FIELD IN CDB alone (a bit the drive does not take, e.g. Persistent PREVENT). */
export function isInvalidFieldInCdb(sense: Triple): boolean {
  return !!sense && sense.key === 0x5 && sense.asc === 0x24;
}

/** 5/53/xx MEDIUM REMOVAL PREVENTED (MMC-6 §6.39: START STOP UNIT eject while PREVENT is set). */
export function isRemovalPrevented(sense: Triple): boolean {
  return !!sense && sense.key === 0x5 && sense.asc === 0x53;
}

/**
 * 2/3A/xx MEDIUM NOT PRESENT: null when the sense says something else;
 * otherwise whether the tray is open (3A/02), closed (3A/01) or unknown (3A/00).
 */
export function mediumAbsence(sense: Triple): { readonly trayOpen: boolean | null } | null {
  if (!sense || sense.key !== 0x2 || sense.asc !== 0x3a) return null;
  return { trayOpen: sense.ascq === 0x02 ? true : sense.ascq === 0x01 ? false : null };
}
