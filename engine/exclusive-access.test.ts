/**
 * Every rule of ../shared/docs/exclusive-access.md against the virtual
 * recorder, with the error codes it lists.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HRESULT } from '../contract/hresult.ts';
import { V, armAtCommand, bench, failed, ok } from './test-kit.ts';

const ops = (b: ReturnType<typeof bench>) => b.drive.log.map((e) => e.opcode);
/** PREVENT in either form (MMC-6 §6.12: Prevent, or Persistent Prevent). */
const locked = (b: ReturnType<typeof bench>) =>
  b.drive.state.prevent || b.drive.state.persistentPrevent;

describe('AcquireExclusiveAccess: client name (IOCTL_CDROM_EXCLUSIVE_ACCESS rules)', () => {
  for (const [what, name] of [
    ['empty', ''],
    ['64 characters', 'a'.repeat(64)],
    ['a slash', 'bad/name'],
    ['a non-ASCII letter', 'Brënner'],
    ['a tab', 'a\tb'],
  ] as const) {
    it(`refuses ${what} with E_INVALIDARG and changes nothing`, async () => {
      const b = bench();
      const a = b.session('A');
      const before = b.drive.log.length;
      const r = await a.service.acquireExclusiveAccess(V, false, name);
      assert.equal(failed(r), 'E_INVALIDARG');
      assert.equal(r.ok ? 0 : r.error.hresult, HRESULT.E_INVALIDARG);
      assert.equal(b.drive.log.length, before, 'no SCSI traffic');
      assert.equal(ok(await a.service.exclusiveAccessOwner(V)), '');
    });
  }

  it('accepts 63 characters of every allowed class', async () => {
    const b = bench();
    const name = 'Az09 .,:;-_'.padEnd(63, 'x');
    const lock = ok(await b.session('A').service.acquireExclusiveAccess(V, false, name));
    assert.equal(lock.owner, name);
  });
});

describe('AcquireExclusiveAccess / ReleaseExclusiveAccess', () => {
  it('count 0: becomes owner with count 1, PREVENT and RESERVE on the drive, name visible to all', async () => {
    const b = bench();
    const a = b.session('A');
    const other = b.session('B');
    const lock = ok(await a.service.acquireExclusiveAccess(V, false, 'Burner One'));
    assert.equal(lock.count, 1);
    assert.equal(lock.ownedByMe, true);
    assert.equal(locked(b), true);
    assert.equal(b.drive.state.reserved, true);
    assert.equal(b.drive.state.claimed, true);
    assert.equal(ok(await other.service.exclusiveAccessOwner(V)), 'Burner One');
    const seen = ok(await other.service.getLockState(V));
    assert.equal(seen.busy, true);
    assert.equal(seen.owner, 'Burner One');
  });

  it('same session again: count + 1 and no SCSI traffic', async () => {
    const b = bench();
    const a = b.session('A');
    ok(await a.service.acquireExclusiveAccess(V, false, 'App'));
    const before = b.drive.log.length;
    const lock = ok(await a.service.acquireExclusiveAccess(V, true, 'App'));
    assert.equal(lock.count, 2);
    assert.equal(b.drive.log.length, before);
  });

  it('another session gets E_ACCESS_DENIED at once, never queued', async () => {
    const b = bench();
    ok(await b.session('A').service.acquireExclusiveAccess(V, false, 'First'));
    const started = Date.now();
    const r = await b.session('B').service.acquireExclusiveAccess(V, false, 'Second');
    assert.equal(failed(r), 'E_ACCESS_DENIED');
    assert.equal(r.ok ? 0 : r.error.hresult, 0x80070005);
    assert.match(r.ok ? '' : r.error.message, /"First"/);
    assert.ok(Date.now() - started < 1000);
  });

  it('a drive without RESERVE(6) (5/20/00) is remembered, not an error', async () => {
    const b = bench({ media: 'cd-r', reserveSupported: false });
    const a = b.session('A');
    ok(await a.service.acquireExclusiveAccess(V, false, 'App'));
    ok(await a.service.releaseExclusiveAccess(V));
    ok(await a.service.acquireExclusiveAccess(V, false, 'App'));
    assert.equal(ops(b).filter((o) => o === 0x16).length, 1, 'RESERVE tried once only');
    assert.equal(locked(b), true);
  });

  it('release: count - 1; at 0 ALLOW, RELEASE(6), interface released, others told the medium reappeared', async () => {
    const b = bench();
    const a = b.session('A');
    const other = b.session('B');
    ok(await other.service.listRecorders()); // B has the app open
    ok(await a.service.acquireExclusiveAccess(V, false, 'App'));
    ok(await a.service.acquireExclusiveAccess(V, false, 'App'));
    assert.equal(ok(await a.service.releaseExclusiveAccess(V)).count, 1);
    assert.equal(locked(b), true);
    const lock = ok(await a.service.releaseExclusiveAccess(V));
    assert.equal(lock.count, 0);
    assert.equal(locked(b), false);
    assert.equal(b.drive.state.reserved, false);
    assert.ok(ops(b).includes(0x17), 'RELEASE(6) sent');
    assert.equal(ok(await other.service.exclusiveAccessOwner(V)), '');
    await new Promise((r) => setTimeout(r, 20));
    assert.ok(
      other.events.some((e) => e.type === 'media'),
      'B re-read the medium',
    );
  });

  it('the last release gives the USB interface back', async () => {
    const b = bench();
    const a = b.session('A');
    ok(await a.service.acquireExclusiveAccess(V, false, 'App'));
    // This session's handle on the drive (each session has its own, as tabs do).
    const handle = (await a.service.recorder(V)).device;
    assert.equal(handle.opened, true);
    assert.equal(handle.configuration?.interfaces[0]?.claimed, true);
    ok(await a.service.releaseExclusiveAccess(V));
    assert.equal(handle.opened, false);
  });

  it('release by a session that does not own it: E_IMAPI_RECORDER_LOCKED', async () => {
    const b = bench();
    ok(await b.session('A').service.acquireExclusiveAccess(V, false, 'App'));
    const r = await b.session('B').service.releaseExclusiveAccess(V);
    assert.equal(failed(r), 'E_IMAPI_RECORDER_LOCKED');
    assert.equal(r.ok ? 0 : r.error.hresult, 0xc0aa0210);
  });

  it('release at count 0 is an error, never a silent no-op', async () => {
    const b = bench();
    const r = await b.session('A').service.releaseExclusiveAccess(V);
    assert.equal(failed(r), 'E_FAIL');
  });

  it('exclusiveAccessOwner is empty when free', async () => {
    assert.equal(ok(await bench().session('A').service.exclusiveAccessOwner(V)), '');
  });
});

describe('force and the OS', () => {
  it('force = false fails with E_ACCESS_DENIED while the OS has the drive mounted, and leaves nothing', async () => {
    const b = bench({ media: 'cd-rom', mountedByOs: true });
    const a = b.session('A');
    assert.equal(
      failed(await a.service.acquireExclusiveAccess(V, false, 'App')),
      'E_ACCESS_DENIED',
    );
    assert.equal(ok(await a.service.exclusiveAccessOwner(V)), '');
    assert.equal(locked(b), false);
    assert.equal(b.drive.mountedByOs, true);
  });

  it('force = true dismounts, and the last release mounts again', async () => {
    const b = bench({ media: 'cd-rom', mountedByOs: true });
    const a = b.session('A');
    ok(await a.service.acquireExclusiveAccess(V, true, 'App'));
    assert.equal(b.drive.mountedByOs, false);
    ok(await a.service.releaseExclusiveAccess(V));
    assert.equal(b.drive.mountedByOs, true);
  });
});

describe('operations while another session owns the drive', () => {
  it('eject, close tray, raw commands and erase fail with E_IMAPI_RECORDER_LOCKED; identity stays readable', async () => {
    const b = bench({ media: 'cd-rw' });
    const a = b.session('A');
    const other = b.session('B');
    const info = ok(await other.service.getInfo(V));
    ok(await a.service.acquireExclusiveAccess(V, false, 'Owner'));
    assert.equal(failed(await other.service.ejectMedia(V)), 'E_IMAPI_RECORDER_LOCKED');
    assert.equal(failed(await other.service.closeTray(V)), 'E_IMAPI_RECORDER_LOCKED');
    assert.equal(
      failed(await other.service.sendCommand(V, '000000000000', { direction: 'none' })),
      'E_IMAPI_RECORDER_LOCKED',
    );
    assert.equal(failed(await other.service.openExclusive(V)), 'E_ACCESS_DENIED');
    assert.deepEqual(ok(await other.service.getInfo(V)), info);
    assert.equal(b.drive.state.trayOpen, false);
  });
});

describe('tray lock counting', () => {
  it('the owner may eject: ALLOW, eject, the logical lock stays; the next load re-sends PREVENT', async () => {
    const b = bench();
    const a = b.session('A');
    ok(await a.service.acquireExclusiveAccess(V, false, 'App'));
    ok(await a.service.ejectMedia(V));
    assert.equal(b.drive.state.trayOpen, true);
    assert.equal(locked(b), false);
    const lock = ok(await a.service.getLockState(V));
    assert.equal(lock.count, 1);
    assert.equal(ok(await b.session('B').service.exclusiveAccessOwner(V)), 'App');
    ok(await a.service.closeTray(V));
    assert.equal(b.drive.state.trayOpen, false);
    assert.equal(locked(b), true);
  });

  it('after a reset recovery while locked, PREVENT and RESERVE are asserted again', async () => {
    const b = bench();
    const a = b.session('A');
    ok(await a.service.acquireExclusiveAccess(V, false, 'App'));
    b.drive.faults.phaseError();
    assert.equal(
      failed(await a.service.getMedia(V)),
      'E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE',
    );
    // The reset cleared them on the drive (as the Linux gadget does); the host put them back.
    assert.ok(b.drive.preventHistory.some((t) => String(t.cause).includes('reset')));
    assert.equal(locked(b), true);
    assert.equal(b.drive.state.reserved, true);
  });
});

describe('crashes and stale locks', () => {
  it("a dead owner's record frees itself; the next session to look clears its PREVENT (issue 19, defect 3)", async () => {
    const b = bench();
    ok(await b.session('A').service.acquireExclusiveAccess(V, false, 'Crashy'));
    b.coordinator.killSession('A'); // the tab is closed: its record goes, its PREVENT stays
    assert.equal(locked(b), true);
    const survivor = b.session('B');
    const history = b.drive.preventHistory.length;
    const seen = ok(await survivor.service.getLockState(V));
    assert.equal(seen.owner, '');
    assert.equal(seen.stale, false, 'cleared, not left for "Unlock tray"');
    assert.equal(seen.trayLocked, false);
    assert.equal(locked(b), false);
    const cleared = b.drive.preventHistory.slice(history).map((t) => t.prevent || t.persistent);
    assert.equal(cleared.at(-1), false, 'the look sent ALLOW');
    ok(await survivor.service.acquireExclusiveAccess(V, false, 'Survivor'));
    assert.equal(locked(b), true);
  });

  it('"unlock tray" clears a stale PREVENT, and is refused while a live session owns the drive', async () => {
    const b = bench();
    ok(await b.session('A').service.acquireExclusiveAccess(V, false, 'Alive'));
    const other = b.session('B');
    assert.equal(failed(await other.service.unlockTray(V)), 'E_IMAPI_RECORDER_LOCKED');
    b.coordinator.killSession('A');
    ok(await other.service.unlockTray(V));
    assert.equal(locked(b), false);
    assert.equal(ok(await other.service.getLockState(V)).stale, false);
  });
});

describe('failure paths leave no lock and no locked tray', () => {
  it('a timeout during PREVENT: E_IMAPI_RECORDER_COMMAND_TIMEOUT, then free and unlocked', async () => {
    const b = bench();
    const a = b.session('A', { timeoutMs: 150 });
    ok(await a.service.getMedia(V)); // connected and past the power-on unit attention
    // Arm "no answer" the moment the first PREVENT's CBW reaches the drive.
    const armed = armAtCommand(
      b.drive,
      (cdb) => cdb[0] === 0x1e,
      () => b.drive.faults.noAnswer('csw'),
    );
    const r = await a.service.acquireExclusiveAccess(V, false, 'App');
    assert.ok(armed.fired);
    assert.equal(failed(r), 'E_IMAPI_RECORDER_COMMAND_TIMEOUT');
    assert.equal(r.ok ? 0 : r.error.hresult, 0xc0aa020d);
    assert.equal(ok(await b.session('C').service.exclusiveAccessOwner(V)), '');
    assert.equal(locked(b), false);
    assert.equal(ok(await a.service.getLockState(V)).count, 0);
  });

  it('a disconnect while locked: DEV_NOT_EXIST, the record is freed, the replugged drive is unlocked', async () => {
    const b = bench();
    const a = b.session('A');
    const watcher = b.session('B');
    ok(await watcher.service.listRecorders());
    ok(await a.service.acquireExclusiveAccess(V, false, 'App'));
    b.drive.faults.disconnectAtCommand(1);
    const r = await a.service.ejectMedia(V);
    assert.equal(failed(r), 'HRESULT_FROM_WIN32_ERROR_DEV_NOT_EXIST');
    assert.equal(r.ok ? 0 : r.error.hresult, 0x80070037);
    assert.equal(ok(await watcher.service.exclusiveAccessOwner(V)), '');
    b.drive.reconnect();
    assert.equal(locked(b), false);
    const again = b.session('C');
    ok(await again.service.acquireExclusiveAccess(V, false, 'Next'));
  });

  it('a device that is gone: acquire fails with HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)', async () => {
    const b = bench();
    const a = b.session('A');
    ok(await a.service.getMedia(V));
    b.drive.disconnect();
    assert.equal(
      failed(await a.service.acquireExclusiveAccess(V, false, 'App')),
      'HRESULT_FROM_WIN32_ERROR_DEV_NOT_EXIST',
    );
  });
});

describe('IMAPI v1 facade', () => {
  it('openExclusive / close over the same core; a second open is IMAPI_E_ALREADYOPEN', async () => {
    const b = bench({ media: 'cd-rw' });
    const a = b.session('A');
    ok(await a.service.openExclusive(V));
    assert.equal(locked(b), true);
    assert.equal(failed(await a.service.openExclusive(V)), 'IMAPI_E_ALREADYOPEN');
    assert.equal(
      ok(await b.session('B').service.exclusiveAccessOwner(V)),
      'IMAPI v1 IDiscRecorder',
    );
    ok(await a.service.close(V));
    assert.equal(locked(b), false);
  });

  it('queryMediaType, queryMediaInfo, eject and erase need openExclusive (IMAPI_E_NOTOPENED)', async () => {
    const a = bench({ media: 'cd-rw' }).session('A');
    assert.equal(failed(await a.service.queryMediaType(V)), 'IMAPI_E_NOTOPENED');
    assert.equal(failed(await a.service.queryMediaInfo(V)), 'IMAPI_E_NOTOPENED');
    assert.equal(failed(await a.service.eject(V)), 'IMAPI_E_NOTOPENED');
    assert.equal(failed(await a.service.erase(V, false)), 'IMAPI_E_NOTOPENED');
    assert.equal(failed(await a.service.close(V)), 'IMAPI_E_NOTOPENED');
  });

  it('queryMediaType and queryMediaInfo describe the disc', async () => {
    const a = bench({ media: 'cd-rw' }).session('A');
    ok(await a.service.openExclusive(V));
    assert.deepEqual(ok(await a.service.queryMediaType(V)), {
      type: 'IMAPI_MEDIA_TYPE_CDRW',
      blank: true,
      rewritable: true,
      writable: true,
    });
    const info = ok(await a.service.queryMediaInfo(V));
    assert.equal(info.sessions, 0);
    assert.ok(info.freeBlocks > 300_000);
  });

  it('a v1-open recorder refuses IMAPI2 acquire (IMAPI_E_DEVICE_NOTACCESSIBLE), and the reverse', async () => {
    const b = bench();
    const a = b.session('A');
    ok(await a.service.openExclusive(V));
    assert.equal(
      failed(await a.service.acquireExclusiveAccess(V, false, 'App')),
      'IMAPI_E_DEVICE_NOTACCESSIBLE',
    );
    ok(await a.service.close(V));
    ok(await a.service.acquireExclusiveAccess(V, false, 'App'));
    assert.equal(failed(await a.service.openExclusive(V)), 'IMAPI_E_DEVICE_NOTACCESSIBLE');
  });

  it('erase(full=false) blanks a CD-RW with progress; a CD-R cannot be erased', async () => {
    const b = bench({ media: 'cd-rw' });
    const a = b.session('A');
    ok(await a.service.openExclusive(V));
    ok(await a.service.erase(V, false));
    assert.ok(ops(b).includes(0xa1), 'BLANK sent');
    assert.equal(locked(b), true, 'still open: the tray stays locked');
    ok(await a.service.close(V));
    const c = bench({ media: 'cd-r' }).session('C');
    ok(await c.service.openExclusive(V));
    assert.equal(failed(await c.service.erase(V, false)), 'E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE');
  });
});

describe('errors cross the boundary as values', () => {
  it('carry hresult, name, message and sense', async () => {
    const b = bench({ media: 'none' });
    ok(await b.session('Z').service.getMedia(V)); // past the power-on unit attention
    const r = await b
      .session('A')
      .service.sendCommand(V, '28 00 00 00 00 00 00 00 01 00', { direction: 'in', length: 2048 });
    const raw = ok(r);
    assert.equal(raw.status, 'check-condition');
    assert.equal(raw.sense?.key, 2);
    assert.equal(raw.sense?.asc, 0x3a);
    const m = await b.session('B').service.ejectMedia(V);
    assert.ok(m.ok);
    const e = await b.session('C').service.acquireExclusiveAccess(V, false, '');
    assert.ok(!e.ok);
    assert.deepEqual(Object.keys(e.error).sort(), ['hresult', 'message', 'name', 'sense']);
    assert.equal(structuredClone(e.error).name, 'E_INVALIDARG');
  });
});
