/**
 * The virtual bus: the virtual recorder as one USB device that several
 * processes share, the way a real drive sits on a USB bus (issue 14: "two CLI
 * processes on one drive"). It keeps what Linux's usbfs does between
 * processes, so the cross-process rules meet the same refusals a real drive
 * gives:
 * - one process at a time claims the interface; another's claim fails BUSY;
 * - a kernel driver (usb-storage) may hold the interface: claims fail BUSY
 *   until it is detached, and attaching it again fails BUSY while a process
 *   still claims the interface (release first);
 * - a process that dies loses its claim and its pending transfers (usbfs
 *   closes its file), but PREVENT stays on the drive: nobody sent ALLOW.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { unlink } from 'node:fs/promises';
import {
  createVirtualRecorder,
  type VirtualRecorder,
  type VirtualRecorderOptions,
} from '../../virtual-recorder/src/index.ts';
import type { UsbConfigurationLike, UsbInterfaceLike } from '../../usb-mass-storage/src/usb.ts';
import {
  type BusState,
  type DeviceDescription,
  type Reply,
  type Request,
  type WireTransferResult,
  fromBase64,
  lineReader,
  toBase64,
} from './protocol.ts';

/** A WebUSB-style failure: the client rejects with an Error of this name. */
class BusError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

interface Client {
  readonly socket: Socket;
  opened: boolean;
}

export interface BusOptions extends VirtualRecorderOptions {
  /** usb-storage holds the interface at the start, as on a Linux desktop. */
  readonly kernelDriver?: boolean;
}

export interface VirtualBus {
  readonly path: string;
  readonly recorder: VirtualRecorder;
  /** Whether the (simulated) kernel driver holds the interface now. */
  readonly kernelDriver: boolean;
  close(): Promise<void>;
}

/** Plain descriptors (no getters), with `claimed` left for the client to fill in. */
function plainConfigurations(configs: readonly UsbConfigurationLike[]): UsbConfigurationLike[] {
  return configs.map((c) => ({
    configurationValue: c.configurationValue,
    configurationName: c.configurationName ?? null,
    interfaces: c.interfaces.map((i): UsbInterfaceLike => ({
      interfaceNumber: i.interfaceNumber,
      alternate: { ...i.alternate, endpoints: i.alternate.endpoints.map((e) => ({ ...e })) },
      alternates: i.alternates.map((a) => ({
        ...a,
        endpoints: a.endpoints.map((e) => ({ ...e })),
      })),
      claimed: false,
    })),
  }));
}

export async function serveVirtualBus(path: string, options: BusOptions = {}): Promise<VirtualBus> {
  const recorder = createVirtualRecorder(options);
  const device = recorder.device;
  await device.open();
  await device.claimInterface(device.configurations[0]!.interfaces[0]!.interfaceNumber);
  const clients = new Set<Client>();
  let claimer: Client | undefined;
  let kernelDriver = options.kernelDriver ?? false;

  /** Pending transfers of the claim that ended are cancelled, as usbfs kills a closed file's URBs. */
  const dropClaim = async (iface: number) => {
    claimer = undefined;
    await device.releaseInterface(iface).catch(() => undefined);
    await device.claimInterface(iface).catch(() => undefined);
  };

  const needClaim = (client: Client) => {
    if (!client.opened) throw new BusError('InvalidStateError', 'The device must be opened first.');
    if (claimer !== client) {
      throw new BusError('InvalidStateError', 'The interface is not claimed by this process.');
    }
  };

  async function handle(client: Client, r: Request): Promise<unknown> {
    switch (r.op) {
      case 'describe': {
        const d: DeviceDescription = {
          vendorId: device.vendorId,
          productId: device.productId,
          manufacturerName: device.manufacturerName,
          productName: device.productName,
          serialNumber: device.serialNumber,
          bus: '1',
          address: 7,
          configurations: plainConfigurations(device.configurations),
        };
        return d;
      }
      case 'open':
        client.opened = true;
        return undefined;
      case 'close':
        if (claimer === client) await dropClaim(0);
        client.opened = false;
        return undefined;
      case 'selectConfiguration':
        if (r.value !== device.configurations[0]!.configurationValue) {
          throw new BusError('NotFoundError', 'The configuration value provided is not supported.');
        }
        return undefined;
      case 'claimInterface':
        if (!client.opened)
          throw new BusError('InvalidStateError', 'The device must be opened first.');
        if (kernelDriver) {
          throw new BusError(
            'NetworkError',
            'LIBUSB_ERROR_BUSY: a kernel driver (usb-storage) holds the interface.',
          );
        }
        if (claimer && claimer !== client) {
          throw new BusError(
            'NetworkError',
            'LIBUSB_ERROR_BUSY: another process has claimed the interface.',
          );
        }
        claimer = client;
        return undefined;
      case 'releaseInterface':
        if (claimer === client) await dropClaim(r.iface);
        return undefined;
      case 'isKernelDriverActive':
        return kernelDriver;
      case 'detachKernelDriver':
        if (!kernelDriver)
          throw new BusError(
            'NotFoundError',
            'LIBUSB_ERROR_NOT_FOUND: no kernel driver is attached.',
          );
        kernelDriver = false;
        return undefined;
      case 'attachKernelDriver':
        if (claimer) {
          throw new BusError(
            'NetworkError',
            'LIBUSB_ERROR_BUSY: the interface is claimed; release it first.',
          );
        }
        kernelDriver = true;
        return undefined;
      case 'reset':
        needClaim(client);
        await device.reset();
        return undefined;
      case 'clearHalt':
        needClaim(client);
        await device.clearHalt(r.direction, r.ep);
        return undefined;
      case 'transferIn': {
        needClaim(client);
        const t = await device.transferIn(r.ep, r.length);
        const w: WireTransferResult = {
          status: t.status,
          data: t.data ? toBase64(t.data) : undefined,
        };
        return w;
      }
      case 'transferOut': {
        needClaim(client);
        const t = await device.transferOut(r.ep, fromBase64(r.data));
        const w: WireTransferResult = { status: t.status, bytesWritten: t.bytesWritten };
        return w;
      }
      case 'controlTransferIn': {
        needClaim(client);
        const t = await device.controlTransferIn(r.setup, r.length);
        const w: WireTransferResult = {
          status: t.status,
          data: t.data ? toBase64(t.data) : undefined,
        };
        return w;
      }
      case 'controlTransferOut': {
        needClaim(client);
        const t = await device.controlTransferOut(
          r.setup,
          r.data === null ? undefined : fromBase64(r.data),
        );
        const w: WireTransferResult = { status: t.status, bytesWritten: t.bytesWritten };
        return w;
      }
      case 'state': {
        const s = recorder.state;
        const b: BusState = {
          prevent: s.prevent,
          persistentPrevent: s.persistentPrevent,
          trayOpen: s.trayOpen,
          kernelDriver,
          claims: claimer ? 1 : 0,
          clients: clients.size,
        };
        return b;
      }
      case 'pressEjectButton':
        return recorder.pressEjectButton();
    }
  }

  const server: Server = createServer((socket) => {
    const client: Client = { socket, opened: false };
    clients.add(client);
    socket.setEncoding('utf8');
    const send = (reply: Reply) => {
      if (!socket.destroyed) socket.write(`${JSON.stringify(reply)}\n`);
    };
    socket.on(
      'data',
      lineReader((line) => {
        let request: Request;
        try {
          request = JSON.parse(line) as Request;
        } catch {
          socket.destroy();
          return;
        }
        handle(client, request).then(
          (value) => send({ id: request.id, ok: true, value }),
          (error: Error) =>
            send({
              id: request.id,
              ok: false,
              name: error?.name ?? 'Error',
              message: String(error?.message ?? error),
            }),
        );
      }),
    );
    // The process died or closed the device: usbfs drops its claim and cancels its transfers.
    socket.on('close', () => {
      clients.delete(client);
      if (claimer === client) void dropClaim(0);
    });
    socket.on('error', () => undefined);
  });
  if (process.platform !== 'win32') await unlink(path).catch(() => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  return {
    path,
    recorder,
    get kernelDriver() {
      return kernelDriver;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) c.socket.destroy();
        server.close(() => resolve());
      }),
  };
}
