/**
 * The simulated USB device: WebUSB's USBDevice surface (the `UsbDeviceLike`
 * subset of usb-mass-storage/src/usb.ts plus reset()), with the descriptors
 * of a real USB optical drive and the device side of USB Mass Storage
 * Bulk-Only Transport 1.0:
 *
 * - One configuration (1), one interface (0): class 08h Mass Storage,
 *   subclass 06h SCSI transparent, protocol 50h Bulk-Only (USB MSC Overview
 *   1.4 §2-3). Endpoint 1 IN (81h) and endpoint 2 OUT (02h), both bulk, 512-
 *   byte packets (USB 2.0 high speed).
 * - CBW checks (BOT §6.2.1 valid: 31 bytes and "USBC"; §6.2.2 meaningful:
 *   reserved bits zero, CB length 1..16). A CBW that fails either makes the
 *   device STALL both bulk pipes and keep them stalled, clear halt or not,
 *   until a Bulk-Only Mass Storage Reset (BOT §6.6.1; the Linux mass-storage
 *   gadget does the same for "not meaningful").
 * - The thirteen cases (BOT §6.7), from the host's expectation (H) and the
 *   device's (D):
 *     Hn=Dn (1)          CSW
 *     Hn<Di, Hn<Do (2,3) CSW status 2
 *     Hi>Dn (4), Hi>Di (5)  send what there is, then STALL bulk-in (or pad
 *                        with zeros, `shortDataIn: 'pad'`), residue = H - sent.
 *                        The transfer that carries the last bytes ends short
 *                        with status "ok"; the STALL shows on the next bulk-in
 *                        transfer (normally the CSW read); with no data at all
 *                        the data transfer itself gets "stall"
 *     Hi=Di (6)          data, CSW
 *     Hi<Di (7)          send H bytes, CSW status 2 (or `truncatedDataIn:
 *                        'truncate'`: status as the command, residue 0)
 *     Hi<>Do (8)         STALL bulk-in, CSW status 2
 *     Ho>Dn (9), Ho>Do (11)  take D bytes, then accept and discard the rest
 *                        (or STALL bulk-out, `excessDataOut: 'stall'`),
 *                        residue = H - D
 *     Ho<>Di (10)        STALL bulk-out, CSW status 2
 *     Ho=Do (12)         data, CSW
 *     Ho<Do (13)         take H bytes, CSW status 2
 * - A transfer never has to carry a whole data phase: transferIn(n) returns
 *   at most n bytes of what is left, transferOut takes any chunk, so GB-sized
 *   phases stream through many calls and nothing but the current chunk is
 *   held. A transfer the device cannot serve yet waits (the device NAKs), as
 *   on a real bus.
 * - Get Max LUN (BOT §3.2, A1h/FEh) answers 0, or STALLs (`maxLun: 'stall'`,
 *   as some devices do); Bulk-Only Mass Storage Reset (BOT §3.1, 21h/FFh)
 *   makes the device ready for a CBW, keeps endpoint halts (they need
 *   CLEAR_FEATURE / clearHalt), and rejects transfers left pending with
 *   AbortError.
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
  UsbAlternateInterfaceLike,
  UsbConfigurationLike,
  UsbControlTransferParametersLike,
  UsbDeviceLike,
  UsbEndpointLike,
  UsbInTransferResultLike,
  UsbInterfaceLike,
  UsbOutTransferResultLike,
  UsbTransferStatusLike,
} from '../../usb-mass-storage/src/usb.ts';
import {
  CSW_LENGTH,
  decodeCbw,
  encodeCsw,
  type Cbw,
} from '../../usb-mass-storage/src/bot/wrappers.ts';
import type { Sense } from '../../usb-mass-storage/src/scsi/sense.ts';
import { toHex } from '../../usb-mass-storage/src/struct.ts';
import type { VirtualClock } from './clock.ts';
import type {
  CommandOutcome,
  CommandPlan,
  DataInPhase,
  DataOutPhase,
  MmcDrive,
} from './mmc-target.ts';
import { UsbMessages, usbError, type UsbDomError } from './errors.ts';
import type { FaultState } from './faults.ts';
import type { CommandStatus, Observer } from './observer.ts';
import { SENSE, check } from './sense-codes.ts';

export const BULK_IN_ENDPOINT = 1;
export const BULK_OUT_ENDPOINT = 2;
export const PACKET_SIZE = 512;
export const INTERFACE_NUMBER = 0;
export const CONFIGURATION_VALUE = 1;
/** WebUSB in Chrome caps one transfer at 32 MiB (usbfs); larger ones fail as a transfer error. */
export const DEFAULT_MAX_TRANSFER_BYTES = 32 * 1024 * 1024;

export interface BotBehaviour {
  /** Case 4/5, host wants more than the device has: STALL bulk-in, or pad with zeros. */
  readonly shortDataIn: 'stall' | 'pad' | 'pad-zero-residue';
  /** Case 9/11, host sends more than the device needs: accept and discard, or STALL bulk-out. */
  readonly excessDataOut: 'discard' | 'stall';
  /** Case 7, host allocation shorter than the data: phase error, or truncate and pass. */
  readonly truncatedDataIn: 'phase-error' | 'truncate';
  /** Get Max LUN: answer 0, or STALL it. */
  readonly maxLun: 'zero' | 'stall';
  readonly maxTransferBytes: number;
}

export interface DeviceIdentity {
  readonly vendorId: number;
  readonly productId: number;
  readonly manufacturerName: string;
  readonly productName: string;
  readonly serialNumber: string;
}

export interface DeviceContext {
  readonly identity: DeviceIdentity;
  readonly bot: BotBehaviour;
  readonly drive: MmcDrive;
  readonly faults: FaultState;
  readonly observer: Observer;
  readonly clock: VirtualClock;
  /** True while the OS "holds" the drive and claiming must fail (see `mountedBlocksClaim`). */
  readonly claimBlocked: () => boolean;
  /** Called when a fault makes the device unplug itself; must end in `device.unplug()`. */
  readonly onUnplug: (device: VirtualUsbDevice) => void;
}

// ---- descriptors ------------------------------------------------------------------

class Endpoint implements UsbEndpointLike {
  readonly type = 'bulk' as const;
  readonly packetSize = PACKET_SIZE;
  constructor(
    readonly endpointNumber: number,
    readonly direction: 'in' | 'out',
  ) {}
}

class Alternate implements UsbAlternateInterfaceLike {
  readonly alternateSetting = 0;
  readonly interfaceClass = 0x08;
  readonly interfaceSubclass = 0x06;
  readonly interfaceProtocol = 0x50;
  readonly interfaceName = 'Bulk-Only Mass Storage';
  readonly endpoints: readonly UsbEndpointLike[] = [
    new Endpoint(BULK_IN_ENDPOINT, 'in'),
    new Endpoint(BULK_OUT_ENDPOINT, 'out'),
  ];
}

class Interface implements UsbInterfaceLike {
  readonly interfaceNumber = INTERFACE_NUMBER;
  readonly alternate: UsbAlternateInterfaceLike = new Alternate();
  readonly alternates: readonly UsbAlternateInterfaceLike[] = [this.alternate];
  readonly #isClaimed: () => boolean;
  constructor(isClaimed: () => boolean) {
    this.#isClaimed = isClaimed;
  }
  get claimed(): boolean {
    return this.#isClaimed();
  }
}

class Configuration implements UsbConfigurationLike {
  readonly configurationValue = CONFIGURATION_VALUE;
  readonly configurationName = null;
  readonly interfaces: readonly UsbInterfaceLike[];
  constructor(isClaimed: () => boolean) {
    this.interfaces = [new Interface(isClaimed)];
  }
}

/** USB 2.0 §9.6.1 device descriptor (18 bytes), for GET_DESCRIPTOR. */
function deviceDescriptor(id: DeviceIdentity): Uint8Array {
  const b = new Uint8Array(18);
  const v = new DataView(b.buffer);
  b[0] = 18;
  b[1] = 0x01;
  v.setUint16(2, 0x0200, true); // bcdUSB 2.00
  b[7] = 64; // bMaxPacketSize0
  v.setUint16(8, id.vendorId, true);
  v.setUint16(10, id.productId, true);
  v.setUint16(12, 0x0100, true); // bcdDevice
  b[14] = 1; // iManufacturer
  b[15] = 2; // iProduct
  b[16] = 3; // iSerialNumber
  b[17] = 1; // bNumConfigurations
  return b;
}

/** USB 2.0 §9.6.3-9.6.6: configuration + interface + 2 endpoint descriptors (32 bytes). */
function configurationDescriptor(): Uint8Array {
  const b = new Uint8Array(32);
  const v = new DataView(b.buffer);
  b.set([9, 0x02, 32, 0, 1, CONFIGURATION_VALUE, 0, 0x80, 250], 0); // bus powered, 500 mA
  b.set([9, 0x04, INTERFACE_NUMBER, 0, 2, 0x08, 0x06, 0x50, 0], 9);
  b.set([7, 0x05, 0x80 | BULK_IN_ENDPOINT, 0x02, 0, 0, 0], 18);
  v.setUint16(22, PACKET_SIZE, true);
  b.set([7, 0x05, BULK_OUT_ENDPOINT, 0x02, 0, 0, 0], 25);
  v.setUint16(29, PACKET_SIZE, true);
  return b;
}

// ---- BOT engine state ------------------------------------------------------------------

type Phase = 'cbw' | 'data-in' | 'data-out' | 'csw' | 'needs-reset' | 'hung';

interface InWaiter {
  readonly length: number;
  readonly resolve: (r: UsbInTransferResultLike) => void;
  readonly reject: (e: UsbDomError) => void;
}

interface OutWaiter {
  readonly data: Uint8Array;
  readonly resolve: (r: UsbOutTransferResultLike) => void;
  readonly reject: (e: UsbDomError) => void;
}

interface ActiveCommand {
  readonly seq: number;
  readonly cbw: Cbw;
  readonly plan: CommandPlan;
  /** Bytes moved in the data phase as the host counts them (padding included). */
  moved: number;
  /** Bytes of the device's own data sent or taken. */
  relevant: number;
  /** The data phase ended early (a STALL). */
  dataDone: boolean;
  /** Set for phase errors decided before or during the data phase. */
  forcedStatus: 1 | 2 | undefined;
  forcedSense: Sense | undefined;
  cswStalls: number;
  csw: Uint8Array | undefined;
  finishing: boolean;
}

function view(data: BufferSourceLike): Uint8Array {
  return data instanceof ArrayBuffer
    ? new Uint8Array(data)
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function dataView(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const EMPTY = new Uint8Array(0);

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
  #gone = false;
  #opened = false;
  #configured = true; // the OS configured the device when it enumerated
  #claimed = false;

  #phase: Phase = 'cbw';
  #inHalted = false;
  #outHalted = false;
  #inWaiters: InWaiter[] = [];
  #outWaiters: OutWaiter[] = [];
  /** Transfers the device will never answer (noAnswer), kept to reject on reset. */
  #parked: (InWaiter | OutWaiter)[] = [];
  #cmd: ActiveCommand | undefined;
  #gen = 0;
  #running = false;

  constructor(context: DeviceContext) {
    this.#c = context;
    const id = context.identity;
    this.vendorId = id.vendorId;
    this.productId = id.productId;
    this.manufacturerName = id.manufacturerName;
    this.productName = id.productName;
    this.serialNumber = id.serialNumber;
    this.configurations = [new Configuration(() => this.#claimed)];
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
  get botState(): { phase: Phase; inHalted: boolean; outHalted: boolean } {
    return { phase: this.#phase, inHalted: this.#inHalted, outHalted: this.#outHalted };
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
    this.#abortTransfers('AbortError', UsbMessages.TransferCancelled);
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
    const e = this.#guard();
    if (e) return Promise.reject(e);
    if (interfaceNumber !== INTERFACE_NUMBER) {
      return Promise.reject(usbError('NotFoundError', UsbMessages.InterfaceNotFound));
    }
    if (this.#claimed) return Promise.resolve();
    if (this.#c.claimBlocked()) {
      return Promise.reject(usbError('NetworkError', UsbMessages.UnableToClaim));
    }
    this.#claimed = true;
    return Promise.resolve();
  }

  releaseInterface(interfaceNumber: number): Promise<void> {
    const e = this.#guard();
    if (e) return Promise.reject(e);
    if (interfaceNumber !== INTERFACE_NUMBER) {
      return Promise.reject(usbError('NotFoundError', UsbMessages.InterfaceNotFound));
    }
    if (!this.#claimed) return Promise.resolve();
    this.#claimed = false;
    this.#abortTransfers('AbortError', UsbMessages.TransferCancelled);
    return Promise.resolve();
  }

  /** WebUSB reset(): a USB port reset. Pending transfers abort; halts clear; the unit powers on again. */
  reset(): Promise<void> {
    const e = this.#guard(true, false);
    if (e) return Promise.reject(e);
    this.#abortTransfers('AbortError', UsbMessages.TransferCancelled, true);
    this.#inHalted = false;
    this.#outHalted = false;
    this.#c.drive.portReset();
    this.#c.observer.counters.portResets++;
    this.#c.observer.emit({ type: 'port-reset' });
    return Promise.resolve();
  }

  /** Unplugs the device: everything pending and every later call rejects with NotFoundError. */
  unplug(): void {
    if (this.#gone) return;
    this.#abortTransfers('NotFoundError', UsbMessages.Disconnected);
    this.#gone = true;
    this.#opened = false;
    this.#claimed = false;
    this.#c.observer.emit({ type: 'disconnect' });
  }

  /**
   * Rejects every pending bulk transfer and drops the command in progress.
   * Only a reset (`deviceReset`) ends the "invalid CBW, reset needed" state:
   * closing or releasing the interface does not reset the device.
   */
  #abortTransfers(
    name: 'AbortError' | 'NotFoundError',
    message: string,
    deviceReset = false,
  ): void {
    this.#gen++;
    this.#running = false;
    const cmd = this.#cmd;
    if (cmd && !cmd.csw) this.#logAborted(cmd);
    cmd?.plan.abort();
    this.#cmd = undefined;
    if (deviceReset || this.#phase !== 'needs-reset') this.#phase = 'cbw';
    const waiters = [...this.#inWaiters, ...this.#outWaiters, ...this.#parked];
    this.#inWaiters = [];
    this.#outWaiters = [];
    this.#parked = [];
    for (const w of waiters) w.reject(usbError(name, message));
  }

  // ---- control transfers ----------------------------------------------------------------

  /** WebUSB §6.4 control transfer checks: the recipient interface must be claimed, the endpoint in it. */
  #checkRecipient(setup: UsbControlTransferParametersLike): UsbDomError | undefined {
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
    const stall: UsbInTransferResultLike = { status: 'stall', data: dataView(EMPTY) };
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
        const halted = dir === 'in' ? this.#inHalted : this.#outHalted;
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
      this.#bulkOnlyReset();
      return Promise.resolve({ status: 'ok', bytesWritten: 0 });
    }
    if (requestType === 'standard' && recipient === 'endpoint' && value === 0) {
      // CLEAR_FEATURE / SET_FEATURE (ENDPOINT_HALT), USB 2.0 §9.4.1, §9.4.9.
      const dir = this.#endpointOf(index);
      if (dir && request === 0x01) {
        this.#clearHalt(dir);
        return Promise.resolve({ status: 'ok', bytesWritten: 0 });
      }
      if (dir && request === 0x03) {
        this.#halt(dir);
        return Promise.resolve({ status: 'ok', bytesWritten: 0 });
      }
    }
    return Promise.resolve(stall);
  }

  clearHalt(direction: 'in' | 'out', endpointNumber: number): Promise<void> {
    const e = this.#guard() ?? this.#checkEndpoint(direction, endpointNumber);
    if (e) return Promise.reject(e);
    this.#clearHalt(direction);
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

  #clearHalt(direction: 'in' | 'out'): void {
    this.#c.observer.counters.clearHalts++;
    this.#c.observer.emit({ type: 'clear-halt', direction });
    // BOT §6.6.1: after an invalid CBW the pipes stay stalled until reset recovery.
    if (this.#phase === 'needs-reset') return;
    if (direction === 'in') this.#inHalted = false;
    else this.#outHalted = false;
    this.#kick();
  }

  #halt(direction: 'in' | 'out'): void {
    if (direction === 'in') this.#inHalted = true;
    else this.#outHalted = true;
    this.#c.observer.counters.stalls++;
    this.#c.observer.emit({ type: 'stall', direction });
  }

  #bulkOnlyReset(): void {
    this.#abortTransfers('AbortError', UsbMessages.TransferCancelled, true);
    this.#c.drive.busReset();
    this.#c.observer.counters.bulkResets++;
    this.#c.observer.emit({ type: 'bulk-reset' });
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
    return new Promise((resolve, reject) => {
      this.#inWaiters.push({ length, resolve, reject });
      this.#kick();
    });
  }

  transferOut(endpointNumber: number, data: BufferSourceLike): Promise<UsbOutTransferResultLike> {
    const e = this.#guard() ?? this.#checkEndpoint('out', endpointNumber);
    if (e) return Promise.reject(e);
    const bytes = view(data);
    if (bytes.length > this.#c.bot.maxTransferBytes) {
      return Promise.reject(usbError('NetworkError', UsbMessages.TransferError));
    }
    return new Promise((resolve, reject) => {
      this.#outWaiters.push({ data: bytes, resolve, reject });
      this.#kick();
    });
  }

  // ---- the pump ----------------------------------------------------------------------------

  /**
   * Serves pending transfers one at a time. The decision of what to do next is
   * synchronous, so a transfer arriving while the pump is busy is never lost;
   * a reset bumps the generation, and any work still awaiting finds it stale.
   */
  #kick(): void {
    if (this.#running || this.#gone) return;
    this.#running = true;
    const gen = this.#gen;
    void this.#pump(gen);
  }

  async #pump(gen: number): Promise<void> {
    for (;;) {
      if (gen !== this.#gen) return;
      const work = this.#nextWork(gen);
      if (!work) {
        this.#running = false;
        return;
      }
      try {
        await work;
      } catch (error) {
        if (gen !== this.#gen) return;
        this.#internalError(error);
      }
    }
  }

  /** What can be done now, or undefined when every pending transfer must wait. */
  #nextWork(gen: number): Promise<void> | undefined {
    const inHead = this.#inWaiters[0];
    const outHead = this.#outWaiters[0];
    if (inHead && this.#inHalted) {
      this.#inWaiters.shift();
      inHead.resolve({ status: 'stall', data: dataView(EMPTY) });
      return Promise.resolve();
    }
    if (outHead && this.#outHalted) {
      this.#outWaiters.shift();
      outHead.resolve({ status: 'stall', bytesWritten: 0 });
      return Promise.resolve();
    }
    switch (this.#phase) {
      case 'cbw':
        if (!outHead) return undefined;
        this.#outWaiters.shift();
        this.#takeCbw(outHead);
        return Promise.resolve();
      case 'data-in':
        if (!inHead) return undefined;
        this.#inWaiters.shift();
        return this.#serveIn(inHead, gen);
      case 'data-out':
        if (!outHead) return undefined;
        this.#outWaiters.shift();
        return this.#serveOut(outHead, gen);
      case 'csw':
        if (!inHead || !this.#cmd?.csw) return undefined;
        this.#inWaiters.shift();
        this.#serveCsw(inHead);
        return Promise.resolve();
      case 'needs-reset':
      case 'hung':
        return undefined;
    }
  }

  /** An exception inside the device (a failing store): the device is confused until reset recovery. */
  #internalError(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.#c.observer.emit({ type: 'invalid-cbw', reason: `device failure: ${message}` });
    const cmd = this.#cmd;
    if (cmd) {
      this.#logAborted(cmd);
      cmd.plan.abort();
    }
    this.#cmd = undefined;
    this.#phase = 'needs-reset';
    this.#halt('in');
    this.#halt('out');
    this.#kick();
  }

  // ---- CBW --------------------------------------------------------------------------------

  #takeCbw(w: OutWaiter): void {
    const faults = this.#c.faults;
    if (faults.noAnswer === 'cbw') {
      faults.noAnswer = undefined;
      this.#phase = 'hung';
      this.#parked.push(w);
      return;
    }
    if (faults.disconnectAtCommand !== undefined) {
      faults.disconnectAtCommand--;
      if (faults.disconnectAtCommand <= 0) {
        faults.disconnectAtCommand = undefined;
        this.#outWaiters.unshift(w); // so unplug() rejects it with NotFoundError
        this.#c.onUnplug(this);
        return;
      }
    }
    let cbw: (Cbw & { readonly meaningful: boolean }) | undefined;
    let reason = '';
    try {
      cbw = decodeCbw(w.data);
      if (!cbw.meaningful) reason = 'CBW not meaningful (BOT §6.2.2)';
    } catch (error) {
      reason = `CBW not valid (BOT §6.2.1): ${error instanceof Error ? error.message : String(error)}`;
    }
    w.resolve({ status: 'ok', bytesWritten: w.data.length });
    if (!cbw || reason) {
      this.#c.observer.counters.invalidCbws++;
      this.#c.observer.emit({ type: 'invalid-cbw', reason });
      this.#phase = 'needs-reset';
      this.#halt('in');
      this.#halt('out');
      return;
    }
    const seq = this.#c.observer.nextSeq++;
    const plan = this.#c.drive.start(cbw.cdb, cbw.lun);
    const cmd: ActiveCommand = {
      seq,
      cbw,
      plan,
      moved: 0,
      relevant: 0,
      dataDone: false,
      forcedStatus: undefined,
      forcedSense: undefined,
      cswStalls: 0,
      csw: undefined,
      finishing: false,
    };
    this.#cmd = cmd;
    this.#classify(cmd);
  }

  /** Picks the BOT §6.7 case from H (the CBW) and D (the plan) and enters the right phase. */
  #classify(cmd: ActiveCommand): void {
    const h = cmd.cbw.dataTransferLength;
    const hDir = cmd.cbw.direction;
    const dDir = cmd.plan.data?.direction ?? 'none';
    const faults = this.#c.faults;
    if (h > 0 && faults.stallData) {
      faults.stallData = false;
      cmd.plan.abort();
      cmd.forcedStatus = 1;
      cmd.forcedSense = check(SENSE.DataPhaseError).sense;
      cmd.dataDone = true;
      this.#halt(hDir === 'in' ? 'in' : 'out');
      this.#enterCsw(cmd);
      return;
    }
    if (hDir === 'none') {
      if (dDir !== 'none') return this.#phaseError(cmd); // cases 2, 3
      return this.#enterCsw(cmd); // case 1
    }
    if (hDir === 'in' && dDir === 'out') {
      this.#halt('in'); // case 8
      return this.#phaseError(cmd);
    }
    if (hDir === 'out' && dDir === 'in') {
      this.#halt('out'); // case 10
      return this.#phaseError(cmd);
    }
    if (faults.noAnswer === 'data') {
      faults.noAnswer = undefined;
      cmd.plan.abort();
      this.#phase = 'hung';
      return;
    }
    if (hDir === 'in') {
      this.#phase = 'data-in'; // cases 4, 5, 6, 7
      return;
    }
    if (dDir === 'none' && this.#c.bot.excessDataOut === 'stall') {
      cmd.dataDone = true; // case 9 with a stalling device
      this.#halt('out');
      return this.#enterCsw(cmd);
    }
    this.#phase = 'data-out'; // cases 9, 11, 12, 13
  }

  #phaseError(cmd: ActiveCommand): void {
    cmd.plan.abort();
    cmd.forcedStatus = 2;
    cmd.dataDone = true;
    this.#enterCsw(cmd);
  }

  // ---- data phases ---------------------------------------------------------------------------

  /** Returns false (and unplugs) when moving `n` more data bytes crosses the disconnect fault. */
  #dataBudget(n: number): boolean {
    const faults = this.#c.faults;
    if (faults.disconnectAfterBytes === undefined || n === 0) return true;
    if (n > faults.disconnectAfterBytes) {
      faults.disconnectAfterBytes = undefined;
      return false;
    }
    faults.disconnectAfterBytes -= n;
    return true;
  }

  async #serveIn(w: InWaiter, gen: number): Promise<void> {
    const cmd = this.#cmd!;
    const data = cmd.plan.data as DataInPhase | undefined;
    const hostLeft = cmd.cbw.dataTransferLength - cmd.moved;
    const want = Math.min(w.length, hostLeft);
    const deviceLeft = Math.min(data?.length ?? 0, cmd.cbw.dataTransferLength) - cmd.relevant;
    const n = Math.max(0, Math.min(want, deviceLeft));
    if (!this.#dataBudget(n)) {
      this.#inWaiters.unshift(w);
      this.#c.onUnplug(this);
      return;
    }
    let chunk = n > 0 && data ? await data.read(cmd.relevant, n) : EMPTY;
    if (gen !== this.#gen) return;
    cmd.relevant += n;
    cmd.moved += n;
    let status: UsbTransferStatusLike = 'ok';
    if (n < want) {
      if (this.#c.bot.shortDataIn === 'stall') {
        // BOT §6.7.2 case 4/5: end the data with a short packet, then STALL bulk-in.
        this.#halt('in');
        cmd.dataDone = true;
        if (n === 0) status = 'stall';
      } else {
        const padded = new Uint8Array(want);
        padded.set(chunk);
        chunk = padded;
        cmd.moved += want - n;
      }
    }
    this.#c.observer.counters.bytesIn += chunk.length;
    if (cmd.dataDone || cmd.moved >= cmd.cbw.dataTransferLength) this.#enterCsw(cmd);
    w.resolve({ status, data: dataView(status === 'stall' ? EMPTY : chunk) });
  }

  async #serveOut(w: OutWaiter, gen: number): Promise<void> {
    const cmd = this.#cmd!;
    const sink = cmd.plan.data?.direction === 'out' ? (cmd.plan.data as DataOutPhase) : undefined;
    const hostLeft = cmd.cbw.dataTransferLength - cmd.moved;
    const take = Math.min(w.data.length, hostLeft);
    const relevant = Math.max(0, Math.min(take, (sink?.length ?? 0) - cmd.relevant));
    const budget = this.#c.faults.disconnectAfterBytes ?? 0;
    if (!this.#dataBudget(take)) {
      // The bytes before the cut reached the device; the transfer as a whole fails.
      const part = Math.min(relevant, budget);
      if (sink && part > 0) await sink.write(w.data.subarray(0, part));
      if (gen !== this.#gen) return;
      this.#outWaiters.unshift(w);
      this.#c.onUnplug(this);
      return;
    }
    if (sink && relevant > 0) {
      await sink.write(w.data.subarray(0, relevant));
      if (gen !== this.#gen) return;
    }
    cmd.relevant += relevant;
    const excess = take - relevant;
    let status: UsbTransferStatusLike = 'ok';
    let written = take;
    if (excess > 0 && this.#c.bot.excessDataOut === 'stall') {
      // BOT §6.7.3 case 11: the device STALLs bulk-out after what it needs.
      cmd.moved += relevant;
      cmd.dataDone = true;
      written = relevant;
      status = 'stall';
      this.#halt('out');
    } else {
      cmd.moved += take;
      if (take < w.data.length) {
        // More than dCBWDataTransferLength: the device takes no bytes past it.
        status = 'stall';
        this.#halt('out');
      }
    }
    this.#c.observer.counters.bytesOut += written;
    if (cmd.dataDone || cmd.moved >= cmd.cbw.dataTransferLength) this.#enterCsw(cmd);
    w.resolve({ status, bytesWritten: written });
  }

  // ---- CSW ---------------------------------------------------------------------------------

  #enterCsw(cmd: ActiveCommand): void {
    const faults = this.#c.faults;
    if (faults.noAnswer === 'csw') {
      faults.noAnswer = undefined;
      this.#phase = 'hung';
      // The command still runs: only its CSW is lost.
      if (cmd.forcedStatus === undefined) void cmd.plan.finish().catch(() => undefined);
      return;
    }
    this.#phase = 'csw';
    if (faults.stallCsw > 0) {
      cmd.cswStalls = faults.stallCsw;
      faults.stallCsw = 0;
    }
    const gen = this.#gen;
    cmd.finishing = true;
    const outcome: Promise<CommandOutcome | undefined> =
      cmd.forcedStatus === undefined ? cmd.plan.finish() : Promise.resolve(undefined);
    outcome.then(
      (o) => {
        if (gen !== this.#gen || this.#cmd !== cmd) return;
        cmd.csw = this.#buildCsw(cmd, o);
        this.#kick();
      },
      (error: unknown) => {
        if (gen !== this.#gen || this.#cmd !== cmd) return;
        this.#internalError(error);
      },
    );
  }

  #buildCsw(cmd: ActiveCommand, outcome: CommandOutcome | undefined): Uint8Array {
    const faults = this.#c.faults;
    const h = cmd.cbw.dataTransferLength;
    const dLength = cmd.plan.data?.length ?? 0;
    let status: number;
    let logStatus: CommandStatus;
    let sense: Sense | undefined;
    if (cmd.forcedStatus === 2) {
      status = 2;
      logStatus = 'phase-error';
    } else if (cmd.forcedStatus === 1) {
      status = 1;
      logStatus = 'check-condition';
      sense = cmd.forcedSense;
      if (sense) this.#c.drive.reportTransportFailure(sense);
    } else {
      status = outcome?.status === 'good' ? 0 : 1;
      logStatus = outcome?.status ?? 'good';
      sense = outcome?.sense;
    }
    // BOT §6.7: residue = H minus the data the device actually used.
    let residue: number;
    const checked = cmd.forcedStatus === undefined;
    if (cmd.cbw.direction === 'in') {
      residue = this.#c.bot.shortDataIn === 'pad-zero-residue' ? h - cmd.moved : h - cmd.relevant;
      if (checked && dLength > h) {
        // Case 7: more data than asked for.
        if (this.#c.bot.truncatedDataIn === 'phase-error') {
          status = 2;
          logStatus = 'phase-error';
        }
        residue = 0;
      }
    } else if (cmd.cbw.direction === 'out') {
      const used = Math.min(outcome?.processed ?? cmd.relevant, cmd.relevant);
      residue = h - used;
      if (checked && cmd.relevant < dLength) {
        // Case 13: the host sent less than the command needs.
        status = 2;
        logStatus = 'phase-error';
      }
    } else {
      residue = 0;
    }
    if (faults.phaseError) {
      faults.phaseError = false;
      status = 2;
      logStatus = 'phase-error';
    }
    let tag = cmd.cbw.tag;
    if (faults.badCswTag) {
      faults.badCswTag = false;
      tag = (tag + 1) >>> 0;
    }
    const csw = encodeCsw({ tag, residue: Math.max(0, residue), status });
    if (faults.badCswSignature) {
      faults.badCswSignature = false;
      csw[3] = 0x58; // "USBX" instead of "USBS"
    }
    this.#c.observer.command({
      seq: cmd.seq,
      time: this.#c.clock.now(),
      opcode: cmd.plan.opcode,
      name: cmd.plan.name,
      cdb: toHex(cmd.cbw.cdb),
      tag: cmd.cbw.tag,
      direction: cmd.cbw.direction,
      hostLength: h,
      status: logStatus,
      cswStatus: status,
      sense: status === 1 ? sense : undefined,
      residue: Math.max(0, residue),
    });
    return csw;
  }

  #serveCsw(w: InWaiter): void {
    const cmd = this.#cmd!;
    if (cmd.cswStalls > 0) {
      cmd.cswStalls--;
      this.#halt('in');
      w.resolve({ status: 'stall', data: dataView(EMPTY) });
      return;
    }
    const csw = cmd.csw!;
    this.#cmd = undefined;
    this.#phase = 'cbw';
    if (w.length < CSW_LENGTH) {
      // The device sends 13 bytes into a smaller buffer: babble (USB 2.0 §8.5.1; WebUSB status "babble").
      w.resolve({ status: 'babble', data: dataView(csw.subarray(0, w.length)) });
      return;
    }
    w.resolve({ status: 'ok', data: dataView(csw) });
  }

  #logAborted(cmd: ActiveCommand): void {
    this.#c.observer.command({
      seq: cmd.seq,
      time: this.#c.clock.now(),
      opcode: cmd.plan.opcode,
      name: cmd.plan.name,
      cdb: toHex(cmd.cbw.cdb),
      tag: cmd.cbw.tag,
      direction: cmd.cbw.direction,
      hostLength: cmd.cbw.dataTransferLength,
      status: 'aborted',
      cswStatus: undefined,
      sense: undefined,
      residue: cmd.cbw.dataTransferLength - cmd.relevant,
    });
  }
}
