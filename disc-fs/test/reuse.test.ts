/**
 * `stream({ reuseBuffers: true })` and the Node walker's read paths give the
 * very same bytes as the default stream, for a consumer done with each chunk
 * before it asks for the next; size checks hold on every path.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileSource, walkDirectory } from '../node/walk.ts';
import { FileSizeChangedError } from '../src/errors.ts';
import { planImage } from '../src/image.ts';
import type { StreamOptions } from '../src/stream.ts';
import {
  bytesSource,
  type ByteSource,
  type DirEntry,
  type Entry,
  type FileEntry,
} from '../src/tree.ts';
import { tempDir } from './tools.ts';
import { dir, pattern } from './trees.ts';

const DATE = Date.UTC(2020, 0, 1);
const SIZES = [0, 1, 2047, 2048, 2049, 65_536, 300_000, 3 * 1024 * 1024 + 5];

const bytes = (n: number, seed: number) =>
  Uint8Array.from({ length: n }, (_, i) => pattern(seed)(i));

/** bytesSource with `readInto`, as the Node walker's sources have. */
function intoSource(data: Uint8Array): ByteSource & {
  readInto(offset: number, target: Uint8Array): Promise<number>;
} {
  return {
    ...bytesSource(data),
    readInto(offset, target) {
      const part = data.subarray(offset, Math.min(data.length, offset + target.length));
      target.set(part);
      return Promise.resolve(part.length);
    },
  };
}

/** Reading a file or a folder may change its access time: leave it out of the comparison. */
function withoutAtime<E extends Entry>(e: E): E {
  const c = { ...e } as E & { atime?: number };
  delete c.atime;
  return e.kind === 'dir' ? ({ ...c, children: e.children.map(withoutAtime) } as E) : c;
}

/** Hashes each chunk as it comes (a copy-free synchronous consumer). */
async function hash(root: DirEntry, o: StreamOptions): Promise<string> {
  const h = createHash('sha256');
  for await (const c of planImage(root, { date: DATE }).stream(o)) h.update(c);
  return h.digest('hex');
}

const OPTIONS: StreamOptions[] = [
  {},
  { reuseBuffers: true },
  { reuseBuffers: true, chunkBytes: 64 * 1024, readBytes: 128 * 1024 },
  { reuseBuffers: true, chunkBytes: 2048, readBytes: 4096 },
];

describe('stream({ reuseBuffers: true })', () => {
  const tmp = tempDir();
  after(() => tmp.remove());

  it('gives the same bytes as the default stream, with and without readInto', async () => {
    const tree = (into: boolean) =>
      dir('', [
        ...SIZES.map((n, i): FileEntry => ({
          kind: 'file',
          name: `f${i}`,
          size: n,
          content: into ? intoSource(bytes(n, i)) : bytesSource(bytes(n, i)),
        })),
      ]);
    const want = await hash(tree(false), {});
    for (const o of OPTIONS) {
      assert.equal(await hash(tree(true), o), want, JSON.stringify(o));
      assert.equal(await hash(tree(false), o), want, JSON.stringify(o));
    }
  });

  it('the walker, synchronous or through the thread pool, gives the same bytes', async () => {
    const src = join(tmp.path, 'src');
    mkdirSync(join(src, 'sub', 'deeper'), { recursive: true });
    for (const [i, n] of SIZES.entries()) {
      writeFileSync(join(src, i % 2 ? 'sub' : '.', `s${i}.bin`), bytes(n, i));
      writeFileSync(join(src, 'sub', 'deeper', `t${i}.bin`), bytes(n, i + 50));
    }
    let want: string | undefined;
    for (const sync of [true, false]) {
      for (const o of OPTIONS) {
        const { root } = await walkDirectory(src, { sync });
        const got = await hash(withoutAtime(root), o);
        want ??= got;
        assert.equal(got, want, `sync ${sync}, ${JSON.stringify(o)}`);
      }
    }
  });

  it('a file that shrank or grew is still FileSizeChangedError', async () => {
    const p = join(tmp.path, 'changing.bin');
    for (const sync of [true, false]) {
      for (const [planned, actual] of [
        [5000, 3000],
        [3000, 5000],
        [3 * 1024 * 1024, 3 * 1024 * 1024 + 1],
      ] as const) {
        writeFileSync(p, bytes(actual, 1));
        const f: FileEntry = {
          kind: 'file',
          name: 'c',
          size: planned,
          content: fileSource(p, { sync }),
        };
        for (const o of OPTIONS) {
          await assert.rejects(
            hash(dir('', [f]), o),
            (e: unknown) =>
              e instanceof FileSizeChangedError &&
              (actual < planned ? e.seenSize === actual : e.seenSize > planned),
          );
        }
      }
    }
  });
});
