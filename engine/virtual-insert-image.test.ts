/**
 * "Insert an image as a disc" (issue 17): the virtual recorder takes a disc
 * image as a finished disc, pressed to fit or as the medium asked for, so
 * browse, save and verify can be tried on a disc someone already has.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesSource, planImage, type DirEntry } from '../disc-fs/src/index.ts';
import type { Result } from '../contract/index.ts';
import { bench, image, ok, V } from './test-kit.ts';

/** The failure's message: the words a person reads. */
function words<T>(r: Result<T>): string {
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.value)}`);
  return r.error.message;
}

async function iso(): Promise<Blob> {
  const root: DirEntry = {
    kind: 'dir',
    name: '',
    children: [
      {
        kind: 'file',
        name: 'hello.txt',
        size: 5,
        content: bytesSource(new Uint8Array([104, 105, 33, 33, 10])),
      },
      {
        kind: 'file',
        name: 'data.bin',
        size: 70_000,
        content: bytesSource(image(35, 3).subarray(0, 70_000)),
      },
    ],
  };
  const parts: Uint8Array[] = [];
  for await (const c of planImage(root, { date: Date.UTC(2024, 0, 1), volumeId: 'KEPT' }).stream())
    parts.push(c.slice());
  return new Blob(parts);
}

describe('virtualInsertImage', () => {
  it('presses an image as a CD-ROM whose files list and read back', async () => {
    const b = bench({ media: 'cd-r' });
    const s = b.session('tab');
    const state = ok(await s.service.virtualInsertImage(await iso()));
    assert.equal(state.media, 'cd-rom');
    const listing = ok(await s.service.listDiscFiles({ kind: 'disc', id: V }, '/'));
    assert.equal(listing.label, 'KEPT');
    assert.deepEqual(listing.entries.map((e) => e.name).sort(), ['data.bin', 'hello.txt']);
    const media = ok(await s.service.getMedia(V));
    assert.equal(media.present, true);
  });

  it('inserts it as the medium asked for, appendable media included', async () => {
    const b = bench({ media: 'cd-r' });
    const s = b.session('tab');
    const state = ok(await s.service.virtualInsertImage(await iso(), 'dvd+r'));
    assert.equal(state.media, 'dvd+r');
    const listing = ok(await s.service.listDiscFiles({ kind: 'disc', id: V }, '/'));
    assert.equal(listing.entries.length, 2);
  });

  it('refuses an unknown medium, an empty image and one too big, in words', async () => {
    const b = bench({ media: 'cd-r' });
    const s = b.session('tab');
    assert.match(
      words(await s.service.virtualInsertImage(await iso(), 'floppy')),
      /Unknown medium "floppy"/,
    );
    assert.match(words(await s.service.virtualInsertImage(new Blob([]))), /at least one byte/);
    // 800 MiB does not fit a CD-R (about 703 MiB): refused before the disc changes.
    const big = new Blob([new Uint8Array(1 << 20)]);
    const huge = new Blob(Array.from({ length: 800 }, () => big));
    assert.match(
      words(await s.service.virtualInsertImage(huge, 'cd-r')),
      /does not fit|too (big|large)/i,
    );
    assert.equal(ok(await s.service.virtualState()).media, 'cd-r');
  });
});
