/**
 * Test helpers: build an image into a temporary file, run the independent
 * readers Debian ships (xorriso, isoinfo, 7-Zip, udftools) on it, and compare
 * what they extract with what the tree says, per namespace.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  lstatSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  rmSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planImage, type ImagePlan } from '../src/image.ts';
import type { ImageOptions } from '../src/plan/plan.ts';
import type { ReadEntry, SectorReader } from '../src/reader/iso-reader.ts';
import type { NameChange } from '../src/plan/report.ts';
import type { DirEntry, Entry, FileEntry } from '../src/tree.ts';

export function tempDir(prefix = 'disc-fs-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function run(
  cmd: string,
  args: string[],
): { stdout: string; stderr: string; status: number } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
}

export function runOk(cmd: string, args: string[]): string {
  const r = run(cmd, args);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return r.stdout;
}

export function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

/** 7-Zip is `7zz` in Debian's 7zip package and `7z` in p7zip-full. */
export const sevenZip = has('7zz') ? '7zz' : '7z';

const ZEROS = new Uint8Array(1 << 20);
function isZero(chunk: Uint8Array): boolean {
  for (let o = 0; o < chunk.length; o += ZEROS.length) {
    const part = chunk.subarray(o, o + ZEROS.length);
    if (Buffer.compare(part, ZEROS.subarray(0, part.length)) !== 0) return false;
  }
  return true;
}

/** Writes the image; with `sparse`, all-zero chunks become holes (multi-GiB test images). */
export async function writeImage(plan: ImagePlan, path: string, sparse = false): Promise<void> {
  const fh = await open(path, 'w');
  try {
    let at = 0;
    for await (const chunk of plan.stream()) {
      if (chunk.length % 2048) throw new Error(`chunk of ${chunk.length} bytes`);
      if (!sparse || !isZero(chunk)) await fh.write(chunk, 0, chunk.length, at);
      at += chunk.length;
    }
    if (at !== plan.bytes) throw new Error(`wrote ${at} bytes, planned ${plan.bytes}`);
    await fh.truncate(at);
  } finally {
    await fh.close();
  }
}

export async function buildImage(
  root: DirEntry,
  options: ImageOptions,
  dir: string,
): Promise<{ plan: ImagePlan; path: string }> {
  const plan = planImage(root, options);
  const path = join(dir, 'image.iso');
  await writeImage(plan, path);
  return { plan, path };
}

/** What one path holds, as compared between the tree and an extraction. */
export type Found =
  | { kind: 'dir' }
  | { kind: 'file'; sha: string; size: number }
  | { kind: 'symlink'; target: string };

export function readExtracted(dir: string): Map<string, Found> {
  const out = new Map<string, Found>();
  const walk = (p: string, shown: string): void => {
    for (const name of readdirSync(p)) {
      const full = join(p, name);
      const path = `${shown}/${name}`;
      const st = lstatSync(full);
      if (st.isDirectory()) {
        out.set(path, { kind: 'dir' });
        walk(full, path);
      } else if (st.isSymbolicLink()) {
        out.set(path, { kind: 'symlink', target: readlinkSync(full) });
      } else if (st.isFile()) {
        const data = readFileSync(full);
        out.set(path, {
          kind: 'file',
          size: data.length,
          sha: createHash('sha256').update(data).digest('hex'),
        });
      }
    }
  };
  walk(dir, '');
  return out;
}

export async function sha256Of(f: FileEntry): Promise<string> {
  const h = createHash('sha256');
  for (let o = 0; o < f.size; o += 1 << 20)
    h.update(await f.content.read(o, Math.min(1 << 20, f.size - o)));
  return h.digest('hex');
}

export type NamespaceView = 'rockRidge' | 'joliet' | 'iso9660' | 'udf';

/**
 * The tree as a namespace should show it: names from the plan's report
 * (unchanged names as given; ISO 9660 upper-cased), symbolic links as the
 * namespace holds them, relocated directories where plain ISO 9660 shows them.
 */
export async function expectedView(
  root: DirEntry,
  report: ImagePlan['report'],
  view: NamespaceView,
): Promise<Map<string, Found>> {
  const changes = new Map<string, NameChange>(report.renamed.map((c) => [c.path, c]));
  const relocated = new Map(report.relocated.map((r) => [r.path, r.isoPath]));
  const omitted = new Set(report.omitted.map((o) => `${o.namespace}:${o.path}`));
  const out = new Map<string, Found>();
  const nameOf = (e: Entry, path: string): string => {
    const c = changes.get(path);
    if (view === 'iso9660') return c?.iso9660 ?? e.name.toUpperCase();
    return c?.[view] ?? e.name;
  };
  const walk = async (d: DirEntry, original: string, shown: string): Promise<void> => {
    for (const e of d.children) {
      const path = `${original}/${e.name}`;
      // A namespace that omits a directory omits everything under it (the report lists each).
      if (omitted.has(`${view}:${path}`)) continue;
      let at = `${shown}/${nameOf(e, path)}`;
      if (e.kind === 'dir') {
        if (view === 'iso9660' && relocated.has(path)) {
          out.set(at, { kind: 'file', size: 0, sha: EMPTY_SHA });
          at = relocated.get(path) as string;
        }
        out.set(at, { kind: 'dir' });
        await walk(e, path, at);
      } else if (e.kind === 'symlink') {
        if (view === 'joliet' || omitted.has(`${view}:${path}`)) continue;
        if (view === 'iso9660') out.set(at, { kind: 'file', size: 0, sha: EMPTY_SHA });
        else out.set(at, { kind: 'symlink', target: e.target });
      } else {
        out.set(at, { kind: 'file', size: e.size, sha: await sha256Of(e) });
      }
    }
  };
  await walk(root, '', '');
  if (report.relocated.length) {
    const moved = (report.relocated[0] as { isoPath: string }).isoPath.split('/')[1] as string;
    if (view === 'iso9660') out.set(`/${moved}`, { kind: 'dir' });
    if (view === 'rockRidge') out.set('/rr_moved', { kind: 'dir' });
  }
  return out;
}

export const EMPTY_SHA = createHash('sha256').digest('hex');

/** 7-Zip shows a name of only spaces as "[]" (its GetSpecName); apply the same to expected paths. */
export function asSevenZipShows(view: Map<string, Found>): Map<string, Found> {
  const fix = (p: string): string =>
    p
      .split('/')
      .map((c, i) => (i > 0 && c.trim() === '' ? '[]' : c))
      .join('/');
  return new Map([...view].map(([p, f]) => [fix(p), f]));
}

/** Differences between two views, as readable lines (empty when equal). */
export function diffViews(expected: Map<string, Found>, actual: Map<string, Found>): string[] {
  const lines: string[] = [];
  for (const [p, e] of expected) {
    const a = actual.get(p);
    if (!a) lines.push(`missing ${p} (${e.kind})`);
    else if (JSON.stringify(a) !== JSON.stringify(e))
      lines.push(`differs ${p}: ${JSON.stringify(a)} != ${JSON.stringify(e)}`);
  }
  for (const p of actual.keys()) if (!expected.has(p)) lines.push(`unexpected ${p}`);
  return lines;
}

/** Extracts with xorriso reading one namespace: Rock Ridge, Joliet (`norock`), or plain ISO 9660. */
export function xorrisoExtract(
  image: string,
  into: string,
  view: 'rockRidge' | 'joliet' | 'iso9660',
): void {
  const readFs = {
    rockRidge: [],
    joliet: ['-read_fs', 'norock'],
    iso9660: ['-read_fs', 'ecma119'],
  }[view];
  runOk('xorriso', [...readFs, '-indev', image, '-osirrox', 'on', '-extract', '/', into]);
  // xorriso gives extracted files the ISO view's read-only modes; make them removable.
  runOk('chmod', ['-R', 'u+rwX', into]);
}

/** A SectorReader over an image file. */
export function fileSectors(path: string): SectorReader & { close(): void } {
  const fd = openSync(path, 'r');
  return {
    read(sector, count) {
      const b = new Uint8Array(count * 2048);
      readSync(fd, b, 0, b.length, sector * 2048);
      return Promise.resolve(b);
    },
    close: () => closeSync(fd),
  };
}

/** What one of our readers shows, as `readExtracted` shows an extraction. */
export async function readerView<E extends ReadEntry>(
  root: E,
  list: (d: E) => Promise<E[]>,
  read: (f: E) => Promise<Uint8Array>,
): Promise<Map<string, Found>> {
  const out = new Map<string, Found>();
  const walk = async (d: E, at: string): Promise<void> => {
    for (const e of await list(d)) {
      const p = `${at}/${e.name}`;
      if (e.kind === 'dir') {
        out.set(p, { kind: 'dir' });
        await walk(e, p);
      } else if (e.kind === 'symlink') out.set(p, { kind: 'symlink', target: e.target ?? '' });
      else {
        const data = await read(e);
        out.set(p, {
          kind: 'file',
          size: data.length,
          sha: createHash('sha256').update(data).digest('hex'),
        });
      }
    }
  };
  await walk(root, '');
  return out;
}
