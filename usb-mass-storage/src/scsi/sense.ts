/**
 * Sense data codecs (SPC-4 §4.5): fixed format (70h/71h) and descriptor
 * format (72h/73h), plus the sense-key-specific progress indicator
 * (SPC-4 §4.5.2.4.4) that BLANK and FORMAT UNIT report while NOT READY.
 */
import type { Sense } from '../../../contract/errors.ts';
import { DecodeError } from '../errors.ts';
import { TruncatedResponseError } from './bytes.ts';

export const SenseKey = {
  NoSense: 0x0,
  RecoveredError: 0x1,
  NotReady: 0x2,
  MediumError: 0x3,
  HardwareError: 0x4,
  IllegalRequest: 0x5,
  UnitAttention: 0x6,
  DataProtect: 0x7,
  BlankCheck: 0x8,
  AbortedCommand: 0xb,
  Miscompare: 0xe,
} as const;

/** A plain, structured-cloneable value (the contract's): it crosses Comlink inside ErrorValue. */
export type { Sense };

export const FIXED_SENSE_LENGTH = 18;

/**
 * Fixed format, SPC-4 §4.5.3:
 *  0  VALID(7) | RESPONSE CODE(6:0) = 70h current / 71h deferred
 *  2  FILEMARK(7) EOM(6) ILI(5) | SENSE KEY(3:0)
 *  3  INFORMATION (u32be)
 *  7  ADDITIONAL SENSE LENGTH (n - 7)
 * 12  ASC   13  ASCQ
 * 15  SKSV(7) | sense-key specific (15..17); progress = u16be at 16 for NOT READY
 */
export function encodeFixedSense(sense: Sense): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(FIXED_SENSE_LENGTH);
  const view = new DataView(out.buffer);
  out[0] = 0x70 | (sense.information !== undefined ? 0x80 : 0);
  out[2] = sense.key & 0x0f;
  if (sense.information !== undefined) view.setUint32(3, sense.information >>> 0);
  out[7] = FIXED_SENSE_LENGTH - 8;
  out[12] = sense.asc & 0xff;
  out[13] = sense.ascq & 0xff;
  if (sense.progress !== undefined) {
    out[15] = 0x80;
    view.setUint16(16, Math.max(0, Math.min(0xffff, Math.round(sense.progress))));
  }
  return out;
}

/**
 * Decodes fixed or descriptor sense. Devices may pad with zeros up to the
 * allocation length, so only the header's additional length is trusted.
 * Throws DecodeError for anything that is not sense data.
 */
export function decodeSense(bytes: Uint8Array): Sense {
  if (bytes.length < 1) throw new DecodeError('sense data is empty');
  const code = bytes[0]! & 0x7f;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (code === 0x70 || code === 0x71) {
    // SPC-4 §4.5.3: ADDITIONAL SENSE LENGTH (byte 7) is not reduced when the
    // allocation length cuts the data, so sense cut before ASC/ASCQ (bytes 12
    // and 13) that its header says are there is truncated, not "ASC 00h": a
    // cut 6/28/00 must not read as 6/00/00. A device that declares fewer
    // additional bytes has no ASC/ASCQ, and they read as 0 (as Linux's
    // scsi_normalize_sense does).
    if (bytes.length < 8) throw new TruncatedResponseError('fixed sense', 8, bytes.length);
    const key = bytes[2]! & 0x0f;
    const additional = bytes[7]!;
    const ascEnd = Math.min(8 + additional, 14);
    if (bytes.length < ascEnd)
      throw new TruncatedResponseError('fixed sense', ascEnd, bytes.length);
    const end = Math.min(bytes.length, 8 + additional);
    const asc = end > 12 ? bytes[12]! : 0;
    const ascq = end > 13 ? bytes[13]! : 0;
    const valid = (bytes[0]! & 0x80) !== 0 && bytes.length >= 7;
    const sksv = end >= 18 && (bytes[15]! & 0x80) !== 0;
    return {
      key,
      asc,
      ascq,
      information: valid ? view.getUint32(3) : undefined,
      progress: sksv && key === SenseKey.NotReady ? view.getUint16(16) : undefined,
    };
  }
  if (code === 0x72 || code === 0x73) {
    // Descriptor format, SPC-4 §4.5.2: key b1, ASC b2, ASCQ b3, length b7,
    // then descriptors (type, length, ...). Type 00h information, 02h SKS.
    if (bytes.length < 4)
      throw new DecodeError(`descriptor sense too short (${bytes.length} bytes)`);
    const key = bytes[1]! & 0x0f;
    let information: number | undefined;
    let progress: number | undefined;
    const end = bytes.length >= 8 ? Math.min(bytes.length, 8 + bytes[7]!) : 4;
    for (let i = 8; i + 2 <= end;) {
      const type = bytes[i]!;
      const len = bytes[i + 1]!;
      if (i + 2 + len > end) break;
      if (type === 0x00 && len >= 0x0a && (bytes[i + 2]! & 0x80) !== 0) {
        // 8-byte information; webdisc's LBAs fit the low 32 bits.
        information = view.getUint32(i + 8);
      } else if (
        type === 0x02 &&
        len >= 6 &&
        (bytes[i + 4]! & 0x80) !== 0 &&
        key === SenseKey.NotReady
      ) {
        progress = view.getUint16(i + 5);
      }
      i += 2 + len;
    }
    return { key, asc: bytes[2]!, ascq: bytes[3]!, information, progress };
  }
  throw new DecodeError(`unknown sense response code 0x${code.toString(16)}`);
}

/** Progress as a fraction 0..1, or undefined. */
export function senseProgress(sense: Sense): number | undefined {
  return sense.progress === undefined ? undefined : sense.progress / 65536;
}

/** "2/04/08" style, as drive logs print it. */
export function formatSenseTriple(sense: Pick<Sense, 'key' | 'asc' | 'ascq'>): string {
  const h = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');
  return `${sense.key.toString(16).toUpperCase()}/${h(sense.asc)}/${h(sense.ascq)}`;
}
