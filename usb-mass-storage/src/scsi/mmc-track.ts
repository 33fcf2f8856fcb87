/**
 * RESERVE TRACK (MMC-6 §6.31), CLOSE TRACK/SESSION (§6.3) and READ BUFFER CAPACITY (§6.21).
 * Part of the MMC command set (mmc.ts re-exports every part); same shape
 * as spc.ts: CDB layout, validating builder, parse/encode pairs.
 */
import { struct } from '../struct.ts';
import { checkInt, declaredLength, flag, needDeclared, putU16, putU32, u32 } from './bytes.ts';
import { dataIn, noData, type ScsiRequest } from './command.ts';
import { OPCODE } from './opcodes.ts';

const u8 = 'u8' as const;

// ===========================================================================
// RESERVE TRACK, MMC-6 §6.31
//  0  OPERATION CODE (53h)
//  1  ARSV (0) = 0: reserve by size
//  2-4 reserved
//  5-8 RESERVATION SIZE in blocks (u32)
//  9  CONTROL
export const reserveTrackLayout = struct('RESERVE TRACK CDB', 10, {
  opcode: { offset: 0, type: u8 },
  flags: { offset: 1, type: u8 },
  size: { offset: 5, type: 'u32be' },
  control: { offset: 9, type: u8 },
});

export interface ReserveTrackParams {
  readonly size: number;
}

export function reserveTrack(params: ReserveTrackParams): ScsiRequest {
  checkInt('reservation size', params.size, 0, 0xffffffff);
  return noData(
    reserveTrackLayout.encode({
      opcode: OPCODE.RESERVE_TRACK,
      flags: 0,
      size: params.size,
      control: 0,
    }),
  );
}

// ===========================================================================
// CLOSE TRACK/SESSION, MMC-6 §6.3
//  0  OPERATION CODE (5Bh)
//  1  IMMED (0)
//  2  CLOSE FUNCTION (2:0): 0 DVD+RW stop background format, 1 close track,
//     2 close session (CD: lead-out; DVD±R: close; DVD+RW: stop the format and
//     write the lead-out), 5 finalize DVD+R DL with minimal radius / 6 finalize
//     DVD+R, BD-R
//  3  reserved
//  4-5 TRACK/SESSION NUMBER (u16)
//  6-8 reserved
//  9  CONTROL
export const closeLayout = struct('CLOSE TRACK/SESSION CDB', 10, {
  opcode: { offset: 0, type: u8 },
  flags: { offset: 1, type: u8 },
  function: { offset: 2, type: u8 },
  number: { offset: 4, type: 'u16be' },
  control: { offset: 9, type: u8 },
});

export const CloseFunction = {
  /** DVD+RW: stop the background format ("Stop De-Icing", growisofs); BD-R/DVD+R: reserved. */
  StopBackgroundFormat: 0,
  Track: 1,
  Session: 2,
  FinalizeMinimalRadius: 5,
  Finalize: 6,
} as const;

export interface CloseTrackSessionParams {
  readonly immed: boolean;
  readonly closeFunction: number;
  readonly number: number;
}

export function closeTrackSession(
  params: Partial<CloseTrackSessionParams> & { readonly closeFunction: number },
): ScsiRequest {
  const number = params.number ?? 0;
  const immed = params.immed ?? false;
  checkInt('close function', params.closeFunction, 0, 7);
  checkInt('track/session number', number, 0, 0xffff);
  return noData(
    closeLayout.encode({
      opcode: OPCODE.CLOSE_TRACK_SESSION,
      flags: flag(immed, 0),
      function: params.closeFunction,
      number,
      control: 0,
    }),
  );
}

// ===========================================================================
// READ BUFFER CAPACITY, MMC-6 §6.21
//  0  OPERATION CODE (5Ch)
//  1  BLOCK (0): answer in blocks instead of bytes
//  2-6 reserved
//  7-8 ALLOCATION LENGTH (u16)
//  9  CONTROL
export const readBufferCapacityLayout = struct('READ BUFFER CAPACITY CDB', 10, {
  opcode: { offset: 0, type: u8 },
  flags: { offset: 1, type: u8 },
  allocationLength: { offset: 7, type: 'u16be' },
  control: { offset: 9, type: u8 },
});

export const BUFFER_CAPACITY_LENGTH = 12;

export interface ReadBufferCapacityParams {
  readonly block: boolean;
  readonly allocationLength: number;
}

export function readBufferCapacity(params: Partial<ReadBufferCapacityParams> = {}): ScsiRequest {
  const allocationLength = params.allocationLength ?? BUFFER_CAPACITY_LENGTH;
  checkInt('READ BUFFER CAPACITY allocation length', allocationLength, 2, 0xffff);
  return dataIn(
    readBufferCapacityLayout.encode({
      opcode: OPCODE.READ_BUFFER_CAPACITY,
      flags: flag(params.block ?? false, 0),
      allocationLength,
      control: 0,
    }),
    allocationLength,
  );
}

/**
 * Response, MMC-6 §6.21.2 (12 bytes):
 *  0-1 DATA LENGTH (0Ah)  2-3 reserved
 *  4-7 LENGTH OF BUFFER (bytes; reserved when BLOCK = 1)
 *  8-11 AVAILABLE / BLANK LENGTH OF BUFFER (bytes, or blocks when BLOCK = 1)
 */
export interface BufferCapacity {
  readonly bufferLength: number;
  readonly availableLength: number;
}

export function parseBufferCapacity(data: Uint8Array): BufferCapacity {
  const total = declaredLength('buffer capacity', data, 2, BUFFER_CAPACITY_LENGTH);
  needDeclared('buffer capacity', data, Math.min(total, BUFFER_CAPACITY_LENGTH));
  return { bufferLength: u32(data, 4), availableLength: u32(data, 8) };
}

export function encodeBufferCapacity(value: BufferCapacity): Uint8Array<ArrayBuffer> {
  checkInt('buffer length', value.bufferLength, 0, 0xffffffff);
  checkInt('available length', value.availableLength, 0, 0xffffffff);
  const out = new Uint8Array(BUFFER_CAPACITY_LENGTH);
  putU16(out, 0, BUFFER_CAPACITY_LENGTH - 2);
  putU32(out, 4, value.bufferLength);
  putU32(out, 8, value.availableLength);
  return out;
}
