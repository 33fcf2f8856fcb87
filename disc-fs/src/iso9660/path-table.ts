/**
 * ISO 9660 path tables (ECMA-119 9.4): one record per directory, ordered by
 * level, then parent number, then identifier (9.4 and 6.9.1); the L table is
 * little-endian, the M table big-endian (9.4.3, 9.4.4).
 */
import { layout, u16be, u16le, u32be, u32le, u8 } from '../binary/layout.ts';
import { DecodeError } from '../errors.ts';

const pathTableHeaderL = layout('PathTableRecordL', 8, {
  identifierLength: [0, u8],
  extAttrLength: [1, u8],
  extent: [2, u32le],
  parent: [6, u16le],
});
const pathTableHeaderM = layout('PathTableRecordM', 8, {
  identifierLength: [0, u8],
  extAttrLength: [1, u8],
  extent: [2, u32be],
  parent: [6, u16be],
});

export interface PathTableRecord {
  extent: number;
  /** 1-based number of the parent's record; the root is its own parent (9.4.6). */
  parent: number;
  /** The directory identifier; the root's is one 0x00 byte (6.8.2.2). */
  identifier: Uint8Array;
}

export type ByteOrder = 'L' | 'M';

/** 9.4.7 to 9.4.8: header, identifier, and a pad byte when the identifier length is odd. */
export function pathTableRecordLength(identifierLength: number): number {
  return 8 + identifierLength + (identifierLength % 2);
}

export function encodePathTableRecord(
  r: PathTableRecord,
  order: ByteOrder,
  out: Uint8Array,
  offset: number,
): number {
  const h = order === 'L' ? pathTableHeaderL : pathTableHeaderM;
  h.encodeInto(
    { identifierLength: r.identifier.length, extAttrLength: 0, extent: r.extent, parent: r.parent },
    out,
    offset,
  );
  out.set(r.identifier, offset + 8);
  return pathTableRecordLength(r.identifier.length);
}

export function decodePathTable(
  bytes: Uint8Array,
  size: number,
  order: ByteOrder,
): PathTableRecord[] {
  const h = order === 'L' ? pathTableHeaderL : pathTableHeaderM;
  const out: PathTableRecord[] = [];
  let o = 0;
  while (o < size) {
    if (o + 8 > bytes.length) throw new DecodeError(`path table record at ${o} overruns`);
    const r = h.decode(bytes.subarray(o, o + 8));
    if (r.identifierLength === 0) throw new DecodeError(`empty path table record at ${o}`);
    out.push({
      extent: r.extent,
      parent: r.parent,
      identifier: bytes.slice(o + 8, o + 8 + r.identifierLength),
    });
    o += pathTableRecordLength(r.identifierLength);
  }
  return out;
}
