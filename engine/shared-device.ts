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

export class SharedDeviceHandle implements UsbDeviceLike {
  readonly #device: UsbDeviceLike;
  #opened = false;
  #claimed = new Set<number>();

  constructor(device: UsbDeviceLike) {
    this.#device = device;
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
  }

  controlTransferIn(
    setup: UsbControlTransferParametersLike,
    length: number,
  ): Promise<UsbInTransferResultLike> {
    this.#ready(false);
    return this.#device.controlTransferIn(setup, length);
  }

  controlTransferOut(
    setup: UsbControlTransferParametersLike,
    data?: BufferSourceLike,
  ): Promise<UsbOutTransferResultLike> {
    this.#ready(false);
    return this.#device.controlTransferOut(setup, data ?? new Uint8Array(0));
  }

  transferIn(
    endpoint: number,
    length: number,
    timeoutMs?: number,
  ): Promise<UsbInTransferResultLike> {
    this.#ready(true);
    return this.#device.transferIn(endpoint, length, timeoutMs);
  }

  transferOut(
    endpoint: number,
    data: BufferSourceLike,
    timeoutMs?: number,
  ): Promise<UsbOutTransferResultLike> {
    this.#ready(true);
    return this.#device.transferOut(endpoint, data, timeoutMs);
  }

  clearHalt(direction: 'in' | 'out', endpoint: number): Promise<void> {
    this.#ready(false);
    return this.#device.clearHalt(direction, endpoint);
  }

  /** A port reset reaches the shared device itself: it cancels every session's queued transfers. */
  reset(): Promise<void> {
    this.#ready(false);
    return this.#device.reset ? this.#device.reset() : Promise.resolve();
  }
}
