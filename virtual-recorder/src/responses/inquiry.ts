/**
 * INQUIRY (SPC-4 §6.4) and READ CAPACITY (MMC-6 §6.23) data.
 */
import { asciiField, put16, put32 } from './fields.ts';

// ---- INQUIRY (SPC-4 §6.4) ----------------------------------------------------

export interface Identity {
  readonly vendor: string;
  readonly product: string;
  readonly revision: string;
  readonly serial: string;
}

/**
 * Standard INQUIRY data, 36 bytes (SPC-4 §6.4.2):
 *  0  PERIPHERAL QUALIFIER(7:5) | DEVICE TYPE(4:0) = 05h (MMC), or 7Fh for an absent LUN
 *  1  RMB(7) = 1 removable
 *  2  VERSION = 05h (SPC-3)
 *  3  NORMACA(5) HISUP(4) | RESPONSE DATA FORMAT(3:0) = 2
 *  4  ADDITIONAL LENGTH = 31
 *  8  T10 VENDOR IDENTIFICATION (8 ASCII)   16 PRODUCT IDENTIFICATION (16)   32 PRODUCT REVISION LEVEL (4)
 */
export function standardInquiry(id: Identity, lunPresent: boolean): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(36);
  b[0] = lunPresent ? 0x05 : 0x7f;
  b[1] = 0x80;
  b[2] = 0x05;
  b[3] = 0x02;
  b[4] = 36 - 5;
  asciiField(b, 8, id.vendor, 8);
  asciiField(b, 16, id.product, 16);
  asciiField(b, 32, id.revision, 4);
  return b;
}

/**
 * Vital product data (SPC-4 §7.8): 00h supported pages, 80h unit serial number.
 *  0 DEVICE TYPE  1 PAGE CODE  2-3 PAGE LENGTH  4.. page data
 */
export function vpdPage(page: number, id: Identity): Uint8Array<ArrayBuffer> | undefined {
  if (page === 0x00) return Uint8Array.of(0x05, 0x00, 0x00, 2, 0x00, 0x80);
  if (page === 0x80) {
    const b = new Uint8Array(4 + id.serial.length);
    b[0] = 0x05;
    b[1] = 0x80;
    put16(b, 2, id.serial.length);
    asciiField(b, 4, id.serial, id.serial.length);
    return b;
  }
  return undefined;
}

// ---- READ CAPACITY (MMC-6 §6.23) -----------------------------------------------

/** 0-3 LOGICAL BLOCK ADDRESS of the last readable block, 4-7 BLOCK LENGTH = 2048. */
export function readCapacity(lastLba: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(8);
  put32(b, 0, lastLba >>> 0);
  put32(b, 4, 2048);
  return b;
}
