/**
 * Burn, read back and compare; append a session; erase and burn again: for
 * every writable medium of the virtual recorder (issue 7).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseToc } from '../../usb-mass-storage/src/scsi/mmc.ts';
import { toHex } from '../../usb-mass-storage/src/struct.ts';
import type { BurnReport, Result } from '../../contract/api.ts';
import { V, bench, failed, image, ok } from '../test-kit.ts';
import { bytesSource } from './source.ts';

const WRITABLE = [
  'cd-r',
  'cd-rw',
  'dvd-r',
  'dvd-rw',
  'dvd+r',
  'dvd+rw',
  'dvd+r-dl',
  'bd-r',
  'bd-re',
] as const;
const ERASABLE = new Set(['cd-rw', 'dvd-rw', 'dvd+rw', 'bd-re']);
const RANDOM = new Set(['dvd+rw', 'bd-re']);

async function readBack(
  s: ReturnType<ReturnType<typeof bench>['session']>,
  lba: number,
  sectors: number,
) {
  const parts: Uint8Array[] = [];
  for (let at = 0; at < sectors; at += 64) {
    parts.push(ok(await s.service.readSectors(V, lba + at, Math.min(64, sectors - at))));
  }
  return Buffer.concat(parts);
}

async function tocStarts(s: ReturnType<ReturnType<typeof bench>['session']>): Promise<number[]> {
  const raw = ok(
    await s.service.sendCommand(V, '43 00 00 00 00 00 00 03 24 00', {
      direction: 'in',
      length: 804,
    }),
  );
  assert.equal(raw.status, 'good', raw.senseText ?? '');
  return parseToc(raw.data)
    .tracks.filter((t) => t.trackNumber !== 0xaa)
    .map((t) => t.address);
}

function report(r: Result<BurnReport>): BurnReport {
  if (!r.ok) throw new Error(`burn failed: ${r.error.name}: ${r.error.message}`);
  return r.value;
}

describe('burn, read back, append, erase: every writable medium', () => {
  for (const media of WRITABLE) {
    it(`${media}: burns and verifies, appends a second session, ${ERASABLE.has(media) ? 'erases and burns again' : 'and refuses to erase'}`, async () => {
      const b = bench({ media });
      const s = b.session('A');
      const first = image(300, 1);
      const before = toHex(first.subarray(0, 64));
      const r1 = report(
        await s.service.burn(V, bytesSource(first), { clientName: 'Test', verify: 'full' }),
      );
      assert.equal(r1.sectorCount, 300);
      assert.equal(r1.sha256?.length, 64);
      assert.equal(toHex(first.subarray(0, 64)), before, 'the source is never modified');
      assert.ok((await readBack(s, r1.startLba, 300)).equals(first), 'read back equals the image');
      assert.equal(ok(await s.service.exclusiveAccessOwner(V)), '', 'the lock was released');
      assert.equal(
        b.drive.state.prevent || b.drive.state.persistentPrevent,
        false,
        'the tray was unlocked',
      );

      const second = image(100, 2);
      const r2 = report(
        await s.service.burn(V, bytesSource(second), {
          clientName: 'Test',
          verify: 'quick',
          // Random data has no addresses in it: it may go wherever the disc's next session starts.
          masteredFor: 'any',
          ...(RANDOM.has(media) ? { startLba: r1.startLba + 300 } : {}),
        }),
      );
      assert.ok(r2.startLba >= r1.startLba + 300);
      assert.ok((await readBack(s, r2.startLba, 100)).equals(second));
      assert.ok((await readBack(s, r1.startLba, 300)).equals(first), 'the first session is intact');
      if (!RANDOM.has(media)) {
        assert.equal(r2.disc.sessions, 2);
        assert.deepEqual(
          await tocStarts(s),
          [r1.startLba, r2.startLba],
          'the TOC lists both sessions',
        );
      }

      const erased = await s.service.eraseMedia(V, { clientName: 'Test' });
      if (ERASABLE.has(media)) {
        ok(erased);
        const again = image(50, 3);
        const r3 = report(
          await s.service.burn(V, bytesSource(again), { clientName: 'Test', verify: 'full' }),
        );
        assert.equal(r3.startLba, 0);
        assert.ok((await readBack(s, 0, 50)).equals(again));
      } else {
        assert.equal(failed(erased), 'E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE');
      }
    });
  }
});
