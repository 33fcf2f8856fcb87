/**
 * ISO 9660 and Joliet directory extents and path tables, built from the node
 * tree. The same functions measure a directory at plan time (addresses still
 * zero: no length depends on an address) and write it when its sectors are
 * due, so the plan never stores directory bytes.
 */
import { concat } from '../binary/layout.ts';
import { TooManyDirectoriesError } from '../errors.ts';
import {
  encodeDirectoryRecord,
  FileFlags,
  MAX_RECORD,
  systemUseOffset,
  type DirectoryRecord,
} from '../iso9660/directory-record.ts';
import {
  compareIsoIdentifiers,
  type InterchangeLevel,
  isoIdentifier,
} from '../iso9660/iso-names.ts';
import { compareJolietIdentifiers, jolietIdentifier } from '../iso9660/joliet.ts';
import {
  encodePathTableRecord,
  pathTableRecordLength,
  type ByteOrder,
} from '../iso9660/path-table.ts';
import {
  encodeCL,
  encodeNM,
  encodePL,
  encodePX,
  encodeRE,
  encodeRR,
  encodeSL,
  encodeTF,
  PosixType,
  RRIP_ER,
  RrFlags,
} from '../iso9660/rrip.ts';
import {
  areaLength,
  assembleSystemUse,
  type ContinuationArea,
  encodeER,
  encodeSP,
  planSystemUse,
} from '../iso9660/susp.ts';
import { SECTOR } from '../iso9660/volume-descriptor.ts';
import { latin1Decode } from '../binary/text.ts';
import { MAX_EXTENT, type DirNode, type Node } from './nodes.ts';

export interface IsoContext {
  readonly level: InterchangeLevel;
  readonly rockRidge: boolean;
  readonly root: DirNode;
}

type Role = 'normal' | 'placeholder' | 'moved';
interface Item {
  node: Node;
  role: Role;
  identifier: Uint8Array;
}

/** The extents of a file: one, or several of at most MAX_EXTENT bytes at level 3 (ECMA-119 6.5.1). */
export function sections(
  size: number,
  level: InterchangeLevel,
): { sector: number; length: number }[] {
  if (level < 3 || size <= MAX_EXTENT) return [{ sector: 0, length: size }];
  const out: { sector: number; length: number }[] = [];
  for (let o = 0; o < size; o += MAX_EXTENT) {
    out.push({ sector: o / SECTOR, length: Math.min(MAX_EXTENT, size - o) });
  }
  return out;
}

/** The records of one ISO directory after "." and "..", in ECMA-119 9.3 order. */
function isoItems(d: DirNode, ctx: IsoContext, rrMoved: DirNode | undefined): Item[] {
  let items: Item[];
  if (d.synthetic) {
    items = d.moved.map((n) => ({
      node: n,
      role: 'moved',
      identifier: isoIdentifier(n.movedName, true),
    }));
  } else {
    items = d.children.map((n) => ({
      node: n,
      role: n.kind === 'dir' && n.relocated ? 'placeholder' : 'normal',
      identifier: isoIdentifier(n.isoName, n.kind === 'dir'),
    }));
    if (d === ctx.root && rrMoved) {
      items.push({
        node: rrMoved,
        role: 'normal',
        identifier: isoIdentifier(rrMoved.isoName, true),
      });
    }
  }
  const key = new Map(items.map((it) => [it, latin1Decode(it.identifier)]));
  return items.sort((a, b) => compareIsoIdentifiers(key.get(a) ?? '', key.get(b) ?? ''));
}

function posixMode(n: Node): number {
  const type =
    n.kind === 'dir' ? PosixType.dir : n.kind === 'symlink' ? PosixType.symlink : PosixType.file;
  return type | n.mode;
}

function links(n: Node): number {
  if (n.kind === 'file') return n.links;
  if (n.kind === 'dir') return 2 + (n.synthetic ? n.moved.length : n.subdirCount);
  return 1;
}

function attributes(n: Node): Uint8Array[] {
  return [
    encodePX({ mode: posixMode(n), links: links(n), uid: n.uid, gid: n.gid, ino: n.ino }),
    encodeTF({ modify: n.mtime, access: n.atime, attributes: n.ctime }),
  ];
}

/** Rock Ridge entries of one record: RR first, then PX and TF, then links, then NM and SL. */
function rrEntries(
  n: Node,
  kind: 'dot' | 'dotdot' | Role,
  extra: { parentLink?: number; childLink?: number; root?: boolean },
): Uint8Array[] {
  const out: Uint8Array[] = [];
  let flags = RrFlags.PX | RrFlags.TF;
  const tail: Uint8Array[] = [];
  if (kind === 'normal' || kind === 'placeholder' || kind === 'moved') {
    flags |= RrFlags.NM;
    tail.push(...encodeNM(n.rrName));
  }
  if (n.kind === 'symlink' && kind === 'normal') {
    flags |= RrFlags.SL;
    tail.push(...encodeSL(n.target));
  }
  const links: Uint8Array[] = [];
  if (extra.childLink !== undefined) {
    flags |= RrFlags.CL;
    links.push(encodeCL(extra.childLink));
  }
  if (extra.parentLink !== undefined) {
    flags |= RrFlags.PL;
    links.push(encodePL(extra.parentLink));
  }
  if (kind === 'moved') {
    flags |= RrFlags.RE;
    links.push(encodeRE());
  }
  if (extra.root) out.push(encodeSP());
  out.push(encodeRR(flags), ...attributes(n), ...links, ...tail);
  if (extra.root) out.push(encodeER(RRIP_ER));
  return out;
}

/** Lays records out in sectors (6.8.1.1: none crosses a sector boundary). */
class ExtentWriter {
  private parts: Uint8Array[] = [];
  private offset = 0;
  add(record: Uint8Array): void {
    const rest = SECTOR - (this.offset % SECTOR);
    if (record.length > rest) {
      this.parts.push(new Uint8Array(rest));
      this.offset += rest;
    }
    this.parts.push(record);
    this.offset += record.length;
  }
  /** Byte offset of the next area of `length` bytes kept within one sector. */
  place(length: number): number {
    const rest = SECTOR - (this.offset % SECTOR);
    if (length > rest) {
      this.parts.push(new Uint8Array(rest));
      this.offset += rest;
    }
    const at = this.offset;
    this.offset += length;
    return at;
  }
  push(bytes: Uint8Array): void {
    this.parts.push(bytes);
  }
  finish(): Uint8Array {
    const padded = Math.ceil(this.offset / SECTOR) * SECTOR;
    if (padded > this.offset) this.parts.push(new Uint8Array(padded - this.offset));
    return concat(this.parts);
  }
}

export interface EncodedDirectory {
  extent: Uint8Array;
  /** Rock Ridge continuation areas, in the sectors right after the extent. */
  ce: Uint8Array;
}

/** One ISO directory's extent and its continuation sectors, at the node's current addresses. */
export function encodeIsoDirectory(
  d: DirNode,
  ctx: IsoContext,
  rrMoved: DirNode | undefined,
): EncodedDirectory {
  const out = new ExtentWriter();
  const ce = new ExtentWriter();
  const record = (r: Omit<DirectoryRecord, 'systemUse'>, entries: () => Uint8Array[]): void => {
    if (!ctx.rockRidge) {
      out.add(encodeDirectoryRecord({ ...r, systemUse: new Uint8Array(0) }));
      return;
    }
    const room = MAX_RECORD - 1 - systemUseOffset(r.identifier.length);
    const p = planSystemUse(entries(), room);
    const placed: ContinuationArea[] = p.areas.map((_, i) => {
      const length = areaLength(p, i);
      const at = ce.place(length);
      return { block: d.ceSector + Math.floor(at / SECTOR), offset: at % SECTOR, length };
    });
    const su = assembleSystemUse(p, placed);
    su.areas.forEach((a) => ce.push(a));
    out.add(encodeDirectoryRecord({ ...r, systemUse: su.inline }));
  };

  const isRoot = d === ctx.root;
  const dirLength = d.isoSectors * SECTOR;
  record(
    {
      extent: d.isoExtent,
      dataLength: dirLength,
      recorded: d.mtime,
      flags: FileFlags.directory,
      identifier: Uint8Array.of(0),
    },
    () => rrEntries(d, 'dot', { root: isRoot }),
  );
  const isoParent = d.isoParent ?? d;
  const rrParent = d.relocated ? (d.parent ?? d) : d.synthetic ? ctx.root : (d.parent ?? d);
  record(
    {
      extent: isoParent.isoExtent,
      dataLength: isoParent.isoSectors * SECTOR,
      recorded: isoParent.mtime,
      flags: FileFlags.directory,
      identifier: Uint8Array.of(1),
    },
    () => rrEntries(rrParent, 'dotdot', d.relocated ? { parentLink: rrParent.isoExtent } : {}),
  );
  for (const it of isoItems(d, ctx, rrMoved)) {
    const n = it.node;
    if (n.kind === 'dir') {
      const isDir = it.role !== 'placeholder';
      record(
        {
          extent: n.isoExtent,
          dataLength: isDir ? n.isoSectors * SECTOR : 0,
          recorded: n.mtime,
          flags: isDir ? FileFlags.directory : 0,
          identifier: it.identifier,
        },
        () => rrEntries(n, it.role, it.role === 'placeholder' ? { childLink: n.isoExtent } : {}),
      );
    } else if (n.kind === 'symlink') {
      record(
        { extent: 0, dataLength: 0, recorded: n.mtime, flags: 0, identifier: it.identifier },
        () => rrEntries(n, 'normal', {}),
      );
    } else {
      const parts = sections(n.size, ctx.level);
      const start = n.primary.dataSector;
      parts.forEach((s, i) =>
        record(
          {
            extent: n.size === 0 ? 0 : start + s.sector,
            dataLength: s.length,
            recorded: n.mtime,
            flags: i < parts.length - 1 ? FileFlags.multiExtent : 0,
            identifier: it.identifier,
          },
          () => rrEntries(n, 'normal', {}),
        ),
      );
    }
  }
  return { extent: out.finish(), ce: ce.finish() };
}

/** Joliet's records after "." and "..": every child but symbolic links, UCS-2 order. */
function jolietItems(d: DirNode): { node: Node; identifier: Uint8Array }[] {
  return d.children
    .filter((n) => n.jolietName !== undefined)
    .map((n) => ({ node: n, identifier: jolietIdentifier(n.jolietName ?? '', n.kind === 'dir') }))
    .sort((a, b) => compareJolietIdentifiers(a.identifier, b.identifier));
}

export function encodeJolietDirectory(d: DirNode, level: InterchangeLevel): Uint8Array {
  const out = new ExtentWriter();
  const parent = d.parent ?? d;
  const dir = (n: DirNode, identifier: Uint8Array): DirectoryRecord => ({
    extent: n.jolietExtent,
    dataLength: n.jolietSectors * SECTOR,
    recorded: n.mtime,
    flags: FileFlags.directory,
    identifier,
    systemUse: new Uint8Array(0),
  });
  out.add(encodeDirectoryRecord(dir(d, Uint8Array.of(0))));
  out.add(encodeDirectoryRecord(dir(parent, Uint8Array.of(1))));
  for (const { node: n, identifier } of jolietItems(d)) {
    if (n.kind === 'dir') {
      out.add(encodeDirectoryRecord(dir(n, identifier)));
    } else if (n.kind === 'file') {
      const parts = sections(n.size, level);
      parts.forEach((s, i) =>
        out.add(
          encodeDirectoryRecord({
            extent: n.size === 0 ? 0 : n.primary.dataSector + s.sector,
            dataLength: s.length,
            recorded: n.mtime,
            flags: i < parts.length - 1 ? FileFlags.multiExtent : 0,
            identifier,
            systemUse: new Uint8Array(0),
          }),
        ),
      );
    }
  }
  return out.finish();
}

/** Path table order (ECMA-119 9.4, 6.9.1): breadth first, parents in number order, then identifier. */
export function isoDirectoryOrder(root: DirNode): DirNode[] {
  const order = [root];
  for (let i = 0; i < order.length; i++) {
    const d = order[i] as DirNode;
    const subs = [...d.isoSubdirs].sort((a, b) =>
      compareIsoIdentifiers(
        a.relocated ? a.movedName : a.isoName,
        b.relocated ? b.movedName : b.isoName,
      ),
    );
    order.push(...subs);
  }
  if (order.length > 0xffff) throw new TooManyDirectoriesError(order.length);
  order.forEach((d, i) => (d.isoNumber = i + 1));
  return order;
}

export function jolietDirectoryOrder(root: DirNode): DirNode[] {
  const order = [root];
  for (let i = 0; i < order.length; i++) {
    const d = order[i] as DirNode;
    const subs = jolietItems(d)
      .map((it) => it.node)
      .filter((n): n is DirNode => n.kind === 'dir');
    order.push(...subs);
  }
  if (order.length > 0xffff) throw new TooManyDirectoriesError(order.length);
  order.forEach((d, i) => (d.jolietNumber = i + 1));
  return order;
}

export interface PathTableSource {
  order: readonly DirNode[];
  identifier(d: DirNode): Uint8Array;
  extent(d: DirNode): number;
  parentNumber(d: DirNode): number;
}

export function pathTableSize(src: PathTableSource): number {
  return src.order.reduce((n, d) => n + pathTableRecordLength(src.identifier(d).length), 0);
}

export function encodePathTable(src: PathTableSource, order: ByteOrder): Uint8Array {
  const size = pathTableSize(src);
  const out = new Uint8Array(Math.ceil(size / SECTOR) * SECTOR);
  let o = 0;
  for (const d of src.order) {
    o += encodePathTableRecord(
      { extent: src.extent(d), parent: src.parentNumber(d), identifier: src.identifier(d) },
      order,
      out,
      o,
    );
  }
  return out;
}

export function isoPathTable(order: readonly DirNode[], root: DirNode): PathTableSource {
  return {
    order,
    identifier: (d) =>
      d === root ? Uint8Array.of(0) : isoIdentifier(d.relocated ? d.movedName : d.isoName, true),
    extent: (d) => d.isoExtent,
    parentNumber: (d) => (d === root ? 1 : (d.isoParent ?? root).isoNumber),
  };
}

export function jolietPathTable(order: readonly DirNode[], root: DirNode): PathTableSource {
  return {
    order,
    identifier: (d) => (d === root ? Uint8Array.of(0) : jolietIdentifier(d.jolietName ?? '', true)),
    extent: (d) => d.jolietExtent,
    parentNumber: (d) => (d === root ? 1 : (d.parent ?? root).jolietNumber),
  };
}
