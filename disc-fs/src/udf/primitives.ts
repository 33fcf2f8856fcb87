/**
 * The small structures UDF descriptors are made of (ECMA-167 part 1 and
 * 4/14.14, UDF 1.02 2.1): OSTA CS0 strings, character set specifications,
 * entity identifiers, timestamps, extent and allocation descriptors.
 */
import {
  bytes,
  type Codec,
  i16le,
  layout,
  nested,
  u16le,
  u32le,
  u8,
  text,
} from '../binary/layout.ts';
import {
  latin1Decode,
  latin1Encode,
  truncateUnits,
  utf16beDecode,
  utf16beEncode,
} from '../binary/text.ts';
import { DecodeError } from '../errors.ts';
import { isLatin1 } from './names.ts';

/**
 * OSTA Compressed Unicode (UDF 1.02 2.1.1): a compression ID, 8 (one byte
 * per character, U+0000..U+00FF) or 16 (UCS-2 big-endian), then the
 * characters. The empty string is zero bytes.
 */
export function encodeCS0(s: string): Uint8Array {
  if (s === '') return new Uint8Array(0);
  const body = isLatin1(s) ? latin1Encode(s) : utf16beEncode(s);
  const out = new Uint8Array(body.length + 1);
  out[0] = isLatin1(s) ? 8 : 16;
  out.set(body, 1);
  return out;
}

export function decodeCS0(b: Uint8Array): string {
  if (b.length === 0) return '';
  if (b[0] === 8) return latin1Decode(b.subarray(1));
  if (b[0] === 16) return utf16beDecode(b.subarray(1));
  throw new DecodeError(`CS0 compression ID ${String(b[0])}`);
}

/**
 * A dstring (ECMA-167 1/7.2.12): CS0 bytes in a fixed field whose last byte
 * holds their length. Characters that do not fit are dropped from the end.
 */
export function dstring(size: number): Codec<string> {
  return {
    size,
    write(out, _v, o, value) {
      let s = value;
      let b = encodeCS0(s);
      while (b.length > size - 1) {
        s = truncateUnits(s, s.length - 1); // never half a surrogate pair
        b = encodeCS0(s);
      }
      out.fill(0, o, o + size);
      out.set(b, o);
      out[o + size - 1] = b.length;
    },
    read(b, _v, o) {
      const n = b[o + size - 1] ?? 0;
      return n === 0 ? '' : decodeCS0(b.subarray(o, o + Math.min(n, size - 1)));
    },
  };
}

/** ECMA-167 1/7.2.1 charspec; UDF 1.02 2.1.2 always uses CS0 "OSTA Compressed Unicode". */
export const charspec = layout('Charspec', 64, {
  type: [0, u8],
  info: [1, text(63, 0)],
});
export const OSTA_CS0 = { type: 0, info: 'OSTA Compressed Unicode' };

/** ECMA-167 1/7.4 entity identifier (regid); UDF 1.02 2.1.5 says what goes in the suffix. */
export const regid = layout('EntityId', 32, {
  flags: [0, u8],
  identifier: [1, text(23, 0)],
  suffix: [24, bytes(8)],
});
export type EntityId = ReturnType<typeof regid.decode>;

/** UDF revision 1.02, as recorded in domain and UDF entity suffixes (BCD 0x0102). */
export const UDF_REVISION = 0x0102;

/**
 * What changes with the UDF revision written: the revision in every suffix
 * (UDF 2.1.5.3), the descriptor tag version (ECMA-167 3/7.2.2: 2 for the
 * NSR02 volumes of UDF 1.02, 3 for NSR03 from UDF 2.00 on) and the
 * recognition and partition contents identifier.
 */
export interface UdfRevision {
  /** BCD: 0x0102 or 0x0250. */
  readonly revision: number;
  readonly descriptorVersion: 2 | 3;
  /** "NSR02" or "NSR03" (ECMA-167 2/9.1, 3/10.5.3). */
  readonly nsr: 'NSR02' | 'NSR03';
}
export const UDF_102: UdfRevision = { revision: 0x0102, descriptorVersion: 2, nsr: 'NSR02' };
export const UDF_250: UdfRevision = { revision: 0x0250, descriptorVersion: 3, nsr: 'NSR03' };

const revisionBytes = (rev: number): [number, number] => [rev & 0xff, rev >> 8];

/** Domain suffix (UDF 2.1.5.3): revision, then domain flags (no write protection). */
export function domainId(rev = UDF_REVISION): EntityId {
  return {
    flags: 0,
    identifier: '*OSTA UDF Compliant',
    suffix: Uint8Array.of(...revisionBytes(rev), 0),
  };
}
/** UDF entity suffix (2.1.5.3): revision, OS class, OS identifier (0: undefined). */
export function udfEntityId(identifier: string, rev = UDF_REVISION): EntityId {
  return { flags: 0, identifier, suffix: Uint8Array.of(...revisionBytes(rev), 0, 0) };
}
/** The revision a domain or UDF entity suffix records. */
export function suffixRevision(id: EntityId): number {
  return (id.suffix[0] ?? 0) | ((id.suffix[1] ?? 0) << 8);
}
/** Implementation entity (2.1.5.2): who wrote the volume. */
export function implementationId(): EntityId {
  return { flags: 0, identifier: '*webdisc', suffix: new Uint8Array(8) };
}

/**
 * ECMA-167 1/7.3 timestamp. Type 1 (local time) with a time zone offset of 0
 * minutes records UTC, which keeps images independent of the machine's zone.
 */
export const timestamp = layout('Timestamp', 12, {
  typeAndTimezone: [0, u16le],
  year: [2, i16le],
  month: [4, u8],
  day: [5, u8],
  hour: [6, u8],
  minute: [7, u8],
  second: [8, u8],
  centiseconds: [9, u8],
  hundredsOfMicroseconds: [10, u8],
  microseconds: [11, u8],
});
export type Timestamp = ReturnType<typeof timestamp.decode>;

export function toTimestamp(ms: number): Timestamp {
  const d = new Date(Math.floor(ms));
  const sub = ms - Math.floor(ms / 1000) * 1000; // milliseconds within the second, with fraction
  const micros = Math.min(999_999, Math.round(sub * 1000));
  return {
    typeAndTimezone: 0x1000,
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    centiseconds: Math.floor(micros / 10000),
    hundredsOfMicroseconds: Math.floor(micros / 100) % 100,
    microseconds: micros % 100,
  };
}

export function fromTimestamp(t: Timestamp): number {
  let tz = t.typeAndTimezone & 0xfff;
  if (tz & 0x800) tz -= 0x1000;
  if (tz === -2047) tz = 0; // "not specified"
  const utc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  return (
    utc + t.centiseconds * 10 + t.hundredsOfMicroseconds / 10 + t.microseconds / 1000 - tz * 60_000
  );
}

/** ECMA-167 3/7.1 extent_ad: a run of sectors in the volume. */
export const extentAd = layout('ExtentAd', 8, { length: [0, u32le], location: [4, u32le] });

/** ECMA-167 4/7.1 lb_addr: a block within a partition. */
export const lbAddr = layout('LbAddr', 6, { block: [0, u32le], partition: [4, u16le] });

/** ECMA-167 4/14.14.1.1: the two top bits of an extent length say how it is recorded. */
export const ExtentType = { recorded: 0, allocated: 1, unallocated: 2, next: 3 } as const;

/** ECMA-167 4/14.14.1 short_ad: a partition-relative extent. */
export const shortAd = layout('ShortAd', 8, { length: [0, u32le], position: [4, u32le] });

/**
 * ECMA-167 4/14.14.2 long_ad. Its 6 implementation-use bytes hold, per UDF
 * 2.3.4.3, flags (2 bytes) and the low 32 bits of the target's unique ID.
 */
export const longAd = layout('LongAd', 16, {
  length: [0, u32le],
  location: [4, nested(lbAddr)],
  flags: [10, u16le],
  uniqueId: [12, u32le],
});
export type LongAd = ReturnType<typeof longAd.decode>;

/** A long_ad to `block` of partition reference `partition` (the index of its partition map). */
export function longAdTo(block: number, length: number, uniqueId = 0, partition = 0): LongAd {
  return { length, location: { block, partition }, flags: 0, uniqueId: uniqueId >>> 0 };
}
