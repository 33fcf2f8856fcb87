/**
 * The builder's input: a tree of entries described by their metadata, and
 * for files a way to read their bytes later. Nothing here holds file data;
 * a tree of 100,000 files costs memory for 100,000 small objects only.
 *
 * Adapters build such trees: `disc-fs/node/walk.ts` from a Node directory;
 * the app will add one for the browser's File System Access / drag-and-drop
 * entries.
 */

/**
 * A file's bytes, read when its sectors are due. `read` must return exactly
 * `length` bytes unless the file ends first; fewer bytes mean the file shrank
 * since it was planned (FileSizeChangedError). The builder also asks for one
 * byte past the planned end to notice a file that grew. `close` is called
 * once the file is done (or failed), so an adapter may keep a handle open
 * across reads. An empty file has no sectors and is never read.
 */
export interface ByteSource {
  read(offset: number, length: number): Promise<Uint8Array>;
  close?(): void | Promise<void>;
}

interface EntryBase {
  /** The name as the user sees it; any Unicode but '/' and NUL, not '.' or '..'. */
  readonly name: string;
  /** POSIX permission bits including setuid/setgid/sticky (0o7777); type bits are ignored. */
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  /** Times in milliseconds since 1970 UTC; missing ones take the image's date. */
  readonly mtime?: number;
  readonly atime?: number;
  readonly ctime?: number;
}

export interface FileEntry extends EntryBase {
  readonly kind: 'file';
  readonly size: number;
  readonly content: ByteSource;
  /**
   * Entries with the same `inode` are hard links to one file: they share one
   * data extent in every namespace, and must have the same size.
   */
  readonly inode?: string | number;
  /**
   * The file's data is already on the disc, contiguous from this sector: a
   * file carried over from an earlier session (multisession). Its directory
   * records point there; nothing is read or written for it.
   */
  readonly location?: number;
  /**
   * Place this file's data after every other file's: for a file whose
   * bytes are made from the others' as they stream (a checksum list).
   */
  readonly dataLast?: boolean;
}

export interface DirEntry extends EntryBase {
  readonly kind: 'dir';
  readonly children: readonly Entry[];
}

export interface SymlinkEntry extends EntryBase {
  readonly kind: 'symlink';
  readonly target: string;
}

export type Entry = FileEntry | DirEntry | SymlinkEntry;

/** A ByteSource over bytes in memory (tests, small generated files). */
export function bytesSource(data: Uint8Array): ByteSource {
  return {
    read: (offset, length) =>
      Promise.resolve(data.subarray(offset, Math.min(data.length, offset + length))),
  };
}

/**
 * A ByteSource that generates its bytes from their offset (tests: files of
 * any size, even past 4 GiB, that exist nowhere).
 */
export function generatedSource(size: number, byteAt: (offset: number) => number): ByteSource {
  return {
    read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = byteAt(offset + i);
      return Promise.resolve(out);
    },
  };
}

/** A source of `size` zero bytes, allocating nothing per read beyond the chunk returned. */
export function zeroSource(size: number): ByteSource {
  return {
    read: (offset, length) =>
      Promise.resolve(new Uint8Array(Math.max(0, Math.min(length, size - offset)))),
  };
}
