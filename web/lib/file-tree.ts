/**
 * The page's files and folders as the contract's FileTreeEntry trees, from
 * the three ways a browser hands them over:
 * - File System Access: `showDirectoryPicker()` / `getAsFileSystemHandle()`
 *   handles, walked recursively (`entryFromHandle`);
 * - drag and drop: `DataTransferItem.webkitGetAsEntry()` FileSystemEntry trees
 *   (`entryFromFsEntry`, `entriesFromDataTransfer`);
 * - `<input type=file multiple>` or `webkitdirectory` FileLists, whose
 *   `webkitRelativePath` rebuilds the folders (`entriesFromFileList`).
 * A file's `mtime` is `File.lastModified`. Empty folders are kept where the
 * source shows them (handles and entries do; a webkitdirectory FileList lists
 * files only). The File objects themselves go into the tree: they
 * structured-clone into the worker without copying the bytes.
 *
 * The types below are structural (what this code calls), so tests can fake
 * them and the DOM lib's gaps (async iteration of a directory handle) do not
 * matter.
 */
import type { FileTreeEntry } from '../../contract/api.ts';

export type FileNode = Extract<FileTreeEntry, { kind: 'file' }>;
export type DirNode = Extract<FileTreeEntry, { kind: 'dir' }>;

/** FileSystemFileHandle / FileSystemDirectoryHandle, as far as they are used here. */
export type HandleLike = FileHandleLike | DirectoryHandleLike;
export interface FileHandleLike {
  readonly kind: 'file';
  readonly name: string;
  getFile(): Promise<File>;
}
export interface DirectoryHandleLike {
  readonly kind: 'directory';
  readonly name: string;
  values(): AsyncIterable<HandleLike>;
}

/** FileSystemEntry (webkitGetAsEntry), as far as it is used here. */
export interface FsEntryLike {
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  readonly name: string;
  file?(success: (file: File) => void, failure?: (error: unknown) => void): void;
  createReader?(): {
    readEntries(
      success: (entries: FsEntryLike[]) => void,
      failure?: (error: unknown) => void,
    ): void;
  };
}

/** DataTransferItem, as far as it is used here. */
export interface DataTransferItemLike {
  readonly kind: string;
  getAsFile(): File | null;
  webkitGetAsEntry?(): FsEntryLike | null;
  getAsFileSystemHandle?(): Promise<HandleLike | null>;
}

/** Children in name order (code points), so a project lists the same however it came. */
export function byName<T extends { readonly name: string }>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function fileNode(file: File, name = file.name): FileNode {
  return { kind: 'file', name, blob: file, mtime: file.lastModified };
}

/** A FileList (or any list of Files): folders from `webkitRelativePath` ("top/sub/a.txt"). */
export function entriesFromFileList(files: ArrayLike<File> | Iterable<File>): FileTreeEntry[] {
  interface Building {
    readonly dirs: Map<string, Building>;
    readonly files: FileNode[];
  }
  const top: Building = { dirs: new Map(), files: [] };
  for (const file of Array.from(files)) {
    const parts = (file.webkitRelativePath || file.name).split('/').filter((p) => p !== '');
    const name = parts.pop() ?? file.name;
    let at = top;
    for (const part of parts) {
      let next = at.dirs.get(part);
      if (!next) at.dirs.set(part, (next = { dirs: new Map(), files: [] }));
      at = next;
    }
    at.files.push(fileNode(file, name));
  }
  const build = (b: Building): FileTreeEntry[] =>
    byName([
      ...[...b.dirs].map(([name, d]): DirNode => ({ kind: 'dir', name, children: build(d) })),
      ...b.files,
    ]);
  return build(top);
}

/** A file or directory handle, directories walked to the bottom. */
export async function entryFromHandle(handle: HandleLike): Promise<FileTreeEntry> {
  if (handle.kind === 'file') return fileNode(await handle.getFile(), handle.name);
  const children: FileTreeEntry[] = [];
  for await (const child of handle.values()) children.push(await entryFromHandle(child));
  return { kind: 'dir', name: handle.name, children: byName(children) };
}

function fileOf(entry: FsEntryLike): Promise<File> {
  return new Promise((resolve, reject) => {
    if (!entry.file) reject(new Error(`${entry.name} cannot be read.`));
    else entry.file(resolve, reject);
  });
}

/** Every entry of a directory: readEntries answers in batches (100 in Chrome) until an empty one. */
async function readAll(entry: FsEntryLike): Promise<FsEntryLike[]> {
  const reader = entry.createReader?.();
  if (!reader) return [];
  const all: FsEntryLike[] = [];
  for (;;) {
    const batch = await new Promise<FsEntryLike[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

/** A FileSystemEntry (a drop's webkitGetAsEntry), directories walked to the bottom. */
export async function entryFromFsEntry(entry: FsEntryLike): Promise<FileTreeEntry> {
  if (entry.isFile) return fileNode(await fileOf(entry), entry.name);
  const children = await Promise.all((await readAll(entry)).map(entryFromFsEntry));
  return { kind: 'dir', name: entry.name, children: byName(children) };
}

/**
 * What a drop carries, files and folders. The items are only readable during
 * the drop event, so call this from the handler: it takes every item's entry
 * (or handle, or File) before its first await.
 */
export function entriesFromDataTransfer(
  items: ArrayLike<DataTransferItemLike>,
): Promise<FileTreeEntry[]> {
  const pending: Promise<FileTreeEntry | null>[] = [];
  for (const item of Array.from(items)) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.() ?? null;
    if (entry) {
      pending.push(entryFromFsEntry(entry));
      continue;
    }
    const handle = item.getAsFileSystemHandle?.();
    const file = item.getAsFile();
    const plain = file ? fileNode(file) : null;
    // No handle (or none to be had for this item): the plain File is what there is.
    pending.push(
      handle
        ? handle.then(
            (h) => (h ? entryFromHandle(h) : plain),
            () => plain,
          )
        : Promise.resolve(plain),
    );
  }
  return Promise.all(pending).then((all) => all.filter((e): e is FileTreeEntry => e !== null));
}

/** Files, folders and bytes in a tree (folders not counted themselves). */
export function treeTotals(entries: readonly FileTreeEntry[]): {
  files: number;
  folders: number;
  bytes: number;
} {
  let files = 0;
  let folders = 0;
  let bytes = 0;
  const walk = (list: readonly FileTreeEntry[]) => {
    for (const e of list) {
      if (e.kind === 'file') {
        files++;
        bytes += e.blob.size;
      } else if (e.kind === 'dir') {
        folders++;
        walk(e.children);
      }
    }
  };
  walk(entries);
  return { files, folders, bytes };
}
