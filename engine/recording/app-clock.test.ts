/**
 * The app's virtual drive runs on APP_CLOCK (issue 19, defect 7): "a quick
 * erase that the dialog says 'takes a minute or so' ends in 7 ms and a 30 MB
 * '4x' burn in 1.25 s". On the app's clock both take seconds of wall time,
 * so their progress can be watched; tests and benches keep the clock off.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSpeed } from '../../contract/profiles.ts';
import { APP_CLOCK } from '../../virtual-recorder/src/index.ts';
import { V, bench, image } from '../test-kit.ts';
import { bytesSource } from './source.ts';

const MB30 = Math.ceil(30_000_000 / 2048);

async function wallMs(run: () => Promise<{ ok: boolean }>): Promise<number> {
  const started = Date.now();
  const r = await run();
  assert.ok(r.ok, JSON.stringify(r));
  return Date.now() - started;
}

describe("the app's virtual drive clock (issue 19, defect 7)", { timeout: 60_000 }, () => {
  it('a quick erase takes seconds and a 30 MB 4× CD burn several seconds; off, both are instant', async () => {
    const fourX = parseSpeed('4x', 'IMAPI_MEDIA_TYPE_CDRW');
    assert.equal(typeof fourX, 'number');
    const data = image(MB30, 7);
    const erase = async (clock: typeof APP_CLOCK | 'off') => {
      const b = bench({ media: 'cd-rw', clock });
      const s = b.session('A');
      // A disc with a session on it, then the quick erase the dialog offers.
      assert.ok((await s.service.burn(V, bytesSource(image(300, 1)), { clientName: 'E' })).ok);
      return wallMs(() => s.service.eraseMedia(V, { clientName: 'E' }));
    };
    const burn = async (clock: typeof APP_CLOCK | 'off') => {
      const b = bench({ media: 'cd-rw', clock });
      const ms = await wallMs(() =>
        b
          .session('A')
          .service.burn(V, bytesSource(data), { clientName: 'B', speedKBps: fourX as number }),
      );
      assert.equal(b.drive.state.writeSpeed, fourX, 'the drive wrote at 4×');
      return ms;
    };
    // Both at once: the test waits for the longer one only.
    const [appErase, appBurn] = await Promise.all([erase(APP_CLOCK), burn(APP_CLOCK)]);
    // Minimal BLANK is 30 s of drive time: 3 s at 10×. A 30 MB image at 4×
    // (600 KiB/s of user data) is ~50 s of drive time: ~5 s.
    assert.ok(appErase >= 2_000 && appErase < 20_000, `quick erase took ${appErase} ms`);
    assert.ok(appBurn >= 3_500 && appBurn < 40_000, `30 MB at 4× took ${appBurn} ms`);
    const [offErase, offBurn] = [await erase('off'), await burn('off')];
    assert.ok(offErase < 1_000, `with the clock off the erase took ${offErase} ms`);
    assert.ok(offBurn < appBurn / 2, `with the clock off the burn took ${offBurn} ms`);
  });
});
