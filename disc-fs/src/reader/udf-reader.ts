/**
 * Reading a UDF volume (ECMA-167 parts 3 and 4; UDF 1.02 to 2.50) with the
 * builder's own descriptor layouts: anchor → volume descriptor sequence →
 * partition and logical volume with its partition maps → file set → root
 * directory → file entries and file identifiers. Handles type 1 partition
 * maps and UDF 2.50's metadata partition map (2.2.10: blocks of the metadata
 * file, or of its mirror when the metadata file's entry is unreadable), file
 * entries and extended file entries, short, long and embedded allocation
 * descriptors and symbolic links (path components).
 */
import { concat } from '../binary/layout.ts';
import { DecodeError } from '../errors.ts';
import { SECTOR } from '../iso9660/volume-descriptor.ts';
import {
  anchorVolumeDescriptorPointer,
  fileSetDescriptor,
  logicalVolumeDescriptor,
  METADATA_PARTITION_ID,
  metadataPartitionMap,
  partitionDescriptor,
  partitionMapHeader,
  type1PartitionMap,
} from '../udf/descriptors.ts';
import {
  decodeFileEntry,
  decodeFileIdentifiers,
  decodePathComponents,
  FileCharacteristics,
  FileType,
  IcbFlags,
  posixPermissions,
} from '../udf/file.ts';
import { fromTimestamp, longAd, regid, shortAd, suffixRevision } from '../udf/primitives.ts';
import { TagId, verifyTag } from '../udf/tag.ts';
import type { ReadEntry, SectorReader } from './iso-reader.ts';
import { readWhole } from './read-whole.ts';

export interface UdfEntry extends ReadEntry {
  /** Block of the file entry in partition `partition` (hard links share both). */
  icb: number;
  partition: number;
  linkCount: number;
  /** An extended file entry (ECMA-167 4/14.17). */
  extended: boolean;
  embedded?: Uint8Array;
}

export interface UdfVolume {
  logicalVolumeId: string;
  /** The UDF revision of the domain identifier, BCD (0x0102, 0x0250). */
  revision: number;
  partitionStart: number;
  partitionLength: number;
  /** UDF 2.50: where the metadata partition's blocks are (absolute sectors). */
  metadata?: { extents: { sector: number; length: number }[]; mirror: boolean };
  root: UdfEntry;
  list(dir: UdfEntry): Promise<UdfEntry[]>;
  readFile(file: UdfEntry): Promise<Uint8Array>;
}

type Extent = { sector: number; length: number };

/** One partition reference: how its blocks map to sectors. */
interface PartitionRef {
  /** Absolute extents for `length` bytes from `block`. */
  extents(block: number, length: number): Extent[];
}

const physicalRef = (start: number): PartitionRef => ({
  extents: (block, length) => [{ sector: start + block, length }],
});

/** Blocks of a file's data (the metadata file): block n is bytes n*2048.. of it. */
function fileBlocksRef(data: Extent[]): PartitionRef {
  return {
    extents(block, length) {
      const out: Extent[] = [];
      let at = block * SECTOR;
      let left = length;
      let base = 0;
      for (const x of data) {
        if (left <= 0) break;
        if (at < base + x.length) {
          const skip = at - base;
          const n = Math.min(left, x.length - skip);
          out.push({ sector: x.sector + skip / SECTOR, length: n });
          at += n;
          left -= n;
        }
        base += x.length;
      }
      if (left > 0) throw new DecodeError(`block ${block} is past the end of the metadata file`);
      return out;
    },
  };
}

/** Allocation descriptors (4/14.14) of an entry in partition `own`, as absolute extents. */
function allocationExtents(
  allocation: Uint8Array,
  adType: number,
  own: number,
  refs: PartitionRef[],
  name: string,
): Extent[] {
  const out: Extent[] = [];
  const step = adType === IcbFlags.longAd ? 16 : 8;
  for (let o = 0; o + step <= allocation.length; o += step) {
    const ad = allocation.subarray(o, o + step);
    const { length, block, partition } =
      adType === IcbFlags.shortAd
        ? (({ length: l, position }) => ({ length: l, block: position, partition: own }))(
            shortAd.decode(ad),
          )
        : (({ length: l, location }) => ({
            length: l,
            block: location.block,
            partition: location.partition,
          }))(longAd.decode(ad));
    if ((length & 0x3fff_ffff) === 0) break;
    if (length >>> 30 !== 0) throw new DecodeError(`extent type ${length >>> 30} in ${name}`);
    const ref = refs[partition];
    if (!ref) throw new DecodeError(`partition reference ${partition} in ${name}`);
    out.push(...ref.extents(block, length & 0x3fff_ffff));
  }
  return out;
}

export async function openUdf(src: SectorReader, anchorSector = 256): Promise<UdfVolume> {
  const avdpBytes = await src.read(anchorSector, 1);
  verifyTag(avdpBytes, { identifier: TagId.anchorVolumeDescriptorPointer, location: anchorSector });
  const avdp = anchorVolumeDescriptorPointer.decode(avdpBytes);
  let partition: ReturnType<typeof partitionDescriptor.decode> | undefined;
  let lvdBytes: Uint8Array | undefined;
  const vdsSectors = Math.floor(avdp.mainVds.length / SECTOR);
  for (let i = 0; i < vdsSectors; i++) {
    const at = avdp.mainVds.location + i;
    const d = await src.read(at, 1);
    const t = verifyTag(d, { location: at });
    if (t.identifier === TagId.terminatingDescriptor) break;
    if (t.identifier === TagId.partitionDescriptor) partition = partitionDescriptor.decode(d);
    if (t.identifier === TagId.logicalVolumeDescriptor) lvdBytes = d;
  }
  if (!partition || !lvdBytes) throw new DecodeError('no partition or logical volume descriptor');
  const lvd = logicalVolumeDescriptor.decode(lvdBytes);
  if (lvd.blockSize !== SECTOR) throw new DecodeError(`logical block size ${lvd.blockSize}`);
  const start = partition.start;
  const physical = physicalRef(start);

  /** Reads an (extended) file entry at absolute `sector`, tagged with its partition block. */
  const readEntry = async (
    sector: number,
    block: number,
  ): Promise<ReturnType<typeof decodeFileEntry>> => {
    const b = await src.read(sector, 1);
    const t = verifyTag(b, { location: block });
    if (t.identifier !== TagId.fileEntry && t.identifier !== TagId.extendedFileEntry) {
      throw new DecodeError(`expected a file entry at block ${block}, found tag ${t.identifier}`);
    }
    return decodeFileEntry(b);
  };

  // ECMA-167 3/10.7: the partition maps, in reference order, after the fixed part at 440.
  const refs: PartitionRef[] = [];
  let metadata: UdfVolume['metadata'];
  const mapsEnd = 440 + lvd.mapTableLength;
  if (lvd.partitionMapCount === 0 || mapsEnd > lvdBytes.length)
    throw new DecodeError(`partition map table of ${lvd.mapTableLength} bytes`);
  for (let o = 440, i = 0; i < lvd.partitionMapCount; i++) {
    const h = partitionMapHeader.decode(lvdBytes.subarray(o, mapsEnd));
    if (h.length < 6 || o + h.length > mapsEnd)
      throw new DecodeError(`partition map ${i} of ${h.length} bytes overruns the table`);
    const map = lvdBytes.subarray(o, o + h.length);
    if (h.type === 1) {
      const m = type1PartitionMap.decode(map);
      if (m.partitionNumber !== partition.partitionNumber)
        throw new DecodeError(`partition ${m.partitionNumber} has no descriptor`);
      refs.push(physical);
    } else if (
      h.type === 2 &&
      regid.decode(map.subarray(4, 36)).identifier === METADATA_PARTITION_ID
    ) {
      const m = metadataPartitionMap.decode(map);
      // UDF 2.50 2.2.13: the metadata file's entry, or its mirror's when that one is unreadable.
      let fe: ReturnType<typeof decodeFileEntry>;
      let mirror = false;
      try {
        fe = await readEntry(start + m.metadataFileLocation, m.metadataFileLocation);
      } catch {
        mirror = true;
        fe = await readEntry(start + m.metadataMirrorFileLocation, m.metadataMirrorFileLocation);
      }
      if ((fe.head.icb.flags & 7) !== IcbFlags.shortAd)
        throw new DecodeError('the metadata file has no short allocation descriptors');
      const extents = allocationExtents(fe.allocation, IcbFlags.shortAd, 0, [physical], 'metadata');
      metadata = { extents, mirror };
      refs.push(fileBlocksRef(extents));
    } else {
      throw new DecodeError(`partition map of type ${h.type} is not supported`);
    }
    o += h.length;
  }

  const blocks = async (ref: number, block: number, length = SECTOR): Promise<Uint8Array> => {
    const r = refs[ref];
    if (!r) throw new DecodeError(`partition reference ${ref}`);
    const parts: Uint8Array[] = [];
    for (const x of r.extents(block, length)) {
      parts.push(await readWhole(src, x.sector, x.length));
    }
    return parts.length === 1 ? (parts[0] as Uint8Array) : concat(parts);
  };

  const fsdAt = lvd.fileSetLocation.location;
  const fsdBytes = await blocks(fsdAt.partition, fsdAt.block);
  verifyTag(fsdBytes, { identifier: TagId.fileSetDescriptor, location: fsdAt.block });
  const fsd = fileSetDescriptor.decode(fsdBytes);

  const entry = async (icb: number, ref: number, name: string): Promise<UdfEntry> => {
    const sectorOf = refs[ref]?.extents(icb, SECTOR)[0]?.sector;
    if (sectorOf === undefined) throw new DecodeError(`partition reference ${ref} in ${name}`);
    const fe = await readEntry(sectorOf, icb);
    const h = fe.head;
    const adType = h.icb.flags & 7;
    let extents: Extent[] = [];
    if (adType === IcbFlags.shortAd || adType === IcbFlags.longAd) {
      extents = allocationExtents(fe.allocation, adType, ref, refs, name);
    } else if (adType !== IcbFlags.embedded) {
      throw new DecodeError(`allocation descriptor type ${adType} in ${name}`);
    }
    const kind =
      h.icb.fileType === FileType.directory
        ? 'dir'
        : h.icb.fileType === FileType.symlink
          ? 'symlink'
          : 'file';
    const e: UdfEntry = {
      name,
      kind,
      size: h.informationLength,
      extents,
      icb,
      partition: ref,
      linkCount: h.linkCount,
      extended: fe.extended,
      mode:
        posixPermissions(h.permissions) |
        (h.icb.flags & IcbFlags.setuid ? 0o4000 : 0) |
        (h.icb.flags & IcbFlags.setgid ? 0o2000 : 0) |
        (h.icb.flags & IcbFlags.sticky ? 0o1000 : 0),
      mtime: fromTimestamp(h.modificationTime),
    };
    if (adType === IcbFlags.embedded) e.embedded = fe.allocation;
    return e;
  };

  const readFile = async (f: UdfEntry): Promise<Uint8Array> => {
    if (f.embedded) return f.embedded.subarray(0, f.size);
    const parts: Uint8Array[] = [];
    for (const x of f.extents) parts.push(await readWhole(src, x.sector, x.length));
    return concat(parts).subarray(0, f.size);
  };

  const rootAt = fsd.rootDirectory.location;
  const root = await entry(rootAt.block, rootAt.partition, '');
  return {
    logicalVolumeId: lvd.logicalVolumeId,
    revision: suffixRevision(lvd.domainId),
    partitionStart: start,
    partitionLength: partition.length,
    ...(metadata ? { metadata } : {}),
    root,
    readFile,
    async list(dir) {
      if (dir.kind !== 'dir') throw new DecodeError(`${dir.name} is not a directory`);
      const out: UdfEntry[] = [];
      for (const fid of decodeFileIdentifiers(await readFile(dir))) {
        if (fid.characteristics & (FileCharacteristics.parent | FileCharacteristics.deleted))
          continue;
        const e = await entry(fid.icb.location.block, fid.icb.location.partition, fid.name);
        if (e.kind === 'symlink') e.target = decodePathComponents(await readFile(e));
        out.push(e);
      }
      return out;
    },
  };
}
