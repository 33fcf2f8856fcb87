/**
 * The slow-drive personality (issue 13): the first WRITE calibrates for 45 s
 * of drive time, IMMED close/blank/format hold their status up to 60 s, long
 * operations take ten times as long. On a scaled clock, with the host's
 * per-command timeouts scaled the same way (usb-mass-storage/src/scsi/
 * opcodes.ts), the host survives; with libburn's 30 s default for every
 * command it would not (docs/real-drives.md §1).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultTimeoutMs } from '../../usb-mass-storage/src/scsi/opcodes.ts';
import { createVirtualRecorder, type MediaName } from '../../virtual-recorder/src/index.ts';
import { MemoryCoordinator } from '../coordinator.ts';
import { WebdiscService } from '../service.ts';
import { V, image } from '../test-kit.ts';
import { virtualControl, virtualSource } from '../virtual-source.ts';
import { bytesSource } from './source.ts';

/** Drive milliseconds per wall-clock millisecond. */
const FACTOR = 100;

function slow(media: MediaName, timeoutMs: (cdb: Uint8Array) => number) {
  const drive = createVirtualRecorder({
    media,
    personality: 'slow-drive',
    clock: { mode: 'scaled', factor: FACTOR },
  });
  const service = new WebdiscService({
    sessionId: 'A',
    coordinator: new MemoryCoordinator(),
    sources: [virtualSource(drive)],
    virtual: virtualControl(drive),
    mcnIntervalMs: 0,
    // The host's budgets in drive time: a wall-clock millisecond is FACTOR drive milliseconds.
    transport: { defaultTimeoutMs: (cdb) => timeoutMs(cdb) / FACTOR },
  });
  return { drive, service };
}

describe('a slow drive (personality slow-drive)', { timeout: 60_000 }, () => {
  for (const media of ['dvd+r', 'cd-rw'] as const) {
    it(`${media}: burn and close survive on the host's per-command timeouts`, async () => {
      const { drive, service } = slow(media, defaultTimeoutMs);
      const data = image(64, 3);
      const r = await service.burn(V, bytesSource(data), {
        clientName: 'Slow',
        close: true,
        verify: 'full',
      });
      assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
      assert.equal(r.value.disc.status, 'complete');
      // The first WRITE answered 45 s of drive time after the one before it.
      const log = drive.log;
      const first = log.findIndex((e) => e.opcode === 0x2a);
      assert.ok(log[first]!.time - log[first - 1]!.time >= 45_000, 'the calibration took its time');
    });
  }

  it('bd-re: erase (FORMAT UNIT, IMMED held a minute) survives too', async () => {
    const { service } = slow('bd-re', defaultTimeoutMs);
    const r = await service.eraseMedia(V, { clientName: 'Slow', full: false });
    assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
  });

  it("with libburn's 30 s default for every command, the first WRITE times out", async () => {
    const { service } = slow('dvd+r', () => 30_000);
    const r = await service.burn(V, bytesSource(image(16, 1)), { clientName: 'Short' });
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error.message, /opcode 0x2a within/);
  });
});
