/**
 * One burn measurement in a fresh process (so peak RSS is this burn's):
 * `node --import tsx bench/burn-child.ts BYTES`. Prints one JSON line.
 */
import { Worker } from 'node:worker_threads';
import { DiscardSectorStore, createVirtualRecorder } from '../virtual-recorder/src/index.ts';
import { SharedDeviceHandle } from '../engine/shared-device.ts';
import { describeDevice, serveUsbDevice } from '../engine/usb-port.ts';

const bytes = Number(process.argv[2]);
const chunkSectors = Number(process.argv[3] ?? 128);
// Speed model off; written sectors are discarded, so the drive holds nothing either.
const recorder = createVirtualRecorder({
  media: 'bd-r',
  clock: 'off',
  storeFactory: () => new DiscardSectorStore(),
});
const handle = new SharedDeviceHandle(recorder.device);
const channel = new MessageChannel();
serveUsbDevice(handle, channel.port1 as unknown as Parameters<typeof serveUsbDevice>[1]);
const baselineRssMb = process.memoryUsage().rss / 1e6;
const worker = new Worker(new URL('./burn-worker.mjs', import.meta.url), {
  workerData: { port: channel.port2, description: describeDevice(handle), bytes, chunkSectors },
  transferList: [channel.port2 as never],
});
const result = await new Promise<{
  mbps: number;
  seconds: number;
  sectors: number;
  reference: number;
}>((resolve, reject) => {
  worker.once('message', resolve);
  worker.once('error', reject);
});
(globalThis as { gc?: () => void }).gc?.();
const mainHeapMb = process.memoryUsage().heapUsed / 1e6;
await worker.terminate();
channel.port1.close();
console.log(
  JSON.stringify({
    ...result,
    bytes,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    baselineRssMb,
    mainHeapMb,
  }),
);
