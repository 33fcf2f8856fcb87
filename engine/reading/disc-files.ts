/**
 * A disc's (or an image file's) files, through disc-fs's readers: Rock
 * Ridge names and links where the disc has them, else Joliet, else UDF,
 * else plain ISO 9660 — what Linux, Windows and macOS would show. Listing
 * reads directories only; file bytes stream from their extents in chunks,
 * never whole. A crafted image is ordinary input here: names that are not
 * one path component ('/', NUL, '.', '..'), directory loops, absurd depth,
 * and sizes that disagree with their extents all end in a typed error
 * (IMAPI_E_FILE_SYSTEM_READ_CONSISTENCY_ERROR), never a hang or a path
 * outside the tree.
 */
import type { DiscFileEntry } from '../../contract/api.ts';
import { WebdiscError } from '../../usb-mass-storage/src/errors.ts';
import {
  openIso,
  openUdf,
  type IsoNamespace,
  type ReadEntry,
  type SectorReader,
} from '../../disc-fs/src/index.ts';

const SECTOR = 2048;
/** Deeper than any real disc (ISO 9660 allows 8 levels, Rock Ridge relocation a few more). */
const MAX_DEPTH = 256;
const READ_SECTORS = 256;

type Entry = ReadEntry & { embedded?: Uint8Array };

export interface VolumeEntry extends DiscFileEntry {
  readonly entry: Entry;
}

export interface DiscVolume {
  readonly label: string;
  /** In words: "ISO 9660 + Rock Ridge", "ISO 9660 + Joliet", "UDF", "ISO 9660". */
  readonly fileSystem: string;
  /** The entries of a folder, by path ("/" is the root). */
  list(path: string): Promise<VolumeEntry[]>;
  /** One entry by path. */
  stat(path: string): Promise<VolumeEntry>;
  /** A file's bytes, in chunks, exactly `size` of them. */
  read(entry: VolumeEntry): AsyncIterable<Uint8Array>;
  /** Every entry under `path` (folders before their contents), loop-safe. */
  walk(path: string): AsyncIterable<VolumeEntry>;
}

export function inconsistent(message: string, cause?: unknown): WebdiscError {
  return new WebdiscError(
    'IMAPI_E_FILE_SYSTEM_READ_CONSISTENCY_ERROR',
    `The disc's file system is damaged or crafted: ${message}.`,
    cause === undefined ? undefined : { cause },
  );
}

/** A name that is exactly one path component, or why not. */
function checkName(name: string, where: string): void {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
    throw inconsistent(`${where} holds an entry named ${JSON.stringify(name)}`);
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((p) => p !== '' && p !== '.');
}

interface Tree {
  label: string;
  fileSystem: string;
  root: Entry;
  list(dir: Entry): Promise<Entry[]>;
}

async function openTree(src: SectorReader, start: number): Promise<Tree> {
  let isoError: unknown;
  // UDF is the first session's only (a later one would find the first's anchor at 256).
  const udfOk = start === 0;
  try {
    // Rock Ridge first; openIso falls back to Joliet, then plain ISO 9660.
    const iso = await openIso(src, 'rockRidge', start);
    const names: Record<IsoNamespace, string> = {
      rockRidge: 'ISO 9660 + Rock Ridge',
      joliet: 'ISO 9660 + Joliet',
      iso9660: 'ISO 9660',
    };
    let chosen = iso;
    if (iso.namespace === 'iso9660') {
      const joliet = await openIso(src, 'joliet', start).catch(() => undefined);
      if (joliet?.namespace === 'joliet') chosen = joliet;
    }
    if (chosen.namespace === 'iso9660' && udfOk) {
      // A disc with UDF and only 8.3 names in ISO 9660: UDF has the real names.
      const udf = await openUdf(src).catch(() => undefined);
      if (udf)
        return {
          label: udf.logicalVolumeId,
          fileSystem: 'UDF',
          root: udf.root,
          list: (d) => udf.list(d as never),
        };
    }
    // ISO 9660's label is upper-case d-characters; Joliet keeps the label as it was given.
    let label = chosen.volumeId;
    if (chosen.namespace !== 'joliet') {
      const joliet = await openIso(src, 'joliet', start).catch(() => undefined);
      if (joliet?.namespace === 'joliet' && joliet.volumeId.trim()) label = joliet.volumeId;
    }
    return {
      label,
      fileSystem: names[chosen.namespace],
      root: chosen.root,
      list: (d) => chosen.list(d),
    };
  } catch (error) {
    isoError = error;
  }
  try {
    if (!udfOk) throw isoError;
    const udf = await openUdf(src);
    return {
      label: udf.logicalVolumeId,
      fileSystem: 'UDF',
      root: udf.root,
      list: (d) => udf.list(d as never),
    };
  } catch (udfError) {
    throw new WebdiscError(
      'IMAPI_E_NO_SUPPORTED_FILE_SYSTEM',
      'This disc has no file system webdisc reads (ISO 9660, Joliet, Rock Ridge or UDF). It may be an audio CD, a video disc with another format, or blank.',
      { cause: new AggregateError([isoError, udfError]) },
    );
  }
}

/**
 * Opens the file system on `src` (a disc through READ(10), or an image
 * file); `sessionStart` chooses a session of a multisession disc (its first
 * sector; default 0, the first or only one).
 */
export async function openVolume(src: SectorReader, sessionStart = 0): Promise<DiscVolume> {
  const tree = await openTree(src, sessionStart);
  const view = (e: Entry, path: string): VolumeEntry => ({
    name: e.name,
    path,
    kind: e.kind,
    size: e.size,
    mtime: e.mtime ?? null,
    ...(e.target !== undefined ? { target: e.target } : {}),
    entry: e,
  });
  const listDir = async (dir: Entry, path: string): Promise<VolumeEntry[]> => {
    let children: Entry[];
    try {
      children = await tree.list(dir);
    } catch (error) {
      if (error instanceof WebdiscError) throw error;
      throw inconsistent(`the folder ${path} cannot be read (${(error as Error).message})`, error);
    }
    const seen = new Set<string>();
    return children.map((c) => {
      checkName(c.name, path);
      if (seen.has(c.name)) throw inconsistent(`${path} lists "${c.name}" twice`);
      seen.add(c.name);
      return view(c, path === '/' ? `/${c.name}` : `${path}/${c.name}`);
    });
  };
  const root = view(tree.root, '/');
  const stat = async (path: string): Promise<VolumeEntry> => {
    let at = root;
    for (const part of splitPath(path)) {
      if (part === '..')
        throw new WebdiscError(
          'E_INVALIDARG',
          `"${path}": ".." is not allowed in a path on the disc.`,
        );
      if (at.kind !== 'dir')
        throw new WebdiscError('E_INVALIDARG', `"${path}": ${at.path} is not a folder.`);
      const next = (await listDir(at.entry, at.path)).find((c) => c.name === part);
      if (!next) throw notFound(path);
      at = next;
    }
    return at;
  };
  return {
    label: tree.label,
    fileSystem: tree.fileSystem,
    async list(path) {
      const dir = await stat(path);
      if (dir.kind !== 'dir')
        throw new WebdiscError('E_INVALIDARG', `"${path}" is a file, not a folder.`);
      return listDir(dir.entry, dir.path);
    },
    stat,
    read: (e) => readEntry(src, e),
    async *walk(path) {
      const start = await stat(path);
      const visited = new Set<number>();
      async function* visit(e: VolumeEntry, depth: number): AsyncIterable<VolumeEntry> {
        yield e;
        if (e.kind !== 'dir') return;
        if (depth > MAX_DEPTH)
          throw inconsistent(`folders nest deeper than ${MAX_DEPTH} levels at ${e.path}`);
        const key = e.entry.extents[0]?.sector ?? -1;
        if (visited.has(key))
          throw inconsistent(`the folder ${e.path} loops back to a folder above it`);
        visited.add(key);
        for (const c of await listDir(e.entry, e.path)) yield* visit(c, depth + 1);
      }
      yield* visit(start, 0);
    },
  };
}

function notFound(path: string): WebdiscError {
  return new WebdiscError('E_INVALIDARG', `"${path}" is not on the disc.`);
}

/** A file's bytes from its extents (or embedded data), checked against its size. */
async function* readEntry(src: SectorReader, e: VolumeEntry): AsyncIterable<Uint8Array> {
  if (e.kind !== 'file') throw new WebdiscError('E_INVALIDARG', `"${e.path}" is not a file.`);
  const entry = e.entry;
  if (entry.embedded) {
    if (entry.embedded.length !== e.size)
      throw inconsistent(
        `${e.path} has ${entry.embedded.length} embedded bytes for a size of ${e.size}`,
      );
    yield entry.embedded;
    return;
  }
  const total = entry.extents.reduce((n, x) => n + x.length, 0);
  if (total !== e.size)
    throw inconsistent(`${e.path} has extents of ${total} bytes for a size of ${e.size}`);
  for (const x of entry.extents) {
    let left = x.length;
    for (let sector = x.sector; left > 0;) {
      const n = Math.min(READ_SECTORS, Math.ceil(left / SECTOR));
      let bytes: Uint8Array;
      try {
        bytes = await src.read(sector, n);
      } catch (error) {
        if (error instanceof WebdiscError) throw error;
        throw inconsistent(
          `${e.path} points at sectors ${sector}..${sector + n - 1}, which cannot be read`,
          error,
        );
      }
      if (bytes.length < Math.min(left, n * SECTOR))
        throw inconsistent(`${e.path} points past the end of the disc (sector ${sector})`);
      const take = Math.min(left, n * SECTOR);
      yield bytes.subarray(0, take);
      left -= take;
      sector += n;
    }
  }
}
