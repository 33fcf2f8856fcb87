/**
 * Page 05h TEST WRITE (MMC-6 §7.5.4): the drive simulates writing on CD-R/RW
 * and DVD-R/RW. Every check, the buffer and the faults behave as in a real
 * write; nothing is recorded (disc, NWA, track information, store).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ManualClock,
  MEDIA_NAMES,
  MemorySectorStore,
  TIMING,
  type MediaName,
  type SectorStore,
} from './index.ts';
import { Cdb, readyBot, type RawBot } from './raw-bot.ts';

const T = { timeout: 10_000 };
type Exec = Awaited<ReturnType<RawBot['exec']>>;
const be16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const be32 = (b: Uint8Array, at: number) =>
  ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;

function expectGood(r: Exec): void {
  assert.equal(r.csw.status, 0, `expected GOOD, got sense ${JSON.stringify(r.sense)}`);
}
function expectSense(r: Exec, key: number, asc: number, ascq: number): void {
  assert.equal(r.csw.status, 1, 'expected CHECK CONDITION');
  assert.deepEqual([r.sense?.key, r.sense?.asc, r.sense?.ascq], [key, asc, ascq]);
}

const SIMULATING: readonly MediaName[] = ['cd-r', 'cd-rw', 'dvd-r', 'dvd-rw'];

async function page05(bot: RawBot, pc = 0): Promise<Uint8Array> {
  const r = await bot.exec({ cdb: Cdb.modeSense10(0x05, pc), dataIn: 1024 });
  expectGood(r);
  return r.data.slice(8, 8 + 52);
}

/** MODE SELECT of page 05h as read, changed by `edit`. */
async function selectPage05(bot: RawBot, edit: (p: Uint8Array) => void): Promise<Exec> {
  const page = await page05(bot);
  page[0] = page[0]! & 0x3f;
  edit(page);
  const list = new Uint8Array(8 + page.length);
  list.set(page, 8);
  return bot.exec({ cdb: Cdb.modeSelect10(list.length), dataOut: list });
}

const testWrite = (on: boolean) => (p: Uint8Array) => {
  p[2] = (p[2]! & ~0x10) | (on ? 0x10 : 0);
};

async function trackInfo(bot: RawBot, track: number): Promise<Uint8Array> {
  const r = await bot.exec({ cdb: Cdb.readTrackInformation(1, track), dataIn: 48 });
  expectGood(r);
  return r.data;
}

/** A store that counts the writes reaching it. */
class CountingStore extends MemorySectorStore {
  writes = 0;
  override write(lba: number, data: Uint8Array): Promise<void> {
    this.writes++;
    return super.write(lba, data);
  }
}

describe('TEST WRITE: advertised where the medium has it', T, () => {
  for (const name of MEDIA_NAMES) {
    const can = SIMULATING.includes(name) || name === 'none';
    it(`${name}: TEST WRITE is ${can ? '' : 'not '}changeable`, async () => {
      const { bot } = await readyBot({ media: name });
      const mask = await page05(bot, 1);
      assert.equal((mask[2]! & 0x10) !== 0, can);
      const r = await selectPage05(bot, testWrite(true));
      if (can) {
        expectGood(r);
        assert.equal((await page05(bot))[2]! & 0x10, 0x10);
        expectGood(await selectPage05(bot, testWrite(false)));
        assert.equal((await page05(bot))[2]! & 0x10, 0);
      } else {
        expectSense(r, 5, 0x26, 0);
        assert.equal((await page05(bot))[2]! & 0x10, 0);
      }
    });
  }

  it('features 002Dh, 002Eh, 002Fh and page 2Ah carry the test write bit', async () => {
    const { bot } = await readyBot({ media: 'cd-r' });
    for (const code of [0x2d, 0x2e, 0x2f]) {
      const r = await bot.exec({ cdb: Cdb.getConfiguration(2, code), dataIn: 64 });
      expectGood(r);
      assert.equal(be16(r.data, 8), code);
      assert.equal(r.data[12]! & 0x04, 0x04, `feature ${code.toString(16)} TEST WRITE`);
    }
    const caps = await bot.exec({ cdb: Cdb.modeSense10(0x2a), dataIn: 1024 });
    assert.equal(caps.data[8 + 3]! & 0x04, 0x04);
  });
});

describe('TEST WRITE: WRITE(10) runs the whole protocol and records nothing', T, () => {
  for (const name of SIMULATING) {
    it(`${name}: sequential simulated writes, close track and session; the disc stays blank`, async () => {
      let store: CountingStore | undefined;
      const { recorder, bot } = await readyBot({
        media: name,
        storeFactory: () => (store = new CountingStore()),
      });
      expectGood(await selectPage05(bot, testWrite(true)));
      const before = recorder.state.disc;
      const infoBefore = await trackInfo(bot, 1);
      for (let lba = 0; lba < 48; lba += 16) {
        const data = new Uint8Array(16 * 2048).fill(lba + 1);
        expectGood(await bot.exec({ cdb: Cdb.write10(lba, 16), dataOut: data }));
      }
      // The simulated NWA moved on: a write anywhere else is refused as it would be for real.
      expectSense(
        await bot.exec({ cdb: Cdb.write10(0, 1), dataOut: new Uint8Array(2048) }),
        5,
        0x21,
        0x02,
      );
      expectGood(await bot.exec({ cdb: Cdb.synchronizeCache() }));
      expectGood(await bot.exec({ cdb: Cdb.closeTrackSession(1, 1) }));
      expectGood(await bot.exec({ cdb: Cdb.closeTrackSession(2) }));
      assert.deepEqual(recorder.state.disc, before);
      assert.deepEqual(await trackInfo(bot, 1), infoBefore);
      assert.equal(be32(infoBefore, 12), 0); // NWA still 0
      assert.equal(store?.writes, 0);
      assert.equal(recorder.counters.sectorsSimulated, 48);
      assert.equal(recorder.counters.sectorsWritten, 0);
      const di = await bot.exec({ cdb: Cdb.readDiscInformation(), dataIn: 34 });
      assert.equal(di.data[2]! & 3, 0); // blank
      expectSense(await bot.exec({ cdb: Cdb.read10(0, 1), dataIn: 2048 }), 5, 0x21, 0);
      expectSense(await bot.exec({ cdb: Cdb.readToc(0), dataIn: 2048 }), 5, 0x24, 0);

      // A second simulation starts from the real disc again; then a real burn records.
      expectGood(await bot.exec({ cdb: Cdb.write10(0, 4), dataOut: new Uint8Array(4 * 2048) }));
      expectGood(await selectPage05(bot, testWrite(false)));
      expectGood(
        await bot.exec({ cdb: Cdb.write10(0, 4), dataOut: new Uint8Array(4 * 2048).fill(7) }),
      );
      assert.equal(store?.writes, 1);
      assert.equal(recorder.state.disc?.nextWritableAddress, 4);
      const rd = await bot.exec({ cdb: Cdb.read10(3, 1), dataIn: 2048 });
      assert.equal(rd.data[0], 7);
    });
  }

  it('address checks apply: off the NWA 5/21/02, past a reserved track 5/21/00', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rw' });
    expectGood(await selectPage05(bot, testWrite(true)));
    expectSense(
      await bot.exec({ cdb: Cdb.write10(7, 1), dataOut: new Uint8Array(2048) }),
      5,
      0x21,
      0x02,
    );
    // RESERVE TRACK is simulated as well: the real disc keeps its invisible track.
    expectGood(await bot.exec({ cdb: Cdb.reserveTrack(10) }));
    expectSense(
      await bot.exec({ cdb: Cdb.write10(0, 11), dataOut: new Uint8Array(11 * 2048) }),
      5,
      0x21,
      0x00,
    );
    expectGood(await bot.exec({ cdb: Cdb.write10(0, 10), dataOut: new Uint8Array(10 * 2048) }));
    assert.equal(recorder.state.disc?.tracks.length, 1);
    assert.equal(recorder.state.disc?.tracks[0]?.reserved, false);
    const ti = await trackInfo(bot, 1);
    assert.equal(ti[6]! & 0x80, 0); // no RT bit on the real track
  });

  it('DVD-R DAO simulated into a simulated reservation', async () => {
    const { recorder, bot } = await readyBot({ media: 'dvd-r' });
    expectGood(
      await selectPage05(bot, (p) => {
        testWrite(true)(p);
        p[2] = (p[2]! & 0xf0) | 2;
      }),
    );
    expectGood(await bot.exec({ cdb: Cdb.reserveTrack(32) }));
    expectGood(await bot.exec({ cdb: Cdb.write10(0, 32), dataOut: new Uint8Array(32 * 2048) }));
    assert.equal(recorder.state.disc?.status, 0);
    assert.equal(recorder.state.disc?.tracks[0]?.recorded, 0);
    assert.equal(recorder.counters.sectorsSimulated, 32);
  });

  it('faults fire in a simulation: write error, loss of streaming, power calibration', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-r' });
    expectGood(await selectPage05(bot, testWrite(true)));
    recorder.faults.powerCalibrationFailure();
    expectSense(
      await bot.exec({ cdb: Cdb.write10(0, 4), dataOut: new Uint8Array(4 * 2048) }),
      3,
      0x73,
      0x03,
    );
    recorder.faults.lossOfStreaming();
    expectSense(
      await bot.exec({ cdb: Cdb.write10(0, 4), dataOut: new Uint8Array(4 * 2048) }),
      3,
      0x0c,
      0x09,
    );
    recorder.faults.writeErrorAt(2);
    const r = await bot.exec({ cdb: Cdb.write10(0, 4), dataOut: new Uint8Array(4 * 2048) });
    expectSense(r, 3, 0x0c, 0);
    assert.equal(r.sense?.information, 2);
    // The two blocks before the error were "recorded" in the simulation: its NWA is 2.
    expectGood(await bot.exec({ cdb: Cdb.write10(2, 2), dataOut: new Uint8Array(2 * 2048) }));
    assert.equal(recorder.state.disc?.nextWritableAddress, 0);
    assert.equal(recorder.counters.sectorsWritten, 0);
  });

  it('the buffer fills and reports 2/04/08 as for a real write', async () => {
    const clock = new ManualClock();
    const { recorder, bot } = await readyBot({
      media: 'cd-r',
      clock,
      bufferBytes: 64 * 1024,
    });
    clock.advance(TIMING.spinUpMs);
    for (let i = 0; i < 3; i++) {
      if ((await bot.exec({ cdb: Cdb.testUnitReady() })).csw.status === 0) break;
    }
    expectGood(await selectPage05(bot, testWrite(true)));
    expectGood(await bot.exec({ cdb: Cdb.write10(0, 32), dataOut: new Uint8Array(64 * 1024) }));
    assert.equal(recorder.state.bufferFill, 64 * 1024);
    expectSense(
      await bot.exec({ cdb: Cdb.write10(32, 1), dataOut: new Uint8Array(2048) }),
      2,
      0x04,
      0x08,
    );
    clock.advance(60_000);
    expectGood(await bot.exec({ cdb: Cdb.write10(32, 1), dataOut: new Uint8Array(2048) }));
    assert.equal(recorder.state.disc?.nextWritableAddress, 0);
  });

  it('a medium without test write refuses a WRITE left in TEST WRITE mode with 5/64/00', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-r' });
    expectGood(await selectPage05(bot, testWrite(true)));
    recorder.changeMedia('dvd+r');
    expectSense(await bot.exec({ cdb: Cdb.testUnitReady() }), 6, 0x28, 0);
    expectSense(
      await bot.exec({ cdb: Cdb.write10(0, 1), dataOut: new Uint8Array(2048) }),
      5,
      0x64,
      0,
    );
    // The medium's own refusals come first.
    expectSense(
      await bot.exec({ cdb: Cdb.write10(9, 1), dataOut: new Uint8Array(2048) }),
      5,
      0x21,
      0x02,
    );
    assert.equal(recorder.state.disc?.status, 0);
    // The bit can still be cleared; then the WRITE records, and it cannot be set again here.
    assert.equal((await page05(bot, 1))[2]! & 0x10, 0x10);
    expectGood(await selectPage05(bot, testWrite(false)));
    expectGood(await bot.exec({ cdb: Cdb.write10(0, 1), dataOut: new Uint8Array(2048) }));
    assert.equal(recorder.state.disc?.nextWritableAddress, 1);
    expectSense(await selectPage05(bot, testWrite(true)), 5, 0x26, 0);
  });

  it('a CLOSE SESSION in a simulation does not finalize: real writing goes on after', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-r' });
    expectGood(await bot.exec({ cdb: Cdb.write10(0, 8), dataOut: new Uint8Array(8 * 2048) }));
    expectGood(await selectPage05(bot, testWrite(true)));
    expectGood(await bot.exec({ cdb: Cdb.write10(8, 8), dataOut: new Uint8Array(8 * 2048) }));
    expectGood(await bot.exec({ cdb: Cdb.closeTrackSession(2) }));
    const snapshot = recorder.state.disc;
    assert.equal(snapshot?.status, 1);
    assert.equal(snapshot?.nextWritableAddress, 8);
    expectGood(await selectPage05(bot, testWrite(false)));
    expectGood(await bot.exec({ cdb: Cdb.write10(8, 8), dataOut: new Uint8Array(8 * 2048) }));
    assert.equal(recorder.state.disc?.nextWritableAddress, 16);
  });
});

describe('TEST WRITE: the store passed in sees no write', T, () => {
  it('works with any SectorStore', async () => {
    const writes: number[] = [];
    const factory = (): SectorStore => {
      const s = new MemorySectorStore();
      return {
        read: (lba, count) => s.read(lba, count),
        write: (lba, data) => {
          writes.push(lba);
          return s.write(lba, data);
        },
        clear: () => s.clear(),
        get bytesHeld() {
          return s.bytesHeld;
        },
      };
    };
    const { bot } = await readyBot({ media: 'dvd-rw', storeFactory: factory });
    expectGood(await selectPage05(bot, testWrite(true)));
    expectGood(await bot.exec({ cdb: Cdb.write10(0, 16), dataOut: new Uint8Array(16 * 2048) }));
    assert.deepEqual(writes, []);
  });
});
