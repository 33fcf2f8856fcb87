/**
 * The UDF bridge: a second file system over the same file data. The ISO 9660
 * structures stay where ISO readers look; UDF adds its recognition sequence
 * after them, its descriptor sequences at sectors 32-65, anchors at 256 and
 * at the last sector (UDF 2.2.3: two of 256, N-256 and N-1), and one
 * partition from just after the first anchor to the last that covers every
 * directory, file entry and data extent. UDF addresses inside it are
 * partition-relative blocks (ECMA-167 4/7.1).
 *
 * UDF 1.02: the partition starts at 257 with the file set descriptor; file
 * entries (4/14.9) and directories follow the ISO 9660 metadata; short_ads.
 *
 * UDF 2.50 (BD): the partition starts at 288, a multiple of 32 (one BD ECC
 * block), with the (extended) file entries of the metadata file and its
 * mirror (2.2.13). The metadata file's data, aligned to 32 blocks and a
 * multiple of 32 long, is the metadata partition (map 1, 2.2.10): the file
 * set descriptor, the extended file entries (4/14.17) and the directories;
 * the mirror file is a second copy right after it. File data stays in the
 * physical partition (map 0), reached by long_ads.
 */
import { InvalidTreeError } from '../errors.ts';
import { SECTOR } from '../iso9660/volume-descriptor.ts';
import type { DirNode, Node } from '../plan/nodes.ts';
import type { Allocator, PlanState } from '../plan/plan.ts';
import { sectorsFor, zeros } from '../plan/plan.ts';
import {
  fileSetDescriptor,
  MetadataFileType,
  terminatingDescriptor,
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
  longAds,
  shortAds,
  udfPermissions,
} from './file.ts';
import {
  domainId,
  implementationId,
  longAdTo,
  OSTA_CS0,
  toTimestamp,
  UDF_102,
  UDF_250,
} from './primitives.ts';
import { BLANK_TAG, sealTag, TagId } from './tag.ts';
import {
  anchor,
  ANCHOR,
  integritySequence,
  MAIN_VDS,
  type MetadataLayout,
  RESERVE_VDS,
  sector,
  type UdfVolume,
  VDS_SECTORS,
  volumeDescriptorSequence,
} from './volume.ts';

export type UdfRevisionName = '1.02' | '2.50';

export interface UdfParts {
  descriptors(a: Allocator, s: PlanState): void;
  partitionHead(a: Allocator, s: PlanState): void;
  metadata(a: Allocator, s: PlanState): void;
  tail(a: Allocator, s: PlanState): void;
}

/** UDF 1.02: the partition right after the anchor. */
export const PARTITION_START = 257;
/** UDF 2.50: the partition and the metadata file aligned to BD's 32-sector ECC blocks. */
export const BD_UNIT = 32;
const PARTITION_START_250 = 288;
/** Metadata file extents stay whole units (a short_ad holds < 2^30 bytes, 4/14.14.1.1). */
const METADATA_EXTENT_MAX = 0x4000_0000 - BD_UNIT * SECTOR;

interface Place {
  /** Block of the file entry, in the partition holding file entries (map 1 in UDF 2.50). */
  entry: number;
  /** Block of the data (directories, long symbolic links), in that same partition. */
  data: number;
  dataLength: number;
  embedded?: Uint8Array;
}

const alignUp = (n: number, unit: number): number => Math.ceil(n / unit) * unit;

export function udfParts(
  enabled: boolean,
  symlinks: boolean,
  revision: UdfRevisionName = '1.02',
): UdfParts & { volume: UdfVolume } {
  const v250 = revision === '2.50';
  const rev = v250 ? UDF_250 : UDF_102;
  const version = rev.descriptorVersion;
  /** File entry data embedded in the entry itself (4/14.6.8 flags 3) when this small. */
  const embedMax = SECTOR - (v250 ? 216 : 176);
  const partitionStart = v250 ? PARTITION_START_250 : PARTITION_START;
  const places = new Map<Node, Place>();
  let lastSector = 0;
  let meta: MetadataLayout | undefined;
  /** Partition reference of file entries and directories: the metadata partition in 2.50. */
  const metaRef = v250 ? 1 : 0;
  const physical = (absolute: number): number => absolute - partitionStart;
  const uniqueId = (n: Node, s: PlanState): number => (n === s.tree.root ? 0 : 15 + n.ino);
  const children = (d: DirNode): Node[] =>
    symlinks ? d.children : d.children.filter((c) => c.kind !== 'symlink');
  let state: PlanState | undefined;

  const volume: UdfVolume = {
    rev,
    partitionStart,
    partitionLength: () => lastSector - partitionStart,
    metadata: () => meta,
    counts() {
      const s = state as PlanState;
      let maxId = 0;
      let files = 0;
      let dirs = 0;
      for (const n of s.tree.all) {
        maxId = Math.max(maxId, uniqueId(n, s));
        if (n.kind === 'dir') dirs++;
        else if (symlinks || n.kind !== 'symlink') files++;
      }
      return { files, dirs, nextUniqueId: Math.max(16, maxId + 1) };
    },
  };

  if (!enabled) {
    return { volume, descriptors() {}, partitionHead() {}, metadata() {}, tail() {} };
  }

  const fileEntry = (n: Node, s: PlanState): Uint8Array => {
    const p = places.get(n) as Place;
    let fileType: number = FileType.file;
    let allocation: Uint8Array = new Uint8Array(0);
    let length: number;
    let flags: number = IcbFlags.shortAd;
    let links = 1;
    if (n.kind === 'file') {
      length = n.size;
      links = n.links;
      const at = physical(n.primary.dataSector);
      if (v250) flags = IcbFlags.longAd; // the data is in the physical partition, map 0
      if (n.size > 0) allocation = v250 ? longAds(at, n.size, 0) : shortAds(at, n.size);
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
            blocksRecorded: (flags & 7) === IcbFlags.embedded ? 0 : sectorsFor(length),
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
        { extended: v250, version },
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
      const icb = longAdTo((places.get(t) as Place).entry, SECTOR, uniqueId(t, s), metaRef);
      const fid = encodeFileIdentifier(
        { characteristics, name, icb },
        p.data + Math.floor(o / SECTOR),
        version,
      );
      out.set(fid, o);
      o += fid.length;
    };
    add(FileCharacteristics.parent | FileCharacteristics.directory, '', d.parent ?? d);
    for (const c of children(d))
      add(c.kind === 'dir' ? FileCharacteristics.directory : 0, c.udfName, c);
    return out;
  };

  /** The file set descriptor (4/14.1) and a terminator, at blocks 0 and 1 of their partition. */
  const fileSet = (s: PlanState): Uint8Array[] => {
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
      rootDirectory: longAdTo(root.entry, SECTOR, 0, metaRef),
      domainId: domainId(rev.revision),
      nextExtent: longAdTo(0, 0),
    });
    return [
      sector(sealTag(fsd, TagId.fileSetDescriptor, 0, version)),
      sector(
        sealTag(terminatingDescriptor.encode({ tag }), TagId.terminatingDescriptor, 1, version),
      ),
    ];
  };

  /** UDF 2.50 2.2.13.1-2: the metadata file's or its mirror's extended file entry. */
  const metadataFileEntry = (s: PlanState, mirror: boolean): Uint8Array => {
    const m = meta as MetadataLayout;
    const date = toTimestamp(s.options.date);
    const length = m.blocks * SECTOR;
    return sector(
      encodeFileEntry(
        {
          head: {
            icb: {
              priorDirectEntries: 0,
              strategyType: 4,
              strategyParameter: 0,
              maxEntries: 1,
              fileType: mirror ? MetadataFileType.mirror : MetadataFileType.main,
              parent: { block: 0, partition: 0 },
              flags: IcbFlags.shortAd,
            },
            uid: 0xffff_ffff,
            gid: 0xffff_ffff,
            permissions: 0,
            linkCount: 1,
            recordFormat: 0,
            recordDisplayAttributes: 0,
            recordLength: 0,
            informationLength: length,
            blocksRecorded: m.blocks,
            accessTime: date,
            modificationTime: date,
            attributeTime: date,
            checkpoint: 1,
            extendedAttributeIcb: longAdTo(0, 0),
            implementationId: implementationId(),
            uniqueId: 0,
          },
          allocation: shortAds(mirror ? m.mirrorStart : m.mainStart, length, METADATA_EXTENT_MAX),
        },
        mirror ? m.mirrorEntry : m.mainEntry,
        { extended: true, version },
      ),
    );
  };

  /** Places every file entry and directory from `first` (a block of their partition) on. */
  const placeNodes = (s: PlanState, first: number): { nodes: Node[]; total: number } => {
    const nodes = s.tree.all.filter(
      (n) => (n.kind !== 'file' || n.primary === n) && (symlinks || n.kind !== 'symlink'),
    );
    let total = 0;
    for (const n of nodes) {
      const p: Place = { entry: first + total, data: 0, dataLength: 0 };
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
        if (pcs.length <= embedMax) p.embedded = pcs;
      }
      if (p.dataLength > 0 && !p.embedded) {
        p.data = first + total;
        total += sectorsFor(p.dataLength);
      }
      places.set(n, p);
    }
    // Hard links share their primary's entry.
    for (const n of s.tree.all)
      if (n.kind === 'file' && n.primary !== n) places.set(n, places.get(n.primary) as Place);
    return { nodes, total };
  };

  function* entriesAndDirectories(s: PlanState, nodes: Node[]): Iterable<Uint8Array> {
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
  }

  return {
    volume,
    descriptors(a, s) {
      state = s;
      for (const id of [VRS.begin, rev.nsr, VRS.end]) {
        a.add(1, `UDF ${id}`, () => [
          volumeStructureDescriptor.encode({ type: 0, identifier: id, version: 1 }),
        ]);
      }
      a.zeroTo(MAIN_VDS, 'gap before the UDF descriptors');
      a.add(VDS_SECTORS, 'UDF main volume descriptor sequence', () => [
        ...volumeDescriptorSequence(s, volume, MAIN_VDS),
        ...zeros(VDS_SECTORS - 6),
      ]);
      a.add(VDS_SECTORS, 'UDF reserve volume descriptor sequence', () => [
        ...volumeDescriptorSequence(s, volume, RESERVE_VDS),
        ...zeros(VDS_SECTORS - 6),
      ]);
      a.add(2, 'UDF logical volume integrity', () => integritySequence(s, volume));
      a.zeroTo(ANCHOR, 'gap before the UDF anchor');
      a.add(1, 'UDF anchor', () => [anchor(volume, ANCHOR)]);
    },

    partitionHead(a, s) {
      a.zeroTo(partitionStart, 'gap before the UDF partition');
      const start = v250
        ? a.add(2, 'UDF metadata file entries', () => [
            metadataFileEntry(s, false),
            metadataFileEntry(s, true),
          ])
        : a.add(2, 'UDF file set descriptor', () => fileSet(s));
      if (start !== partitionStart) throw new Error(`internal: UDF partition at ${start}`);
    },

    metadata(a, s) {
      if (!v250) {
        const first = a.next;
        const { nodes, total } = placeNodes(s, physical(first));
        a.add(total, 'UDF file entries and directories', () => entriesAndDirectories(s, nodes));
        return;
      }
      a.zeroTo(alignUp(a.next, BD_UNIT), 'UDF metadata file alignment');
      const { nodes, total } = placeNodes(s, 2);
      const blocks = alignUp(2 + total, BD_UNIT);
      const content = function* (): Iterable<Uint8Array> {
        yield* fileSet(s);
        yield* entriesAndDirectories(s, nodes);
        yield* zeros(blocks - 2 - total);
      };
      const main = a.add(blocks, 'UDF metadata file (metadata partition)', content);
      const mirror = a.add(blocks, 'UDF metadata mirror file', content);
      meta = {
        mainEntry: 0,
        mirrorEntry: 1,
        mainStart: physical(main),
        mirrorStart: physical(mirror),
        blocks,
        unit: BD_UNIT,
      };
    },

    tail(a, s) {
      lastSector = a.next;
      a.add(1, 'UDF closing anchor', () => [anchor(volume, lastSector)]);
      s.layout.udf = {
        revision,
        partitionStart,
        partitionLength: lastSector - partitionStart,
        anchors: [ANCHOR, lastSector],
        ...(meta
          ? {
              metadata: {
                start: partitionStart + meta.mainStart,
                mirror: partitionStart + meta.mirrorStart,
                blocks: meta.blocks,
              },
            }
          : {}),
      };
    },
  };
}
