/**
 * Saves into a picked file, resumable in the session (engine/reading/file-saves.ts):
 * a save stopped by an unreadable sector writes nothing into the file, keeps
 * what it read, and resumes to the whole image (only the rest read, the
 * hashes of the whole); past lasting damage with continuePastErrors; a
 * discarded save leaves the file as it was; another disc is not resumed into it.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { WritableFileLike } from '../../contract/api.ts';
import { V, bench, image, ok } from '../test-kit.ts';

/**
 * A FileSystemFileHandle as Chrome's behaves: a writable writes into a swap
 * copy; close() puts the copy in place, abort() drops it.
 */
function pickedFile(before = new Uint8Array(0)) {
  const state = { bytes: before, log: [] as string[] };
  const file: WritableFileLike = {
    async createWritable() {
      let swap = state.bytes.slice();
      return {
        async write({ position, data }) {
          if (position + data.length > swap.length) {
            const grown = new Uint8Array(position + data.length);
            grown.set(swap);
            swap = grown;
          }
          swap.set(data, position);
        },
        async truncate(size) {
          const cut = new Uint8Array(size);
          cut.set(swap.subarray(0, size));
          swap = cut;
        },
        async close() {
          state.bytes = swap;
          state.log.push('close');
        },
        async abort() {
          state.log.push('abort');
        },
      };
    },
  };
  return { file, state };
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

async function burned(sectors: number) {
  const b = bench({ media: 'dvd+r' });
  const s = b.session('A');
  const img = image(sectors, 7);
  ok(await s.service.burnImage(V, { kind: 'bytes', bytes: img }, { clientName: 'Burn' }));
  return { b, s, img };
}

describe('a save into a picked file, resumed after a failure (issue 17)', () => {
  it('stops at an unreadable sector with nothing in the file, then resumes to the whole image', async () => {
    const { b, s, img } = await burned(3000);
    b.drive.faults.damagedSectors(1234, 1);
    const before = new Uint8Array([1, 2, 3]);
    const { file, state } = pickedFile(before);
    const first = await s.service.saveDiscToFile(V, file, { retries: 2, chunkSectors: 256 });
    assert.equal(first.ok, false);
    if (first.ok) return;
    assert.equal(first.error.firstBadLba, 1234);
    assert.deepEqual(first.error.resumable, {
      token: first.error.resumable?.token,
      readSectors: 1234,
      totalSectors: 3000,
    });
    // Nothing under the chosen name yet: the file is as it was, its writable still open.
    assert.deepEqual(state.bytes, before);
    assert.deepEqual(state.log, []);

    b.drive.faults.clear(); // the disc cleaned
    const token = first.error.resumable!.token;
    const r = ok(await s.service.resumeSaveToFile(V, token, {}));
    assert.equal(r.resumed, true);
    assert.equal(r.sectorsRead, 3000 - 1234, 'only what the first run lacked is read');
    assert.equal(r.badSectors, 0);
    assert.equal(r.map, null);
    assert.deepEqual(state.bytes, img);
    assert.equal(r.sha256, sha(img), 'the hashes cover the whole image');
    assert.equal(r.md5, md5(img));
    assert.deepEqual(state.log, ['close']);
    // Done: the token is spent.
    const again = await s.service.resumeSaveToFile(V, token, {});
    assert.equal(again.ok, false);
    if (!again.ok) assert.match(again.error.message, /can no longer be resumed/);
  });

  it('resumes past lasting damage with continuePastErrors: zero-filled, in the map, hashed as saved', async () => {
    const { b, s, img } = await burned(2000);
    b.drive.faults.damagedSectors(500, 2);
    const { file, state } = pickedFile();
    const first = await s.service.saveDiscToFile(V, file, { retries: 1 });
    assert.equal(first.ok, false);
    if (first.ok) return;
    const r = ok(
      await s.service.resumeSaveToFile(V, first.error.resumable!.token, {
        continuePastErrors: true,
      }),
    );
    const expected = img.slice();
    expected.fill(0, 500 * 2048, 502 * 2048);
    assert.deepEqual(state.bytes, expected);
    assert.deepEqual(r.badRanges, [{ start: 500, count: 2 }]);
    assert.match(r.map ?? '', /^0x000FA000\s+0x00001000\s+-$/m);
    assert.equal(r.sha256, sha(expected));
  });

  it('a cancelled save resumes too; a discarded one leaves the file as it was', async () => {
    const { s, img } = await burned(4000);
    const { file, state } = pickedFile();
    let cancelled = false;
    void s.service.subscribe((e) => {
      if (!cancelled && e.type === 'progress' && (e.progress.position ?? 0) >= 1024) {
        cancelled = true;
        void s.service.cancelOperation(V);
      }
    });
    const first = await s.service.saveDiscToFile(V, file, { chunkSectors: 256 });
    assert.equal(first.ok, false);
    if (first.ok) return;
    assert.equal(first.error.name, 'E_IMAPI_REQUEST_CANCELLED');
    const { token, readSectors } = first.error.resumable!;
    assert.ok(readSectors >= 1024 && readSectors < 4000, String(readSectors));
    const r = ok(await s.service.resumeSaveToFile(V, token, {}));
    assert.deepEqual(state.bytes, img);
    assert.equal(r.sha256, sha(img));

    const other = pickedFile(new Uint8Array([9]));
    let stop = false;
    void s.service.subscribe((e) => {
      if (!stop && e.type === 'progress' && (e.progress.position ?? 0) >= 512) {
        stop = true;
        void s.service.cancelOperation(V);
      }
    });
    const second = await s.service.saveDiscToFile(V, other.file, { chunkSectors: 256 });
    assert.equal(second.ok, false);
    if (second.ok) return;
    ok(await s.service.discardSave(second.error.resumable!.token));
    assert.deepEqual(other.state.log, ['abort']);
    assert.deepEqual(other.state.bytes, new Uint8Array([9]));
    const gone = await s.service.resumeSaveToFile(V, second.error.resumable!.token, {});
    assert.equal(gone.ok, false);
  });

  it('another disc in the drive is not resumed into the file; the save waits for its own', async () => {
    const { b, s } = await burned(1500);
    b.drive.faults.damagedSectors(100, 1);
    const { file, state } = pickedFile();
    const first = await s.service.saveDiscToFile(V, file, { retries: 1 });
    assert.equal(first.ok, false);
    if (first.ok) return;
    const token = first.error.resumable!.token;
    ok(await s.service.virtualInsertMedia('cd-r'));
    const refused = await s.service.resumeSaveToFile(V, token, {});
    assert.equal(refused.ok, false);
    if (refused.ok) return;
    assert.match(refused.error.message, /not the one this save was reading/);
    assert.equal(refused.error.resumable?.token, token, 'still resumable');
    assert.deepEqual(state.log, []);
  });

  it('a resume refused before it reads (another session holds the drive) keeps the save resumable', async () => {
    const { b, s, img } = await burned(1500);
    b.drive.faults.damagedSectors(100, 1);
    const { file, state } = pickedFile();
    const first = await s.service.saveDiscToFile(V, file, { retries: 1 });
    assert.equal(first.ok, false);
    if (first.ok) return;
    b.drive.faults.clear();
    const other = b.session('B');
    ok(await other.service.acquireExclusiveAccess(V, false, 'Other'));
    const token = first.error.resumable!.token;
    const refused = await s.service.resumeSaveToFile(V, token, {});
    assert.equal(refused.ok, false);
    if (refused.ok) return;
    assert.equal(refused.error.resumable?.token !== undefined, true, 'still resumable');
    assert.deepEqual(state.log, [], 'the kept part was not thrown away');
    ok(await other.service.releaseExclusiveAccess(V));
    const r = ok(await s.service.resumeSaveToFile(V, refused.error.resumable!.token, {}));
    assert.deepEqual(state.bytes, img);
    assert.equal(r.sha256, sha(img));
  });

  it('a new save on the drive gives up the one that waited (its file left as it was)', async () => {
    const { b, s } = await burned(1500);
    b.drive.faults.damagedSectors(100, 1);
    const old = pickedFile();
    const first = await s.service.saveDiscToFile(V, old.file, { retries: 1 });
    assert.equal(first.ok, false);
    b.drive.faults.clear();
    const fresh = pickedFile();
    ok(await s.service.saveDiscToFile(V, fresh.file, {}));
    assert.deepEqual(old.state.log, ['abort']);
    assert.deepEqual(fresh.state.log, ['close']);
  });
});
