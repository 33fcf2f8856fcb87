/**
 * A USBDevice over a MessagePort. The virtual recorder lives in a
 * SharedWorker so that every session (tab, worker) sees the same drive, as
 * they would a real one: this file is the client (`PortUsbDevice`, a
 * UsbDeviceLike) and the server (`serveUsbDevice`). Errors keep their `name`
 * (NotFoundError, InvalidStateError), and a stall stays a status.
 */
import type {
  BufferSourceLike,
  UsbConfigurationLike,
  UsbControlTransferParametersLike,
  UsbDeviceLike,
  UsbInTransferResultLike,
  UsbOutTransferResultLike,
} from '../usb-mass-storage/src/usb.ts';
import { MAX_TRANSFER_LIMIT } from '../usb-mass-storage/src/bot/transport.ts';

/** The structural part of MessagePort used here (DOM, worker and Node's worker_threads fit). */
export interface PortLike {
  postMessage(message: unknown, transfer?: unknown[]): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  start?(): void;
  close?(): void;
}

const METHODS = [
  'open',
  'close',
  'selectConfiguration',
  'claimInterface',
  'releaseInterface',
  'controlTransferIn',
  'controlTransferOut',
  'transferIn',
  'transferOut',
  'clearHalt',
  'reset',
] as const;
type Method = (typeof METHODS)[number];

interface Call {
  readonly id: number;
  readonly method: Method;
  readonly args: unknown[];
}

interface Reply {
  readonly id: number;
  readonly ok: boolean;
  readonly value?: unknown;
  readonly error?: { name: string; message: string };
  /** Device state after the call, so the client's getters stay true. */
  readonly state: DeviceState;
}

interface DeviceState {
  readonly opened: boolean;
  readonly configurationValue: number | null;
}

export interface DeviceDescription {
  readonly vendorId: number;
  readonly productId: number;
  readonly manufacturerName: string | null;
  readonly productName: string | null;
  readonly serialNumber: string | null;
  readonly configurations: readonly UsbConfigurationLike[];
  readonly state: DeviceState;
}

function stateOf(device: UsbDeviceLike): DeviceState {
  return {
    opened: device.opened,
    configurationValue: device.configuration?.configurationValue ?? null,
  };
}

/** A plain, cloneable copy of the descriptors. */
export function describeDevice(device: UsbDeviceLike): DeviceDescription {
  return {
    vendorId: device.vendorId,
    productId: device.productId,
    manufacturerName: device.manufacturerName ?? null,
    productName: device.productName ?? null,
    serialNumber: device.serialNumber ?? null,
    configurations: device.configurations.map((c) => ({
      configurationValue: c.configurationValue,
      configurationName: c.configurationName ?? null,
      interfaces: c.interfaces.map((i) => ({
        interfaceNumber: i.interfaceNumber,
        claimed: i.claimed,
        alternate: { ...i.alternate, endpoints: i.alternate.endpoints.map((e) => ({ ...e })) },
        alternates: i.alternates.map((a) => ({
          ...a,
          endpoints: a.endpoints.map((e) => ({ ...e })),
        })),
      })),
    })),
    state: stateOf(device),
  };
}

function toBytes(data: BufferSourceLike): Uint8Array {
  return data instanceof ArrayBuffer
    ? new Uint8Array(data)
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

const isInt = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

const isSetup = (v: unknown): boolean => {
  const s = v as Partial<UsbControlTransferParametersLike> | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    ['standard', 'class', 'vendor'].includes(s.requestType as string) &&
    ['device', 'interface', 'endpoint', 'other'].includes(s.recipient as string) &&
    isInt(s.request, 0, 0xff) &&
    isInt(s.value, 0, 0xffff) &&
    isInt(s.index, 0, 0xffff)
  );
};

/**
 * Why `args` cannot go to the device, or undefined when they can. Any page
 * of this origin can reach the SharedWorker's ports (issue 20, item 8), so a
 * call is checked before the drive sees it: a length of 2^40 would otherwise
 * be allocated in the one worker every session shares. The limits are
 * WebUSB's own: endpoints 1..15 (USB 2.0 §9.6.6), control data ≤ 64 KiB
 * (wLength), a transfer ≤ 32 MiB (protocol-notes.md).
 */
function badArgs(method: Method, a: readonly unknown[]): string | undefined {
  const bytes = (v: unknown, max: number) => v instanceof Uint8Array && v.length <= max;
  const ok = ((): boolean => {
    switch (method) {
      case 'open':
      case 'close':
      case 'reset':
        return a.length === 0;
      case 'selectConfiguration':
      case 'claimInterface':
      case 'releaseInterface':
        return isInt(a[0], 0, 0xff);
      case 'controlTransferIn':
        return isSetup(a[0]) && isInt(a[1], 0, 0xffff);
      case 'controlTransferOut':
        return isSetup(a[0]) && (a[1] === undefined || bytes(a[1], 0xffff));
      case 'transferIn':
        return isInt(a[0], 1, 15) && isInt(a[1], 0, MAX_TRANSFER_LIMIT);
      case 'transferOut':
        return isInt(a[0], 1, 15) && bytes(a[1], MAX_TRANSFER_LIMIT);
      case 'clearHalt':
        return (a[0] === 'in' || a[0] === 'out') && isInt(a[1], 1, 15);
    }
  })();
  return ok ? undefined : `${method}: arguments out of range or of the wrong type`;
}

/** The call in a message, or why it is refused (undefined: not a call at all, no reply possible). */
export function parseCall(data: unknown): Call | { id: number; refused: string } | undefined {
  const c = data as { id?: unknown; method?: unknown; args?: unknown } | null;
  if (typeof c !== 'object' || c === null || !isInt(c.id, 0, Number.MAX_SAFE_INTEGER)) {
    return undefined;
  }
  const id = c.id;
  if (!METHODS.includes(c.method as Method)) return { id, refused: 'unknown method' };
  if (!Array.isArray(c.args)) return { id, refused: 'args must be an array' };
  const method = c.method as Method;
  const why = badArgs(method, c.args as unknown[]);
  return why ? { id, refused: why } : { id, method, args: c.args as unknown[] };
}

/** Serves `device` on `port` until the port closes. One port per client session. */
export function serveUsbDevice(device: UsbDeviceLike, port: PortLike): void {
  port.addEventListener('message', (event) => {
    const call = parseCall(event.data);
    if (!call) return;
    if ('refused' in call) {
      port.postMessage({
        id: call.id,
        ok: false,
        error: { name: 'TypeError', message: call.refused },
        state: stateOf(device),
      } satisfies Reply);
      return;
    }
    void (async () => {
      let reply: Reply;
      try {
        const value = await invoke(device, call);
        const transfer: unknown[] = [];
        let out: unknown = value;
        if (value && typeof value === 'object' && 'data' in value) {
          const r = value as UsbInTransferResultLike;
          // Copy out of the device's buffers, then transfer (no second copy).
          const bytes = r.data ? new Uint8Array(toBytes(r.data)) : undefined;
          if (bytes) transfer.push(bytes.buffer);
          out = { status: r.status, data: bytes };
        }
        reply = { id: call.id, ok: true, value: out, state: stateOf(device) };
        port.postMessage(reply, transfer);
      } catch (error) {
        const e = error instanceof Error ? error : new Error(String(error));
        reply = {
          id: call.id,
          ok: false,
          error: { name: e.name, message: e.message },
          state: stateOf(device),
        };
        port.postMessage(reply);
      }
    })();
  });
  port.start?.();
}

function invoke(device: UsbDeviceLike, call: Call): Promise<unknown> {
  const a = call.args;
  switch (call.method) {
    case 'open':
      return device.open();
    case 'close':
      return device.close();
    case 'selectConfiguration':
      return device.selectConfiguration(a[0] as number);
    case 'claimInterface':
      return device.claimInterface(a[0] as number);
    case 'releaseInterface':
      return device.releaseInterface(a[0] as number);
    case 'controlTransferIn':
      return device.controlTransferIn(a[0] as UsbControlTransferParametersLike, a[1] as number);
    case 'controlTransferOut':
      return device.controlTransferOut(
        a[0] as UsbControlTransferParametersLike,
        (a[1] as Uint8Array | undefined) ?? new Uint8Array(0),
      );
    case 'transferIn':
      return device.transferIn(a[0] as number, a[1] as number);
    case 'transferOut':
      return device.transferOut(a[0] as number, a[1] as Uint8Array);
    case 'clearHalt':
      return device.clearHalt(a[0] as 'in' | 'out', a[1] as number);
    case 'reset':
      return device.reset ? device.reset() : Promise.resolve();
  }
}

/** The client: a UsbDeviceLike whose every call crosses `port`. */
export class PortUsbDevice implements UsbDeviceLike {
  readonly vendorId: number;
  readonly productId: number;
  readonly manufacturerName: string | null;
  readonly productName: string | null;
  readonly serialNumber: string | null;
  readonly configurations: readonly UsbConfigurationLike[];
  #state: DeviceState;
  #port: PortLike;
  #nextId = 1;
  #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #closed = false;

  constructor(port: PortLike, description: DeviceDescription) {
    this.#port = port;
    this.vendorId = description.vendorId;
    this.productId = description.productId;
    this.manufacturerName = description.manufacturerName;
    this.productName = description.productName;
    this.serialNumber = description.serialNumber;
    this.configurations = description.configurations;
    this.#state = description.state;
    port.addEventListener('message', (event) => this.#onReply(event.data as Reply));
    port.start?.();
  }

  get opened(): boolean {
    return this.#state.opened;
  }

  get configuration(): UsbConfigurationLike | null {
    const v = this.#state.configurationValue;
    return v === null
      ? null
      : (this.configurations.find((c) => c.configurationValue === v) ?? null);
  }

  /** The host side went away: every pending and future call fails as a disconnect. */
  detach(): void {
    this.#closed = true;
    for (const p of this.#pending.values()) p.reject(notFound());
    this.#pending.clear();
  }

  #onReply(reply: Reply): void {
    const pending = this.#pending.get(reply?.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    this.#state = reply.state;
    if (reply.ok) {
      pending.resolve(reply.value);
    } else {
      const e = new Error(reply.error?.message ?? 'USB call failed');
      e.name = reply.error?.name ?? 'Error';
      pending.reject(e);
    }
  }

  #call<T>(method: Method, args: unknown[], transfer: unknown[] = []): Promise<T> {
    if (this.#closed) return Promise.reject(notFound());
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#port.postMessage({ id, method, args } satisfies Call, transfer);
    });
  }

  open(): Promise<void> {
    return this.#call('open', []);
  }
  close(): Promise<void> {
    return this.#call('close', []);
  }
  selectConfiguration(value: number): Promise<void> {
    return this.#call('selectConfiguration', [value]);
  }
  claimInterface(n: number): Promise<void> {
    return this.#call('claimInterface', [n]);
  }
  releaseInterface(n: number): Promise<void> {
    return this.#call('releaseInterface', [n]);
  }
  async controlTransferIn(
    setup: UsbControlTransferParametersLike,
    length: number,
  ): Promise<UsbInTransferResultLike> {
    return toInResult(await this.#call<WireIn>('controlTransferIn', [setup, length]));
  }
  controlTransferOut(
    setup: UsbControlTransferParametersLike,
    data?: BufferSourceLike,
  ): Promise<UsbOutTransferResultLike> {
    return this.#call('controlTransferOut', [setup, data ? toBytes(data).slice() : undefined]);
  }
  async transferIn(endpoint: number, length: number): Promise<UsbInTransferResultLike> {
    return toInResult(await this.#call<WireIn>('transferIn', [endpoint, length]));
  }
  transferOut(endpoint: number, data: BufferSourceLike): Promise<UsbOutTransferResultLike> {
    // Copy once into a buffer we own, then move it across without a second copy.
    const bytes = toBytes(data).slice();
    return this.#call('transferOut', [endpoint, bytes], [bytes.buffer]);
  }
  clearHalt(direction: 'in' | 'out', endpoint: number): Promise<void> {
    return this.#call('clearHalt', [direction, endpoint]);
  }
  reset(): Promise<void> {
    return this.#call('reset', []);
  }
}

interface WireIn {
  readonly status?: 'ok' | 'stall' | 'babble';
  readonly data?: Uint8Array;
}

function toInResult(wire: WireIn): UsbInTransferResultLike {
  const data = wire.data
    ? new DataView(wire.data.buffer, wire.data.byteOffset, wire.data.byteLength)
    : undefined;
  return { status: wire.status, data };
}

function notFound(): Error {
  const e = new Error('The device is no longer available.');
  e.name = 'NotFoundError';
  return e;
}
