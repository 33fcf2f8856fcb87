/**
 * SBC block commands an optical drive answers (libburn's sbc.c): START STOP
 * UNIT (load/eject), READ CAPACITY(10), READ(10), WRITE(10) and SYNCHRONIZE
 * CACHE(10). Same conventions as spc.ts: a CDB layout, a validating builder,
 * a parser and an encoder for each response.
 */
import { struct } from '../struct.ts';
import { checkInt, flag } from './bytes.ts';
import { dataIn, dataOut, noData, type ScsiRequest } from './command.ts';
import { OPCODE } from './opcodes.ts';

/** Logical block size of CD-ROM Mode 1, DVD and BD data (MMC-6 §4.2.2). */
export const BLOCK_SIZE = 2048;

const u8 = 'u8' as const;

// ---------------------------------------------------------------------------
// START STOP UNIT, SBC-3 §5.25 and MMC-6 §6.39
//  0  OPERATION CODE (1Bh)
//  1  bit0 IMMED
//  2-3 reserved (MMC-6: b3 format-layer number, unused here)
//  4  POWER CONDITIONS (7:4) | LOEJ (1) | START (0)
//     LoEj+!Start = eject, LoEj+Start = load, !LoEj: spin down / up.
//     Refused with 5/53/02 while removal is prevented.
//  5  CONTROL
export const startStopUnitLayout = struct('START STOP UNIT CDB', 6, {
  opcode: { offset: 0, type: u8 },
  flags: { offset: 1, type: u8 },
  action: { offset: 4, type: u8 },
  control: { offset: 5, type: u8 },
});

export interface StartStopUnitParams {
  readonly immed: boolean;
  readonly loadEject: boolean;
  readonly start: boolean;
  readonly powerCondition: number;
}

export function startStopUnit(params: Partial<StartStopUnitParams>): ScsiRequest {
  const powerCondition = params.powerCondition ?? 0;
  checkInt('power condition', powerCondition, 0, 0x0f);
  return noData(
    startStopUnitLayout.encode({
      opcode: OPCODE.START_STOP_UNIT,
      flags: flag(params.immed ?? false, 0),
      action:
        (powerCondition << 4) | flag(params.loadEject ?? false, 1) | flag(params.start ?? false, 0),
      control: 0,
    }),
  );
}

/** Opens the tray (LoEj=1, Start=0). */
export function ejectMedium(immed = false): ScsiRequest {
  return startStopUnit({ immed, loadEject: true, start: false });
}

/** Closes the tray and spins the disc up (LoEj=1, Start=1). */
export function loadMedium(immed = false): ScsiRequest {
  return startStopUnit({ immed, loadEject: true, start: true });
}

// ---------------------------------------------------------------------------
// READ CAPACITY(10), SBC-3 §5.15 and MMC-6 §6.23
//  0  OPERATION CODE (25h)
//  1-8 reserved (RelAdr, LBA and PMI are obsolete for MMC)
//  9  CONTROL
export const readCapacityLayout = struct('READ CAPACITY(10) CDB', 10, {
  opcode: { offset: 0, type: u8 },
  control: { offset: 9, type: u8 },
});

export const READ_CAPACITY_LENGTH = 8;

export function readCapacity10(): ScsiRequest {
  return dataIn(
    readCapacityLayout.encode({ opcode: OPCODE.READ_CAPACITY_10, control: 0 }),
    READ_CAPACITY_LENGTH,
  );
}

/**
 * READ CAPACITY(10) data, SBC-3 §5.15.2:
 *  0-3 RETURNED LOGICAL BLOCK ADDRESS (last LBA; MMC-6: of the last recorded block)
 *  4-7 BLOCK LENGTH IN BYTES (2048 for MMC media)
 */
export interface Capacity {
  readonly lastLba: number;
  readonly blockLength: number;
}

const capacityLayout = struct('READ CAPACITY(10) data', READ_CAPACITY_LENGTH, {
  lastLba: { offset: 0, type: 'u32be' },
  blockLength: { offset: 4, type: 'u32be' },
});

export function parseCapacity(data: Uint8Array): Capacity {
  const raw = capacityLayout.decode(data);
  return { lastLba: raw.lastLba, blockLength: raw.blockLength };
}

export function encodeCapacity(value: Capacity): Uint8Array<ArrayBuffer> {
  return capacityLayout.encode(value);
}

// ---------------------------------------------------------------------------
// READ(10) SBC-3 §5.11 / MMC-6 §6.19, WRITE(10) MMC-6 §6.47 (same layout)
//  0  OPERATION CODE (28h / 2Ah)
//  1  DPO (4) | FUA (3)
//  2-5 LOGICAL BLOCK ADDRESS (u32)
//  6  GROUP NUMBER (bits 4:0; 0)
//  7-8 TRANSFER LENGTH in blocks (u16; 0 = nothing transferred)
//  9  CONTROL
// The LBA is unsigned here: a CD SAO pre-gap write at LBA -150 is sent as its
// two's complement (lba >>> 0), which is how the CDB carries it.
export const readWrite10Layout = struct('READ/WRITE(10) CDB', 10, {
  opcode: { offset: 0, type: u8 },
  flags: { offset: 1, type: u8 },
  lba: { offset: 2, type: 'u32be' },
  group: { offset: 6, type: u8 },
  blocks: { offset: 7, type: 'u16be' },
  control: { offset: 9, type: u8 },
});

export interface ReadWrite10Cdb {
  readonly lba: number;
  readonly blocks: number;
  readonly fua: boolean;
  readonly dpo: boolean;
}

export interface Read10Params extends ReadWrite10Cdb {
  /** Bytes per block, for the data-in length: 2048 unless reading CD-DA (2352). */
  readonly blockSize: number;
}

function encodeReadWrite10(opcode: number, params: ReadWrite10Cdb): Uint8Array<ArrayBuffer> {
  checkInt('LBA', params.lba, 0, 0xffffffff);
  checkInt('block count', params.blocks, 0, 0xffff);
  return readWrite10Layout.encode({
    opcode,
    flags: flag(params.dpo, 4) | flag(params.fua, 3),
    lba: params.lba,
    group: 0,
    blocks: params.blocks,
    control: 0,
  });
}

export function read10(
  params: Partial<Read10Params> & { readonly lba: number; readonly blocks: number },
): ScsiRequest {
  const blockSize = params.blockSize ?? BLOCK_SIZE;
  checkInt('block size', blockSize, 1, 0xffff);
  const cdb = encodeReadWrite10(OPCODE.READ_10, {
    lba: params.lba,
    blocks: params.blocks,
    fua: params.fua ?? false,
    dpo: params.dpo ?? false,
  });
  return params.blocks === 0 ? noData(cdb) : dataIn(cdb, params.blocks * blockSize);
}

export interface Write10Params {
  readonly lba: number;
  /** Whole blocks; the block count is data.length / blockSize. */
  readonly data: Uint8Array;
  readonly blockSize?: number;
  readonly fua?: boolean;
}

export function write10(params: Write10Params): ScsiRequest {
  const blockSize = params.blockSize ?? BLOCK_SIZE;
  checkInt('block size', blockSize, 1, 0xffff);
  if (params.data.length % blockSize !== 0) {
    throw new RangeError(
      `${params.data.length} bytes is not a whole number of ${blockSize}-byte blocks`,
    );
  }
  const blocks = params.data.length / blockSize;
  const cdb = encodeReadWrite10(OPCODE.WRITE_10, {
    lba: params.lba,
    blocks,
    fua: params.fua ?? false,
    dpo: false,
  });
  return blocks === 0 ? noData(cdb) : dataOut(cdb, params.data);
}

// ---------------------------------------------------------------------------
// SYNCHRONIZE CACHE(10), SBC-3 §5.20 and MMC-6 §6.41
//  0  OPERATION CODE (35h)
//  1  IMMED (1)  (then poll TEST UNIT READY until it stops answering 2/04/07)
//  2-5 LOGICAL BLOCK ADDRESS (MMC: 0)
//  6  GROUP NUMBER
//  7-8 NUMBER OF BLOCKS (0 = to the end)
//  9  CONTROL
export const syncCacheLayout = struct('SYNCHRONIZE CACHE(10) CDB', 10, {
  opcode: { offset: 0, type: u8 },
  flags: { offset: 1, type: u8 },
  lba: { offset: 2, type: 'u32be' },
  group: { offset: 6, type: u8 },
  blocks: { offset: 7, type: 'u16be' },
  control: { offset: 9, type: u8 },
});

export interface SynchronizeCacheParams {
  readonly immed: boolean;
  readonly lba: number;
  readonly blocks: number;
}

export function synchronizeCache10(params: Partial<SynchronizeCacheParams> = {}): ScsiRequest {
  const lba = params.lba ?? 0;
  const blocks = params.blocks ?? 0;
  checkInt('LBA', lba, 0, 0xffffffff);
  checkInt('block count', blocks, 0, 0xffff);
  return noData(
    syncCacheLayout.encode({
      opcode: OPCODE.SYNCHRONIZE_CACHE_10,
      flags: flag(params.immed ?? false, 1),
      lba,
      group: 0,
      blocks,
      control: 0,
    }),
  );
}
