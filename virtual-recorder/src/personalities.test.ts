/**
 * The behaviour switches that make the virtual recorder disagree with the
 * host the way real drives and bridges do, and the personalities built from
 * them (docs/real-drives.md).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock, PERSONALITIES, PERSONALITY_NAMES, VirtualRecorderError } from './index.ts';
import { Cdb, readyBot, stillPending, type RawBot as Bot } from './raw-bot.ts';

const T = { timeout: 10_000 };
type Exec = Awaited<ReturnType<Bot['exec']>>;
function senseOf(r: Exec): [number, number, number, number] {
  return [r.csw.status, r.sense?.key ?? -1, r.sense?.asc ?? -1, r.sense?.ascq ?? -1];
}

describe('behaviour switches', T, () => {
  it('unsupportedCommands: the drive answers 5/20/00 as for an unknown opcode', async () => {
    const { bot } = await readyBot({ media: 'cd-rom', unsupportedCommands: [0x46, 0x52] });
    assert.deepEqual(
      senseOf(await bot.exec({ cdb: Cdb.getConfiguration(0), dataIn: 4096 })),
      [1, 5, 0x20, 0],
    );
    const toc = await bot.exec({ cdb: Cdb.readToc(0, { allocation: 804 }), dataIn: 804 });
    assert.equal(toc.csw.status, 0, 'READ TOC is still there');
  });

  it('unsupportedModePages: MODE SENSE of that page is 5/24/00; all pages leave it out', async () => {
    const { bot } = await readyBot({ media: 'cd-rom', unsupportedModePages: [0x2a] });
    const modeSense = (page: number) => [0x5a, 0x08, page, 0, 0, 0, 0, 0x10, 0x00, 0];
    assert.deepEqual(
      senseOf(await bot.exec({ cdb: modeSense(0x2a), dataIn: 4096 })),
      [1, 5, 0x24, 0],
    );
    const all = await bot.exec({ cdb: modeSense(0x3f), dataIn: 4096 });
    assert.equal(all.csw.status, 0);
    // Header (8 bytes), then pages: only 05h is left.
    assert.equal(all.data[8]! & 0x3f, 0x05);
    assert.equal(all.data.length, 8 + 2 + all.data[9]!);
  });

  it('recoveredError: the WRITE is recorded and the status says 1/17/01', async () => {
    const { recorder, bot } = await readyBot({ media: 'dvd+r' });
    recorder.faults.recoveredError();
    const r = await bot.exec({
      cdb: Cdb.write10(0, 2),
      dataOut: new Uint8Array(2 * 2048).fill(7),
    });
    assert.deepEqual(senseOf(r), [1, 1, 0x17, 1]);
    assert.equal(recorder.state.disc?.nextWritableAddress, 2, 'the data was written');
    const back = await bot.exec({ cdb: Cdb.read10(0, 2), dataIn: 4096 });
    assert.equal(back.csw.status, 0);
    assert.ok(back.data.every((b) => b === 7));
    assert.deepEqual(recorder.faults.armed, []);
  });

  it('abortedCommand(Infinity, WRITE): every WRITE ends B/00/00, other commands run', async () => {
    const { recorder, bot } = await readyBot({ media: 'dvd+r' });
    recorder.faults.abortedCommand(Infinity, 0x2a);
    for (let i = 0; i < 3; i++) {
      const r = await bot.exec({ cdb: Cdb.write10(i, 1), dataOut: new Uint8Array(2048) });
      assert.deepEqual(senseOf(r), [1, 0xb, 0, 0]);
    }
    assert.equal((await bot.exec({ cdb: Cdb.testUnitReady() })).csw.status, 0);
    assert.deepEqual(recorder.faults.armed, ['abortedCommand']);
    recorder.faults.clear();
    assert.deepEqual(recorder.faults.armed, []);
  });
});

describe('personalities', T, () => {
  it('bare-cdrom-bridge lacks what QEMU scsi-cd lacks, and keeps PREVENT over a reset', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom', personality: 'bare-cdrom-bridge' });
    for (const cdb of [
      Cdb.getConfiguration(0),
      Cdb.gesn(),
      Cdb.readDiscInformation(),
      Cdb.reserve6(),
    ]) {
      const r = await bot.exec({ cdb, dataIn: cdb[0] === 0x16 ? 0 : 64 });
      assert.deepEqual(senseOf(r).slice(0, 3), [1, 5, 0x20], `opcode ${cdb[0]!.toString(16)}`);
    }
    const persistent = await bot.exec({ cdb: Cdb.preventAllow(true, true) });
    assert.deepEqual(senseOf(persistent), [1, 5, 0x24, 0]);
    assert.equal((await bot.exec({ cdb: Cdb.preventAllow(true) })).csw.status, 0);
    await bot.resetRecovery();
    assert.equal(recorder.state.prevent, true, 'a Bulk-Only reset keeps PREVENT here');
  });

  it('slow-drive: the first WRITE on a disc answers after 45 s of calibration, the next at once', async () => {
    const clock = new ManualClock();
    const { bot } = await readyBot({ media: 'dvd+r', personality: 'slow-drive', clock });
    clock.advance(2_000); // spin-up
    await bot.exec({ cdb: Cdb.testUnitReady() });
    const first = bot.exec({ cdb: Cdb.write10(0, 16), dataOut: new Uint8Array(16 * 2048) });
    assert.equal(await stillPending(first), true);
    clock.advance(44_000);
    assert.equal(await stillPending(first), true, 'still calibrating at 44 s');
    clock.advance(1_000);
    assert.equal((await first).csw.status, 0);
    const next = bot.exec({ cdb: Cdb.write10(16, 16), dataOut: new Uint8Array(16 * 2048) });
    clock.advance(100); // the buffer drains at the write speed
    assert.equal((await next).csw.status, 0);
  });

  it('slow-drive: an IMMED CLOSE holds its status a minute, then NOT READY until ten times the nominal', async () => {
    const clock = new ManualClock();
    const { bot } = await readyBot({ media: 'cd-r', personality: 'slow-drive', clock });
    clock.advance(2_000);
    await bot.exec({ cdb: Cdb.testUnitReady() });
    const w = bot.exec({ cdb: Cdb.write10(0, 300), dataOut: new Uint8Array(300 * 2048) });
    assert.equal(await stillPending(w), true, 'calibrating');
    clock.advance(45_000);
    assert.equal((await w).csw.status, 0);
    clock.advance(60_000); // the buffer drains
    const close = bot.exec({ cdb: Cdb.closeTrackSession(2, 0, true) });
    assert.equal(await stillPending(close), true);
    clock.advance(60_000);
    assert.equal((await close).csw.status, 0);
    const busy = await bot.exec({ cdb: Cdb.testUnitReady() });
    assert.deepEqual(senseOf(busy), [1, 2, 4, 7], 'finalizing: 30 s x 10');
    clock.advance(300_000);
    assert.equal((await bot.exec({ cdb: Cdb.testUnitReady() })).csw.status, 0);
  });

  it('a personality is a starting point: explicit options override it', async () => {
    const { bot } = await readyBot({
      media: 'cd-rom',
      personality: 'bare-cdrom-bridge',
      unsupportedCommands: [],
    });
    const r = await bot.exec({ cdb: Cdb.getConfiguration(0), dataIn: 64 });
    assert.equal(r.csw.status, 0);
  });

  it('names every personality and refuses an unknown one', async () => {
    assert.deepEqual(PERSONALITY_NAMES, Object.keys(PERSONALITIES));
    assert.deepEqual(PERSONALITY_NAMES, ['full-burner', 'bare-cdrom-bridge', 'slow-drive']);
    await assert.rejects(
      readyBot({ personality: 'no-such' as 'full-burner' }),
      VirtualRecorderError,
    );
  });
});
