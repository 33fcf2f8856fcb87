/**
 * Multisession: the tree of the disc's newest session as the builder's
 * input, every file pointing at the data it already has on the disc
 * (FileEntry.location), so a new session adds, replaces or removes entries
 * and writes only new data, as xorriso -dev and growisofs -M do. The new
 * session is planned with `startSector` at the disc's next writable address.
 *
 * Read through Rock Ridge when the session has it (POSIX names, modes,
 * times, links), else Joliet, else plain ISO 9660. A file whose extents are
 * not one contiguous run (a multi-extent file written with gaps) cannot be
 * carried over as it is: InvalidTreeError names it.
 */
import { InvalidTreeError } from './errors.ts';
import type { IsoVolume, ReadEntry } from './reader/iso-reader.ts';
import type { ByteSource, DirEntry, Entry, FileEntry } from './tree.ts';

const SECTOR = 2048;

/** A file of an earlier session: its bytes are read from the disc only if someone asks. */
function onDisc(vol: IsoVolume, e: ReadEntry): ByteSource {
  let bytes: Promise<Uint8Array> | undefined;
  return {
    async read(offset, length) {
      bytes ??= vol.readFile(e);
      return (await bytes).slice(offset, offset + length);
    },
    close() {
      bytes = undefined;
    },
  };
}

function contiguousStart(e: ReadEntry, path: string): number | undefined {
  const extents = e.extents.filter((x) => x.length > 0);
  if (extents.length === 0) return undefined;
  let next = extents[0]!.sector;
  for (const x of extents) {
    if (x.sector !== next)
      throw new InvalidTreeError(
        path,
        'its data is not contiguous on the disc and cannot be carried over',
      );
    next += Math.ceil(x.length / SECTOR);
  }
  return extents[0]!.sector;
}

/** The session's tree, read whole (directories only; no file data). */
export async function importSession(vol: IsoVolume): Promise<DirEntry> {
  const visited = new Set<number>();
  const dir = async (e: ReadEntry, path: string, depth: number): Promise<DirEntry> => {
    const key = e.extents[0]?.sector ?? -1;
    if (visited.has(key) || depth > 256)
      throw new InvalidTreeError(path || '/', 'the folder loops back to a folder above it');
    visited.add(key);
    const children: Entry[] = [];
    for (const c of await vol.list(e)) {
      const p = `${path}/${c.name}`;
      if (c.kind === 'dir') children.push(await dir(c, p, depth + 1));
      else if (c.kind === 'symlink')
        children.push({ kind: 'symlink', name: c.name, target: c.target ?? '', ...times(c) });
      else {
        const location = contiguousStart(c, p);
        const file: FileEntry = {
          kind: 'file',
          name: c.name,
          size: c.size,
          content: onDisc(vol, c),
          ...(location !== undefined && c.size > 0 ? { location } : {}),
          ...(c.mode !== undefined ? { mode: c.mode & 0o7777 } : {}),
          ...times(c),
        };
        children.push(file);
      }
    }
    return {
      kind: 'dir',
      name: e.name,
      children,
      ...(e.mode !== undefined ? { mode: e.mode & 0o7777 } : {}),
      ...times(e),
    };
  };
  const root = await dir(vol.root, '', 0);
  return { ...root, name: '' };
}

function times(e: ReadEntry): { mtime?: number } {
  return e.mtime !== undefined ? { mtime: e.mtime } : {};
}

/** Where an edit happened, for the caller's report. */
export type TreeEdit =
  | { readonly kind: 'added'; readonly path: string }
  | { readonly kind: 'replaced'; readonly path: string }
  | { readonly kind: 'removed'; readonly path: string };

/**
 * `add`'s entries laid over `base`: folders merge, a file or link replaces
 * the entry of the same name (a folder replaced by a file, or the reverse,
 * too). Returns the new tree and every change.
 */
export function overlay(
  base: DirEntry,
  add: DirEntry,
  at = '',
): { tree: DirEntry; edits: TreeEdit[] } {
  const edits: TreeEdit[] = [];
  const byName = new Map(base.children.map((c) => [c.name, c] as const));
  for (const c of add.children) {
    const path = `${at}/${c.name}`;
    const old = byName.get(c.name);
    if (old?.kind === 'dir' && c.kind === 'dir') {
      const merged = overlay(old, c, path);
      byName.set(c.name, { ...merged.tree, ...(c.mtime !== undefined ? { mtime: c.mtime } : {}) });
      edits.push(...merged.edits);
    } else {
      byName.set(c.name, c);
      edits.push({ kind: old ? 'replaced' : 'added', path });
    }
  }
  return { tree: { ...base, children: [...byName.values()] }, edits };
}

/** The tree without the entry at `path` (a file, a link, or a folder and all in it). */
export function remove(base: DirEntry, path: string): { tree: DirEntry; edits: TreeEdit[] } {
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0) throw new InvalidTreeError('/', 'the root cannot be removed');
  const go = (d: DirEntry, i: number): DirEntry => {
    const name = parts[i]!;
    const found = d.children.find((c) => c.name === name);
    if (!found) throw new InvalidTreeError(path, 'is not in the session');
    if (i === parts.length - 1) return { ...d, children: d.children.filter((c) => c !== found) };
    if (found.kind !== 'dir') throw new InvalidTreeError(path, `${name} is not a folder`);
    return { ...d, children: d.children.map((c) => (c === found ? go(found, i + 1) : c)) };
  };
  return { tree: go(base, 0), edits: [{ kind: 'removed', path: `/${parts.join('/')}` }] };
}
