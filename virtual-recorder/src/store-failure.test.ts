/**
 * A sector store that fails (an OPFS store out of quota, a broken disk):
 * the command fails with MEDIUM ERROR at the failing LBA, the drive stays
 * usable, and the store's own error reaches the observer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WebdiscError } from '../../usb-mass-storage/src/errors.ts';
import { MemorySectorStore, type RecorderEvent, type SectorStore } from './index.ts';
import { Cdb, readyBot, type RawBot } from './raw-bot.ts';

const T = { timeout: 10_000 };
type Exec = Awaited<ReturnType<RawBot['exec']>>;

function expectSense(r: Exec, key: number, asc: number, ascq: number): void {
  assert.equal(r.csw.status, 1, 'expected CHECK CONDITION');
  assert.deepEqual([r.sense?.key, r.sense?.asc, r.sense?.ascq], [key, asc, ascq]);
}

class QuotaError extends WebdiscError {
  constructor() {
    super('E_OUTOFMEMORY', 'storage full');
  }
}

/** Memory store that refuses writes from `fullAt` on and reads from `brokenAt` on. */
class FailingStore extends MemorySectorStore {
  fullAt = Infinity;
  brokenAt = Infinity;
  override write(lba: number, data: Uint8Array): Promise<void> {
    if (lba + data.length / 2048 > this.fullAt) return Promise.reject(new QuotaError());
    return super.write(lba, data);
  }
  override read(lba: number, count: number): Promise<Uint8Array> {
    if (lba + count > this.brokenAt) return Promise.reject(new Error('disk gone'));
    return super.read(lba, count);
  }
}

describe('a failing sector store', T, () => {
  it('WRITE: 3/0C/00 at the first block not stored, event with the store error; then usable', async () => {
    let store: FailingStore | undefined;
    const { recorder, bot } = await readyBot({
      media: 'dvd+r',
      storeFactory: (): SectorStore => (store = new FailingStore()),
    });
    const events: RecorderEvent[] = [];
    recorder.subscribe((e) => events.push(e));
    store!.fullAt = 40;
    // 64 KiB chunks = 32 sectors: the first chunk is stored, the second refused.
    const r = await bot.exec({
      cdb: Cdb.write10(0, 64),
      dataOut: new Uint8Array(64 * 2048),
      chunk: 64 * 1024,
    });
    expectSense(r, 3, 0x0c, 0);
    assert.equal(r.sense?.information, 32);
    assert.equal(r.csw.residue, 32 * 2048);
    assert.equal(recorder.state.disc?.nextWritableAddress, 32);
    const failure = events.find((e) => e.type === 'store-error');
    assert.deepEqual(failure, {
      type: 'store-error',
      operation: 'write',
      lba: 32,
      name: 'QuotaError',
      message: 'storage full',
      hresultName: 'E_OUTOFMEMORY',
    });
    assert.equal(recorder.counters.bulkResets, 0);
    const ok = await bot.exec({ cdb: Cdb.write10(32, 4), dataOut: new Uint8Array(4 * 2048) });
    assert.equal(ok.csw.status, 0);
  });

  it('READ: 3/11/00 at the first block not read back', async () => {
    let store: FailingStore | undefined;
    const { recorder, bot } = await readyBot({
      media: 'bd-re',
      formatted: true,
      storeFactory: (): SectorStore => (store = new FailingStore()),
    });
    const events: RecorderEvent[] = [];
    recorder.subscribe((e) => events.push(e));
    store!.brokenAt = 100;
    const r = await bot.exec({ cdb: Cdb.read10(90, 20), dataIn: 20 * 2048, chunk: 2048 });
    expectSense(r, 3, 0x11, 0);
    assert.equal(r.sense?.information, 100);
    assert.ok(events.some((e) => e.type === 'store-error' && e.operation === 'read'));
    const again = await bot.exec({ cdb: Cdb.read10(0, 10), dataIn: 10 * 2048 });
    assert.equal(again.csw.status, 0);
  });
});
