/**
 * What the parts of one recorder share: the options the service hands in,
 * whether the device is gone, the queue that serialises compound operations,
 * and the cross-session lock record as each part asks it.
 */
import { WebdiscError } from '../../usb-mass-storage/src/errors.ts';
import type { BotOptions } from '../../usb-mass-storage/src/bot/transport.ts';
import type { UsbDeviceLike } from '../../usb-mass-storage/src/usb.ts';
import type { RecorderEvent, RecorderSummary } from '../../contract/api.ts';
import type { LockCoordinator, LockHolder } from '../coordinator.ts';

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
  readonly transport?:
    Omit<BotOptions, 'afterReset' | 'onCommand' | 'beforeCommand' | 'reclaimFromOs'> | undefined;
  /** GESN polling period while MCN is enabled; 0 disables polling. */
  readonly mcnIntervalMs?: number | undefined;
}

export function err(
  name: ConstructorParameters<typeof WebdiscError>[0],
  message: string,
): WebdiscError {
  return new WebdiscError(name, message);
}

export class RecorderContext {
  readonly options: RecorderOptions;
  /** The device went away: nothing may touch it again. */
  gone = false;
  #ops: Promise<unknown> = Promise.resolve();

  constructor(options: RecorderOptions) {
    this.options = options;
  }

  get id(): string {
    return this.options.summary.id;
  }

  get sessionId(): string {
    return this.options.sessionId;
  }

  /** Compound operations on this recorder run one at a time. */
  serial<T>(body: () => Promise<T>): Promise<T> {
    const run = this.#ops.then(body);
    this.#ops = run.catch(() => undefined);
    return run;
  }

  emit(event: RecorderEvent): void {
    this.options.emit(event);
  }

  /** The live holder of the cross-session lock record, if any. */
  holder(): Promise<LockHolder | undefined> {
    return this.options.coordinator.holder(this.id);
  }

  /** The holder when it is another session; undefined when free or ours. */
  async otherHolder(): Promise<LockHolder | undefined> {
    const holder = await this.holder();
    return holder && holder.sessionId !== this.sessionId ? holder : undefined;
  }

  /** Operations that change the drive fail while another session owns it. */
  async assertNotLockedByOther(): Promise<void> {
    const holder = await this.otherHolder();
    if (holder) {
      throw err(
        'E_IMAPI_RECORDER_LOCKED',
        `The recorder is locked for exclusive access by "${holder.clientName}".`,
      );
    }
  }

  /** Tells the other sessions to re-read the medium. */
  announceMedia(): void {
    this.options.coordinator.announce(this.id, 'media', this.sessionId);
  }
}
