/**
 * Failure paths of the other device operations, against the virtual
 * recorder's fault injection: eject, close tray, erase, read, raw commands
 * and media reads. Each gives a typed error and leaves no lock and no locked
 * tray behind.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OperationFailure } from '../contract/api.ts';
import { V, armAtCommand, bench, failed, ok } from './test-kit.ts';

const locked = (b: ReturnType<typeof bench>) =>
  b.drive.state.prevent || b.drive.state.persistentPrevent;

describe('operation failure paths (fault injection)', () => {
  it('eject on a drive a dead session left locked: refused with the reason (5/53/02)', async () => {
    const b = bench({ media: 'cd-r' });
    ok(await b.session('A').service.acquireExclusiveAccess(V, false, 'Gone'));
    b.coordinator.killSession('A');
    const r = await b.session('B').service.ejectMedia(V);
    assert.equal(failed(r), 'E_IMAPI_RECORDER_LOCKED');
    assert.ok(!r.ok && r.error.sense?.asc === 0x53 && r.error.sense.ascq === 0x02);
    assert.match(r.ok ? '' : r.error.message, /Unlock tray/);
    assert.equal(b.drive.state.trayOpen, false);
  });

  it('unlock tray on a drive that is unplugged: DEV_NOT_EXIST, and nothing is left held', async () => {
    const b = bench({ media: 'cd-r' });
    ok(await b.session('A').service.acquireExclusiveAccess(V, false, 'Gone'));
    b.coordinator.killSession('A');
    const s = b.session('B');
    ok(await s.service.listRecorders());
    b.drive.faults.disconnectAtCommand(1);
    assert.equal(failed(await s.service.unlockTray(V)), 'HRESULT_FROM_WIN32_ERROR_DEV_NOT_EXIST');
    assert.equal(ok(await s.service.exclusiveAccessOwner(V)), '');
    assert.equal(
      failed(await s.service.unlockTray(V)),
      'HRESULT_FROM_WIN32_ERROR_DEV_NOT_EXIST',
      'and at once afterwards',
    );
  });

  it('IMAPI v1 openExclusive whose PREVENT never answers: a timeout, and the recorder is not left open', async () => {
    const b = bench({ media: 'cd-rw' });
    const s = b.session('A', { timeoutMs: 150 });
    ok(await s.service.getMedia(V));
    const armed = armAtCommand(
      b.drive,
      (cdb) => cdb[0] === 0x1e,
      () => b.drive.faults.noAnswer('csw'),
    );
    assert.equal(failed(await s.service.openExclusive(V)), 'E_IMAPI_RECORDER_COMMAND_TIMEOUT');
    assert.ok(armed.fired);
    assert.equal(failed(await s.service.queryMediaType(V)), 'IMAPI_E_NOTOPENED');
    assert.equal(locked(b), false);
    ok(await s.service.openExclusive(V));
  });

  it('close tray that never answers: E_IMAPI_RECORDER_COMMAND_TIMEOUT, and the drive recovers', async () => {
    const b = bench({ media: 'dvd+r' });
    const s = b.session('A', { timeoutMs: 150 });
    ok(await s.service.ejectMedia(V));
    b.drive.faults.noAnswer('csw');
    assert.equal(failed(await s.service.closeTray(V)), 'E_IMAPI_RECORDER_COMMAND_TIMEOUT');
    ok(await s.service.closeTray(V));
    assert.equal(b.drive.state.trayOpen, false);
  });

  it('a disconnect during an erase: DEV_NOT_EXIST, the lock is freed', async () => {
    const b = bench({ media: 'cd-rw' });
    const s = b.session('A');
    const watcher = b.session('B');
    ok(await watcher.service.listRecorders());
    ok(await s.service.getMedia(V));
    b.drive.faults.disconnectAtCommand(3);
    const r = await s.service.eraseMedia(V, { clientName: 'Eraser' });
    assert.equal(failed(r), 'HRESULT_FROM_WIN32_ERROR_DEV_NOT_EXIST');
    assert.equal(ok(await watcher.service.exclusiveAccessOwner(V)), '');
    b.drive.reconnect();
    assert.equal(locked(b), false);
  });

  it('an erase whose BLANK ends in a phase error reports it and gives lock and tray back', async () => {
    const b = bench({ media: 'dvd-rw' });
    const s = b.session('A', { timeoutMs: 150 });
    ok(await s.service.getMedia(V));
    // Arm the fault the moment the BLANK command block reaches the drive.
    const armed = armAtCommand(
      b.drive,
      (cdb) => cdb[0] === 0xa1,
      () => b.drive.faults.phaseError(),
    );
    const r = await s.service.eraseMedia(V, { clientName: 'Eraser' });
    assert.ok(armed.fired);
    assert.equal(failed(r), 'E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE');
    const disc = r.ok ? null : (r.error as OperationFailure).disc;
    assert.equal(
      disc?.physicalType,
      'IMAPI_MEDIA_TYPE_DVDDASHRW',
      'the failure says what the disc is now',
    );
    assert.equal(ok(await s.service.exclusiveAccessOwner(V)), '');
    assert.equal(locked(b), false);
  });

  it('a read error is reported with its LBA', async () => {
    const b = bench({ media: 'dvd-rom' });
    const s = b.session('A');
    b.drive.faults.readErrorAt(12);
    const r = await s.service.readSectors(V, 10, 4);
    assert.ok(!r.ok);
    assert.equal(r.error.sense?.key, 3);
    assert.equal(r.error.sense?.asc, 0x11);
    assert.equal(r.error.sense?.information, 12);
    assert.match(r.error.message, /LBA 12/);
    assert.deepEqual(ok(await s.service.readSectors(V, 10, 2)).length, 4096, 'the drive goes on');
  });

  it('a raw command whose CSW is corrupt: the transport resets and the next command works', async () => {
    const b = bench({ media: 'cd-r' });
    const s = b.session('A');
    ok(await s.service.getMedia(V));
    b.drive.faults.badCswSignature();
    assert.equal(
      failed(await s.service.sendCommand(V, '00 00 00 00 00 00', { direction: 'none' })),
      'E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE',
    );
    assert.equal(
      ok(await s.service.sendCommand(V, '00 00 00 00 00 00', { direction: 'none' })).status,
      'check-condition',
      'the reset raised a unit attention',
    );
    assert.equal(
      ok(await s.service.sendCommand(V, '00 00 00 00 00 00', { direction: 'none' })).status,
      'good',
    );
  });

  it('media and info reads that stall twice end in a typed error, not a hang', async () => {
    const b = bench({ media: 'bd-r' });
    const s = b.session('A', { timeoutMs: 300 });
    b.drive.faults.stallCsw(2);
    const r = await s.service.getInfo(V);
    assert.ok(!r.ok);
    assert.equal(r.error.name, 'E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE');
    ok(await s.service.getInfo(V));
  });

  it('a media change at any moment is seen as a unit attention and the new disc is read', async () => {
    const b = bench({ media: 'cd-r' });
    const s = b.session('A');
    assert.equal(ok(await s.service.getMedia(V)).physicalType, 'IMAPI_MEDIA_TYPE_CDR');
    b.drive.faults.mediaChange('bd-re');
    assert.equal(ok(await s.service.getMedia(V)).physicalType, 'IMAPI_MEDIA_TYPE_BDRE');
    const info = ok(await s.service.getInfo(V));
    assert.equal(info.currentProfile?.name, 'BD-RE', 'drive info follows the new medium');
  });
});
