/**
 * Exclusive access that holds during operations and under faults (issue 14,
 * items 2-4): each case was found by a fuzz of several sessions with injected
 * faults, and failed on main before the fix.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BurnProgress } from '../contract/api.ts';
import { bytesSource } from './recording/source.ts';
import { V, armAtCommand, bench, image, ok, watchWrites } from './test-kit.ts';

const locked = (b: ReturnType<typeof bench>) =>
  b.drive.state.prevent || b.drive.state.persistentPrevent;

describe('an operation holds the drive on its own lease (item 2)', () => {
  it("a release during the session's own burn does not take the burn's hold away", async () => {
    const b = bench({ media: 'dvd-r' });
    const a = b.session('A');
    const other = b.session('B');
    const during: { release?: string; otherAcquire?: string; owner?: string; locked?: boolean } =
      {};
    let asked = false;
    const onProgress = async (p: BurnProgress) => {
      if (asked || p.action !== 'writing') return;
      asked = true;
      const r = await a.service.releaseExclusiveAccess(V);
      during.release = r.ok ? 'ok' : r.error.name;
      const o = await other.service.acquireExclusiveAccess(V, false, 'Intruder');
      during.otherAcquire = o.ok ? 'ok' : o.error.name;
      during.owner = ok(await other.service.exclusiveAccessOwner(V));
      during.locked = locked(b);
    };
    void a.service.subscribe((e) => {
      if (e.type === 'progress') void onProgress(e.progress as BurnProgress);
    });
    const r = await a.service.burn(V, bytesSource(image(600, 3)), { clientName: 'Burner' });
    assert.ok(r.ok, `the burn completes: ${JSON.stringify(r.ok ? null : r.error)}`);
    assert.ok(asked, 'the release was tried while the burn wrote');
    assert.equal(during.release, 'E_FAIL', 'the client holds no count of its own to release');
    assert.equal(during.otherAcquire, 'E_ACCESS_DENIED');
    assert.equal(during.owner, 'Burner');
    assert.equal(during.locked, true, 'the tray stays locked under the burn');
    assert.equal(ok(await other.service.exclusiveAccessOwner(V)), '');
    assert.equal(locked(b), false, 'the tray is unlocked when the burn ends');
  });

  it("the client's count and the operation's hold are separate: the drive stays owned until the burn ends", async () => {
    const b = bench({ media: 'dvd-r' });
    const a = b.session('A');
    const other = b.session('B');
    ok(await a.service.acquireExclusiveAccess(V, false, 'Owner'));
    let during: {
      count?: number;
      second?: string;
      owner?: string;
      otherAcquire?: string;
      locked?: boolean;
    } = {};
    let asked = false;
    void a.service.subscribe(async (e) => {
      if (e.type !== 'progress' || asked || (e.progress as BurnProgress).action !== 'writing')
        return;
      asked = true;
      // The client acquired once: one release is its own, a second is not.
      const released = ok(await a.service.releaseExclusiveAccess(V));
      const second = await a.service.releaseExclusiveAccess(V);
      const o = await other.service.acquireExclusiveAccess(V, false, 'Intruder');
      during = {
        count: released.count,
        second: second.ok ? 'ok' : second.error.name,
        owner: ok(await other.service.exclusiveAccessOwner(V)),
        otherAcquire: o.ok ? 'ok' : o.error.name,
        locked: locked(b),
      };
    });
    const writesWithoutOwner = watchWrites(b);
    const r = await a.service.burn(V, bytesSource(image(600, 5)), { clientName: 'Owner' });
    assert.ok(r.ok, `the burn completes: ${JSON.stringify(r.ok ? null : r.error)}`);
    assert.ok(asked);
    assert.equal(during.count, 1, "what is left is the burn's own hold");
    assert.equal(during.second, 'E_FAIL');
    assert.equal(during.owner, 'Owner');
    assert.equal(during.otherAcquire, 'E_ACCESS_DENIED');
    assert.equal(during.locked, true);
    assert.deepEqual(await writesWithoutOwner(), []);
    const after = ok(await a.service.getLockState(V));
    assert.equal(after.count, 0);
    assert.equal(after.owner, '');
    assert.equal(locked(b), false);
  });
});

describe('a reset by a session that does not own the drive (item 3)', () => {
  it("PREVENT is asserted again after another session's reset recovery, and the lock state says so from the drive", async () => {
    const b = bench({ media: 'dvd+rw', resetClearsPrevent: true });
    const owner = b.session('A');
    const other = b.session('B');
    ok(await owner.service.acquireExclusiveAccess(V, false, 'Owner'));
    assert.equal(locked(b), true);
    // B (a second tab) asks who the drive is: its INQUIRY ends in a phase
    // error, and B runs the Bulk-Only reset recovery.
    const armed = armAtCommand(
      b.drive,
      (cdb) => cdb[0] === 0x12,
      () => b.drive.faults.phaseError(),
    );
    await other.service.getInfo(V);
    assert.ok(armed.fired);
    assert.ok(
      b.drive.preventHistory.some((t) => String(t.cause).includes('reset')),
      'the reset dropped PREVENT on the drive',
    );
    assert.equal(locked(b), true, 'someone put PREVENT back while the drive is owned');
    const lock = ok(await owner.service.getLockState(V));
    assert.equal(lock.trayLocked, true);
    ok(await owner.service.releaseExclusiveAccess(V));
    assert.equal(locked(b), false);
  });

  it('the owner is told the tray is unlocked when the drive says so', async () => {
    const b = bench({ media: 'dvd+rw' });
    const owner = b.session('A');
    ok(await owner.service.acquireExclusiveAccess(V, false, 'Owner'));
    // The drive lost PREVENT behind the session's back (here a raw ALLOW, both forms).
    ok(await owner.service.sendCommand(V, '1e 00 00 00 02 00', { direction: 'none' }));
    ok(await owner.service.sendCommand(V, '1e 00 00 00 00 00', { direction: 'none' }));
    assert.equal(locked(b), false);
    const lock = ok(await owner.service.getLockState(V));
    assert.equal(lock.trayLocked, false, 'answered from the drive, not from memory');
  });
});

describe("a dead owner's PREVENT (item 4)", () => {
  it('a MODE SENSE that fails is asked again, not taken for "not stale"', async () => {
    const b = bench();
    ok(await b.session('A').service.acquireExclusiveAccess(V, false, 'Crashy'));
    b.coordinator.killSession('A');
    const survivor = b.session('B');
    // More ABORTED COMMANDs than the sense policy retries one command for.
    b.drive.faults.abortedCommand(6, 0x5a);
    const state = ok(await survivor.service.getLockState(V));
    // Read again until the drive said "locked": stale, so the look cleared it.
    assert.equal(state.stale, false);
    assert.equal(state.trayLocked, false);
    assert.equal(b.drive.state.prevent || b.drive.state.persistentPrevent, false);
  });

  it('when the drive cannot say, stale is unknown (null), and the next acquire clears PREVENT anyway', async () => {
    const b = bench();
    ok(await b.session('A').service.acquireExclusiveAccess(V, false, 'Crashy'));
    b.coordinator.killSession('A');
    const survivor = b.session('B');
    let fired = 0;
    const device = b.drive.device;
    const transferOut = device.transferOut.bind(device);
    device.transferOut = (ep: number, data: Parameters<typeof transferOut>[1]) => {
      const bytes = data as Uint8Array;
      if (bytes.length === 31 && bytes[15] === 0x5a && fired < 100) {
        fired++;
        b.drive.faults.reservationConflict();
      }
      return transferOut(ep, data);
    };
    const state = ok(await survivor.service.getLockState(V));
    assert.ok(fired >= 2, 'the read was tried more than once');
    assert.equal(state.stale, null);
    assert.equal(state.trayLocked, null);
    const history = b.drive.preventHistory.length;
    ok(await survivor.service.acquireExclusiveAccess(V, false, 'Survivor'));
    const after = b.drive.preventHistory.slice(history).map((t) => t.prevent || t.persistent);
    assert.ok(after.includes(false), 'the unknown PREVENT was cleared before it was set again');
    ok(await survivor.service.releaseExclusiveAccess(V));
    assert.equal(locked(b), false);
  });
});

describe('cases the model-based test found (the tray never stays locked)', () => {
  /** Arms `fault` at the first command whose CDB starts with `bytes`. */
  const at = (b: ReturnType<typeof bench>, bytes: number[], fault: () => void) =>
    armAtCommand(b.drive, (cdb) => bytes.every((x, i) => cdb[i] === x), fault);

  it('an ALLOW refused with empty sense (a bridge that loses it) is sent again', async () => {
    const b = bench({ media: 'dvd+rw' });
    const a = b.session('A');
    ok(await a.service.acquireExclusiveAccess(V, false, 'App'));
    // Plain ALLOW: 1E 00 00 00 00 00.
    const armed = at(b, [0x1e, 0, 0, 0, 0], () => b.drive.faults.reservationConflict());
    ok(await a.service.releaseExclusiveAccess(V));
    assert.ok(armed.fired);
    assert.equal(locked(b), false);
  });

  it('a Persistent ALLOW that fails for another reason than "not supported" is sent again', async () => {
    const b = bench({ media: 'dvd+rw' });
    ok(await b.session('A').service.acquireExclusiveAccess(V, false, 'Crashy'));
    b.coordinator.killSession('A');
    const armed = at(b, [0x1e, 0, 0, 0, 2], () => b.drive.faults.phaseError());
    ok(await b.session('B').service.unlockTray(V));
    assert.ok(armed.fired);
    assert.equal(locked(b), false);
  });

  it('a reset during the give-back does not put PREVENT back (the session is releasing)', async () => {
    const b = bench({ media: 'dvd+rw' });
    const a = b.session('A');
    ok(await a.service.acquireExclusiveAccess(V, true, 'App'));
    // RELEASE(6) after the ALLOW: a CSW with the wrong tag, then a Bulk-Only reset.
    const armed = at(b, [0x17], () => b.drive.faults.badCswTag());
    await a.service.releaseExclusiveAccess(V);
    assert.ok(armed.fired);
    assert.equal(locked(b), false);
    assert.equal(ok(await a.service.exclusiveAccessOwner(V)), '');
  });
});
