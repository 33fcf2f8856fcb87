/**
 * What the simulated device says about itself: the descriptors of a real USB
 * optical drive.
 *
 * - One configuration (1), one interface (0): class 08h Mass Storage,
 *   subclass 06h SCSI transparent, protocol 50h Bulk-Only (USB MSC Overview
 *   1.4 §2-3). Endpoint 1 IN (81h) and endpoint 2 OUT (02h), both bulk, 512-
 *   byte packets (USB 2.0 high speed).
 * - WebUSB's view of them (`USBConfiguration` and below), and the bytes
 *   GET_DESCRIPTOR returns (USB 2.0 §9.6).
 */
import type {
  UsbAlternateInterfaceLike,
  UsbConfigurationLike,
  UsbEndpointLike,
  UsbInterfaceLike,
} from '../../../usb-mass-storage/src/usb.ts';

export const BULK_IN_ENDPOINT = 1;
export const BULK_OUT_ENDPOINT = 2;
export const PACKET_SIZE = 512;
export const INTERFACE_NUMBER = 0;
export const CONFIGURATION_VALUE = 1;

export interface DeviceIdentity {
  readonly vendorId: number;
  readonly productId: number;
  readonly manufacturerName: string;
  readonly productName: string;
  readonly serialNumber: string;
}

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

/** The one configuration; `isClaimed` tells whether the host claimed its interface. */
export class Configuration implements UsbConfigurationLike {
  readonly configurationValue = CONFIGURATION_VALUE;
  readonly configurationName = null;
  readonly interfaces: readonly UsbInterfaceLike[];
  constructor(isClaimed: () => boolean) {
    this.interfaces = [new Interface(isClaimed)];
  }
}

/** USB 2.0 §9.6.1 device descriptor (18 bytes), for GET_DESCRIPTOR. */
export function deviceDescriptor(id: DeviceIdentity): Uint8Array {
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
export function configurationDescriptor(): Uint8Array {
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
