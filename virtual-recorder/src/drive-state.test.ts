/**
 * A drive powered off and on again (drive-state.ts): `saveState()` taken
 * through JSON, then `restoreState()` on a new recorder over the same store,
 * finds the disc as it was left.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MemorySectorStore,
  VirtualRecorderError,
  createVirtualRecorder,
  parseDriveState,
  type DriveState,
  type VirtualRecorder,
} from './index.ts';
import { Cdb, RawBot, readyBot } from './raw-bot.ts';

const throughJson = (s: DriveState): DriveState =>
  parseDriveState(JSON.parse(JSON.stringify(s)) as unknown);

async function good(bot: RawBot, command: Parameters<RawBot['exec']>[0]): Promise<Uint8Array> {
  const r = await bot.exec(command);
  assert.equal(r.csw.status, 0, `sense ${JSON.stringify(r.sense)}`);
  return r.data;
}

/** A new recorder powered on with `state` over `store`, opened, its power-on attention taken. */
async function powerOn(
  state: DriveState,
  store: MemorySectorStore,
): Promise<{ recorder: VirtualRecorder; bot: RawBot; first: number | undefined }> {
  const recorder = createVirtualRecorder({ storeFactory: () => store });
  recorder.restoreState(state, store);
  const bot = await new RawBot(recorder.device).open();
  const r = await bot.exec({ cdb: Cdb.testUnitReady() });
  // Only the power-on attention: a disc that was in at power-on is no media change.
  assert.deepEqual([r.sense?.key, r.sense?.asc], [6, 0x29]);
  const next = await bot.exec({ cdb: Cdb.testUnitReady() });
  return { recorder, bot, first: next.sense?.key };
}

describe('drive state: power off and on', () => {
  it('keeps an appendable DVD+R: tracks, sessions, NWA and the sectors', async () => {
    const store = new MemorySectorStore();
    const { recorder, bot } = await readyBot({ media: 'dvd+r', storeFactory: () => store });
    const data = new Uint8Array(32 * 2048).map((_, i) => (i * 7) & 0xff);
    await good(bot, { cdb: Cdb.write10(0, 32), dataOut: data });
    await good(bot, { cdb: Cdb.closeTrackSession(1, 1) });
    await good(bot, { cdb: Cdb.closeTrackSession(2) });
    const before = recorder.state.disc;
    const saved = throughJson(recorder.saveState());
    assert.equal(saved.disc?.media, 'dvd+r');
    assert.equal(saved.disc?.generated, false);

    const again = await powerOn(saved, store);
    assert.equal(again.first, undefined, 'ready, no further attention');
    assert.deepEqual(again.recorder.state.disc, before);
    assert.deepEqual(await good(again.bot, { cdb: Cdb.read10(0, 32), dataIn: 32 * 2048 }), data);
  });

  it('keeps the tray open, a formatted BD-RE, and a pressed disc without a store', async () => {
    const open = createVirtualRecorder({ media: 'cd-r' });
    open.pressEjectButton();
    const tray = throughJson(open.saveState());
    assert.equal(tray.trayOpen, true);
    const r1 = createVirtualRecorder();
    r1.restoreState(tray);
    assert.equal(r1.state.trayOpen, true);
    assert.equal(r1.state.mediaName, 'cd-r');

    const bd = createVirtualRecorder({ media: 'bd-re', formatted: true });
    const r2 = createVirtualRecorder();
    r2.restoreState(throughJson(bd.saveState()), new MemorySectorStore());
    assert.deepEqual(r2.state.disc, bd.state.disc);
    assert.equal(r2.state.disc?.formatted, true);

    const rom = createVirtualRecorder({ media: 'dvd-rom' });
    const saved = throughJson(rom.saveState());
    assert.equal(saved.disc?.generated, true);
    const r3 = createVirtualRecorder();
    r3.restoreState(saved);
    assert.deepEqual(await r3.readImage(), await rom.readImage());
  });

  it('an empty drive stays empty', () => {
    const r = createVirtualRecorder();
    r.restoreState(throughJson(createVirtualRecorder().saveState()));
    assert.equal(r.state.mediaName, 'none');
  });

  it('refuses data that is not a drive state, saying what is wrong', () => {
    const base = createVirtualRecorder({ media: 'cd-r' }).saveState();
    const bad: unknown[] = [
      null,
      { ...base, version: 2 },
      { ...base, trayOpen: 'no' },
      { ...base, disc: { ...base.disc, media: 'floppy' } },
      { ...base, disc: { ...base.disc, tracks: [{ number: -1 }] } },
    ];
    for (const value of bad) {
      assert.throws(
        () => parseDriveState(value),
        (e: unknown) => e instanceof VirtualRecorderError && e.code === 'invalid-state',
        JSON.stringify(value),
      );
    }
  });
});
