/**
 * UDF volume structure (ECMA-167 parts 2 and 3, UDF 1.02 2.2): the volume
 * recognition sequence, the anchor, the volume descriptor sequence, the
 * logical volume integrity descriptor, and the file set descriptor that
 * leads to the root directory. Each layout starts with its 16-byte tag,
 * filled in by `sealTag` (tag.ts).
 */
import { bytes, layout, nested, text, u16le, u32le, u64le, u8 } from '../binary/layout.ts';
import { descriptorTag } from './tag.ts';
import { charspec, dstring, extentAd, longAd, regid, timestamp } from './primitives.ts';

/**
 * ECMA-167 2/9.1 volume structure descriptor: the "BEA01", "NSR02" (UDF
 * 1.02; "NSR03" for 2.00 on) and "TEA01" sectors after the ISO 9660
 * descriptors, which tell a reader that UDF is present.
 */
export const volumeStructureDescriptor = layout('VolumeStructureDescriptor', 2048, {
  type: [0, u8],
  identifier: [1, text(5)],
  version: [6, u8],
});
export const VRS = { begin: 'BEA01', nsr02: 'NSR02', nsr03: 'NSR03', end: 'TEA01' } as const;

const tag = nested(descriptorTag);

/** ECMA-167 3/10.2 anchor volume descriptor pointer, at sector 256 and at the last sector. */
export const anchorVolumeDescriptorPointer = layout('AnchorVolumeDescriptorPointer', 512, {
  tag: [0, tag],
  mainVds: [16, nested(extentAd)],
  reserveVds: [24, nested(extentAd)],
});

/** ECMA-167 3/10.1 primary volume descriptor (UDF 1.02 2.2.2). */
export const udfPrimaryVolumeDescriptor = layout('UdfPrimaryVolumeDescriptor', 512, {
  tag: [0, tag],
  vdsNumber: [16, u32le],
  pvdNumber: [20, u32le],
  volumeId: [24, dstring(32)],
  volumeSequenceNumber: [56, u16le],
  maxVolumeSequenceNumber: [58, u16le],
  interchangeLevel: [60, u16le],
  maxInterchangeLevel: [62, u16le],
  characterSetList: [64, u32le],
  maxCharacterSetList: [68, u32le],
  volumeSetId: [72, dstring(128)],
  descriptorCharset: [200, nested(charspec)],
  explanatoryCharset: [264, nested(charspec)],
  volumeAbstract: [328, nested(extentAd)],
  volumeCopyright: [336, nested(extentAd)],
  applicationId: [344, nested(regid)],
  recorded: [376, nested(timestamp)],
  implementationId: [388, nested(regid)],
  implementationUse: [420, bytes(64)],
  predecessorVdsLocation: [484, u32le],
  flags: [488, u16le],
});

/** ECMA-167 3/10.4 implementation use volume descriptor with UDF 1.02 2.2.7's "LV Info". */
export const implementationUseVolumeDescriptor = layout('ImplementationUseVolumeDescriptor', 512, {
  tag: [0, tag],
  vdsNumber: [16, u32le],
  implementationId: [20, nested(regid)],
  lviCharset: [52, nested(charspec)],
  logicalVolumeId: [116, dstring(128)],
  lvInfo1: [244, dstring(36)],
  lvInfo2: [280, dstring(36)],
  lvInfo3: [316, dstring(36)],
  implementationIdOfLvInfo: [352, nested(regid)],
  implementationUse: [384, bytes(128)],
});

/** ECMA-167 3/10.5 partition descriptor (UDF 1.02 2.2.8); contents "+NSR02". */
export const partitionDescriptor = layout('PartitionDescriptor', 512, {
  tag: [0, tag],
  vdsNumber: [16, u32le],
  flags: [20, u16le],
  partitionNumber: [22, u16le],
  contents: [24, nested(regid)],
  /** The partition header descriptor (4/14.3): no space tables or bitmaps on read-only media. */
  contentsUse: [56, bytes(128)],
  accessType: [184, u32le],
  start: [188, u32le],
  length: [192, u32le],
  implementationId: [196, nested(regid)],
  implementationUse: [228, bytes(128)],
});
/** ECMA-167 3/10.5.7 access types. */
export const AccessType = { readOnly: 1, writeOnce: 2, rewritable: 3, overwritable: 4 } as const;

/**
 * ECMA-167 3/10.6 logical volume descriptor, with its first partition map,
 * a type 1 map (3/10.7.2), at 440. Further maps follow it at 446 (UDF 2.50:
 * the metadata partition map); `mapTableLength` covers them all.
 */
export const logicalVolumeDescriptor = layout('LogicalVolumeDescriptor', 446, {
  tag: [0, tag],
  vdsNumber: [16, u32le],
  descriptorCharset: [20, nested(charspec)],
  logicalVolumeId: [84, dstring(128)],
  blockSize: [212, u32le],
  domainId: [216, nested(regid)],
  /** UDF 2.2.4.4: where the file set descriptor is. */
  fileSetLocation: [248, nested(longAd)],
  mapTableLength: [264, u32le],
  partitionMapCount: [268, u32le],
  implementationId: [272, nested(regid)],
  implementationUse: [304, bytes(128)],
  integritySequence: [432, nested(extentAd)],
  mapType: [440, u8],
  mapLength: [441, u8],
  mapVolumeSequenceNumber: [442, u16le],
  mapPartitionNumber: [444, u16le],
});

/** ECMA-167 3/10.7.1: every partition map starts with its type and length. */
export const partitionMapHeader = layout('PartitionMapHeader', 2, {
  type: [0, u8],
  length: [1, u8],
});

/** ECMA-167 3/10.7.2 type 1 partition map: a partition of this volume, by number. */
export const type1PartitionMap = layout('Type1PartitionMap', 6, {
  type: [0, u8],
  length: [1, u8],
  volumeSequenceNumber: [2, u16le],
  partitionNumber: [4, u16le],
});

/**
 * UDF 2.50 2.2.10 metadata partition map (an ECMA-167 3/10.7.3 type 2 map,
 * identified "*UDF Metadata Partition"): a partition whose blocks are those
 * of the metadata file (2.2.13.1), itself recorded in the physical partition
 * `partitionNumber`. File entries, directories and the file set descriptor
 * live in it; file data stays in the physical partition.
 */
export const metadataPartitionMap = layout('MetadataPartitionMap', 64, {
  type: [0, u8],
  length: [1, u8],
  partitionTypeId: [4, nested(regid)],
  volumeSequenceNumber: [36, u16le],
  partitionNumber: [38, u16le],
  /** Blocks of the physical partition holding the (extended) file entries of the three files. */
  metadataFileLocation: [40, u32le],
  metadataMirrorFileLocation: [44, u32le],
  /** 0xFFFFFFFF: no metadata bitmap file (read-only volumes, UDF 2.50 DCN-5102). */
  metadataBitmapFileLocation: [48, u32le],
  /** Blocks; the metadata file grows in these units. */
  allocationUnitSize: [52, u32le],
  /** Blocks; the metadata file's extents start at multiples of it (BD: 32, one ECC block). */
  alignmentUnitSize: [56, u16le],
  /** Bit 0: the mirror file is a second copy of the metadata (else it shares its extents). */
  flags: [58, u8],
});
export const METADATA_PARTITION_ID = '*UDF Metadata Partition';
/** UDF 2.50 2.2.13: ICB file types of the metadata file, its mirror and its bitmap. */
export const MetadataFileType = { main: 250, mirror: 251, bitmap: 252 } as const;

/** ECMA-167 3/10.8 unallocated space descriptor, empty: nothing is free on a finished disc. */
export const unallocatedSpaceDescriptor = layout('UnallocatedSpaceDescriptor', 24, {
  tag: [0, tag],
  vdsNumber: [16, u32le],
  count: [20, u32le],
});

/** ECMA-167 3/10.9 terminating descriptor: ends a descriptor sequence. */
export const terminatingDescriptor = layout('TerminatingDescriptor', 512, { tag: [0, tag] });

/**
 * ECMA-167 3/10.10 logical volume integrity descriptor, one partition,
 * with UDF 1.02 2.2.6.4's implementation use (file and directory counts,
 * UDF revisions).
 */
export const logicalVolumeIntegrityDescriptor = layout('LogicalVolumeIntegrityDescriptor', 134, {
  tag: [0, tag],
  recorded: [16, nested(timestamp)],
  integrityType: [28, u32le],
  nextExtent: [32, nested(extentAd)],
  /** 4/14.15 logical volume header descriptor: the next unique ID to give out. */
  nextUniqueId: [40, u64le],
  partitionCount: [72, u32le],
  implementationUseLength: [76, u32le],
  freeSpace: [80, u32le],
  size: [84, u32le],
  implementationId: [88, nested(regid)],
  files: [120, u32le],
  directories: [124, u32le],
  minReadRevision: [128, u16le],
  minWriteRevision: [130, u16le],
  maxWriteRevision: [132, u16le],
});
/**
 * The same descriptor for two partitions (UDF 2.50: the physical partition
 * and the metadata partition): free space and size tables of two entries
 * each (3/10.10.7-8), so the implementation use moves 8 bytes on.
 */
export const logicalVolumeIntegrityDescriptor2 = layout('LogicalVolumeIntegrityDescriptor2', 142, {
  tag: [0, tag],
  recorded: [16, nested(timestamp)],
  integrityType: [28, u32le],
  nextExtent: [32, nested(extentAd)],
  nextUniqueId: [40, u64le],
  partitionCount: [72, u32le],
  implementationUseLength: [76, u32le],
  freeSpace: [80, u32le],
  freeSpaceMetadata: [84, u32le],
  size: [88, u32le],
  sizeMetadata: [92, u32le],
  implementationId: [96, nested(regid)],
  files: [128, u32le],
  directories: [132, u32le],
  minReadRevision: [136, u16le],
  minWriteRevision: [138, u16le],
  maxWriteRevision: [140, u16le],
});
/** ECMA-167 3/10.10.3: a closed integrity descriptor says the volume is consistent. */
export const IntegrityType = { open: 0, close: 1 } as const;

/** ECMA-167 4/14.1 file set descriptor (UDF 1.02 2.3.2). */
export const fileSetDescriptor = layout('FileSetDescriptor', 512, {
  tag: [0, tag],
  recorded: [16, nested(timestamp)],
  interchangeLevel: [28, u16le],
  maxInterchangeLevel: [30, u16le],
  characterSetList: [32, u32le],
  maxCharacterSetList: [36, u32le],
  fileSetNumber: [40, u32le],
  fileSetDescriptorNumber: [44, u32le],
  logicalVolumeIdCharset: [48, nested(charspec)],
  logicalVolumeId: [112, dstring(128)],
  fileSetCharset: [240, nested(charspec)],
  fileSetId: [304, dstring(32)],
  copyrightFileId: [336, dstring(32)],
  abstractFileId: [368, dstring(32)],
  rootDirectory: [400, nested(longAd)],
  domainId: [416, nested(regid)],
  nextExtent: [448, nested(longAd)],
});
