/**
 * "Save disc as image…": where the worker writes the image.
 * - With `showSaveFilePicker` (Chrome on the desktop): the file the person
 *   picks. Its handle structured-clones into the worker, which writes the
 *   sectors straight into it: no copy in the page, nothing in memory.
 * - Elsewhere: a file in the origin-private file system (OPFS), written the
 *   same way, then offered as a download (a File from OPFS is disk-backed,
 *   so the download does not hold the image in memory either). The
 *   temporary file stays until the next save, since the download reads it.
 */
import type { WritableFileLike } from '../../contract/api.ts';
import { pageSaveEnv, type SavePickerOptions } from './save-iso.ts';

/** A FileSystemFileHandle from OPFS, as far as a save uses it. */
export interface OpfsFileLike extends WritableFileLike {
  getFile(): Promise<Blob>;
}

export interface OpfsDirLike {
  getFileHandle(name: string, options: { create: boolean }): Promise<OpfsFileLike>;
  removeEntry(name: string): Promise<void>;
  keys?(): AsyncIterable<string>;
}

export interface DiscSaveEnv {
  showSaveFilePicker?: ((options: SavePickerOptions) => Promise<WritableFileLike>) | undefined;
  /** navigator.storage.getDirectory. */
  opfs?: (() => Promise<OpfsDirLike>) | undefined;
  download(blob: Blob, name: string): void;
}

export function pageDiscSaveEnv(): DiscSaveEnv {
  const w = window as unknown as {
    showSaveFilePicker?: DiscSaveEnv['showSaveFilePicker'];
  };
  const storage = navigator.storage as unknown as { getDirectory?: () => Promise<OpfsDirLike> };
  return {
    showSaveFilePicker:
      typeof w.showSaveFilePicker === 'function' ? w.showSaveFilePicker.bind(window) : undefined,
    opfs: typeof storage?.getDirectory === 'function' ? () => storage.getDirectory!() : undefined,
    download: (blob, name) => pageSaveEnv().download(blob, name),
  };
}

/** Where one save goes, and what to do once the worker is done. */
export interface ImageTarget {
  readonly name: string;
  /** Handed to the worker (a FileSystemFileHandle in the browser). */
  readonly file: WritableFileLike;
  /** After a successful save: 'saved' in place, 'downloaded' from OPFS, or 'kept' there (a copy). */
  deliver(): Promise<'saved' | 'downloaded' | 'kept'>;
}

/** Saves' temporary files, and copies' (kept until the next copy). */
const PREFIX = { save: 'webdisc-save-', copy: 'webdisc-copy-' } as const;

/** Removes earlier saves' (or copies') temporary files: their downloads have long finished. */
async function cleanUp(dir: OpfsDirLike, prefix: string): Promise<void> {
  if (!dir.keys) return;
  const old: string[] = [];
  for await (const k of dir.keys()) if (k.startsWith(prefix)) old.push(k);
  for (const k of old) await dir.removeEntry(k).catch(() => {});
}

/**
 * Asks where the image goes (call it within the click: the picker needs the
 * user activation). null: the person cancelled the picker.
 */
export async function pickImageTarget(env: DiscSaveEnv, name: string): Promise<ImageTarget | null> {
  if (env.showSaveFilePicker) {
    let file: WritableFileLike;
    try {
      file = await env.showSaveFilePicker({
        suggestedName: name,
        types: [{ description: 'Disc image', accept: { 'application/x-iso9660-image': ['.iso'] } }],
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return null;
      throw error;
    }
    return { name, file, deliver: async () => 'saved' };
  }
  if (!env.opfs)
    throw new Error('This browser can neither save to a chosen file nor keep a temporary one.');
  const { file } = await temporaryFile(env, 'save');
  return {
    name,
    file,
    async deliver() {
      env.download(await file.getFile(), name);
      return 'downloaded';
    },
  };
}

async function temporaryFile(
  env: DiscSaveEnv,
  kind: keyof typeof PREFIX,
): Promise<{ file: OpfsFileLike }> {
  if (!env.opfs) throw new Error('This browser cannot keep a temporary copy of the disc.');
  const dir = await env.opfs();
  await cleanUp(dir, PREFIX[kind]);
  const temp = `${PREFIX[kind]}${Date.now()}.iso`;
  return { file: await dir.getFileHandle(temp, { create: true }) };
}

/** A copy with one drive: the disc read into a temporary OPFS file, kept to be burned. */
export interface CopyTarget extends ImageTarget {
  /** The image, as a disk-backed File named `name`. */
  image(): Promise<File>;
}

export async function copyTarget(env: DiscSaveEnv, name: string): Promise<CopyTarget> {
  const { file } = await temporaryFile(env, 'copy');
  return {
    name,
    file,
    deliver: async () => 'kept',
    image: async () =>
      new File([await file.getFile()], name, { type: 'application/x-iso9660-image' }),
  };
}

/** "disc.iso" → "disc.iso.map": GNU ddrescue's map beside the image. */
export function mapFileName(image: string): string {
  return `${image}.map`;
}
