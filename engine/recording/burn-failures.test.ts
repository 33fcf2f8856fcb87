/**
 * Every failure path of a burn against the virtual recorder's fault
 * injection: the error says what and where, the lock and the tray are given
 * back, the result says what state the disc was left in, and the source image
 * is never modified.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemorySectorStore } from '../../virtual-recorder/src/index.ts';
import type { BurnReport, OperationFailure, Result } from '../../contract/api.ts';
import { V, armAtCommand, bench, image, ok } from '../test-kit.ts';
import { bytesSource } from './source.ts';

function failure(r: Result<BurnReport>): OperationFailure {
  if (r.ok) throw new Error('expected the burn to fail');
  return r.error as OperationFailure;
}

function released(b: ReturnType<typeof bench>) {
  return b.drive.state.prevent === false && b.drive.state.persistentPrevent === false;
}

describe('burn failure paths (fault injection)', () => {
  it('a write error at LBA N is reported with that LBA; lock and tray released; source untouched', async () => {
    const b = bench({ media: 'dvd-r' });
    const s = b.session('A');
    const src = image(400, 7);
    const copy = src.slice();
    b.drive.faults.writeErrorAt(250);
    const f = failure(await s.service.burn(V, bytesSource(src), { clientName: 'Test' }));
    assert.equal(f.sense?.key, 3);
    assert.equal(f.sense?.asc, 0x0c);
    assert.equal(f.sense?.information, 250);
    assert.match(f.message, /LBA 250/);
    assert.ok(f.lastWrittenLba !== null && f.lastWrittenLba < 250);
    assert.ok(f.disc, 'the result says what the disc is now');
    assert.equal(ok(await s.service.exclusiveAccessOwner(V)), '');
    assert.ok(released(b));
    assert.deepEqual(src, copy);
  });

  it('loss of streaming: E_IMAPI_LOSS_OF_STREAMING', async () => {
    const b = bench({ media: 'cd-r' });
    const s = b.session('A');
    b.drive.faults.lossOfStreaming();
    const f = failure(await s.service.burn(V, bytesSource(image(64, 1)), { clientName: 'Test' }));
    assert.equal(f.name, 'E_IMAPI_LOSS_OF_STREAMING');
    assert.equal(f.hresult, 0xc0aa0300);
    assert.ok(released(b));
  });

  it('a power calibration failure stops the burn before any data', async () => {
    const b = bench({ media: 'dvd+r' });
    const s = b.session('A');
    b.drive.faults.powerCalibrationFailure();
    const f = failure(await s.service.burn(V, bytesSource(image(64, 1)), { clientName: 'Test' }));
    assert.equal(f.sense?.asc, 0x73);
    assert.equal(f.lastWrittenLba, null);
    assert.equal(f.disc?.status, 'blank');
    assert.ok(released(b));
  });

  it('a disconnect mid-burn: DEV_NOT_EXIST, and no lock survives', async () => {
    const b = bench({ media: 'bd-r' });
    const s = b.session('A');
    const watcher = b.session('B');
    ok(await watcher.service.listRecorders());
    b.drive.faults.disconnectAfterBytes(512 * 1024);
    const f = failure(await s.service.burn(V, bytesSource(image(1024, 2)), { clientName: 'Test' }));
    assert.equal(f.name, 'HRESULT_FROM_WIN32_ERROR_DEV_NOT_EXIST');
    assert.equal(ok(await watcher.service.exclusiveAccessOwner(V)), '');
    b.drive.reconnect();
    assert.ok(released(b), 'the replugged drive is not locked');
  });

  it('a timeout during CLOSE SESSION: E_IMAPI_RECORDER_COMMAND_TIMEOUT, lock and tray released', async () => {
    const b = bench({ media: 'cd-r' });
    const s = b.session('A', { timeoutMs: 200 });
    // CLOSE TRACK/SESSION (5Bh) with function 2, close session.
    const armed = armAtCommand(
      b.drive,
      (cdb) => cdb[0] === 0x5b && (cdb[2]! & 0x07) === 2,
      () => b.drive.faults.noAnswer('csw'),
    );
    const f = failure(await s.service.burn(V, bytesSource(image(64, 4)), { clientName: 'Test' }));
    assert.ok(armed.fired);
    assert.equal(f.name, 'E_IMAPI_RECORDER_COMMAND_TIMEOUT');
    assert.equal(ok(await s.service.exclusiveAccessOwner(V)), '');
    assert.ok(released(b));
  });

  it('cancel mid-write: E_IMAPI_REQUEST_CANCELLED; lock released; the disc state is reported', async () => {
    const b = bench({ media: 'dvd+r' });
    const s = b.session('A');
    const src = image(2048, 9);
    const copy = src.slice();
    let cancelled = false;
    void s.service.subscribe((e) => {
      if (
        !cancelled &&
        e.type === 'progress' &&
        e.progress.action === 'writing' &&
        (e.progress.lastWrittenLba ?? 0) > 0
      ) {
        cancelled = true;
        void s.service.cancelOperation(V);
      }
    });
    const f = failure(
      await s.service.burn(V, bytesSource(src), { clientName: 'Test', chunkSectors: 32 }),
    );
    assert.ok(cancelled);
    assert.equal(f.name, 'E_IMAPI_REQUEST_CANCELLED');
    assert.equal(f.hresult, 0xc0aa0002);
    assert.ok(f.lastWrittenLba !== null && f.lastWrittenLba < 2047);
    assert.ok(f.disc && f.disc.status !== 'complete', `disc left ${f.disc?.status}`);
    assert.equal(ok(await s.service.exclusiveAccessOwner(V)), '');
    assert.ok(released(b));
    assert.deepEqual(src, copy);
  });

  it('cancel during verification: written and closed, reported as such, not as a failed burn (issue 19, defect 4)', async () => {
    const b = bench({ media: 'dvd+r' });
    const s = b.session('A');
    let cancelled = false;
    void s.service.subscribe((e) => {
      if (!cancelled && e.type === 'progress' && e.progress.action === 'verifying') {
        cancelled = true;
        void s.service.cancelOperation(V);
      }
    });
    const r = await s.service.burn(V, bytesSource(image(2048, 10)), {
      clientName: 'Test',
      chunkSectors: 32,
      verify: 'full',
      close: true,
    });
    assert.ok(cancelled);
    assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
    assert.equal(r.value.verifyCancelled, true);
    assert.equal(r.value.sha256, null);
    assert.equal(r.value.disc.status, 'complete');
    assert.equal(ok(await s.service.exclusiveAccessOwner(V)), '');
    assert.ok(released(b));
  });

  it('a bad sector read back fails verification with E_IMAPI_BURN_VERIFICATION_FAILED and the first bad LBA', async () => {
    class CorruptAt extends MemorySectorStore {
      override async read(lba: number, count: number): Promise<Uint8Array> {
        const data = await super.read(lba, count);
        if (lba <= 77 && 77 < lba + count) data[(77 - lba) * 2048 + 5]! ^= 0xff;
        return data;
      }
    }
    const b = bench({ media: 'dvd-r', storeFactory: () => new CorruptAt() });
    const s = b.session('A');
    const f = failure(
      await s.service.burn(V, bytesSource(image(200, 5)), { clientName: 'Test', verify: 'full' }),
    );
    assert.equal(f.name, 'E_IMAPI_BURN_VERIFICATION_FAILED');
    assert.equal(f.hresult, 0xc0aa0007);
    assert.equal(f.firstBadLba, 77);
    assert.ok(released(b));
  });

  it('refuses while another session owns the drive, and refuses unwritable or full media', async () => {
    const b = bench({ media: 'cd-r' });
    ok(await b.session('Owner').service.acquireExclusiveAccess(V, false, 'Owner'));
    const other = b.session('B');
    assert.equal(
      failure(await other.service.burn(V, bytesSource(image(8, 1)), { clientName: 'B' })).name,
      'E_IMAPI_RECORDER_LOCKED',
    );
    const rom = bench({ media: 'dvd-rom' }).session('C');
    assert.equal(
      failure(await rom.service.burn(V, bytesSource(image(8, 1)), { clientName: 'C' })).name,
      'E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED',
    );
    const empty = bench({ media: 'none' }).session('D');
    assert.equal(
      failure(await empty.service.burn(V, bytesSource(image(8, 1)), { clientName: 'D' })).name,
      'E_IMAPI_RECORDER_MEDIA_NO_MEDIA',
    );
    const tooBig = { size: 400_000 * 2048, stream: async function* () {} };
    const cd = bench({ media: 'cd-r' }).session('E');
    assert.equal(
      failure(await cd.service.burn(V, tooBig, { clientName: 'E' })).name,
      'E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA',
    );
    assert.equal(
      failure(await cd.service.burn(V, bytesSource(image(8, 1)), { clientName: 'bad/name' })).name,
      'E_INVALIDARG',
    );
  });
});
