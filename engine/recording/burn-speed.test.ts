/**
 * Write speed and DVD+R DL finalisation (issue 13, item 15): SET STREAMING
 * with GET PERFORMANCE's list for DVD and BD, SET CD SPEED for CD, and the
 * speed the drive really took reported (docs/real-drives.md §4).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { V, bench, image } from '../test-kit.ts';
import { bytesSource } from './source.ts';

const DVD_X = 1385;
const names = (log: readonly { name: string }[]) => log.map((e) => e.name);

describe('write speed (issue 13, item 15)', () => {
  it('DVD: SET STREAMING from GET PERFORMANCE, where SET CD SPEED changes nothing', async () => {
    const b = bench({ media: 'dvd-r', cdSpeedForDvdBd: false });
    const s = b.session('A');
    const r = await s.service.burn(V, bytesSource(image(32, 1)), {
      clientName: 'Speed',
      speedKBps: 4 * DVD_X + 10, // the slowest, 4x, and a little
    });
    assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
    assert.equal(b.drive.state.writeSpeed, 4 * DVD_X, 'the drive writes at 4x');
    assert.equal(r.value.speedKBps, 4 * DVD_X);
    const log = names(b.drive.log);
    assert.ok(log.includes('GET PERFORMANCE') && log.includes('SET STREAMING'), log.join(', '));
    assert.ok(!log.includes('SET CD SPEED'));
  });

  it('BD: the same through SET STREAMING', async () => {
    const b = bench({ media: 'bd-r', cdSpeedForDvdBd: false });
    const r = await b.session('A').service.burn(V, bytesSource(image(32, 1)), {
      clientName: 'Speed',
      speedKBps: 2 * 4495,
    });
    assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
    assert.equal(b.drive.state.writeSpeed, 2 * 4495);
    assert.equal(r.value.speedKBps, 2 * 4495);
  });

  for (const [media, asked, cap] of [
    ['dvd+r', 16 * DVD_X, 8 * DVD_X],
    ['cd-r', Math.round(48 * 176.4), Math.round(16 * 176.4)],
  ] as const) {
    it(`${media}: the report says the speed the drive picked, not the one asked for`, async () => {
      const b = bench({ media, writeSpeedCap: cap });
      const r = await b.session('A').service.burn(V, bytesSource(image(300, 2)), {
        clientName: 'Speed',
        speedKBps: asked,
      });
      assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
      assert.equal(b.drive.state.writeSpeed, cap);
      assert.equal(r.value.speedKBps, cap);
    });
  }

  it('with no speed asked for, the report still says the speed in effect', async () => {
    const b = bench({ media: 'dvd+r' });
    const r = await b
      .session('A')
      .service.burn(V, bytesSource(image(16, 3)), { clientName: 'Max' });
    assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
    assert.equal(r.value.speedKBps, 16 * DVD_X);
  });

  it('CD: SET CD SPEED, not SET STREAMING', async () => {
    const b = bench({ media: 'cd-rw' });
    const r = await b.session('A').service.burn(V, bytesSource(image(300, 4)), {
      clientName: 'CD',
      speedKBps: Math.round(10 * 176.4),
    });
    assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
    assert.equal(r.value.speedKBps, Math.round(10 * 176.4));
    const log = names(b.drive.log);
    assert.ok(log.includes('SET CD SPEED') && !log.includes('SET STREAMING'), log.join(', '));
  });
});

describe('DVD+R DL finalisation (issue 13, item 15)', () => {
  /** CLOSE TRACK/SESSION functions in the order sent (CDB byte 2, bits 2:0). */
  const closes = (log: readonly { opcode: number; cdb: string }[]) =>
    log.filter((e) => e.opcode === 0x5b).map((e) => Number.parseInt(e.cdb.slice(4, 6), 16) & 7);

  it('DVD+R DL closes with 101b, finalize with minimal radius (growisofs)', async () => {
    const b = bench({ media: 'dvd+r-dl' });
    const r = await b.session('A').service.burn(V, bytesSource(image(32, 5)), {
      clientName: 'DL',
      close: true,
    });
    assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
    assert.deepEqual(closes(b.drive.log), [1, 5]);
    assert.equal(r.value.disc.status, 'complete');
  });

  for (const media of ['dvd+r', 'bd-r'] as const) {
    it(`${media} closes with 110b`, async () => {
      const b = bench({ media });
      const r = await b.session('A').service.burn(V, bytesSource(image(32, 5)), {
        clientName: 'Close',
        close: true,
      });
      assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
      assert.deepEqual(closes(b.drive.log), [1, 6]);
    });
  }
});
