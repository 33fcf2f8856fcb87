/**
 * Who holds a USB interface on this machine, and IMAPI's force for real
 * drives (detach the OS's driver, give it back on the last release).
 *
 * "The OS has it mounted" is said only when a kernel driver really holds the
 * interface (issue 14, item 1): a claim that fails as BUSY may just as well be
 * another process's claim through usbfs, which force must never take. On
 * Linux the interface's sysfs `driver` link names the holder: usb-storage or
 * uas is the OS, usbfs is a program (libusb reports usbfs as "no kernel
 * driver" for the same reason).
 */
import { readFile, readdir, readlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { OsDriverControl } from '../engine/recorder/recorder.ts';
import type { NodeUsbDevice } from './node-usb.ts';

/** Kernel drivers that mean "the OS has the drive" (a file system may be mounted from it). */
const OS_STORAGE_DRIVERS = new Set(['usb-storage', 'uas']);

/** The name of the driver bound to an interface, from Linux sysfs; null when none; undefined when unknown. */
export async function linuxInterfaceDriver(
  bus: string | undefined,
  address: number | undefined,
  interfaceNumber: number,
  sysfs = '/sys/bus/usb/devices',
): Promise<string | null | undefined> {
  if (bus === undefined || address === undefined) return undefined;
  let entries: string[];
  try {
    entries = await readdir(sysfs);
  } catch {
    return undefined;
  }
  for (const name of entries) {
    if (name.includes(':')) continue; // interfaces, not devices
    const dir = join(sysfs, name);
    const read = (f: string) =>
      readFile(join(dir, f), 'utf8').then(
        (t) => t.trim(),
        () => '',
      );
    if ((await read('busnum')) !== String(Number(bus))) continue;
    if ((await read('devnum')) !== String(address)) continue;
    const config = (await read('bConfigurationValue')) || '1';
    try {
      return basename(
        await readlink(join(sysfs, `${name}:${config}.${interfaceNumber}`, 'driver')),
      );
    } catch {
      return null;
    }
  }
  return undefined;
}

/** Kernel-driver control for force. `platform` and `sysfs` are for tests. */
export function osDriverFor(
  device: NodeUsbDevice,
  interfaceNumber: number,
  platform: NodeJS.Platform = process.platform,
  sysfs?: string,
): OsDriverControl {
  return {
    async isMounted() {
      if (device.isKernelDriverActive) return device.isKernelDriverActive(interfaceNumber);
      if (platform === 'linux') {
        const driver = await linuxInterfaceDriver(
          device.bus,
          device.address,
          interfaceNumber,
          sysfs,
        );
        if (driver !== undefined) return driver !== null && OS_STORAGE_DRIVERS.has(driver);
      }
      // Elsewhere (macOS, Windows) no program shares usbfs-style claims with
      // us: a claim refused as busy means the OS's driver holds it.
      try {
        if (!device.opened) await device.open();
        await device.claimInterface(interfaceNumber);
        await device.releaseInterface(interfaceNumber);
        return false;
      } catch (error) {
        return /busy|LIBUSB_ERROR_BUSY|claim/i.test(String((error as Error)?.message));
      }
    },
    async detach() {
      if (!device.detachKernelDriver)
        throw new Error('this platform cannot detach the kernel driver');
      if (!device.opened) await device.open();
      await device.detachKernelDriver(interfaceNumber);
    },
    /** Runs after the interface was released and the device closed (the kernel refuses a claimed one). */
    async reattach() {
      if (!device.attachKernelDriver) return;
      const wasOpen = device.opened;
      if (!wasOpen) await device.open();
      try {
        await device.attachKernelDriver(interfaceNumber);
      } finally {
        if (!wasOpen) await device.close().catch(() => undefined);
      }
    },
  };
}
