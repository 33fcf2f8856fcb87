/**
 * Small helpers shared by the SCSI/MMC codecs: big-endian field access with
 * bounds checks that throw DecodeError, argument checks that throw RangeError,
 * hand-written ASCII (this realm has no TextDecoder), CDB checks, and the CD
 * MSF address form.
 *
 * How parsers treat lengths (the rule every codec in scsi/ follows): a
 * response's own header says how long it is, because devices may zero-pad
 * data-in up to the allocation length and report residue 0 (protocol notes,
 * "Quirks"). A parser reads only up to that declared length and throws
 * DecodeError when the bytes it needs are missing. When a variable-length
 * response (feature list, TOC, mode pages) is cut short, the error is a
 * TruncatedResponseError carrying the length to ask for again (MMC-6 §4.1.8.3:
 * the device truncates at the allocation length but still reports the full
 * length).
 */
import { DecodeError } from '../errors.ts';

/** The response is shorter than its own header says; re-issue with `needed` bytes. */
export class TruncatedResponseError extends DecodeError {
  readonly needed: number;
  readonly got: number;
  constructor(what: string, needed: number, got: number) {
    super(`${what}: header declares ${needed} bytes, got ${got}`);
    this.needed = needed;
    this.got = got;
  }
}

export function u16(data: Uint8Array, offset: number): number {
  return ((data[offset] ?? 0) << 8) | (data[offset + 1] ?? 0);
}

export function u24(data: Uint8Array, offset: number): number {
  return ((data[offset] ?? 0) << 16) | ((data[offset + 1] ?? 0) << 8) | (data[offset + 2] ?? 0);
}

export function u32(data: Uint8Array, offset: number): number {
  return (
    (((data[offset] ?? 0) << 24) >>> 0) +
    (((data[offset + 1] ?? 0) << 16) | ((data[offset + 2] ?? 0) << 8) | (data[offset + 3] ?? 0))
  );
}

export function putU16(out: Uint8Array, offset: number, value: number): void {
  out[offset] = (value >>> 8) & 0xff;
  out[offset + 1] = value & 0xff;
}

export function putU24(out: Uint8Array, offset: number, value: number): void {
  out[offset] = (value >>> 16) & 0xff;
  out[offset + 1] = (value >>> 8) & 0xff;
  out[offset + 2] = value & 0xff;
}

export function putU32(out: Uint8Array, offset: number, value: number): void {
  out[offset] = (value >>> 24) & 0xff;
  out[offset + 1] = (value >>> 16) & 0xff;
  out[offset + 2] = (value >>> 8) & 0xff;
  out[offset + 3] = value & 0xff;
}

/** Bit `n` (0 = least significant) of `byte`. */
export function bit(byte: number | undefined, n: number): boolean {
  return (((byte ?? 0) >>> n) & 1) === 1;
}

/** `1 << n` when `flag`, else 0: for building flag bytes. */
export function flag(value: boolean, n: number): number {
  return value ? 1 << n : 0;
}

/** Throws RangeError unless `value` is an integer in `min..max`. */
export function checkInt(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} ${String(value)} is outside ${min}..${max}`);
  }
}

/** Throws DecodeError unless `data` has at least `needed` bytes. */
export function need(what: string, data: Uint8Array, needed: number): void {
  if (data.length < needed) {
    throw new DecodeError(`${what}: need ${needed} bytes, got ${data.length}`);
  }
}

/**
 * The total length a response declares in a big-endian length field at byte 0
 * that counts the bytes after itself (READ TOC, READ DISC INFORMATION, MODE
 * SENSE(10), GET EVENT STATUS NOTIFICATION, ...: `fieldBytes` 2; GET
 * CONFIGURATION: 4). Throws DecodeError when the field itself is missing or
 * declares less than `minimum`.
 */
export function declaredLength(
  what: string,
  data: Uint8Array,
  fieldBytes: 2 | 4,
  minimum: number,
): number {
  need(what, data, fieldBytes);
  const total = (fieldBytes === 2 ? u16(data, 0) : u32(data, 0)) + fieldBytes;
  if (total < minimum) {
    throw new DecodeError(`${what}: header declares ${total} bytes, less than ${minimum}`);
  }
  return total;
}

/** Throws TruncatedResponseError unless all `total` declared bytes are present. */
export function needDeclared(what: string, data: Uint8Array, total: number): void {
  if (data.length < total) throw new TruncatedResponseError(what, total, data.length);
}

/**
 * ASCII from a fixed-width field (SPC-4 §4.4.1: printable ASCII, space padded).
 * NULs count as padding (some bridges pad with them); other bytes outside
 * 20h..7Eh become '?' so the result is always printable. Trimmed both sides.
 */
export function readAscii(data: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end && i < data.length; i++) {
    const b = data[i]!;
    text += b === 0 ? ' ' : b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : '?';
  }
  return text.trim();
}

/** Writes `text` space-padded into `width` bytes; RangeError if too long or not printable ASCII. */
export function writeAscii(
  out: Uint8Array,
  offset: number,
  width: number,
  text: string,
  name: string,
): void {
  if (text.length > width) {
    throw new RangeError(`${name} "${text}" is longer than ${width} characters`);
  }
  for (let i = 0; i < width; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 0x20;
    if (code < 0x20 || code > 0x7e) {
      throw new RangeError(`${name} "${text}" is not printable ASCII`);
    }
    out[offset + i] = code;
  }
}

/** A CD address in minutes, seconds, frames (75 frames a second). */
export interface Msf {
  readonly minute: number;
  readonly second: number;
  readonly frame: number;
}

/**
 * MSF to LBA, MMC-6 §6.26.3 / ECMA-130: LBA 0 is 00:02:00 (the 150-frame
 * pre-gap). Minutes 90..99 address the lead-in, which lies before LBA 0, so
 * those map to negative LBAs (the convention drives use for ATIP lead-in start
 * times, and libburn's burn_msf_to_lba).
 */
export function msfToLba(msf: Msf): number {
  const frames = (msf.minute * 60 + msf.second) * 75 + msf.frame;
  return msf.minute >= 90 ? frames - 450150 : frames - 150;
}

/** LBA to MSF, the inverse of msfToLba; RangeError outside -45150..404849. */
export function lbaToMsf(lba: number): Msf {
  checkInt('LBA for MSF', lba, -45150, 404849);
  const frames = lba >= -150 ? lba + 150 : lba + 450150;
  return {
    minute: Math.floor(frames / 4500),
    second: Math.floor(frames / 75) % 60,
    frame: frames % 75,
  };
}
