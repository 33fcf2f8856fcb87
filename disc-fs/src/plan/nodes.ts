/**
 * The planner's own view of the input tree: one node per entry with its
 * resolved attributes, its name in each namespace, hard links joined, and
 * the ISO 9660 hierarchy with Rock Ridge relocation (RRIP 4.1.5: a directory
 * deeper than ECMA-119 6.8.2.1's eight levels, or holding a path over its
 * 255 characters, moves to "rr_moved" and leaves a CL placeholder behind;
 * names and limits are hierarchy.ts's). Sector addresses are filled in
 * later (plan.ts).
 */
import { FileTooLargeError, InvalidTreeError } from '../errors.ts';
import type { InterchangeLevel } from '../iso9660/iso-names.ts';
import { compareNames } from '../names.ts';
import type { DirEntry, Entry, FileEntry } from '../tree.ts';
import { placeAll } from './hierarchy.ts';

interface NodeBase {
  readonly path: string;
  readonly name: string;
  readonly parent: DirNode | undefined;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly mtime: number;
  readonly atime: number;
  readonly ctime: number;
  /** File serial number (RRIP PX) and UDF unique ID source; hard links share it. */
  ino: number;
  /** Display name in the ISO directory holding its record (for a relocated directory: the placeholder's). */
  isoName: string;
  /** Name in Joliet; undefined when the node has no Joliet record (symbolic links). */
  jolietName: string | undefined;
  rrName: string;
  udfName: string;
}

export interface FileNode extends NodeBase {
  readonly kind: 'file';
  readonly entry: FileEntry;
  readonly size: number;
  /** The first entry of a hard-link group; it alone owns the data extent. */
  primary: FileNode;
  links: number;
  /** First sector of the data extent (0 for an empty file). */
  dataSector: number;
}

export interface SymlinkNode extends NodeBase {
  readonly kind: 'symlink';
  readonly target: string;
}

export interface DirNode extends NodeBase {
  readonly kind: 'dir';
  readonly children: Node[];
  /** The directory whose ISO extent lists this one as a directory (rr_moved when relocated). */
  isoParent: DirNode | undefined;
  /** Relocated: the placeholder stays in `parent`, the directory itself lives in rr_moved. */
  relocated: boolean;
  /** Why: deeper than eight levels, or a path inside it would exceed 255 characters. */
  relocatedFor: '' | 'depth' | 'path length';
  /** Display name inside rr_moved when relocated. */
  movedName: string;
  /** Directories listed in this ISO extent as directories, ISO order. */
  isoSubdirs: DirNode[];
  /** Only the synthetic rr_moved directory: the relocated directories it holds. */
  moved: DirNode[];
  synthetic: boolean;
  subdirCount: number;
  // Addresses, filled in by the planner.
  isoExtent: number;
  isoSectors: number;
  ceSector: number;
  ceSectors: number;
  isoNumber: number;
  jolietExtent: number;
  jolietSectors: number;
  jolietNumber: number;
}

export type Node = FileNode | SymlinkNode | DirNode;

export interface NodeOptions {
  level: InterchangeLevel;
  rockRidge: boolean;
  joliet: boolean;
  /** Times for entries that give none. */
  date: number;
}

export interface NodeTree {
  root: DirNode;
  rrMoved: DirNode | undefined;
  /** Every node in depth-first order of sorted names (the order data is laid out in). */
  all: Node[];
  files: number;
  dirs: number;
}

/** ECMA-119 6.5.1 / 9.1.4: one extent holds at most 2^32 - 2048 bytes at level 3, whole sectors. */
export const MAX_EXTENT = 0xffff_f800;
export function base(
  e: Entry | { name: string },
  path: string,
  parent: DirNode | undefined,
  o: NodeOptions,
  defMode: number,
): NodeBase {
  const x = e as Partial<FileEntry>;
  return {
    path,
    name: e.name,
    parent,
    mode: (x.mode ?? defMode) & 0o7777,
    uid: x.uid ?? 0,
    gid: x.gid ?? 0,
    mtime: x.mtime ?? o.date,
    atime: x.atime ?? x.mtime ?? o.date,
    ctime: x.ctime ?? x.mtime ?? o.date,
    ino: 0,
    isoName: '',
    jolietName: undefined,
    rrName: '',
    udfName: '',
  };
}

/**
 * Nodes are written out as literals with one property order (no spread), so
 * V8 gives all nodes of a kind one hidden class: a spread per node cost
 * about a kilobyte each in object shapes, at 100,000 entries.
 */
export function dirNode(b: NodeBase, synthetic: boolean): DirNode {
  return {
    kind: 'dir',
    path: b.path,
    name: b.name,
    parent: b.parent,
    mode: b.mode,
    uid: b.uid,
    gid: b.gid,
    mtime: b.mtime,
    atime: b.atime,
    ctime: b.ctime,
    ino: 0,
    isoName: '',
    jolietName: undefined,
    rrName: '',
    udfName: '',
    children: [],
    isoParent: undefined,
    relocated: false,
    relocatedFor: '',
    movedName: '',
    isoSubdirs: [],
    moved: [],
    synthetic,
    subdirCount: 0,
    isoExtent: 0,
    isoSectors: 0,
    ceSector: 0,
    ceSectors: 0,
    isoNumber: 0,
    jolietExtent: 0,
    jolietSectors: 0,
    jolietNumber: 0,
  };
}

function fileNode(b: NodeBase, e: FileEntry): FileNode {
  return {
    kind: 'file',
    path: b.path,
    name: b.name,
    parent: b.parent,
    mode: b.mode,
    uid: b.uid,
    gid: b.gid,
    mtime: b.mtime,
    atime: b.atime,
    ctime: b.ctime,
    ino: 0,
    isoName: '',
    jolietName: undefined,
    rrName: '',
    udfName: '',
    entry: e,
    size: e.size,
    primary: undefined as unknown as FileNode,
    links: 1,
    dataSector: 0,
  };
}

function symlinkNode(b: NodeBase, target: string): SymlinkNode {
  return {
    kind: 'symlink',
    path: b.path,
    name: b.name,
    parent: b.parent,
    mode: b.mode,
    uid: b.uid,
    gid: b.gid,
    mtime: b.mtime,
    atime: b.atime,
    ctime: b.ctime,
    ino: 0,
    isoName: '',
    jolietName: undefined,
    rrName: '',
    udfName: '',
    target,
  };
}

function checkName(name: string, path: string): void {
  if (name === '' || name === '.' || name === '..') {
    throw new InvalidTreeError(path, `"${name}" is not a file name`);
  }
  if (name.includes('/') || name.includes('\u0000')) {
    throw new InvalidTreeError(path, 'a name may not contain "/" or NUL');
  }
}

/** Builds the node tree: validation, sorted children, hard links, names, relocation. */
export function buildNodes(root: DirEntry, o: NodeOptions): NodeTree {
  const all: Node[] = [];
  const inodes = new Map<string | number, FileNode>();
  let files = 0;
  let dirs = 1;
  let nextIno = 1;
  const rootNode = dirNode(base({ name: '' }, '/', undefined, o, 0o755), false);
  Object.assign(rootNode, { mode: (root.mode ?? 0o755) & 0o7777 });
  for (const k of ['uid', 'gid', 'mtime', 'atime', 'ctime'] as const) {
    const v = root[k];
    if (v !== undefined) Object.assign(rootNode, { [k]: v });
  }
  rootNode.ino = nextIno++;
  all.push(rootNode);

  const walk = (entry: DirEntry, dir: DirNode): void => {
    const sorted = [...entry.children].sort((a, b) => compareNames(a.name, b.name));
    for (let i = 0; i < sorted.length; i++) {
      const e = sorted[i] as Entry;
      const path = dir.path === '/' ? `/${e.name}` : `${dir.path}/${e.name}`;
      checkName(e.name, path);
      if (i > 0 && sorted[i - 1]?.name === e.name) {
        throw new InvalidTreeError(path, 'two entries have this name');
      }
      let node: Node;
      if (e.kind === 'file') {
        if (!Number.isSafeInteger(e.size) || e.size < 0) {
          throw new InvalidTreeError(path, `bad size ${String(e.size)}`);
        }
        if (o.level < 3 && e.size > 0xffff_ffff) throw new FileTooLargeError(path, e.size);
        const f = fileNode(base(e, path, dir, o, 0o644), e);
        const first = e.inode === undefined ? undefined : inodes.get(e.inode);
        if (first) {
          if (first.size !== f.size) {
            throw new InvalidTreeError(path, `hard link to ${first.path} with another size`);
          }
          f.primary = first;
          f.ino = first.ino;
          first.links++;
        } else {
          f.primary = f;
          f.ino = nextIno++;
          if (e.inode !== undefined) inodes.set(e.inode, f);
        }
        files++;
        node = f;
      } else if (e.kind === 'symlink') {
        node = symlinkNode(base(e, path, dir, o, 0o777), e.target);
        node.ino = nextIno++;
        files++;
      } else {
        node = dirNode(base(e, path, dir, o, 0o755), false);
        node.ino = nextIno++;
        dir.subdirCount++;
        dirs++;
      }
      dir.children.push(node);
      all.push(node);
      if (node.kind === 'dir') walk(e as DirEntry, node);
    }
  };
  walk(root, rootNode);
  for (const n of all) if (n.kind === 'file') n.links = n.primary.links;

  const rrMoved = placeAll(rootNode, o, () => {
    const d = dirNode(base({ name: 'rr_moved' }, '/rr_moved', rootNode, o, 0o755), true);
    d.ino = nextIno++;
    return d;
  });
  return { root: rootNode, rrMoved, all, files, dirs: dirs + (rrMoved ? 1 : 0) };
}
