/**
 * "The OS has it mounted" only when a kernel driver holds the interface
 * (issue 14, item 1): Linux sysfs names the driver; usbfs is another program.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { linuxInterfaceDriver, osDriverFor } from './kernel-driver.ts';
import type { NodeUsbDevice } from './node-usb.ts';

/** A sysfs tree with one device (bus 1, address 7) whose interface 0 is bound to `driver`. */
async function sysfs(driver: string | null): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'webdisc-sysfs-'));
  const devices = join(root, 'bus/usb/devices');
  await mkdir(join(devices, '1-2'), { recursive: true });
  await mkdir(join(devices, '1-3'), { recursive: true });
  await writeFile(join(devices, '1-3/busnum'), '1\n');
  await writeFile(join(devices, '1-3/devnum'), '5\n');
  await writeFile(join(devices, '1-2/busnum'), '1\n');
  await writeFile(join(devices, '1-2/devnum'), '7\n');
  await writeFile(join(devices, '1-2/bConfigurationValue'), '1\n');
  await mkdir(join(devices, '1-2:1.0'), { recursive: true });
  if (driver) {
    await mkdir(join(root, 'bus/usb/drivers', driver), { recursive: true });
    await symlink(join(root, 'bus/usb/drivers', driver), join(devices, '1-2:1.0/driver'));
  }
  return devices;
}

const device = { bus: '001', address: 7, opened: false } as unknown as NodeUsbDevice;

describe('who holds the interface (Linux sysfs)', () => {
  it('names the bound driver, or null when none is bound', async () => {
    assert.equal(await linuxInterfaceDriver('1', 7, 0, await sysfs('usb-storage')), 'usb-storage');
    assert.equal(await linuxInterfaceDriver('1', 7, 0, await sysfs('usbfs')), 'usbfs');
    assert.equal(await linuxInterfaceDriver('1', 7, 0, await sysfs(null)), null);
    assert.equal(await linuxInterfaceDriver('1', 9, 0, await sysfs(null)), undefined);
  });

  for (const [driver, mounted] of [
    ['usb-storage', true],
    ['uas', true],
    ['usbfs', false],
    [null, false],
  ] as const) {
    it(`${driver ?? 'no driver'}: mounted = ${mounted}`, async () => {
      const os = osDriverFor(device, 0, 'linux', await sysfs(driver));
      assert.equal(await os.isMounted(), mounted);
    });
  }

  it('the platform says it directly when it can (isKernelDriverActive)', async () => {
    const asked: number[] = [];
    const d = {
      ...device,
      isKernelDriverActive: (i: number) => (asked.push(i), Promise.resolve(true)),
    } as unknown as NodeUsbDevice;
    assert.equal(await osDriverFor(d, 3, 'linux', '/nonexistent').isMounted(), true);
    assert.deepEqual(asked, [3]);
  });
});
