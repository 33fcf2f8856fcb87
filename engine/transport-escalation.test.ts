/**
 * Reset escalation seen on a device we did not write (devices/, issue 15):
 * QEMU 7.2's usb-bot, after a phase error, answers every bulk packet with a
 * STALL until a USB port reset; its Bulk-Only Mass Storage Reset and CLEAR
 * FEATURE do not clear it. Linux's SCSI error handler escalates from the
 * device (Bulk-Only) reset to a bus (port) reset when the device still fails
 * (usb-storage's usb_stor_port_reset); the host must do the same (issue 13,
 * item 1), and the owner's PREVENT must be on the drive afterwards.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VirtualRecorder } from '../virtual-recorder/src/index.ts';
import { V, armAtCommand, bench, ok } from './test-kit.ts';

/** From the next phase error on, every bulk transfer STALLs until the device's port is reset. */
function stuckAfterPhaseErrorUntilPortReset(drive: VirtualRecorder): { stuckSeen: () => boolean } {
  const d = drive.device;
  const transferIn = d.transferIn.bind(d);
  const transferOut = d.transferOut.bind(d);
  const reset = d.reset.bind(d);
  let stuck = false;
  let seen = false;
  d.transferIn = async (ep, length) => {
    if (stuck) return { status: 'stall' };
    const r = await transferIn(ep, length);
    // A CSW (13 bytes, "USBS") with bCSWStatus 2: the device is stuck from now on.
    const v = r.data;
    if (v && v.byteLength === 13 && v.getUint32(0, true) === 0x53425355 && v.getUint8(12) === 2) {
      stuck = seen = true;
    }
    return r;
  };
  d.transferOut = (ep, data) =>
    stuck ? Promise.resolve({ status: 'stall', bytesWritten: 0 }) : transferOut(ep, data);
  d.reset = () => {
    stuck = false;
    return reset();
  };
  return { stuckSeen: () => seen };
}

describe('reset escalation (QEMU usb-bot after a phase error)', () => {
  it('escalates to a port reset when the device still stalls after the Bulk-Only reset; PREVENT is back', async () => {
    const b = bench({ media: 'dvd+rw', resetClearsPrevent: true });
    const a = b.session('A');
    ok(await a.service.acquireExclusiveAccess(V, false, 'Owner'));
    const stuck = stuckAfterPhaseErrorUntilPortReset(b.drive);
    const armed = armAtCommand(
      b.drive,
      (cdb) => cdb[0] === 0x00,
      () => b.drive.faults.phaseError(),
    );
    await a.service.sendCommand(V, '00 00 00 00 00 00', { direction: 'none' });
    assert.ok(armed.fired && stuck.stuckSeen());
    // The next command works, and the owner still holds a locked tray.
    const r = ok(await a.service.sendCommand(V, '00 00 00 00 00 00', { direction: 'none' }));
    assert.equal(r.status, 'good');
    assert.equal(b.drive.state.prevent || b.drive.state.persistentPrevent, true);
    ok(await a.service.releaseExclusiveAccess(V));
    assert.equal(b.drive.state.prevent || b.drive.state.persistentPrevent, false);
  });
});

describe('after a port reset the OS driver takes the interface (Linux with usb-storage loaded)', () => {
  it('the interface is taken back from the OS driver and the owner goes on with PREVENT asserted', async () => {
    const b = bench({ media: 'dvd+rw', resetClearsPrevent: true, mountedBlocksClaim: true });
    const a = b.session('A');
    ok(await a.service.acquireExclusiveAccess(V, false, 'Owner'));
    const stuck = stuckAfterPhaseErrorUntilPortReset(b.drive);
    // The kernel re-probes the interface after the reset: usb-storage binds to it.
    const d = b.drive.device;
    const reset = d.reset.bind(d);
    d.reset = async () => {
      await reset();
      await d.releaseInterface(0);
      b.drive.mountedByOs = true;
    };
    const armed = armAtCommand(
      b.drive,
      (cdb) => cdb[0] === 0x00,
      () => b.drive.faults.phaseError(),
    );
    await a.service.sendCommand(V, '00 00 00 00 00 00', { direction: 'none' });
    assert.ok(armed.fired && stuck.stuckSeen());
    assert.equal(b.drive.mountedByOs, false, 'the OS driver was detached again');
    const r = ok(await a.service.sendCommand(V, '00 00 00 00 00 00', { direction: 'none' }));
    assert.equal(r.status, 'good');
    assert.equal(b.drive.state.prevent || b.drive.state.persistentPrevent, true);
    ok(await a.service.releaseExclusiveAccess(V));
  });
});
