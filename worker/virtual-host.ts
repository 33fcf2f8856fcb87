/// <reference lib="webworker" />
/**
 * SharedWorker entry: the one virtual recorder every session of this origin
 * shares, as tabs share a real drive. Each connecting client gets a control
 * channel (media picker, eject button, state) and, on request, a USB device
 * port of its own (a SharedDeviceHandle served over a MessageChannel).
 *
 * Written sectors live in the Origin Private File System (opfs-store.ts)
 * where the browser has it, so a burned DVD or BD image is on disk, not in
 * this worker's memory; the disc's layout and the tray are kept beside them
 * (virtual-persist.ts), so the disc is still in the drive after a reload.
 * Without OPFS the drive starts with a blank CD-R each time.
 */
import { APP_CLOCK, createVirtualRecorder } from '../virtual-recorder/src/index.ts';
import { toErrorValue } from '../usb-mass-storage/src/errors.ts';
import { describeDevice, serveUsbDevice } from '../engine/usb-port.ts';
import { SharedDeviceHandle } from '../engine/shared-device.ts';
import { virtualControl } from '../engine/virtual-source.ts';
import { openPersistentDrive } from './virtual-persist.ts';
import type { HostReply, HostRequest } from './virtual-remote.ts';

declare const self: SharedWorkerGlobalScope;

async function startDrive() {
  const opfs = typeof navigator.storage?.getDirectory === 'function';
  const recorder = opfs
    ? await openPersistentDrive()
        .then((d) => d.recorder)
        .catch(() => createVirtualRecorder({ media: 'cd-r', clock: APP_CLOCK }))
    : createVirtualRecorder({ media: 'cd-r', clock: APP_CLOCK });
  return { recorder, control: virtualControl(recorder) };
}
const drive = startDrive();

async function answer(request: HostRequest): Promise<{ value: unknown; transfer: Transferable[] }> {
  const { recorder, control } = await drive;
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
    case 'insertImage': {
      // Checked here, not trusted: any page of this origin can post to this port.
      const [image, as] = request.args;
      if (!(image instanceof Blob)) throw new TypeError('insertImage needs a Blob');
      if (as !== undefined && typeof as !== 'string') throw new TypeError('"as" must be a string');
      return { value: await control.insertImage(image, as), transfer: [] };
    }
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
