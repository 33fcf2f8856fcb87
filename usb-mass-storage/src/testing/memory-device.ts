/**
 * A small, well-behaved BOT + SCSI block device held in memory, for transport
 * tests and the transport benchmark. It answers at once. Tests script
 * misbehaviour per transfer with `scriptIn` / `scriptOut` (a stall, babble, a
 * zero-length packet, raw bytes, its own answer rewritten, an early CSW, a
 * hang, a disconnect); the virtual recorder (virtual-recorder/) is the
 * faithful drive, this is the scripted fake. Bytes longer than the host's
 * transfer come back cut, as babble, as WebUSB hands them over.
 */
import { decodeCbw, encodeCsw, type Cbw } from '../bot/wrappers.ts';
import { encodeFixedSense, type Sense } from '../scsi/sense.ts';
import type {
  BufferSourceLike,
  UsbConfigurationLike,
  UsbControlTransferParametersLike,
  UsbDeviceLike,
  UsbInTransferResultLike,
  UsbOutTransferResultLike,
} from '../usb.ts';

export type ScriptedTransfer =
  | { readonly kind: 'stall' }
  | { readonly kind: 'babble'; readonly data: Uint8Array }
  | { readonly kind: 'bytes'; readonly data: Uint8Array }
  | { readonly kind: 'zero-length' }
  | { readonly kind: 'hang' }
  | { readonly kind: 'gone' }
  /**
   * A CSW for the command in progress, now, whatever phase the device is in
   * (a data phase skipped or cut short): `residue` defaults to the whole
   * transfer length.
   */
  | { readonly kind: 'csw'; readonly status: number; readonly residue?: number }
  /** Let the device answer normally, then rewrite the bytes and/or the status. */
  | {
      readonly kind: 'map';
      readonly map?: (bytes: Uint8Array) => Uint8Array;
      readonly status?: 'babble';
    };

export interface MemoryDeviceOptions {
  readonly blocks?: number;
  readonly blockSize?: number;
  /** Backing bytes; LBAs wrap around it, so a small buffer can serve a large disk. */
  readonly backingBytes?: number;
  readonly maxLun?: number | 'stall';
  /**
   * Answers opcodes the block target does not know (the MMC commands a
   * recorder sends): data-in bytes, or a sense to fail with. Undefined
   * leaves the default answer, 5/20/00.
   */
  readonly answer?: (cdb: Uint8Array) => Uint8Array | Sense | undefined;
  /** Give the device WebUSB's reset() (a port reset), as Chrome's and node-usb's have. */
  readonly portReset?: boolean;
}

function gone(): Error {
  const e = new Error('The device was disconnected.');
  e.name = 'NotFoundError';
  return e;
}

const IN_EP = 1;
const OUT_EP = 2;

export class MemoryBotDevice implements UsbDeviceLike {
  readonly vendorId = 0x0e8d;
  readonly productId = 0x1887;
  readonly manufacturerName = 'webdisc';
  readonly productName = 'Memory block device';
  readonly serialNumber = 'MEM0001';
  opened = false;
  configuration: UsbConfigurationLike | null = null;
  readonly configurations: readonly UsbConfigurationLike[];

  /** Overrides for the next bulk-in / bulk-out transfers, consumed in order. */
  readonly scriptIn: ScriptedTransfer[] = [];
  readonly scriptOut: ScriptedTransfer[] = [];
  /** Sense to report for the next command (then CHECK CONDITION). */
  readonly pendingFailures: Sense[] = [];
  /** Counters for assertions. */
  readonly stats = {
    cbws: 0,
    resets: 0,
    portResets: 0,
    clearHalts: { in: 0, out: 0 },
    transfersIn: 0,
    transfersOut: 0,
    /** Most bulk transfers pending at once (queue depth actually used). */
    maxPending: 0,
  };
  /** How the class reset answers: normally, with a STALL, or never. */
  resetBehaviour: 'ok' | 'stall' | 'hang' = 'ok';
  /** When true, bulk transfers resolve on a later task so several can be pending. */
  asyncTransfers = false;
  #pending = 0;
  /** CDBs received, in order. */
  readonly commands: Uint8Array[] = [];
  /** Called when the device goes away (as the platform's `disconnect` event). */
  onDisconnect: (() => void) | undefined;
  /** USB port reset (WebUSB reset()), present when the `portReset` option is set. */
  readonly reset?: () => Promise<void>;

  readonly blockSize: number;
  readonly blocks: number;
  #store: Uint8Array;
  #maxLun: number | 'stall';
  #gone = false;
  #claimed = false;
  #halted = { in: false, out: false };
  #phase: 'cbw' | 'data-in' | 'data-out' | 'csw' = 'cbw';
  #cbw: Cbw | undefined;
  #dataIn: Uint8Array = new Uint8Array(0);
  #dataInOffset = 0;
  #dataOutReceived = 0;
  #writeLba = 0;
  #status = 0;
  #sense: Sense = { key: 0, asc: 0, ascq: 0 };
  #hangs: (() => void)[] = [];
  #answer: MemoryDeviceOptions['answer'];

  constructor(options: MemoryDeviceOptions = {}) {
    this.#answer = options.answer;
    if (options.portReset) this.reset = () => this.#portReset();
    this.blockSize = options.blockSize ?? 2048;
    this.blocks = options.blocks ?? 1024 * 1024;
    this.#store = new Uint8Array(options.backingBytes ?? 16 * 1024 * 1024);
    this.#maxLun = options.maxLun ?? 0;
    this.configurations = [
      {
        configurationValue: 1,
        interfaces: [
          {
            interfaceNumber: 0,
            claimed: false,
            alternate: this.#alternate(),
            alternates: [this.#alternate()],
          },
        ],
      },
    ];
  }

  #alternate() {
    return {
      alternateSetting: 0,
      interfaceClass: 0x08,
      interfaceSubclass: 0x06,
      interfaceProtocol: 0x50,
      endpoints: [
        { endpointNumber: IN_EP, direction: 'in' as const, type: 'bulk' as const, packetSize: 512 },
        {
          endpointNumber: OUT_EP,
          direction: 'out' as const,
          type: 'bulk' as const,
          packetSize: 512,
        },
      ],
    };
  }

  /** Simulates unplugging: pending and future calls reject with NotFoundError. */
  disconnect(): void {
    if (this.#gone) return;
    this.#gone = true;
    for (const wake of this.#hangs.splice(0)) wake();
    this.onDisconnect?.();
  }

  /** A port reset cancels every queued transfer and returns the device to waiting for a CBW. */
  async #portReset(): Promise<void> {
    if (this.#gone) throw gone();
    this.stats.portResets++;
    this.#phase = 'cbw';
    this.#halted = { in: false, out: false };
    for (const wake of this.#hangs.splice(0)) wake();
  }

  get halted(): { readonly in: boolean; readonly out: boolean } {
    return { ...this.#halted };
  }

  async open(): Promise<void> {
    if (this.#gone) throw gone();
    this.opened = true;
  }
  async close(): Promise<void> {
    if (this.#gone) throw gone();
    this.opened = false;
  }
  async selectConfiguration(value: number): Promise<void> {
    if (this.#gone) throw gone();
    this.configuration = this.configurations.find((c) => c.configurationValue === value) ?? null;
  }
  async claimInterface(): Promise<void> {
    if (this.#gone) throw gone();
    this.#claimed = true;
  }
  async releaseInterface(): Promise<void> {
    if (this.#gone) throw gone();
    this.#claimed = false;
  }

  async controlTransferIn(
    setup: UsbControlTransferParametersLike,
    length: number,
  ): Promise<UsbInTransferResultLike> {
    if (this.#gone) throw gone();
    if (setup.requestType === 'class' && setup.request === 0xfe && length >= 1) {
      if (this.#maxLun === 'stall') return { status: 'stall' };
      return { status: 'ok', data: new DataView(new Uint8Array([this.#maxLun]).buffer) };
    }
    return { status: 'stall' };
  }

  async controlTransferOut(
    setup: UsbControlTransferParametersLike,
    _data?: BufferSourceLike,
  ): Promise<UsbOutTransferResultLike> {
    if (this.#gone) throw gone();
    if (setup.requestType === 'class' && setup.request === 0xff) {
      if (this.resetBehaviour === 'stall') return { status: 'stall', bytesWritten: 0 };
      if (this.resetBehaviour === 'hang') {
        await new Promise<void>((resolve) => this.#hangs.push(resolve));
        throw gone();
      }
      // Bulk-Only Mass Storage Reset (BOT §3.1): back to waiting for a CBW.
      this.stats.resets++;
      this.#phase = 'cbw';
      for (const wake of this.#hangs.splice(0)) wake();
      return { status: 'ok', bytesWritten: 0 };
    }
    return { status: 'stall', bytesWritten: 0 };
  }

  async clearHalt(direction: 'in' | 'out'): Promise<void> {
    if (this.#gone) throw gone();
    this.stats.clearHalts[direction]++;
    this.#halted[direction] = false;
  }

  async #scripted(script: ScriptedTransfer[]): Promise<ScriptedTransfer | undefined> {
    const next = script.shift();
    if (next?.kind === 'hang') {
      // Never answers until a reset or a disconnect; then it fails like a cancelled transfer.
      await new Promise<void>((resolve) => this.#hangs.push(resolve));
      throw this.#gone
        ? gone()
        : Object.assign(new Error('transfer cancelled'), { name: 'AbortError' });
    }
    if (next?.kind === 'gone') {
      this.disconnect();
      throw gone();
    }
    return next;
  }

  async transferOut(endpoint: number, data: BufferSourceLike): Promise<UsbOutTransferResultLike> {
    return this.#track(() => this.#transferOut(endpoint, data));
  }

  async transferIn(endpoint: number, length: number): Promise<UsbInTransferResultLike> {
    return this.#track(() => this.#transferIn(endpoint, length));
  }

  async #track<T>(body: () => Promise<T>): Promise<T> {
    this.#pending++;
    this.stats.maxPending = Math.max(this.stats.maxPending, this.#pending);
    try {
      if (this.asyncTransfers) await new Promise<void>((r) => queueMicrotask(r));
      return await body();
    } finally {
      this.#pending--;
    }
  }

  async #transferOut(endpoint: number, data: BufferSourceLike): Promise<UsbOutTransferResultLike> {
    if (this.#gone) throw gone();
    if (!this.#claimed)
      throw Object.assign(new Error('interface not claimed'), { name: 'InvalidStateError' });
    this.stats.transfersOut++;
    const bytes =
      data instanceof ArrayBuffer
        ? new Uint8Array(data)
        : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const script = await this.#scripted(this.scriptOut);
    if (script?.kind === 'stall' || this.#halted.out || endpoint !== OUT_EP) {
      // A device that stops taking data mid-phase reports the rest as residue (BOT §6.7.3).
      if (this.#phase === 'data-out') this.#phase = 'csw';
      this.#halted.out = true;
      return { status: 'stall', bytesWritten: 0 };
    }
    if (this.#phase === 'cbw') {
      let cbw: Cbw;
      try {
        cbw = decodeCbw(bytes);
      } catch {
        // Invalid CBW (§6.6.1): stall both pipes until reset recovery.
        this.#halted.in = true;
        this.#halted.out = true;
        return { status: 'stall', bytesWritten: 0 };
      }
      this.stats.cbws++;
      this.#cbw = cbw;
      this.commands.push(cbw.cdb);
      this.#run(cbw);
      return { status: 'ok', bytesWritten: bytes.length };
    }
    if (this.#phase === 'data-out') {
      const cbw = this.#cbw!;
      // A command that already failed still takes (and discards) its data.
      if (this.#status === 0)
        this.#put(this.#writeLba + this.#dataOutReceived / this.blockSize, bytes);
      this.#dataOutReceived += bytes.length;
      if (this.#dataOutReceived >= cbw.dataTransferLength) this.#phase = 'csw';
      return { status: 'ok', bytesWritten: bytes.length };
    }
    this.#halted.out = true;
    return { status: 'stall', bytesWritten: 0 };
  }

  async #transferIn(endpoint: number, length: number): Promise<UsbInTransferResultLike> {
    if (this.#gone) throw gone();
    if (!this.#claimed)
      throw Object.assign(new Error('interface not claimed'), { name: 'InvalidStateError' });
    this.stats.transfersIn++;
    const script = await this.#scripted(this.scriptIn);
    if (script?.kind === 'stall') {
      this.#halted.in = true;
      return { status: 'stall' };
    }
    if (script?.kind === 'zero-length')
      return { status: 'ok', data: new DataView(new ArrayBuffer(0)) };
    if (script?.kind === 'bytes') return sized(script.data, length, 'ok');
    if (script?.kind === 'csw' && this.#cbw) {
      const csw = encodeCsw({
        tag: this.#cbw.tag,
        residue: script.residue ?? this.#cbw.dataTransferLength,
        status: script.status,
      });
      this.#phase = 'cbw';
      return sized(csw, length, 'ok');
    }
    if (script?.kind === 'babble') return sized(script.data, length, 'babble');
    if (this.#halted.in || endpoint !== IN_EP) return { status: 'stall' };
    let bytes: Uint8Array;
    if (this.#phase === 'data-in') {
      const remaining = this.#dataIn.length - this.#dataInOffset;
      if (remaining === 0) {
        // Host asked for more than the device had (case 4/5): STALL, then the CSW.
        this.#phase = 'csw';
        this.#halted.in = true;
        return { status: 'stall' };
      }
      const n = Math.min(length, remaining);
      bytes = this.#dataIn.subarray(this.#dataInOffset, this.#dataInOffset + n);
      this.#dataInOffset += n;
      if (
        this.#dataInOffset === this.#dataIn.length &&
        this.#dataIn.length === this.#cbw!.dataTransferLength
      ) {
        this.#phase = 'csw';
      }
    } else if (this.#phase === 'csw') {
      const cbw = this.#cbw!;
      const moved =
        cbw.direction === 'in'
          ? this.#dataInOffset
          : cbw.direction === 'out'
            ? this.#dataOutReceived
            : 0;
      bytes = encodeCsw({
        tag: cbw.tag,
        residue: cbw.dataTransferLength - moved,
        status: this.#status,
      });
      this.#phase = 'cbw';
    } else {
      this.#halted.in = true;
      return { status: 'stall' };
    }
    if (script?.kind === 'map') {
      if (script.map) bytes = script.map(bytes.slice());
      return sized(bytes, length, script.status ?? 'ok');
    }
    return { status: 'ok', data: view(bytes) };
  }

  #put(lba: number, bytes: Uint8Array): void {
    const size = this.#store.length;
    let offset = (lba * this.blockSize) % size;
    let i = 0;
    while (i < bytes.length) {
      const n = Math.min(bytes.length - i, size - offset);
      this.#store.set(bytes.subarray(i, i + n), offset);
      i += n;
      offset = 0;
    }
  }

  #get(lba: number, length: number): Uint8Array {
    const size = this.#store.length;
    const offset = (lba * this.blockSize) % size;
    if (offset + length <= size) return this.#store.subarray(offset, offset + length);
    const out = new Uint8Array(length);
    let o = offset;
    for (let i = 0; i < length;) {
      const n = Math.min(length - i, size - o);
      out.set(this.#store.subarray(o, o + n), i);
      i += n;
      o = 0;
    }
    return out;
  }

  /** Minimal SCSI block target: enough for transport tests and the benchmark. */
  #run(cbw: Cbw): void {
    const cdb = cbw.cdb;
    const op = cdb[0]!;
    const respond = (data: Uint8Array) => {
      this.#status = 0;
      this.#dataIn = data;
      this.#dataInOffset = 0;
      this.#phase = cbw.direction === 'in' ? 'data-in' : 'csw';
      if (cbw.direction === 'in' && data.length === 0) this.#phase = 'data-in';
    };
    const fail = (sense: Sense) => {
      this.#sense = sense;
      this.#status = 1;
      this.#dataIn = new Uint8Array(0);
      this.#dataInOffset = 0;
      this.#dataOutReceived = 0;
      this.#phase =
        cbw.direction === 'in' ? 'data-in' : cbw.direction === 'out' ? 'data-out' : 'csw';
    };
    if (op !== 0x03 && this.pendingFailures.length > 0) {
      fail(this.pendingFailures.shift()!);
      return;
    }
    const view32 = new DataView(cdb.buffer, cdb.byteOffset, cdb.byteLength);
    switch (op) {
      case 0x00: // TEST UNIT READY
      case 0x1e: // PREVENT ALLOW MEDIUM REMOVAL (accepted; this device has no tray)
        respond(new Uint8Array(0));
        return;
      case 0x03: {
        // REQUEST SENSE: report and clear.
        const sense = encodeFixedSense(this.#sense);
        this.#sense = { key: 0, asc: 0, ascq: 0 };
        respond(sense.subarray(0, Math.min(sense.length, cdb[4] ?? 18)));
        return;
      }
      case 0x12: {
        // INQUIRY: CD/DVD device, removable.
        const data = new Uint8Array(36);
        data[0] = 0x05;
        data[1] = 0x80;
        data[4] = 31;
        const ascii = (s: string, at: number, len: number) => {
          for (let i = 0; i < len; i++) data[at + i] = i < s.length ? s.charCodeAt(i) : 0x20;
        };
        ascii('WEBDISC', 8, 8);
        ascii('MEMORY DEVICE', 16, 16);
        ascii('1.00', 32, 4);
        respond(data.subarray(0, Math.min(36, cdb[4] ?? 36)));
        return;
      }
      case 0x25: {
        const data = new Uint8Array(8);
        const v = new DataView(data.buffer);
        v.setUint32(0, this.blocks - 1);
        v.setUint32(4, this.blockSize);
        respond(data);
        return;
      }
      case 0x28: {
        const lba = view32.getUint32(2);
        const count = view32.getUint16(7);
        if (lba + count > this.blocks) {
          fail({ key: 5, asc: 0x21, ascq: 0 });
          return;
        }
        respond(this.#get(lba, count * this.blockSize));
        return;
      }
      case 0x2a: {
        const lba = view32.getUint32(2);
        const count = view32.getUint16(7);
        if (lba + count > this.blocks) {
          fail({ key: 5, asc: 0x21, ascq: 0 });
          return;
        }
        this.#status = 0;
        this.#writeLba = lba;
        this.#dataOutReceived = 0;
        this.#phase = count === 0 ? 'csw' : 'data-out';
        return;
      }
      default: {
        const answer = this.#answer?.(cdb);
        if (answer instanceof Uint8Array) respond(answer.subarray(0, cbw.dataTransferLength));
        else fail(answer ?? { key: 5, asc: 0x20, ascq: 0 });
      }
    }
  }
}

/** queueMicrotask exists in every realm webdisc runs in; reached structurally (see timers.ts). */
function queueMicrotask(callback: () => void): void {
  (globalThis as unknown as { queueMicrotask(cb: () => void): void }).queueMicrotask(callback);
}

/**
 * What WebUSB hands back for `bytes` sent to a transfer of `length`: a device
 * that sends more than the host asked for is babble, and the host keeps only
 * `length` bytes (WebUSB §6.2 transferIn, USB 2.0 §8.4.4).
 */
function sized(
  bytes: Uint8Array,
  length: number,
  status: 'ok' | 'babble',
): UsbInTransferResultLike {
  if (bytes.length > length) return { status: 'babble', data: view(bytes.subarray(0, length)) };
  return { status, data: view(bytes) };
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
