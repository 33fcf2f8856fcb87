/**
 * The Bulk-Only Transport host (USB MSC BOT 1.0): the command state machine
 * (CBW, data phase, CSW, auto-sense). One command in flight per device;
 * concurrent callers are serialised. Every transfer is raced against the
 * command's deadline, and every protocol violation ends in reset recovery
 * (§5.3.4) before the caller hears about it (both in bot/recovery.ts).
 * Opening the device is bot/interface.ts.
 */
import {
  CancelledError,
  CommandTimeoutError,
  DecodeError,
  DeviceAccessError,
  DeviceBusyError,
  DeviceGoneError,
  DeviceUnusableError,
  TransportError,
  WebdiscError,
} from '../errors.ts';
import {
  validateRequest,
  type CommandResult,
  type ExecuteOptions,
  type ScsiRequest,
} from '../scsi/command.ts';
import { decodeSense, type Sense } from '../scsi/sense.ts';
import type { UsbDeviceLike, UsbInTransferResultLike, UsbOutTransferResultLike } from '../usb.ts';
import { delay, now } from '../timers.ts';
import {
  CSW_LENGTH,
  CswStatus,
  type Direction,
  decodeCsw,
  encodeCbw,
  looksLikeCsw,
  type Csw,
} from './wrappers.ts';
import {
  findMassStorageInterface,
  isGoneError,
  isStallError,
  openError,
  readMaxLun,
  toBytes,
  type MassStorageInterface,
} from './interface.ts';
import {
  Aborted,
  deadlineIn,
  platformTimeout,
  raceDeadline,
  resetPipes,
  RESET_TIMEOUT_MS,
  Timeout,
  type Deadline,
} from './recovery.ts';

// Old import paths stay valid: the runner's types live in scsi/command.ts,
// the interface search in bot/interface.ts.
export type { CommandResult, ExecuteOptions };
export { findMassStorageInterface, type MassStorageInterface };

/** WebUSB caps one transfer at 32 MiB (protocol-notes.md, "WebUSB specifics"). */
export const MAX_TRANSFER_LIMIT = 32 * 1024 * 1024;
const DEFAULT_MAX_TRANSFER = 1024 * 1024;
const DEFAULT_QUEUE_DEPTH = 4;
const DEFAULT_TIMEOUT_MS = 30_000;
/**
 * Pause after a Bulk-Only reset before escalating to a port reset. Linux
 * waits up to 6 s, interruptible by a disconnect; the commands that follow
 * (PREVENT again, TEST UNIT READY) poll for readiness themselves.
 */
const RESET_SETTLE_MS = 100;
const REQUEST_SENSE_LENGTH = 18;

export interface BotOptions {
  /** LUN to address; default 0 (the first). Must be <= the device's max LUN. */
  readonly lun?: number;
  /** Largest single transfer in a data phase; default 1 MiB, at most 32 MiB. */
  readonly maxTransferSize?: number;
  /** Transfers queued at once in a long data phase, so the bus never idles; default 4. */
  readonly queueDepth?: number;
  /** Per-command default timeout, from the CDB (see scsi/opcodes.ts). */
  readonly defaultTimeoutMs?: (cdb: Uint8Array) => number;
  /**
   * Runs right after a successful reset recovery, before any queued command,
   * with an executor that bypasses the queue. The recorder uses it to assert
   * PREVENT (and RESERVE) again: a Bulk-Only reset can clear them
   * (protocol-notes.md, "Quirks").
   */
  readonly afterReset?: (run: (request: ScsiRequest) => Promise<CommandResult>) => Promise<void>;
  /** Observes every command (the UI's command trace). */
  readonly onCommand?: (record: CommandRecord) => void;
  /**
   * Runs before a command's CBW goes out; throwing refuses it (nothing is
   * sent). The recorder uses it so that no write-class command reaches the
   * drive without an owner (exclusive-access.md).
   */
  readonly beforeCommand?: (cdb: Uint8Array) => void;
  /**
   * After a port reset the OS may bind its own driver to the interface again
   * (Linux re-probes: usb-storage takes it when it is loaded), and the claim
   * fails as busy. This takes it back from the OS; the claim is then retried.
   */
  readonly reclaimFromOs?: () => Promise<void>;
}

export interface CommandRecord {
  readonly cdb: Uint8Array;
  readonly direction: ScsiRequest['direction'];
  readonly length: number;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly result?: CommandResult | undefined;
  readonly error?: WebdiscError | undefined;
}

export class BulkOnlyTransport {
  readonly device: UsbDeviceLike;
  readonly interface: MassStorageInterface;
  readonly maxLun: number;
  readonly lun: number;
  readonly maxTransferSize: number;
  readonly queueDepth: number;

  #options: BotOptions;
  #tag = 1;
  #queue: Promise<unknown> = Promise.resolve();
  /** Transfers are queued that no data will fill: port-reset before the next command. */
  #stale = false;
  /** Port resets done (USB reset()), for tests and the trace. */
  portResets = 0;
  /**
   * The last recovery was a Bulk-Only reset alone and no command has
   * completed since: if the next one fails too, the class reset was not
   * enough and the recovery escalates to a port reset (Linux's SCSI error
   * handler goes from device reset to bus reset; QEMU 7.2's usb-bot stalls
   * every packet after a phase error until a port reset).
   */
  #classResetOnly = false;
  #gone = false;
  #unusable: DeviceUnusableError | undefined;
  /** Set while afterReset runs, so a failure inside it cannot recurse. */
  #inAfterReset = false;
  /** Rejects every pending race when the device disappears. */
  #goneSignal: { promise: Promise<never>; reject: (e: Error) => void };

  private constructor(
    device: UsbDeviceLike,
    iface: MassStorageInterface,
    maxLun: number,
    options: BotOptions,
  ) {
    this.device = device;
    this.interface = iface;
    this.maxLun = maxLun;
    this.#options = options;
    this.lun = options.lun ?? 0;
    const max = options.maxTransferSize ?? DEFAULT_MAX_TRANSFER;
    if (!Number.isInteger(max) || max < 512 || max > MAX_TRANSFER_LIMIT) {
      throw new RangeError(`maxTransferSize must be 512..${MAX_TRANSFER_LIMIT} bytes`);
    }
    this.maxTransferSize = max;
    this.queueDepth = Math.max(1, Math.min(16, options.queueDepth ?? DEFAULT_QUEUE_DEPTH));
    let reject!: (e: Error) => void;
    const promise = new Promise<never>((_, r) => (reject = r));
    promise.catch(() => undefined);
    this.#goneSignal = { promise, reject };
  }

  /**
   * Opens the device, selects the configuration, claims the BOT interface and
   * reads the max LUN. WebUSB's SecurityError (Chrome's protected class) and
   * NetworkError (the OS holds the interface) become ProtectedClassError and
   * DeviceBusyError (facts, no advice: the UI and the CLI say what to do), with
   * the reason.
   */
  static async connect(
    device: UsbDeviceLike,
    options: BotOptions = {},
  ): Promise<BulkOnlyTransport> {
    const iface = findMassStorageInterface(device);
    if (!iface) {
      throw new DeviceAccessError(
        'E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE',
        'This USB device has no Bulk-Only mass-storage interface (class 08h, subclass 02h/05h/06h, protocol 50h).',
      );
    }
    try {
      if (!device.opened) await device.open();
      if (device.configuration?.configurationValue !== iface.configurationValue) {
        await device.selectConfiguration(iface.configurationValue);
      }
      await device.claimInterface(iface.interfaceNumber);
    } catch (error) {
      throw openError(error);
    }
    const maxLun = await readMaxLun(device, iface.interfaceNumber);
    const lun = options.lun ?? 0;
    if (!Number.isInteger(lun) || lun < 0 || lun > maxLun) {
      throw new RangeError(`LUN ${lun} is not on this device (max LUN ${maxLun})`);
    }
    return new BulkOnlyTransport(device, iface, maxLun, options);
  }

  /** True once the device has disconnected or become unusable. */
  get usable(): boolean {
    return !this.#gone && this.#unusable === undefined;
  }

  /** Call from the platform's `disconnect` event: pending and future commands fail at once. */
  markDisconnected(): void {
    if (this.#gone) return;
    this.#gone = true;
    this.#goneSignal.reject(new DeviceGoneError());
  }

  /** Runs one command. Callers are serialised: one command in flight per device. */
  execute(request: ScsiRequest, options: ExecuteOptions = {}): Promise<CommandResult> {
    const run = this.#queue.then(() => this.#executeRecorded(request, options));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Reset recovery on request (e.g. the user's "reset device"); serialised like a command. */
  reset(): Promise<void> {
    const run = this.#queue.then(() => this.#resetRecovery(undefined));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Releases the interface and closes the device. Safe to call on a gone device. */
  async close(): Promise<void> {
    await this.#queue;
    if (this.#gone) return;
    try {
      await this.device.releaseInterface(this.interface.interfaceNumber);
    } catch {
      // Already released or gone: closing must not fail.
    }
    try {
      await this.device.close();
    } catch {
      // Same.
    }
  }

  async #executeRecorded(request: ScsiRequest, options: ExecuteOptions): Promise<CommandResult> {
    const startedAt = now();
    const record = (outcome: { result: CommandResult } | { error: WebdiscError }) =>
      this.#options.onCommand?.({
        cdb: request.cdb,
        direction: request.direction,
        length: request.length,
        startedAt,
        durationMs: now() - startedAt,
        ...outcome,
      });
    try {
      this.#options.beforeCommand?.(request.cdb);
      const result = await this.#execute(request, options);
      record({ result });
      return result;
    } catch (error) {
      const typed =
        error instanceof WebdiscError
          ? error
          : new TransportError(`USB transfer failed: ${String(error)}`, { cause: error });
      record({ error: typed });
      throw typed;
    }
  }

  async #execute(request: ScsiRequest, options: ExecuteOptions): Promise<CommandResult> {
    if (this.#gone) throw new DeviceGoneError();
    if (this.#unusable) throw this.#unusable;
    if (options.signal?.aborted)
      throw new CancelledError(undefined, { cause: options.signal.reason });
    validateRequest(request);
    const ms =
      options.timeoutMs ??
      request.timeoutMs ??
      this.#options.defaultTimeoutMs?.(request.cdb) ??
      DEFAULT_TIMEOUT_MS;
    const deadline = deadlineIn(ms, options.signal);
    try {
      const result = await this.#transaction(request, deadline, options.noAutoSense === true);
      this.#classResetOnly = false;
      if (this.#stale) await this.#resetRecovery(undefined, true);
      return result;
    } catch (error) {
      throw await this.#recover(error, request, deadline);
    }
  }

  /** Turns a failure inside a command into the typed error, after reset recovery where needed. */
  async #recover(error: unknown, request: ScsiRequest, deadline: Deadline): Promise<WebdiscError> {
    if (error instanceof DeviceGoneError || this.#gone || isGoneError(error)) {
      this.#gone = true;
      return error instanceof DeviceGoneError
        ? error
        : new DeviceGoneError(undefined, { cause: error });
    }
    if (error instanceof DeviceUnusableError) return error;
    let typed: WebdiscError;
    if (error instanceof Timeout) {
      typed = new CommandTimeoutError(
        `The device did not complete opcode 0x${request.cdb[0]!.toString(16).padStart(2, '0')} within ${deadline.ms} ms; the transport was reset.`,
      );
    } else if (error instanceof Aborted) {
      typed = new CancelledError(undefined, { cause: deadline.signal?.reason });
    } else if (error instanceof WebdiscError) {
      typed = error;
    } else {
      typed = new TransportError(`USB transfer failed: ${String(error)}`, { cause: error });
    }
    // A transfer we gave up on (timeout, cancel) is still queued on the host
    // and would swallow the next command's data or CSW: a class reset does not
    // cancel it, only a port reset does (issue 13, item 1).
    const abandoned = error instanceof Timeout || error instanceof Aborted;
    try {
      await this.#resetRecovery(typed, abandoned || this.#classResetOnly);
    } catch (resetError) {
      return resetError instanceof WebdiscError
        ? resetError
        : new DeviceUnusableError(String(resetError), { cause: typed });
    }
    return typed;
  }

  /** CBW, data, CSW, and auto-sense on status 1. Throws for the caller's recovery. */
  async #transaction(
    request: ScsiRequest,
    deadline: Deadline,
    noAutoSense: boolean,
  ): Promise<CommandResult> {
    const tag = this.#nextTag();
    const cbw = encodeCbw({
      tag,
      dataTransferLength: request.length,
      direction: request.direction as Direction,
      lun: this.lun,
      cdb: request.cdb,
    });
    const sent = await this.#race(
      this.#transferOut(this.interface.outEndpoint, cbw, deadline),
      deadline,
    );
    if (sent.status === 'stall' || sent.bytesWritten !== cbw.length) {
      // §5.3.1: a device that refuses the CBW is out of step: reset recovery.
      throw new TransportError(
        `The device refused the command block (status ${sent.status ?? 'ok'}).`,
      );
    }

    let data: Uint8Array = new Uint8Array(0);
    let transferred = 0;
    let earlyCsw: Uint8Array | undefined;
    if (request.direction === 'in') {
      const r = await this.#dataIn(request.length, deadline);
      data = r.data;
      transferred = r.data.length;
      earlyCsw = r.csw;
    } else if (request.direction === 'out') {
      transferred = await this.#dataOut(request.data!, deadline);
    }

    const csw = earlyCsw ? this.#checkCsw(earlyCsw, tag) : await this.#readCsw(tag, deadline);
    if (csw.status === CswStatus.PhaseError) {
      throw new TransportError('The device reported a phase error (CSW status 2).');
    }
    if (csw.status !== CswStatus.Passed && csw.status !== CswStatus.Failed) {
      throw new TransportError(`The device returned an invalid CSW status ${csw.status}.`);
    }
    const residue = Math.min(csw.residue, request.length);
    if (request.direction === 'in' && data.length > request.length - residue) {
      // The device padded its data (QEMU's usb-bot sends zeros up to the
      // host's length) and said so in the residue: the data is only
      // H - residue bytes (BOT §6.7.2; Linux takes the larger residue too).
      data = data.subarray(0, request.length - residue);
    }
    if (csw.status === CswStatus.Passed) {
      return { status: 'good', data, transferred, residue };
    }
    if (noAutoSense) {
      return { status: 'check-condition', data, transferred, residue };
    }
    const sense = await this.#autoSense(deadline);
    return {
      status: 'check-condition',
      data,
      transferred,
      residue,
      sense,
      emptySense: sense === undefined,
    };
  }

  /**
   * REQUEST SENSE after status 1. It can itself end in CHECK CONDITION with
   * zeroed data when a unit attention arrived in between: ask once more
   * (protocol-notes.md, "Quirks").
   */
  async #autoSense(deadline: Deadline): Promise<Sense | undefined> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const cdb = new Uint8Array([0x03, 0, 0, 0, REQUEST_SENSE_LENGTH, 0]);
      const r = await this.#transaction(
        { cdb, direction: 'in', length: REQUEST_SENSE_LENGTH },
        deadline,
        true,
      );
      if (r.status !== 'good') continue;
      if (r.data.length === 0 || r.data.every((b) => b === 0)) return undefined;
      try {
        const sense = decodeSense(r.data);
        return sense;
      } catch (error) {
        if (error instanceof DecodeError) return undefined;
        throw error;
      }
    }
    return undefined;
  }

  /**
   * Data-in phase, split into transfers of at most maxTransferSize with up to
   * queueDepth in flight. Ends early on a short packet, a STALL (cleared, then
   * the CSW is read: BOT §6.7.2) or babble. A short 13-byte read that parses
   * as a CSW means the device skipped the data (case 4/5): it is returned as
   * the CSW.
   */
  async #dataIn(
    length: number,
    deadline: Deadline,
  ): Promise<{ data: Uint8Array; csw?: Uint8Array | undefined }> {
    const chunk = this.maxTransferSize;
    const ep = this.interface.inEndpoint;
    const single = length <= chunk;
    const out = single ? undefined : new Uint8Array(length);
    let offset = 0;
    let requested = 0;
    const inflight: { promise: Promise<UsbInTransferResultLike>; size: number }[] = [];
    const issue = () => {
      while (inflight.length < this.queueDepth && requested < length) {
        const size = Math.min(chunk, length - requested);
        const promise = this.#transferIn(ep, size, deadline);
        // Awaited in order below; when an earlier one ends the phase with an
        // error (a disconnect, a timeout), the later ones are never awaited
        // and their rejection must not surface as an unhandled one, which
        // ends a Node process (issue 20: found by the device-response fuzz).
        promise.catch(() => undefined);
        inflight.push({ promise, size });
        requested += size;
      }
    };
    issue();
    let ended = false;
    let csw: Uint8Array | undefined;
    let first: Uint8Array | undefined;
    while (inflight.length > 0) {
      const { promise, size } = inflight.shift()!;
      const result = await this.#race(promise, deadline);
      const bytes = toBytes(result.data);
      if (ended) {
        // Transfers queued past the end of the data: the CSW, a STALL, or a
        // zero-length packet may land in them.
        if (result.status === 'stall') {
          await this.#clearHalt('in', deadline);
        } else if (!csw && looksLikeCsw(bytes)) {
          csw = bytes.slice();
        }
        if (csw && inflight.length > 0 && this.device.reset) {
          // The data ended early (a short packet, no STALL) and the CSW is in:
          // nothing will ever fill the transfers still queued, so stop
          // waiting for them (issue 13, item 5); a port reset cancels them
          // before the next command.
          for (const left of inflight) left.promise.catch(() => undefined);
          inflight.length = 0;
          this.#stale = true;
        }
        continue;
      }
      if (result.status === 'stall') {
        await this.#clearHalt('in', deadline);
        ended = true;
        continue;
      }
      if (bytes.length < size && bytes.length === CSW_LENGTH && looksLikeCsw(bytes)) {
        csw = bytes.slice();
        ended = true;
        continue;
      }
      const take = Math.min(bytes.length, length - offset);
      if (single) first = bytes.subarray(0, take);
      else out!.set(bytes.subarray(0, take), offset);
      offset += take;
      if (result.status === 'babble' || bytes.length < size) {
        ended = true;
        continue;
      }
      issue();
    }
    const data = single ? (first ?? new Uint8Array(0)) : out!.subarray(0, offset);
    return { data, csw };
  }

  /** Data-out phase with up to queueDepth transfers in flight. A STALL ends it (BOT §6.7.3). */
  async #dataOut(data: Uint8Array, deadline: Deadline): Promise<number> {
    const chunk = this.maxTransferSize;
    const ep = this.interface.outEndpoint;
    let requested = 0;
    let written = 0;
    const inflight: Promise<UsbOutTransferResultLike>[] = [];
    let stalled = false;
    const issue = () => {
      while (!stalled && inflight.length < this.queueDepth && requested < data.length) {
        const size = Math.min(chunk, data.length - requested);
        const promise = this.#transferOut(ep, data.subarray(requested, requested + size), deadline);
        // As in the data-in phase: never an unhandled rejection for a transfer left behind.
        promise.catch(() => undefined);
        inflight.push(promise);
        requested += size;
      }
    };
    issue();
    while (inflight.length > 0) {
      const result = await this.#race(inflight.shift()!, deadline);
      written += result.bytesWritten;
      if (result.status === 'stall') {
        if (!stalled) await this.#clearHalt('out', deadline);
        stalled = true;
        continue;
      }
      issue();
    }
    return written;
  }

  /**
   * Reads the CSW (BOT §5.3.3 / §6.7): a zero-length read is read again; a
   * STALL is cleared and the read retried once. Anything else invalid throws
   * for reset recovery.
   */
  async #readCsw(tag: number, deadline: Deadline): Promise<Csw> {
    let stalls = 0;
    for (let attempt = 0; attempt < 4; attempt++) {
      const result = await this.#race(
        this.#transferIn(this.interface.inEndpoint, CSW_LENGTH, deadline),
        deadline,
      );
      if (result.status === 'stall') {
        if (++stalls > 1) throw new TransportError('The CSW endpoint stalled twice.');
        await this.#clearHalt('in', deadline);
        continue;
      }
      const bytes = toBytes(result.data);
      if (bytes.length === 0) continue;
      if (result.status === 'babble')
        throw new TransportError('The device babbled in the status phase.');
      return this.#checkCsw(bytes, tag);
    }
    throw new TransportError('The device returned no CSW.');
  }

  /** §6.3: valid = 13 bytes + signature; meaningful = matching tag. Else reset recovery. */
  #checkCsw(bytes: Uint8Array, tag: number): Csw {
    let csw: Csw;
    try {
      csw = decodeCsw(bytes);
    } catch (error) {
      throw new TransportError(`Invalid CSW: ${(error as Error).message}`, { cause: error });
    }
    if (csw.tag !== tag) {
      throw new TransportError(
        `CSW tag 0x${csw.tag.toString(16)} does not match CBW tag 0x${tag.toString(16)}.`,
      );
    }
    return csw;
  }

  /**
   * Reset recovery, BOT §5.3.4 (bot/recovery.ts), then `afterReset`. If the
   * reset fails the device is unusable until it is replugged.
   */
  async #resetRecovery(cause: unknown, portReset = false): Promise<void> {
    if (this.#gone) throw new DeviceGoneError(undefined, { cause });
    const deadline = deadlineIn(RESET_TIMEOUT_MS);
    // Escalation as Linux usb-storage does it (transport.c: the Bulk-Only
    // reset, a settle delay, then a port reset when that is not enough). A
    // class reset refused by the platform (Chrome blocks control transfers
    // to a protected interface) goes straight to the port reset.
    let classReset: unknown;
    try {
      await resetPipes(this.device, this.interface, (promise) => this.#race(promise, deadline));
      if (portReset) await delay(RESET_SETTLE_MS);
    } catch (error) {
      this.#throwIfGone(error);
      classReset = error;
    }
    const escalate = (portReset || classReset !== undefined) && this.device.reset !== undefined;
    this.#classResetOnly = !escalate && classReset === undefined;
    if (escalate) {
      try {
        await this.#portReset(deadline);
        classReset = undefined;
      } catch (error) {
        this.#throwIfGone(error);
        classReset = error;
      }
    }
    if (classReset !== undefined) {
      this.#unusable = new DeviceUnusableError(
        'The device did not recover from a Bulk-Only reset; unplug it and plug it in again.',
        { cause: classReset instanceof Timeout ? cause : classReset },
      );
      throw this.#unusable;
    }
    if (this.#options.afterReset && !this.#inAfterReset) {
      const run = (request: ScsiRequest) =>
        this.#execute(request, { timeoutMs: request.timeoutMs ?? RESET_TIMEOUT_MS });
      this.#inAfterReset = true;
      try {
        await this.#options.afterReset(run);
      } finally {
        this.#inAfterReset = false;
      }
    }
  }

  /** A failure that means the device went away ends everything: DeviceGoneError. */
  #throwIfGone(error: unknown): void {
    if (this.#gone || isGoneError(error)) {
      this.#gone = true;
      throw new DeviceGoneError(undefined, { cause: error });
    }
  }

  /**
   * USB port reset (WebUSB reset()): cancels every queued transfer. The device
   * stays open; claim the interface again in case the platform dropped it.
   * PREVENT and RESERVE are gone after it: `afterReset` asserts them again.
   */
  async #portReset(deadline: Deadline): Promise<void> {
    this.#stale = false;
    await this.#race(this.device.reset!(), deadline);
    this.portResets++;
    if (!this.device.opened) await this.#race(this.device.open(), deadline);
    const claim = () =>
      this.#race(this.device.claimInterface(this.interface.interfaceNumber), deadline);
    try {
      await claim();
    } catch (error) {
      this.#throwIfGone(error);
      if (!this.#options.reclaimFromOs || !(openError(error) instanceof DeviceBusyError))
        throw error;
      // We held the interface until our own reset: taking it back is no force.
      await this.#race(this.#options.reclaimFromOs(), deadline);
      await claim();
    }
  }

  async #clearHalt(direction: 'in' | 'out', deadline: Deadline): Promise<void> {
    const ep = direction === 'in' ? this.interface.inEndpoint : this.interface.outEndpoint;
    await this.#race(this.device.clearHalt(direction, ep), deadline);
  }

  #transferIn(ep: number, length: number, deadline: Deadline): Promise<UsbInTransferResultLike> {
    return this.device.transferIn(ep, length, platformTimeout(deadline)).catch((error: unknown) => {
      if (isStallError(error) && !isGoneError(error)) return { status: 'stall' as const };
      throw error;
    });
  }

  #transferOut(
    ep: number,
    data: Uint8Array,
    deadline: Deadline,
  ): Promise<UsbOutTransferResultLike> {
    return this.device.transferOut(ep, data, platformTimeout(deadline)).catch((error: unknown) => {
      if (isStallError(error) && !isGoneError(error))
        return { status: 'stall' as const, bytesWritten: 0 };
      throw error;
    });
  }

  /** Races a transfer against the deadline, the caller's signal and a disconnect. */
  #race<T>(promise: Promise<T>, deadline: Deadline): Promise<T> {
    return raceDeadline(promise, deadline, this.#goneSignal.promise);
  }

  #nextTag(): number {
    const tag = this.#tag;
    this.#tag = this.#tag >= 0xffffffff ? 1 : this.#tag + 1;
    return tag;
  }
}
