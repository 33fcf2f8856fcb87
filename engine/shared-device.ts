/**
 * One physical (or virtual) USB device, many sessions. Each tab of a browser
 * opens its own handle to a real drive; the virtual recorder is one object,
 * so each session gets a handle that keeps its own opened / configuration /
 * claimed state (as Chrome keeps per-handle state) and forwards transfers to
 * the device. Closing one handle never closes the drive under another.
 */
import type {
  BufferSourceLike,
  UsbConfigurationLike,
  UsbControlTransferParametersLike,
  UsbDeviceLike,
  UsbInTransferResultLike,
  UsbOutTransferResultLike,
} from '../usb-mass-storage/src/usb.ts';

function domError(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

/**
 * One Bulk-Only transaction at a time on the device, whichever session sends
 * it. A drive serves one command block at a time (BOT §5: CBW, data, CSW);
 * two sessions whose transactions interleave take each other's data and CSWs
 * (the model-based test of issue 14 found CSWs with another session's tag).
 * A session's CBW waits until the transaction before it ended: its CSW came
 * back, or its session reset the pipes, reset the port or closed.
 */
class TransactionLock {
  #owner: SharedDeviceHandle | undefined;
  #waiters: (() => void)[] = [];

  #grace: ReturnType<typeof setTimeout> | undefined;

  async take(handle: SharedDeviceHandle): Promise<void> {
    while (this.#owner !== undefined && this.#owner !== handle) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    this.#owner = handle;
    this.#clearGrace();
  }

  /**
   * A command that failed (CSW status 1) is followed by its REQUEST SENSE
   * (SPC-4 §5.12: the sense is kept for the next command of the same nexus,
   * and every session shares the drive's one nexus): the owner keeps the
   * device for it, or another session's command would consume the sense (the
   * model-based test of issue 14 saw a unit attention taken by another
   * session, and PREVENT never re-asserted). If no command follows, the
   * device is handed on after `ms`.
   */
  endLater(handle: SharedDeviceHandle, ms: number): void {
    if (this.#owner !== handle) return;
    this.#clearGrace();
    this.#grace = setTimeout(() => this.end(handle), ms);
  }

  #clearGrace(): void {
    if (this.#grace !== undefined) clearTimeout(this.#grace);
    this.#grace = undefined;
  }

  end(handle: SharedDeviceHandle): void {
    if (this.#owner !== handle) return;
    this.#clearGrace();
    this.#owner = undefined;
    for (const wake of this.#waiters.splice(0)) wake();
  }
}

const locks = new WeakMap<UsbDeviceLike, TransactionLock>();

function bytesOf(data: BufferSourceLike | DataView | undefined): Uint8Array | undefined {
  if (!data) return undefined;
  return data instanceof ArrayBuffer
    ? new Uint8Array(data)
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** A wrapper of `length` bytes starting with `signature` (BOT §5.1 CBW "USBC", §5.2 CSW "USBS"). */
function isWrapper(bytes: Uint8Array | undefined, length: number, signature: number): boolean {
  return (
    bytes !== undefined &&
    bytes.length === length &&
    new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true) === signature
  );
}

const CBW_SIGNATURE = 0x43425355;
/** How long a failed command's session keeps the device for its REQUEST SENSE. */
const SENSE_GRACE_MS = 1000;
const CSW_SIGNATURE = 0x53425355;

export class SharedDeviceHandle implements UsbDeviceLike {
  readonly #device: UsbDeviceLike;
  #opened = false;
  #claimed = new Set<number>();

  readonly #lock: TransactionLock;
  /** A class reset was sent: the transaction lock is kept until its CLEAR FEATUREs are done. */
  #recovering = false;

  constructor(device: UsbDeviceLike) {
    this.#device = device;
    let lock = locks.get(device);
    if (!lock) locks.set(device, (lock = new TransactionLock()));
    this.#lock = lock;
  }

  get vendorId(): number {
    return this.#device.vendorId;
  }
  get productId(): number {
    return this.#device.productId;
  }
  get manufacturerName(): string | null | undefined {
    return this.#device.manufacturerName;
  }
  get productName(): string | null | undefined {
    return this.#device.productName;
  }
  get serialNumber(): string | null | undefined {
    return this.#device.serialNumber;
  }
  get configurations(): readonly UsbConfigurationLike[] {
    return this.#device.configurations;
  }
  get configuration(): UsbConfigurationLike | null | undefined {
    return this.#opened ? this.#device.configuration : null;
  }
  get opened(): boolean {
    return this.#opened;
  }

  #ready(interfaceNeeded: boolean): void {
    if (!this.#opened) throw domError('InvalidStateError', 'The device must be opened first.');
    if (interfaceNeeded && this.#claimed.size === 0) {
      throw domError('InvalidStateError', 'The interface must be claimed first.');
    }
  }

  async open(): Promise<void> {
    if (!this.#device.opened) await this.#device.open();
    this.#opened = true;
  }

  async close(): Promise<void> {
    this.#opened = false;
    this.#claimed.clear();
    this.#lock.end(this);
  }

  async selectConfiguration(value: number): Promise<void> {
    this.#ready(false);
    if (this.#device.configuration?.configurationValue !== value) {
      await this.#device.selectConfiguration(value);
    }
  }

  async claimInterface(n: number): Promise<void> {
    this.#ready(false);
    const iface = this.#device.configuration?.interfaces.find((i) => i.interfaceNumber === n);
    if (!iface?.claimed) await this.#device.claimInterface(n);
    this.#claimed.add(n);
  }

  async releaseInterface(n: number): Promise<void> {
    this.#ready(false);
    this.#claimed.delete(n);
    this.#lock.end(this);
  }

  controlTransferIn(
    setup: UsbControlTransferParametersLike,
    length: number,
  ): Promise<UsbInTransferResultLike> {
    this.#ready(false);
    return this.#device.controlTransferIn(setup, length);
  }

  async controlTransferOut(
    setup: UsbControlTransferParametersLike,
    data?: BufferSourceLike,
  ): Promise<UsbOutTransferResultLike> {
    this.#ready(false);
    // Reset recovery (BOT §5.3.4: the class reset, then CLEAR FEATURE on
    // bulk-in and bulk-out) is a transaction of its own: it must not cut
    // another session's command in half.
    if (setup.requestType === 'class') {
      await this.#lock.take(this);
      this.#recovering = true;
    }
    return this.#device.controlTransferOut(setup, data ?? new Uint8Array(0));
  }

  async transferIn(
    endpoint: number,
    length: number,
    timeoutMs?: number,
  ): Promise<UsbInTransferResultLike> {
    this.#ready(true);
    const r = await this.#device.transferIn(endpoint, length, timeoutMs);
    const bytes = bytesOf(r.data);
    if (isWrapper(bytes, 13, CSW_SIGNATURE)) {
      // bCSWStatus (BOT §5.2, byte 12): 1 = command failed, its sense comes next.
      if (bytes![12] === 1) this.#lock.endLater(this, SENSE_GRACE_MS);
      else this.#lock.end(this);
    }
    return r;
  }

  async transferOut(
    endpoint: number,
    data: BufferSourceLike,
    timeoutMs?: number,
  ): Promise<UsbOutTransferResultLike> {
    this.#ready(true);
    if (isWrapper(bytesOf(data), 31, CBW_SIGNATURE)) await this.#lock.take(this);
    return this.#device.transferOut(endpoint, data, timeoutMs);
  }

  async clearHalt(direction: 'in' | 'out', endpoint: number): Promise<void> {
    this.#ready(false);
    await this.#lock.take(this);
    try {
      await this.#device.clearHalt(direction, endpoint);
    } finally {
      // Bulk-out is the last step of a reset recovery; inside a command a
      // cleared halt is followed by the CSW, which ends the transaction.
      if (this.#recovering && direction === 'out') {
        this.#recovering = false;
        this.#lock.end(this);
      }
    }
  }

  /** A port reset reaches the shared device itself: it cancels every session's queued transfers. */
  async reset(): Promise<void> {
    this.#ready(false);
    await this.#lock.take(this);
    try {
      if (this.#device.reset) await this.#device.reset();
    } finally {
      this.#recovering = false;
      this.#lock.end(this);
    }
  }
}
