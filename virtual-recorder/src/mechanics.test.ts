import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MediaEvent, createVirtualRecorder, type RecorderEvent } from './index.ts';
import { Cdb, RawBot, readyBot, type RawBot as Bot } from './raw-bot.ts';

const T = { timeout: 10_000 };
type Exec = Awaited<ReturnType<Bot['exec']>>;
function expectGood(r: Exec): void {
  assert.equal(r.csw.status, 0, `expected GOOD, got ${JSON.stringify(r.sense)}`);
}
function expectSense(r: Exec, key: number, asc: number, ascq: number): void {
  assert.equal(r.csw.status, 1, 'expected CHECK CONDITION');
  assert.deepEqual([r.sense?.key, r.sense?.asc, r.sense?.ascq], [key, asc, ascq]);
}
async function mediaEvent(bot: Bot): Promise<{ code: number; present: boolean; open: boolean }> {
  const r = await bot.exec({ cdb: Cdb.gesn(), dataIn: 8 });
  expectGood(r);
  return { code: r.data[4]! & 0x0f, present: (r.data[5]! & 2) !== 0, open: (r.data[5]! & 1) !== 0 };
}

describe('tray, load and eject (START STOP UNIT)', T, () => {
  it('eject opens the tray, load closes it; GESN and sense follow', async () => {
    const { recorder, bot } = await readyBot({ media: 'dvd+r' });
    expectGood(await bot.exec({ cdb: Cdb.startStopUnit(true, false) }));
    assert.equal(recorder.state.trayOpen, true);
    assert.equal(recorder.state.mediaPresent, false);
    expectSense(await bot.exec({ cdb: Cdb.testUnitReady() }), 2, 0x3a, 0x02);
    assert.deepEqual(await mediaEvent(bot), {
      code: MediaEvent.MediaRemoval,
      present: false,
      open: true,
    });
    assert.deepEqual(await mediaEvent(bot), { code: 0, present: false, open: true });
    expectGood(await bot.exec({ cdb: Cdb.startStopUnit(true, true, true) }));
    assert.equal(recorder.state.trayOpen, false);
    assert.deepEqual(await mediaEvent(bot), {
      code: MediaEvent.NewMedia,
      present: true,
      open: false,
    });
    expectSense(await bot.exec({ cdb: Cdb.testUnitReady() }), 6, 0x28, 0);
    expectGood(await bot.exec({ cdb: Cdb.testUnitReady() }));
  });

  it('eject is refused with 5/53/02 while Prevent is set; Persistent Prevent alone allows it', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    expectGood(await bot.exec({ cdb: Cdb.preventAllow(true) }));
    expectSense(await bot.exec({ cdb: Cdb.startStopUnit(true, false) }), 5, 0x53, 0x02);
    assert.equal(recorder.state.trayOpen, false);
    expectGood(await bot.exec({ cdb: Cdb.preventAllow(false) }));
    expectGood(await bot.exec({ cdb: Cdb.preventAllow(true, true) }));
    expectGood(await bot.exec({ cdb: Cdb.startStopUnit(true, false) }));
    assert.equal(recorder.state.trayOpen, true);
    assert.equal(recorder.state.persistentPrevent, true);
  });

  it('Start without LoEj needs a medium; stop and power conditions are accepted', async () => {
    const { bot } = await readyBot();
    expectSense(await bot.exec({ cdb: Cdb.startStopUnit(false, true) }), 2, 0x3a, 0x01);
    expectGood(await bot.exec({ cdb: Cdb.startStopUnit(false, false) }));
    expectGood(await bot.exec({ cdb: Cdb.startStopUnit(false, false, false, 3) }));
    expectGood(await bot.exec({ cdb: Cdb.startStopUnit(true, true) })); // load an empty tray
    expectSense(await bot.exec({ cdb: Cdb.testUnitReady() }), 2, 0x3a, 0x01);
  });
});

describe('PREVENT ALLOW MEDIUM REMOVAL', T, () => {
  it('sets and clears Prevent and Persistent Prevent independently, with a history', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    expectGood(await bot.exec({ cdb: Cdb.preventAllow(true) }));
    expectGood(await bot.exec({ cdb: Cdb.preventAllow(true) })); // no transition
    expectGood(await bot.exec({ cdb: Cdb.preventAllow(true, true) }));
    assert.deepEqual([recorder.state.prevent, recorder.state.persistentPrevent], [true, true]);
    expectGood(await bot.exec({ cdb: Cdb.preventAllow(false) }));
    assert.deepEqual([recorder.state.prevent, recorder.state.persistentPrevent], [false, true]);
    expectGood(await bot.exec({ cdb: Cdb.preventAllow(false, true) }));
    assert.deepEqual(
      recorder.preventHistory.map((t) => [t.prevent, t.persistent, t.cause]),
      [
        [true, false, 'command'],
        [true, true, 'command'],
        [false, true, 'command'],
        [false, false, 'command'],
      ],
    );
    assert.ok(recorder.preventHistory.every((t, i, a) => i === 0 || t.seq > a[i - 1]!.seq));
  });

  it('a drive without Persistent support answers 5/24/00', async () => {
    const { recorder, bot } = await readyBot({
      media: 'cd-rom',
      persistentPreventSupported: false,
    });
    expectSense(await bot.exec({ cdb: Cdb.preventAllow(true, true) }), 5, 0x24, 0);
    assert.equal(recorder.state.persistentPrevent, false);
    expectGood(await bot.exec({ cdb: Cdb.preventAllow(true) }));
  });

  it('a Bulk-Only reset clears PREVENT; the history shows it cleared and set again', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    expectGood(await bot.exec({ cdb: Cdb.preventAllow(true) }));
    await bot.resetRecovery();
    assert.equal(recorder.state.prevent, false);
    expectSense(await bot.exec({ cdb: Cdb.preventAllow(true) }), 6, 0x29, 0);
    expectGood(await bot.exec({ cdb: Cdb.preventAllow(true) }));
    assert.deepEqual(
      recorder.preventHistory.map((t) => [t.prevent, t.cause]),
      [
        [true, 'command'],
        [false, 'bulk-reset'],
        [true, 'command'],
      ],
    );
  });

  it('with resetClearsPrevent=false and resetUnitAttention=false a reset leaves both alone', async () => {
    const { recorder, bot } = await readyBot({
      media: 'cd-rom',
      resetClearsPrevent: false,
      resetUnitAttention: false,
    });
    expectGood(await bot.exec({ cdb: Cdb.preventAllow(true) }));
    await bot.resetRecovery();
    assert.equal(recorder.state.prevent, true);
    expectGood(await bot.exec({ cdb: Cdb.testUnitReady() }));
  });
});

describe('the eject button', T, () => {
  it('opens and closes the tray when unlocked', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    assert.equal(recorder.pressEjectButton(), 'opened');
    expectSense(await bot.exec({ cdb: Cdb.testUnitReady() }), 2, 0x3a, 0x02);
    assert.equal(recorder.pressEjectButton(), 'closed');
    expectSense(await bot.exec({ cdb: Cdb.testUnitReady() }), 6, 0x28, 0);
    expectGood(await bot.exec({ cdb: Cdb.testUnitReady() }));
  });

  it('while Prevent is set it becomes a GESN eject request (default policy)', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    expectGood(await bot.exec({ cdb: Cdb.preventAllow(true) }));
    const events: RecorderEvent[] = [];
    recorder.subscribe((e) => events.push(e));
    assert.equal(recorder.pressEjectButton(), 'eject-request');
    assert.equal(recorder.state.trayOpen, false);
    assert.deepEqual(await mediaEvent(bot), {
      code: MediaEvent.EjectRequest,
      present: true,
      open: false,
    });
    assert.ok(events.some((e) => e.type === 'eject-request'));
  });

  it("with policy 'persistent-only', plain Prevent refuses silently; Persistent Prevent requests", async () => {
    const { recorder, bot } = await readyBot({
      media: 'cd-rom',
      ejectRequestOn: 'persistent-only',
    });
    expectGood(await bot.exec({ cdb: Cdb.preventAllow(true) }));
    assert.equal(recorder.pressEjectButton(), 'refused');
    assert.equal((await mediaEvent(bot)).code, 0);
    expectGood(await bot.exec({ cdb: Cdb.preventAllow(true, true) }));
    assert.equal(recorder.pressEjectButton(), 'eject-request');
    assert.equal((await mediaEvent(bot)).code, MediaEvent.EjectRequest);
    assert.equal(recorder.state.trayOpen, false);
  });
});

describe('unit attention and media change', T, () => {
  it('power-on: the first command sees 6/29/00 (unless switched off)', async () => {
    const r = createVirtualRecorder({ media: 'cd-rom' });
    const bot = await new RawBot(r.device).open();
    expectSense(await bot.exec({ cdb: Cdb.testUnitReady() }), 6, 0x29, 0);
    expectGood(await bot.exec({ cdb: Cdb.testUnitReady() }));
    const quiet = createVirtualRecorder({ media: 'cd-rom', powerOnUnitAttention: false });
    const b2 = await new RawBot(quiet.device).open();
    expectGood(await b2.exec({ cdb: Cdb.testUnitReady() }));
  });

  it('changeMedia: 6/28/00 once, GESN new media, even while PREVENT is held', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    expectGood(await bot.exec({ cdb: Cdb.preventAllow(true) }));
    recorder.changeMedia('bd-r');
    assert.equal(recorder.state.mediaName, 'bd-r');
    assert.equal(recorder.state.prevent, true);
    // GET CONFIGURATION and GESN run without consuming the attention.
    const cfg = await bot.exec({ cdb: Cdb.getConfiguration(1, 0, 8), dataIn: 8 });
    expectGood(cfg);
    assert.equal((cfg.data[6]! << 8) | cfg.data[7]!, 0x0041);
    assert.equal((await mediaEvent(bot)).code, MediaEvent.NewMedia);
    expectSense(await bot.exec({ cdb: Cdb.readCapacity(), dataIn: 8 }), 6, 0x28, 0);
    expectGood(await bot.exec({ cdb: Cdb.testUnitReady() }));
    assert.deepEqual(
      recorder.state.lastSense && [recorder.state.lastSense.key, recorder.state.lastSense.asc],
      [6, 0x28],
    );
  });

  it('removeMedia leaves a closed, empty tray: 2/3A/01 and a removal event', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    recorder.removeMedia();
    expectSense(await bot.exec({ cdb: Cdb.testUnitReady() }), 2, 0x3a, 0x01);
    assert.equal((await mediaEvent(bot)).code, MediaEvent.MediaRemoval);
    assert.equal(recorder.state.mediaName, 'none');
  });

  it('REQUEST SENSE reports and clears a pending unit attention', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    recorder.changeMedia('cd-r');
    assert.equal(recorder.state.pendingUnitAttentions.length, 1);
    const s = await bot.requestSense();
    assert.deepEqual([s.key, s.asc], [6, 0x28]);
    assert.equal(recorder.state.pendingUnitAttentions.length, 0);
    expectGood(await bot.exec({ cdb: Cdb.testUnitReady() }));
  });

  it('an unknown opcode still reports the pending attention first', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    recorder.changeMedia('cd-r');
    expectSense(await bot.exec({ cdb: [0xee, 0, 0, 0, 0, 0] }), 6, 0x28, 0);
    expectSense(await bot.exec({ cdb: [0xee, 0, 0, 0, 0, 0] }), 5, 0x20, 0);
  });
});

describe('RESERVE, OS mount and the observer', T, () => {
  it('a port reset drops the reservation and PREVENT', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    expectGood(await bot.exec({ cdb: Cdb.reserve6() }));
    expectGood(await bot.exec({ cdb: Cdb.preventAllow(true, true) }));
    await recorder.device.reset();
    assert.deepEqual([recorder.state.reserved, recorder.state.persistentPrevent], [false, false]);
    assert.equal(recorder.preventHistory.at(-1)?.cause, 'port-reset');
  });

  it('mountedByOs is a switch with dismount()/mount() and an event', () => {
    const r = createVirtualRecorder({ mountedByOs: true });
    const events: RecorderEvent[] = [];
    const off = r.subscribe((e) => events.push(e));
    assert.equal(r.mountedByOs, true);
    r.dismount();
    assert.equal(r.state.mountedByOs, false);
    r.mount();
    r.mountedByOs = true; // unchanged: no event
    off();
    r.dismount(); // unsubscribed
    assert.deepEqual(events, [
      { type: 'mount', mounted: false },
      { type: 'mount', mounted: true },
    ]);
  });

  it('the log has one entry per command with status and sense; counters add up', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    recorder.clearLog();
    await bot.exec({ cdb: Cdb.testUnitReady() });
    await bot.exec({ cdb: Cdb.read10(999_999, 1), dataIn: 2048 });
    const log = recorder.log;
    assert.deepEqual(
      log.map((e) => [e.name, e.status, e.sense && [e.sense.key, e.sense.asc]]),
      [
        ['TEST UNIT READY', 'good', undefined],
        ['READ(10)', 'check-condition', [5, 0x21]],
        ['REQUEST SENSE', 'good', undefined],
      ],
    );
    assert.equal(log[1]!.residue, 2048);
    assert.equal(log[1]!.cdb, '2800000f423f00000100');
    assert.deepEqual(
      [
        recorder.counters.commands,
        recorder.counters.checkConditions,
        recorder.counters.byOpcode['28'],
      ],
      [3, 1, 1],
    );
  });

  it('a listener that throws does not break the device', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    recorder.subscribe(() => {
      throw new Error('listener bug');
    });
    expectGood(await bot.exec({ cdb: Cdb.testUnitReady() }));
  });
});
