/**
 * The recorder service in a worker thread (as in the browser's dedicated
 * worker), burning a synthetic image it generates on the fly: the image is
 * never held in memory. The drive is across a MessagePort (as the shared
 * virtual recorder is in the browser).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { MemoryCoordinator } from '../engine/coordinator.ts';
import { WebdiscService } from '../engine/service.ts';
import { PortUsbDevice, type DeviceDescription, type PortLike } from '../engine/usb-port.ts';
import type { ImageSource } from '../engine/recording/source.ts';
import { VIRTUAL_ID, VIRTUAL_RECORDER_NAME } from '../contract/virtual.ts';

const { port, description, bytes, chunkSectors } = workerData as {
  port: PortLike;
  description: DeviceDescription;
  bytes: number;
  chunkSectors: number;
};

function synthetic(total: number): ImageSource {
  return {
    size: total,
    async *stream() {
      const block = new Uint8Array(4 * 1024 * 1024);
      for (let i = 0; i < block.length; i++) block[i] = (i * 31) & 0xff;
      for (let at = 0; at < total; at += block.length) {
        // A fresh view each time; the same buffer is reused, so nothing accumulates.
        block[0] = (at >>> 22) & 0xff;
        yield block.subarray(0, Math.min(block.length, total - at));
      }
    },
  };
}

async function generatorMbps(total: number): Promise<number> {
  const started = performance.now();
  let n = 0;
  for await (const chunk of synthetic(total).stream()) n += chunk.length;
  return n / 1e6 / ((performance.now() - started) / 1000);
}

const device = new PortUsbDevice(port, description);
const service = new WebdiscService({
  sessionId: 'bench',
  coordinator: new MemoryCoordinator(),
  sources: [
    {
      list: async () => [
        {
          summary: {
            id: VIRTUAL_ID,
            name: VIRTUAL_RECORDER_NAME,
            kind: 'virtual',
            vendorId: device.vendorId,
            productId: device.productId,
            serial: null,
          },
          device,
        },
      ],
    },
  ],
  mcnIntervalMs: 0,
});
const reference = await generatorMbps(Math.min(bytes, 512 * 1024 * 1024));
const started = performance.now();
const r = await service.burn(VIRTUAL_ID, synthetic(bytes), { clientName: 'bench', chunkSectors });
const seconds = (performance.now() - started) / 1000;
if (!r.ok) throw new Error(`burn failed: ${r.error.name}: ${r.error.message}`);
(globalThis as { gc?: () => void }).gc?.();
parentPort!.postMessage({
  mbps: bytes / 1e6 / seconds,
  seconds,
  sectors: r.value.sectorCount,
  reference,
  workerHeapMb: process.memoryUsage().heapUsed / 1e6,
});
service.dispose();
