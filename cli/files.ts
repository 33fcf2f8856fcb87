/**
 * Files and folders for the CLI: `mkiso DIR... -o FILE` and `burn DIR...`.
 * The paths are walked with disc-fs's Node walker (lstat up front, bytes read
 * only when their sectors are due); several paths merge at the image's root
 * as mkisofs and xorriso -as mkisofs do (a folder's contents, a file by its
 * name). The image is planned by the engine's file-image step, so its size
 * and every changed name are known before a byte is read or written.
 */
import { createHash } from 'node:crypto';
import { lstat, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { FileImageOptions, FileImagePlan } from '../contract/api.ts';
import { WebdiscError } from '../usb-mass-storage/src/errors.ts';
import { UsageError } from './args.ts';
import { fileSource, walkDirectory } from '../disc-fs/node/walk.ts';
import type { DirEntry, Entry, ImagePlan } from '../disc-fs/src/index.ts';
import { checkFiles, fromDiscFs, planFiles, summarize } from '../engine/recording/file-image.ts';

export interface WalkedTree {
  readonly root: DirEntry;
  /** Sockets, FIFOs and devices found under the paths (they cannot go on a disc). */
  readonly skipped: readonly { path: string; reason: string }[];
}

/** The paths given on the command line as one tree: folders' contents and files at the root. */
export async function treeFromPaths(paths: readonly string[]): Promise<WalkedTree> {
  const children: Entry[] = [];
  const skipped: { path: string; reason: string }[] = [];
  let mtime: number | undefined;
  for (const path of paths) {
    let st;
    try {
      st = await lstat(path);
    } catch (error) {
      throw new WebdiscError(
        'IMAPI_E_INVALID_PATH',
        `Cannot read "${path}": no such file or folder.`,
        {
          cause: error,
        },
      );
    }
    if (st.isDirectory()) {
      const walked = await walkDirectory(path);
      children.push(...walked.root.children);
      skipped.push(...walked.skipped.map((s) => ({ ...s, path: join(path, s.path) })));
      mtime ??= walked.root.mtime;
    } else if (st.isFile()) {
      children.push({
        kind: 'file',
        name: basename(path),
        size: st.size,
        content: fileSource(path),
        mode: st.mode & 0o7777,
        mtime: st.mtimeMs,
      });
    } else {
      throw new WebdiscError('IMAPI_E_INVALID_PATH', `"${path}" is not a file or a folder.`);
    }
  }
  // Two paths that bring the same name to the root: say so before planning (disc-fs would too).
  const seen = new Set<string>();
  for (const c of children) {
    if (seen.has(c.name)) {
      throw new WebdiscError(
        'IMAPI_E_INVALID_PATH',
        `"${c.name}" comes from more than one of the paths given; the image root can hold it once.`,
      );
    }
    seen.add(c.name);
  }
  return { root: { kind: 'dir', name: '', children, ...(mtime ? { mtime } : {}) }, skipped };
}

/** Plans the tree; the summary is what `--json` prints and the text report is made from. */
export function plan(
  tree: WalkedTree,
  image: FileImageOptions,
): { plan: ImagePlan; summary: FileImagePlan } {
  const p = planFiles(tree.root, image);
  return { plan: p, summary: summarize(tree.root, p) };
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** The name report in words: every name that changed, per file system, and what was left out. */
export function reportText(summary: FileImagePlan, skipped: WalkedTree['skipped']): string {
  const lines = [
    `${count(summary.files, 'file')}, ${count(summary.directories, 'folder')}, ${mb(summary.dataBytes)} of data; image ${summary.sectors} sectors (${mb(summary.bytes)})`,
  ];
  if (summary.renamed.length) {
    lines.push(`names changed (${summary.renamed.length}):`);
    for (const r of summary.renamed) {
      const parts = (['iso9660', 'joliet', 'rockRidge', 'udf'] as const)
        .filter((k) => r[k] !== undefined)
        .map((k) => `${k} "${r[k]}"`);
      lines.push(`  ${r.path}: ${parts.join(', ')}`);
    }
  }
  for (const r of summary.relocated)
    lines.push(`  ${r.path}: plain ISO 9660 shows it as ${r.isoPath}`);
  for (const o of summary.omitted) lines.push(`  ${o.path}: not in ${o.namespace} (${o.reason})`);
  for (const s of skipped) lines.push(`  ${s.path}: skipped (${s.reason})`);
  return lines.join('\n');
}

export interface WrittenImage {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly durationMs: number;
}

/**
 * Writes the image to `out`: first to a temporary name beside it, renamed
 * over `out` only once every sector is written and flushed, so a failure
 * (an unreadable file, a file that changed size, a full disk) leaves no
 * partial image and never touches an existing `out`.
 */
export async function writeImage(
  tree: WalkedTree,
  p: ImagePlan,
  out: string,
  onProgress?: (written: number, total: number) => void,
): Promise<WrittenImage> {
  const started = Date.now();
  await checkFiles(tree.root);
  const temp = join(dirname(out), `.${basename(out)}.webdisc-${process.pid}.partial`);
  const handle = await open(temp, 'wx');
  const hash = createHash('sha256');
  let written = 0;
  try {
    try {
      // Each chunk is hashed and written before the next is asked for: the stream may reuse its buffers.
      for await (const chunk of p.stream({ chunkBytes: 4 << 20, reuseBuffers: true })) {
        hash.update(chunk);
        let at = 0;
        while (at < chunk.length) {
          const { bytesWritten } = await handle.write(chunk, at, chunk.length - at);
          at += bytesWritten;
        }
        written += chunk.length;
        onProgress?.(written, p.bytes);
      }
    } catch (error) {
      // disc-fs errors as the engine maps them: the same HRESULTs as a burn.
      throw fromDiscFs(error);
    }
    await handle.sync();
    await handle.close();
    await rename(temp, out);
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(temp, { force: true });
    throw error;
  }
  return {
    path: out,
    bytes: written,
    sha256: hash.digest('hex'),
    durationMs: Date.now() - started,
  };
}

/** 10000-01-01T00:00:00Z: the first moment an ISO 9660 date cannot hold. */
const LAST_DATE_MS = Date.UTC(10000, 0, 1);
/** 2024-01-31, with a time (T or a space) and a zone if wanted. */
const ISO_DATE =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** `--date`: an ISO 8601 date or seconds since 1970; else SOURCE_DATE_EPOCH, as reproducible builds set it. */
export function imageDate(value: string | undefined, env: NodeJS.ProcessEnv): number | undefined {
  const raw = value ?? env.SOURCE_DATE_EPOCH;
  if (raw === undefined || (raw === '' && value === undefined)) return undefined;
  // Seconds, or an ISO 8601 date: Date.parse alone takes "-1" and "1.5" as days of 2001.
  const ms = /^\d+$/.test(raw) ? Number(raw) * 1000 : ISO_DATE.test(raw) ? Date.parse(raw) : NaN;
  // A volume descriptor's dates end at year 9999; seconds beyond are not a date either.
  if (!Number.isFinite(ms) || ms < 0 || ms >= LAST_DATE_MS) {
    const words = `"${raw}" is not a date from 1970 to 9999 (use 2024-01-31T12:00:00Z or seconds since 1970)`;
    // --date is a word on the command line (a usage error); SOURCE_DATE_EPOCH is the environment's.
    if (value !== undefined) throw new UsageError(`--date: ${words}`);
    throw new WebdiscError('E_INVALIDARG', `SOURCE_DATE_EPOCH: ${words}.`);
  }
  return ms;
}
