/**
 * The simulated USB device: WebUSB's USBDevice surface (the `UsbDeviceLike`
 * subset of usb-mass-storage/src/usb.ts plus reset()), with the descriptors
 * of a real USB optical drive (descriptors.ts) and the device side of USB
 * Mass Storage Bulk-Only Transport 1.0 behind its bulk pipes (bot-engine.ts).
 *
 * - Get Max LUN (BOT §3.2, A1h/FEh) answers 0, or STALLs (`maxLun: 'stall'`,
 *   as some devices do); Bulk-Only Mass Storage Reset (BOT §3.1, 21h/FFh)
 *   goes to the BOT engine.
 *
 * WebUSB behaviour (WebUSB §6, Chrome's usb_device.cc): a stall resolves with
 * status "stall", never throws; calls before open() or claimInterface() reject
 * with InvalidStateError / NotFoundError; after a disconnect every call
 * rejects with NotFoundError; close() and releaseInterface() abort pending
 * transfers (AbortError); transfers above `maxTransferBytes` fail with
 * NetworkError. The host may reuse its transferOut buffer once the promise
 * settles (the device copies what it keeps, nothing earlier).
 */
import type {
  BufferSourceLike,
  UsbConfigurationLike,
  UsbControlTransferParametersLike,
  UsbDeviceLike,
  UsbInTransferResultLike,
  UsbOutTransferResultLike,
} from '../../../usb-mass-storage/src/usb.ts';
import { UsbMessages, usbError, type UsbDomError } from '../errors.ts';
import type { BotContext } from './bot-context.ts';
import { BotEngine, type BotPhase } from './bot-engine.ts';
import {
  BULK_IN_ENDPOINT,
  BULK_OUT_ENDPOINT,
  CONFIGURATION_VALUE,
  Configuration,
  INTERFACE_NUMBER,
  configurationDescriptor,
  deviceDescriptor,
  type DeviceIdentity,
} from './descriptors.ts';
import { dataView, stalledIn, view } from './transfers.ts';

/** WebUSB in Chrome caps one transfer at 32 MiB (usbfs); larger ones fail as a transfer error. */
export const DEFAULT_MAX_TRANSFER_BYTES = 32 * 1024 * 1024;

/** The BOT engine's context (the behaviour switches, the target, faults, observer, clock) and more. */
export interface DeviceContext extends BotContext {
  readonly identity: DeviceIdentity;
  /** True while the OS "holds" the drive and claiming must fail (see `mountedBlocksClaim`). */
  readonly claimBlocked: () => boolean;
  /** Called when a fault makes the device unplug itself; must end in `device.unplug()`. */
  readonly onUnplug: (device: VirtualUsbDevice) => void;
}

export class VirtualUsbDevice implements UsbDeviceLike {
  readonly vendorId: number;
  readonly productId: number;
  readonly manufacturerName: string;
  readonly productName: string;
  readonly serialNumber: string;
  readonly deviceClass = 0x00;
  readonly usbVersionMajor = 2;
  readonly usbVersionMinor = 0;
  readonly configurations: readonly UsbConfigurationLike[];

  readonly #c: DeviceContext;
  readonly #bot: BotEngine;
  #gone = false;
  #opened = false;
  #configured = true; // the OS configured the device when it enumerated
  #claimed = false;

  constructor(context: DeviceContext) {
    this.#c = context;
    const id = context.identity;
    this.vendorId = id.vendorId;
    this.productId = id.productId;
    this.manufacturerName = id.manufacturerName;
    this.productName = id.productName;
    this.serialNumber = id.serialNumber;
    this.configurations = [new Configuration(() => this.#claimed)];
    this.#bot = new BotEngine({
      bot: context.bot,
      target: context.target,
      faults: context.faults,
      observer: context.observer,
      clock: context.clock,
      gone: () => this.#gone,
      unplug: () => context.onUnplug(this),
    });
  }

  get opened(): boolean {
    return this.#opened;
  }

  get configuration(): UsbConfigurationLike | null {
    return this.#configured ? (this.configurations[0] ?? null) : null;
  }

  /** True once the device was unplugged (for good: a reconnect makes a new device). */
  get disconnected(): boolean {
    return this.#gone;
  }

  /** BOT state, for tests: which phase the device is in and which pipes are halted. */
  get botState(): { phase: BotPhase; inHalted: boolean; outHalted: boolean } {
    return this.#bot.state;
  }

  // ---- device lifecycle --------------------------------------------------------------

  #guard(needOpen = true, needConfig = true): UsbDomError | undefined {
    if (this.#gone) return usbError('NotFoundError', UsbMessages.Disconnected);
    if (needOpen && !this.#opened) return usbError('InvalidStateError', UsbMessages.NotOpened);
    if (needConfig && !this.#configured) {
      return usbError('InvalidStateError', UsbMessages.NoConfiguration);
    }
    return undefined;
  }

  /** The checks of claimInterface() and releaseInterface(). */
  #guardInterface(interfaceNumber: number): UsbDomError | undefined {
    const e = this.#guard();
    if (e) return e;
    if (interfaceNumber !== INTERFACE_NUMBER) {
      return usbError('NotFoundError', UsbMessages.InterfaceNotFound);
    }
    return undefined;
  }

  open(): Promise<void> {
    const e = this.#guard(false, false);
    if (e) return Promise.reject(e);
    this.#opened = true;
    return Promise.resolve();
  }

  close(): Promise<void> {
    const e = this.#guard(false, false);
    if (e) return Promise.reject(e);
    if (!this.#opened) return Promise.resolve();
    this.#claimed = false;
    this.#bot.abortTransfers('AbortError', UsbMessages.TransferCancelled);
    this.#opened = false;
    return Promise.resolve();
  }

  selectConfiguration(configurationValue: number): Promise<void> {
    const e = this.#guard(true, false);
    if (e) return Promise.reject(e);
    if (configurationValue !== CONFIGURATION_VALUE) {
      return Promise.reject(usbError('NotFoundError', UsbMessages.ConfigurationNotFound));
    }
    if (!this.#configured) this.#configured = true;
    return Promise.resolve();
  }

  claimInterface(interfaceNumber: number): Promise<void> {
    const e = this.#guardInterface(interfaceNumber);
    if (e) return Promise.reject(e);
    if (this.#claimed) return Promise.resolve();
    if (this.#c.claimBlocked()) {
      return Promise.reject(usbError('NetworkError', UsbMessages.UnableToClaim));
    }
    this.#claimed = true;
    return Promise.resolve();
  }

  releaseInterface(interfaceNumber: number): Promise<void> {
    const e = this.#guardInterface(interfaceNumber);
    if (e) return Promise.reject(e);
    if (!this.#claimed) return Promise.resolve();
    this.#claimed = false;
    this.#bot.abortTransfers('AbortError', UsbMessages.TransferCancelled);
    return Promise.resolve();
  }

  /** WebUSB reset(): a USB port reset. Pending transfers abort; halts clear; the unit powers on again. */
  reset(): Promise<void> {
    const e = this.#guard(true, false);
    if (e) return Promise.reject(e);
    this.#bot.abortTransfers('AbortError', UsbMessages.TransferCancelled, true);
    this.#bot.clearHalts();
    this.#c.target.portReset();
    this.#c.observer.counters.portResets++;
    this.#c.observer.emit({ type: 'port-reset' });
    return Promise.resolve();
  }

  /** Unplugs the device: everything pending and every later call rejects with NotFoundError. */
  unplug(): void {
    if (this.#gone) return;
    this.#bot.abortTransfers('NotFoundError', UsbMessages.Disconnected);
    this.#gone = true;
    this.#opened = false;
    this.#claimed = false;
    this.#c.observer.emit({ type: 'disconnect' });
  }

  // ---- control transfers ----------------------------------------------------------------

  /** WebUSB §6.4 control transfer checks: the recipient interface must be claimed, the endpoint in it. */
  #checkRecipient(setup: UsbControlTransferParametersLike): UsbDomError | undefined {
    if (this.#c.bot.protectedControlTransfers && setup.recipient === 'interface') {
      // Chrome (2026) refuses an ordinary page control transfers addressed to
      // a protected-class interface: the Bulk-Only reset and Get Max LUN.
      return usbError('SecurityError', UsbMessages.ProtectedInterface);
    }
    if (setup.recipient === 'interface') {
      if ((setup.index & 0xff) !== INTERFACE_NUMBER) {
        return usbError('NotFoundError', UsbMessages.InterfaceNotFound);
      }
      if (!this.#claimed) return usbError('InvalidStateError', UsbMessages.InterfaceNotClaimed);
    }
    if (setup.recipient === 'endpoint' && this.#endpointOf(setup.index) === undefined) {
      return usbError('NotFoundError', UsbMessages.EndpointNotFound);
    }
    return undefined;
  }

  /** The (direction, number) of an endpoint address in the claimed interface. */
  #endpointOf(address: number): 'in' | 'out' | undefined {
    if (!this.#claimed) return undefined;
    if (address === (0x80 | BULK_IN_ENDPOINT)) return 'in';
    if (address === BULK_OUT_ENDPOINT) return 'out';
    return undefined;
  }

  controlTransferIn(
    setup: UsbControlTransferParametersLike,
    length: number,
  ): Promise<UsbInTransferResultLike> {
    const e = this.#guard() ?? this.#checkRecipient(setup);
    if (e) return Promise.reject(e);
    const stall = stalledIn();
    const ok = (bytes: Uint8Array): UsbInTransferResultLike => ({
      status: 'ok',
      data: dataView(bytes.subarray(0, Math.min(length, bytes.length))),
    });
    const { requestType, recipient, request, value, index } = setup;
    if (requestType === 'class' && recipient === 'interface' && request === 0xfe) {
      // Get Max LUN (BOT §3.2): wValue 0, wLength 1.
      if (this.#c.bot.maxLun === 'stall' || value !== 0 || length < 1) {
        return Promise.resolve(stall);
      }
      return Promise.resolve(ok(Uint8Array.of(0)));
    }
    if (requestType === 'standard' && request === 0x00) {
      // GET_STATUS (USB 2.0 §9.4.5): an endpoint reports its Halt bit.
      if (recipient === 'endpoint') {
        const dir = this.#endpointOf(index);
        const halted = this.#bot.halted(dir === 'in' ? 'in' : 'out');
        return Promise.resolve(ok(Uint8Array.of(halted ? 1 : 0, 0)));
      }
      return Promise.resolve(ok(Uint8Array.of(0, 0)));
    }
    if (requestType === 'standard' && recipient === 'device' && request === 0x06) {
      // GET_DESCRIPTOR (USB 2.0 §9.4.3): device and configuration descriptors.
      if (value === 0x0100) return Promise.resolve(ok(deviceDescriptor(this.#c.identity)));
      if (value === 0x0200) return Promise.resolve(ok(configurationDescriptor()));
    }
    return Promise.resolve(stall);
  }

  controlTransferOut(
    setup: UsbControlTransferParametersLike,
    data?: BufferSourceLike,
  ): Promise<UsbOutTransferResultLike> {
    const e = this.#guard() ?? this.#checkRecipient(setup);
    if (e) return Promise.reject(e);
    const length = data === undefined ? 0 : view(data).length;
    const stall: UsbOutTransferResultLike = { status: 'stall', bytesWritten: 0 };
    const { requestType, recipient, request, value, index } = setup;
    if (requestType === 'class' && recipient === 'interface' && request === 0xff) {
      // Bulk-Only Mass Storage Reset (BOT §3.1): wValue 0, wIndex interface, wLength 0.
      if (value !== 0 || length !== 0) return Promise.resolve(stall);
      this.#bot.bulkOnlyReset();
      return Promise.resolve({ status: 'ok', bytesWritten: 0 });
    }
    if (requestType === 'standard' && recipient === 'endpoint' && value === 0) {
      // CLEAR_FEATURE / SET_FEATURE (ENDPOINT_HALT), USB 2.0 §9.4.1, §9.4.9.
      const dir = this.#endpointOf(index);
      if (dir && request === 0x01) {
        this.#bot.clearHalt(dir);
        return Promise.resolve({ status: 'ok', bytesWritten: 0 });
      }
      if (dir && request === 0x03) {
        this.#bot.halt(dir);
        return Promise.resolve({ status: 'ok', bytesWritten: 0 });
      }
    }
    return Promise.resolve(stall);
  }

  clearHalt(direction: 'in' | 'out', endpointNumber: number): Promise<void> {
    const e = this.#guard() ?? this.#checkEndpoint(direction, endpointNumber);
    if (e) return Promise.reject(e);
    this.#bot.clearHalt(direction);
    return Promise.resolve();
  }

  #checkEndpoint(direction: 'in' | 'out', endpointNumber: number): UsbDomError | undefined {
    if (!Number.isInteger(endpointNumber) || endpointNumber < 1 || endpointNumber > 15) {
      return usbError('IndexSizeError', UsbMessages.EndpointOutOfRange);
    }
    const expected = direction === 'in' ? BULK_IN_ENDPOINT : BULK_OUT_ENDPOINT;
    if (!this.#claimed || endpointNumber !== expected) {
      return usbError('NotFoundError', UsbMessages.EndpointNotFound);
    }
    return undefined;
  }

  // ---- bulk transfers ---------------------------------------------------------------------

  transferIn(endpointNumber: number, length: number): Promise<UsbInTransferResultLike> {
    const e = this.#guard() ?? this.#checkEndpoint('in', endpointNumber);
    if (e) return Promise.reject(e);
    if (!Number.isInteger(length) || length < 0) {
      return Promise.reject(new TypeError(`transfer length ${length} is not an unsigned long`));
    }
    if (length > this.#c.bot.maxTransferBytes) {
      return Promise.reject(usbError('NetworkError', UsbMessages.TransferError));
    }
    return this.#bot.transferIn(length);
  }

  transferOut(endpointNumber: number, data: BufferSourceLike): Promise<UsbOutTransferResultLike> {
    const e = this.#guard() ?? this.#checkEndpoint('out', endpointNumber);
    if (e) return Promise.reject(e);
    const bytes = view(data);
    if (bytes.length > this.#c.bot.maxTransferBytes) {
      return Promise.reject(usbError('NetworkError', UsbMessages.TransferError));
    }
    return this.#bot.transferOut(bytes);
  }
}
