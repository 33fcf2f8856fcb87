import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DecodeError } from '../../usb-mass-storage/src/errors.ts';
import { decodeCsw } from '../../usb-mass-storage/src/bot/wrappers.ts';
import { MediaEvent, VirtualRecorderError, type RecorderEvent } from './index.ts';
import { Cdb, readyBot, stillPending, within, type RawBot as Bot } from './raw-bot.ts';

const T = { timeout: 10_000 };
type Exec = Awaited<ReturnType<Bot['exec']>>;
function expectGood(r: Exec): void {
  assert.equal(r.csw.status, 0, `expected GOOD, got ${JSON.stringify(r.sense)}`);
}
function expectSense(r: Exec, key: number, asc: number, ascq: number): void {
  assert.equal(r.csw.status, 1, 'expected CHECK CONDITION');
  assert.deepEqual([r.sense?.key, r.sense?.asc, r.sense?.ascq], [key, asc, ascq]);
}
async function rejectsWith(p: Promise<unknown>, name: string): Promise<void> {
  await assert.rejects(within(p, 2000), (e: unknown) => e instanceof Error && e.name === name);
}
/** After a reset: consume the 6/29/00 and check the device works. */
async function works(bot: Bot): Promise<void> {
  const first = await bot.exec({ cdb: Cdb.testUnitReady() });
  if (first.csw.status !== 0) assert.equal(first.sense?.key, 6);
  expectGood(await bot.exec({ cdb: Cdb.testUnitReady() }));
}

describe('transport faults', T, () => {
  it('stallData on a data-in command: STALL, CSW 1 with B/4B/00, command not run', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    recorder.faults.stallData();
    assert.deepEqual(recorder.faults.armed, ['stallData']);
    const r = await bot.exec({ cdb: Cdb.inquiry(36), dataIn: 36 });
    assert.equal(r.dataStalled, true);
    assert.deepEqual([r.csw.status, r.csw.residue, r.data.length], [1, 36, 0]);
    assert.deepEqual([r.sense?.key, r.sense?.asc], [0xb, 0x4b]);
    assert.deepEqual(recorder.faults.armed, []);
    expectGood(await bot.exec({ cdb: Cdb.inquiry(36), dataIn: 36 }));
  });

  it('stallData on a WRITE: nothing is recorded', async () => {
    const { recorder, bot } = await readyBot({ media: 'dvd+r' });
    recorder.faults.stallData();
    const r = await bot.exec({ cdb: Cdb.write10(0, 2), dataOut: new Uint8Array(4096) });
    assert.equal(r.dataStalled, true);
    assert.deepEqual([r.csw.status, r.csw.residue], [1, 4096]);
    assert.equal(recorder.state.disc?.nextWritableAddress, 0);
  });

  it('stallCsw: the CSW read STALLs; clear halt and retry gets it', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    recorder.faults.stallCsw();
    const r = await bot.run({ cdb: Cdb.testUnitReady() });
    assert.deepEqual([r.cswStalls, r.csw.status], [1, 0]);
  });

  it('stallCsw(2): the retry STALLs too, reset recovery cures it', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    recorder.faults.stallCsw(2);
    await assert.rejects(bot.run({ cdb: Cdb.testUnitReady() }), /stalled 2 times/);
    await bot.resetRecovery();
    await works(bot);
    assert.throws(() => recorder.faults.stallCsw(0), VirtualRecorderError);
  });

  it('phaseError: the command runs, the CSW says 2', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    recorder.faults.phaseError();
    const r = await bot.run({ cdb: Cdb.preventAllow(true) });
    assert.equal(r.csw.status, 2);
    assert.equal(recorder.state.prevent, true);
    assert.equal(recorder.log.at(-1)?.status, 'phase-error');
  });

  it('badCswSignature and badCswTag', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    recorder.faults.badCswSignature();
    await bot.sendCbw({ cdb: Cdb.testUnitReady() }, 7);
    const raw = await recorder.device.transferIn(1, 13);
    const bytes = new Uint8Array(raw.data!.buffer, raw.data!.byteOffset, raw.data!.byteLength);
    assert.equal(bytes.length, 13);
    assert.equal(String.fromCharCode(...bytes.subarray(0, 4)), 'USBX');
    assert.throws(() => decodeCsw(bytes), DecodeError);
    await bot.resetRecovery();
    await works(bot);
    recorder.faults.badCswTag();
    await assert.rejects(
      bot.run({ cdb: Cdb.testUnitReady(), tag: 100 }),
      /CSW tag 101 does not match CBW tag 100/,
    );
  });

  it("noAnswer('csw'): the command runs, its CSW never comes; reset recovery rejects the read", async () => {
    const { recorder, bot } = await readyBot({ media: 'dvd+r', classResetCancelsTransfers: true });
    recorder.faults.noAnswer();
    await bot.sendCbw({ cdb: Cdb.write10(0, 1), dataOut: new Uint8Array(2048) }, 50);
    await recorder.device.transferOut(2, new Uint8Array(2048));
    const csw = recorder.device.transferIn(1, 13);
    assert.equal(await stillPending(csw, 50), true);
    assert.equal(recorder.state.disc?.nextWritableAddress, 1); // it was written
    await bot.resetRecovery();
    await rejectsWith(csw, 'AbortError');
    assert.equal(recorder.log.at(-1)?.status, 'aborted');
    await works(bot);
  });

  it("by default a class reset leaves the host's queued transfers queued; a port reset cancels them", async () => {
    const { recorder, bot } = await readyBot({ media: 'dvd+r' });
    recorder.faults.noAnswer();
    await bot.sendCbw({ cdb: Cdb.write10(0, 1), dataOut: new Uint8Array(2048) }, 52);
    await recorder.device.transferOut(2, new Uint8Array(2048));
    const stale = recorder.device.transferIn(1, 13);
    await bot.resetRecovery();
    assert.equal(await stillPending(stale, 50), true, 'still queued after the class reset');
    await recorder.device.reset();
    await rejectsWith(stale, 'AbortError');
    await works(bot);
  });

  it("noAnswer('cbw'): the CBW transfer itself never completes", async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom', classResetCancelsTransfers: true });
    recorder.faults.noAnswer('cbw');
    const cbw = bot.sendCbw({ cdb: Cdb.preventAllow(true) }, 51);
    assert.equal(await stillPending(cbw), true);
    await bot.resetRecovery();
    await rejectsWith(cbw, 'AbortError');
    assert.equal(recorder.state.prevent, false); // never run
    await works(bot);
  });

  it("noAnswer('data'): the data phase never starts; a disconnect rejects with NotFoundError", async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    recorder.faults.noAnswer('data');
    await bot.sendCbw({ cdb: Cdb.read10(0, 1), dataIn: 2048 }, 52);
    const data = recorder.device.transferIn(1, 2048);
    assert.equal(await stillPending(data), true);
    recorder.disconnect();
    await rejectsWith(data, 'NotFoundError');
  });

  it('disconnectAtCommand(n): the n-th CBW from now unplugs the device', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    const events: RecorderEvent['type'][] = [];
    recorder.subscribe((e) => events.push(e.type));
    recorder.faults.disconnectAtCommand(2);
    expectGood(await bot.exec({ cdb: Cdb.testUnitReady() }));
    await rejectsWith(bot.run({ cdb: Cdb.testUnitReady() }), 'NotFoundError');
    assert.equal(recorder.state.connected, false);
    assert.ok(events.includes('disconnect'));
    await rejectsWith(recorder.device.transferIn(1, 13), 'NotFoundError');
  });

  it('disconnectAfterBytes(k) in a WRITE: the bytes before k are kept, the transfer fails', async () => {
    const { recorder, bot } = await readyBot({ media: 'dvd+r' });
    recorder.faults.disconnectAfterBytes(3000);
    await bot.sendCbw({ cdb: Cdb.write10(0, 4), dataOut: new Uint8Array(8192) }, 60);
    await rejectsWith(recorder.device.transferOut(2, new Uint8Array(4096)), 'NotFoundError');
    assert.equal(recorder.state.disc?.nextWritableAddress, 1);
    assert.equal(recorder.state.connected, false);
  });

  it('disconnectAfterBytes(k) in a READ: the transfer that crosses k fails', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    recorder.faults.disconnectAfterBytes(5000);
    await bot.sendCbw({ cdb: Cdb.read10(0, 4), dataIn: 8192 }, 61);
    assert.equal((await recorder.device.transferIn(1, 4096)).data!.byteLength, 4096);
    await rejectsWith(recorder.device.transferIn(1, 4096), 'NotFoundError');
  });

  it('reservationConflict: status 1 and empty sense, as BOT reports RESERVATION CONFLICT', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    recorder.faults.reservationConflict();
    const r = await bot.exec({ cdb: Cdb.testUnitReady() });
    assert.equal(r.csw.status, 1);
    assert.deepEqual([r.sense?.key, r.sense?.asc, r.sense?.ascq], [0, 0, 0]);
    assert.equal(
      recorder.log.find((e) => e.status === 'reservation-conflict')?.name,
      'TEST UNIT READY',
    );
  });
});

describe('medium faults', T, () => {
  it('writeErrorAt(lba): blocks before it are written; 3/0C/00 with INFORMATION = lba', async () => {
    const { recorder, bot } = await readyBot({ media: 'dvd+r' });
    recorder.faults.writeErrorAt(5);
    const r = await bot.exec({
      cdb: Cdb.write10(0, 10),
      dataOut: new Uint8Array(10 * 2048).fill(3),
    });
    expectSense(r, 3, 0x0c, 0x00);
    assert.equal(r.sense?.information, 5);
    assert.equal(r.csw.residue, 5 * 2048);
    assert.equal(recorder.state.disc?.nextWritableAddress, 5);
    expectGood(await bot.exec({ cdb: Cdb.write10(5, 5), dataOut: new Uint8Array(5 * 2048) }));
  });

  it('writeErrorAt on a formatted medium, error on the first block', async () => {
    const { recorder, bot } = await readyBot({ media: 'bd-re', formatted: true });
    recorder.faults.writeErrorAt(100);
    expectGood(await bot.exec({ cdb: Cdb.write10(0, 1), dataOut: new Uint8Array(2048) })); // not covered
    const r = await bot.exec({ cdb: Cdb.write10(100, 3), dataOut: new Uint8Array(3 * 2048) });
    expectSense(r, 3, 0x0c, 0);
    assert.equal(r.csw.residue, 3 * 2048);
  });

  it('readErrorAt(lba): data up to it, then STALL and 3/11/00 with INFORMATION = lba', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    recorder.faults.readErrorAt(103);
    const r = await bot.exec({ cdb: Cdb.read10(100, 6), dataIn: 6 * 2048 });
    expectSense(r, 3, 0x11, 0);
    assert.equal(r.sense?.information, 103);
    assert.equal(r.data.length, 3 * 2048);
    assert.equal(r.csw.residue, 3 * 2048);
  });

  it('lossOfStreaming: the next WRITE fails 3/0C/09 and records nothing', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-r' });
    recorder.faults.lossOfStreaming();
    const r = await bot.exec({ cdb: Cdb.write10(0, 4), dataOut: new Uint8Array(4 * 2048) });
    expectSense(r, 3, 0x0c, 0x09);
    assert.equal(r.csw.residue, 4 * 2048);
    assert.equal(recorder.state.disc?.nextWritableAddress, 0);
    expectGood(await bot.exec({ cdb: Cdb.write10(0, 4), dataOut: new Uint8Array(4 * 2048) }));
  });

  it('powerCalibrationFailure: the next WRITE fails 3/73/03 before its data', async () => {
    const { recorder, bot } = await readyBot({ media: 'dvd-r' });
    recorder.faults.powerCalibrationFailure();
    const r = await bot.exec({ cdb: Cdb.write10(0, 16), dataOut: new Uint8Array(16 * 2048) });
    expectSense(r, 3, 0x73, 0x03);
    assert.equal(r.csw.residue, 16 * 2048);
    assert.equal(recorder.state.disc?.nextWritableAddress, 0);
    expectGood(await bot.exec({ cdb: Cdb.write10(0, 16), dataOut: new Uint8Array(16 * 2048) }));
  });

  it('mediaChange(name) at any moment: 6/28/00 and a GESN new-media event', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-r' });
    expectGood(await bot.exec({ cdb: Cdb.preventAllow(true) }));
    recorder.faults.mediaChange('bd-re');
    expectSense(await bot.exec({ cdb: Cdb.testUnitReady() }), 6, 0x28, 0);
    const g = await bot.exec({ cdb: Cdb.gesn(), dataIn: 8 });
    assert.equal(g.data[4], MediaEvent.NewMedia);
    assert.equal(recorder.state.mediaName, 'bd-re');
  });

  it('clear() disarms everything', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    recorder.faults
      .stallData()
      .stallCsw()
      .phaseError()
      .badCswSignature()
      .badCswTag()
      .noAnswer()
      .disconnectAtCommand(1)
      .disconnectAfterBytes(0)
      .writeErrorAt(0)
      .readErrorAt(0)
      .lossOfStreaming()
      .powerCalibrationFailure()
      .reservationConflict();
    assert.equal(recorder.faults.armed.length, 13);
    recorder.faults.clear();
    assert.deepEqual(recorder.faults.armed, []);
    const r = await bot.exec({ cdb: Cdb.read10(0, 1), dataIn: 2048 });
    expectGood(r);
    assert.throws(() => recorder.faults.writeErrorAt(-1), VirtualRecorderError);
  });
});
