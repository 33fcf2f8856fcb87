/**
 * The UDF volume structure around the partition (ECMA-167 parts 2 and 3):
 * the volume descriptor sequences (UDF 1.02 2.2 and UDF 2.50 2.2), the
 * anchors and the logical volume integrity descriptor, for UDF 1.02 (one
 * type 1 partition map) and UDF 2.50 (a type 1 map and a metadata partition
 * map, UDF 2.50 2.2.10).
 */
import { concat } from '../binary/layout.ts';
import { SECTOR } from '../iso9660/volume-descriptor.ts';
import type { PlanState } from '../plan/plan.ts';
import {
  AccessType,
  anchorVolumeDescriptorPointer,
  implementationUseVolumeDescriptor,
  IntegrityType,
  logicalVolumeDescriptor,
  logicalVolumeIntegrityDescriptor,
  logicalVolumeIntegrityDescriptor2,
  METADATA_PARTITION_ID,
  metadataPartitionMap,
  partitionDescriptor,
  terminatingDescriptor,
  udfPrimaryVolumeDescriptor,
  unallocatedSpaceDescriptor,
} from './descriptors.ts';
import {
  domainId,
  implementationId,
  longAdTo,
  OSTA_CS0,
  toTimestamp,
  udfEntityId,
  type UdfRevision,
} from './primitives.ts';
import { BLANK_TAG, sealTag, TagId } from './tag.ts';

export const MAIN_VDS = 32;
export const RESERVE_VDS = 48;
export const VDS_SECTORS = 16;
export const INTEGRITY = 64;
export const ANCHOR = 256;

/** The metadata partition (UDF 2.50 2.2.13), in blocks of the physical partition. */
export interface MetadataLayout {
  /** Physical blocks of the metadata file's and the mirror file's (extended) file entries. */
  mainEntry: number;
  mirrorEntry: number;
  /** Physical blocks where the metadata file's data and its mirror copy start. */
  mainStart: number;
  mirrorStart: number;
  /** Blocks of the metadata partition (a multiple of `unit`). */
  blocks: number;
  /** Allocation and alignment unit, in blocks (UDF 2.50 2.2.10). */
  unit: number;
}

/** What the volume descriptors describe; lengths are known once the layout is done. */
export interface UdfVolume {
  readonly rev: UdfRevision;
  readonly partitionStart: number;
  partitionLength(): number;
  /** UDF 2.50 only. */
  metadata(): MetadataLayout | undefined;
  /** Files and directories UDF records, and the next unique ID (4/14.15). */
  counts(): { files: number; dirs: number; nextUniqueId: number };
}

export function sector(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(SECTOR);
  out.set(bytes);
  return out;
}

/** One volume descriptor sequence, at `at` (main or reserve): six descriptors. */
export function volumeDescriptorSequence(s: PlanState, v: UdfVolume, at: number): Uint8Array[] {
  const o = s.options;
  const rev = v.rev.revision;
  const date = toTimestamp(o.date);
  const label = o.volumeId;
  const tag = BLANK_TAG;
  const hex = Math.floor(o.date).toString(16).toUpperCase().padStart(16, '0');
  const meta = v.metadata();
  // UDF 2.50 2.2.4: the file set descriptor is in the metadata partition (reference 1).
  const lvd = logicalVolumeDescriptor.encode({
    tag,
    vdsNumber: 3,
    descriptorCharset: OSTA_CS0,
    logicalVolumeId: label,
    blockSize: SECTOR,
    domainId: domainId(rev),
    fileSetLocation: longAdTo(0, 2 * SECTOR, 0, meta ? 1 : 0),
    mapTableLength: meta ? 6 + 64 : 6,
    partitionMapCount: meta ? 2 : 1,
    implementationId: implementationId(),
    implementationUse: new Uint8Array(0),
    integritySequence: { length: 2 * SECTOR, location: INTEGRITY },
    mapType: 1,
    mapLength: 6,
    mapVolumeSequenceNumber: 1,
    mapPartitionNumber: 0,
  });
  const maps = meta
    ? metadataPartitionMap.encode({
        type: 2,
        length: 64,
        partitionTypeId: udfEntityId(METADATA_PARTITION_ID, rev),
        volumeSequenceNumber: 1,
        partitionNumber: 0,
        metadataFileLocation: meta.mainEntry,
        metadataMirrorFileLocation: meta.mirrorEntry,
        metadataBitmapFileLocation: 0xffff_ffff,
        allocationUnitSize: meta.unit,
        alignmentUnitSize: meta.unit,
        flags: 1, // the mirror is a second copy
      })
    : new Uint8Array(0);
  const seq: [number, Uint8Array][] = [
    [
      TagId.primaryVolumeDescriptor,
      udfPrimaryVolumeDescriptor.encode({
        tag,
        vdsNumber: 0,
        pvdNumber: 0,
        volumeId: label,
        volumeSequenceNumber: 1,
        maxVolumeSequenceNumber: 1,
        interchangeLevel: 2,
        maxInterchangeLevel: 2,
        characterSetList: 1,
        maxCharacterSetList: 1,
        // UDF 1.02 2.2.2.5: the first 16 characters should be unique; a time in hex is.
        volumeSetId: `${hex}${o.volumeSetId}`,
        descriptorCharset: OSTA_CS0,
        explanatoryCharset: OSTA_CS0,
        volumeAbstract: { length: 0, location: 0 },
        volumeCopyright: { length: 0, location: 0 },
        applicationId: { flags: 0, identifier: '*webdisc', suffix: new Uint8Array(8) },
        recorded: date,
        implementationId: implementationId(),
        implementationUse: new Uint8Array(0),
        predecessorVdsLocation: 0,
        flags: 0,
      }),
    ],
    [
      TagId.implementationUseVolumeDescriptor,
      implementationUseVolumeDescriptor.encode({
        tag,
        vdsNumber: 1,
        implementationId: udfEntityId('*UDF LV Info', rev),
        lviCharset: OSTA_CS0,
        logicalVolumeId: label,
        lvInfo1: o.publisher,
        lvInfo2: o.preparer,
        lvInfo3: '',
        implementationIdOfLvInfo: implementationId(),
        implementationUse: new Uint8Array(0),
      }),
    ],
    [
      TagId.partitionDescriptor,
      partitionDescriptor.encode({
        tag,
        vdsNumber: 2,
        flags: 1, // allocated
        partitionNumber: 0,
        contents: { flags: 0, identifier: `+${v.rev.nsr}`, suffix: new Uint8Array(8) },
        contentsUse: new Uint8Array(0),
        accessType: AccessType.readOnly,
        start: v.partitionStart,
        length: v.partitionLength(),
        implementationId: implementationId(),
        implementationUse: new Uint8Array(0),
      }),
    ],
    [TagId.logicalVolumeDescriptor, concat([lvd, maps])],
    [
      TagId.unallocatedSpaceDescriptor,
      unallocatedSpaceDescriptor.encode({ tag, vdsNumber: 4, count: 0 }),
    ],
    [TagId.terminatingDescriptor, terminatingDescriptor.encode({ tag })],
  ];
  return seq.map(([id, d], i) => sector(sealTag(d, id, at + i, v.rev.descriptorVersion)));
}

export function anchor(v: UdfVolume, at: number): Uint8Array {
  return sector(
    sealTag(
      anchorVolumeDescriptorPointer.encode({
        tag: BLANK_TAG,
        mainVds: { length: VDS_SECTORS * SECTOR, location: MAIN_VDS },
        reserveVds: { length: VDS_SECTORS * SECTOR, location: RESERVE_VDS },
      }),
      TagId.anchorVolumeDescriptorPointer,
      at,
      v.rev.descriptorVersion,
    ),
  );
}

/**
 * The integrity sequence: a closed logical volume integrity descriptor
 * (ECMA-167 3/10.10, UDF 2.2.6) whose implementation use gives the counts
 * and the UDF revision to read and write the volume, then a terminator.
 */
export function integritySequence(s: PlanState, v: UdfVolume): Uint8Array[] {
  const { files, dirs, nextUniqueId } = v.counts();
  const rev = v.rev.revision;
  const tag = BLANK_TAG;
  const meta = v.metadata();
  const common = {
    tag,
    recorded: toTimestamp(s.options.date),
    integrityType: IntegrityType.close,
    nextExtent: { length: 0, location: 0 },
    nextUniqueId,
    implementationUseLength: 46,
    freeSpace: 0,
    size: v.partitionLength(),
    implementationId: implementationId(),
    files,
    directories: dirs,
    minReadRevision: rev,
    minWriteRevision: rev,
    maxWriteRevision: rev,
  };
  const lvid = meta
    ? logicalVolumeIntegrityDescriptor2.encode({
        ...common,
        partitionCount: 2,
        freeSpaceMetadata: 0,
        sizeMetadata: meta.blocks,
      })
    : logicalVolumeIntegrityDescriptor.encode({ ...common, partitionCount: 1 });
  const version = v.rev.descriptorVersion;
  return [
    sector(sealTag(lvid, TagId.logicalVolumeIntegrityDescriptor, INTEGRITY, version)),
    sector(
      sealTag(
        terminatingDescriptor.encode({ tag }),
        TagId.terminatingDescriptor,
        INTEGRITY + 1,
        version,
      ),
    ),
  ];
}
