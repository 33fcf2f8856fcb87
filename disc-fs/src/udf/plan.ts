/**
 * The UDF 1.02 bridge: a second file system over the same file data. The
 * ISO 9660 structures stay where ISO readers look; UDF adds its recognition
 * sequence after them, its descriptor sequences at sectors 32-65, anchors at
 * 256 and at the last sector (UDF 1.02 2.2.3: two of 256, N-256 and N-1),
 * and one partition from sector 257 to the last anchor that covers every
 * directory, file entry and data extent. UDF addresses inside it are
 * partition-relative blocks (ECMA-167 4/7.1).
 */
import { InvalidTreeError } from '../errors.ts';
import { SECTOR } from '../iso9660/volume-descriptor.ts';
import type { DirNode, Node } from '../plan/nodes.ts';
import type { Allocator, PlanState } from '../plan/plan.ts';
import { sectorsFor, zeros } from '../plan/plan.ts';
import {
  AccessType,
  anchorVolumeDescriptorPointer,
  fileSetDescriptor,
  implementationUseVolumeDescriptor,
  IntegrityType,
  logicalVolumeDescriptor,
  logicalVolumeIntegrityDescriptor,
  partitionDescriptor,
  terminatingDescriptor,
  udfPrimaryVolumeDescriptor,
  unallocatedSpaceDescriptor,
  volumeStructureDescriptor,
  VRS,
} from './descriptors.ts';
import {
  encodeFileEntry,
  encodeFileIdentifier,
  encodePathComponents,
  FileCharacteristics,
  fileIdentifierLength,
  FileType,
  IcbFlags,
  shortAds,
  udfPermissions,
} from './file.ts';
import {
  domainId,
  implementationId,
  longAdTo,
  OSTA_CS0,
  toTimestamp,
  UDF_REVISION,
  udfEntityId,
} from './primitives.ts';
import { BLANK_TAG, sealTag, TagId } from './tag.ts';

export interface UdfParts {
  descriptors(a: Allocator, s: PlanState): void;
  partitionHead(a: Allocator, s: PlanState): void;
  metadata(a: Allocator, s: PlanState): void;
  tail(a: Allocator, s: PlanState): void;
}

const MAIN_VDS = 32;
const RESERVE_VDS = 48;
const VDS_SECTORS = 16;
const INTEGRITY = 64;
const ANCHOR = 256;
export const PARTITION_START = 257;
/** File entry data embedded in the entry itself (4/14.6.8 flags 3) when this small. */
const EMBED_MAX = SECTOR - 176;

interface Place {
  /** Partition block of the file entry. */
  entry: number;
  /** Partition block of the data (directories, long symbolic links). */
  data: number;
  dataLength: number;
  embedded?: Uint8Array;
}

function sector(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(SECTOR);
  out.set(bytes);
  return out;
}

export function udfParts(enabled: boolean, symlinks: boolean): UdfParts {
  if (!enabled) return { descriptors() {}, partitionHead() {}, metadata() {}, tail() {} };
  const places = new Map<Node, Place>();
  let lastSector = 0;
  const block = (absolute: number): number => absolute - PARTITION_START;
  const uniqueId = (n: Node, s: PlanState): number => (n === s.tree.root ? 0 : 15 + n.ino);
  const partitionLength = (): number => lastSector - PARTITION_START;
  const children = (d: DirNode): Node[] =>
    symlinks ? d.children : d.children.filter((c) => c.kind !== 'symlink');

  const vds = (s: PlanState, at: number): Uint8Array[] => {
    const o = s.options;
    const date = toTimestamp(o.date);
    const label = o.volumeId;
    const tag = BLANK_TAG;
    const hex = Math.floor(o.date).toString(16).toUpperCase().padStart(16, '0');
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
          implementationId: udfEntityId('*UDF LV Info'),
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
          contents: { flags: 0, identifier: '+NSR02', suffix: new Uint8Array(8) },
          contentsUse: new Uint8Array(0),
          accessType: AccessType.readOnly,
          start: PARTITION_START,
          length: partitionLength(),
          implementationId: implementationId(),
          implementationUse: new Uint8Array(0),
        }),
      ],
      [
        TagId.logicalVolumeDescriptor,
        logicalVolumeDescriptor.encode({
          tag,
          vdsNumber: 3,
          descriptorCharset: OSTA_CS0,
          logicalVolumeId: label,
          blockSize: SECTOR,
          domainId: domainId(),
          fileSetLocation: longAdTo(0, 2 * SECTOR),
          mapTableLength: 6,
          partitionMapCount: 1,
          implementationId: implementationId(),
          implementationUse: new Uint8Array(0),
          integritySequence: { length: 2 * SECTOR, location: INTEGRITY },
          mapType: 1,
          mapLength: 6,
          mapVolumeSequenceNumber: 1,
          mapPartitionNumber: 0,
        }),
      ],
      [
        TagId.unallocatedSpaceDescriptor,
        unallocatedSpaceDescriptor.encode({ tag, vdsNumber: 4, count: 0 }),
      ],
      [TagId.terminatingDescriptor, terminatingDescriptor.encode({ tag })],
    ];
    return seq.map(([id, d], i) => sector(sealTag(d, id, at + i)));
  };

  const anchor = (at: number): Uint8Array =>
    sector(
      sealTag(
        anchorVolumeDescriptorPointer.encode({
          tag: BLANK_TAG,
          mainVds: { length: VDS_SECTORS * SECTOR, location: MAIN_VDS },
          reserveVds: { length: VDS_SECTORS * SECTOR, location: RESERVE_VDS },
        }),
        TagId.anchorVolumeDescriptorPointer,
        at,
      ),
    );

  const fileEntry = (n: Node, s: PlanState): Uint8Array => {
    const p = places.get(n) as Place;
    let fileType: number = FileType.file;
    let allocation: Uint8Array = new Uint8Array(0);
    let length: number;
    let flags: number = IcbFlags.shortAd;
    let links = 1;
    if (n.kind === 'file') {
      length = n.size;
      if (n.size > 0) allocation = shortAds(block(n.primary.dataSector), n.size);
      links = n.links;
    } else if (n.kind === 'dir') {
      fileType = FileType.directory;
      length = p.dataLength;
      allocation = shortAds(p.data, p.dataLength);
      links = 1 + n.subdirCount;
    } else {
      fileType = FileType.symlink;
      length = p.dataLength;
      if (p.embedded) [allocation, flags] = [p.embedded, IcbFlags.embedded];
      else allocation = shortAds(p.data, p.dataLength);
    }
    if (n.mode & 0o4000) flags |= IcbFlags.setuid;
    if (n.mode & 0o2000) flags |= IcbFlags.setgid;
    if (n.mode & 0o1000) flags |= IcbFlags.sticky;
    return sector(
      encodeFileEntry(
        {
          head: {
            icb: {
              priorDirectEntries: 0,
              strategyType: 4,
              strategyParameter: 0,
              maxEntries: 1,
              fileType,
              parent: { block: 0, partition: 0 },
              flags,
            },
            uid: n.uid >>> 0,
            gid: n.gid >>> 0,
            permissions: udfPermissions(n.mode),
            linkCount: Math.min(0xffff, links),
            recordFormat: 0,
            recordDisplayAttributes: 0,
            recordLength: 0,
            informationLength: length,
            blocksRecorded: flags & 7 ? 0 : sectorsFor(length),
            accessTime: toTimestamp(n.atime),
            modificationTime: toTimestamp(n.mtime),
            attributeTime: toTimestamp(n.ctime),
            checkpoint: 1,
            extendedAttributeIcb: longAdTo(0, 0),
            implementationId: implementationId(),
            uniqueId: uniqueId(n, s),
          },
          allocation,
        },
        p.entry,
      ),
    );
  };

  /** A directory's file identifiers: the parent first (4/8.6), then every child. */
  const directory = (d: DirNode, s: PlanState): Uint8Array => {
    const p = places.get(d) as Place;
    const out = new Uint8Array(sectorsFor(p.dataLength) * SECTOR);
    let o = 0;
    const add = (characteristics: number, name: string, target: Node): void => {
      const t = target.kind === 'file' ? target.primary : target;
      const fid = encodeFileIdentifier(
        {
          characteristics,
          name,
          icb: longAdTo((places.get(t) as Place).entry, SECTOR, uniqueId(t, s)),
        },
        p.data + Math.floor(o / SECTOR),
      );
      out.set(fid, o);
      o += fid.length;
    };
    add(FileCharacteristics.parent | FileCharacteristics.directory, '', d.parent ?? d);
    for (const c of children(d))
      add(c.kind === 'dir' ? FileCharacteristics.directory : 0, c.udfName, c);
    return out;
  };

  return {
    descriptors(a, s) {
      for (const id of [VRS.begin, VRS.nsr02, VRS.end]) {
        a.add(1, `UDF ${id}`, () => [
          volumeStructureDescriptor.encode({ type: 0, identifier: id, version: 1 }),
        ]);
      }
      a.zeroTo(MAIN_VDS, 'gap before the UDF descriptors');
      a.add(VDS_SECTORS, 'UDF main volume descriptor sequence', () => [
        ...vds(s, MAIN_VDS),
        ...zeros(VDS_SECTORS - 6),
      ]);
      a.add(VDS_SECTORS, 'UDF reserve volume descriptor sequence', () => [
        ...vds(s, RESERVE_VDS),
        ...zeros(VDS_SECTORS - 6),
      ]);
      a.add(2, 'UDF logical volume integrity', () => {
        let maxId = 0;
        let files = 0;
        let dirs = 0;
        for (const n of s.tree.all) {
          maxId = Math.max(maxId, uniqueId(n, s));
          if (n.kind === 'dir') dirs++;
          else if (symlinks || n.kind !== 'symlink') files++;
        }
        const tag = BLANK_TAG;
        const lvid = logicalVolumeIntegrityDescriptor.encode({
          tag,
          recorded: toTimestamp(s.options.date),
          integrityType: IntegrityType.close,
          nextExtent: { length: 0, location: 0 },
          nextUniqueId: Math.max(16, maxId + 1),
          partitionCount: 1,
          implementationUseLength: 46,
          freeSpace: 0,
          size: partitionLength(),
          implementationId: implementationId(),
          files,
          directories: dirs,
          minReadRevision: UDF_REVISION,
          minWriteRevision: UDF_REVISION,
          maxWriteRevision: UDF_REVISION,
        });
        return [
          sector(sealTag(lvid, TagId.logicalVolumeIntegrityDescriptor, INTEGRITY)),
          sector(
            sealTag(
              terminatingDescriptor.encode({ tag }),
              TagId.terminatingDescriptor,
              INTEGRITY + 1,
            ),
          ),
        ];
      });
      a.zeroTo(ANCHOR, 'gap before the UDF anchor');
      a.add(1, 'UDF anchor', () => [anchor(ANCHOR)]);
    },

    partitionHead(a, s) {
      const start = a.add(2, 'UDF file set descriptor', () => {
        const o = s.options;
        const tag = BLANK_TAG;
        const root = places.get(s.tree.root) as Place;
        const fsd = fileSetDescriptor.encode({
          tag,
          recorded: toTimestamp(o.date),
          interchangeLevel: 3,
          maxInterchangeLevel: 3,
          characterSetList: 1,
          maxCharacterSetList: 1,
          fileSetNumber: 0,
          fileSetDescriptorNumber: 0,
          logicalVolumeIdCharset: OSTA_CS0,
          logicalVolumeId: o.volumeId,
          fileSetCharset: OSTA_CS0,
          fileSetId: o.volumeId,
          copyrightFileId: '',
          abstractFileId: '',
          rootDirectory: longAdTo(root.entry, SECTOR),
          domainId: domainId(),
          nextExtent: longAdTo(0, 0),
        });
        return [
          sector(sealTag(fsd, TagId.fileSetDescriptor, 0)),
          sector(sealTag(terminatingDescriptor.encode({ tag }), TagId.terminatingDescriptor, 1)),
        ];
      });
      if (start !== PARTITION_START) throw new Error(`internal: UDF partition at ${start}`);
    },

    metadata(a, s) {
      const nodes = s.tree.all.filter(
        (n) => (n.kind !== 'file' || n.primary === n) && (symlinks || n.kind !== 'symlink'),
      );
      const first = a.next;
      let total = 0;
      for (const n of nodes) {
        const p: Place = { entry: block(first + total), data: 0, dataLength: 0 };
        total += 1;
        if (n.kind === 'dir') {
          p.dataLength = fileIdentifierLength('');
          for (const c of children(n)) p.dataLength += fileIdentifierLength(c.udfName);
        } else if (n.kind === 'symlink') {
          let pcs: Uint8Array;
          try {
            pcs = encodePathComponents(n.target);
          } catch (e) {
            throw new InvalidTreeError(n.path, (e as Error).message);
          }
          p.dataLength = pcs.length;
          if (pcs.length <= EMBED_MAX) p.embedded = pcs;
        }
        if (p.dataLength > 0 && !p.embedded) {
          p.data = block(first + total);
          total += sectorsFor(p.dataLength);
        }
        places.set(n, p);
      }
      a.add(total, 'UDF file entries and directories', function* () {
        for (const n of nodes) {
          yield fileEntry(n, s);
          if (n.kind === 'dir') yield directory(n, s);
          else if (n.kind === 'symlink' && !places.get(n)?.embedded) {
            const p = places.get(n) as Place;
            const out = new Uint8Array(sectorsFor(p.dataLength) * SECTOR);
            out.set(encodePathComponents(n.target));
            yield out;
          }
        }
      });
      // Hard links share their primary's entry.
      for (const n of s.tree.all)
        if (n.kind === 'file' && n.primary !== n) places.set(n, places.get(n.primary) as Place);
    },

    tail(a) {
      lastSector = a.next;
      a.add(1, 'UDF closing anchor', () => [anchor(lastSector)]);
    },
  };
}
