/**
 * What a session does with the drive beyond the lock: erase and burn
 * (IDiscFormat2Erase, IDiscFormat2Data) with the tray held and a way to
 * cancel them, sector reads, and raw commands (IDiscRecorder2Ex).
 */
import type { ScsiDrive } from '../../usb-mass-storage/src/scsi/scsi-drive.ts';
import { isUnitAttention } from '../../usb-mass-storage/src/scsi/scsi-drive.ts';
import { WebdiscError } from '../../usb-mass-storage/src/errors.ts';
import type { ScsiRequest } from '../../usb-mass-storage/src/scsi/command.ts';
import { describeSense } from '../../usb-mass-storage/src/scsi/sense-table.ts';
import { read10 } from '../../usb-mass-storage/src/scsi/sbc.ts';
import type { AbortSignalLike } from '../../usb-mass-storage/src/timers.ts';
import type {
  BurnOptions,
  BurnProgress,
  BurnReport,
  EraseOptions,
  EraseReport,
  MediaState,
  Progress,
  RawData,
  RawResult,
} from '../../contract/api.ts';
import { clientNameProblem } from '../../contract/client-name.ts';
import { OperationError, burnImage } from '../recording/burn.ts';
import { eraseMedium } from '../recording/erase.ts';
import type { ImageSource } from '../recording/source.ts';
import type { Connection } from './connection.ts';
import { err, type RecorderContext } from './context.ts';
import type { ExclusiveAccess } from './exclusive-access.ts';
import type { MediaTracker } from './media-state.ts';
import type { Tray } from './tray.ts';

/** The parts an operation works through. */
export interface OperationParts {
  readonly conn: Connection;
  readonly access: ExclusiveAccess;
  readonly tray: Tray;
  readonly media: MediaTracker;
}

/** What erase and burn get to work with: the drive, the cancel signal, a fresh read of the medium. */
export interface DriveWork {
  readonly drive: ScsiDrive;
  readonly signal: AbortSignalLike;
  media(): Promise<MediaState>;
}

export class Operations {
  readonly #ctx: RecorderContext;
  readonly #p: OperationParts;
  /** The running erase or burn, to cancel it. */
  #operation: AbortController | undefined;

  constructor(ctx: RecorderContext, parts: OperationParts) {
    this.#ctx = ctx;
    this.#p = parts;
  }

  /** True while an erase or a burn runs on this recorder in this session. */
  get running(): boolean {
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

  /**
   * Runs an erase or burn body with the tray held for its duration, then
   * gives everything back, whatever happened (IMAPI2: the tray is never left
   * locked, and the lock count returns to what it was).
   */
  async #run<T>(body: (signal: AbortController['signal']) => Promise<T>): Promise<T> {
    this.#assertNoOperation();
    const controller = new AbortController();
    this.#operation = controller;
    try {
      await this.#p.tray.hold('internal');
      try {
        return await body(controller.signal);
      } finally {
        if (!this.#ctx.gone) await this.#p.tray.unhold('internal').catch(() => undefined);
      }
    } finally {
      this.#operation = undefined;
      this.#p.media.forget();
      if (!this.#ctx.gone) this.#ctx.announceMedia();
    }
  }

  /** An erase or burn body run as #run runs it, handed the drive it works on. */
  onDrive<T>(body: (work: DriveWork) => Promise<T>): Promise<T> {
    return this.#run(async (signal) => {
      const { drive } = await this.#p.conn.connect();
      return body({ drive, signal, media: () => this.#p.media.fresh() });
    });
  }

  /**
   * A long read (saving a disc): cancellable like an erase or burn and never
   * run beside one, but it takes neither the lock nor the tray (reading
   * changes nothing; IMAPI reads without exclusive access). Refused while
   * another session owns the drive, as every read is.
   */
  async onDriveForReading<T>(body: (work: DriveWork) => Promise<T>): Promise<T> {
    const holder = await this.#ctx.otherHolder();
    if (holder) {
      throw err('E_IMAPI_RECORDER_LOCKED', `The recorder is locked by "${holder.clientName}".`);
    }
    this.#assertNoOperation();
    const controller = new AbortController();
    this.#operation = controller;
    try {
      const { drive } = await this.#p.conn.connect();
      return await body({ drive, signal: controller.signal, media: () => this.#p.media.fresh() });
    } finally {
      this.#operation = undefined;
    }
  }

  /**
   * Takes the drive for the operation with the caller's name, as
   * IDiscFormat2Data::Write does, on a hold of its own that no release by the
   * client can take (issue 14, item 2); it goes when the operation ends.
   */
  async #withLock<T>(clientName: string, body: () => Promise<T>): Promise<T> {
    const problem = clientNameProblem(clientName);
    if (problem) throw err('E_INVALIDARG', problem);
    await this.#ctx.assertNotLockedByOther();
    this.#assertNoOperation();
    const { access } = this.#p;
    await access.holdForOperation(clientName);
    try {
      return await body();
    } finally {
      if (!this.#ctx.gone) await access.endOperation().catch(() => undefined);
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
    if (failure instanceof OperationError && !this.#ctx.gone) {
      failure.disc = await this.#p.media.fresh().catch(() => null);
    }
    return failure;
  }

  #erase(options: EraseOptions, onProgress?: (p: Progress) => void): Promise<EraseReport> {
    return this.#withLock(options.clientName, () =>
      this.onDrive((work) =>
        eraseMedium(
          {
            ...work,
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
        ),
      ),
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
        this.onDrive((work) =>
          burnImage(
            {
              ...work,
              info: () => this.#p.media.info(),
              progress: (p) => onProgress?.(p),
            },
            source,
            options,
          ),
        ),
      );
    } catch (error) {
      throw await this.#operationFailure(error);
    }
  }

  /** Cancels the running erase or burn. */
  cancel(): void {
    if (!this.#operation)
      throw err('E_FAIL', 'No erase, burn or save is running on this recorder.');
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
    const holder = await this.#ctx.otherHolder();
    if (holder) {
      throw err('E_IMAPI_RECORDER_LOCKED', `The recorder is locked by "${holder.clientName}".`);
    }
    const { drive } = await this.#p.conn.connect();
    return (await drive.run(read10({ lba, blocks: count }))).data.slice();
  }

  /** IDiscRecorder2Ex::SendCommandNoData / SendCommandGetDataFromDevice / SendCommandSendDataToDevice. */
  sendCommand(cdb: Uint8Array, data: RawData, timeoutMs?: number): Promise<RawResult> {
    if (cdb.length < 6 || cdb.length > 16) {
      return Promise.reject(
        err('E_INVALIDARG', `A CDB is 6 to 16 bytes; this one has ${cdb.length}.`),
      );
    }
    return this.#ctx.serial(async () => {
      await this.#ctx.assertNotLockedByOther();
      const request: ScsiRequest =
        data.direction === 'none'
          ? { cdb, direction: 'none', length: 0, timeoutMs }
          : data.direction === 'in'
            ? { cdb, direction: 'in', length: data.length, timeoutMs }
            : { cdb, direction: 'out', length: data.bytes.length, data: data.bytes, timeoutMs };
      const { transport } = await this.#p.conn.connect();
      // Raw: no retries, no polling; the sense comes back as data.
      const r = await transport.execute(request, { timeoutMs });
      if (r.sense && isUnitAttention(r.sense)) this.#p.media.changed();
      return {
        status: r.status,
        data: r.data.slice(),
        transferred: r.transferred,
        sense: r.sense ?? null,
        senseText: r.sense ? describeSense(r.sense) : null,
      };
    });
  }
}
