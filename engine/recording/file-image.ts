/**
 * Burning files and folders (IMAPI2's IFileSystemImage + IDiscFormat2Data in
 * one pass): the image is planned by disc-fs, so its exact size is known and
 * checked against the disc before anything is written; every file is checked
 * to be readable and still its planned size (disc-fs `preflight`); then the
 * image's sectors are built while they are written, with no temporary image.
 * disc-fs's typed errors become IMAPI2FS HRESULTs (imapi2fserror.h), so the
 * UI and the CLI say which file and why.
 */
import type {
  FileImageOptions,
  FileImagePlan,
  FileTreeEntry,
  MediaState,
} from '../../contract/api.ts';
import { writeFamilyOf } from '../../contract/profiles.ts';
import { WebdiscError } from '../../usb-mass-storage/src/errors.ts';
import {
  DiscFsError,
  planImage,
  preflight,
  treeFromBlobs,
  type DirEntry,
  type Entry,
  type ImagePlan,
} from '../../disc-fs/src/index.ts';
import { HRESULT_OF_DISC_FS_ERROR, imageOptionsOf } from '../../disc-fs/src/imapi.ts';
import type { ImageSource } from './source.ts';
import { withChecksums } from './checksums.ts';

/** disc-fs's typed errors as the project's (an HRESULT, the message naming the file, the cause kept). */
export function fromDiscFs(error: unknown): unknown {
  if (error instanceof DiscFsError) {
    return new WebdiscError(HRESULT_OF_DISC_FS_ERROR[error.code], error.message, { cause: error });
  }
  return error;
}

/** FileImageOptions as the builder takes them (one definition, shared with the page). */
export const imageOptions = imageOptionsOf;

/** The project tree as the page or a worker hands it over (Blobs), as disc-fs's input. */
export function treeOf(root: FileTreeEntry & { kind: 'dir' }): DirEntry {
  if (root?.kind !== 'dir' || !Array.isArray(root.children)) {
    throw new WebdiscError('IMAPI_E_INVALID_PARAM', 'A files burn needs a folder as its root.');
  }
  return treeFromBlobs(root);
}

/** Plans the image; throws WebdiscError (IMAPI2FS HRESULTs) for a tree that cannot be recorded. */
export function planFiles(root: DirEntry, o: FileImageOptions = {}): ImagePlan {
  try {
    return planImage(o.checksums ? withChecksums(root).root : root, imageOptions(o));
  } catch (error) {
    throw fromDiscFs(error);
  }
}

function count(
  e: Entry,
  acc: { files: number; directories: number; dataBytes: number },
  seen: Set<string | number>,
): void {
  if (e.kind === 'dir') {
    acc.directories++;
    for (const c of e.children) count(c, acc, seen);
  } else if (e.kind === 'file') {
    acc.files++;
    if (e.inode === undefined || !seen.has(e.inode)) acc.dataBytes += e.size;
    if (e.inode !== undefined) seen.add(e.inode);
  }
}

/** What the UI and `--json` show before a burn: size, counts and every changed name. */
export function summarize(root: DirEntry, plan: ImagePlan): FileImagePlan {
  const acc = { files: 0, directories: -1, dataBytes: 0 }; // the root is not counted
  count(root, acc, new Set());
  const { renamed, relocated, omitted } = plan.report;
  return { sectors: plan.sectors, bytes: plan.bytes, ...acc, renamed, relocated, omitted };
}

/**
 * Before the burn takes the drive: the image is mastered for LBA 0, so it
 * needs a blank disc, or a random-writable one (written from LBA 0); and it
 * must fit. Adding files to a disc that has some is multisession.
 */
export function checkDiscFor(plan: ImagePlan, media: MediaState): void {
  if (!media.present) {
    throw new WebdiscError('E_IMAPI_RECORDER_MEDIA_NO_MEDIA', 'There is no disc in the drive.');
  }
  const family = writeFamilyOf(media.profile?.code);
  const name = media.profile?.name ?? 'disc';
  if (family && family !== 'random' && media.status !== 'blank') {
    throw new WebdiscError(
      'E_IMAPI_DF2DATA_MEDIA_NOT_BLANK',
      `The ${name} is not blank. A new disc image starts at the disc's first sector, so it needs a blank disc (or an erasable one erased first).`,
    );
  }
  const capacity = family === 'random' ? media.capacityBlocks : media.freeBlocks;
  if (family && plan.sectors > capacity) {
    throw new WebdiscError(
      'E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA',
      `These files need ${plan.sectors} sectors (${(plan.bytes / 1e6).toFixed(1)} MB) and the ${name} has ${capacity} free (${((capacity * 2048) / 1e6).toFixed(1)} MB).`,
    );
  }
}

/** Checks every file is readable and its planned size (before any write). */
export async function checkFiles(
  root: DirEntry,
  signal?: { readonly aborted: boolean; readonly reason?: unknown },
): Promise<void> {
  try {
    await preflight(root, { ...(signal ? { signal } : {}) });
  } catch (error) {
    throw fromDiscFs(error);
  }
}

/** The planned image as a burn source: built while written; errors as WebdiscErrors. */
export function planSource(plan: ImagePlan): ImageSource {
  return {
    size: plan.bytes,
    async *stream() {
      try {
        yield* plan.stream({ chunkBytes: 4 << 20 });
      } catch (error) {
        throw fromDiscFs(error);
      }
    },
  };
}
