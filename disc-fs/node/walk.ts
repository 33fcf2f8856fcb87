/**
 * Node adapter: a directory on disk as a disc-fs tree. Every entry is
 * lstat'ed up front (the plan needs sizes, modes and times); file bytes are
 * read later, through one file descriptor per file opened at its first read
 * and closed when the builder is done with it. Hard links are joined by
 * device and inode number; sockets, FIFOs and device files cannot go on a
 * disc and are listed in `skipped`, never dropped silently.
 *
 * By default the walk and the reads are synchronous: from the page cache a
 * system call costs a few microseconds, a round trip through libuv's thread
 * pool tens, and for many small files that round trip was most of the time
 * (100,000 files of up to 4 KiB, page-cached: walked in 0.4 s instead of
 * 0.7 s, their image streamed in 2-3 s instead of 12-14 s). The price is an
 * event loop held while the disk works: the walk yields to it between
 * directories, a read holds it for one read (1 MiB by default).
 * `{ sync: false }` does everything through the thread pool.
 */
import { lstat, open, readdir, readlink, type FileHandle } from 'node:fs/promises';
import {
  constants,
  fstatSync,
  closeSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  type Stats,
} from 'node:fs';
import { join } from 'node:path';
import type { ByteSource, DirEntry, Entry } from '../src/tree.ts';

export interface WalkOptions {
  /** Synchronous lstat, readdir and file reads (default true); false: through the thread pool. */
  sync?: boolean;
}

export interface WalkResult {
  root: DirEntry;
  skipped: { path: string; reason: string }[];
}

/**
 * Reads a file by path; a fresh buffer per `read`, so the builder may pass it
 * on uncopied, and `readInto` for streams that reuse their own buffers.
 * Synchronous unless `sync: false` (see above).
 */
export function fileSource(path: string, o: WalkOptions = {}): FileSource {
  return o.sync === false ? new AsyncFileSource(path) : new SyncFileSource(path);
}

/**
 * `length` bytes of fresh memory, uninitialised: only bytes read into are
 * handed out. Below 4 KiB a slice of Node's buffer pool (never handed out
 * twice), which spares an ArrayBuffer per small file.
 */
function fresh(length: number): Uint8Array {
  const b = Buffer.allocUnsafe(length);
  return new Uint8Array(b.buffer, b.byteOffset, length);
}

/** A file source that also reads into the caller's memory (`reuseBuffers` streams use it). */
export interface FileSource extends ByteSource {
  readInto(offset: number, target: Uint8Array): Promise<number>;
}

/**
 * Opens a file planned as a regular file, without blocking: a path replaced
 * by a FIFO since the walk would otherwise block open() (and, synchronous,
 * the whole event loop) until some writer appears. Anything but a regular
 * file now is an error the builder reports as unreadable, naming the file.
 */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;
function notRegular(path: string): Error {
  return new Error(`${path} is no longer a regular file`);
}
function openRegular(path: string): number {
  const fd = openSync(path, OPEN_FLAGS);
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw notRegular(path);
  }
  return fd;
}
async function openRegularAsync(path: string): Promise<FileHandle> {
  const h = await open(path, OPEN_FLAGS);
  if (!(await h.stat()).isFile()) {
    await h.close();
    throw notRegular(path);
  }
  return h;
}

// Classes rather than closures: one small object per file of a tree of 100,000.
class SyncFileSource implements FileSource {
  private fd: number | undefined;
  constructor(private readonly path: string) {}
  private into(offset: number, target: Uint8Array): number {
    this.fd ??= openRegular(this.path);
    let got = 0;
    while (got < target.length) {
      const n = readSync(this.fd, target, got, target.length - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    return got;
  }
  read(offset: number, length: number): Promise<Uint8Array> {
    try {
      const buf = fresh(length);
      const got = this.into(offset, buf);
      return Promise.resolve(got === length ? buf : buf.subarray(0, got));
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }
  readInto(offset: number, target: Uint8Array): Promise<number> {
    try {
      return Promise.resolve(this.into(offset, target));
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }
  close(): void {
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) closeSync(fd);
  }
}

class AsyncFileSource implements FileSource {
  private handle: FileHandle | undefined;
  constructor(private readonly path: string) {}
  async readInto(offset: number, target: Uint8Array): Promise<number> {
    this.handle ??= await openRegularAsync(this.path);
    let got = 0;
    while (got < target.length) {
      const { bytesRead } = await this.handle.read(target, got, target.length - got, offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return got;
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    const buf = fresh(length);
    const got = await this.readInto(offset, buf);
    return got === length ? buf : buf.subarray(0, got);
  }
  async close(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    await h?.close();
  }
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
export async function walkDirectory(dir: string, o: WalkOptions = {}): Promise<WalkResult> {
  const skipped: WalkResult['skipped'] = [];
  const sync = o.sync !== false;
  const entry = (
    path: string,
    shown: string,
    name: string,
    st: Stats,
    target: string | undefined,
  ): Entry | undefined => {
    if (st.isFile()) {
      return {
        kind: 'file',
        name,
        size: st.size,
        content: fileSource(path, o),
        ...(st.nlink > 1 ? { inode: `${st.dev}:${st.ino}` } : {}),
        ...attrs(st),
      };
    }
    if (target !== undefined) return { kind: 'symlink', name, target, ...attrs(st) };
    skipped.push({ path: shown, reason: 'not a file, directory or symbolic link' });
    return undefined;
  };
  const under = (shown: string, n: string) => `${shown === '/' ? '' : shown}/${n}`;
  const visitSync = async (
    path: string,
    shown: string,
    name: string,
    st: Stats,
  ): Promise<Entry> => {
    // A directory's entries in one burst of system calls, then its subdirectories.
    const stats = readdirSync(path)
      .sort()
      .map((n) => [n, lstatSync(join(path, n))] as const);
    const children: Entry[] = [];
    for (const [n, cst] of stats) {
      const p = join(path, n);
      let e: Entry | undefined;
      if (cst.isDirectory()) {
        // Let the event loop run between directories.
        await new Promise((resolve) => setImmediate(resolve));
        e = await visitSync(p, under(shown, n), n, cst);
      } else {
        e = entry(p, under(shown, n), n, cst, cst.isSymbolicLink() ? readlinkSync(p) : undefined);
      }
      if (e) children.push(e);
    }
    return { kind: 'dir', name, children, ...attrs(st) };
  };
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
          const e = await visit(join(path, n), under(shown, n), n, stats[k] as Stats);
          if (e) children.push(e);
        }
      }
      return { kind: 'dir', name, children, ...attrs(st) };
    }
    return entry(path, shown, name, st, st.isSymbolicLink() ? await readlink(path) : undefined);
  };
  const st = sync ? lstatSync(dir) : await lstat(dir);
  if (!st.isDirectory()) throw new Error(`${dir} is not a directory`);
  const root = (await (sync ? visitSync : visit)(dir, '/', '', st)) as DirEntry;
  return { root, skipped };
}
