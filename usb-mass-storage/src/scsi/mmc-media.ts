/**
 * BLANK (MMC-6 §6.2), FORMAT UNIT (§6.5), SET CD SPEED (§6.37) and MECHANISM STATUS (§6.11).
 * Part of the MMC command set (mmc.ts re-exports every part); same shape
 * as spc.ts: CDB layout, validating builder, parse/encode pairs.
 */
import { DecodeError } from '../errors.ts';
import { struct } from '../struct.ts';
import { bit, checkInt, flag, need, needDeclared, putU16, u16 } from './bytes.ts';
import { dataIn, dataOut, noData, type ScsiRequest } from './command.ts';
import { OPCODE, COMMAND_TIMEOUT_MS } from './opcodes.ts';

const u8 = 'u8' as const;

// ===========================================================================
// BLANK, MMC-6 §6.2
//  0  OPERATION CODE (A1h)
//  1  IMMED (4) | BLANKING TYPE (2:0)
//  2-5 START ADDRESS / TRACK NUMBER (u32; types 2-4)
//  6-10 reserved
//  11 CONTROL
// Progress while IMMED: TEST UNIT READY answers 2/04/07 with a progress indicator.
export const blankLayout = struct('BLANK CDB', 12, {
  opcode: { offset: 0, type: u8 },
  flags: { offset: 1, type: u8 },
  address: { offset: 2, type: 'u32be' },
  control: { offset: 11, type: u8 },
});

export const BlankType = {
  Full: 0,
  Minimal: 1,
  Track: 2,
  UnreserveTrack: 3,
  TrackTail: 4,
  UncloseLastSession: 5,
  EraseLastSession: 6,
} as const;

export interface BlankParams {
  readonly immed: boolean;
  readonly type: number;
  readonly address: number;
}

export function blank(params: Partial<BlankParams> & { readonly type: number }): ScsiRequest {
  const address = params.address ?? 0;
  checkInt('blanking type', params.type, 0, 7);
  checkInt('blank start address', address, 0, 0xffffffff);
  return noData(
    blankLayout.encode({
      opcode: OPCODE.BLANK,
      flags: flag(params.immed ?? false, 4) | params.type,
      address,
      control: 0,
    }),
  );
}

// ===========================================================================
// FORMAT UNIT, MMC-6 §6.5
//  0  OPERATION CODE (04h)
//  1  FMTDATA (4) = 1: a parameter list follows | CMPLIST (3) | FORMAT CODE (2:0) = 001b
//  2  vendor specific  3-4 obsolete (interleave)
//  5  CONTROL
export const formatUnitLayout = struct('FORMAT UNIT CDB', 6, {
  opcode: { offset: 0, type: u8 },
  flags: { offset: 1, type: u8 },
  control: { offset: 5, type: u8 },
});

export interface FormatUnitCdb {
  readonly fmtData: boolean;
  readonly cmpList: boolean;
  readonly formatCode: number;
}

/** Format types (MMC-6 §6.5.4.2) of the ones webdisc uses. */
export const FormatType = {
  Full: 0x00,
  DvdPlusRw: 0x26,
  BdReWithSpare: 0x30,
  BdReWithoutSpare: 0x31,
  BdRSrm: 0x32,
} as const;

/**
 * Format parameter list, MMC-6 §6.5.3: a 4-byte header and one 8-byte format
 * descriptor.
 * Header:
 *  0  reserved
 *  1  FOV (7) | DCRT (5) | IP (3) | TRY-OUT (2) | IMMED (1) | VS (0)
 *  2-3 FORMAT DESCRIPTOR LENGTH (8)
 * Descriptor:
 *  4-7 NUMBER OF BLOCKS (u32)
 *  8  FORMAT TYPE (7:2) | FORMAT SUBTYPE (1:0)
 *  9-11 TYPE DEPENDENT PARAMETER (u24; block length or format options)
 * DVD+RW: type 26h, blocks FFFFFFFFh or the READ FORMAT CAPACITIES value;
 * BD-RE: 30h (with spare areas; subtype 2 full / 3 quick certification) or 31h.
 */
export interface FormatParameterList {
  readonly fov: boolean;
  readonly dcrt: boolean;
  readonly tryOut: boolean;
  readonly immed: boolean;
  readonly numberOfBlocks: number;
  readonly formatType: number;
  readonly formatSubtype: number;
  readonly typeDependent: number;
}

export const FORMAT_PARAMETER_LIST_LENGTH = 12;

const formatListLayout = struct('format parameter list', FORMAT_PARAMETER_LIST_LENGTH, {
  reserved: { offset: 0, type: u8 },
  flags: { offset: 1, type: u8 },
  descriptorLength: { offset: 2, type: 'u16be' },
  numberOfBlocks: { offset: 4, type: 'u32be' },
  type: { offset: 8, type: u8 },
  typeDependent: { offset: 9, type: 'u24be' },
});

export function encodeFormatParameterList(value: FormatParameterList): Uint8Array<ArrayBuffer> {
  checkInt('format type', value.formatType, 0, 0x3f);
  checkInt('format subtype', value.formatSubtype, 0, 3);
  checkInt('number of blocks', value.numberOfBlocks, 0, 0xffffffff);
  checkInt('type dependent parameter', value.typeDependent, 0, 0xffffff);
  return formatListLayout.encode({
    reserved: 0,
    flags: flag(value.fov, 7) | flag(value.dcrt, 5) | flag(value.tryOut, 2) | flag(value.immed, 1),
    descriptorLength: 8,
    numberOfBlocks: value.numberOfBlocks,
    type: (value.formatType << 2) | value.formatSubtype,
    typeDependent: value.typeDependent,
  });
}

/** Device side: the list a FORMAT UNIT carried. Needs one whole 8-byte descriptor. */
export function parseFormatParameterList(data: Uint8Array): FormatParameterList {
  need('format parameter list', data, 4);
  const descriptorLength = u16(data, 2);
  if (descriptorLength < 8) {
    throw new DecodeError(`format parameter list: descriptor length ${descriptorLength} < 8`);
  }
  needDeclared('format parameter list', data, 4 + descriptorLength);
  const r = formatListLayout.decode(data);
  return {
    fov: bit(r.flags, 7),
    dcrt: bit(r.flags, 5),
    tryOut: bit(r.flags, 2),
    immed: bit(r.flags, 1),
    numberOfBlocks: r.numberOfBlocks,
    formatType: r.type >>> 2,
    formatSubtype: r.type & 0x03,
    typeDependent: r.typeDependent,
  };
}

/**
 * FORMAT UNIT with FmtData=1, format code 001b and the given list. With
 * `immed` the request carries a short timeout; without it the long default
 * of defaultTimeoutMs applies.
 */
export function formatUnit(
  list: FormatParameterList,
  options: { readonly cmpList?: boolean } = {},
): ScsiRequest {
  const data = encodeFormatParameterList(list);
  const cdb = formatUnitLayout.encode({
    opcode: OPCODE.FORMAT_UNIT,
    flags: 0x10 | flag(options.cmpList ?? false, 3) | 0x01,
    control: 0,
  });
  return dataOut(cdb, data, list.immed ? COMMAND_TIMEOUT_MS.immediate : undefined);
}

// ===========================================================================
// SET CD SPEED, MMC-6 §6.37
//  0  OPERATION CODE (BBh)
//  1  ROTATIONAL CONTROL (1:0): 0 CLV and non-pure CAV, 1 pure CAV
//  2-3 LOGICAL UNIT READ SPEED (kB/s, u16; FFFFh = maximum)
//  4-5 LOGICAL UNIT WRITE SPEED (kB/s, u16; FFFFh = maximum)
//  6-10 reserved
//  11 CONTROL
// 1x CD = 176.4 kB/s (drives round: 4x = 706); 1x DVD = 1385; 1x BD = 4495.
export const setCdSpeedLayout = struct('SET CD SPEED CDB', 12, {
  opcode: { offset: 0, type: u8 },
  rotation: { offset: 1, type: u8 },
  readSpeed: { offset: 2, type: 'u16be' },
  writeSpeed: { offset: 4, type: 'u16be' },
  control: { offset: 11, type: u8 },
});

export const MAX_SPEED = 0xffff;

export interface SetCdSpeedParams {
  readonly readSpeed: number;
  readonly writeSpeed: number;
  readonly rotationControl: number;
}

export function setCdSpeed(params: Partial<SetCdSpeedParams> = {}): ScsiRequest {
  const readSpeed = params.readSpeed ?? MAX_SPEED;
  const writeSpeed = params.writeSpeed ?? MAX_SPEED;
  const rotationControl = params.rotationControl ?? 0;
  checkInt('read speed (kB/s)', readSpeed, 0, MAX_SPEED);
  checkInt('write speed (kB/s)', writeSpeed, 0, MAX_SPEED);
  checkInt('rotational control', rotationControl, 0, 3);
  return noData(
    setCdSpeedLayout.encode({
      opcode: OPCODE.SET_CD_SPEED,
      rotation: rotationControl,
      readSpeed,
      writeSpeed,
      control: 0,
    }),
  );
}

// ===========================================================================
// MECHANISM STATUS, MMC-6 §6.11
//  0  OPERATION CODE (BDh)
//  1-7 reserved
//  8-9 ALLOCATION LENGTH (u16)
//  10 reserved
//  11 CONTROL
export const mechanismStatusLayout = struct('MECHANISM STATUS CDB', 12, {
  opcode: { offset: 0, type: u8 },
  allocationLength: { offset: 8, type: 'u16be' },
  control: { offset: 11, type: u8 },
});

export interface MechanismStatusParams {
  readonly allocationLength: number;
}

export function mechanismStatus(params: Partial<MechanismStatusParams> = {}): ScsiRequest {
  const allocationLength = params.allocationLength ?? 256;
  checkInt('MECHANISM STATUS allocation length', allocationLength, 8, 0xffff);
  return dataIn(
    mechanismStatusLayout.encode({
      opcode: OPCODE.MECHANISM_STATUS,
      allocationLength,
      control: 0,
    }),
    allocationLength,
  );
}

/** CHANGER STATE (MMC-6 §6.11.2.1). */
export const ChangerState = {
  Ready: 0,
  Loading: 1,
  Unloading: 2,
  Initializing: 3,
} as const;

/** Slot table entry: DISC PRESENT (b0 bit7), CHANGE (b0 bit0); 4 bytes. */
export interface MechanismSlot {
  readonly discPresent: boolean;
  readonly change: boolean;
}

/**
 * Response, MMC-6 §6.11.2 (8-byte header, then 4-byte slot tables):
 *  0  FAULT (7) | CHANGER STATE (6:5) | CURRENT SLOT LSBs (4:0)
 *  1  MECHANISM STATE (7:5) | DOOR OPEN (4) | CURRENT SLOT MSBs (2:0)
 *  2-4 CURRENT LBA (u24, obsolete)
 *  5  NUMBER OF SLOTS AVAILABLE
 *  6-7 LENGTH OF SLOT TABLES (u16)
 */
export interface MechanismStatus {
  readonly fault: boolean;
  readonly changerState: number;
  readonly currentSlot: number;
  readonly mechanismState: number;
  readonly doorOpen: boolean;
  readonly currentLba: number;
  readonly slotsAvailable: number;
  readonly slots: readonly MechanismSlot[];
}

export function parseMechanismStatus(data: Uint8Array): MechanismStatus {
  need('mechanism status', data, 8);
  const tableLength = u16(data, 6);
  if (tableLength % 4 !== 0) {
    throw new DecodeError(
      `mechanism status: slot table length ${tableLength} is not a multiple of 4`,
    );
  }
  needDeclared('mechanism status', data, 8 + tableLength);
  const slots: MechanismSlot[] = [];
  for (let i = 8; i + 4 <= 8 + tableLength; i += 4) {
    slots.push({ discPresent: bit(data[i], 7), change: bit(data[i], 0) });
  }
  return {
    fault: bit(data[0], 7),
    changerState: (data[0]! >>> 5) & 0x03,
    currentSlot: ((data[1]! & 0x07) << 5) | (data[0]! & 0x1f),
    mechanismState: data[1]! >>> 5,
    doorOpen: bit(data[1], 4),
    currentLba: (data[2]! << 16) | (data[3]! << 8) | data[4]!,
    slotsAvailable: data[5]!,
    slots,
  };
}

export function encodeMechanismStatus(value: MechanismStatus): Uint8Array<ArrayBuffer> {
  checkInt('changer state', value.changerState, 0, 3);
  checkInt('current slot', value.currentSlot, 0, 0xff);
  checkInt('mechanism state', value.mechanismState, 0, 7);
  checkInt('current LBA', value.currentLba, 0, 0xffffff);
  checkInt('slots available', value.slotsAvailable, 0, 0xff);
  checkInt('slot table length', value.slots.length * 4, 0, 0xffff);
  const out = new Uint8Array(8 + 4 * value.slots.length);
  out[0] = flag(value.fault, 7) | (value.changerState << 5) | (value.currentSlot & 0x1f);
  out[1] = (value.mechanismState << 5) | flag(value.doorOpen, 4) | (value.currentSlot >>> 5);
  out[2] = value.currentLba >>> 16;
  out[3] = (value.currentLba >>> 8) & 0xff;
  out[4] = value.currentLba & 0xff;
  out[5] = value.slotsAvailable;
  putU16(out, 6, 4 * value.slots.length);
  value.slots.forEach((s, n) => {
    out[8 + 4 * n] = flag(s.discPresent, 7) | flag(s.change, 0);
  });
  return out;
}
