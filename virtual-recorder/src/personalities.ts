/**
 * Named personalities: the behaviour switches of real drives and bridges put
 * together (a full-featured burner, a bare CD-ROM bridge, a slow burner), so a test can run the same host code against each. The virtual
 * recorder was written with the host; these make it disagree the way the
 * devices we did not write do (docs/real-drives.md).
 */
import type { VirtualRecorderOptions } from './virtual-recorder.ts';

/** Opcodes a bare SCSI CD-ROM target lacks (MMC-6 §5.3: a CD-ROM need not implement them). */
const GET_CONFIGURATION = 0x46;
const GET_EVENT_STATUS_NOTIFICATION = 0x4a;
const READ_DISC_INFORMATION = 0x51;
const READ_TRACK_INFORMATION = 0x52;
const READ_BUFFER_CAPACITY = 0x5c;
/** MODE SENSE page 2Ah, MM Capabilities and Mechanical Status (MMC-6 §7.8, obsolete in later MMC). */
const CAPABILITIES_PAGE = 0x2a;

export const PERSONALITIES = {
  /** Every MMC command webdisc uses, the defaults of the virtual recorder. */
  'full-burner': {},
  /**
   * A read-only CD-ROM behind a minimal SCSI target, as QEMU's usb-bot +
   * scsi-cd: no GET CONFIGURATION, GESN, disc or track information, buffer
   * capacity, RESERVE(6) or Persistent PREVENT; no page 2Ah; short data-in
   * padded with zeros, a host allocation shorter than the data truncated
   * with GOOD (case 7), Get Max LUN stalled, and a reset that keeps PREVENT.
   */
  'bare-cdrom-bridge': {
    unsupportedCommands: [
      GET_CONFIGURATION,
      GET_EVENT_STATUS_NOTIFICATION,
      READ_DISC_INFORMATION,
      READ_TRACK_INFORMATION,
      READ_BUFFER_CAPACITY,
    ],
    unsupportedModePages: [CAPABILITIES_PAGE],
    reserveSupported: false,
    persistentPreventSupported: false,
    shortDataIn: 'pad',
    truncatedDataIn: 'truncate',
    maxLun: 'stall',
    resetClearsPrevent: false,
  },
  /**
   * A slow burner: optimum power calibration makes the first WRITE on a disc
   * take 45 s of drive time (past libburn's 30 s default, inside its 200 s
   * WRITE budget), IMMED close/blank/format/sync hold their status for up to
   * 60 s before answering (libburn: 200 s for IMMED commands), and long
   * operations take ten times their nominal time. The host survives on its
   * per-command timeouts (usb-mass-storage/src/scsi/opcodes.ts) and its
   * NOT READY polling. Durations pass with the recorder's clock: with the
   * clock off (the default) they are zero.
   */
  'slow-drive': {
    powerCalibrationMs: 45_000,
    immedHoldMs: 60_000,
    operationScale: 10,
  },
} as const satisfies Record<string, VirtualRecorderOptions>;

export type PersonalityName = keyof typeof PERSONALITIES;
export const PERSONALITY_NAMES = Object.keys(PERSONALITIES) as PersonalityName[];
