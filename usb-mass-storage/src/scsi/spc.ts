/**
 * SPC commands an optical drive answers (the primary command set, libburn's
 * spc.c): TEST UNIT READY, REQUEST SENSE, INQUIRY, PREVENT ALLOW MEDIUM
 * REMOVAL, RESERVE(6)/RELEASE(6), MODE SENSE(10)/MODE SELECT(10). The block
 * commands are in sbc.ts, the multimedia ones in mmc.ts.
 *
 * Each command has a CDB layout (a `struct`), a builder that validates its
 * arguments (RangeError) and returns a ScsiRequest; its exported layout is
 * what the tests' CDB decoders (testing/cdb-decoders.ts) read back.
 * Each response has a parser (DecodeError on bad input) and an encoder.
 * REQUEST SENSE data is decoded by sense.ts; parseRequestSense and
 * encodeRequestSense name that pair in this file's terms.
 */
import { struct } from '../struct.ts';
import {
  bit,
  checkInt,
  flag,
  need,
  readAscii,
  TruncatedResponseError,
  writeAscii,
} from './bytes.ts';
import { dataIn, dataOut, noData, type ScsiRequest } from './command.ts';
import { decodeSense, encodeFixedSense, type Sense } from './sense.ts';
import { OPCODE } from './opcodes.ts';

const u8 = 'u8' as const;

// ---------------------------------------------------------------------------
// TEST UNIT READY, SPC-4 §6.47
//  0  OPERATION CODE (00h)
//  1-4 reserved
//  5  CONTROL
export const testUnitReadyLayout = struct('TEST UNIT READY CDB', 6, {
  opcode: { offset: 0, type: u8 },
  control: { offset: 5, type: u8 },
});

export function testUnitReady(): ScsiRequest {
  return noData(testUnitReadyLayout.encode({ opcode: OPCODE.TEST_UNIT_READY, control: 0 }));
}

// ---------------------------------------------------------------------------
// REQUEST SENSE, SPC-4 §6.39
//  0  OPERATION CODE (03h)
//  1  bit0 DESC (1 = descriptor format sense wanted)
//  2-3 reserved
//  4  ALLOCATION LENGTH (18 for fixed format, SPC-4 §4.5.3)
//  5  CONTROL
export const requestSenseLayout = struct('REQUEST SENSE CDB', 6, {
  opcode: { offset: 0, type: u8 },
  flags: { offset: 1, type: u8 },
  allocationLength: { offset: 4, type: u8 },
  control: { offset: 5, type: u8 },
});

export interface RequestSenseParams {
  readonly allocationLength: number;
  readonly descriptorFormat: boolean;
}

export function requestSense(params: Partial<RequestSenseParams> = {}): ScsiRequest {
  const allocationLength = params.allocationLength ?? 18;
  checkInt('REQUEST SENSE allocation length', allocationLength, 1, 0xff);
  return dataIn(
    requestSenseLayout.encode({
      opcode: OPCODE.REQUEST_SENSE,
      flags: flag(params.descriptorFormat ?? false, 0),
      allocationLength,
      control: 0,
    }),
    allocationLength,
  );
}

/**
 * REQUEST SENSE data (SPC-4 §4.5): fixed (70h/71h) or descriptor (72h/73h)
 * format; the length comes from ADDITIONAL SENSE LENGTH. DecodeError otherwise.
 */
export function parseRequestSense(data: Uint8Array): Sense {
  return decodeSense(data);
}

/** Fixed-format sense data, 18 bytes. */
export function encodeRequestSense(sense: Sense): Uint8Array<ArrayBuffer> {
  return encodeFixedSense(sense);
}

// ---------------------------------------------------------------------------
// INQUIRY, SPC-4 §6.6
//  0  OPERATION CODE (12h)
//  1  bit0 EVPD
//  2  PAGE CODE (0 unless EVPD)
//  3-4 ALLOCATION LENGTH (u16; SPC-2 devices read byte 4 only, so <= 255 is safest)
//  5  CONTROL
export const inquiryLayout = struct('INQUIRY CDB', 6, {
  opcode: { offset: 0, type: u8 },
  flags: { offset: 1, type: u8 },
  pageCode: { offset: 2, type: u8 },
  allocationLength: { offset: 3, type: 'u16be' },
  control: { offset: 5, type: u8 },
});

export interface InquiryParams {
  readonly evpd: boolean;
  readonly pageCode: number;
  readonly allocationLength: number;
}

/** Standard INQUIRY data is 36 bytes (SPC-4 §6.6.2): the usual allocation length. */
export const INQUIRY_LENGTH = 36;

export function inquiry(params: Partial<InquiryParams> = {}): ScsiRequest {
  const evpd = params.evpd ?? false;
  const pageCode = params.pageCode ?? 0;
  const allocationLength = params.allocationLength ?? INQUIRY_LENGTH;
  checkInt('INQUIRY page code', pageCode, 0, evpd ? 0xff : 0);
  checkInt('INQUIRY allocation length', allocationLength, 1, 0xffff);
  return dataIn(
    inquiryLayout.encode({
      opcode: OPCODE.INQUIRY,
      flags: flag(evpd, 0),
      pageCode,
      allocationLength,
      control: 0,
    }),
    allocationLength,
  );
}

/** Peripheral device types (SPC-4 §6.6.2, table 138) that matter here. */
export const DeviceType = {
  DirectAccess: 0x00,
  /** CD/DVD/BD device (MMC). */
  Mmc: 0x05,
  Unknown: 0x1f,
} as const;

/**
 * Standard INQUIRY data, SPC-4 §6.6.2:
 *  0  PERIPHERAL QUALIFIER (7:5) | PERIPHERAL DEVICE TYPE (4:0), 05h = MMC
 *  1  RMB (7): removable medium
 *  2  VERSION
 *  3  NORMACA (5) HISUP (4) | RESPONSE DATA FORMAT (3:0) = 2
 *  4  ADDITIONAL LENGTH (n - 4)
 *  5-7 capability flags
 *  8-15 T10 VENDOR IDENTIFICATION (ASCII)
 * 16-31 PRODUCT IDENTIFICATION (ASCII)
 * 32-35 PRODUCT REVISION LEVEL (ASCII)
 */
export interface InquiryData {
  readonly peripheralQualifier: number;
  readonly deviceType: number;
  readonly removable: boolean;
  readonly version: number;
  readonly responseDataFormat: number;
  readonly vendor: string;
  readonly product: string;
  readonly revision: string;
}

const inquiryDataLayout = struct('INQUIRY data', INQUIRY_LENGTH, {
  device: { offset: 0, type: u8 },
  rmb: { offset: 1, type: u8 },
  version: { offset: 2, type: u8 },
  format: { offset: 3, type: u8 },
  additionalLength: { offset: 4, type: u8 },
  flags5: { offset: 5, type: u8 },
  flags6: { offset: 6, type: u8 },
  flags7: { offset: 7, type: u8 },
});

/**
 * Reads the first 36 bytes, or fewer when ADDITIONAL LENGTH says the device has
 * fewer (then the missing strings are empty). Devices with more than 36 bytes
 * (version descriptors, vendor data) are read only to byte 35.
 */
export function parseInquiry(data: Uint8Array): InquiryData {
  need('INQUIRY data', data, 5);
  const declared = data[4]! + 5;
  const end = Math.min(declared, INQUIRY_LENGTH);
  if (data.length < end) throw new TruncatedResponseError('INQUIRY data', end, data.length);
  return {
    peripheralQualifier: data[0]! >>> 5,
    deviceType: data[0]! & 0x1f,
    removable: bit(data[1], 7),
    version: data[2]!,
    responseDataFormat: data[3]! & 0x0f,
    vendor: readAscii(data, 8, Math.min(16, end)),
    product: readAscii(data, 16, Math.min(32, end)),
    revision: readAscii(data, 32, Math.min(36, end)),
  };
}

/** 36 bytes, ADDITIONAL LENGTH 31, strings space padded; RangeError for bad fields. */
export function encodeInquiry(value: InquiryData): Uint8Array<ArrayBuffer> {
  checkInt('peripheral qualifier', value.peripheralQualifier, 0, 7);
  checkInt('device type', value.deviceType, 0, 0x1f);
  checkInt('response data format', value.responseDataFormat, 0, 0x0f);
  const out = inquiryDataLayout.encode({
    device: (value.peripheralQualifier << 5) | value.deviceType,
    rmb: flag(value.removable, 7),
    version: value.version,
    format: value.responseDataFormat,
    additionalLength: INQUIRY_LENGTH - 5,
    flags5: 0,
    flags6: 0,
    flags7: 0,
  });
  writeAscii(out, 8, 8, value.vendor, 'vendor');
  writeAscii(out, 16, 16, value.product, 'product');
  writeAscii(out, 32, 4, value.revision, 'revision');
  return out;
}

// ---------------------------------------------------------------------------
// PREVENT ALLOW MEDIUM REMOVAL, SPC-4 §6.13 and MMC-6 §6.12
//  0  OPERATION CODE (1Eh)
//  1-3 reserved
//  4  PERSISTENT (1) | PREVENT (0)   (MMC names the two bits of SPC's PREVENT field)
//     Some drives reject Persistent with 5/24/00.
//  5  CONTROL
export const preventAllowLayout = struct('PREVENT ALLOW MEDIUM REMOVAL CDB', 6, {
  opcode: { offset: 0, type: u8 },
  prevent: { offset: 4, type: u8 },
  control: { offset: 5, type: u8 },
});

export interface PreventAllowParams {
  readonly prevent: boolean;
  readonly persistent: boolean;
}

export function preventAllowMediumRemoval(params: Partial<PreventAllowParams>): ScsiRequest {
  return noData(
    preventAllowLayout.encode({
      opcode: OPCODE.PREVENT_ALLOW_MEDIUM_REMOVAL,
      prevent: flag(params.persistent ?? false, 1) | flag(params.prevent ?? false, 0),
      control: 0,
    }),
  );
}

// ---------------------------------------------------------------------------
// RESERVE(6) / RELEASE(6), SPC-2 §7.21 / §7.16 (obsolete in SPC-4; optional for
// MMC drives, many answer 5/20/00)
//  0  OPERATION CODE (16h / 17h)
//  1-4 reserved (3rdPty and extent fields are obsolete)
//  5  CONTROL
export const reserveReleaseLayout = struct('RESERVE(6)/RELEASE(6) CDB', 6, {
  opcode: { offset: 0, type: u8 },
  control: { offset: 5, type: u8 },
});

export function reserve6(): ScsiRequest {
  return noData(reserveReleaseLayout.encode({ opcode: OPCODE.RESERVE_6, control: 0 }));
}

export function release6(): ScsiRequest {
  return noData(reserveReleaseLayout.encode({ opcode: OPCODE.RELEASE_6, control: 0 }));
}

// ---------------------------------------------------------------------------
// MODE SENSE(10), SPC-4 §6.12
//  0  OPERATION CODE (5Ah)
//  1  LLBAA (4) | DBD (3)
//  2  PC (7:6) page control | PAGE CODE (5:0); 3Fh = all pages
//  3  SUBPAGE CODE
//  4-6 reserved
//  7-8 ALLOCATION LENGTH (u16)
//  9  CONTROL
// MMC devices use no block descriptors (the parser skips any, e.g. QEMU's),
// so DBD only matters to drives that reject it: it defaults to 0, as libburn
// sends it.
export const modeSense10Layout = struct('MODE SENSE(10) CDB', 10, {
  opcode: { offset: 0, type: u8 },
  flags: { offset: 1, type: u8 },
  page: { offset: 2, type: u8 },
  subpage: { offset: 3, type: u8 },
  allocationLength: { offset: 7, type: 'u16be' },
  control: { offset: 9, type: u8 },
});

/** MODE SENSE page control (SPC-4 §6.12.3). */
export const PageControl = {
  Current: 0,
  Changeable: 1,
  Default: 2,
  Saved: 3,
} as const;

export interface ModeSense10Params {
  readonly pageCode: number;
  readonly subpageCode: number;
  readonly pageControl: number;
  readonly disableBlockDescriptors: boolean;
  readonly allocationLength: number;
}

export function modeSense10(
  params: Partial<ModeSense10Params> & { readonly pageCode: number },
): ScsiRequest {
  const subpageCode = params.subpageCode ?? 0;
  const pageControl = params.pageControl ?? PageControl.Current;
  const allocationLength = params.allocationLength ?? 256;
  checkInt('mode page code', params.pageCode, 0, 0x3f);
  checkInt('mode subpage code', subpageCode, 0, 0xff);
  checkInt('page control', pageControl, 0, 3);
  checkInt('MODE SENSE allocation length', allocationLength, 8, 0xffff);
  return dataIn(
    modeSense10Layout.encode({
      opcode: OPCODE.MODE_SENSE_10,
      flags: flag(params.disableBlockDescriptors ?? false, 3),
      page: (pageControl << 6) | params.pageCode,
      subpage: subpageCode,
      allocationLength,
      control: 0,
    }),
    allocationLength,
  );
}

// ---------------------------------------------------------------------------
// MODE SELECT(10), SPC-4 §6.10
//  0  OPERATION CODE (55h)
//  1  PF (4) = 1: pages follow the standard format | SP (0): save pages
//  2-6 reserved
//  7-8 PARAMETER LIST LENGTH (u16)
//  9  CONTROL
// The parameter list is an 8-byte header (mode data length reserved = 0) and
// pages with PS = 0: see encodeModeParameterList(list, { select: true }).
export const modeSelect10Layout = struct('MODE SELECT(10) CDB', 10, {
  opcode: { offset: 0, type: u8 },
  flags: { offset: 1, type: u8 },
  parameterListLength: { offset: 7, type: 'u16be' },
  control: { offset: 9, type: u8 },
});

export interface ModeSelect10Cdb {
  readonly pageFormat: boolean;
  readonly savePages: boolean;
  readonly parameterListLength: number;
}

export function modeSelect10(
  parameterList: Uint8Array,
  options: { readonly savePages?: boolean } = {},
): ScsiRequest {
  checkInt('MODE SELECT parameter list length', parameterList.length, 8, 0xffff);
  return dataOut(
    modeSelect10Layout.encode({
      opcode: OPCODE.MODE_SELECT_10,
      flags: 0x10 | flag(options.savePages ?? false, 0),
      parameterListLength: parameterList.length,
      control: 0,
    }),
    parameterList,
  );
}
