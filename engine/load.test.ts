/**
 * Load on a shared drive (issue 20, part 7), the functional invariant only:
 * while one session burns 40 MB at 8× DVD on the virtual recorder with its
 * buffer model on, eight other sessions poll getMedia and getLockState as
 * fast as they are answered; the burn succeeds, the drive reports no buffer
 * underrun, and every poll is answered (and answered ok). The figures (speed
 * with and without pollers, latency percentiles) are a measurement:
 * `npm run bench -- load` (bench/load.bench.ts, which also holds the run).
 *
 * The clock is scaled by 8 so the burn takes about 3 s. Not more: the host
 * retries a WRITE the full buffer refused (LONG WRITE IN PROGRESS) after
 * about 20 ms of wall time, which at a factor of 20 is 400 ms of drive time,
 * more than the 4 MiB buffer lasts at 8× (0.38 s): the scaling itself would
 * starve the drive.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesSource, type ImageSource } from './recording/source.ts';
import { image } from './test-kit.ts';
import { DVD_X, runLoad } from '../bench/load.bench.ts';

const SECTORS = 20_000; // 40.96 MB
const CLOCK = { mode: 'scaled', factor: 8 } as const;

describe('load: eight pollers during a burn (issue 20, part 7)', { timeout: 120_000 }, () => {
  it('the burn completes with no buffer underrun and every poll is answered', async () => {
    const r = await runLoad({ sectors: SECTORS, speedKBps: 8 * DVD_X, pollers: 8, clock: CLOCK });
    assert.ok(r.ok, r.error);
    assert.equal(r.sectorsWritten, SECTORS);
    assert.equal(r.underruns, 0, 'the drive never ran dry');
    assert.deepEqual(r.failedPolls, []);
    assert.equal(r.answeredBy.length, 8);
    for (const [i, n] of r.answeredBy.entries()) assert.ok(n > 10, `poller ${i + 1} answered ${n}`);
  });

  it('the underrun count is real: a source that stalls mid-burn starves the drive', async () => {
    // Without this, "0 underruns" above could be a counter that never counts.
    // 300 ms of wall time at ×8 is 2.4 s of drive time; the full 4 MiB buffer lasts 0.38 s at 8×.
    const bytes = image(6000, 21);
    const stalling: ImageSource = {
      size: bytes.length,
      async *stream() {
        const half = 3000 * 2048;
        yield bytes.subarray(0, half);
        await new Promise((resolve) => setTimeout(resolve, 300));
        yield bytes.subarray(half);
      },
    };
    const r = await runLoad({
      sectors: 6000,
      speedKBps: 8 * DVD_X,
      pollers: 0,
      clock: CLOCK,
      source: stalling,
    });
    assert.ok(r.ok, r.error);
    assert.ok(r.underruns >= 1, `underruns: ${r.underruns}`);
  });

  it('an even source at the same speed has none (the count is not noise)', async () => {
    const r = await runLoad({
      sectors: 6000,
      speedKBps: 8 * DVD_X,
      pollers: 0,
      clock: CLOCK,
      source: bytesSource(image(6000, 21)),
    });
    assert.ok(r.ok, r.error);
    assert.equal(r.underruns, 0);
  });
});
