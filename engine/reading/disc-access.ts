/**
 * The app's side of "from disc to files" (issue 17), realm-neutral: a disc
 * image as a SectorReader over any Blob, an image sink over a writable file
 * (the page's FileSystemFileHandle, structurally), listings, and verifying a
 * disc against an image (first differing LBA) or files (SHA-256 per file,
 * first differing path). The service's methods are thin wrappers.
 */
import type {
  OperationFailure,
  BlobLike,
  DiscFileEntry,
  DiscListing,
  DiscVerifyReport,
  FileTreeEntry,
  WritableFileLike,
} from '../../contract/api.ts';
import { WebdiscError, toErrorValue } from '../../usb-mass-storage/src/errors.ts';
import type { SectorReader } from '../../disc-fs/src/index.ts';
import { createSHA256 } from 'hash-wasm';
import { CHECKSUM_DIR } from '../recording/checksums.ts';
import { openVolume, type DiscVolume, type VolumeEntry } from './disc-files.ts';
import type { ImageSink } from './save-image.ts';

const SECTOR = 2048;
const VERIFY_SECTORS = 256;

/** An image file (a Blob in the page or the worker, a Node Blob) as 2048-byte sectors. */
export function blobSectorReader(blob: BlobLike): SectorReader {
  return {
    async read(sector, count) {
      const start = sector * SECTOR;
      const end = Math.min(blob.size, start + count * SECTOR);
      if (start >= end) return new Uint8Array(0);
      return new Uint8Array(await blob.slice(start, end).arrayBuffer());
    },
  };
}

/** Without the reader's internals: what crosses to the page. */
export function plainEntry(e: VolumeEntry): DiscFileEntry {
  return {
    name: e.name,
    path: e.path,
    kind: e.kind,
    size: e.size,
    mtime: e.mtime,
    ...(e.target !== undefined ? { target: e.target } : {}),
  };
}

/** A folder of the volume (or the one file `path` names). */
export async function listVolume(volume: DiscVolume, path: string): Promise<DiscListing> {
  const at = await volume.stat(path);
  const entries = at.kind === 'dir' ? await volume.list(at.path) : [at];
  return {
    label: volume.label,
    fileSystem: volume.fileSystem,
    path: at.path,
    entries: entries.map(plainEntry),
  };
}

/** Every entry under `path`, folders before their contents (for a zip of a folder). */
export async function walkVolume(volume: DiscVolume, path: string): Promise<DiscFileEntry[]> {
  const out: DiscFileEntry[] = [];
  for await (const e of volume.walk(path)) out.push(plainEntry(e));
  return out;
}

/** A file's bytes by path, in chunks. */
export async function* volumeFile(volume: DiscVolume, path: string): AsyncIterable<Uint8Array> {
  const e = await volume.stat(path);
  yield* volume.read(e);
}

/** An image sink writing at offsets into a writable file; `finish` truncates and closes it. */
export interface FileImageSink extends ImageSink {
  finish(size: number): Promise<void>;
  abort(reason: unknown): Promise<void>;
}

export async function writableSink(file: WritableFileLike): Promise<FileImageSink> {
  const out = await file.createWritable();
  return {
    write: (offset, bytes) => out.write({ type: 'write', position: offset, data: bytes }),
    async finish(size) {
      await out.truncate(size);
      await out.close();
    },
    async abort(reason) {
      await out.abort(reason).catch(() => {});
    },
  };
}

/** Any error as a failed operation's value (nothing written, nothing known of the disc). */
export function operationFailureOf(error: unknown): OperationFailure {
  return { ...toErrorValue(error), lastWrittenLba: null, firstBadLba: null, disc: null };
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The disc from LBA 0 against an image, sector by sector (the image padded to whole sectors). */
export async function verifyAgainstImage(
  disc: SectorReader,
  image: BlobLike,
  onProgress: (fraction: number) => void = () => {},
): Promise<DiscVerifyReport> {
  const sectors = Math.ceil(image.size / SECTOR);
  const file = blobSectorReader(image);
  const hash = await createSHA256();
  hash.init();
  for (let lba = 0; lba < sectors; lba += VERIFY_SECTORS) {
    const n = Math.min(VERIFY_SECTORS, sectors - lba);
    const want = new Uint8Array(n * SECTOR);
    want.set(await file.read(lba, n));
    const got = await disc.read(lba, n);
    if (!same(got, want)) {
      for (let i = 0; i < n; i++) {
        const a = got.subarray(i * SECTOR, (i + 1) * SECTOR);
        if (!same(a, want.subarray(i * SECTOR, (i + 1) * SECTOR)))
          return difference('image', sectors, 0, { lba: lba + i, path: null });
      }
    }
    hash.update(want.subarray(0, Math.min(n * SECTOR, image.size - lba * SECTOR)));
    onProgress((lba + n) / Math.max(sectors, 1));
  }
  return {
    against: 'image',
    same: true,
    sectors,
    files: 0,
    sha256: hash.digest('hex'),
    firstDifferentLba: null,
    firstDifferentPath: null,
    message: `The disc holds the image: ${sectors.toLocaleString('en-US')} sectors identical.`,
  };
}

function difference(
  against: 'image' | 'files',
  sectors: number,
  files: number,
  at: { lba: number | null; path: string | null; why?: string },
): DiscVerifyReport {
  return {
    against,
    same: false,
    sectors,
    files,
    sha256: null,
    firstDifferentLba: at.lba,
    firstDifferentPath: at.path,
    message:
      at.lba !== null
        ? `The disc differs from the image first at LBA ${at.lba.toLocaleString('en-US')}.`
        : `The disc differs from the folder first at ${at.path}: ${at.why ?? 'different'}.`,
  };
}

async function sha256Of(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const h = await createSHA256();
  h.init();
  for await (const c of chunks) h.update(c);
  return h.digest('hex');
}

async function* blobChunks(blob: BlobLike): AsyncIterable<Uint8Array> {
  const step = 1 << 20;
  for (let at = 0; at < blob.size; at += step)
    yield new Uint8Array(await blob.slice(at, Math.min(blob.size, at + step)).arrayBuffer());
}

/** The disc's files against a folder (the page's directory picker): every file by SHA-256. */
export async function verifyAgainstFiles(
  volume: DiscVolume,
  root: FileTreeEntry & { readonly kind: 'dir' },
  onProgress: (fraction: number) => void = () => {},
): Promise<DiscVerifyReport> {
  const local = new Map<string, FileTreeEntry>();
  const visit = (e: FileTreeEntry, path: string) => {
    local.set(path, e);
    if (e.kind === 'dir')
      for (const c of e.children) visit(c, `${path === '/' ? '' : path}/${c.name}`);
  };
  visit(root, '/');
  const onDisc = new Map<string, VolumeEntry>();
  for await (const e of volume.walk('/')) {
    // Not the person's files: the checksum list burned with them, and the
    // empty folder Rock Ridge relocation leaves (disc-fs/README.md).
    if (e.path === `/${CHECKSUM_DIR}` || e.path.startsWith(`/${CHECKSUM_DIR}/`)) continue;
    if (e.path === '/rr_moved' && !local.has(e.path)) continue;
    onDisc.set(e.path, e);
  }
  const paths = [...new Set([...local.keys(), ...onDisc.keys()])].sort();
  const total = [...local.values()].reduce((n, e) => n + (e.kind === 'file' ? e.blob.size : 0), 0);
  let done = 0;
  let files = 0;
  for (const path of paths) {
    const mine = local.get(path);
    const theirs = onDisc.get(path);
    if (!mine) return difference('files', 0, files, { lba: null, path, why: 'only on the disc' });
    if (!theirs)
      return difference('files', 0, files, { lba: null, path, why: 'missing on the disc' });
    if (mine.kind !== theirs.kind)
      return difference('files', 0, files, {
        lba: null,
        path,
        why: `a ${theirs.kind === 'dir' ? 'folder' : theirs.kind} on the disc, a ${mine.kind === 'dir' ? 'folder' : mine.kind} here`,
      });
    if (mine.kind === 'symlink' && theirs.target !== mine.target)
      return difference('files', 0, files, {
        lba: null,
        path,
        why: `a link to ${theirs.target ?? '?'} on the disc, to ${mine.target} here`,
      });
    if (mine.kind !== 'file') continue;
    if (mine.blob.size !== theirs.size)
      return difference('files', 0, files, {
        lba: null,
        path,
        why: `${theirs.size} bytes on the disc, ${mine.blob.size} here`,
      });
    const [a, b] = await Promise.all([
      sha256Of(volume.read(theirs)),
      sha256Of(blobChunks(mine.blob)),
    ]);
    if (a !== b)
      return difference('files', 0, files, { lba: null, path, why: 'different content (SHA-256)' });
    files++;
    done += mine.blob.size;
    onProgress(total ? done / total : 1);
  }
  return {
    against: 'files',
    same: true,
    sectors: 0,
    files,
    sha256: null,
    firstDifferentLba: null,
    firstDifferentPath: null,
    message: `The disc holds the folder: ${files} file${files === 1 ? '' : 's'} identical (SHA-256).`,
  };
}

/** Opens the file system of a disc or an image, with the errors in words. */
export async function openSource(reader: SectorReader, sessionStart = 0): Promise<DiscVolume> {
  try {
    return await openVolume(reader, sessionStart);
  } catch (error) {
    if (error instanceof WebdiscError) throw error;
    throw new WebdiscError('E_FAIL', (error as Error).message, { cause: error });
  }
}
