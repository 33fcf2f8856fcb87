/**
 * Real drives in Node, with a stand-in for a node-usb device: the kernel's
 * usb-storage driver holds the interface until force detaches it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryBotDevice } from '../usb-mass-storage/src/testing/memory-device.ts';
import { MemoryCoordinator } from '../engine/coordinator.ts';
import { WebdiscService } from '../engine/service.ts';
import { nodeUsbSource, recorderId } from './node-usb.ts';

/** A device whose interface a kernel driver holds, as usb-storage does on Linux. */
class KernelBoundDevice extends MemoryBotDevice {
  bound = true;
  readonly calls: string[] = [];
  readonly bus = '1-4';
  readonly address = 7;
  override async claimInterface(): Promise<void> {
    if (this.bound) throw new Error('LIBUSB_ERROR_BUSY: Resource busy');
    await super.claimInterface();
  }
  async detachKernelDriver(n: number): Promise<void> {
    this.calls.push(`detach ${n}`);
    this.bound = false;
  }
  async attachKernelDriver(n: number): Promise<void> {
    this.calls.push(`attach ${n}`);
    this.bound = true;
  }
}

function service(device: KernelBoundDevice) {
  return new WebdiscService({
    sessionId: 'cli',
    coordinator: new MemoryCoordinator(),
    sources: [nodeUsbSource({ getDevices: async () => [device] })],
    mcnIntervalMs: 0,
  });
}

describe('node-usb drives', () => {
  it('are listed with a stable id from vendor, product and serial', async () => {
    const device = new KernelBoundDevice();
    const list = await nodeUsbSource({ getDevices: async () => [device] }).list();
    assert.equal(list.length, 1);
    assert.equal(list[0]!.summary.id, recorderId(device));
    assert.equal(list[0]!.summary.id, 'usb:0e8d:1887:MEM0001');
  });

  it('force = false fails with E_ACCESS_DENIED while the kernel driver holds the drive', async () => {
    const device = new KernelBoundDevice();
    const s = service(device);
    const r = await s.acquireExclusiveAccess(recorderId(device), false, 'CLI');
    assert.equal(r.ok ? '' : r.error.name, 'E_ACCESS_DENIED');
    assert.deepEqual(device.calls, []);
    assert.equal(device.bound, true);
  });

  it('force = true detaches the kernel driver, and the last release attaches it again', async () => {
    const device = new KernelBoundDevice();
    const s = service(device);
    const id = recorderId(device);
    assert.ok((await s.acquireExclusiveAccess(id, true, 'CLI')).ok);
    assert.deepEqual(device.calls, ['detach 0']);
    assert.ok((await s.acquireExclusiveAccess(id, true, 'CLI')).ok);
    assert.ok((await s.releaseExclusiveAccess(id)).ok);
    assert.deepEqual(device.calls, ['detach 0'], 'count 2 -> 1 keeps it');
    assert.ok((await s.releaseExclusiveAccess(id)).ok);
    assert.deepEqual(device.calls, ['detach 0', 'attach 0']);
    assert.equal(device.bound, true);
  });
});
