/**
 * The image plan: every sector of the image is assigned before the first
 * byte is produced. `planImage` walks the tree once (names, relocation,
 * sizes of every directory, path table and continuation area), then lays the
 * image out as a list of regions; `stream.ts` turns the regions into sectors,
 * reading file data only when its sectors are due.
 *
 * Layout (sector numbers for an image with every feature):
 *   0-15     system area, zero (ECMA-119 6.2.1)
 *   16       primary volume descriptor (ECMA-119 8.4)
 *   17       El Torito boot record (El Torito 1.0 §2.0), when booting
 *   next     Joliet supplementary descriptor (ECMA-119 8.5), terminator (8.3)
 *   next     UDF volume recognition: BEA01, NSR02, TEA01 (ECMA-167 2/9)
 *   32-65    UDF main and reserve volume descriptor sequences, integrity (UDF 1.02 2.2)
 *   256      UDF anchor (ECMA-167 3/10.2); the UDF partition starts at 257
 *            (UDF 2.50: at 288, with the metadata file entries)
 *   then     UDF file set descriptor, El Torito catalog, path tables, ISO
 *            directories with their Rock Ridge continuation areas, Joliet
 *            directories, UDF file entries and directories (UDF 2.50: the
 *            metadata file and its mirror, 32-sector aligned), file data,
 *            padding, and the closing UDF anchor in the last sector.
 */
import { InvalidTreeError } from '../errors.ts';
import type { InterchangeLevel } from '../iso9660/iso-names.ts';
import { SECTOR } from '../iso9660/volume-descriptor.ts';
import type { DirEntry } from '../tree.ts';
import type { UdfRevisionName } from '../udf/plan.ts';
import {
  encodeIsoDirectory,
  encodeJolietDirectory,
  encodePathTable,
  isoDirectoryOrder,
  isoPathTable,
  jolietDirectoryOrder,
  jolietPathTable,
  pathTableSize,
  type IsoContext,
  type PathTableSource,
} from './iso-dirs.ts';
import { buildNodes, type DirNode, type FileNode, type Node, type NodeTree } from './nodes.ts';
import { buildReport, type PlanReport } from './report.ts';

export interface BootImage {
  /** Path of the image file inside the tree, e.g. "/boot/isolinux.bin" (xorriso -b / -e). */
  path: string;
  /** 512-byte sectors the BIOS loads (El Torito 2.2 "sector count"); default 4, as xorriso. */
  loadSize?: number;
  /** Patch a boot information table into bytes 8-63 (mkisofs -boot-info-table). */
  infoTable?: boolean;
}

export interface ImageOptions {
  /** The volume label. ISO 9660 keeps d-characters (upper case), Joliet and UDF keep it as given. */
  volumeId?: string;
  publisher?: string;
  preparer?: string;
  /** Default "webdisc". */
  application?: string;
  system?: string;
  volumeSetId?: string;
  /** Creation date of the volume and of entries without times (ms since 1970 UTC). Fix it for reproducible images. */
  date?: number;
  /** ISO 9660 interchange level (ECMA-119 10); default 3 (files of 4 GiB and more as multi-extent). */
  level?: InterchangeLevel;
  rockRidge?: boolean;
  joliet?: boolean;
  /** A UDF bridge sharing the file data; default true. */
  udf?: boolean;
  /**
   * '1.02' (default: DVD and CD readers, every OS) or '2.50' (BD: a metadata
   * partition with a mirror copy, extended file entries; udf/plan.ts).
   */
  udfRevision?: UdfRevisionName;
  /**
   * Record symbolic links in UDF (ECMA-167 4/14.6.6 file type 12, as Linux
   * reads them); default true. 7-Zip refuses a UDF volume holding one, so
   * `false` leaves them out of UDF (the report lists each).
   */
  udfSymlinks?: boolean;
  boot?: { bios?: BootImage; efi?: BootImage };
  /**
   * The image's first sector on the disc. A later session (multisession)
   * starts at the disc's next writable address: every address in it, and
   * its volume space size, count from the disc's sector 0, and its files
   * may point at data earlier sessions wrote (FileEntry.location). Default
   * 0. A later session has no UDF bridge (UDF on write-once media needs a
   * virtual allocation table, which this builder does not write): readers
   * use its ISO 9660, Rock Ridge and Joliet trees, as with xorriso's.
   */
  startSector?: number;
  /**
   * Zero sectors after the data. Default 150 (300 KiB, as xorriso), for
   * CD drives that cannot read the last sectors of a track-at-once track.
   */
  padding?: number;
}

export interface ResolvedOptions {
  volumeId: string;
  publisher: string;
  preparer: string;
  application: string;
  system: string;
  volumeSetId: string;
  date: number;
  level: InterchangeLevel;
  rockRidge: boolean;
  joliet: boolean;
  udf: boolean;
  udfRevision: UdfRevisionName;
  udfSymlinks: boolean;
  boot: { bios?: BootImage; efi?: BootImage };
  padding: number;
  startSector: number;
}

/** A contiguous run of sectors and how to produce them. */
export interface Region {
  readonly start: number;
  readonly sectors: number;
  readonly what: string;
  produce(): AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
}

/** Where things landed: for tests, tools, and the disc reader. */
export interface PlanLayout {
  isoPathTable: { l: number; m: number; size: number };
  jolietPathTable?: { l: number; m: number; size: number };
  rootExtent: number;
  jolietRootExtent?: number;
  bootCatalog?: number;
  udf?: {
    revision: UdfRevisionName;
    partitionStart: number;
    partitionLength: number;
    anchors: number[];
    /** UDF 2.50: absolute sectors of the metadata file's data and its mirror, and their length. */
    metadata?: { start: number; mirror: number; blocks: number };
  };
}

/** Everything the region producers need. */
export interface PlanState {
  readonly options: ResolvedOptions;
  readonly tree: NodeTree;
  readonly isoOrder: DirNode[];
  readonly jolietOrder: DirNode[];
  readonly isoPathTable: PathTableSource;
  readonly jolietPathTable: PathTableSource | undefined;
  readonly layout: PlanLayout;
  totalSectors: number;
  regions: Region[];
}

export function resolveOptions(o: ImageOptions): ResolvedOptions {
  const startSector = o.startSector ?? 0;
  if (!Number.isInteger(startSector) || startSector < 0)
    throw new InvalidTreeError('/', `the start sector must be a sector number, not ${startSector}`);
  if (startSector > 0 && o.udf)
    throw new InvalidTreeError(
      '/',
      'a later session cannot carry a UDF bridge (only the first can)',
    );
  return {
    startSector,
    volumeId: o.volumeId ?? 'CDROM',
    publisher: o.publisher ?? '',
    preparer: o.preparer ?? '',
    application: o.application ?? 'webdisc',
    system: o.system ?? '',
    volumeSetId: o.volumeSetId ?? o.volumeId ?? 'CDROM',
    date: o.date ?? Date.now(),
    level: o.level ?? 3,
    rockRidge: o.rockRidge ?? true,
    joliet: o.joliet ?? true,
    udf: o.udf ?? startSector === 0,
    udfRevision: o.udfRevision ?? '1.02',
    udfSymlinks: o.udfSymlinks ?? true,
    boot: o.boot ?? {},
    padding: o.padding ?? 150,
  };
}

/** Allocates sectors in order and records the regions. */
export class Allocator {
  /** The next free sector, on the disc (the image's first is `base`). */
  next: number;
  readonly regions: Region[] = [];
  constructor(readonly base = 0) {
    this.next = base;
  }
  /** Reserves `sectors` and returns the first, as an address on the disc; regions count from the image's start. */
  add(
    sectors: number,
    what: string,
    produce: () => AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  ): number {
    const start = this.next;
    if (sectors > 0) this.regions.push({ start: start - this.base, sectors, what, produce });
    this.next += sectors;
    return start;
  }
  zeroTo(sector: number, what: string): void {
    if (sector < this.next) throw new RangeError(`${what}: sector ${sector} already used`);
    const n = sector - this.next;
    this.add(n, what, () => zeros(n));
  }
}

export function* zeros(sectors: number): Iterable<Uint8Array> {
  const chunk = 256;
  for (let s = 0; s < sectors; s += chunk)
    yield new Uint8Array(Math.min(chunk, sectors - s) * SECTOR);
}

export const sectorsFor = (bytes: number): number => Math.ceil(bytes / SECTOR);

/** Hooks the optional parts (UDF, El Torito, volume descriptors) plug into. */
export interface PlanParts {
  /** Sectors 16.. : the volume descriptors and recognition sequences. */
  descriptors(a: Allocator, s: PlanState): void;
  /** Structures at the start of the UDF partition (before the ISO metadata). */
  partitionHead(a: Allocator, s: PlanState): void;
  /** After the ISO/Joliet metadata: UDF file entries and directories. */
  metadata(a: Allocator, s: PlanState): void;
  /** After the data and padding: the closing anchor. */
  tail(a: Allocator, s: PlanState): void;
  /** Validates boot images once the tree is known. */
  boot(s: PlanState): void;
  /** The El Torito catalog sector, if any. */
  bootCatalog(a: Allocator, s: PlanState): void;
  /** A file's data sectors (stream.ts), read when due. */
  fileData(s: PlanState, n: FileNode): AsyncIterable<Uint8Array>;
}

export function findNode(tree: NodeTree, path: string): Node | undefined {
  const parts = path.split('/').filter((p) => p !== '');
  let n: Node = tree.root;
  for (const p of parts) {
    if (n.kind !== 'dir') return undefined;
    const next: Node | undefined = n.children.find((c) => c.name === p);
    if (!next) return undefined;
    n = next;
  }
  return n;
}

export function bootFile(tree: NodeTree, b: BootImage): FileNode {
  const n = findNode(tree, b.path);
  if (!n || n.kind !== 'file')
    throw new InvalidTreeError(b.path, 'boot image is not a file in the tree');
  return n;
}

/** Plans the image; `parts` adds the UDF bridge, El Torito and the descriptors. */
export function planLayout(
  root: DirEntry,
  options: ResolvedOptions,
  parts: PlanParts,
): PlanState & { report: PlanReport } {
  const tree = buildNodes(root, {
    level: options.level,
    rockRidge: options.rockRidge,
    joliet: options.joliet,
    date: options.date,
  });
  const ctx: IsoContext = { level: options.level, rockRidge: options.rockRidge, root: tree.root };
  const isoOrder = isoDirectoryOrder(tree.root);
  const jolietOrder = options.joliet ? jolietDirectoryOrder(tree.root) : [];
  const layout: PlanLayout = { isoPathTable: { l: 0, m: 0, size: 0 }, rootExtent: 0 };
  const s: PlanState = {
    options,
    tree,
    isoOrder,
    jolietOrder,
    isoPathTable: isoPathTable(isoOrder, tree.root),
    jolietPathTable: options.joliet ? jolietPathTable(jolietOrder, tree.root) : undefined,
    layout,
    totalSectors: 0,
    regions: [],
  };
  parts.boot(s);

  const a = new Allocator(options.startSector);
  a.add(16, 'system area', () => zeros(16));
  parts.descriptors(a, s);
  parts.partitionHead(a, s);
  parts.bootCatalog(a, s);

  // Path tables (ECMA-119 9.4): L and M copies, for ISO and for Joliet.
  const table = (src: PathTableSource, name: string): { l: number; m: number; size: number } => {
    const size = pathTableSize(src);
    const n = sectorsFor(size);
    const l = a.add(n, `${name} L path table`, () => [encodePathTable(src, 'L')]);
    const m = a.add(n, `${name} M path table`, () => [encodePathTable(src, 'M')]);
    return { l, m, size };
  };
  layout.isoPathTable = table(s.isoPathTable, 'ISO 9660');
  if (s.jolietPathTable) layout.jolietPathTable = table(s.jolietPathTable, 'Joliet');

  // ISO directories, each followed by its Rock Ridge continuation areas.
  for (const d of isoOrder) {
    const measured = encodeIsoDirectory(d, ctx, tree.rrMoved);
    d.isoSectors = measured.extent.length / SECTOR;
    d.ceSectors = measured.ce.length / SECTOR;
  }
  for (const d of isoOrder) {
    d.isoExtent = a.add(d.isoSectors + d.ceSectors, `ISO directory ${d.path}`, () => {
      const e = encodeIsoDirectory(d, ctx, tree.rrMoved);
      return [e.extent, e.ce];
    });
    d.ceSector = d.isoExtent + d.isoSectors;
  }
  layout.rootExtent = tree.root.isoExtent;
  if (options.joliet) {
    for (const d of jolietOrder)
      d.jolietSectors = encodeJolietDirectory(d, options.level).length / SECTOR;
    for (const d of jolietOrder) {
      d.jolietExtent = a.add(d.jolietSectors, `Joliet directory ${d.path}`, () => [
        encodeJolietDirectory(d, options.level),
      ]);
    }
    layout.jolietRootExtent = tree.root.jolietExtent;
  }
  parts.metadata(a, s);

  // File data, in tree order; hard links share their primary's extent;
  // files from earlier sessions stay where they are; `dataLast` files last.
  const last: FileNode[] = [];
  for (const n of tree.all) {
    if (n.kind !== 'file' || n.primary !== n || n.size === 0) continue;
    const at = n.entry.location;
    if (at !== undefined) {
      if (!Number.isInteger(at) || at < 0 || at + sectorsFor(n.size) > options.startSector)
        throw new InvalidTreeError(n.path, `its data at sector ${at} is not in an earlier session`);
      n.dataSector = at;
    } else if (n.entry.dataLast) last.push(n);
    else n.dataSector = a.add(sectorsFor(n.size), n.path, () => parts.fileData(s, n));
  }
  for (const n of last)
    n.dataSector = a.add(sectorsFor(n.size), n.path, () => parts.fileData(s, n));
  a.add(options.padding, 'padding', () => zeros(options.padding));
  parts.tail(a, s);
  s.totalSectors = a.next - options.startSector;
  s.regions = a.regions;
  return { ...s, report: buildReport(tree, options) };
}
