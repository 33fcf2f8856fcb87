import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ManualClock,
  MEDIA,
  TIMING,
  createVirtualRecorder,
  type VirtualRecorderOptions,
} from './index.ts';
import { Cdb, RawBot, readyBot, stillPending, within, type RawBot as Bot } from './raw-bot.ts';

const T = { timeout: 10_000 };
type Exec = Awaited<ReturnType<Bot['exec']>>;
const be32 = (b: Uint8Array, at: number) =>
  ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
function expectGood(r: Exec): void {
  assert.equal(r.csw.status, 0, `expected GOOD, got ${JSON.stringify(r.sense)}`);
}
function expectSense(r: Exec, key: number, asc: number, ascq: number): void {
  assert.equal(r.csw.status, 1, 'expected CHECK CONDITION');
  assert.deepEqual([r.sense?.key, r.sense?.asc, r.sense?.ascq], [key, asc, ascq]);
}

/** A recorder on a manual clock, spun up and with its attentions consumed. */
async function manual(options: VirtualRecorderOptions) {
  const clock = new ManualClock();
  const { recorder, bot } = await readyBot({ ...options, clock });
  clock.advance(TIMING.spinUpMs);
  for (let i = 0; i < 3; i++) {
    if ((await bot.exec({ cdb: Cdb.testUnitReady() })).csw.status === 0) break;
  }
  return { clock, recorder, bot };
}

async function freeBuffer(bot: Bot): Promise<number> {
  const r = await bot.exec({ cdb: Cdb.readBufferCapacity(), dataIn: 12 });
  return be32(r.data, 8);
}

describe('spin-up', T, () => {
  it('a loaded disc is NOT READY 2/04/01 until it spins up, then 6/28/00, then ready', async () => {
    const clock = new ManualClock();
    const { recorder, bot } = await readyBot({ clock });
    recorder.changeMedia('cd-rom');
    expectSense(await bot.exec({ cdb: Cdb.testUnitReady() }), 2, 0x04, 0x01);
    assert.equal(recorder.state.ready, false);
    clock.advance(TIMING.spinUpMs - 1);
    expectSense(await bot.exec({ cdb: Cdb.testUnitReady() }), 2, 0x04, 0x01);
    clock.advance(1);
    expectSense(await bot.exec({ cdb: Cdb.testUnitReady() }), 6, 0x28, 0);
    expectGood(await bot.exec({ cdb: Cdb.testUnitReady() }));
    assert.equal(recorder.state.ready, true);
  });

  it('the realtime clock spins up in wall time; the off clock at once', async () => {
    const real = await readyBot({ clock: 'realtime' });
    real.recorder.changeMedia('cd-rom');
    expectSense(await real.bot.exec({ cdb: Cdb.testUnitReady() }), 2, 0x04, 0x01);
    const off = await readyBot();
    off.recorder.changeMedia('cd-rom');
    expectSense(await off.bot.exec({ cdb: Cdb.testUnitReady() }), 6, 0x28, 0);
  });
});

describe('write buffer and speed', T, () => {
  const speed = MEDIA['dvd+r'].writeSpeeds[3]!; // 4x: 5540 kB/s = 5540 bytes per ms

  it('fills as WRITEs arrive, drains at the write speed, and is full: 2/04/08', async () => {
    const { clock, recorder, bot } = await manual({ media: 'dvd+r', bufferBytes: 1024 * 1024 });
    expectGood(await bot.exec({ cdb: Cdb.setCdSpeed(0xffff, speed) }));
    assert.equal(recorder.state.writeSpeed, speed);
    assert.equal(await freeBuffer(bot), 1024 * 1024);
    expectGood(await bot.exec({ cdb: Cdb.write10(0, 256), dataOut: new Uint8Array(512 * 1024) }));
    assert.equal(await freeBuffer(bot), 512 * 1024);
    expectGood(await bot.exec({ cdb: Cdb.write10(256, 256), dataOut: new Uint8Array(512 * 1024) }));
    assert.equal(await freeBuffer(bot), 0);
    expectSense(
      await bot.exec({ cdb: Cdb.write10(512, 16), dataOut: new Uint8Array(32 * 1024) }),
      2,
      0x04,
      0x08,
    );
    clock.advance(10); // 55,400 bytes drained
    assert.equal(await freeBuffer(bot), speed * 10);
    expectGood(await bot.exec({ cdb: Cdb.write10(512, 16), dataOut: new Uint8Array(32 * 1024) }));
    assert.equal(recorder.state.bufferFill, 1024 * 1024 - speed * 10 + 32 * 1024);
    clock.advance(1000);
    assert.equal(await freeBuffer(bot), 1024 * 1024);
  });

  it('a data phase larger than the buffer is paced: transfers wait until the buffer drains', async () => {
    const { clock, bot } = await manual({ media: 'dvd+r', bufferBytes: 64 * 1024 });
    expectGood(await bot.exec({ cdb: Cdb.setCdSpeed(0xffff, speed) }));
    const tag = bot.nextTag();
    await bot.sendCbw(
      { cdb: Cdb.write10(0, 64), dataOut: new Uint8Array(0), hostLength: 128 * 1024 },
      tag,
    );
    const first = await within(bot.device.transferOut(2, new Uint8Array(64 * 1024)), 1000);
    assert.equal(first.bytesWritten, 64 * 1024);
    const second = bot.device.transferOut(2, new Uint8Array(64 * 1024));
    assert.equal(await stillPending(second), true);
    assert.equal(clock.sleepers, 1);
    clock.advance(Math.ceil((64 * 1024) / speed));
    assert.equal((await within(second, 1000)).bytesWritten, 64 * 1024);
    const { csw } = await bot.readCsw(0);
    assert.deepEqual([csw.tag, csw.status], [tag, 0]);
  });

  it('SYNCHRONIZE CACHE waits for the buffer; with IMMED the drive reports 2/04/07 meanwhile', async () => {
    const { clock, bot } = await manual({ media: 'dvd+r', bufferBytes: 1024 * 1024 });
    expectGood(await bot.exec({ cdb: Cdb.setCdSpeed(0xffff, speed) }));
    expectGood(await bot.exec({ cdb: Cdb.write10(0, 512), dataOut: new Uint8Array(1024 * 1024) }));
    const drain = Math.ceil((1024 * 1024) / speed);
    const sync = bot.run({ cdb: Cdb.synchronizeCache() });
    assert.equal(await stillPending(sync), true);
    clock.advance(drain);
    assert.equal((await within(sync, 1000)).csw.status, 0);
    expectGood(
      await bot.exec({ cdb: Cdb.write10(512, 512), dataOut: new Uint8Array(1024 * 1024) }),
    );
    expectGood(await bot.exec({ cdb: Cdb.synchronizeCache(true) }));
    const busy = await bot.exec({ cdb: Cdb.testUnitReady() });
    expectSense(busy, 2, 0x04, 0x07);
    assert.ok(busy.sense?.progress !== undefined);
    clock.advance(drain);
    expectGood(await bot.exec({ cdb: Cdb.testUnitReady() }));
  });

  it('with the clock off the buffer never fills', async () => {
    const { recorder, bot } = await readyBot({
      media: 'bd-re',
      formatted: true,
      bufferBytes: 64 * 1024,
    });
    for (let i = 0; i < 4; i++) {
      expectGood(
        await bot.exec({ cdb: Cdb.write10(i * 128, 128), dataOut: new Uint8Array(256 * 1024) }),
      );
    }
    assert.equal(recorder.state.bufferFill, 0);
  });
});

describe('long operations report progress through NOT READY sense', T, () => {
  it('BLANK with IMMED: 2/04/07 with a rising progress indicator; what may run meanwhile', async () => {
    const { clock, recorder, bot } = await manual({ media: 'cd-rw' });
    expectGood(await bot.exec({ cdb: Cdb.write10(0, 16), dataOut: new Uint8Array(16 * 2048) }));
    expectGood(await bot.exec({ cdb: Cdb.blank(1, true) }));
    const a = await bot.exec({ cdb: Cdb.testUnitReady() });
    expectSense(a, 2, 0x04, 0x07);
    assert.equal(a.sense?.progress, 0);
    clock.advance(TIMING.minimalBlankMs / 2);
    const b = await bot.exec({ cdb: Cdb.testUnitReady() });
    assert.equal(b.sense?.progress, 32768);
    const polled = await bot.requestSense(); // REQUEST SENSE alone reports the progress too
    assert.deepEqual([polled.key, polled.asc, polled.ascq, polled.progress], [2, 4, 7, 32768]);
    assert.equal(recorder.state.operationProgress, 0.5);
    for (const cdb of [
      Cdb.inquiry(36),
      Cdb.getConfiguration(1, 0, 64),
      Cdb.gesn(),
      Cdb.modeSense10(0x2a),
      Cdb.readBufferCapacity(),
      Cdb.mechanismStatus(),
    ]) {
      expectGood(await bot.exec({ cdb, dataIn: 1024 }));
    }
    for (const cdb of [
      Cdb.readCapacity(),
      Cdb.startStopUnit(true, false),
      Cdb.readDiscInformation(),
    ]) {
      expectSense(await bot.exec({ cdb, dataIn: 64 }), 2, 0x04, 0x07);
    }
    expectSense(
      await bot.exec({ cdb: Cdb.write10(0, 1), dataOut: new Uint8Array(2048) }),
      2,
      0x04,
      0x07,
    );
    assert.equal(recorder.pressEjectButton(), 'refused');
    const mech = await bot.exec({ cdb: Cdb.mechanismStatus(), dataIn: 8 });
    assert.equal(mech.data[1]! >> 5, 1);
    clock.advance(TIMING.minimalBlankMs / 2);
    expectGood(await bot.exec({ cdb: Cdb.testUnitReady() }));
    assert.equal(recorder.state.operationProgress, undefined);
    assert.equal(recorder.state.disc?.status, 0);
  });

  it('a full BLANK takes the time to write the whole disc', async () => {
    const { clock, bot } = await manual({ media: 'cd-rw' });
    expectGood(await bot.exec({ cdb: Cdb.blank(0, true) }));
    const full = Math.ceil(
      (MEDIA['cd-rw'].capacity * 2048) / (MEDIA['cd-rw'].writeSpeeds[0]! * (2048 / 2352)),
    );
    clock.advance(full - 1);
    expectSense(await bot.exec({ cdb: Cdb.testUnitReady() }), 2, 0x04, 0x07);
    clock.advance(1);
    expectGood(await bot.exec({ cdb: Cdb.testUnitReady() }));
  });

  it('FORMAT UNIT with IMMED: 2/04/04 with progress; without IMMED the CSW waits', async () => {
    const { clock, bot } = await manual({ media: 'bd-re' });
    expectGood(
      await bot.exec({
        cdb: Cdb.formatUnit(),
        dataOut: Cdb.formatList(0x30, 11_826_176, { immed: true, param: 0x3000 }),
      }),
    );
    const a = await bot.exec({ cdb: Cdb.testUnitReady() });
    expectSense(a, 2, 0x04, 0x04);
    clock.advance(TIMING.bdQuickFormatMs / 4);
    const b = await bot.exec({ cdb: Cdb.testUnitReady() });
    assert.equal(b.sense?.progress, 16384);
    clock.advance(TIMING.bdQuickFormatMs);
    expectGood(await bot.exec({ cdb: Cdb.testUnitReady() }));
    const format = bot.exec({
      cdb: Cdb.formatUnit(),
      dataOut: Cdb.formatList(0x31, 12_219_392, { param: 0x800 }),
    });
    assert.equal(await stillPending(format), true);
    clock.advance(TIMING.bdQuickFormatMs);
    expectGood(await within(format, 1000));
  });

  it('a full BD-RE format with certification runs at the write speed', async () => {
    const { clock, bot } = await manual({ media: 'bd-re' });
    expectGood(
      await bot.exec({
        cdb: Cdb.formatUnit(),
        dataOut: Cdb.formatList(0x30, 11_826_176, { immed: true, subtype: 2, param: 0x3000 }),
      }),
    );
    clock.advance(TIMING.bdQuickFormatMs * 10);
    expectSense(await bot.exec({ cdb: Cdb.testUnitReady() }), 2, 0x04, 0x04);
  });

  it('CLOSE TRACK/SESSION with IMMED: 2/04/07 until done', async () => {
    const { clock, bot } = await manual({ media: 'dvd+r' });
    expectGood(await bot.exec({ cdb: Cdb.write10(0, 16), dataOut: new Uint8Array(16 * 2048) }));
    expectGood(await bot.exec({ cdb: Cdb.closeTrackSession(6, 0, true) }));
    expectSense(await bot.exec({ cdb: Cdb.testUnitReady() }), 2, 0x04, 0x07);
    clock.advance(TIMING.finalizeMs + 1000);
    expectGood(await bot.exec({ cdb: Cdb.testUnitReady() }));
  });

  it('the scaled clock runs drive time faster than wall time', async () => {
    const recorder = createVirtualRecorder({
      media: 'dvd+r',
      clock: { mode: 'scaled', factor: 100_000 },
      powerOnUnitAttention: false,
    });
    const bot = await new RawBot(recorder.device).open();
    await new Promise((r) => setTimeout(r, 5));
    await bot.exec({ cdb: Cdb.testUnitReady() });
    expectGood(await bot.exec({ cdb: Cdb.write10(0, 16), dataOut: new Uint8Array(16 * 2048) }));
    const started = Date.now();
    expectGood(await within(bot.exec({ cdb: Cdb.closeTrackSession(6) }), 2000, 'scaled finalize'));
    assert.ok(Date.now() - started < 1000);
    assert.equal(recorder.clock.mode, 'scaled');
  });
});
