/**
 * The virtual drive's USB port (issue 20, item 8): every session of the
 * origin can post to the SharedWorker's ports, so what arrives is checked
 * before the shared drive sees it. A good client works as before; a call
 * with an unknown method, wrong types or absurd lengths gets a TypeError
 * reply, and the device is never called.
 */
import assert from 'node:assert/strict';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { after, describe, it } from 'node:test';
import { createVirtualRecorder } from '../virtual-recorder/src/index.ts';
import {
  describeDevice,
  parseCall,
  PortUsbDevice,
  serveUsbDevice,
  type PortLike,
} from './usb-port.ts';
import type { UsbDeviceLike } from '../usb-mass-storage/src/usb.ts';

const ports: MessagePort[] = [];
after(() => ports.forEach((p) => p.close()));

/** The device behind a port, with a log of what reached it. */
function served() {
  const device = createVirtualRecorder({ media: 'cd-r' }).device;
  const reached: string[] = [];
  const spy = new Proxy(device, {
    get(target, key) {
      const v = Reflect.get(target, key, target) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        reached.push(String(key));
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as UsbDeviceLike;
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  serveUsbDevice(spy, port1 as unknown as PortLike);
  return { device: spy, port: port2, reached };
}

function ask(
  port: MessagePort,
  message: unknown,
): Promise<{ ok: boolean; error?: { name: string; message: string } }> {
  return new Promise((resolve) => {
    port.once('message', (data) => resolve(data as never));
    port.postMessage(message);
  });
}

describe('usb-port', () => {
  it('serves a well-formed client as before', async () => {
    const { device, port } = served();
    const client = new PortUsbDevice(port as unknown as PortLike, describeDevice(device));
    await client.open();
    await client.selectConfiguration(1);
    await client.claimInterface(0);
    assert.equal(client.opened, true);
    assert.equal(client.configuration?.configurationValue, 1);
  });

  it('refuses unknown methods, wrong types and absurd sizes without calling the device', async () => {
    const { port, reached } = served();
    const bad: unknown[] = [
      { id: 1, method: 'eval', args: [] },
      { id: 2, method: 'transferIn', args: [1, 2 ** 40] },
      { id: 3, method: 'transferIn', args: [1, -1] },
      { id: 4, method: 'transferIn', args: [0, 512] },
      { id: 5, method: 'transferOut', args: [2, 'not bytes'] },
      { id: 6, method: 'controlTransferIn', args: [{ requestType: 'class' }, 1] },
      { id: 7, method: 'clearHalt', args: ['sideways', 1] },
      { id: 8, method: 'claimInterface', args: [NaN] },
      { id: 9, method: 'open', args: 'no' },
      { id: 10, method: 'selectConfiguration', args: [1.5] },
    ];
    for (const m of bad) {
      const reply = await ask(port, m);
      assert.equal(reply.ok, false, JSON.stringify(m));
      assert.equal(reply.error?.name, 'TypeError');
    }
    assert.deepEqual(reached, []);
  });

  it('ignores what is not a call at all (no id to answer)', () => {
    for (const m of [null, 7, 'x', {}, { id: 'a' }, { id: -1 }, { id: 1.5 }]) {
      assert.equal(parseCall(m), undefined);
    }
    assert.deepEqual(parseCall({ id: 3, method: 'transferIn', args: [1, 31] }), {
      id: 3,
      method: 'transferIn',
      args: [1, 31],
    });
  });
});
