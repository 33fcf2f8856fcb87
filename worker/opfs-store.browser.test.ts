/**
 * The OPFS sector store in real Chromium: the async path in the page, the
 * sync-access-handle path in a dedicated worker, the virtual recorder burning
 * onto it, and quota exhaustion as a typed E_OUTOFMEMORY error.
 */
import { expect } from '@open-wc/testing';
import { WebdiscError, toErrorValue } from '../usb-mass-storage/src/errors.ts';
import { HRESULT } from '../contract/hresult.ts';
import { Cdb, readyBot } from '../virtual-recorder/src/raw-bot.ts';
import {
  OpfsQuotaError,
  OpfsSectorStore,
  OpfsUnavailableError,
  createOpfsStoreFactory,
  removeAllOpfsStores,
  type DirectoryHandleLike,
  type FileHandleLike,
  type StorageLike,
} from './opfs-store.ts';

const DIRECTORY = 'webdisc-opfs-store-test';
const SECTOR = 2048;

function pattern(sectors: number, seed: number): Uint8Array {
  const b = new Uint8Array(sectors * SECTOR);
  for (let i = 0; i < b.length; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

const allZero = (b: Uint8Array) => b.every((x) => x === 0);

async function exists(...path: string[]): Promise<boolean> {
  let dir = await navigator.storage.getDirectory();
  try {
    for (const [i, name] of path.entries()) {
      if (i === path.length - 1) {
        try {
          await dir.getDirectoryHandle(name);
        } catch {
          await dir.getFileHandle(name);
        }
      } else {
        dir = await dir.getDirectoryHandle(name);
      }
    }
    return true;
  } catch {
    return false;
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('OPFS sector store', () => {
  beforeEach(() => removeAllOpfsStores({ directory: DIRECTORY }));
  after(() => removeAllOpfsStores({ directory: DIRECTORY }));

  it('page (async access): sectors read back, unwritten ones are zeros, sparse chunks', async () => {
    const store = await OpfsSectorStore.open({ directory: DIRECTORY, chunkSectors: 8 });
    expect(await store.usesSyncAccess()).to.equal(false);
    const a = pattern(3, 1);
    const b = pattern(4, 2); // sectors 5..8: across the chunk boundary at 8
    const far = pattern(1, 3);
    await store.write(0, a);
    await store.write(5, b);
    await store.write(100_000, far);
    const back = await store.read(0, 12);
    expect([...back.subarray(0, 3 * SECTOR)]).to.deep.equal([...a]);
    expect(allZero(back.subarray(3 * SECTOR, 5 * SECTOR))).to.equal(true);
    expect([...back.subarray(5 * SECTOR, 9 * SECTOR)]).to.deep.equal([...b]);
    expect(allZero(back.subarray(9 * SECTOR))).to.equal(true);
    expect([...(await store.read(100_000, 1))]).to.deep.equal([...far]);
    expect(allZero(await store.read(50_000, 2))).to.equal(true);
    // Chunk 0 (8 sectors), chunk 1 (1 sector) and chunk 12500 (1 sector): not 100,001 sectors.
    expect(store.bytesHeld).to.equal(10 * SECTOR);
    expect(await exists(DIRECTORY, store.name, 'c012500')).to.equal(true);
    expect(await exists(DIRECTORY, store.name, 'c006000')).to.equal(false);

    // Overwrite in place, and an unawaited write is seen by the read after it.
    void store.write(1, pattern(1, 9));
    expect([...(await store.read(1, 1))]).to.deep.equal([...pattern(1, 9)]);

    await store.clear();
    expect(store.bytesHeld).to.equal(0);
    expect(allZero(await store.read(0, 12))).to.equal(true);
    expect(allZero(await store.read(100_000, 1))).to.equal(true);
    await store.write(2, a);
    expect([...(await store.read(2, 3))]).to.deep.equal([...a]);

    await store.close();
    expect(await exists(DIRECTORY, store.name)).to.equal(false);
    const closed = await rejection(store.read(0, 1));
    expect(closed).to.be.instanceOf(WebdiscError);
  });

  it('keepOnClose keeps the files; whole sectors only', async () => {
    const store = new OpfsSectorStore({ directory: DIRECTORY, name: 'kept', keepOnClose: true });
    const error = await rejection(store.write(0, new Uint8Array(100)));
    expect(error).to.be.instanceOf(RangeError);
    await store.write(7, pattern(2, 5));
    await store.close();
    expect(await exists(DIRECTORY, 'kept')).to.equal(true);
    // Opened again (e.g. by a later session), the sectors are still there.
    const again = await OpfsSectorStore.open({ directory: DIRECTORY, name: 'kept' });
    expect([...(await again.read(7, 2))]).to.deep.equal([...pattern(2, 5)]);
    expect(allZero(await again.read(0, 7))).to.equal(true);
    await again.clear();
    expect(allZero(await again.read(7, 2))).to.equal(true);
    await again.close();
    expect(await exists(DIRECTORY, 'kept')).to.equal(false);
  });

  it('a dedicated worker uses sync access handles (LRU of open handles)', async function () {
    this.timeout(20_000);
    const url = new URL('./opfs-store.ts', import.meta.url).href;
    const source = `
      import { OpfsSectorStore } from ${JSON.stringify(url)};
      self.onmessage = async (event) => {
        const out = {};
        try {
          const store = await OpfsSectorStore.open({
            directory: event.data, chunkSectors: 8, maxOpenHandles: 2, access: 'sync',
          });
          out.sync = await store.usesSyncAccess();
          const data = new Uint8Array(20 * 2048);
          for (let i = 0; i < data.length; i++) data[i] = (i * 7 + 3) & 0xff;
          await store.write(3, data); // chunks 0, 1, 2 with two handles open at most
          const back = await store.read(0, 30);
          out.equal = back.subarray(3 * 2048, 23 * 2048).every((b, i) => b === data[i]);
          out.zeros = back.subarray(0, 3 * 2048).every((b) => b === 0)
            && back.subarray(23 * 2048).every((b) => b === 0);
          out.again = (await store.read(3, 1)).every((b, i) => b === data[i]);
          out.bytesHeld = store.bytesHeld;
          out.name = store.name;
          await store.clear();
          out.cleared = (await store.read(3, 20)).every((b) => b === 0);
          await store.close();
        } catch (error) {
          out.error = String(error && error.stack || error);
        }
        self.postMessage(out);
      };`;
    const worker = new Worker(
      URL.createObjectURL(new Blob([source], { type: 'text/javascript' })),
      { type: 'module' },
    );
    try {
      const result = await new Promise<Record<string, unknown>>((resolve, reject) => {
        worker.onmessage = (e: MessageEvent<Record<string, unknown>>) => resolve(e.data);
        worker.onerror = (e) => reject(new Error(e.message));
        worker.postMessage(DIRECTORY);
      });
      expect(result.error).to.equal(undefined);
      expect(result).to.deep.include({
        sync: true,
        equal: true,
        zeros: true,
        again: true,
        bytesHeld: (8 + 8 + 7) * SECTOR, // chunk 0 runs from its start to sector 7
        cleared: true,
      });
      expect(await exists(DIRECTORY, String(result.name))).to.equal(false);
    } finally {
      worker.terminate();
    }
  });

  it('the virtual recorder burns onto OPFS and drops the files with the disc', async () => {
    const { recorder, bot } = await readyBot({
      media: 'cd-r',
      storeFactory: createOpfsStoreFactory({ directory: DIRECTORY, chunkSectors: 64 }),
    });
    const data = pattern(100, 7);
    const w = await bot.exec({ cdb: Cdb.write10(0, 100), dataOut: data });
    expect(w.csw.status, JSON.stringify(w.sense)).to.equal(0);
    const r = await bot.exec({ cdb: Cdb.read10(40, 30), dataIn: 30 * SECTOR });
    expect(r.csw.status).to.equal(0);
    expect([...r.data]).to.deep.equal([...data.subarray(40 * SECTOR, 70 * SECTOR)]);
    expect([...(await recorder.readImage())]).to.deep.equal([...data]);
    const root = await (await navigator.storage.getDirectory()).getDirectoryHandle(DIRECTORY);
    const names = async () => {
      const out: string[] = [];
      const keys = (root as unknown as { keys(): AsyncIterable<string> }).keys();
      for await (const k of keys) out.push(k);
      return out;
    };
    expect((await names()).length).to.equal(1);
    recorder.changeMedia('dvd-rom'); // the CD-R leaves the drive for good: its store closes
    for (let i = 0; i < 50 && (await names()).length > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await names()).to.deep.equal([]);
  });

  it('access "sync" in the page is OpfsUnavailableError (E_NOTIMPL)', async () => {
    const error = await rejection(OpfsSectorStore.open({ directory: DIRECTORY, access: 'sync' }));
    expect(error).to.be.instanceOf(OpfsUnavailableError);
    expect((error as WebdiscError).hresultName).to.equal('E_NOTIMPL');
    // The factory's store reports the same failure on its first operation.
    const store = new OpfsSectorStore({ directory: DIRECTORY, access: 'sync' });
    expect(await rejection(store.read(0, 1))).to.be.instanceOf(OpfsUnavailableError);
  });
});

describe('OPFS sector store: quota exhaustion', () => {
  /** OPFS stand-in whose writes fail with QuotaExceededError, in async or sync form. */
  function fullStorage(sync: boolean): StorageLike {
    const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    const file: FileHandleLike = {
      getFile: () => Promise.resolve(new File([], 'c')),
      createWritable: () =>
        Promise.resolve({
          write: () => Promise.reject(quota()),
          close: () => Promise.resolve(),
          abort: () => Promise.resolve(),
        }),
      ...(sync
        ? {
            createSyncAccessHandle: () =>
              Promise.resolve({
                read: () => 0,
                write: () => {
                  throw quota();
                },
                getSize: () => 0,
                flush: () => undefined,
                close: () => undefined,
              }),
          }
        : {}),
    };
    const dir: DirectoryHandleLike = {
      getDirectoryHandle: () => Promise.resolve(dir),
      getFileHandle: () => Promise.resolve(file),
      removeEntry: () => Promise.resolve(),
    };
    return { getDirectory: () => Promise.resolve(dir) };
  }

  for (const sync of [false, true]) {
    it(`${sync ? 'sync' : 'async'} access: QuotaExceededError -> OpfsQuotaError, E_OUTOFMEMORY`, async () => {
      const store = await OpfsSectorStore.open({ storage: fullStorage(sync) });
      expect(await store.usesSyncAccess()).to.equal(sync);
      const error = await rejection(store.write(0, new Uint8Array(SECTOR)));
      expect(error).to.be.instanceOf(OpfsQuotaError);
      const typed = error as WebdiscError;
      expect(typed.hresultName).to.equal('E_OUTOFMEMORY');
      expect(typed.hresult).to.equal(HRESULT.E_OUTOFMEMORY);
      expect((typed.cause as DOMException).name).to.equal('QuotaExceededError');
      expect(toErrorValue(error).name).to.equal('E_OUTOFMEMORY');
      // The store stays usable: reads still work.
      expect(allZero(await store.read(0, 1))).to.equal(true);
    });
  }

  it('the virtual recorder on a full OPFS: WRITE fails 3/0C/00, the event says E_OUTOFMEMORY', async () => {
    const { recorder, bot } = await readyBot({
      media: 'cd-r',
      storeFactory: createOpfsStoreFactory({ storage: fullStorage(false) }),
    });
    const events: { type: string; name?: string; hresultName?: string }[] = [];
    recorder.subscribe((e) => events.push(e));
    const r = await bot.exec({ cdb: Cdb.write10(0, 4), dataOut: new Uint8Array(4 * SECTOR) });
    expect(r.csw.status).to.equal(1);
    expect([r.sense?.key, r.sense?.asc, r.sense?.ascq, r.sense?.information]).to.deep.equal([
      3, 0x0c, 0, 0,
    ]);
    const failure = events.find((e) => e.type === 'store-error');
    expect(failure?.name).to.equal('OpfsQuotaError');
    expect(failure?.hresultName).to.equal('E_OUTOFMEMORY');
    expect(recorder.state.disc?.nextWritableAddress).to.equal(0);
  });

  it('OPFS refused (SecurityError): a typed E_FAIL error with the cause', async () => {
    const store = new OpfsSectorStore({
      storage: { getDirectory: () => Promise.reject(new DOMException('no', 'SecurityError')) },
    });
    const error = await rejection(store.ready);
    expect(error).to.be.instanceOf(WebdiscError);
    expect((error as WebdiscError).hresultName).to.equal('E_FAIL');
    expect(((error as WebdiscError).cause as DOMException).name).to.equal('SecurityError');
  });
});
