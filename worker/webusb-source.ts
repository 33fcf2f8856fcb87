/// <reference lib="webworker" />
/**
 * Real drives in the browser: the devices this origin was granted (the page
 * calls navigator.usb.requestDevice; the worker finds them with getDevices).
 * Claiming one in an ordinary page fails with SecurityError (mass storage is a
 * protected class); the transport turns that into a clear E_ACCESS_DENIED.
 */
import { findMassStorageInterface } from '../usb-mass-storage/src/bot/transport.ts';
import type { RecorderSource } from '../engine/service.ts';

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

export function webUsbSource(usb: USB): RecorderSource {
  const ids = new WeakMap<USBDevice, string>();
  let anonymous = 0;
  return {
    async list() {
      const devices = await usb.getDevices();
      return devices
        .filter((d) => findMassStorageInterface(d) !== undefined)
        .map((device) => {
          let id = ids.get(device);
          if (!id) {
            // WebUSB shows no bus path: without a serial, number the device for this session.
            id = `usb:${hex4(device.vendorId)}:${hex4(device.productId)}:${device.serialNumber || `#${++anonymous}`}`;
            ids.set(device, id);
          }
          return {
            summary: {
              id,
              name:
                [device.manufacturerName, device.productName].filter(Boolean).join(' ') ||
                'USB drive',
              kind: 'usb' as const,
              vendorId: device.vendorId,
              productId: device.productId,
              serial: device.serialNumber || null,
            },
            device,
          };
        });
    },
  };
}
