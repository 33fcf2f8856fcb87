/**
 * DVD and BD write speed: GET PERFORMANCE (MMC-6 §6.8) lists the speeds and
 * reports the one in effect, SET STREAMING (MMC-6 §6.39) asks for one
 * (libburn cookbook.txt: "Speed can be influenced by B6h SET STREAMING,
 * speed capabilities can be inquired by ACh GET PERFORMANCE. It is advised
 * to set only speeds and sizes which are returned by ACh."). CD keeps SET CD
 * SPEED (mmc.ts). Speeds are in kB/s of 1000 bytes (DVD 1x = 1385, BD 1x =
 * 4495.5).
 *
 * Same shape as mmc.ts: CDB layouts, builders, parse/encode pairs.
 */
import { struct } from '../struct.ts';
import { bit, checkInt, flag, need, putU32, u32 } from './bytes.ts';
import { dataIn, dataOut, type ScsiRequest } from './command.ts';
import { OPCODE } from './opcodes.ts';

// ===========================================================================
// GET PERFORMANCE, MMC-6 §6.8
//  0  OPERATION CODE (ACh)
//  1  DATA TYPE (4:0); for TYPE 00h: TOLERANCE (4:3) | WRITE (2) | EXCEPT (1:0)
//  2-5 STARTING LBA (u32)
//  6-7 reserved
//  8-9 MAXIMUM NUMBER OF DESCRIPTORS (u16)
//  10 TYPE: 00h performance, 03h write speed
//  11 CONTROL
export const getPerformanceLayout = struct('GET PERFORMANCE CDB', 12, {
  opcode: { offset: 0, type: 'u8' },
  dataType: { offset: 1, type: 'u8' },
  startingLba: { offset: 2, type: 'u32be' },
  maxDescriptors: { offset: 8, type: 'u16be' },
  type: { offset: 10, type: 'u8' },
  control: { offset: 11, type: 'u8' },
});

export const PerformanceType = {
  /** Nominal performance of the medium (or the exceptions), read or write. */
  Performance: 0x00,
  /** The write speeds the drive offers for the medium loaded. */
  WriteSpeed: 0x03,
} as const;

/** Header (8 bytes) + descriptors of 16 bytes. */
const HEADER = 8;
const DESCRIPTOR = 16;

export interface GetPerformanceParams {
  readonly type: number;
  /** TYPE 00h: the write performance (WRITE bit) rather than the read one. */
  readonly write?: boolean;
  readonly maxDescriptors?: number;
  readonly startingLba?: number;
}

export function getPerformance(params: GetPerformanceParams): ScsiRequest {
  const maxDescriptors = params.maxDescriptors ?? 16;
  const startingLba = params.startingLba ?? 0;
  checkInt('GET PERFORMANCE type', params.type, 0, 0xff);
  checkInt('maximum number of descriptors', maxDescriptors, 1, 0xfff);
  checkInt('starting LBA', startingLba, 0, 0xffffffff);
  // TYPE 00h: TOLERANCE 10b (10 %, the nominal one) and EXCEPT 00b (no exception list).
  const dataType =
    params.type === PerformanceType.Performance ? 0x10 | flag(params.write ?? false, 2) : 0;
  return dataIn(
    getPerformanceLayout.encode({
      opcode: OPCODE.GET_PERFORMANCE,
      dataType,
      startingLba,
      maxDescriptors,
      type: params.type,
      control: 0,
    }),
    HEADER + DESCRIPTOR * maxDescriptors,
  );
}

/**
 * A nominal performance descriptor (TYPE 00h, EXCEPT 00b), 16 bytes: 0-3
 * START LBA, 4-7 START PERFORMANCE, 8-11 END LBA, 12-15 END PERFORMANCE
 * (kB/s). CLV gives one speed; CAV rises from start to end.
 */
export interface PerformanceDescriptor {
  readonly startLba: number;
  readonly startKBps: number;
  readonly endLba: number;
  readonly endKBps: number;
}

/**
 * A write speed descriptor (TYPE 03h), 16 bytes: 0 WRC (4:3) | RDD (2) |
 * EXACT (1) | MRW (0), 4-7 END LBA, 8-11 READ SPEED, 12-15 WRITE SPEED (kB/s).
 */
export interface WriteSpeedPerformance {
  readonly rotationControl: number;
  readonly exact: boolean;
  readonly endLba: number;
  readonly readKBps: number;
  readonly writeKBps: number;
}

export interface PerformanceHeader {
  /** Bytes of descriptors the drive has (it may have sent fewer: the allocation length). */
  readonly available: number;
  readonly write: boolean;
  readonly except: boolean;
}

/** Header: 0-3 PERFORMANCE DATA LENGTH (bytes after the field), 4 WRITE (1) | EXCEPT (0). */
export function parsePerformanceHeader(data: Uint8Array): PerformanceHeader {
  need('performance data', data, HEADER);
  return {
    available: Math.max(0, u32(data, 0) - (HEADER - 4)),
    write: bit(data[4], 1),
    except: bit(data[4], 0),
  };
}

function descriptors(data: Uint8Array): Uint8Array[] {
  const header = parsePerformanceHeader(data);
  const end = Math.min(data.length, HEADER + header.available);
  const out: Uint8Array[] = [];
  for (let at = HEADER; at + DESCRIPTOR <= end; at += DESCRIPTOR) {
    out.push(data.subarray(at, at + DESCRIPTOR));
  }
  return out;
}

export function parsePerformance(data: Uint8Array): PerformanceDescriptor[] {
  return descriptors(data).map((d) => ({
    startLba: u32(d, 0),
    startKBps: u32(d, 4),
    endLba: u32(d, 8),
    endKBps: u32(d, 12),
  }));
}

export function parseWriteSpeeds(data: Uint8Array): WriteSpeedPerformance[] {
  return descriptors(data).map((d) => ({
    rotationControl: (d[0]! >>> 3) & 0x03,
    exact: bit(d[0], 1),
    endLba: u32(d, 4),
    readKBps: u32(d, 8),
    writeKBps: u32(d, 12),
  }));
}

/** `descriptors` (whole 16-byte ones) with the header; `write` for TYPE 00h write performance. */
export function encodePerformanceData(
  entries: readonly (PerformanceDescriptor | WriteSpeedPerformance)[],
  options: { readonly write?: boolean } = {},
): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(HEADER + DESCRIPTOR * entries.length);
  putU32(out, 0, out.length - 4);
  out[4] = flag(options.write ?? false, 1);
  entries.forEach((e, i) => {
    const at = HEADER + DESCRIPTOR * i;
    if ('writeKBps' in e) {
      out[at] = ((e.rotationControl & 0x03) << 3) | flag(e.exact, 1);
      putU32(out, at + 4, e.endLba);
      putU32(out, at + 8, e.readKBps);
      putU32(out, at + 12, e.writeKBps);
    } else {
      putU32(out, at, e.startLba);
      putU32(out, at + 4, e.startKBps);
      putU32(out, at + 8, e.endLba);
      putU32(out, at + 12, e.endKBps);
    }
  });
  return out;
}

// ===========================================================================
// SET STREAMING, MMC-6 §6.39
//  0  OPERATION CODE (B6h)
//  1-7 reserved
//  8  TYPE: 00h performance descriptor
//  9-10 PARAMETER LIST LENGTH (u16): 28
//  11 CONTROL
// Performance descriptor (28 bytes):
//  0  WRC (4:3) | RDD (2) | EXACT (1) | RA (0)
//  4-7 START LBA   8-11 END LBA
//  12-15 READ SIZE (kB)   16-19 READ TIME (ms)
//  20-23 WRITE SIZE (kB)  24-27 WRITE TIME (ms)
// growisofs `set_speed_B6h` and libburn `mmc_set_streaming` give sizes in kB
// over 1000 ms, so the sizes are speeds in kB/s, and END LBA the capacity - 1.
export const setStreamingLayout = struct('SET STREAMING CDB', 12, {
  opcode: { offset: 0, type: 'u8' },
  type: { offset: 8, type: 'u8' },
  parameterListLength: { offset: 9, type: 'u16be' },
  control: { offset: 11, type: 'u8' },
});

export const STREAMING_DESCRIPTOR_LENGTH = 28;

export interface StreamingDescriptor {
  readonly rotationControl: number;
  /** RDD: restore the drive's defaults (then the rest is ignored). */
  readonly restoreDefaults: boolean;
  readonly exact: boolean;
  readonly startLba: number;
  readonly endLba: number;
  readonly readSizeKB: number;
  readonly readTimeMs: number;
  readonly writeSizeKB: number;
  readonly writeTimeMs: number;
}

export function encodeStreamingDescriptor(value: StreamingDescriptor): Uint8Array<ArrayBuffer> {
  checkInt('rotation control', value.rotationControl, 0, 3);
  for (const [name, v] of [
    ['start LBA', value.startLba],
    ['end LBA', value.endLba],
    ['read size', value.readSizeKB],
    ['read time', value.readTimeMs],
    ['write size', value.writeSizeKB],
    ['write time', value.writeTimeMs],
  ] as const) {
    checkInt(name, v, 0, 0xffffffff);
  }
  const out = new Uint8Array(STREAMING_DESCRIPTOR_LENGTH);
  out[0] = (value.rotationControl << 3) | flag(value.restoreDefaults, 2) | flag(value.exact, 1);
  putU32(out, 4, value.startLba);
  putU32(out, 8, value.endLba);
  putU32(out, 12, value.readSizeKB);
  putU32(out, 16, value.readTimeMs);
  putU32(out, 20, value.writeSizeKB);
  putU32(out, 24, value.writeTimeMs);
  return out;
}

export function parseStreamingDescriptor(data: Uint8Array): StreamingDescriptor {
  need('performance descriptor', data, STREAMING_DESCRIPTOR_LENGTH);
  return {
    rotationControl: (data[0]! >>> 3) & 0x03,
    restoreDefaults: bit(data[0], 2),
    exact: bit(data[0], 1),
    startLba: u32(data, 4),
    endLba: u32(data, 8),
    readSizeKB: u32(data, 12),
    readTimeMs: u32(data, 16),
    writeSizeKB: u32(data, 20),
    writeTimeMs: u32(data, 24),
  };
}

export interface SetStreamingParams {
  readonly writeKBps: number;
  readonly readKBps: number;
  /** The last LBA the speeds apply to: the medium's capacity - 1. */
  readonly endLba: number;
}

/** SET STREAMING of one performance descriptor: the speeds as sizes over 1000 ms, from LBA 0. */
export function setStreaming(params: SetStreamingParams): ScsiRequest {
  const data = encodeStreamingDescriptor({
    rotationControl: 0,
    restoreDefaults: false,
    exact: false,
    startLba: 0,
    endLba: params.endLba,
    readSizeKB: params.readKBps,
    readTimeMs: 1000,
    writeSizeKB: params.writeKBps,
    writeTimeMs: 1000,
  });
  const cdb = setStreamingLayout.encode({
    opcode: OPCODE.SET_STREAMING,
    type: 0,
    parameterListLength: data.length,
    control: 0,
  });
  return dataOut(cdb, data);
}
