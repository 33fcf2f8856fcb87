/**
 * The descriptor tag that starts every UDF descriptor (ECMA-167 3/7.2):
 * what the descriptor is, a checksum of the tag, a CRC of the rest, and the
 * block the descriptor claims to be in (so a reader can tell a stale copy).
 */
import { layout, u16le, u32le, u8 } from '../binary/layout.ts';
import { DecodeError } from '../errors.ts';
import { crcItu } from './crc.ts';

/** ECMA-167 3/7.2.1 and 4/7.2.1 tag identifiers. */
export const TagId = {
  primaryVolumeDescriptor: 1,
  anchorVolumeDescriptorPointer: 2,
  volumeDescriptorPointer: 3,
  implementationUseVolumeDescriptor: 4,
  partitionDescriptor: 5,
  logicalVolumeDescriptor: 6,
  unallocatedSpaceDescriptor: 7,
  terminatingDescriptor: 8,
  logicalVolumeIntegrityDescriptor: 9,
  fileSetDescriptor: 256,
  fileIdentifierDescriptor: 257,
  allocationExtentDescriptor: 258,
  indirectEntry: 259,
  terminalEntry: 260,
  fileEntry: 261,
  extendedAttributeHeaderDescriptor: 262,
  unallocatedSpaceEntry: 263,
  spaceBitmapDescriptor: 264,
  partitionIntegrityEntry: 265,
  extendedFileEntry: 266,
} as const;

export const descriptorTag = layout('DescriptorTag', 16, {
  identifier: [0, u16le],
  version: [2, u16le],
  checksum: [4, u8],
  serialNumber: [6, u16le],
  crc: [8, u16le],
  crcLength: [10, u16le],
  location: [12, u32le],
});
export type DescriptorTag = ReturnType<typeof descriptorTag.decode>;

/** A tag to encode a descriptor with; `sealTag` then fills it in. */
export const BLANK_TAG: DescriptorTag = {
  identifier: 0,
  version: 0,
  checksum: 0,
  serialNumber: 0,
  crc: 0,
  crcLength: 0,
  location: 0,
};

/** UDF 1.02 records descriptor version 2 (NSR02); UDF 2.00 and later, 3 (see `UdfRevision`). */
export const DESCRIPTOR_VERSION = 2;

function checksum(b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < 16; i++) if (i !== 4) s += b[i] ?? 0;
  return s & 0xff;
}

/**
 * Fills in the tag of an encoded descriptor in place: identifier, location,
 * the CRC over everything after the tag (3/7.2.6), then the checksum (3/7.2.3).
 */
export function sealTag(
  d: Uint8Array,
  identifier: number,
  location: number,
  version: number = DESCRIPTOR_VERSION,
): Uint8Array {
  const crcLength = d.length - 16;
  descriptorTag.encodeInto(
    {
      identifier,
      version,
      checksum: 0,
      serialNumber: 1,
      crc: crcItu(d.subarray(16)),
      crcLength,
      location,
    },
    d,
    0,
  );
  d[4] = checksum(d);
  return d;
}

/** Reads and checks a tag: checksum, CRC, and (when given) the expected identifier and location. */
export function verifyTag(
  d: Uint8Array,
  expect?: { identifier?: number; location?: number },
): DescriptorTag {
  const t = descriptorTag.decode(d);
  if (checksum(d) !== t.checksum) throw new DecodeError(`tag ${t.identifier}: bad checksum`);
  if (16 + t.crcLength > d.length)
    throw new DecodeError(`tag ${t.identifier}: CRC length overruns`);
  if (crcItu(d.subarray(16, 16 + t.crcLength)) !== t.crc)
    throw new DecodeError(`tag ${t.identifier}: bad CRC`);
  if (expect?.identifier !== undefined && t.identifier !== expect.identifier) {
    throw new DecodeError(`expected tag ${expect.identifier}, found ${t.identifier}`);
  }
  if (expect?.location !== undefined && t.location !== expect.location) {
    throw new DecodeError(
      `tag ${t.identifier} claims block ${t.location}, found at ${expect.location}`,
    );
  }
  return t;
}
