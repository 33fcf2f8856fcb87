/**
 * One recorder as seen by one session: the drive's identity and media, and
 * IMAPI's exclusive-access contract (exclusive-access.md) rebuilt on PREVENT
 * ALLOW MEDIUM REMOVAL and RESERVE/RELEASE. Compound operations on a recorder
 * are serialised here; single commands are serialised again by the transport.
 */
import {
  BulkOnlyTransport,
  type BotOptions,
  type CommandRecord,
  type CommandResult,
} from '../usb-mass-storage/src/bot/transport.ts';
import {
  ScsiDrive,
  commandError,
  isUnitAttention,
} from '../usb-mass-storage/src/scsi/scsi-drive.ts';
import { DeviceGoneError, ScsiCommandError, WebdiscError } from '../usb-mass-storage/src/errors.ts';
import type { ScsiRequest } from '../usb-mass-storage/src/scsi/command.ts';
import {
  DiscStatus as MmcDiscStatus,
  EventClassMask,
  MediaEventCode,
  TrackAddressType,
  getConfiguration,
  getEventStatusNotification,
  parseDiscInformation,
  parseEventStatus,
  parseTrackInformation,
  readDiscInformation,
  readTrackInformation,
  ConfigurationRequestType,
} from '../usb-mass-storage/src/scsi/mmc.ts';
import { commandName, defaultTimeoutMs } from '../usb-mass-storage/src/scsi/opcodes.ts';
import {
  describeSense,
  isCommandRefused,
  isInvalidFieldInCdb,
  isRemovalPrevented,
  mediumAbsence,
} from '../usb-mass-storage/src/scsi/sense-table.ts';
import { preventAllowMediumRemoval, release6, reserve6 } from '../usb-mass-storage/src/scsi/spc.ts';
import {
  ejectMedium,
  loadMedium,
  parseCapacity,
  read10,
  readCapacity10,
} from '../usb-mass-storage/src/scsi/sbc.ts';
import { toHex } from '../usb-mass-storage/src/struct.ts';
import type { UsbDeviceLike } from '../usb-mass-storage/src/usb.ts';
import type {
  BurnOptions,
  BurnProgress,
  BurnReport,
  DiscStatus,
  EraseOptions,
  EraseReport,
  LockState,
  Progress,
  MediaInfoV1,
  MediaState,
  MediaTypeV1,
  RawData,
  RawResult,
  RecorderEvent,
  RecorderInfo,
  RecorderSummary,
  TrackInfo,
} from '../contract/api.ts';
import { clientNameProblem } from '../contract/client-name.ts';
import type { LockCoordinator, LockLease } from './coordinator.ts';
import { physicalTypeOf } from '../contract/profiles.ts';
import { readCapabilitiesLockState, readRecorderInfo, profileInfo } from './identity.ts';
import { OperationError, burnImage } from './recording/burn.ts';
import { eraseMedium } from './recording/erase.ts';
import type { ImageSource } from './recording/source.ts';

/** What the OS does with the drive: IMAPI's force dismounts it. */
export interface OsDriverControl {
  /** A file system / kernel driver holds the drive. */
  isMounted(): Promise<boolean>;
  /** Takes the drive from the OS (detach the kernel driver, dismount). */
  detach(): Promise<void>;
  /** Gives it back on the last release. */
  reattach(): Promise<void>;
}

export interface RecorderOptions {
  readonly summary: RecorderSummary;
  readonly device: UsbDeviceLike;
  readonly sessionId: string;
  readonly coordinator: LockCoordinator;
  readonly emit: (event: RecorderEvent) => void;
  readonly osDriver?: OsDriverControl | undefined;
  readonly transport?: Omit<BotOptions, 'afterReset' | 'onCommand'> | undefined;
  /** GESN polling period while MCN is enabled; 0 disables polling. */
  readonly mcnIntervalMs?: number | undefined;
}

/** The v1 facade's fixed client name (IDiscRecorder::OpenExclusive takes none). */
export const V1_CLIENT_NAME = 'IMAPI v1 IDiscRecorder';

function err(name: ConstructorParameters<typeof WebdiscError>[0], message: string): WebdiscError {
  return new WebdiscError(name, message);
}

interface Connection {
  readonly transport: BulkOnlyTransport;
  readonly drive: ScsiDrive;
}

let traceSeq = 0;

export class Recorder {
  readonly summary: RecorderSummary;
  readonly device: UsbDeviceLike;
  #o: RecorderOptions;
  #connection: Promise<Connection> | undefined;
  #ops: Promise<unknown> = Promise.resolve();
  #gone = false;

  // Exclusive access (this session's side).
  #count = 0;
  #owner = '';
  #lease: LockLease | undefined;
  #v1Open = false;
  #detachedOs = false;
  #reserved = false;
  #reserveSupported: boolean | null = null;
  #persistentSupported = true;

  // Tray lock counting, as cdrom.sys keeps it: PREVENT goes out only when the
  // total goes from 0 to non-zero, ALLOW only when it returns to 0.
  #trayExclusive = 0;
  #trayInternal = 0;
  /** Whether this session has PREVENT asserted on the drive now. */
  #preventAsserted = false;

  /** The running erase or burn, to cancel it. */
  #operation: AbortController | undefined;
  #info: RecorderInfo | undefined;
  #infoStale = false;
  #media: MediaState | undefined;
  #mcnEnabled = true;
  #mcnTimer: ReturnType<typeof setTimeout> | undefined;
  #unsubscribe: () => void;

  constructor(options: RecorderOptions) {
    this.#o = options;
    this.summary = options.summary;
    this.device = options.device;
    this.#unsubscribe = options.coordinator.subscribe((id, topic, origin) => {
      if (id !== this.summary.id) return;
      // Our own announcements tell us nothing new.
      if (origin === options.sessionId) return;
      void this.#onOtherSession(topic);
    });
    this.#scheduleMcn();
  }

  get id(): string {
    return this.summary.id;
  }

  get lockCount(): number {
    return this.#count;
  }

  get trayHolds(): number {
    return this.#trayExclusive + this.#trayInternal;
  }

  // ---------------------------------------------------------------- plumbing

  /** Compound operations on this recorder run one at a time. */
  #serial<T>(body: () => Promise<T>): Promise<T> {
    const run = this.#ops.then(body);
    this.#ops = run.catch(() => undefined);
    return run;
  }

  async #connect(): Promise<Connection> {
    if (this.#gone) throw new DeviceGoneError();
    this.#connection ??= (async () => {
      const transport = await BulkOnlyTransport.connect(this.device, {
        ...this.#o.transport,
        defaultTimeoutMs: this.#o.transport?.defaultTimeoutMs ?? ((cdb) => defaultTimeoutMs(cdb)),
        afterReset: (run) => this.#afterReset(run),
        onCommand: (record) => this.#trace(record),
      });
      const drive = new ScsiDrive(transport);
      drive.onUnitAttention = () => this.#mediaChanged();
      return { transport, drive };
    })();
    try {
      return await this.#connection;
    } catch (error) {
      this.#connection = undefined;
      throw error;
    }
  }

  async #run(
    request: ScsiRequest,
    options: { allowCheckCondition?: boolean } = {},
  ): Promise<CommandResult> {
    const { drive } = await this.#connect();
    try {
      return await drive.run(request, options);
    } catch (error) {
      if (error instanceof DeviceGoneError) this.#onGone();
      throw error;
    }
  }

  /** A Bulk-Only reset can drop PREVENT and RESERVE: assert them again first. */
  async #afterReset(run: (request: ScsiRequest) => Promise<CommandResult>): Promise<void> {
    // The reset itself raises 6/29/00 on most drives: let it pass, then re-assert.
    const again = async (request: ScsiRequest) => {
      for (let i = 0; i < 3; i++) {
        const r = await run(request);
        if (r.status === 'good' || !r.sense || !isUnitAttention(r.sense)) return;
      }
    };
    if (this.#preventAsserted) {
      await again(preventAllowMediumRemoval({ prevent: true, persistent: false }));
      if (this.#persistentSupported)
        await again(preventAllowMediumRemoval({ prevent: true, persistent: true }));
    }
    if (this.#reserved) await again(reserve6());
  }

  #trace(record: CommandRecord): void {
    const result = record.result;
    const sense = result?.sense ?? null;
    this.#o.emit({
      type: 'trace',
      entry: {
        seq: ++traceSeq,
        recorderId: this.id,
        time: record.startedAt,
        name: commandName(record.cdb),
        cdbHex: toHex(record.cdb, ' '),
        direction: record.direction,
        length: record.length,
        transferred: result?.transferred ?? 0,
        status: record.error ? 'error' : (result?.status ?? 'error'),
        sense,
        senseText: sense ? describeSense(sense) : null,
        error: record.error ? `${record.error.hresultName}: ${record.error.message}` : null,
        durationMs: record.durationMs,
      },
    });
  }

  /**
   * The medium changed: what we knew of it, and the profile and feature
   * "current" flags in the drive's info, are stale. (The identity itself
   * stays cached so it remains readable while another session owns the drive.)
   */
  #mediaChanged(): void {
    this.#media = undefined;
    if (this.#info) this.#infoStale = true;
  }

  /** The platform's disconnect event, or a transfer that found the device gone. */
  markGone(): void {
    void this.#connection?.then((c) => c.transport.markDisconnected()).catch(() => undefined);
    this.#onGone();
  }

  #onGone(): void {
    if (this.#gone) return;
    this.#gone = true;
    this.#stopMcn();
    // Nothing of the lock may outlive the device: free the record at once.
    const lease = this.#lease;
    this.#resetLockState();
    void lease?.release();
    this.#emitLock();
  }

  #resetLockState(): void {
    this.#count = 0;
    this.#owner = '';
    this.#lease = undefined;
    this.#v1Open = false;
    this.#trayExclusive = 0;
    this.#trayInternal = 0;
    this.#preventAsserted = false;
    this.#reserved = false;
  }

  dispose(): void {
    this.#stopMcn();
    this.#unsubscribe();
  }

  // ------------------------------------------------------- exclusive access

  async lockState(): Promise<LockState> {
    const holder = await this.#o.coordinator.holder(this.id);
    const mine = holder?.sessionId === this.#o.sessionId;
    let trayLocked: boolean | null = null;
    if (mine && this.#count > 0) {
      // We hold it: we know what we sent; no SCSI traffic for a lock-count change.
      trayLocked = this.#preventAsserted;
    } else if (!this.#gone && !holder) {
      // Free: only the drive can say whether a dead owner left it locked.
      trayLocked = await this.#readLockState().catch(() => null);
    }
    return {
      count: this.#count,
      owner: holder?.clientName ?? '',
      ownedByMe: mine && this.#count > 0,
      busy: holder !== undefined && !mine,
      trayLocked,
      stale: holder === undefined && trayLocked === true,
      openedV1: this.#v1Open,
    };
  }

  async owner(): Promise<string> {
    return (await this.#o.coordinator.holder(this.id))?.clientName ?? '';
  }

  /** IDiscRecorder2::AcquireExclusiveAccess. */
  acquire(force: boolean, clientName: string): Promise<LockState> {
    const problem = clientNameProblem(clientName);
    if (problem) return Promise.reject(err('E_INVALIDARG', problem));
    return this.#serial(async () => {
      if (this.#v1Open) {
        throw err(
          'IMAPI_E_DEVICE_NOTACCESSIBLE',
          'This recorder is open through the IMAPI v1 IDiscRecorder; close() it first.',
        );
      }
      if (this.#count > 0) {
        // Same session again: count + 1, no SCSI traffic.
        this.#count++;
      } else {
        await this.#takeDrive(force, clientName);
      }
      return this.#emitLock();
    });
  }

  /** IDiscRecorder2::ReleaseExclusiveAccess. */
  release(): Promise<LockState> {
    return this.#serial(async () => {
      if (this.#v1Open && this.#count === 1 && this.#owner === V1_CLIENT_NAME) {
        throw err(
          'IMAPI_E_DEVICE_NOTACCESSIBLE',
          'The recorder is open through IMAPI v1: use close().',
        );
      }
      return this.#releaseOne();
    });
  }

  async #releaseOne(): Promise<LockState> {
    if (this.#count === 0) {
      const holder = await this.#o.coordinator.holder(this.id);
      if (holder && holder.sessionId !== this.#o.sessionId) {
        throw err(
          'E_IMAPI_RECORDER_LOCKED',
          `The recorder is locked by "${holder.clientName}", not by this session.`,
        );
      }
      throw err('E_FAIL', 'The recorder is not locked: there is no exclusive access to release.');
    }
    this.#count--;
    if (this.#count > 0) return this.#emitLock();
    return this.#giveBack();
  }

  /** Count 0 -> 1: the cross-session record, the OS, the USB claim, PREVENT, RESERVE. */
  async #takeDrive(force: boolean, clientName: string): Promise<void> {
    const lease = await this.#o.coordinator.tryLock(this.id, {
      sessionId: this.#o.sessionId,
      clientName,
    });
    if (!lease) {
      // Never queue or wait: the seeds say requests from others are failed.
      const holder = await this.#o.coordinator.holder(this.id);
      throw err(
        'E_ACCESS_DENIED',
        `The recorder is in use by "${holder?.clientName ?? 'another session'}".`,
      );
    }
    try {
      const os = this.#o.osDriver;
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
      await this.#connect();
      // A previous owner that died left PREVENT on the drive: clear it first.
      const locked = await this.#readLockState().catch(() => null);
      if (locked === true) await this.#allow();
      this.#lease = lease;
      this.#count = 1;
      this.#owner = clientName;
      await this.#hold('exclusive');
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
    if (this.#preventAsserted) await this.#allow().catch(() => undefined);
    if (this.#reserved) await this.#run(release6()).catch(() => undefined);
    if (this.#detachedOs) await this.#o.osDriver?.reattach().catch(() => undefined);
    this.#detachedOs = false;
    this.#resetLockState();
  }

  /** Count 1 -> 0: ALLOW, RELEASE, give the OS its driver back, free the record. */
  async #giveBack(): Promise<LockState> {
    const lease = this.#lease;
    let failure: unknown;
    try {
      await this.#unhold('exclusive');
      if (this.#reserved) {
        await this.#run(release6());
        this.#reserved = false;
      }
    } catch (error) {
      failure = error;
      if (this.#preventAsserted) await this.#allow().catch(() => undefined);
    }
    if (this.#detachedOs) await this.#o.osDriver?.reattach().catch(() => undefined);
    this.#detachedOs = false;
    const trayLocked = this.#preventAsserted ? null : false;
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
    this.#o.emit({ type: 'lock', recorderId: this.id, lock: state });
    await this.#closeConnection();
    // Other sessions re-read the medium: to them it "reappeared".
    this.#o.coordinator.announce(this.id, 'media', this.#o.sessionId);
    if (failure) throw failure;
    return state;
  }

  async #closeConnection(): Promise<void> {
    const connection = this.#connection;
    this.#connection = undefined;
    if (!connection) return;
    try {
      await (await connection).transport.close();
    } catch {
      // A gone device has nothing to release.
    }
  }

  /**
   * PREVENT with the Persistent bit, so the drive turns an eject-button press
   * into a GESN eject request (MMC-6 §6.12); drives that reject Persistent
   * with 5/24/00 get plain PREVENT (protocol-notes.md).
   */
  async #prevent(): Promise<void> {
    // Prevent=1 locks the medium against everyone, START STOP UNIT included.
    await this.#run(preventAllowMediumRemoval({ prevent: true, persistent: false }));
    this.#preventAsserted = true;
    if (!this.#persistentSupported) return;
    // Persistent=1 as well: the eject button then becomes a GESN eject request.
    const r = await this.#run(preventAllowMediumRemoval({ prevent: true, persistent: true }), {
      allowCheckCondition: true,
    });
    const s = r.sense;
    if (r.status !== 'good') {
      if (isInvalidFieldInCdb(s)) this.#persistentSupported = false;
      else throw commandError(preventAllowMediumRemoval({ prevent: true, persistent: true }), r);
    }
  }

  async #allow(): Promise<void> {
    if (this.#persistentSupported) {
      await this.#run(preventAllowMediumRemoval({ prevent: false, persistent: true }), {
        allowCheckCondition: true,
      });
    }
    await this.#run(preventAllowMediumRemoval({ prevent: false, persistent: false }));
    this.#preventAsserted = false;
  }

  async #hold(kind: 'exclusive' | 'internal'): Promise<void> {
    const before = this.trayHolds;
    if (kind === 'exclusive') this.#trayExclusive = 1;
    else this.#trayInternal++;
    if (before === 0) {
      try {
        await this.#prevent();
      } catch (error) {
        if (kind === 'exclusive') this.#trayExclusive = 0;
        else this.#trayInternal--;
        throw error;
      }
    }
  }

  async #unhold(kind: 'exclusive' | 'internal'): Promise<void> {
    if (kind === 'exclusive') this.#trayExclusive = 0;
    else this.#trayInternal = Math.max(0, this.#trayInternal - 1);
    if (this.trayHolds === 0 && this.#preventAsserted) await this.#allow();
  }

  /** RESERVE(6) where the drive has it; 5/20/00 means it has not, which is no error. */
  async #reserve(): Promise<void> {
    if (this.#reserveSupported === false) return;
    const r = await this.#run(reserve6(), { allowCheckCondition: true });
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
    const { drive } = await this.#connect();
    return readCapabilitiesLockState(drive);
  }

  /** Operations that change the drive fail while another session owns it. */
  async #assertNotLockedByOther(): Promise<void> {
    const holder = await this.#o.coordinator.holder(this.id);
    if (holder && holder.sessionId !== this.#o.sessionId) {
      throw err(
        'E_IMAPI_RECORDER_LOCKED',
        `The recorder is locked for exclusive access by "${holder.clientName}".`,
      );
    }
  }

  async #emitLock(): Promise<LockState> {
    const lock = await this.lockState();
    this.#o.emit({ type: 'lock', recorderId: this.id, lock });
    return lock;
  }

  async #onOtherSession(topic: 'lock' | 'media'): Promise<void> {
    if (this.#gone) return;
    if (topic === 'media') {
      this.#mediaChanged();
      const holder = await this.#o.coordinator.holder(this.id);
      if (!holder || holder.sessionId === this.#o.sessionId) {
        const media = await this.media().catch(() => undefined);
        if (media) this.#o.emit({ type: 'media', recorderId: this.id, media });
      }
      return;
    }
    await this.#emitLock().catch(() => {
      // Still tell the page the lock changed, even if the drive could not be read.
      this.#o.emit({
        type: 'lock',
        recorderId: this.id,
        lock: {
          count: this.#count,
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

  // ------------------------------------------------------------- tray, MCN

  /** IDiscRecorder2::EjectMedia. The owner may eject: ALLOW, eject, keep the logical lock. */
  ejectMedia(): Promise<void> {
    return this.#serial(async () => {
      await this.#assertNotLockedByOther();
      if (this.#preventAsserted) await this.#allow();
      try {
        await this.#run(ejectMedium());
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
      this.#mediaChanged();
      this.#o.emit({ type: 'tray', recorderId: this.id, open: true });
      this.#o.coordinator.announce(this.id, 'media', this.#o.sessionId);
    });
  }

  /** IDiscRecorder2::CloseTray. The next load re-sends PREVENT while the lock is held. */
  closeTray(): Promise<void> {
    return this.#serial(async () => {
      await this.#assertNotLockedByOther();
      await this.#run(loadMedium());
      if (this.trayHolds > 0 && !this.#preventAsserted) await this.#prevent();
      this.#mediaChanged();
      this.#o.emit({ type: 'tray', recorderId: this.id, open: false });
      this.#o.coordinator.announce(this.id, 'media', this.#o.sessionId);
    });
  }

  /** Clears PREVENT left behind by a session that died. Refused while anyone owns the drive. */
  unlockTray(): Promise<void> {
    return this.#serial(async () => {
      const holder = await this.#o.coordinator.holder(this.id);
      if (holder) {
        throw err(
          'E_IMAPI_RECORDER_LOCKED',
          holder.sessionId === this.#o.sessionId
            ? 'This session owns the recorder: release exclusive access instead.'
            : `The recorder is locked by "${holder.clientName}", a live session.`,
        );
      }
      await this.#allow();
      await this.#emitLock();
    });
  }

  enableMcn(): void {
    this.#mcnEnabled = true;
    this.#scheduleMcn();
  }

  disableMcn(): void {
    this.#mcnEnabled = false;
    this.#stopMcn();
  }

  #stopMcn(): void {
    if (this.#mcnTimer !== undefined) clearTimeout(this.#mcnTimer);
    this.#mcnTimer = undefined;
  }

  #scheduleMcn(): void {
    const period = this.#o.mcnIntervalMs ?? 1000;
    if (!this.#mcnEnabled || period <= 0 || this.#gone || this.#mcnTimer !== undefined) return;
    this.#mcnTimer = setTimeout(() => {
      this.#mcnTimer = undefined;
      void this.pollEvents()
        .catch(() => undefined)
        .finally(() => this.#scheduleMcn());
    }, period);
  }

  /**
   * One GESN poll (media class). New media, removal and change refresh the
   * media state and tell the other sessions; an eject request (the button
   * pressed while PREVENT is held) is passed on to show the user.
   */
  async pollEvents(): Promise<void> {
    if (this.#gone) return;
    const holder = await this.#o.coordinator.holder(this.id);
    // While another session owns the drive its media notifications are held back.
    if (holder && holder.sessionId !== this.#o.sessionId) return;
    const r = await this.#serial(() =>
      this.#run(getEventStatusNotification({ classMask: EventClassMask.Media }), {
        allowCheckCondition: true,
      }),
    );
    if (r.status !== 'good') return;
    const status = parseEventStatus(r.data);
    const event = status.event;
    if (!event || event.kind !== 'media') return;
    switch (event.eventCode) {
      case MediaEventCode.EjectRequest:
        this.#o.emit({ type: 'eject-request', recorderId: this.id });
        break;
      case MediaEventCode.NewMedia:
      case MediaEventCode.MediaRemoval:
      case MediaEventCode.MediaChanged:
        this.#mediaChanged();
        this.#o.emit({ type: 'tray', recorderId: this.id, open: event.doorOpen });
        this.#o.coordinator.announce(this.id, 'media', this.#o.sessionId);
        {
          const media = await this.media().catch(() => undefined);
          if (media) this.#o.emit({ type: 'media', recorderId: this.id, media });
        }
        break;
    }
  }

  // ----------------------------------------------------------- info, media

  /** Identity, profiles, features, mode pages; cached, so readable while another session owns the drive. */
  async info(): Promise<RecorderInfo> {
    if (this.#info && this.#infoStale) {
      const holder = await this.#o.coordinator.holder(this.id);
      // While another session owns the drive, the cached copy is what there is.
      if (!holder || holder.sessionId === this.#o.sessionId) {
        this.#info = undefined;
        this.#infoStale = false;
      }
    }
    if (this.#info) return this.#info;
    return this.#serial(async () => {
      if (this.#info) return this.#info;
      const { drive } = await this.#connect();
      this.#info = await readRecorderInfo(this.summary, drive);
      return this.#info;
    });
  }

  /** Disc present, type and status, capacity and free space, sessions and tracks. */
  media(): Promise<MediaState> {
    return this.#serial(async () => {
      const holder = await this.#o.coordinator.holder(this.id);
      if (holder && holder.sessionId !== this.#o.sessionId) {
        if (this.#media) return this.#media;
        throw err(
          'E_IMAPI_RECORDER_LOCKED',
          `The recorder is busy: owned by "${holder.clientName}".`,
        );
      }
      this.#media = await this.#readMedia();
      return this.#media;
    });
  }

  async #readMedia(): Promise<MediaState> {
    const none = (trayOpen: boolean | null): MediaState => ({
      present: false,
      trayOpen,
      profile: null,
      physicalType: 'IMAPI_MEDIA_TYPE_UNKNOWN',
      status: 'none',
      erasable: false,
      sessions: 0,
      tracks: [],
      blockSize: 2048,
      capacityBlocks: 0,
      freeBlocks: 0,
      nextWritableAddress: null,
    });
    const { drive } = await this.#connect();
    // TEST UNIT READY, waiting out "becoming ready"; 2/3A/xx = no medium.
    try {
      await drive.waitReady({ notReadyBudgetMs: 30_000 });
    } catch (error) {
      const s = error instanceof ScsiCommandError ? error.sense : undefined;
      const absent = mediumAbsence(s);
      if (absent) return none(absent.trayOpen);
      throw error;
    }
    let profileCode = 0;
    const config = await drive.run(
      getConfiguration({
        requestType: ConfigurationRequestType.Current,
        startingFeature: 0,
        allocationLength: 8,
      }),
      { allowCheckCondition: true },
    );
    if (config.status === 'good' && config.data.length >= 8) {
      profileCode = (config.data[6]! << 8) | config.data[7]!;
    }
    const profile = profileCode ? profileInfo(profileCode, true) : null;
    const physicalType = physicalTypeOf(profileCode);

    const discInfo = await drive.run(readDiscInformation(), { allowCheckCondition: true });
    if (discInfo.status !== 'good') {
      // Simple CD-ROM bridges: READ CAPACITY is all there is (protocol-notes.md, "Quirks").
      const cap = parseCapacity((await drive.run(readCapacity10())).data);
      const blocks = cap.lastLba + 1;
      return {
        ...none(false),
        present: true,
        profile,
        physicalType,
        status: 'complete',
        sessions: 1,
        tracks: [{ number: 1, session: 1, start: 0, size: blocks, mode: 'data' }],
        blockSize: cap.blockLength,
        capacityBlocks: blocks,
      };
    }
    const disc = parseDiscInformation(discInfo.data);
    const status: DiscStatus =
      disc.discStatus === MmcDiscStatus.Blank
        ? 'blank'
        : disc.discStatus === MmcDiscStatus.Appendable
          ? 'appendable'
          : disc.discStatus === MmcDiscStatus.Complete
            ? 'complete'
            : 'random-access';
    const tracks: TrackInfo[] = [];
    let free = 0;
    let nwa: number | null = null;
    let capacity = 0;
    const last = Math.min(disc.lastTrackInLastSession, disc.firstTrack + 98);
    for (let t = disc.firstTrack; t <= last; t++) {
      const r = await drive.run(
        readTrackInformation({ addressType: TrackAddressType.Track, address: t }),
        {
          allowCheckCondition: true,
        },
      );
      if (r.status !== 'good') break;
      const ti = parseTrackInformation(r.data);
      capacity = Math.max(capacity, ti.trackStart + ti.trackSize);
      if (ti.nwaValid) {
        nwa = ti.nextWritableAddress;
        free = ti.freeBlocks;
      }
      if (ti.blank && ti.trackSize === ti.freeBlocks && status !== 'random-access') continue;
      tracks.push({
        number: ti.trackNumber,
        session: ti.sessionNumber,
        start: ti.trackStart,
        size: ti.nwaValid ? ti.nextWritableAddress - ti.trackStart : ti.trackSize,
        mode: (ti.trackMode & 0x04) !== 0 ? 'data' : 'audio',
      });
    }
    if (status === 'complete' || status === 'random-access') {
      const cap = await drive.run(readCapacity10(), { allowCheckCondition: true });
      if (cap.status === 'good') capacity = Math.max(capacity, parseCapacity(cap.data).lastLba + 1);
    }
    const sessions = status === 'blank' ? 0 : disc.sessions - (disc.lastSessionState === 0 ? 1 : 0);
    return {
      present: true,
      trayOpen: false,
      profile,
      physicalType,
      status,
      erasable: disc.erasable,
      sessions,
      tracks,
      blockSize: 2048,
      capacityBlocks: capacity,
      freeBlocks: free,
      nextWritableAddress: nwa,
    };
  }

  // ---------------------------------------------------------- raw commands

  /** IDiscRecorder2Ex::SendCommandNoData / SendCommandGetDataFromDevice / SendCommandSendDataToDevice. */
  sendCommand(cdb: Uint8Array, data: RawData, timeoutMs?: number): Promise<RawResult> {
    if (cdb.length < 6 || cdb.length > 16) {
      return Promise.reject(
        err('E_INVALIDARG', `A CDB is 6 to 16 bytes; this one has ${cdb.length}.`),
      );
    }
    return this.#serial(async () => {
      await this.#assertNotLockedByOther();
      const request: ScsiRequest =
        data.direction === 'none'
          ? { cdb, direction: 'none', length: 0, timeoutMs }
          : data.direction === 'in'
            ? { cdb, direction: 'in', length: data.length, timeoutMs }
            : { cdb, direction: 'out', length: data.bytes.length, data: data.bytes, timeoutMs };
      const { transport } = await this.#connect();
      // Raw: no retries, no polling; the sense comes back as data.
      const r = await transport.execute(request, { timeoutMs });
      if (r.sense && isUnitAttention(r.sense)) this.#mediaChanged();
      return {
        status: r.status,
        data: r.data.slice(),
        transferred: r.transferred,
        sense: r.sense ?? null,
        senseText: r.sense ? describeSense(r.sense) : null,
      };
    });
  }

  // ------------------------------------------------------- IMAPI v1 facade

  /** IDiscRecorder::OpenExclusive: acquire with a fixed name and no count. */
  openExclusive(): Promise<void> {
    return this.#serial(async () => {
      if (this.#v1Open)
        throw err('IMAPI_E_ALREADYOPEN', 'The recorder is already open (OpenExclusive).');
      if (this.#count > 0) {
        throw err(
          'IMAPI_E_DEVICE_NOTACCESSIBLE',
          'This session holds IMAPI2 exclusive access; a recorder is committed to one API at a time.',
        );
      }
      await this.#takeDrive(false, V1_CLIENT_NAME);
      this.#v1Open = true;
      await this.#emitLock();
    });
  }

  /** IDiscRecorder::Close. */
  close(): Promise<void> {
    return this.#serial(async () => {
      this.#requireV1();
      this.#count = 1;
      await this.#giveBack();
    });
  }

  #requireV1(): void {
    if (!this.#v1Open) throw err('IMAPI_E_NOTOPENED', 'Call OpenExclusive() first.');
  }

  async queryMediaType(): Promise<MediaTypeV1> {
    this.#requireV1();
    const m = await this.media();
    const rewritable =
      m.erasable || ['random-access'].includes(m.status) || /RW|RE|RAM/.test(m.physicalType);
    const writable = m.present && m.status !== 'complete' && !/ROM/.test(m.physicalType);
    return { type: m.physicalType, blank: m.status === 'blank', rewritable, writable };
  }

  async queryMediaInfo(): Promise<MediaInfoV1> {
    this.#requireV1();
    const m = await this.media();
    const lastTrack = m.tracks.at(-1);
    return {
      sessions: m.sessions,
      lastTrack: lastTrack?.number ?? 0,
      startAddress: lastTrack?.start ?? 0,
      nextWritable: m.nextWritableAddress ?? 0,
      freeBlocks: m.freeBlocks,
    };
  }

  async ejectV1(): Promise<void> {
    this.#requireV1();
    await this.ejectMedia();
  }

  /** IDiscRecorder::Erase (v1): needs OpenExclusive; the tray stays locked throughout. */
  async erase(full: boolean, onProgress?: (fraction: number) => void): Promise<void> {
    this.#requireV1();
    await this.#runOperation(async (signal) => {
      const { drive } = await this.#connect();
      await eraseMedium(
        {
          drive,
          signal,
          media: () => this.#freshMedia(),
          progress: (f) => f !== null && onProgress?.(f),
        },
        full,
      );
    });
  }

  // ------------------------------------------------ erase, burn, read (IMAPI2)

  /** True while an erase or a burn runs on this recorder in this session. */
  get operationRunning(): boolean {
    return this.#operation !== undefined;
  }

  #assertNoOperation(): void {
    if (this.#operation) {
      throw err(
        'E_IMAPI_DF2DATA_WRITE_IN_PROGRESS',
        'An erase or a burn is running on this recorder.',
      );
    }
  }

  async #freshMedia(): Promise<MediaState> {
    this.#media = undefined;
    this.#media = await this.#readMedia();
    return this.#media;
  }

  /**
   * Runs an erase or burn body with the tray held for its duration, then
   * gives everything back, whatever happened (IMAPI2: the tray is never left
   * locked, and the lock count returns to what it was).
   */
  async #runOperation<T>(body: (signal: AbortController['signal']) => Promise<T>): Promise<T> {
    this.#assertNoOperation();
    const controller = new AbortController();
    this.#operation = controller;
    try {
      await this.#hold('internal');
      try {
        return await body(controller.signal);
      } finally {
        if (!this.#gone) await this.#unhold('internal').catch(() => undefined);
      }
    } finally {
      this.#operation = undefined;
      this.#media = undefined;
      if (!this.#gone) this.#o.coordinator.announce(this.id, 'media', this.#o.sessionId);
    }
  }

  /** Takes the lock with the caller's name for the operation, as IDiscFormat2Data::Write does. */
  async #withLock<T>(clientName: string, body: () => Promise<T>): Promise<T> {
    const problem = clientNameProblem(clientName);
    if (problem) throw err('E_INVALIDARG', problem);
    await this.#assertNotLockedByOther();
    this.#assertNoOperation();
    await this.acquire(false, clientName);
    try {
      return await body();
    } finally {
      if (!this.#gone && this.#count > 0) await this.release().catch(() => undefined);
    }
  }

  /** IDiscFormat2Erase::EraseMedia. Failures carry the disc's state afterwards, as burns' do. */
  async eraseMedia(
    options: EraseOptions,
    onProgress?: (p: Progress) => void,
  ): Promise<EraseReport> {
    try {
      return await this.#erase(options, onProgress);
    } catch (error) {
      throw await this.#operationFailure(error);
    }
  }

  /** Wraps a failed erase or burn with what the disc looks like now (when the drive can still say). */
  async #operationFailure(error: unknown): Promise<unknown> {
    const failure =
      error instanceof OperationError
        ? error
        : error instanceof WebdiscError
          ? new OperationError(error, null)
          : error;
    if (failure instanceof OperationError && !this.#gone) {
      failure.disc = await this.#freshMedia().catch(() => null);
    }
    return failure;
  }

  #erase(options: EraseOptions, onProgress?: (p: Progress) => void): Promise<EraseReport> {
    return this.#withLock(options.clientName, () =>
      this.#runOperation(async (signal) => {
        const { drive } = await this.#connect();
        return eraseMedium(
          {
            drive,
            signal,
            media: () => this.#freshMedia(),
            progress: (fraction, elapsedMs) =>
              onProgress?.({
                action: 'erasing',
                fraction,
                elapsedMs,
                remainingMs:
                  fraction && fraction > 0 && fraction < 1
                    ? Math.round((elapsedMs / fraction) * (1 - fraction))
                    : null,
              }),
          },
          options.full ?? false,
        );
      }),
    );
  }

  /** IDiscFormat2Data::Write. Failures carry where it stopped and the disc's state afterwards. */
  async burn(
    source: ImageSource,
    options: BurnOptions,
    onProgress?: (p: BurnProgress) => void,
  ): Promise<BurnReport> {
    try {
      return await this.#withLock(options.clientName, () =>
        this.#runOperation(async (signal) => {
          const { drive } = await this.#connect();
          return burnImage(
            {
              drive,
              signal,
              media: () => this.#freshMedia(),
              info: () => this.info(),
              progress: (p) => onProgress?.(p),
            },
            source,
            options,
          );
        }),
      );
    } catch (error) {
      throw await this.#operationFailure(error);
    }
  }

  /** Cancels the running erase or burn. */
  cancelOperation(): void {
    if (!this.#operation) throw err('E_FAIL', 'No erase or burn is running on this recorder.');
    this.#operation.abort();
  }

  /** READ(10) of `count` sectors at `lba`. */
  async readSectors(lba: number, count: number): Promise<Uint8Array> {
    if (
      !Number.isInteger(lba) ||
      lba < 0 ||
      !Number.isInteger(count) ||
      count < 1 ||
      count > 0xffff
    ) {
      throw err(
        'E_INVALIDARG',
        `Read ${count} sectors at LBA ${lba}: LBA must be >= 0 and count 1..65535.`,
      );
    }
    const holder = await this.#o.coordinator.holder(this.id);
    if (holder && holder.sessionId !== this.#o.sessionId) {
      throw err('E_IMAPI_RECORDER_LOCKED', `The recorder is locked by "${holder.clientName}".`);
    }
    const { drive } = await this.#connect();
    return (await drive.run(read10({ lba, blocks: count }))).data.slice();
  }
}
