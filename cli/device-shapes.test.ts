/**
 * The three kinds of device the transport takes with no adapter: Chrome's
 * USBDevice (W3C types), the npm `usb` package's WebUSB device, and the
 * virtual recorder. Checked by the compiler (an assignment that would not
 * type-check fails `npm run typecheck`) and at run time on the objects we have.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WebUSB } from 'usb';
import { findMassStorageInterface } from '../usb-mass-storage/src/bot/transport.ts';
import type { UsbDeviceLike } from '../usb-mass-storage/src/usb.ts';
import { createVirtualRecorder, type VirtualUsbDevice } from '../virtual-recorder/src/index.ts';

type NodeUsbDevice = Awaited<ReturnType<WebUSB['getDevices']>>[number];

// Compile-time: each is a UsbDeviceLike as it is.
export const fromChrome = (d: USBDevice): UsbDeviceLike => d;
export const fromNodeUsb = (d: NodeUsbDevice): UsbDeviceLike => d;
export const fromVirtual = (d: VirtualUsbDevice): UsbDeviceLike => d;

describe('device shapes', () => {
  it('the virtual recorder is found as a Bulk-Only mass-storage device', () => {
    const device: UsbDeviceLike = createVirtualRecorder({ media: 'cd-r' }).device;
    assert.deepEqual(findMassStorageInterface(device), {
      configurationValue: 1,
      interfaceNumber: 0,
      alternateSetting: 0,
      subclass: 0x06,
      inEndpoint: 1,
      outEndpoint: 2,
      packetSize: 512,
    });
  });

  it('the npm usb package loads its WebUSB class (native binary from its platform package)', async () => {
    const usb = await import('usb');
    assert.equal(typeof usb.WebUSB, 'function');
    assert.equal(typeof new usb.WebUSB({ allowAllDevices: true }).getDevices, 'function');
  });
});
