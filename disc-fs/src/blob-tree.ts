/**
 * Adapter: a project tree whose files are Blobs (the page's File objects from
 * the directory picker, a drop or `<input webkitdirectory>`, cloned into a
 * worker; or Node 20's Blob) as a disc-fs tree. Realm-neutral: it needs only
 * `Blob.slice().arrayBuffer()`, which every realm has. A File the user changed
 * or deleted after picking it fails to read (Chrome's NotReadableError): that
 * surfaces as UnreadableFileError naming the file, as the builder promises.
 */
import type { FileTreeEntry } from '../../contract/api.ts';
import type { ByteSource, DirEntry, Entry } from './tree.ts';

type BlobLike = Extract<FileTreeEntry, { kind: 'file' }>['blob'];

/** Reads a Blob at offsets; a fresh buffer per read (the builder may pass it on uncopied). */
export function blobByteSource(blob: BlobLike): ByteSource {
  return {
    async read(offset, length) {
      if (offset >= blob.size) return new Uint8Array(0);
      return new Uint8Array(
        await blob.slice(offset, Math.min(blob.size, offset + length)).arrayBuffer(),
      );
    },
  };
}

function entry(e: FileTreeEntry): Entry {
  switch (e.kind) {
    case 'file':
      return {
        kind: 'file',
        name: e.name,
        size: e.blob.size,
        content: blobByteSource(e.blob),
        ...(e.mtime === undefined ? {} : { mtime: e.mtime }),
        ...(e.mode === undefined ? {} : { mode: e.mode }),
      };
    case 'dir':
      return dirEntry(e);
    case 'symlink':
      return {
        kind: 'symlink',
        name: e.name,
        target: e.target,
        ...(e.mtime === undefined ? {} : { mtime: e.mtime }),
      };
  }
}

function dirEntry(e: Extract<FileTreeEntry, { kind: 'dir' }>): DirEntry {
  return {
    kind: 'dir',
    name: e.name,
    children: e.children.map(entry),
    ...(e.mtime === undefined ? {} : { mtime: e.mtime }),
    ...(e.mode === undefined ? {} : { mode: e.mode }),
  };
}

/** The project's root folder as the builder's input tree. */
export function treeFromBlobs(root: Extract<FileTreeEntry, { kind: 'dir' }>): DirEntry {
  return dirEntry(root);
}
