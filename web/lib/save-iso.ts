/**
 * "Save as ISO": the files-and-folders image built in the page with disc-fs
 * (the same builder and options the worker burns with: with the same
 * volume date, the file is the image a burn writes, byte for byte) and
 * written as it is built:
 * - where there is `showSaveFilePicker` (Chrome on the desktop), to the file
 *   the person picks, streamed with `createWritable()`: no copy in memory;
 * - elsewhere, as a download. That needs the whole image as one Blob first
 *   (an `<a download>` takes a URL, not a stream), so it is only the fallback
 *   (Chrome on Android, other browsers), and holds the image in memory.
 */
import type { ErrorValue, FileImageOptions } from '../../contract/api.ts';
import { HRESULT } from '../../contract/hresult.ts';
import { DiscFsError, planImage, treeFromBlobs } from '../../disc-fs/src/index.ts';
import { HRESULT_OF_DISC_FS_ERROR, imageOptionsOf } from '../../disc-fs/src/imapi.ts';
import { toErrorValue } from './errors.ts';
import type { DirNode } from './file-tree.ts';

/** FileSystemWritableFileStream, as far as it is used here. */
export interface WritableLike {
  write(chunk: Uint8Array<ArrayBuffer>): Promise<void>;
  close(): Promise<void>;
  abort(reason?: unknown): Promise<void>;
}

export interface SavePickerOptions {
  suggestedName: string;
  types: { description: string; accept: Record<string, string[]> }[];
}

/** Where the image goes: the page's pickers and downloads, or fakes in tests. */
export interface SaveEnv {
  showSaveFilePicker?:
    | ((options: SavePickerOptions) => Promise<{ createWritable(): Promise<WritableLike> }>)
    | undefined;
  /** Offers a Blob as a download named `name`. */
  download(blob: Blob, name: string): void;
}

/**
 * 'cancelled': no file was chosen; 'stopped': the person stopped it part way
 * (the picked file's writes discarded, no download offered).
 */
export type SaveOutcome = 'saved' | 'downloaded' | 'cancelled' | 'stopped';

/** The page's own: the File System Access picker when it has one, an `<a download>` otherwise. */
export function pageSaveEnv(): SaveEnv {
  const w = window as unknown as { showSaveFilePicker?: SaveEnv['showSaveFilePicker'] };
  return {
    showSaveFilePicker:
      typeof w.showSaveFilePicker === 'function' ? w.showSaveFilePicker.bind(window) : undefined,
    download(blob, name) {
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.style.display = 'none';
      document.body.append(a);
      a.click();
      a.remove();
      // The download has its own reference once it started; give it a moment.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    },
  };
}

/** The engine's mapping (disc-fs/src/imapi.ts): the same options give the same image here and on the disc. */
export const builderOptions = imageOptionsOf;

/** A failed save in words: disc-fs's errors by their HRESULT (a minified class name says nothing). */
export function saveErrorValue(error: unknown): ErrorValue {
  if (error instanceof DiscFsError) {
    const name = HRESULT_OF_DISC_FS_ERROR[error.code];
    return { hresult: HRESULT[name] | 0, name, message: error.message, sense: null };
  }
  return toErrorValue(error);
}

/** "Sommer 2024.iso" from the volume label; "disc.iso" without one. */
export function isoFileName(label: string): string {
  const base = label.trim().replace(/[/\\:*?"<>|]+/g, '_');
  return `${base || 'disc'}.iso`;
}

/**
 * Builds the project's image and saves it. Planning is synchronous, so the
 * picker still opens within the click's user activation; a tree that cannot
 * be recorded throws (disc-fs's typed errors) before any picker opens.
 * `onProgress` gets the bytes written so far and the image's size.
 */
export async function saveIso(
  root: DirNode,
  image: FileImageOptions,
  env: SaveEnv,
  onProgress: (written: number, total: number) => void = () => {},
  signal?: AbortSignal,
): Promise<SaveOutcome> {
  const plan = planImage(treeFromBlobs(root), builderOptions(image));
  const name = isoFileName(image.volumeLabel ?? '');
  onProgress(0, plan.bytes);
  if (env.showSaveFilePicker) {
    let handle;
    try {
      handle = await env.showSaveFilePicker({
        suggestedName: name,
        types: [{ description: 'Disc image', accept: { 'application/x-iso9660-image': ['.iso'] } }],
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return 'cancelled';
      throw error;
    }
    const out = await handle.createWritable();
    let written = 0;
    try {
      for await (const chunk of plan.stream(signal ? { signal } : {})) {
        await out.write(chunk as Uint8Array<ArrayBuffer>);
        written += chunk.byteLength;
        onProgress(written, plan.bytes);
      }
      if (signal?.aborted) throw signal.reason;
      await out.close();
    } catch (error) {
      // Nothing half-written is left in place of the file the person chose.
      await out.abort(error).catch(() => {});
      throw error;
    }
    return 'saved';
  }
  // The fallback: the whole image in memory as Blob parts, then one download.
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let written = 0;
  for await (const chunk of plan.stream(signal ? { signal } : {})) {
    parts.push(chunk as Uint8Array<ArrayBuffer>);
    written += chunk.byteLength;
    onProgress(written, plan.bytes);
  }
  if (signal?.aborted) throw signal.reason;
  env.download(new Blob(parts, { type: 'application/x-iso9660-image' }), name);
  return 'downloaded';
}
