/**
 * IMAPI's exclusive-access contract (exclusive-access.md) as this session
 * keeps it: the lock count and owner, the cross-session lease from the
 * coordinator, the OS driver taken and given back, and PREVENT (through the
 * tray's count) and RESERVE asserted on the drive while the lock is held.
 */
import { commandError } from '../../usb-mass-storage/src/scsi/scsi-drive.ts';
import { isCommandRefused } from '../../usb-mass-storage/src/scsi/sense-table.ts';
import { release6, reserve6 } from '../../usb-mass-storage/src/scsi/spc.ts';
import type { LockState } from '../../contract/api.ts';
import { clientNameProblem } from '../../contract/client-name.ts';
import type { LockLease } from '../coordinator.ts';
import { readCapabilitiesLockState } from '../identity.ts';
import type { Connection, ReassertRun } from './connection.ts';
import { err, type RecorderContext } from './context.ts';
import type { Tray } from './tray.ts';

/** Tries at reading the drive's lock state before saying "unknown". */
const LOCK_STATE_READS = 3;

/** Who holds the record for the moment a stale PREVENT is cleared (shown to a session that asks then). */
const STALE_CLEARER = "webdisc (clearing a closed session's lock)";

/** The v1 facade's fixed client name (IDiscRecorder::OpenExclusive takes none). */
export const V1_CLIENT_NAME = 'IMAPI v1 IDiscRecorder';

export class ExclusiveAccess {
  readonly #ctx: RecorderContext;
  readonly #conn: Connection;
  readonly #tray: Tray;

  // Exclusive access (this session's side). The client's count and the
  // running operation's hold are kept apart: a client's release can never
  // take the drive from under its own burn (issue 14, item 2).
  #count = 0;
  #operationHolds = 0;
  #owner = '';
  #lease: LockLease | undefined;
  #v1Open = false;
  #detachedOs = false;
  #reserved = false;
  #reserveSupported: boolean | null = null;

  constructor(ctx: RecorderContext, conn: Connection, tray: Tray) {
    this.#ctx = ctx;
    this.#conn = conn;
    this.#tray = tray;
  }

  /** The drive's total count in this session: the client's acquires plus a running operation's hold. */
  /** A stale PREVENT is being cleared (one clearing at a time). */
  #clearing = false;

  get count(): number {
    return this.#count + this.#operationHolds;
  }

  /** Whether this session holds the drive now (a write-class command may go out). */
  get holdsDrive(): boolean {
    return this.count > 0 && this.#lease !== undefined;
  }

  /** Whether the lock is held through the IMAPI v1 facade (OpenExclusive). */
  get v1Open(): boolean {
    return this.#v1Open;
  }

  /**
   * The lock as every session sees it. `fromDrive`: ask the drive whether
   * the tray is locked (a reset or a raw command may have cleared PREVENT
   * behind our back, issue 14 item 3); without it, an owner answers from what
   * it sent, so that a lock-count change costs no SCSI traffic.
   */
  async lockState(fromDrive = false): Promise<LockState> {
    const holder = await this.#ctx.holder();
    const mine = holder?.sessionId === this.#ctx.sessionId;
    const owned = mine && this.count > 0;
    let trayLocked: boolean | null = null;
    if (owned) {
      trayLocked = this.#tray.preventAsserted;
      if (fromDrive && !this.#ctx.gone) {
        // The drive's word wins; a drive that cannot say leaves what we sent.
        trayLocked = (await this.#readLockStateRetried()) ?? trayLocked;
      }
    } else if (!this.#ctx.gone && !holder) {
      // Free: only the drive can say whether a dead owner left it locked.
      trayLocked = await this.#readLockStateRetried();
    }
    return {
      count: this.count,
      owner: holder?.clientName ?? '',
      ownedByMe: owned,
      busy: holder !== undefined && !mine,
      trayLocked,
      // Unknown when the drive could not say (issue 14, item 4): never "not stale" by default.
      stale: holder !== undefined ? false : trayLocked,
      openedV1: this.#v1Open,
    };
  }

  async owner(): Promise<string> {
    return (await this.#ctx.holder())?.clientName ?? '';
  }

  /** IDiscRecorder2::AcquireExclusiveAccess. */
  acquire(force: boolean, clientName: string): Promise<LockState> {
    const problem = clientNameProblem(clientName);
    if (problem) return Promise.reject(err('E_INVALIDARG', problem));
    return this.#ctx.serial(async () => {
      if (this.#v1Open) {
        throw err(
          'IMAPI_E_DEVICE_NOTACCESSIBLE',
          'This recorder is open through the IMAPI v1 IDiscRecorder; close() it first.',
        );
      }
      if (this.count > 0) {
        // Same session again (or its own operation holds it): count + 1, no SCSI traffic.
        this.#count++;
      } else {
        await this.#takeDrive(force, clientName, 'client');
      }
      return this.#emitLock();
    });
  }

  /** IDiscRecorder2::ReleaseExclusiveAccess. */
  release(): Promise<LockState> {
    return this.#ctx.serial(async () => {
      if (this.#v1Open && this.#count === 1 && this.#owner === V1_CLIENT_NAME) {
        throw err(
          'IMAPI_E_DEVICE_NOTACCESSIBLE',
          'The recorder is open through IMAPI v1: use close().',
        );
      }
      return this.#releaseOne();
    });
  }

  /** IDiscRecorder::OpenExclusive's lock: the fixed name, no count. Runs inside the queue. */
  async openV1(): Promise<void> {
    await this.#takeDrive(false, V1_CLIENT_NAME, 'client');
    this.#v1Open = true;
    await this.#emitLock();
  }

  /** IDiscRecorder::Close's release: whatever the count, the client's lock goes. Runs inside the queue. */
  async closeV1(): Promise<void> {
    this.#count = 0;
    this.#v1Open = false;
    if (this.#operationHolds > 0) {
      await this.#emitLock();
      return;
    }
    await this.#giveBack();
  }

  /**
   * An erase or burn takes the drive on its own hold (IDiscFormat2Data::Write
   * acquires with the caller's name): the session's lock when it has one,
   * else the drive, taken as acquire takes it. Only endOperation() gives the
   * hold back, so no release from the client can take the drive from under
   * the running operation.
   */
  holdForOperation(clientName: string): Promise<void> {
    return this.#ctx.serial(async () => {
      if (this.count > 0) {
        this.#operationHolds++;
        await this.#emitLock();
        return;
      }
      await this.#takeDrive(false, clientName, 'operation');
    });
  }

  /** The operation ended: its hold goes; the drive is given back when nothing else holds it. */
  endOperation(): Promise<void> {
    return this.#ctx.serial(async () => {
      if (this.#operationHolds === 0) return;
      this.#operationHolds--;
      if (this.count > 0) {
        await this.#emitLock();
        return;
      }
      await this.#giveBack();
    });
  }

  /**
   * A dead owner's PREVENT, found by a look at the lock (Recorder.lockState):
   * cleared unless someone owns the drive by now (then it is theirs).
   */
  clearStale(): Promise<void> {
    return this.#ctx.serial(async () => {
      if (this.#ctx.gone || this.count > 0) return;
      // Hold the record while clearing, so no acquire can PREVENT between our
      // look and our ALLOW (an acquire meanwhile is refused, as for any holder).
      const lease = await this.#ctx.options.coordinator.tryLock(this.#ctx.id, {
        sessionId: this.#ctx.sessionId,
        clientName: STALE_CLEARER,
      });
      if (!lease) return; // someone owns it now: the PREVENT is theirs
      try {
        if ((await this.#readLockStateRetried()) === true) await this.#tray.allow();
      } finally {
        await lease.release();
      }
      await this.#emitLock();
    });
  }

  /** Clears PREVENT left behind by a session that died. Refused while anyone owns the drive. */
  unlockTray(): Promise<void> {
    return this.#ctx.serial(async () => {
      const holder = await this.#ctx.holder();
      if (holder) {
        throw err(
          'E_IMAPI_RECORDER_LOCKED',
          holder.sessionId === this.#ctx.sessionId
            ? 'This session owns the recorder: release exclusive access instead.'
            : `The recorder is locked by "${holder.clientName}", a live session.`,
        );
      }
      await this.#tray.allow();
      await this.#emitLock();
    });
  }

  /**
   * After a Bulk-Only or port reset: PREVENT and RESERVE again, as they were.
   * A reset run by a session that does not own the drive (a second tab's
   * failed INQUIRY) clears the owner's PREVENT as well, so that session puts
   * them back itself whenever anyone holds the drive (issue 14, item 3): the
   * owner cannot know its PREVENT went.
   */
  async reassert(again: ReassertRun): Promise<void> {
    if (this.count > 0) {
      await this.#tray.reassert(again);
      if (this.#reserved) await again(reserve6());
      return;
    }
    // Ours with a count of 0: this session is giving the drive back (its
    // ALLOW may already be on the drive), so nothing is asserted again.
    const holder = await this.#ctx.otherHolder().catch(() => undefined);
    if (!holder) return;
    await this.#tray.reassertFor(again);
    // Refused (5/20/00) by drives without RESERVE: `again` reports, never throws.
    await again(reserve6());
  }

  /** The device is gone: nothing of the lock may outlive it, so the record is freed at once. */
  drop(): void {
    // Nothing of the lock may outlive the device: free the record at once.
    const lease = this.#lease;
    this.#resetLockState();
    void lease?.release();
    void this.#emitLock();
  }

  /** Another session's lock changed: tell the page. */
  async onOtherSession(): Promise<void> {
    await this.#emitLock().catch(() => {
      // Still tell the page the lock changed, even if the drive could not be read.
      this.#ctx.emit({
        type: 'lock',
        recorderId: this.#ctx.id,
        lock: {
          count: this.count,
          owner: '',
          ownedByMe: false,
          busy: false,
          trayLocked: null,
          stale: false,
          openedV1: this.#v1Open,
        },
      });
    });
  }

  async #releaseOne(): Promise<LockState> {
    if (this.#count === 0 && this.#operationHolds > 0) {
      throw err(
        'E_FAIL',
        'This session holds no exclusive access of its own: the running erase or burn holds the recorder until it ends.',
      );
    }
    if (this.#count === 0) {
      const holder = await this.#ctx.otherHolder();
      if (holder) {
        throw err(
          'E_IMAPI_RECORDER_LOCKED',
          `The recorder is locked by "${holder.clientName}", not by this session.`,
        );
      }
      throw err('E_FAIL', 'The recorder is not locked: there is no exclusive access to release.');
    }
    this.#count--;
    if (this.count > 0) return this.#emitLock();
    return this.#giveBack();
  }

  /**
   * Count 0 -> 1: the cross-session record, the OS, the USB claim, PREVENT,
   * RESERVE. `by`: whose count the 1 is, the client's or an operation's.
   */
  async #takeDrive(force: boolean, clientName: string, by: 'client' | 'operation'): Promise<void> {
    const lease = await this.#ctx.options.coordinator.tryLock(this.#ctx.id, {
      sessionId: this.#ctx.sessionId,
      clientName,
    });
    if (!lease) {
      // Never queue or wait: the seeds say requests from others are failed.
      const holder = await this.#ctx.holder();
      throw err(
        'E_ACCESS_DENIED',
        `The recorder is in use by "${holder?.clientName ?? 'another session'}".`,
      );
    }
    try {
      const os = this.#ctx.options.osDriver;
      if (os && (await os.isMounted())) {
        if (!force) {
          throw err(
            'E_ACCESS_DENIED',
            'A file system holds the drive (the OS has it mounted). Use force to take it anyway.',
          );
        }
        await os.detach();
        this.#detachedOs = true;
      }
      await this.#conn.connect();
      // A previous owner that died may have left PREVENT on the drive: clear
      // it first, also when the drive cannot say (issue 14, item 4).
      const locked = await this.#readLockStateRetried();
      if (locked !== false) await this.#tray.allow();
      this.#lease = lease;
      if (by === 'client') this.#count = 1;
      else this.#operationHolds = 1;
      this.#owner = clientName;
      await this.#tray.hold('exclusive');
      await this.#reserve();
    } catch (error) {
      await this.#rollback();
      await lease.release();
      throw error;
    }
    await this.#emitLock();
  }

  /** Undo a half-done acquire: no lock and no locked tray may stay behind. */
  async #rollback(): Promise<void> {
    if (this.#tray.preventAsserted) await this.#tray.allow().catch(() => undefined);
    if (this.#reserved) await this.#conn.run(release6()).catch(() => undefined);
    if (this.#detachedOs) await this.#conn.close();
    await this.#giveOsBack();
    this.#resetLockState();
  }

  /** Count 1 -> 0: ALLOW, RELEASE, give the OS its driver back, free the record. */
  async #giveBack(): Promise<LockState> {
    const lease = this.#lease;
    let failure: unknown;
    try {
      await this.#tray.unhold('exclusive');
      if (this.#reserved) {
        await this.#conn.run(release6());
        this.#reserved = false;
      }
    } catch (error) {
      failure = error;
      if (this.#tray.preventAsserted) await this.#tray.allow().catch(() => undefined);
    }
    const trayLocked = this.#tray.preventAsserted ? null : false;
    this.#resetLockState();
    await lease?.release();
    // What we know now, without another command (which would claim the interface again).
    const state: LockState = {
      count: 0,
      owner: '',
      ownedByMe: false,
      busy: false,
      trayLocked,
      stale: false,
      openedV1: false,
    };
    this.#ctx.emit({ type: 'lock', recorderId: this.#ctx.id, lock: state });
    await this.#conn.close();
    // Only now: Linux refuses to bind usb-storage to an interface a program still claims.
    await this.#giveOsBack();
    // Other sessions re-read the medium: to them it "reappeared".
    this.#ctx.announceMedia();
    if (failure) throw failure;
    return state;
  }

  /** The OS gets back the driver that a forced acquire took from it. */
  async #giveOsBack(): Promise<void> {
    if (this.#detachedOs) await this.#ctx.options.osDriver?.reattach().catch(() => undefined);
    this.#detachedOs = false;
  }

  #resetLockState(): void {
    this.#count = 0;
    this.#operationHolds = 0;
    this.#owner = '';
    this.#lease = undefined;
    this.#v1Open = false;
    this.#tray.reset();
    this.#reserved = false;
  }

  /** RESERVE(6) where the drive has it; 5/20/00 means it has not, which is no error. */
  async #reserve(): Promise<void> {
    if (this.#reserveSupported === false) return;
    const r = await this.#conn.run(reserve6(), { allowCheckCondition: true });
    if (r.status === 'good') {
      this.#reserveSupported = true;
      this.#reserved = true;
      return;
    }
    const s = r.sense;
    if (isCommandRefused(s)) {
      this.#reserveSupported = false;
      return;
    }
    throw commandError(reserve6(), r);
  }

  /**
   * The drive's own lock state: mode page 2Ah byte 6 bit 1 "Lock State"
   * (MMC-6 §7.6 / MMC-3 §6.3.11). null when the drive does not report it.
   */
  async #readLockState(): Promise<boolean | null> {
    const { drive } = await this.#conn.connect();
    return readCapabilitiesLockState(drive);
  }

  /**
   * The lock state, asked again when a read fails (a phase error, a lost
   * CSW): one failed MODE SENSE must not pass for "unlocked". null when the
   * drive does not report it or never answered.
   */
  async #readLockStateRetried(): Promise<boolean | null> {
    for (let attempt = 0; attempt < LOCK_STATE_READS; attempt++) {
      if (this.#ctx.gone) return null;
      try {
        return await this.#readLockState();
      } catch {
        // Tried again below; the reset recovery that followed has run.
      }
    }
    return null;
  }

  async #emitLock(): Promise<LockState> {
    const lock = await this.lockState();
    this.#ctx.emit({ type: 'lock', recorderId: this.#ctx.id, lock });
    // A dead owner's PREVENT seen: cleared next, after whatever runs now (issue 19, defect 3).
    if (lock.stale === true && !this.#clearing) {
      this.#clearing = true;
      void this.clearStale()
        .catch(() => undefined)
        .finally(() => (this.#clearing = false));
    }
    return lock;
  }
}
