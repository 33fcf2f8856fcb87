/**
 * Operation codes (SPC-4 / SBC-3 / MMC-6 command tables), their printable
 * names, and the default timeout the transport gives each command when a
 * request carries none (ScsiRequest.timeoutMs overrides it).
 */
import { bit } from './bytes.ts';

export const OPCODE = {
  TEST_UNIT_READY: 0x00,
  REQUEST_SENSE: 0x03,
  FORMAT_UNIT: 0x04,
  INQUIRY: 0x12,
  MODE_SELECT_6: 0x15,
  RESERVE_6: 0x16,
  RELEASE_6: 0x17,
  MODE_SENSE_6: 0x1a,
  START_STOP_UNIT: 0x1b,
  PREVENT_ALLOW_MEDIUM_REMOVAL: 0x1e,
  READ_FORMAT_CAPACITIES: 0x23,
  READ_CAPACITY_10: 0x25,
  READ_10: 0x28,
  WRITE_10: 0x2a,
  VERIFY_10: 0x2f,
  SYNCHRONIZE_CACHE_10: 0x35,
  READ_TOC_PMA_ATIP: 0x43,
  GET_CONFIGURATION: 0x46,
  GET_EVENT_STATUS_NOTIFICATION: 0x4a,
  READ_DISC_INFORMATION: 0x51,
  READ_TRACK_INFORMATION: 0x52,
  RESERVE_TRACK: 0x53,
  SEND_OPC_INFORMATION: 0x54,
  MODE_SELECT_10: 0x55,
  MODE_SENSE_10: 0x5a,
  CLOSE_TRACK_SESSION: 0x5b,
  READ_BUFFER_CAPACITY: 0x5c,
  SEND_CUE_SHEET: 0x5d,
  BLANK: 0xa1,
  READ_12: 0xa8,
  WRITE_12: 0xaa,
  GET_PERFORMANCE: 0xac,
  READ_DISC_STRUCTURE: 0xad,
  SET_STREAMING: 0xb6,
  SET_CD_SPEED: 0xbb,
  MECHANISM_STATUS: 0xbd,
  READ_CD: 0xbe,
} as const;
export type Opcode = (typeof OPCODE)[keyof typeof OPCODE];

const NAMES: Readonly<Record<number, string>> = {
  [OPCODE.TEST_UNIT_READY]: 'TEST UNIT READY',
  [OPCODE.REQUEST_SENSE]: 'REQUEST SENSE',
  [OPCODE.FORMAT_UNIT]: 'FORMAT UNIT',
  [OPCODE.INQUIRY]: 'INQUIRY',
  [OPCODE.MODE_SELECT_6]: 'MODE SELECT(6)',
  [OPCODE.RESERVE_6]: 'RESERVE(6)',
  [OPCODE.RELEASE_6]: 'RELEASE(6)',
  [OPCODE.MODE_SENSE_6]: 'MODE SENSE(6)',
  [OPCODE.START_STOP_UNIT]: 'START STOP UNIT',
  [OPCODE.PREVENT_ALLOW_MEDIUM_REMOVAL]: 'PREVENT ALLOW MEDIUM REMOVAL',
  [OPCODE.READ_FORMAT_CAPACITIES]: 'READ FORMAT CAPACITIES',
  [OPCODE.READ_CAPACITY_10]: 'READ CAPACITY(10)',
  [OPCODE.READ_10]: 'READ(10)',
  [OPCODE.WRITE_10]: 'WRITE(10)',
  [OPCODE.VERIFY_10]: 'VERIFY(10)',
  [OPCODE.SYNCHRONIZE_CACHE_10]: 'SYNCHRONIZE CACHE(10)',
  [OPCODE.READ_TOC_PMA_ATIP]: 'READ TOC/PMA/ATIP',
  [OPCODE.GET_CONFIGURATION]: 'GET CONFIGURATION',
  [OPCODE.GET_EVENT_STATUS_NOTIFICATION]: 'GET EVENT STATUS NOTIFICATION',
  [OPCODE.READ_DISC_INFORMATION]: 'READ DISC INFORMATION',
  [OPCODE.READ_TRACK_INFORMATION]: 'READ TRACK INFORMATION',
  [OPCODE.RESERVE_TRACK]: 'RESERVE TRACK',
  [OPCODE.SEND_OPC_INFORMATION]: 'SEND OPC INFORMATION',
  [OPCODE.MODE_SELECT_10]: 'MODE SELECT(10)',
  [OPCODE.MODE_SENSE_10]: 'MODE SENSE(10)',
  [OPCODE.CLOSE_TRACK_SESSION]: 'CLOSE TRACK/SESSION',
  [OPCODE.READ_BUFFER_CAPACITY]: 'READ BUFFER CAPACITY',
  [OPCODE.SEND_CUE_SHEET]: 'SEND CUE SHEET',
  [OPCODE.BLANK]: 'BLANK',
  [OPCODE.READ_12]: 'READ(12)',
  [OPCODE.WRITE_12]: 'WRITE(12)',
  [OPCODE.GET_PERFORMANCE]: 'GET PERFORMANCE',
  [OPCODE.READ_DISC_STRUCTURE]: 'READ DISC STRUCTURE',
  [OPCODE.SET_STREAMING]: 'SET STREAMING',
  [OPCODE.SET_CD_SPEED]: 'SET CD SPEED',
  [OPCODE.MECHANISM_STATUS]: 'MECHANISM STATUS',
  [OPCODE.READ_CD]: 'READ CD',
};

/** "READ(10)", "GET CONFIGURATION", ...; "OPCODE 0xNN" for anything else (and "EMPTY CDB"). */
export function commandName(cdb: Uint8Array): string {
  const op = cdb[0];
  if (op === undefined) return 'EMPTY CDB';
  return NAMES[op] ?? `OPCODE 0x${op.toString(16).toUpperCase().padStart(2, '0')}`;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/**
 * Timeouts, in ms. The transport resets the device when one runs out
 * (a WebUSB transfer has no timeout of its own), so each must outlast the
 * slowest legitimate case of its command, and no more.
 */
export const COMMAND_TIMEOUT_MS = {
  /** Status/identify commands answer from drive memory: a few seconds is plenty. */
  quick: 10 * SECOND,
  /**
   * Commands that may first spin the disc up, recalibrate the laser, retry a
   * hard-to-read sector or run optimum power calibration before the first
   * WRITE (READ/WRITE, READ TOC, RESERVE TRACK, SEND CUE SHEET, SET CD SPEED
   * ...). libburn 1.4.7 gives WRITE, RESERVE TRACK and SEND OPC 200 s (its
   * default for other commands is 30 s); growisofs gives DAO writes 180 s
   * (power calibration, lead-in). Reads get the same here: a drive retrying
   * a marginal sector takes long too. 30 s timed out real burns.
   */
  medium: 200 * SECOND,
  /** START STOP UNIT without IMMED: loading a tray and spinning up (libburn: 300 s). */
  load: 300 * SECOND,
  /**
   * A long-running command sent with IMMED=1: the drive should only accept
   * it (MMC-6 §6.2.2, §6.3.2, §6.41), then the host polls TEST UNIT READY;
   * some drives still finish part of the work first (libburn: 200 s).
   */
  immediate: 200 * SECOND,
  /**
   * SYNCHRONIZE CACHE without IMMED: flushes a multi-MB buffer at the media's
   * write speed, and a DVD+R/BD-R drive may pad the track to its minimum size.
   */
  syncCache: 10 * MINUTE,
  /** CLOSE TRACK without IMMED: DVD-R/DVD+R padding of a short track. */
  closeTrack: 10 * MINUTE,
  /**
   * CLOSE SESSION / finalize without IMMED: the lead-out on CD, or padding a
   * DVD±R (DL) out to its minimum radius.
   */
  closeSession: 20 * MINUTE,
  /** Minimal BLANK: rewrites the PMA, TOC and pregap only, yet takes minutes at 1x-4x. */
  minimalBlank: 10 * MINUTE,
  /** Full BLANK or other blanking types: a whole CD-RW at 1x-4x can take over an hour. */
  fullBlank: 90 * MINUTE,
  /** FORMAT UNIT without IMMED: a certifying BD-RE or a full DVD-RW format is slower still. */
  format: 120 * MINUTE,
} as const;

/**
 * The default timeout for a CDB, in ms. Long operations check their IMMED bit:
 * with it set the drive returns status at once (then reports progress through
 * sense 2/04/04 or 2/04/07), so a short timeout suffices. FORMAT UNIT keeps
 * IMMED in its parameter list header (MMC-6 §6.5.3.2), so pass the data-out
 * bytes when you have them; without them the non-immediate bound is used.
 */
export function defaultTimeoutMs(cdb: Uint8Array, data?: Uint8Array): number {
  const op = cdb[0];
  const b1 = cdb[1];
  switch (op) {
    case OPCODE.TEST_UNIT_READY:
    case OPCODE.REQUEST_SENSE:
    case OPCODE.INQUIRY:
    case OPCODE.RESERVE_6:
    case OPCODE.RELEASE_6:
    case OPCODE.PREVENT_ALLOW_MEDIUM_REMOVAL:
    case OPCODE.GET_CONFIGURATION:
    case OPCODE.GET_EVENT_STATUS_NOTIFICATION:
    case OPCODE.MODE_SENSE_6:
    case OPCODE.MODE_SENSE_10:
    case OPCODE.MODE_SELECT_6:
    case OPCODE.MODE_SELECT_10:
    case OPCODE.READ_BUFFER_CAPACITY:
    case OPCODE.MECHANISM_STATUS:
      return COMMAND_TIMEOUT_MS.quick;
    case OPCODE.START_STOP_UNIT:
      // IMMED: b1 bit0 (SBC-3 §5.25). Without it the drive answers only once the
      // tray has moved and the disc has spun up.
      return bit(b1, 0) ? COMMAND_TIMEOUT_MS.quick : COMMAND_TIMEOUT_MS.load;
    case OPCODE.SYNCHRONIZE_CACHE_10:
      // IMMED: b1 bit1 (MMC-6 §6.41).
      return bit(b1, 1) ? COMMAND_TIMEOUT_MS.immediate : COMMAND_TIMEOUT_MS.syncCache;
    case OPCODE.CLOSE_TRACK_SESSION: {
      // IMMED: b1 bit0; close function b2 bits 2:0 (MMC-6 §6.3).
      if (bit(b1, 0)) return COMMAND_TIMEOUT_MS.immediate;
      return ((cdb[2] ?? 0) & 0x07) === 1
        ? COMMAND_TIMEOUT_MS.closeTrack
        : COMMAND_TIMEOUT_MS.closeSession;
    }
    case OPCODE.BLANK: {
      // IMMED: b1 bit4; blanking type b1 bits 2:0 (MMC-6 §6.2).
      if (bit(b1, 4)) return COMMAND_TIMEOUT_MS.immediate;
      return ((b1 ?? 0) & 0x07) === 1
        ? COMMAND_TIMEOUT_MS.minimalBlank
        : COMMAND_TIMEOUT_MS.fullBlank;
    }
    case OPCODE.FORMAT_UNIT:
      // IMMED: format list header b1 bit1, present only with FmtData (CDB b1 bit4).
      if (bit(b1, 4) && data !== undefined && bit(data[1], 1)) return COMMAND_TIMEOUT_MS.immediate;
      return COMMAND_TIMEOUT_MS.format;
    default:
      // RESERVE TRACK, SEND OPC INFORMATION and SEND CUE SHEET may run optimum
      // power calibration first (a drive may calibrate when it takes the cue
      // sheet, before the first WRITE of a SAO session).
      // READ/WRITE, READ CAPACITY, READ TOC, disc/track information, SET CD SPEED and
      // anything unknown: these may have to wait for spin-up or a speed change.
      return COMMAND_TIMEOUT_MS.medium;
  }
}
