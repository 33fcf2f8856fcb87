/**
 * A process's view of the virtual bus's drive: a USBDevice like the npm
 * `usb` package's (kernel-driver control included), whose calls travel to
 * the bus server. The engine cannot tell it from a real drive.
 */
import { createConnection, type Socket } from 'node:net';
import type {
  BufferSourceLike,
  UsbConfigurationLike,
  UsbControlTransferParametersLike,
  UsbInTransferResultLike,
  UsbOutTransferResultLike,
} from '../../usb-mass-storage/src/usb.ts';
import type { NodeUsbDevice } from '../node-usb.ts';
import type { RecorderSource } from '../../engine/service.ts';
import { discovered } from '../node-usb.ts';
import {
  type BusState,
  type DeviceDescription,
  type Reply,
  type WireTransferResult,
  fromBase64,
  lineReader,
  toBase64,
} from './protocol.ts';

type Body = Record<string, unknown> & { op: string };

function namedError(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

/** One connection to the bus; a closed connection is an unplugged device. */
export class BusConnection {
  readonly #socket: Socket;
  #next = 1;
  #pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  #closed = false;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.setEncoding('utf8');
    socket.on(
      'data',
      lineReader((line) => {
        const reply = JSON.parse(line) as Reply;
        const p = this.#pending.get(reply.id);
        if (!p) return;
        this.#pending.delete(reply.id);
        if (reply.ok) p.resolve(reply.value);
        else p.reject(namedError(reply.name, reply.message));
      }),
    );
    socket.on('close', () => {
      this.#closed = true;
      for (const p of this.#pending.values()) {
        p.reject(
          namedError('NotFoundError', 'The device was disconnected (the virtual bus closed).'),
        );
      }
      this.#pending.clear();
    });
    socket.on('error', () => undefined);
    // The connection must not keep a finished CLI process alive.
    socket.unref();
  }

  static connect(path: string): Promise<BusConnection> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(path);
      socket.once('connect', () => resolve(new BusConnection(socket)));
      socket.once('error', reject);
    });
  }

  call<T>(body: Body): Promise<T> {
    if (this.#closed) {
      return Promise.reject(
        namedError('NotFoundError', 'The device was disconnected (the virtual bus closed).'),
      );
    }
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      // A call in flight keeps the process up, as a pending USB transfer does.
      if (this.#pending.size === 1) this.#socket.ref();
      this.#socket.write(`${JSON.stringify({ ...body, id })}\n`);
    }).finally(() => {
      if (this.#pending.size === 0) this.#socket.unref();
    });
  }

  state(): Promise<BusState> {
    return this.call({ op: 'state' });
  }

  close(): void {
    this.#socket.destroy();
  }
}

function inResult(w: WireTransferResult): UsbInTransferResultLike {
  const bytes = w.data === undefined ? undefined : fromBase64(w.data);
  return {
    status: w.status,
    data: bytes ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) : undefined,
  };
}

function outResult(w: WireTransferResult): UsbOutTransferResultLike {
  return { status: w.status, bytesWritten: w.bytesWritten ?? 0 };
}

export class BusDevice implements NodeUsbDevice {
  readonly vendorId: number;
  readonly productId: number;
  readonly manufacturerName: string;
  readonly productName: string;
  readonly serialNumber: string;
  readonly bus: string;
  readonly address: number;
  readonly configurations: readonly UsbConfigurationLike[];
  readonly #c: BusConnection;
  #opened = false;
  #claimed = false;

  constructor(connection: BusConnection, d: DeviceDescription) {
    this.#c = connection;
    this.vendorId = d.vendorId;
    this.productId = d.productId;
    this.manufacturerName = d.manufacturerName;
    this.productName = d.productName;
    this.serialNumber = d.serialNumber;
    this.bus = d.bus;
    this.address = d.address;
    const claimed = () => this.#claimed;
    this.configurations = d.configurations.map((c) => ({
      ...c,
      interfaces: c.interfaces.map((i) => ({
        ...i,
        get claimed() {
          return claimed();
        },
      })),
    }));
  }

  get opened(): boolean {
    return this.#opened;
  }

  get configuration(): UsbConfigurationLike | null {
    return this.configurations[0] ?? null;
  }

  async open(): Promise<void> {
    await this.#c.call({ op: 'open' });
    this.#opened = true;
  }

  async close(): Promise<void> {
    await this.#c.call({ op: 'close' });
    this.#opened = false;
    this.#claimed = false;
  }

  selectConfiguration(value: number): Promise<void> {
    return this.#c.call({ op: 'selectConfiguration', value });
  }

  async claimInterface(iface: number): Promise<void> {
    await this.#c.call({ op: 'claimInterface', iface });
    this.#claimed = true;
  }

  async releaseInterface(iface: number): Promise<void> {
    await this.#c.call({ op: 'releaseInterface', iface });
    this.#claimed = false;
  }

  isKernelDriverActive(iface: number): Promise<boolean> {
    return this.#c.call({ op: 'isKernelDriverActive', iface });
  }

  detachKernelDriver(iface: number): Promise<void> {
    return this.#c.call({ op: 'detachKernelDriver', iface });
  }

  attachKernelDriver(iface: number): Promise<void> {
    return this.#c.call({ op: 'attachKernelDriver', iface });
  }

  reset(): Promise<void> {
    return this.#c.call({ op: 'reset' });
  }

  clearHalt(direction: 'in' | 'out', ep: number): Promise<void> {
    return this.#c.call({ op: 'clearHalt', direction, ep });
  }

  async transferIn(ep: number, length: number): Promise<UsbInTransferResultLike> {
    return inResult(await this.#c.call({ op: 'transferIn', ep, length }));
  }

  async transferOut(ep: number, data: BufferSourceLike): Promise<UsbOutTransferResultLike> {
    return outResult(await this.#c.call({ op: 'transferOut', ep, data: toBase64(data) }));
  }

  async controlTransferIn(
    setup: UsbControlTransferParametersLike,
    length: number,
  ): Promise<UsbInTransferResultLike> {
    return inResult(await this.#c.call({ op: 'controlTransferIn', setup, length }));
  }

  async controlTransferOut(
    setup: UsbControlTransferParametersLike,
    data?: BufferSourceLike,
  ): Promise<UsbOutTransferResultLike> {
    return outResult(
      await this.#c.call({
        op: 'controlTransferOut',
        setup,
        data: data === undefined ? null : toBase64(data),
      }),
    );
  }
}

/** Connects to the bus and describes its drive. */
export async function openBusDevice(
  path: string,
): Promise<{ device: BusDevice; connection: BusConnection }> {
  const connection = await BusConnection.connect(path);
  const description = await connection.call<DeviceDescription>({ op: 'describe' });
  return { device: new BusDevice(connection, description), connection };
}

/** The bus's drive as a recorder source, described as a real drive is (kernel-driver control included). */
export function busSource(path: string): RecorderSource {
  let opened: Promise<BusDevice> | undefined;
  return {
    async list() {
      opened ??= openBusDevice(path).then((o) => o.device);
      opened.catch(() => (opened = undefined));
      const d = discovered(await opened);
      return d ? [d] : [];
    },
  };
}
