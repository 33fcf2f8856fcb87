/**
 * Files named on the command line, checked before they are opened, and the
 * file system's failures in words (issue 20, part 6). Opening a FIFO blocks
 * until another process opens its other end, so a command handed one where
 * it reads or writes a file would wait for ever: only regular files are
 * opened. And a Node error such as "ENOENT: no such file or directory, open
 * '/x/.y.webdisc-123.partial'" names a temporary file the user never chose:
 * `fsErrorValue` says what went wrong with the path in words instead.
 */
import { lstat, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ErrorValue } from '../contract/errors.ts';
import { HRESULT } from '../contract/hresult.ts';
import { WebdiscError } from '../usb-mass-storage/src/errors.ts';
import { UsageError } from './args.ts';

/** What a path is, in words, for a message: "a folder", "a FIFO (named pipe)"... */
function kindWords(s: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean }): string {
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isSocket()) return 'a socket';
  return 'a device, not a file';
}

/** Node's errno codes for a path, in words (the rest keep Node's words). */
const ERRNO_WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EEXIST: 'it already exists',
  EMFILE: 'too many open files',
  EIO: 'an input/output error',
};

const ACCESS_CODES = new Set(['EACCES', 'EPERM', 'EROFS']);

/**
 * A failure of the file system as the CLI reports it: what happened to which
 * path, in words, typed as a path problem (or access denied); undefined when
 * `error` is not a Node file-system error.
 */
export function fsErrorValue(error: unknown): ErrorValue | undefined {
  const e = error as NodeJS.ErrnoException | null;
  if (!(error instanceof Error) || typeof e?.code !== 'string' || !/^E[A-Z]+$/.test(e.code))
    return undefined;
  const words = ERRNO_WORDS[e.code];
  if (words === undefined && e.syscall === undefined) return undefined;
  const path = e.path ?? '';
  // A temporary name beside the user's file stands for that file's folder.
  const shown = /\.webdisc-[^/]*partial$/.test(path) ? dirname(path) : path;
  // mkdir over a file (a --virtual-dir or DEST that is a file): "it already exists" says too little.
  const what =
    e.code === 'EEXIST' && e.syscall === 'mkdir'
      ? 'it is a file, not a folder'
      : (words ?? e.message.replace(/^E[A-Z]+: /, '').split(',')[0]!);
  const message = shown
    ? `Cannot use "${shown}": ${what}.`
    : `${what[0]!.toUpperCase()}${what.slice(1)}.`;
  const name = ACCESS_CODES.has(e.code) ? 'E_ACCESS_DENIED' : 'IMAPI_E_INVALID_PATH';
  return { hresult: HRESULT[name], name, message, sense: null };
}

/**
 * The regular file at `path`, to be read: its size. A folder, FIFO, socket or
 * device, or nothing there, is a typed error naming the path (`what`: "the
 * image", "the file").
 */
export async function inputFile(path: string, what: string): Promise<number> {
  const s = await stat(path).catch((error: NodeJS.ErrnoException) => {
    const words = ERRNO_WORDS[error.code ?? ''] ?? error.message;
    throw new WebdiscError('E_INVALIDARG', `Cannot read ${what} "${path}": ${words}.`, {
      cause: error,
    });
  });
  if (!s.isFile())
    throw new WebdiscError('E_INVALIDARG', `Cannot read ${what} "${path}": it is ${kindWords(s)}.`);
  return s.size;
}

/**
 * A file about to be written at `path`: its folder must exist, and anything
 * already at `path` must be a regular file (replaced), never a folder or a
 * FIFO (opening one for writing waits for a reader for ever).
 */
export async function outputFile(path: string, what: string): Promise<void> {
  // An empty name would become "" + ".part" and ".map": files named only by their suffix
  // (found by the bad-input campaign, seed 8364: `save ""`).
  if (path.trim() === '') throw new UsageError(`Cannot write ${what} "": a file name is needed.`);
  const existing = await lstat(path).catch(() => undefined);
  if (existing && !existing.isFile() && !existing.isSymbolicLink())
    throw new WebdiscError(
      'E_INVALIDARG',
      `Cannot write ${what} "${path}": it is ${kindWords(existing)}.`,
    );
  if (existing?.isSymbolicLink()) {
    const target = await stat(path).catch(() => undefined);
    if (target && !target.isFile())
      throw new WebdiscError(
        'E_INVALIDARG',
        `Cannot write ${what} "${path}": it is ${kindWords(target)}.`,
      );
  }
  const folder = dirname(path);
  const parent = await stat(folder).catch((error: NodeJS.ErrnoException) => {
    throw new WebdiscError(
      'IMAPI_E_INVALID_PATH',
      `Cannot write ${what} "${path}": the folder "${folder}" ${error.code === 'ENOTDIR' ? 'is under a file' : 'does not exist'}.`,
      { cause: error },
    );
  });
  if (!parent.isDirectory())
    throw new WebdiscError(
      'IMAPI_E_INVALID_PATH',
      `Cannot write ${what} "${path}": "${folder}" is a file, not a folder.`,
    );
}
