/**
 * Command Block Wrapper and Command Status Wrapper, USB MSC Bulk-Only
 * Transport rev 1.0 §5.1 and §5.2. Both are little-endian.
 */
import { DecodeError } from '../errors.ts';
import { struct } from '../struct.ts';

export const CBW_SIGNATURE = 0x43425355; // "USBC" read as u32le
export const CSW_SIGNATURE = 0x53425355; // "USBS" read as u32le
export const CBW_LENGTH = 31;
export const CSW_LENGTH = 13;

/** bmCBWFlags bit 7 (§5.1): 1 = data-in (device to host). */
export const Direction = {
  None: 'none',
  In: 'in',
  Out: 'out',
} as const;
export type Direction = (typeof Direction)[keyof typeof Direction];

/** bCSWStatus (§5.2, table 5.3). */
export const CswStatus = {
  Passed: 0,
  Failed: 1,
  PhaseError: 2,
} as const;
export type CswStatus = (typeof CswStatus)[keyof typeof CswStatus];

//  0  dCBWSignature            u32le  "USBC"
//  4  dCBWTag                  u32le  echoed in the CSW
//  8  dCBWDataTransferLength   u32le
// 12  bmCBWFlags               u8     bit7 = data-in, bits 6:0 reserved (0)
// 13  bCBWLUN                  u8     bits 3:0, bits 7:4 reserved (0)
// 14  bCBWCBLength             u8     1..16, bits 7:5 reserved (0)
// 15  CBWCB                    16 bytes, unused bytes zero
const cbwLayout = struct('CBW', CBW_LENGTH, {
  signature: { offset: 0, type: 'u32le' },
  tag: { offset: 4, type: 'u32le' },
  dataTransferLength: { offset: 8, type: 'u32le' },
  flags: { offset: 12, type: 'u8' },
  lun: { offset: 13, type: 'u8' },
  cbLength: { offset: 14, type: 'u8' },
  cb: { offset: 15, type: { bytes: 16 } },
});

//  0  dCSWSignature    u32le  "USBS"
//  4  dCSWTag          u32le  = dCBWTag
//  8  dCSWDataResidue  u32le  <= dCBWDataTransferLength
// 12  bCSWStatus       u8     0 passed, 1 failed, 2 phase error
const cswLayout = struct('CSW', CSW_LENGTH, {
  signature: { offset: 0, type: 'u32le' },
  tag: { offset: 4, type: 'u32le' },
  residue: { offset: 8, type: 'u32le' },
  status: { offset: 12, type: 'u8' },
});

export interface Cbw {
  readonly tag: number;
  readonly dataTransferLength: number;
  readonly direction: Direction;
  readonly lun: number;
  readonly cdb: Uint8Array;
}

export interface Csw {
  readonly tag: number;
  readonly residue: number;
  readonly status: number;
}

export function encodeCbw(cbw: Cbw): Uint8Array<ArrayBuffer> {
  if (cbw.cdb.length < 1 || cbw.cdb.length > 16) {
    throw new RangeError(`CDB length ${cbw.cdb.length} is outside 1..16`);
  }
  if (!Number.isInteger(cbw.lun) || cbw.lun < 0 || cbw.lun > 15) {
    throw new RangeError(`LUN ${cbw.lun} is outside 0..15`);
  }
  if ((cbw.direction === Direction.None) !== (cbw.dataTransferLength === 0)) {
    throw new RangeError('a data phase needs a direction and a non-zero length, and only then');
  }
  return cbwLayout.encode({
    signature: CBW_SIGNATURE,
    tag: cbw.tag,
    dataTransferLength: cbw.dataTransferLength,
    flags: cbw.direction === Direction.In ? 0x80 : 0,
    lun: cbw.lun,
    cbLength: cbw.cdb.length,
    cb: cbw.cdb,
  });
}

/**
 * Device-side decode with the spec's checks. §6.2.1 "valid": 31 bytes and the
 * signature. §6.2.2 "meaningful": reserved bits zero, LUN supported, CB length
 * 1..16. The caller (a device) decides what to do with each failure, so the
 * two are reported separately.
 */
export function decodeCbw(bytes: Uint8Array): Cbw & { readonly meaningful: boolean } {
  if (bytes.length !== CBW_LENGTH) {
    throw new DecodeError(`CBW must be ${CBW_LENGTH} bytes, got ${bytes.length}`);
  }
  const raw = cbwLayout.decode(bytes);
  if (raw.signature !== CBW_SIGNATURE) {
    throw new DecodeError(`CBW signature 0x${raw.signature.toString(16)} is not "USBC"`);
  }
  const meaningful =
    (raw.flags & 0x7f) === 0 &&
    (raw.lun & 0xf0) === 0 &&
    (raw.cbLength & 0xe0) === 0 &&
    raw.cbLength >= 1 &&
    raw.cbLength <= 16;
  const cbLength = Math.min(Math.max(raw.cbLength & 0x1f, 1), 16);
  return {
    tag: raw.tag,
    dataTransferLength: raw.dataTransferLength,
    direction:
      raw.dataTransferLength === 0
        ? Direction.None
        : raw.flags & 0x80
          ? Direction.In
          : Direction.Out,
    lun: raw.lun & 0x0f,
    cdb: raw.cb.slice(0, cbLength),
    meaningful,
  };
}

export function encodeCsw(csw: Csw): Uint8Array<ArrayBuffer> {
  return cswLayout.encode({ signature: CSW_SIGNATURE, ...csw });
}

/**
 * Host-side decode. Throws DecodeError for anything §6.3 calls invalid (wrong
 * length or signature); tag and residue checks need the CBW, see the transport.
 */
export function decodeCsw(bytes: Uint8Array): Csw {
  if (bytes.length !== CSW_LENGTH) {
    throw new DecodeError(`CSW must be ${CSW_LENGTH} bytes, got ${bytes.length}`);
  }
  const raw = cswLayout.decode(bytes);
  if (raw.signature !== CSW_SIGNATURE) {
    throw new DecodeError(`CSW signature 0x${raw.signature.toString(16)} is not "USBS"`);
  }
  return { tag: raw.tag, residue: raw.residue, status: raw.status };
}

/** True when `bytes` is exactly a well-formed CSW (used to spot case-"device skipped data"). */
export function looksLikeCsw(bytes: Uint8Array): boolean {
  return (
    bytes.length === CSW_LENGTH &&
    bytes[0] === 0x55 &&
    bytes[1] === 0x53 &&
    bytes[2] === 0x42 &&
    bytes[3] === 0x53
  );
}
