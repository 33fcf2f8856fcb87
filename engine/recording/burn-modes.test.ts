/** Write modes: CD session-at-once with a cue sheet, DVD-R disc-at-once, and test write (simulation). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { V, bench, image, ok } from '../test-kit.ts';
import { bytesSource } from './source.ts';

describe('write modes', () => {
  for (const media of ['cd-r', 'cd-rw'] as const) {
    it(`${media}: session-at-once sends a cue sheet, writes from LBA 0 and closes on SYNCHRONIZE CACHE`, async () => {
      const b = bench({ media });
      const s = b.session('A');
      const data = image(400, 21);
      const r = await s.service.burn(V, bytesSource(data), {
        clientName: 'SAO',
        writeType: 'sao',
        verify: 'full',
      });
      assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
      assert.equal(r.value.writeType, 'sao');
      assert.equal(r.value.startLba, 0);
      const ops = b.drive.log.map((e) => e.opcode);
      assert.ok(ops.includes(0x5d), 'SEND CUE SHEET');
      assert.ok(!ops.includes(0x5b), 'no CLOSE TRACK/SESSION in SAO');
      assert.deepEqual(ok(await s.service.readSectors(V, 0, 400)), data);
      assert.equal(r.value.disc.sessions, 1);
      assert.ok(r.value.disc.status === 'appendable' || r.value.disc.status === 'complete');
    });
  }

  it('a short image is padded to the 300-block minimum the cue sheet promises', async () => {
    const b = bench({ media: 'cd-r' });
    const r = await b.session('A').service.burn(V, bytesSource(image(10, 1)), {
      clientName: 'SAO',
      writeType: 'sao',
      close: true,
    });
    assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
    assert.equal(r.value.lastWrittenLba, 299);
    assert.equal(r.value.disc.status, 'complete');
  });

  it('session-at-once refuses a disc that is not blank', async () => {
    const b = bench({ media: 'cd-r' });
    const s = b.session('A');
    ok(await s.service.burn(V, bytesSource(image(300, 1)), { clientName: 'TAO' }));
    const r = await s.service.burn(V, bytesSource(image(300, 2)), {
      clientName: 'SAO',
      writeType: 'sao',
    });
    assert.equal(r.ok ? '' : r.error.name, 'E_IMAPI_DF2DATA_INVALID_MEDIA_STATE');
  });

  it('DVD-R disc-at-once reserves the track and closes the disc', async () => {
    const b = bench({ media: 'dvd-r' });
    const r = await b.session('A').service.burn(V, bytesSource(image(500, 4)), {
      clientName: 'DAO',
      close: true,
      verify: 'full',
    });
    assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
    assert.equal(r.value.writeType, 'dao');
    assert.ok(
      b.drive.log.some((e) => e.opcode === 0x53),
      'RESERVE TRACK',
    );
    assert.equal(r.value.disc.status, 'complete');
  });

  for (const media of ['cd-r', 'dvd-r', 'dvd-rw'] as const) {
    it(`${media}: a test write goes through the motions and leaves the disc blank`, async () => {
      const b = bench({ media });
      const s = b.session('A');
      const r = await s.service.burn(V, bytesSource(image(300, 5)), {
        clientName: 'Sim',
        simulate: true,
        verify: 'full',
      });
      assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
      assert.equal(r.value.simulated, true);
      assert.equal(r.value.verify, 'none', 'nothing to verify after a simulation');
      assert.equal(r.value.disc.status, 'blank');
      assert.ok(b.drive.counters.sectorsSimulated >= 300);
    });
  }

  it('refuses a test write where the medium has none (DVD+R, BD)', async () => {
    for (const media of ['dvd+r', 'bd-r', 'dvd+rw'] as const) {
      const r = await bench({ media })
        .session('A')
        .service.burn(V, bytesSource(image(16, 1)), { clientName: 'Sim', simulate: true });
      assert.equal(r.ok ? '' : r.error.name, 'E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED', media);
    }
  });
});
