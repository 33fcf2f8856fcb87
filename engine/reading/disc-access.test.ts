/**
 * The app's disc-to-files helpers: an image Blob read as sectors, listing
 * and walking, a writable-file sink, and verifying against an image (first
 * differing LBA) or files (first differing path).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesSource, planImage, type DirEntry } from '../../disc-fs/src/index.ts';
import type { FileTreeEntry } from '../../contract/api.ts';
import {
  blobSectorReader,
  listVolume,
  verifyAgainstFiles,
  verifyAgainstImage,
  volumeFile,
  walkVolume,
  writableSink,
} from './disc-access.ts';
import { openVolume } from './disc-files.ts';

const numbers = Uint8Array.from({ length: 70_000 }, (_, i) => i % 251);
const hello = new TextEncoder().encode('Hello from webdisc.\n');

const tree = (): DirEntry => ({
  kind: 'dir',
  name: '',
  children: [
    { kind: 'file', name: 'readme.txt', size: hello.length, content: bytesSource(hello) },
    {
      kind: 'dir',
      name: 'data',
      children: [
        { kind: 'file', name: 'numbers.bin', size: numbers.length, content: bytesSource(numbers) },
      ],
    },
  ],
});

async function build(): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of planImage(tree(), {
    date: Date.UTC(2024, 0, 1),
    volumeId: 'TEST',
  }).stream())
    parts.push(c.slice());
  return Uint8Array.from(Buffer.concat(parts));
}

const local = (n = numbers): FileTreeEntry & { kind: 'dir' } => ({
  kind: 'dir',
  name: '',
  children: [
    { kind: 'file', name: 'readme.txt', blob: new Blob([hello]) },
    {
      kind: 'dir',
      name: 'data',
      children: [{ kind: 'file', name: 'numbers.bin', blob: new Blob([n]) }],
    },
  ],
});

describe('disc access (issue 17, app side)', () => {
  it('lists, walks and reads an image Blob', async () => {
    const img = await build();
    const volume = await openVolume(blobSectorReader(new Blob([img])));
    const root = await listVolume(volume, '/');
    assert.equal(root.path, '/');
    assert.deepEqual(
      root.entries.map((e) => [e.name, e.kind, e.size]),
      [
        ['data', 'dir', 2048],
        ['readme.txt', 'file', hello.length],
      ],
    );
    assert.ok(!('entry' in root.entries[0]!));
    assert.deepEqual(
      (await walkVolume(volume, '/data')).map((e) => e.path),
      ['/data', '/data/numbers.bin'],
    );
    const parts: Uint8Array[] = [];
    for await (const c of volumeFile(volume, '/data/numbers.bin')) parts.push(c.slice());
    assert.deepEqual(Buffer.concat(parts), Buffer.from(numbers));
  });

  it('writes an image sink at offsets and truncates it', async () => {
    let file = new Uint8Array(0);
    const log: string[] = [];
    const sink = await writableSink({
      createWritable: async () => ({
        async write({ position, data }) {
          const next = new Uint8Array(Math.max(file.length, position + data.length));
          next.set(file);
          next.set(data, position);
          file = next;
        },
        async truncate(size) {
          file = file.slice(0, size);
          log.push(`truncate ${size}`);
        },
        close: async () => void log.push('close'),
        abort: async () => void log.push('abort'),
      }),
    });
    await sink.write(4096, new Uint8Array(2048).fill(2));
    await sink.write(0, new Uint8Array(4096).fill(1));
    await sink.finish(5000);
    assert.equal(file.length, 5000);
    assert.equal(file[4095], 1);
    assert.equal(file[4096], 2);
    assert.deepEqual(log, ['truncate 5000', 'close']);
  });

  it('verifies against an image: identical, then the first differing LBA', async () => {
    const img = await build();
    const disc = blobSectorReader(new Blob([img]));
    const ok = await verifyAgainstImage(disc, new Blob([img]));
    assert.equal(ok.same, true);
    assert.equal(ok.sectors, img.length / 2048);
    assert.match(ok.sha256 ?? '', /^[0-9a-f]{64}$/);
    const changed = img.slice();
    changed[20 * 2048 + 7]! ^= 1;
    const bad = await verifyAgainstImage(disc, new Blob([changed]));
    assert.equal(bad.same, false);
    assert.equal(bad.firstDifferentLba, 20);
    assert.match(bad.message, /first at LBA 20\./);
  });

  it('verifies against files: identical, then the first differing path', async () => {
    const volume = await openVolume(blobSectorReader(new Blob([await build()])));
    const ok = await verifyAgainstFiles(volume, local());
    assert.equal(ok.same, true);
    assert.equal(ok.files, 2);
    const other = numbers.slice();
    other[5]! ^= 1;
    const bad = await verifyAgainstFiles(volume, local(other));
    assert.equal(bad.firstDifferentPath, '/data/numbers.bin');
    assert.match(bad.message, /different content/);
    const fewer = local();
    const missing = { ...fewer, children: fewer.children.slice(0, 1) };
    const gone = await verifyAgainstFiles(volume, missing);
    assert.equal(gone.firstDifferentPath, '/data');
    assert.match(gone.message, /only on the disc/);
  });
});
