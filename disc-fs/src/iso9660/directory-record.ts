/**
 * ISO 9660 directory records (ECMA-119 9.1), used unchanged by Joliet
 * directories and carrying the SUSP/Rock Ridge system use area.
 */
import { layout, u16both, u32both, u8 } from '../binary/layout.ts';
import { DecodeError } from '../errors.ts';
import { recordingDate, type Time } from './dates.ts';

/** ECMA-119 9.1.6 file flags. */
export const FileFlags = {
  hidden: 0x01,
  directory: 0x02,
  associated: 0x04,
  record: 0x08,
  protection: 0x10,
  /** This record is not the file's final extent (level 3 multi-extent files, 6.5.1). */
  multiExtent: 0x80,
} as const;

/** A directory record can hold at most 255 bytes (its length is one byte, 9.1.1). */
export const MAX_RECORD = 255;
/** The fixed part before the file identifier (9.1.1 to 9.1.11). */
export const RECORD_HEADER = 33;

export const directoryRecordHeader = layout('DirectoryRecordHeader', RECORD_HEADER, {
  length: [0, u8],
  extAttrLength: [1, u8],
  extent: [2, u32both],
  dataLength: [10, u32both],
  recorded: [18, recordingDate],
  flags: [25, u8],
  fileUnitSize: [26, u8],
  interleaveGap: [27, u8],
  volumeSequenceNumber: [28, u16both],
  identifierLength: [32, u8],
});

export interface DirectoryRecord {
  extent: number;
  dataLength: number;
  recorded: Time;
  flags: number;
  /** The file identifier's bytes: d-characters with ";1" (ISO), UCS-2 (Joliet), 0x00/0x01 for "."/"..". */
  identifier: Uint8Array;
  /** SUSP entries (Rock Ridge), possibly with one trailing pad byte. */
  systemUse: Uint8Array;
}

/** Bytes before the system use area: header, identifier, and the pad byte of 9.1.12. */
export function systemUseOffset(identifierLength: number): number {
  return RECORD_HEADER + identifierLength + (identifierLength % 2 === 0 ? 1 : 0);
}

/**
 * Total length of a record: the system use area starts on an even offset
 * and the record is padded to an even length, as mkisofs and libisofs do
 * (readers step from record to record by this length).
 */
export function recordLength(identifierLength: number, systemUseLength: number): number {
  const n = systemUseOffset(identifierLength) + systemUseLength;
  return n + (n % 2);
}

export function encodeDirectoryRecord(r: DirectoryRecord): Uint8Array {
  const length = recordLength(r.identifier.length, r.systemUse.length);
  if (length > MAX_RECORD) throw new RangeError(`directory record of ${length} bytes`);
  const out = new Uint8Array(length);
  directoryRecordHeader.encodeInto(
    {
      length,
      extAttrLength: 0,
      extent: r.extent,
      dataLength: r.dataLength,
      recorded: r.recorded,
      flags: r.flags,
      fileUnitSize: 0,
      interleaveGap: 0,
      volumeSequenceNumber: 1,
      identifierLength: r.identifier.length,
    },
    out,
    0,
  );
  out.set(r.identifier, RECORD_HEADER);
  out.set(r.systemUse, systemUseOffset(r.identifier.length));
  return out;
}

/**
 * Reads the record at `offset`; `undefined` where a zero length byte marks
 * the unused end of a sector (6.8.1.1: records never cross a sector).
 */
export function decodeDirectoryRecord(
  bytes: Uint8Array,
  offset = 0,
): { record: DirectoryRecord; length: number } | undefined {
  const length = bytes[offset] ?? 0;
  if (length === 0) return undefined;
  if (length < RECORD_HEADER + 1 || offset + length > bytes.length) {
    throw new DecodeError(`directory record of ${length} bytes at ${offset}`);
  }
  const at = bytes.subarray(offset, offset + length);
  const h = directoryRecordHeader.decode(at);
  const suStart = systemUseOffset(h.identifierLength);
  if (RECORD_HEADER + h.identifierLength > length) {
    throw new DecodeError(`identifier of ${h.identifierLength} bytes overruns its record`);
  }
  return {
    length,
    record: {
      extent: h.extent,
      dataLength: h.dataLength,
      recorded: h.recorded,
      flags: h.flags,
      identifier: at.slice(RECORD_HEADER, RECORD_HEADER + h.identifierLength),
      systemUse: suStart < length ? at.slice(suStart) : new Uint8Array(0),
    },
  };
}

/** Every record of a directory extent, skipping the zero tail of each sector. */
export function* decodeDirectoryExtent(
  extent: Uint8Array,
  sector = 2048,
): Generator<DirectoryRecord> {
  let o = 0;
  while (o < extent.length) {
    const r = decodeDirectoryRecord(extent, o);
    if (!r) {
      o = (Math.floor(o / sector) + 1) * sector;
      continue;
    }
    yield r.record;
    o += r.length;
  }
}
