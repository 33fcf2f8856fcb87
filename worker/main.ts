/// <reference lib="webworker" />
/**
 * Dedicated-worker entry: one session. It exposes the recorder service over
 * Comlink. The page hands it the shared virtual recorder's port (from the
 * SharedWorker in virtual-host.ts) with attachVirtualRecorder; without one
 * (no SharedWorker, e.g. Chrome on Android) the worker runs its own.
 */
import * as Comlink from 'comlink';
import type { WorkerApi } from './api.ts';
import { APP_CLOCK, createVirtualRecorder } from '../virtual-recorder/src/index.ts';
import {
  MemoryCoordinator,
  WebLocksCoordinator,
  type LockCoordinator,
} from '../engine/coordinator.ts';
import { WebdiscService, type RecorderSource, type VirtualControl } from '../engine/service.ts';
import { remoteVirtual } from './virtual-remote.ts';
import type { PortLike } from '../engine/usb-port.ts';
import { virtualControl, virtualSource } from '../engine/virtual-source.ts';
import { webUsbSource } from './webusb-source.ts';
import { streamResult } from './disc-stream.ts';
import type { DiscFilesSource } from '../contract/api.ts';

declare const self: DedicatedWorkerGlobalScope;

const coordinator: LockCoordinator =
  'locks' in navigator && typeof BroadcastChannel !== 'undefined'
    ? new WebLocksCoordinator(navigator.locks, new BroadcastChannel('webdisc-locks'))
    : new MemoryCoordinator();

let attach!: (v: { source: RecorderSource; control: VirtualControl }) => void;
const attached = new Promise<{ source: RecorderSource; control: VirtualControl }>(
  (r) => (attach = r),
);
// If the page never attaches a shared drive, run one here after a moment.
const fallback = setTimeout(() => {
  const recorder = createVirtualRecorder({ media: 'cd-r', clock: APP_CLOCK });
  attach({ source: virtualSource(recorder), control: virtualControl(recorder) });
}, 2000);

const virtual: { source: RecorderSource; control: VirtualControl } = {
  source: { list: async () => (await attached).source.list() },
  control: {
    insertMedia: async (name) => (await attached).control.insertMedia(name),
    insertImage: async (image, as) => (await attached).control.insertImage(image, as),
    pressEjectButton: async () => (await attached).control.pressEjectButton(),
    state: async () => (await attached).control.state(),
  },
};

const usb = (navigator as WorkerNavigator & { usb?: USB }).usb;
const sources: RecorderSource[] = [virtual.source];
if (usb) sources.push(webUsbSource(usb));

class WorkerService extends WebdiscService implements WorkerApi {
  /** The page passes the SharedWorker's port (or null to use a drive of this worker's own). */
  attachVirtualRecorder(port: PortLike | null): void {
    clearTimeout(fallback);
    if (port) {
      attach(remoteVirtual(port));
    } else {
      const recorder = createVirtualRecorder({ media: 'cd-r', clock: APP_CLOCK });
      attach({ source: virtualSource(recorder), control: virtualControl(recorder) });
    }
  }

  async readDiscFile(source: DiscFilesSource, path: string) {
    const r = await streamResult(() => this.discFile(source, path));
    return r.ok ? Comlink.transfer(r, [r.value]) : r;
  }
}

const service = new WorkerService({
  sessionId: crypto.randomUUID(),
  coordinator,
  sources,
  virtual: virtual.control,
});

if (usb) {
  usb.addEventListener('connect', () => void service.refreshUsbDevices());
  usb.addEventListener('disconnect', (event) => service.deviceGone(event.device));
}

Comlink.expose(service, self);
