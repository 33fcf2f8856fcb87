/// <reference lib="webworker" />
/**
 * SharedWorker entry: the one virtual recorder every session of this origin
 * shares, as tabs share a real drive. Each connecting client gets a control
 * channel (media picker, eject button, state) and, on request, a USB device
 * port of its own (a SharedDeviceHandle served over a MessageChannel).
 */
import { createVirtualRecorder } from '../virtual-recorder/src/index.ts';
import { toErrorValue } from '../usb-mass-storage/src/errors.ts';
import { describeDevice, serveUsbDevice } from '../engine/usb-port.ts';
import { SharedDeviceHandle } from '../engine/shared-device.ts';
import { virtualControl } from '../engine/virtual-source.ts';
import type { HostReply, HostRequest } from './virtual-remote.ts';

declare const self: SharedWorkerGlobalScope;

const recorder = createVirtualRecorder({ media: 'cd-r' });
const control = virtualControl(recorder);

async function answer(request: HostRequest): Promise<{ value: unknown; transfer: Transferable[] }> {
  switch (request.method) {
    case 'openDevicePort': {
      const channel = new MessageChannel();
      const handle = new SharedDeviceHandle(recorder.device);
      serveUsbDevice(handle, channel.port1);
      return {
        value: { description: describeDevice(handle), port: channel.port2 },
        transfer: [channel.port2],
      };
    }
    case 'insertMedia':
      return { value: await control.insertMedia(String(request.args[0])), transfer: [] };
    case 'pressEjectButton':
      return { value: await control.pressEjectButton(), transfer: [] };
    case 'state':
      return { value: await control.state(), transfer: [] };
  }
}

self.addEventListener('connect', (event) => {
  const port = event.ports[0];
  if (!port) return;
  port.addEventListener('message', (message) => {
    const request = message.data as HostRequest;
    void answer(request).then(
      ({ value, transfer }) =>
        port.postMessage({ id: request.id, ok: true, value } satisfies HostReply, transfer),
      (error: unknown) =>
        port.postMessage({
          id: request.id,
          ok: false,
          error: toErrorValue(error),
        } satisfies HostReply),
    );
  });
  port.start();
});
