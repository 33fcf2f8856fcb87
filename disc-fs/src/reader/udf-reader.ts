/**
 * Reading a UDF volume (ECMA-167 parts 3 and 4, UDF 1.02) with the builder's
 * own descriptor layouts: anchor → volume descriptor sequence → partition
 * and logical volume → file set → root directory → file entries and file
 * identifiers. Handles short, long and embedded allocation descriptors and
 * symbolic links (path components).
 */
import { concat } from '../binary/layout.ts';
import { DecodeError } from '../errors.ts';
import { SECTOR } from '../iso9660/volume-descriptor.ts';
import {
  anchorVolumeDescriptorPointer,
  fileSetDescriptor,
  logicalVolumeDescriptor,
  partitionDescriptor,
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
import { fromTimestamp, longAd, shortAd } from '../udf/primitives.ts';
import { TagId, verifyTag } from '../udf/tag.ts';
import type { ReadEntry, SectorReader } from './iso-reader.ts';

export interface UdfEntry extends ReadEntry {
  /** Partition block of the file entry (hard links share it). */
  icb: number;
  linkCount: number;
  embedded?: Uint8Array;
}

export interface UdfVolume {
  logicalVolumeId: string;
  partitionStart: number;
  partitionLength: number;
  root: UdfEntry;
  list(dir: UdfEntry): Promise<UdfEntry[]>;
  readFile(file: UdfEntry): Promise<Uint8Array>;
}

export async function openUdf(src: SectorReader, anchorSector = 256): Promise<UdfVolume> {
  const avdpBytes = await src.read(anchorSector, 1);
  verifyTag(avdpBytes, { identifier: TagId.anchorVolumeDescriptorPointer, location: anchorSector });
  const avdp = anchorVolumeDescriptorPointer.decode(avdpBytes);
  let partition: ReturnType<typeof partitionDescriptor.decode> | undefined;
  let lvd: ReturnType<typeof logicalVolumeDescriptor.decode> | undefined;
  const vdsSectors = Math.floor(avdp.mainVds.length / SECTOR);
  for (let i = 0; i < vdsSectors; i++) {
    const at = avdp.mainVds.location + i;
    const d = await src.read(at, 1);
    const t = verifyTag(d, { location: at });
    if (t.identifier === TagId.terminatingDescriptor) break;
    if (t.identifier === TagId.partitionDescriptor) partition = partitionDescriptor.decode(d);
    if (t.identifier === TagId.logicalVolumeDescriptor) lvd = logicalVolumeDescriptor.decode(d);
  }
  if (!partition || !lvd) throw new DecodeError('no partition or logical volume descriptor');
  if (lvd.blockSize !== SECTOR) throw new DecodeError(`logical block size ${lvd.blockSize}`);
  const start = partition.start;
  const block = async (b: number, count = 1): Promise<Uint8Array> => src.read(start + b, count);

  const fsdBytes = await block(lvd.fileSetLocation.location.block);
  verifyTag(fsdBytes, {
    identifier: TagId.fileSetDescriptor,
    location: lvd.fileSetLocation.location.block,
  });
  const fsd = fileSetDescriptor.decode(fsdBytes);

  const entry = async (icb: number, name: string): Promise<UdfEntry> => {
    const b = await block(icb);
    verifyTag(b, { identifier: TagId.fileEntry, location: icb });
    const fe = decodeFileEntry(b);
    const h = fe.head;
    const adType = h.icb.flags & 7;
    const extents: { sector: number; length: number }[] = [];
    const step = adType === IcbFlags.longAd ? 16 : 8;
    if (adType === IcbFlags.shortAd || adType === IcbFlags.longAd) {
      for (let o = 0; o + step <= fe.allocation.length; o += step) {
        const ad = fe.allocation.subarray(o, o + step);
        const { length, position } =
          adType === IcbFlags.shortAd
            ? shortAd.decode(ad)
            : (({ length: l, location }) => ({ length: l, position: location.block }))(
                longAd.decode(ad),
              );
        if ((length & 0x3fff_ffff) === 0) break;
        if (length >>> 30 !== 0) throw new DecodeError(`extent type ${length >>> 30} in ${name}`);
        extents.push({ sector: start + position, length: length & 0x3fff_ffff });
      }
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
      linkCount: h.linkCount,
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
    for (const x of f.extents) {
      parts.push((await src.read(x.sector, Math.ceil(x.length / SECTOR))).subarray(0, x.length));
    }
    return concat(parts).subarray(0, f.size);
  };

  const root = await entry(fsd.rootDirectory.location.block, '');
  return {
    logicalVolumeId: lvd.logicalVolumeId,
    partitionStart: start,
    partitionLength: partition.length,
    root,
    readFile,
    async list(dir) {
      if (dir.kind !== 'dir') throw new DecodeError(`${dir.name} is not a directory`);
      const out: UdfEntry[] = [];
      for (const fid of decodeFileIdentifiers(await readFile(dir))) {
        if (fid.characteristics & (FileCharacteristics.parent | FileCharacteristics.deleted))
          continue;
        const e = await entry(fid.icb.location.block, fid.name);
        if (e.kind === 'symlink') e.target = decodePathComponents(await readFile(e));
        out.push(e);
      }
      return out;
    },
  };
}
