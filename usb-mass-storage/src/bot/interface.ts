/**
 * Finding and opening a device's Bulk-Only interface (BOT §3, §4): the
 * interface descriptor search, Get Max LUN, what open and claim failures
 * mean, and how each platform reports a device that is gone or a stall.
 * bot/transport.ts runs commands once a device is open.
 */
import {
  DeviceAccessError,
  DeviceBusyError,
  DeviceGoneError,
  ProtectedClassError,
  WebdiscError,
} from '../errors.ts';
import { MassStorage, type UsbDeviceLike } from '../usb.ts';

export interface MassStorageInterface {
  readonly configurationValue: number;
  readonly interfaceNumber: number;
  readonly alternateSetting: number;
  readonly subclass: number;
  readonly inEndpoint: number;
  readonly outEndpoint: number;
  readonly packetSize: number;
}

/** Finds the BOT interface: class 08h, subclass 02h/05h/06h, protocol 50h, bulk IN + OUT. */
export function findMassStorageInterface(device: UsbDeviceLike): MassStorageInterface | undefined {
  for (const configuration of device.configurations) {
    for (const iface of configuration.interfaces) {
      for (const alt of iface.alternates) {
        if (
          alt.interfaceClass !== MassStorage.InterfaceClass ||
          !MassStorage.Subclasses.includes(alt.interfaceSubclass) ||
          alt.interfaceProtocol !== MassStorage.ProtocolBulkOnly
        ) {
          continue;
        }
        const bulkIn = alt.endpoints.find((e) => e.type === 'bulk' && e.direction === 'in');
        const bulkOut = alt.endpoints.find((e) => e.type === 'bulk' && e.direction === 'out');
        if (!bulkIn || !bulkOut) continue;
        return {
          configurationValue: configuration.configurationValue,
          interfaceNumber: iface.interfaceNumber,
          alternateSetting: alt.alternateSetting,
          subclass: alt.interfaceSubclass,
          inEndpoint: bulkIn.endpointNumber,
          outEndpoint: bulkOut.endpointNumber,
          packetSize: Math.min(bulkIn.packetSize, bulkOut.packetSize),
        };
      }
    }
  }
  return undefined;
}

export function isGoneError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // WebUSB: NotFoundError. node-usb: LIBUSB_ERROR_NO_DEVICE / "device has been disconnected".
  return (
    error.name === 'NotFoundError' ||
    /LIBUSB_ERROR_NO_DEVICE|no such device|disconnected/i.test(error.message)
  );
}

/** node-usb 3.x rejects a stalled transfer with an Error saying "stall" instead of resolving it. */
export function isStallError(error: unknown): boolean {
  return error instanceof Error && /stall|LIBUSB_ERROR_PIPE/i.test(error.message);
}

export function toBytes(view: DataView | undefined): Uint8Array {
  return view ? new Uint8Array(view.buffer, view.byteOffset, view.byteLength) : new Uint8Array(0);
}

/**
 * What a failure to open or claim the device means: WebUSB's SecurityError
 * (a protected class) and NetworkError or libusb's BUSY (another driver holds
 * the interface) become typed errors that say so, as facts without advice.
 */
export function openError(error: unknown): WebdiscError {
  if (isGoneError(error)) return new DeviceGoneError(undefined, { cause: error });
  const name = error instanceof Error ? error.name : '';
  if (name === 'SecurityError') {
    return new ProtectedClassError(
      'The platform refused access to the USB Mass Storage interface (a protected class).',
      { cause: error },
    );
  }
  if (
    name === 'NetworkError' ||
    /LIBUSB_ERROR_BUSY|busy/i.test(String((error as Error)?.message))
  ) {
    return new DeviceBusyError(
      "Another driver holds the drive's mass-storage interface (on Linux, usually usb-storage).",
      { cause: error },
    );
  }
  if (error instanceof WebdiscError) return error;
  return new DeviceAccessError('E_FAIL', `Could not open the USB device: ${String(error)}`, {
    cause: error,
  });
}

/**
 * Get Max LUN, BOT §3.2 (A1h/FEh, wLength 1). Devices with one LUN may
 * STALL it; an empty reply or a value above 15 also means LUN 0 only.
 */
export async function readMaxLun(device: UsbDeviceLike, interfaceNumber: number): Promise<number> {
  try {
    const result = await device.controlTransferIn(
      {
        requestType: 'class',
        recipient: 'interface',
        request: MassStorage.RequestGetMaxLun,
        value: 0,
        index: interfaceNumber,
      },
      1,
    );
    if (result.status !== 'ok' && result.status !== undefined) return 0;
    const value = toBytes(result.data)[0];
    return value === undefined || value > 15 ? 0 : value;
  } catch (error) {
    if (isGoneError(error)) throw new DeviceGoneError(undefined, { cause: error });
    return 0;
  }
}
