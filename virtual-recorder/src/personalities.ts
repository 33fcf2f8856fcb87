/**
 * Named personalities: the behaviour switches of real drives and bridges put
 * together, so a test can run the same host code against each. The virtual
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
} as const satisfies Record<string, VirtualRecorderOptions>;

export type PersonalityName = keyof typeof PERSONALITIES;
export const PERSONALITY_NAMES = Object.keys(PERSONALITIES) as PersonalityName[];
