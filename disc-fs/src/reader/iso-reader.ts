/**
 * Reading ISO 9660 images back with the same decoders the builder's layouts
 * define: the plain ISO 9660 names, Joliet, or Rock Ridge (following CE
 * continuation areas and CL/RE relocation, RRIP 4.1.5). The start of the disc
 * reader (browse, extract, multisession import).
 */
import { latin1Decode } from '../binary/text.ts';
import { DecodeError } from '../errors.ts';
import {
  decodeDirectoryRecord,
  FileFlags,
  type DirectoryRecord,
} from '../iso9660/directory-record.ts';
import { isoDisplayName } from '../iso9660/iso-names.ts';
import { JOLIET_ESCAPES, jolietDisplayName } from '../iso9660/joliet.ts';
import { decodeRockRidge, PosixType, type RockRidgeInfo } from '../iso9660/rrip.ts';
import { decodeCE, decodeSuspEntries, type SuspEntry } from '../iso9660/susp.ts';
import { readWhole } from './read-whole.ts';
import {
  FIRST_DESCRIPTOR_SECTOR,
  jolietVolumeDescriptor,
  primaryVolumeDescriptor,
  SECTOR,
  VolumeDescriptorType,
  volumeDescriptorHeader,
} from '../iso9660/volume-descriptor.ts';

/** Where the image's sectors come from: a file, a drive, a stream's buffer. */
export interface SectorReader {
  read(sector: number, count: number): Promise<Uint8Array>;
}

export interface ReadEntry {
  name: string;
  kind: 'file' | 'dir' | 'symlink';
  size: number;
  /** Data extents in order (several for a multi-extent file). */
  extents: { sector: number; length: number }[];
  target?: string;
  mode?: number;
  mtime?: number;
  /** Rock Ridge PX serial number (equal for hard links). */
  ino?: number;
}

export type IsoNamespace = 'iso9660' | 'joliet' | 'rockRidge';

export interface IsoVolume {
  volumeId: string;
  sectors: number;
  namespace: IsoNamespace;
  root: ReadEntry;
  list(dir: ReadEntry): Promise<ReadEntry[]>;
  readFile(file: ReadEntry): Promise<Uint8Array>;
}

const same = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** Opens an image in the namespace asked for; falls back to plain ISO 9660 when it is missing. */
export async function openIso(
  src: SectorReader,
  want: IsoNamespace = 'rockRidge',
  /**
   * The session's first sector (multisession: the newest session's start,
   * from the disc's TOC); its volume descriptors are 16 sectors on. Every
   * address inside is already counted from the disc's sector 0.
   */
  sessionStart = 0,
): Promise<IsoVolume> {
  let primary: ReturnType<typeof primaryVolumeDescriptor.decode> | undefined;
  let joliet: ReturnType<typeof jolietVolumeDescriptor.decode> | undefined;
  const first = sessionStart + FIRST_DESCRIPTOR_SECTOR;
  for (let n = first; n < first + 64; n++) {
    const d = await src.read(n, 1);
    const h = volumeDescriptorHeader.decode(d);
    if (h.standardId !== 'CD001') throw new DecodeError(`sector ${n} is not a volume descriptor`);
    if (h.type === VolumeDescriptorType.terminator) break;
    if (h.type === VolumeDescriptorType.primary) primary = primaryVolumeDescriptor.decode(d);
    if (h.type === VolumeDescriptorType.supplementary) {
      const svd = jolietVolumeDescriptor.decode(d);
      if (JOLIET_ESCAPES.some((e) => same(svd.escapeSequences.subarray(0, 3), e))) joliet = svd;
    }
  }
  if (!primary) throw new DecodeError('no primary volume descriptor');
  const useJoliet = want === 'joliet' && joliet !== undefined;
  const vd = useJoliet && joliet ? joliet : primary;
  const rootRecord = decodeDirectoryRecord(vd.rootDirectoryRecord)?.record;
  if (!rootRecord) throw new DecodeError('no root directory record');

  const readExtent = (sector: number, length: number) => readWhole(src, sector, length);

  // SUSP is in use when the root's "." record starts with SP (SUSP 5.3).
  const rootDot = decodeDirectoryRecord(await readExtent(rootRecord.extent, SECTOR))?.record;
  const rr =
    want === 'rockRidge' &&
    !useJoliet &&
    decodeSuspEntries(rootDot?.systemUse ?? new Uint8Array(0))[0]?.signature === 'SP';
  const namespace: IsoNamespace = rr ? 'rockRidge' : useJoliet ? 'joliet' : 'iso9660';

  const suspOf = async (r: DirectoryRecord): Promise<SuspEntry[]> => {
    const out: SuspEntry[] = [];
    let entries = decodeSuspEntries(r.systemUse);
    for (let hops = 0; hops < 64; hops++) {
      out.push(...entries.filter((e) => e.signature !== 'CE'));
      const ce = entries.find((e) => e.signature === 'CE');
      if (!ce) break;
      const at = decodeCE(ce);
      const area = await src.read(at.block, 1);
      entries = decodeSuspEntries(area.subarray(at.offset, at.offset + at.length));
    }
    return out;
  };

  const toEntry = (
    r: DirectoryRecord,
    name: string,
    info: RockRidgeInfo | undefined,
  ): ReadEntry => {
    const type = (info?.attributes?.mode ?? 0) & PosixType.mask;
    const kind =
      r.flags & FileFlags.directory ? 'dir' : type === PosixType.symlink ? 'symlink' : 'file';
    const e: ReadEntry = {
      name,
      kind,
      size: r.dataLength,
      extents: [{ sector: r.extent, length: r.dataLength }],
    };
    if (r.recorded !== undefined) e.mtime = r.recorded;
    if (info?.attributes) [e.mode, e.ino] = [info.attributes.mode & 0o7777, info.attributes.ino];
    if (info?.times?.modify !== undefined) e.mtime = info.times.modify;
    if (info?.target !== undefined) e.target = info.target;
    return e;
  };

  const list = async (dir: ReadEntry): Promise<ReadEntry[]> => {
    const first = dir.extents[0];
    if (dir.kind !== 'dir' || !first) throw new DecodeError(`${dir.name} is not a directory`);
    const data = await readExtent(first.sector, first.length);
    const out: ReadEntry[] = [];
    let pending: ReadEntry | undefined;
    let o = 0;
    while (o < data.length) {
      const d = decodeDirectoryRecord(data, o);
      if (!d) {
        o = (Math.floor(o / SECTOR) + 1) * SECTOR;
        continue;
      }
      o += d.length;
      const r = d.record;
      const id = r.identifier;
      if (id.length === 1 && (id[0] === 0 || id[0] === 1)) continue;
      let name = namespace === 'joliet' ? jolietDisplayName(id) : isoDisplayName(latin1Decode(id));
      let info: RockRidgeInfo | undefined;
      let record = r;
      if (rr) {
        info = decodeRockRidge(await suspOf(r));
        if (info.relocated) continue; // shown where its CL placeholder is
        if (info.name !== undefined) name = info.name;
        if (info.childLink !== undefined) {
          // RRIP 4.1.5.1: the directory itself is at the CL location; its "." record has the rest.
          const moved = await readExtent(info.childLink, SECTOR);
          const dot = decodeDirectoryRecord(moved)?.record;
          if (!dot) throw new DecodeError(`CL of ${name} points at no directory`);
          record = dot;
          info = { ...decodeRockRidge(await suspOf(dot)), name };
        }
      }
      // Level 3 multi-extent files (ECMA-119 6.5.1): consecutive records, one file.
      if (pending) {
        pending.extents.push({ sector: record.extent, length: record.dataLength });
        pending.size += record.dataLength;
        if (!(record.flags & FileFlags.multiExtent)) {
          out.push(pending);
          pending = undefined;
        }
        continue;
      }
      const e = toEntry(record, name, info);
      if (record.flags & FileFlags.multiExtent) pending = e;
      else out.push(e);
    }
    return out;
  };

  const root: ReadEntry = toEntry(
    rootRecord,
    '',
    rr && rootDot ? decodeRockRidge(await suspOf(rootDot)) : undefined,
  );
  return {
    volumeId: vd.volumeId,
    sectors: primary.volumeSpaceSize,
    namespace,
    root,
    list,
    async readFile(file) {
      const parts: Uint8Array[] = [];
      let n = 0;
      for (const x of file.extents) {
        if (x.length === 0) continue;
        const b = await readExtent(x.sector, x.length);
        parts.push(b);
        n += b.length;
      }
      const out = new Uint8Array(n);
      let o = 0;
      for (const p of parts) {
        out.set(p, o);
        o += p.length;
      }
      return out;
    },
  };
}
