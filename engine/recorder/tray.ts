/**
 * The tray: PREVENT ALLOW MEDIUM REMOVAL counted as cdrom.sys counts it, and
 * the eject and load commands that have to step around it.
 */
import { commandError } from '../../usb-mass-storage/src/scsi/scsi-drive.ts';
import {
  DeviceGoneError,
  ScsiCommandError,
  WebdiscError,
} from '../../usb-mass-storage/src/errors.ts';
import { readCapabilitiesLockState } from '../identity.ts';
import {
  isInvalidFieldInCdb,
  isRemovalPrevented,
} from '../../usb-mass-storage/src/scsi/sense-table.ts';
import { preventAllowMediumRemoval } from '../../usb-mass-storage/src/scsi/spc.ts';
import { ejectMedium, loadMedium } from '../../usb-mass-storage/src/scsi/sbc.ts';
import type { Connection, ReassertRun } from './connection.ts';
import type { RecorderContext } from './context.ts';
import type { MediaTracker } from './media-state.ts';

/** Who holds the tray: the exclusive-access lock, or a running erase or burn. */
export type TrayHolder = 'exclusive' | 'internal';

/** Tries at ALLOW before a release reports that the tray may still be locked. */
const ALLOW_ATTEMPTS = 3;

export class Tray {
  readonly #ctx: RecorderContext;
  readonly #conn: Connection;
  readonly #media: MediaTracker;

  // Tray lock counting, as cdrom.sys keeps it: PREVENT goes out only when the
  // total goes from 0 to non-zero, ALLOW only when it returns to 0.
  #exclusive = 0;
  #internal = 0;
  /** Whether this session has PREVENT asserted on the drive now. */
  #preventAsserted = false;
  #persistentSupported = true;

  constructor(ctx: RecorderContext, conn: Connection, media: MediaTracker) {
    this.#ctx = ctx;
    this.#conn = conn;
    this.#media = media;
  }

  get holds(): number {
    return this.#exclusive + this.#internal;
  }

  get preventAsserted(): boolean {
    return this.#preventAsserted;
  }

  /** Forgets every hold (the lock was given back or the device is gone); sends nothing. */
  reset(): void {
    this.#exclusive = 0;
    this.#internal = 0;
    this.#preventAsserted = false;
  }

  /** After a Bulk-Only reset: PREVENT again, if it was asserted. */
  async reassert(again: ReassertRun): Promise<void> {
    if (!this.#preventAsserted) return;
    await again(preventAllowMediumRemoval({ prevent: true, persistent: false }));
    if (this.#persistentSupported)
      await again(preventAllowMediumRemoval({ prevent: true, persistent: true }));
  }

  /**
   * After a reset run while another session owns the drive: PREVENT again on
   * its behalf (the owner cannot see another session's reset). Persistent is
   * tried too; a drive that rejects it only answers 5/24/00.
   */
  async reassertFor(again: ReassertRun): Promise<void> {
    await again(preventAllowMediumRemoval({ prevent: true, persistent: false }));
    if (this.#persistentSupported)
      await again(preventAllowMediumRemoval({ prevent: true, persistent: true }));
  }

  /**
   * PREVENT with the Persistent bit, so the drive turns an eject-button press
   * into a GESN eject request (MMC-6 §6.12); drives that reject Persistent
   * with 5/24/00 get plain PREVENT (protocol-notes.md).
   */
  async prevent(): Promise<void> {
    // Prevent=1 locks the medium against everyone, START STOP UNIT included.
    await this.#conn.run(preventAllowMediumRemoval({ prevent: true, persistent: false }));
    this.#preventAsserted = true;
    if (!this.#persistentSupported) return;
    // Persistent=1 as well: the eject button then becomes a GESN eject request.
    const r = await this.#conn.run(preventAllowMediumRemoval({ prevent: true, persistent: true }), {
      allowCheckCondition: true,
    });
    const s = r.sense;
    if (r.status !== 'good') {
      if (isInvalidFieldInCdb(s)) this.#persistentSupported = false;
      else throw commandError(preventAllowMediumRemoval({ prevent: true, persistent: true }), r);
    }
  }

  /**
   * ALLOW in both forms. The tray must never stay locked: a failed ALLOW (a
   * lost CSW, a phase error and its reset) is sent again, and a Persistent
   * ALLOW that failed for any reason but "not supported" is a failure, not
   * something to pass over (the model-based test of issue 14 found a
   * persistent PREVENT left behind that way).
   */
  async allow(): Promise<void> {
    let failure: unknown;
    for (let attempt = 1; attempt <= ALLOW_ATTEMPTS && !this.#ctx.gone; attempt++) {
      try {
        await this.#allowOnce();
      } catch (error) {
        failure = error;
        continue;
      }
      // A GOOD status is not proof: a bridge that loses a CHECK CONDITION's
      // sense turns a refused ALLOW into "NO SENSE", which reads as success.
      // Where the drive reports its lock (page 2Ah), it has the last word.
      const { drive } = await this.#conn.connect();
      const locked = await readCapabilitiesLockState(drive).catch(() => null);
      if (locked !== true) {
        this.#preventAsserted = false;
        return;
      }
      failure = new WebdiscError(
        'E_FAIL',
        'The drive still reports its tray locked after ALLOW MEDIUM REMOVAL.',
      );
    }
    throw failure ?? new DeviceGoneError();
  }

  async #allowOnce(): Promise<void> {
    if (this.#persistentSupported) {
      const request = preventAllowMediumRemoval({ prevent: false, persistent: true });
      const r = await this.#conn.run(request, { allowCheckCondition: true });
      if (r.status !== 'good') {
        if (isInvalidFieldInCdb(r.sense)) this.#persistentSupported = false;
        else throw commandError(request, r);
      }
    }
    await this.#conn.run(preventAllowMediumRemoval({ prevent: false, persistent: false }));
  }

  async hold(kind: TrayHolder): Promise<void> {
    const before = this.holds;
    if (kind === 'exclusive') this.#exclusive = 1;
    else this.#internal++;
    if (before === 0) {
      try {
        await this.prevent();
      } catch (error) {
        if (kind === 'exclusive') this.#exclusive = 0;
        else this.#internal--;
        throw error;
      }
    }
  }

  async unhold(kind: TrayHolder): Promise<void> {
    if (kind === 'exclusive') this.#exclusive = 0;
    else this.#internal = Math.max(0, this.#internal - 1);
    if (this.holds === 0 && this.#preventAsserted) await this.allow();
  }

  /** IDiscRecorder2::EjectMedia. The owner may eject: ALLOW, eject, keep the logical lock. */
  eject(): Promise<void> {
    return this.#ctx.serial(async () => {
      await this.#ctx.assertNotLockedByOther();
      if (this.#preventAsserted) await this.allow();
      try {
        await this.#conn.run(ejectMedium());
      } catch (error) {
        const s = error instanceof ScsiCommandError ? error.sense : undefined;
        if (isRemovalPrevented(s)) {
          throw new ScsiCommandError(
            'E_IMAPI_RECORDER_LOCKED',
            'The drive refuses to open: its tray is locked (PREVENT). If no session owns it, use "Unlock tray".',
            0x1b,
            s,
          );
        }
        throw error;
      }
      this.#moved(true);
    });
  }

  /** IDiscRecorder2::CloseTray. The next load re-sends PREVENT while the lock is held. */
  close(): Promise<void> {
    return this.#ctx.serial(async () => {
      await this.#ctx.assertNotLockedByOther();
      await this.#conn.run(loadMedium());
      if (this.holds > 0 && !this.#preventAsserted) await this.prevent();
      this.#moved(false);
    });
  }

  /** The tray moved: the medium is not what it was, here or in other sessions. */
  #moved(open: boolean): void {
    this.#media.changed();
    this.#ctx.emit({ type: 'tray', recorderId: this.#ctx.id, open });
    this.#ctx.announceMedia();
  }
}
