/** The MMC target, raw: MODE SENSE/SELECT, buffer, speed and mechanism status (split from mmc.test.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MEDIA } from './index.ts';
import { Cdb, readyBot, type RawBot } from './raw-bot.ts';

const T = { timeout: 10_000 };
const be16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const be32 = (b: Uint8Array, at: number) =>
  ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;

type Exec = Awaited<ReturnType<RawBot['exec']>>;

function expectGood(r: Exec): void {
  assert.equal(r.csw.status, 0, `expected GOOD, got sense ${JSON.stringify(r.sense)}`);
}

function expectSense(r: Exec, key: number, asc: number, ascq: number): void {
  assert.equal(r.csw.status, 1, 'expected CHECK CONDITION');
  assert.deepEqual([r.sense?.key, r.sense?.asc, r.sense?.ascq], [key, asc, ascq]);
}

describe('MODE SENSE(10) / MODE SELECT(10)', T, () => {
  async function page05(bot: RawBot, pc = 0): Promise<Uint8Array> {
    const r = await bot.exec({ cdb: Cdb.modeSense10(0x05, pc), dataIn: 1024 });
    expectGood(r);
    assert.equal(be16(r.data, 0), r.data.length - 2);
    assert.equal(be16(r.data, 6), 0); // no block descriptors
    return r.data.slice(8);
  }

  it('page 05h current, changeable and default values', async () => {
    const { bot } = await readyBot({ media: 'cd-r' });
    const cur = await page05(bot);
    assert.deepEqual([cur[0], cur[1], cur[2], cur[3], cur[4]], [0x05, 0x32, 0x41, 0x04, 0x08]);
    assert.equal(be16(cur, 14), 150);
    const mask = await page05(bot, 1);
    assert.equal(mask[2], 0x7f); // BUFE, LS_V, TEST WRITE, write type
    const plus = await readyBot({ media: 'dvd+r' });
    assert.equal((await page05(plus.bot, 1))[2], 0x6f); // DVD+R has no test write
    const def = await page05(bot, 2);
    assert.deepEqual(def, cur);
    expectSense(await bot.exec({ cdb: Cdb.modeSense10(0x05, 3), dataIn: 1024 }), 5, 0x39, 0);
  });

  it('page 2Ah reports capabilities, lock state and speeds; 3Fh returns both pages', async () => {
    const { bot } = await readyBot({ media: 'dvd+r' });
    const r = await bot.exec({ cdb: Cdb.modeSense10(0x2a), dataIn: 1024 });
    const p = r.data.subarray(8);
    assert.equal(p[0], 0x2a);
    assert.equal(p[1], p.length - 2);
    assert.equal(p[6]! >> 5, 1);
    assert.equal(p[6]! & 0x02, 0);
    assert.equal(be16(p, 12), 4096);
    const n = be16(p, 30);
    assert.equal(n, MEDIA['dvd+r'].writeSpeeds.length);
    assert.equal(be16(p, 34), MEDIA['dvd+r'].writeSpeeds[0]);
    assert.equal(be16(p, 28), MEDIA['dvd+r'].writeSpeeds[0]);
    expectGood(await bot.exec({ cdb: Cdb.preventAllow(true) }));
    const locked = await bot.exec({ cdb: Cdb.modeSense10(0x2a), dataIn: 1024 });
    assert.equal(locked.data[8 + 6]! & 0x02, 0x02);
    const all = await bot.exec({ cdb: Cdb.modeSense10(0x3f), dataIn: 1024 });
    assert.deepEqual([all.data[8], all.data[8 + 52]], [0x05, 0x2a]);
  });

  it('unknown pages and subpages are 5/24/00', async () => {
    const { bot } = await readyBot();
    expectSense(await bot.exec({ cdb: Cdb.modeSense10(0x01), dataIn: 255 }), 5, 0x24, 0);
    expectSense(await bot.exec({ cdb: Cdb.modeSense10(0x05, 0, 255, 1), dataIn: 255 }), 5, 0x24, 0);
  });

  it('MODE SELECT changes page 05h and MODE SENSE reads it back', async () => {
    const { bot } = await readyBot({ media: 'cd-r' });
    const page = await page05(bot);
    page[0] = 0x85; // PS set, as read back: must be ignored
    page[3] = 0xc5; // multisession 11b, track mode 5
    page[2] = 0x40; // BUFE, packet
    const list = new Uint8Array(8 + page.length);
    list.set(page, 8);
    expectGood(await bot.exec({ cdb: Cdb.modeSelect10(list.length), dataOut: list }));
    const again = await page05(bot);
    assert.deepEqual([again[2], again[3]], [0x40, 0xc5]);
    expectGood(await bot.exec({ cdb: Cdb.modeSelect10(0) }));
  });

  it('MODE SELECT refusals: PF=0, SP=1 (5/24/00); bad fields (5/26/00); cut lists (5/1A/00)', async () => {
    const { bot } = await readyBot({ media: 'cd-r' });
    const page = await page05(bot);
    const list = (mutate: (p: Uint8Array, l: Uint8Array) => void) => {
      const p = page.slice();
      const l = new Uint8Array(8 + p.length);
      mutate(p, l);
      l.set(p, 8);
      return l;
    };
    const good = list(() => {});
    expectSense(
      await bot.exec({ cdb: Cdb.modeSelect10(good.length, false), dataOut: good }),
      5,
      0x24,
      0,
    );
    expectSense(
      await bot.exec({ cdb: Cdb.modeSelect10(good.length, true, true), dataOut: good }),
      5,
      0x24,
      0,
    );
    for (const bad of [
      list((p) => (p[2] = 0x43)), // raw write type
      list((p) => (p[4] = 0x0a)), // Mode 2 data block type
      list((p) => (p[3] = 0x00)), // audio track mode
      list((p) => (p[6] = 0x01)), // a reserved byte
      list((_, l) => (l[7] = 8)), // block descriptor length
      list((p) => (p[3] = 0x24)), // FP with packet size 0
    ]) {
      expectSense(await bot.exec({ cdb: Cdb.modeSelect10(bad.length), dataOut: bad }), 5, 0x26, 0);
    }
    const unknown = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x0a, ...new Uint8Array(10)]);
    expectSense(
      await bot.exec({ cdb: Cdb.modeSelect10(unknown.length), dataOut: unknown }),
      5,
      0x26,
      0,
    );
    const cut = good.slice(0, 30);
    expectSense(await bot.exec({ cdb: Cdb.modeSelect10(cut.length), dataOut: cut }), 5, 0x1a, 0);
    const header = new Uint8Array(6);
    expectSense(
      await bot.exec({ cdb: Cdb.modeSelect10(header.length), dataOut: header }),
      5,
      0x1a,
      0,
    );
  });

  it('MODE SELECT of page 2Ah: an unchanged echo passes, a change is 5/26/00', async () => {
    const { bot } = await readyBot({ media: 'cd-r' });
    const r = await bot.exec({ cdb: Cdb.modeSense10(0x2a), dataIn: 1024 });
    const echo = r.data.slice();
    echo[0] = 0;
    echo[1] = 0;
    expectGood(await bot.exec({ cdb: Cdb.modeSelect10(echo.length), dataOut: echo }));
    echo[8 + 4] = 0;
    expectSense(await bot.exec({ cdb: Cdb.modeSelect10(echo.length), dataOut: echo }), 5, 0x26, 0);
  });
});

describe('buffer, speed and mechanism status', T, () => {
  it('READ BUFFER CAPACITY in bytes and in blocks', async () => {
    const { bot } = await readyBot({ media: 'cd-r', bufferBytes: 2 * 1024 * 1024 });
    const r = await bot.exec({ cdb: Cdb.readBufferCapacity(), dataIn: 12 });
    assert.deepEqual([be16(r.data, 0), be32(r.data, 4), be32(r.data, 8)], [10, 2097152, 2097152]);
    const b = await bot.exec({ cdb: Cdb.readBufferCapacity(true), dataIn: 12 });
    assert.deepEqual([b.data[3]! & 1, be32(b.data, 8)], [1, 1024]);
  });

  it('SET CD SPEED picks the fastest supported speed at or below the request', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-r' });
    const speeds = MEDIA['cd-r'].writeSpeeds;
    expectGood(await bot.exec({ cdb: Cdb.setCdSpeed(0xffff, speeds[2]! + 10) }));
    assert.equal(recorder.state.writeSpeed, speeds[2]);
    const p = await bot.exec({ cdb: Cdb.modeSense10(0x2a), dataIn: 1024 });
    assert.equal(be16(p.data, 8 + 28), speeds[2]);
    expectGood(await bot.exec({ cdb: Cdb.setCdSpeed(0xffff, 1) }));
    assert.equal(recorder.state.writeSpeed, speeds[speeds.length - 1]);
    expectGood(await bot.exec({ cdb: Cdb.setCdSpeed(0xffff, 0xffff) }));
    assert.equal(recorder.state.writeSpeed, speeds[0]);
  });

  it('MECHANISM STATUS reports the door', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    const closed = await bot.exec({ cdb: Cdb.mechanismStatus(), dataIn: 8 });
    assert.equal(closed.data[1]! & 0x10, 0);
    recorder.pressEjectButton();
    const open = await bot.exec({ cdb: Cdb.mechanismStatus(), dataIn: 8 });
    assert.equal(open.data[1]! & 0x10, 0x10);
  });

  it('READ FORMAT CAPACITIES lists the format types of DVD+RW and BD-RE', async () => {
    const dvd = await readyBot({ media: 'dvd+rw' });
    const d = await dvd.bot.exec({ cdb: Cdb.readFormatCapacities(), dataIn: 252 });
    assert.deepEqual(
      [d.data[3], be32(d.data, 4), d.data[8]! & 3],
      [16, MEDIA['dvd+rw'].capacity, 1],
    );
    assert.deepEqual([be32(d.data, 12), d.data[16]! >> 2], [MEDIA['dvd+rw'].capacity, 0x26]);
    const bd = await readyBot({ media: 'bd-re' });
    const b = await bd.bot.exec({ cdb: Cdb.readFormatCapacities(), dataIn: 252 });
    // The descriptors a real BD-RE drive listed (media.ts): 00h, three 30h, 31h.
    assert.equal(b.data[3], 48);
    assert.deepEqual([be32(b.data, 4), b.data[8]! & 3], [12_219_392, 1]);
    const listed = Array.from({ length: 5 }, (_, i) => [
      b.data[16 + 8 * i]! >> 2,
      be32(b.data, 12 + 8 * i),
      (b.data[17 + 8 * i]! << 16) | (b.data[18 + 8 * i]! << 8) | b.data[19 + 8 * i]!,
    ]);
    assert.deepEqual(listed, [
      [0x00, 11_826_176, 0x3000],
      [0x30, 11_826_176, 0x3000],
      [0x30, 11_564_032, 0x5000],
      [0x30, 12_088_320, 0x1000],
      [0x31, 12_219_392, 0x0800],
    ]);
    const none = await readyBot();
    const n = await none.bot.exec({ cdb: Cdb.readFormatCapacities(), dataIn: 252 });
    assert.equal(n.data[8]! & 3, 3);
  });
});
