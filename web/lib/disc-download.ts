/**
 * Files from a disc (or an image) to the person's computer, streamed: one
 * file as it is, a folder as a zip built while it downloads (client-zip:
 * a small, maintained streaming ZIP writer with Zip64, no dependencies,
 * that takes ReadableStreams and never holds a whole file). With
 * `showSaveFilePicker` the bytes go straight into the chosen file; else
 * they are gathered into one Blob and downloaded (the fallback holds the
 * file or zip in memory, as Save as ISO's does).
 */
import { downloadZip } from 'client-zip';
import type { DiscFileEntry, DiscFilesSource, Result } from '../../contract/api.ts';
import type { BrowseApi } from './api.ts';
import type { SaveEnv, SaveOutcome } from './save-iso.ts';

/** A worker Result's error thrown as an Error, so one catch handles both. */
export class ResultError extends Error {
  constructor(readonly error: Extract<Result<never>, { ok: false }>['error']) {
    super(error.message);
  }
}

async function value<T>(r: Promise<Result<T>>): Promise<T> {
  const got = await r;
  if (!got.ok) throw new ResultError(got.error);
  return got.value;
}

/**
 * Reads `stream` to its end, handing each chunk to `take`. An abort of
 * `signal` cancels the stream (the worker stops reading the disc: the
 * cancel crosses the transferred stream) and ends this with `false`.
 */
async function pump(
  stream: ReadableStream<Uint8Array>,
  take: (chunk: Uint8Array<ArrayBuffer>) => Promise<void> | void,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  const reader = stream.getReader();
  const stop = () => void reader.cancel(signal?.reason).catch(() => {});
  signal?.addEventListener('abort', stop, { once: true });
  try {
    if (signal?.aborted) stop();
    for (;;) {
      // A cancel makes a pending read() resolve as done.
      const { done, value: chunk } = await reader.read();
      if (signal?.aborted) return false;
      if (done) return true;
      await take(chunk as Uint8Array<ArrayBuffer>);
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    reader.releaseLock();
  }
}

/**
 * Saves what `open` streams as `name`. The picker opens first, within the
 * click; `open` is called only once there is somewhere to write. `signal`
 * stops it part way: the picked file's writes are discarded (abort() of a
 * FileSystemWritableFileStream drops its swap file) and no download is offered.
 */
export async function saveStream(
  env: SaveEnv,
  name: string,
  type: { description: string; mime: string; extension: string },
  open: () => Promise<ReadableStream<Uint8Array>>,
  signal?: AbortSignal,
): Promise<SaveOutcome> {
  if (env.showSaveFilePicker) {
    let handle;
    try {
      handle = await env.showSaveFilePicker({
        suggestedName: name,
        types: [{ description: type.description, accept: { [type.mime]: [type.extension] } }],
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return 'cancelled';
      throw error;
    }
    const out = await handle.createWritable();
    try {
      if (signal?.aborted || !(await pump(await open(), (c) => out.write(c), signal))) {
        await out.abort(signal?.reason).catch(() => {});
        return 'stopped';
      }
      await out.close();
    } catch (error) {
      await out.abort(error).catch(() => {});
      throw error;
    }
    return 'saved';
  }
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  if (signal?.aborted || !(await pump(await open(), (c) => void chunks.push(c), signal))) {
    return 'stopped';
  }
  env.download(new Blob(chunks, { type: type.mime }), name);
  return 'downloaded';
}

/** One file of the disc. */
export function saveDiscFile(
  env: SaveEnv,
  api: BrowseApi,
  source: DiscFilesSource,
  entry: DiscFileEntry,
  signal?: AbortSignal,
): Promise<SaveOutcome> {
  const ext = /\.[^./]+$/.exec(entry.name)?.[0] ?? '';
  return saveStream(
    env,
    entry.name,
    { description: 'File', mime: 'application/octet-stream', extension: ext || '.bin' },
    () => value(api.readDiscFile(source, entry.path)),
    signal,
  );
}

/** The zip's entries: the folder's contents, named from the folder itself ("photos/2024/a.jpg"). */
export async function* zipEntries(
  api: BrowseApi,
  source: DiscFilesSource,
  entries: readonly DiscFileEntry[],
  folder: string,
) {
  const base = folder === '/' ? '' : folder.slice(0, folder.lastIndexOf('/'));
  for (const e of entries) {
    const name = e.path.slice(base.length + 1);
    if (!name) continue;
    const lastModified = e.mtime === null ? undefined : new Date(e.mtime);
    if (e.kind === 'dir') yield { name: `${name}/`, lastModified };
    else if (e.kind === 'file')
      yield {
        name,
        lastModified,
        size: e.size,
        input: await value(api.readDiscFile(source, e.path)),
      };
  }
}

/** A folder as a zip, built while it is written. */
export function saveDiscFolder(
  env: SaveEnv,
  api: BrowseApi,
  source: DiscFilesSource,
  folder: string,
  zipName: string,
  signal?: AbortSignal,
): Promise<SaveOutcome> {
  return saveStream(
    env,
    zipName,
    { description: 'Zip archive', mime: 'application/zip', extension: '.zip' },
    async () => {
      const entries = await value(api.walkDiscFiles(source, folder));
      const body = downloadZip(zipEntries(api, source, entries, folder)).body;
      if (!body) throw new Error('The zip could not be started.');
      return body;
    },
    signal,
  );
}
