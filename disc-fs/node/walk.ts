/**
 * Node adapter: a directory on disk as a disc-fs tree. Every entry is
 * lstat'ed up front (the plan needs sizes, modes and times); file bytes are
 * read later, through one file handle per file opened at its first read and
 * closed when the builder is done with it. Hard links are joined by
 * device and inode number; sockets, FIFOs and device files cannot go on a
 * disc and are listed in `skipped`, never dropped silently.
 */
import { lstat, open, readdir, readlink, type FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import type { ByteSource, DirEntry, Entry } from '../src/tree.ts';

export interface WalkResult {
  root: DirEntry;
  skipped: { path: string; reason: string }[];
}

/** Reads a file by path; a fresh buffer per read, so the builder may pass it on uncopied. */
export function fileSource(path: string): ByteSource {
  let handle: FileHandle | undefined;
  return {
    async read(offset, length) {
      handle ??= await open(path, 'r');
      const buf = new Uint8Array(length);
      let got = 0;
      while (got < length) {
        const { bytesRead } = await handle.read(buf, got, length - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got === length ? buf : buf.subarray(0, got);
    },
    async close() {
      const h = handle;
      handle = undefined;
      await h?.close();
    },
  };
}

function attrs(st: Stats): Pick<DirEntry, 'mode' | 'uid' | 'gid' | 'mtime' | 'atime' | 'ctime'> {
  return {
    mode: st.mode & 0o7777,
    uid: st.uid,
    gid: st.gid,
    mtime: st.mtimeMs,
    atime: st.atimeMs,
    ctime: st.ctimeMs,
  };
}

/** Walks `dir` (not following symbolic links) into a tree for `planImage`. */
export async function walkDirectory(dir: string): Promise<WalkResult> {
  const skipped: WalkResult['skipped'] = [];
  const visit = async (
    path: string,
    shown: string,
    name: string,
    st: Stats,
  ): Promise<Entry | undefined> => {
    if (st.isDirectory()) {
      const names = (await readdir(path)).sort();
      const children: Entry[] = [];
      // Stat a directory's entries a few at a time: quick, without opening thousands at once.
      for (let i = 0; i < names.length; i += 32) {
        const batch = names.slice(i, i + 32);
        const stats = await Promise.all(batch.map((n) => lstat(join(path, n))));
        for (let k = 0; k < batch.length; k++) {
          const n = batch[k] as string;
          const e = await visit(
            join(path, n),
            `${shown === '/' ? '' : shown}/${n}`,
            n,
            stats[k] as Stats,
          );
          if (e) children.push(e);
        }
      }
      return { kind: 'dir', name, children, ...attrs(st) };
    }
    if (st.isFile()) {
      return {
        kind: 'file',
        name,
        size: st.size,
        content: fileSource(path),
        ...(st.nlink > 1 ? { inode: `${st.dev}:${st.ino}` } : {}),
        ...attrs(st),
      };
    }
    if (st.isSymbolicLink()) {
      return { kind: 'symlink', name, target: await readlink(path), ...attrs(st) };
    }
    skipped.push({ path: shown, reason: 'not a file, directory or symbolic link' });
    return undefined;
  };
  const root = (await visit(dir, '/', '', await lstat(dir))) as DirEntry;
  if (root.kind !== 'dir') throw new Error(`${dir} is not a directory`);
  return { root, skipped };
}
