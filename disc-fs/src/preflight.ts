/**
 * Before a disc is written: every file of the tree is still there, readable
 * and the size it was planned with. One read per file of its last byte and
 * one past it (a file that shrank returns nothing, one that grew returns two
 * bytes), a few files at a time. A problem found here costs nothing; the same
 * problem found while streaming costs a disc (the stream still checks, for a
 * file that changes between this check and its turn).
 */
import { FileSizeChangedError, UnreadableFileError } from './errors.ts';
import type { DirEntry, FileEntry } from './tree.ts';

export interface PreflightOptions {
  /** Files checked at once; default 8. */
  concurrency?: number;
  signal?: { readonly aborted: boolean; readonly reason?: unknown };
  /** Called with files checked so far and the total. */
  progress?: (checked: number, total: number) => void;
}

function* files(dir: DirEntry, path: string): Iterable<[FileEntry, string]> {
  for (const e of dir.children) {
    const p = `${path}/${e.name}`;
    if (e.kind === 'file') yield [e, p];
    else if (e.kind === 'dir') yield* files(e, p);
  }
}

async function checkOne(f: FileEntry, path: string): Promise<void> {
  if (f.size === 0) return; // never opened, as in the stream
  if (f.location !== undefined) return; // already on the disc: never read
  if (f.dataLast) return; // made from the others as they stream (a checksum list)
  let tail: Uint8Array;
  try {
    tail = await f.content.read(f.size - 1, 2);
  } catch (e) {
    throw new UnreadableFileError(path, { cause: e });
  } finally {
    await f.content.close?.();
  }
  if (tail.length === 0) throw new FileSizeChangedError(path, f.size, f.size - 1);
  if (tail.length > 1) throw new FileSizeChangedError(path, f.size, f.size + 1);
}

/** Throws UnreadableFileError or FileSizeChangedError naming the first bad file found. */
export async function preflight(root: DirEntry, o: PreflightOptions = {}): Promise<void> {
  const all = [...files(root, '')];
  const width = Math.max(1, o.concurrency ?? 8);
  let next = 0;
  let checked = 0;
  let failure: unknown;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < all.length) {
      if (o.signal?.aborted) throw o.signal.reason ?? new Error('aborted');
      const [f, path] = all[next++]!;
      try {
        await checkOne(f, path);
      } catch (e) {
        failure ??= e;
        return;
      }
      o.progress?.(++checked, all.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, all.length) }, worker));
  if (failure !== undefined) throw failure;
}
