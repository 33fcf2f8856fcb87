/**
 * The stream's contract: exact size known up front, whole sectors only,
 * nothing read before its sectors are due, and typed errors for files that
 * cannot be read or change size, trees that cannot be recorded, and media
 * too small.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FileSizeChangedError,
  FileTooLargeError,
  InvalidTreeError,
  TooManySectorsError,
  UnreadableFileError,
  type DiscFsError,
} from '../src/errors.ts';
import { checkCapacity, planImage } from '../src/image.ts';
import { sectorSource } from '../src/stream.ts';
import { bytesSource, zeroSource, type ByteSource, type FileEntry } from '../src/tree.ts';
import { dir, file, ordinaryTree } from './trees.ts';

const DATE = Date.UTC(2020, 0, 1);

async function drain(it: AsyncIterable<Uint8Array>): Promise<{ bytes: number; chunks: number[] }> {
  const chunks: number[] = [];
  let bytes = 0;
  for await (const c of it) {
    chunks.push(c.length);
    bytes += c.length;
  }
  return { bytes, chunks };
}

function source(data: Uint8Array, log: string[], name: string): ByteSource {
  const inner = bytesSource(data);
  return {
    read: (o, l) => {
      log.push(`read ${name} ${o}`);
      return inner.read(o, l);
    },
    close: () => void log.push(`close ${name}`),
  };
}

describe('stream', () => {
  it('knows its exact size before reading anything, and yields whole sectors', async () => {
    const log: string[] = [];
    const files: FileEntry[] = [0, 1, 2047, 2048, 2049, 300_000].map((n, i) => ({
      kind: 'file',
      name: `f${i}`,
      size: n,
      content: source(new Uint8Array(n).fill(i + 1), log, `f${i}`),
    }));
    const plan = planImage(dir('', files), { date: DATE });
    assert.equal(log.length, 0, 'planning reads nothing');
    const { bytes, chunks } = await drain(
      plan.stream({ chunkBytes: 64 * 1024, readBytes: 128 * 1024 }),
    );
    assert.equal(bytes, plan.sectors * 2048);
    assert.ok(chunks.every((n) => n > 0 && n % 2048 === 0));
    // Each file with data is read in order and closed once; an empty file has no sectors to read.
    assert.equal(log.filter((l) => l.startsWith('close')).length, files.length - 1);
    assert.ok(!log.includes('close f0'));
    assert.ok(log.indexOf('close f2') < log.indexOf('read f3 0'), 'one file at a time');
  });

  it('works as the underlying source of a ReadableStream', async () => {
    const plan = planImage(ordinaryTree(), { date: DATE });
    const rs = new ReadableStream(sectorSource(plan.stream()));
    let n = 0;
    for await (const c of rs as unknown as AsyncIterable<Uint8Array>) n += c.length;
    assert.equal(n, plan.bytes);
  });

  it('the same tree and date give the same bytes; another date does not', async () => {
    const hash = async (date: number): Promise<string> => {
      const { createHash } = await import('node:crypto');
      const h = createHash('sha256');
      for await (const c of planImage(ordinaryTree(), { date }).stream()) h.update(c);
      return h.digest('hex');
    };
    assert.equal(await hash(DATE), await hash(DATE));
    assert.notEqual(await hash(DATE), await hash(DATE + 1000));
  });
});

describe('errors', () => {
  const is =
    (code: string, check: (e: DiscFsError) => void = () => {}) =>
    (e: unknown) => {
      assert.equal((e as DiscFsError).code, code);
      check(e as DiscFsError);
      return true;
    };

  it('UnreadableFileError names the file and keeps the cause', async () => {
    const cause = new Error('EIO');
    let closed = 0;
    const bad: FileEntry = {
      kind: 'file',
      name: 'bad.bin',
      size: 10,
      content: { read: () => Promise.reject(cause), close: () => void closed++ },
    };
    const plan = planImage(dir('', [dir('d', [bad])]), { date: DATE });
    await assert.rejects(
      drain(plan.stream()),
      is('UNREADABLE_FILE', (e) => {
        assert.ok(e instanceof UnreadableFileError);
        assert.equal(e.path, '/d/bad.bin');
        assert.equal(e.cause, cause);
      }),
    );
    assert.equal(closed, 1);
  });

  it('FileSizeChangedError when a file shrank or grew since it was planned', async () => {
    const shrunk: FileEntry = {
      kind: 'file',
      name: 's',
      size: 5000,
      content: bytesSource(new Uint8Array(3000)),
    };
    await assert.rejects(
      drain(planImage(dir('', [shrunk]), { date: DATE }).stream()),
      is('FILE_SIZE_CHANGED', (e) => {
        assert.ok(e instanceof FileSizeChangedError);
        assert.equal(e.path, '/s');
        assert.equal(e.seenSize, 3000);
      }),
    );
    const grown: FileEntry = {
      kind: 'file',
      name: 'g',
      size: 3000,
      content: bytesSource(new Uint8Array(5000)),
    };
    await assert.rejects(
      drain(planImage(dir('', [grown]), { date: DATE }).stream()),
      is('FILE_SIZE_CHANGED', (e) =>
        assert.ok(e instanceof FileSizeChangedError && e.seenSize > 3000),
      ),
    );
  });

  it('checkCapacity: TooManySectorsError when the plan does not fit', () => {
    const plan = planImage(dir('', [file('big', 10 * 1024 * 1024)]), { date: DATE });
    checkCapacity(plan, plan.sectors);
    assert.throws(
      () => checkCapacity(plan, plan.sectors - 1),
      is('TOO_MANY_SECTORS', (e) =>
        assert.ok(e instanceof TooManySectorsError && e.sectors === plan.sectors),
      ),
    );
  });

  it('InvalidTreeError for names and hard links that cannot be recorded', () => {
    const bad = (children: Parameters<typeof dir>[1], path: string) =>
      assert.throws(
        () => planImage(dir('', children), { date: DATE }),
        is('INVALID_TREE', (e) => assert.ok(e instanceof InvalidTreeError && e.path === path)),
      );
    bad([file('same', 1), file('same', 2)], '/same');
    bad([dir('d', [file('a/b', 1)])], '/d/a/b');
    bad([file('..', 1)], '/..');
    bad([file('', 1)], '/');
    bad([file('h1', 10, 1, { inode: 7 }), file('h2', 11, 1, { inode: 7 })], '/h2');
  });

  it('FileTooLargeError for a file of 4 GiB or more below interchange level 3', () => {
    const huge: FileEntry = {
      kind: 'file',
      name: 'huge',
      size: 2 ** 32,
      content: zeroSource(2 ** 32),
    };
    assert.throws(() => planImage(dir('', [huge]), { date: DATE, level: 2 }), FileTooLargeError);
    assert.ok(planImage(dir('', [huge]), { date: DATE, level: 3 }).sectors > 2 ** 21);
  });
});
