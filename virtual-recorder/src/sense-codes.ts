/**
 * The sense conditions the virtual drive reports (SPC-4 §4.5.6 table of
 * ASC/ASCQ assignments, MMC-6 annex F "Error reporting"). The encoder is the
 * shared `encodeFixedSense` (usb-mass-storage/src/scsi/sense.ts); the choice
 * of condition for each refusal is the device's own, made here.
 */
import type { Sense } from '../../usb-mass-storage/src/scsi/sense.ts';

export interface SenseCode {
  readonly key: number;
  readonly asc: number;
  readonly ascq: number;
}

function code(key: number, asc: number, ascq: number): SenseCode {
  return { key, asc, ascq };
}

export const SENSE = {
  NoSense: code(0x0, 0x00, 0x00),
  // RECOVERED ERROR (key 1): the command completed after retries (SPC-4 §4.5.6).
  RecoveredDataWithRetries: code(0x1, 0x17, 0x01),
  // NOT READY (key 2)
  BecomingReady: code(0x2, 0x04, 0x01),
  FormatInProgress: code(0x2, 0x04, 0x04),
  OperationInProgress: code(0x2, 0x04, 0x07),
  LongWriteInProgress: code(0x2, 0x04, 0x08),
  NoMedium: code(0x2, 0x3a, 0x00),
  NoMediumTrayClosed: code(0x2, 0x3a, 0x01),
  NoMediumTrayOpen: code(0x2, 0x3a, 0x02),
  // MEDIUM ERROR (key 3)
  WriteError: code(0x3, 0x0c, 0x00),
  LossOfStreaming: code(0x3, 0x0c, 0x09),
  UnrecoveredReadError: code(0x3, 0x11, 0x00),
  /** MMC-6 annex F: 73h/03h POWER CALIBRATION AREA ERROR, reported as MEDIUM ERROR. */
  PowerCalibrationAreaError: code(0x3, 0x73, 0x03),
  // ILLEGAL REQUEST (key 5)
  ParameterListLengthError: code(0x5, 0x1a, 0x00),
  InvalidOpcode: code(0x5, 0x20, 0x00),
  LbaOutOfRange: code(0x5, 0x21, 0x00),
  InvalidAddressForWrite: code(0x5, 0x21, 0x02),
  InvalidFieldInCdb: code(0x5, 0x24, 0x00),
  LunNotSupported: code(0x5, 0x25, 0x00),
  InvalidFieldInParameterList: code(0x5, 0x26, 0x00),
  CommandSequenceError: code(0x5, 0x2c, 0x00),
  /** 30h/05h CANNOT WRITE MEDIUM - INCOMPATIBLE FORMAT: a write-side command on a medium that cannot do it. */
  CannotWriteIncompatibleFormat: code(0x5, 0x30, 0x05),
  /** 30h/10h MEDIUM NOT FORMATTED: DVD+RW / BD-RE written before FORMAT UNIT. */
  MediumNotFormatted: code(0x5, 0x30, 0x10),
  SavingParametersNotSupported: code(0x5, 0x39, 0x00),
  MediumRemovalPrevented: code(0x5, 0x53, 0x02),
  IllegalModeForThisTrack: code(0x5, 0x64, 0x00),
  // UNIT ATTENTION (key 6)
  MediumMayHaveChanged: code(0x6, 0x28, 0x00),
  PowerOnOrReset: code(0x6, 0x29, 0x00),
  // DATA PROTECT (key 7)
  WriteProtected: code(0x7, 0x27, 0x00),
  // ABORTED COMMAND (key B): what the device reports for a data phase it refused (fault injection).
  DataPhaseError: code(0xb, 0x4b, 0x00),
  /** B/00/00: the drive gave up on the command, no further reason (fault injection). */
  AbortedCommand: code(0xb, 0x00, 0x00),
} as const;

/** A CHECK CONDITION raised while a command is validated or run. */
export class CheckCondition extends Error {
  readonly sense: Sense;
  constructor(sense: SenseCode, extra?: { information?: number; progress?: number }) {
    super(
      `CHECK CONDITION ${sense.key.toString(16)}/${sense.asc.toString(16)}/${sense.ascq.toString(16)}`,
    );
    this.name = 'CheckCondition';
    this.sense = {
      key: sense.key,
      asc: sense.asc,
      ascq: sense.ascq,
      ...(extra?.information !== undefined ? { information: extra.information } : {}),
      ...(extra?.progress !== undefined ? { progress: extra.progress } : {}),
    };
  }
}

export function check(
  sense: SenseCode,
  extra?: { information?: number; progress?: number },
): CheckCondition {
  return new CheckCondition(sense, extra);
}

export function sameCondition(a: Pick<Sense, 'key' | 'asc' | 'ascq'>, b: SenseCode): boolean {
  return a.key === b.key && a.asc === b.asc && a.ascq === b.ascq;
}
