/**
 * Real drives in Node: the npm `usb` package's WebUSB class gives the same
 * USBDevice shape as Chrome, with no mass-storage restriction. On Linux the
 * kernel's usb-storage driver usually holds the interface: IMAPI's force
 * detaches it, and the last release attaches it again.
 */
import type { UsbDeviceLike } from '../usb-mass-storage/src/usb.ts';
import { findMassStorageInterface } from '../usb-mass-storage/src/bot/transport.ts';
import type { DiscoveredDevice, RecorderSource } from '../engine/service.ts';
import { osDriverFor } from './kernel-driver.ts';

/** The node-usb device members beyond WebUSB that force needs (usb 3.x). */
export interface NodeUsbDevice extends UsbDeviceLike {
  readonly bus?: string;
  readonly address?: number;
  detachKernelDriver?(interfaceNumber: number): Promise<void>;
  attachKernelDriver?(interfaceNumber: number): Promise<void>;
  /** Where the platform can say (libusb_kernel_driver_active; the virtual bus). */
  isKernelDriverActive?(interfaceNumber: number): Promise<boolean>;
}

export interface WebUsbLike {
  getDevices(): Promise<NodeUsbDevice[]>;
  addEventListener(type: 'disconnect', listener: (event: { device: NodeUsbDevice }) => void): void;
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

export function recorderId(device: NodeUsbDevice): string {
  const where = device.serialNumber || `${device.bus ?? '?'}-${device.address ?? '?'}`;
  return `usb:${hex4(device.vendorId)}:${hex4(device.productId)}:${where}`;
}

export interface NodeUsb {
  readonly source: RecorderSource;
  /** Registers the disconnect handler (a device pulled while in use). */
  onDisconnect(listener: (device: UsbDeviceLike) => void): void;
}

/** Loads the optional `usb` package; undefined (with the reason) when it is not installed. */
export async function loadNodeUsb(): Promise<NodeUsb | { readonly unavailable: string }> {
  let webusb: WebUsbLike;
  try {
    const mod = (await import('usb')) as unknown as { WebUSB: new (o: object) => WebUsbLike };
    webusb = new mod.WebUSB({ allowAllDevices: true, deviceTimeout: 10_000 });
  } catch (error) {
    // `usb` is optional: an install without it still runs the virtual recorder.
    if ((error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND') {
      return { unavailable: 'the optional npm package "usb" is not installed (npm install usb)' };
    }
    return {
      unavailable: `the npm "usb" package is not usable here (${(error as Error).message})`,
    };
  }
  return {
    source: nodeUsbSource(webusb),
    onDisconnect: (listener) =>
      webusb.addEventListener('disconnect', (event) => listener(event.device)),
  };
}

/** Every Bulk-Only mass-storage device node-usb can see, with kernel-driver control for force. */
export function nodeUsbSource(webusb: Pick<WebUsbLike, 'getDevices'>): RecorderSource {
  return {
    async list() {
      const found: DiscoveredDevice[] = [];
      for (const device of await webusb.getDevices()) {
        const d = discovered(device);
        if (d) found.push(d);
      }
      return found;
    },
  };
}

/** A mass-storage device as a recorder, with kernel-driver control for force; undefined for others. */
export function discovered(device: NodeUsbDevice): DiscoveredDevice | undefined {
  const iface = findMassStorageInterface(device);
  if (!iface) return undefined;
  return {
    summary: {
      id: recorderId(device),
      name: [device.manufacturerName, device.productName].filter(Boolean).join(' ') || 'USB drive',
      kind: 'usb',
      vendorId: device.vendorId,
      productId: device.productId,
      serial: device.serialNumber || null,
    },
    device,
    osDriver: osDriverFor(device, iface.interfaceNumber),
  };
}
