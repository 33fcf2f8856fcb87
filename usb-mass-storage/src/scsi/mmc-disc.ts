/**
 * READ DISC INFORMATION (MMC-6 §6.22) and READ TRACK INFORMATION (§6.27).
 * Part of the MMC command set (mmc.ts re-exports every part); same shape
 * as spc.ts: CDB layout, validating builder, parse/encode pairs.
 */
import { struct } from '../struct.ts';
import { bit, checkInt, declaredLength, flag, needDeclared, putU16, putU32, u32 } from './bytes.ts';
import { dataIn, type ScsiRequest } from './command.ts';
import { OPCODE } from './opcodes.ts';

const u8 = 'u8' as const;

// ===========================================================================
// READ DISC INFORMATION, MMC-6 §6.22
//  0  OPERATION CODE (51h)
//  1  DATA TYPE (2:0): 0 standard disc information
//  2-6 reserved
//  7-8 ALLOCATION LENGTH (u16)
//  9  CONTROL
export const readDiscInfoLayout = struct('READ DISC INFORMATION CDB', 10, {
  opcode: { offset: 0, type: u8 },
  dataType: { offset: 1, type: u8 },
  allocationLength: { offset: 7, type: 'u16be' },
  control: { offset: 9, type: u8 },
});

export const DISC_INFORMATION_LENGTH = 34;

export interface ReadDiscInformationParams {
  readonly dataType: number;
  readonly allocationLength: number;
}

export function readDiscInformation(params: Partial<ReadDiscInformationParams> = {}): ScsiRequest {
  const dataType = params.dataType ?? 0;
  const allocationLength = params.allocationLength ?? DISC_INFORMATION_LENGTH;
  checkInt('disc information data type', dataType, 0, 7);
  checkInt('READ DISC INFORMATION allocation length', allocationLength, 2, 0xffff);
  return dataIn(
    readDiscInfoLayout.encode({
      opcode: OPCODE.READ_DISC_INFORMATION,
      dataType,
      allocationLength,
      control: 0,
    }),
    allocationLength,
  );
}

/** DISC STATUS (MMC-6 §6.22.3.1.3). */
export const DiscStatus = {
  Blank: 0,
  Appendable: 1,
  Complete: 2,
  /** Random-access media (DVD-RAM, formatted DVD+RW, BD-RE, ...). */
  Other: 3,
} as const;

/** STATE OF LAST SESSION (MMC-6 §6.22.3.1.2). */
export const SessionState = {
  Empty: 0,
  Incomplete: 1,
  Damaged: 2,
  Complete: 3,
} as const;

/**
 * Standard disc information, MMC-6 §6.22.3.1 (34 bytes):
 *  0-1 DISC INFORMATION LENGTH (n - 2)
 *  2  DATA TYPE (7:5) | ERASABLE (4) | STATE OF LAST SESSION (3:2) | DISC STATUS (1:0)
 *  3  NUMBER OF FIRST TRACK ON DISC
 *  4  NUMBER OF SESSIONS (LSB)        9  (MSB)
 *  5  FIRST TRACK IN LAST SESSION (LSB) 10 (MSB)
 *  6  LAST TRACK IN LAST SESSION (LSB)  11 (MSB)
 *  7  DID_V (7) DBC_V (6) URU (5) DAC_V (4) DBIT (2) | BG FORMAT STATUS (1:0)
 *  8  DISC TYPE (00h CD-DA/CD-ROM, 10h CD-I, 20h CD-ROM XA)
 * 12-15 DISC IDENTIFICATION
 * 16-19 LAST SESSION LEAD-IN START ADDRESS (CD: 00 M S F)
 * 20-23 LAST POSSIBLE LEAD-OUT START ADDRESS (CD: 00 M S F)
 * 24-31 DISC BAR CODE
 * 32  DISC APPLICATION CODE
 * 33  NUMBER OF OPC TABLES (the tables that may follow are not decoded)
 */
export interface DiscInformation {
  readonly dataType: number;
  readonly erasable: boolean;
  readonly lastSessionState: number;
  readonly discStatus: number;
  readonly firstTrack: number;
  readonly sessions: number;
  readonly firstTrackInLastSession: number;
  readonly lastTrackInLastSession: number;
  readonly discIdValid: boolean;
  readonly barCodeValid: boolean;
  readonly unrestrictedUse: boolean;
  readonly applicationCodeValid: boolean;
  readonly dirty: boolean;
  readonly bgFormatStatus: number;
  readonly discType: number;
  readonly discIdentification: number;
  readonly lastSessionLeadInStart: number;
  readonly lastPossibleLeadOutStart: number;
  readonly barCode: Uint8Array;
  readonly applicationCode: number;
  readonly opcTableCount: number;
}

const discInfoLayout = struct('disc information', DISC_INFORMATION_LENGTH, {
  length: { offset: 0, type: 'u16be' },
  status: { offset: 2, type: u8 },
  firstTrack: { offset: 3, type: u8 },
  sessionsLsb: { offset: 4, type: u8 },
  firstInLastLsb: { offset: 5, type: u8 },
  lastInLastLsb: { offset: 6, type: u8 },
  flags: { offset: 7, type: u8 },
  discType: { offset: 8, type: u8 },
  sessionsMsb: { offset: 9, type: u8 },
  firstInLastMsb: { offset: 10, type: u8 },
  lastInLastMsb: { offset: 11, type: u8 },
  discIdentification: { offset: 12, type: 'u32be' },
  leadInStart: { offset: 16, type: 'u32be' },
  leadOutStart: { offset: 20, type: 'u32be' },
  barCode: { offset: 24, type: { bytes: 8 } },
  applicationCode: { offset: 32, type: u8 },
  opcTables: { offset: 33, type: u8 },
});

/**
 * Needs the 34-byte standard block; declared length below 34 is inconsistent.
 * OPC tables after byte 33 are not decoded, so a response cut at 34 bytes by
 * the allocation length is complete for this parser.
 */
export function parseDiscInformation(data: Uint8Array): DiscInformation {
  const total = declaredLength('disc information', data, 2, DISC_INFORMATION_LENGTH);
  needDeclared('disc information', data, Math.min(total, DISC_INFORMATION_LENGTH));
  const r = discInfoLayout.decode(data);
  return {
    dataType: r.status >>> 5,
    erasable: bit(r.status, 4),
    lastSessionState: (r.status >>> 2) & 0x03,
    discStatus: r.status & 0x03,
    firstTrack: r.firstTrack,
    sessions: (r.sessionsMsb << 8) | r.sessionsLsb,
    firstTrackInLastSession: (r.firstInLastMsb << 8) | r.firstInLastLsb,
    lastTrackInLastSession: (r.lastInLastMsb << 8) | r.lastInLastLsb,
    discIdValid: bit(r.flags, 7),
    barCodeValid: bit(r.flags, 6),
    unrestrictedUse: bit(r.flags, 5),
    applicationCodeValid: bit(r.flags, 4),
    dirty: bit(r.flags, 2),
    bgFormatStatus: r.flags & 0x03,
    discType: r.discType,
    discIdentification: r.discIdentification,
    lastSessionLeadInStart: r.leadInStart,
    lastPossibleLeadOutStart: r.leadOutStart,
    barCode: r.barCode,
    applicationCode: r.applicationCode,
    opcTableCount: r.opcTables,
  };
}

export function encodeDiscInformation(value: DiscInformation): Uint8Array<ArrayBuffer> {
  checkInt('data type', value.dataType, 0, 7);
  checkInt('last session state', value.lastSessionState, 0, 3);
  checkInt('disc status', value.discStatus, 0, 3);
  checkInt('BG format status', value.bgFormatStatus, 0, 3);
  for (const [name, v] of [
    ['sessions', value.sessions],
    ['first track in last session', value.firstTrackInLastSession],
    ['last track in last session', value.lastTrackInLastSession],
  ] as const) {
    checkInt(name, v, 0, 0xffff);
  }
  return discInfoLayout.encode({
    length: DISC_INFORMATION_LENGTH - 2,
    status:
      (value.dataType << 5) |
      flag(value.erasable, 4) |
      (value.lastSessionState << 2) |
      value.discStatus,
    firstTrack: value.firstTrack,
    sessionsLsb: value.sessions & 0xff,
    firstInLastLsb: value.firstTrackInLastSession & 0xff,
    lastInLastLsb: value.lastTrackInLastSession & 0xff,
    flags:
      flag(value.discIdValid, 7) |
      flag(value.barCodeValid, 6) |
      flag(value.unrestrictedUse, 5) |
      flag(value.applicationCodeValid, 4) |
      flag(value.dirty, 2) |
      value.bgFormatStatus,
    discType: value.discType,
    sessionsMsb: value.sessions >>> 8,
    firstInLastMsb: value.firstTrackInLastSession >>> 8,
    lastInLastMsb: value.lastTrackInLastSession >>> 8,
    discIdentification: value.discIdentification,
    leadInStart: value.lastSessionLeadInStart,
    leadOutStart: value.lastPossibleLeadOutStart,
    barCode: value.barCode,
    applicationCode: value.applicationCode,
    opcTables: value.opcTableCount,
  });
}

// ===========================================================================
// READ TRACK INFORMATION, MMC-6 §6.27
//  0  OPERATION CODE (52h)
//  1  OPEN (2) | ADDRESS/NUMBER TYPE (1:0): 0 LBA, 1 track number, 2 session number
//  2-5 LOGICAL BLOCK ADDRESS / TRACK / SESSION NUMBER (u32; track FFh = the invisible track)
//  6  reserved
//  7-8 ALLOCATION LENGTH (u16)
//  9  CONTROL
export const readTrackInfoLayout = struct('READ TRACK INFORMATION CDB', 10, {
  opcode: { offset: 0, type: u8 },
  flags: { offset: 1, type: u8 },
  address: { offset: 2, type: 'u32be' },
  allocationLength: { offset: 7, type: 'u16be' },
  control: { offset: 9, type: u8 },
});

export const TrackAddressType = {
  Lba: 0,
  Track: 1,
  Session: 2,
} as const;

/** Track number that addresses the incomplete ("invisible") track where writing goes on. */
export const INVISIBLE_TRACK = 0xff;

export const TRACK_INFORMATION_LENGTH = 48;

export interface ReadTrackInformationParams {
  readonly addressType: number;
  readonly address: number;
  readonly open: boolean;
  readonly allocationLength: number;
}

export function readTrackInformation(
  params: Partial<ReadTrackInformationParams> & { readonly address: number },
): ScsiRequest {
  const addressType = params.addressType ?? TrackAddressType.Track;
  const allocationLength = params.allocationLength ?? TRACK_INFORMATION_LENGTH;
  checkInt('address type', addressType, 0, 2);
  checkInt('track address', params.address, 0, 0xffffffff);
  checkInt('READ TRACK INFORMATION allocation length', allocationLength, 2, 0xffff);
  return dataIn(
    readTrackInfoLayout.encode({
      opcode: OPCODE.READ_TRACK_INFORMATION,
      flags: flag(params.open ?? false, 2) | addressType,
      address: params.address,
      allocationLength,
      control: 0,
    }),
    allocationLength,
  );
}

/**
 * Track information, MMC-6 §6.27.3 (48 bytes; MMC-1..3 drives send 28 or 36):
 *  0-1 DATA LENGTH (n - 2)
 *  2  TRACK NUMBER (LSB)        32 (MSB)
 *  3  SESSION NUMBER (LSB)      33 (MSB)
 *  5  DAMAGE (5) | COPY (4) | TRACK MODE (3:0)
 *  6  RT (7) | BLANK (6) | PACKET/INC (5) | FP (4) | DATA MODE (3:0)
 *  7  LRA_V (1) | NWA_V (0)
 *  8-11 LOGICAL TRACK START ADDRESS
 * 12-15 NEXT WRITABLE ADDRESS (valid only with NWA_V)
 * 16-19 FREE BLOCKS
 * 20-23 FIXED PACKET SIZE / BLOCKING FACTOR
 * 24-27 LOGICAL TRACK SIZE
 * 28-31 LAST RECORDED ADDRESS          (from 32 bytes on)
 * 36-39 READ COMPATIBILITY LBA         (from 40 bytes on)
 * 40-43 NEXT LAYER JUMP ADDRESS, 44-47 LAST LAYER JUMP ADDRESS (48 bytes)
 * Fields beyond the declared length are left out (older drives).
 */
export interface TrackInformation {
  readonly trackNumber: number;
  readonly sessionNumber: number;
  readonly damage: boolean;
  readonly copy: boolean;
  readonly trackMode: number;
  /** RT: a reserved (RESERVE TRACK) track. */
  readonly reservedTrack: boolean;
  readonly blank: boolean;
  readonly packet: boolean;
  readonly fixedPacket: boolean;
  readonly dataMode: number;
  readonly lraValid: boolean;
  readonly nwaValid: boolean;
  readonly trackStart: number;
  readonly nextWritableAddress: number;
  readonly freeBlocks: number;
  readonly fixedPacketSize: number;
  readonly trackSize: number;
  readonly lastRecordedAddress?: number;
  readonly readCompatibilityLba?: number;
  readonly nextLayerJumpAddress?: number;
  readonly lastLayerJumpAddress?: number;
}

/** Minimum a track information block must have: through LOGICAL TRACK SIZE (MMC-1). */
const TRACK_INFORMATION_MINIMUM = 28;

export function parseTrackInformation(data: Uint8Array): TrackInformation {
  const total = declaredLength('track information', data, 2, TRACK_INFORMATION_MINIMUM);
  const end = Math.min(total, TRACK_INFORMATION_LENGTH);
  needDeclared('track information', data, end);
  const b5 = data[5]!;
  const b6 = data[6]!;
  const msb = (offset: number) => (end > offset ? data[offset]! << 8 : 0);
  return {
    trackNumber: msb(32) | data[2]!,
    sessionNumber: msb(33) | data[3]!,
    damage: bit(b5, 5),
    copy: bit(b5, 4),
    trackMode: b5 & 0x0f,
    reservedTrack: bit(b6, 7),
    blank: bit(b6, 6),
    packet: bit(b6, 5),
    fixedPacket: bit(b6, 4),
    dataMode: b6 & 0x0f,
    lraValid: bit(data[7], 1),
    nwaValid: bit(data[7], 0),
    trackStart: u32(data, 8),
    nextWritableAddress: u32(data, 12),
    freeBlocks: u32(data, 16),
    fixedPacketSize: u32(data, 20),
    trackSize: u32(data, 24),
    ...(end >= 32 ? { lastRecordedAddress: u32(data, 28) } : {}),
    ...(end >= 40 ? { readCompatibilityLba: u32(data, 36) } : {}),
    ...(end >= 48
      ? { nextLayerJumpAddress: u32(data, 40), lastLayerJumpAddress: u32(data, 44) }
      : {}),
  };
}

/** Always the 48-byte MMC-6 form; absent optional fields are written as 0. */
export function encodeTrackInformation(value: TrackInformation): Uint8Array<ArrayBuffer> {
  checkInt('track number', value.trackNumber, 0, 0xffff);
  checkInt('session number', value.sessionNumber, 0, 0xffff);
  checkInt('track mode', value.trackMode, 0, 0x0f);
  checkInt('data mode', value.dataMode, 0, 0x0f);
  const out = new Uint8Array(TRACK_INFORMATION_LENGTH);
  putU16(out, 0, TRACK_INFORMATION_LENGTH - 2);
  out[2] = value.trackNumber & 0xff;
  out[3] = value.sessionNumber & 0xff;
  out[5] = flag(value.damage, 5) | flag(value.copy, 4) | value.trackMode;
  out[6] =
    flag(value.reservedTrack, 7) |
    flag(value.blank, 6) |
    flag(value.packet, 5) |
    flag(value.fixedPacket, 4) |
    value.dataMode;
  out[7] = flag(value.lraValid, 1) | flag(value.nwaValid, 0);
  const words: [number, number | undefined][] = [
    [8, value.trackStart],
    [12, value.nextWritableAddress],
    [16, value.freeBlocks],
    [20, value.fixedPacketSize],
    [24, value.trackSize],
    [28, value.lastRecordedAddress],
    [36, value.readCompatibilityLba],
    [40, value.nextLayerJumpAddress],
    [44, value.lastLayerJumpAddress],
  ];
  for (const [offset, v] of words) {
    checkInt(`track information field at ${offset}`, v ?? 0, 0, 0xffffffff);
    putU32(out, offset, v ?? 0);
  }
  out[32] = value.trackNumber >>> 8;
  out[33] = value.sessionNumber >>> 8;
  return out;
}
