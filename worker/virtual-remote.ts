/**
 * The dedicated worker's side of the shared virtual recorder (virtual-host.ts):
 * a RecorderSource whose device is a PortUsbDevice, and the drive's controls,
 * all over the SharedWorker's port.
 */
import { WebdiscError, type ErrorValue } from '../usb-mass-storage/src/errors.ts';
import { VIRTUAL_RECORDER_NAME } from '../virtual-recorder/src/index.ts';
import type { VirtualDriveState } from '../contract/api.ts';
import type { RecorderSource, VirtualControl } from '../engine/service.ts';
import { PortUsbDevice, type DeviceDescription, type PortLike } from '../engine/usb-port.ts';
import { VIRTUAL_ID } from '../engine/virtual-source.ts';

export type HostRequest =
  | { readonly id: number; readonly method: 'openDevicePort'; readonly args: [] }
  | { readonly id: number; readonly method: 'insertMedia'; readonly args: [string] }
  | {
      readonly id: number;
      readonly method: 'insertImage';
      readonly args: [Blob, string | undefined];
    }
  | { readonly id: number; readonly method: 'pressEjectButton'; readonly args: [] }
  | { readonly id: number; readonly method: 'state'; readonly args: [] };

export type HostReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: ErrorValue };

type Method = HostRequest['method'];

export function remoteVirtual(port: PortLike): { source: RecorderSource; control: VirtualControl } {
  let next = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  port.addEventListener('message', (event) => {
    const reply = event.data as HostReply;
    const p = pending.get(reply?.id);
    if (!p) return;
    pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.value);
    else
      p.reject(
        Object.assign(new WebdiscError('E_FAIL', reply.error.message), {
          hresultName: reply.error.name,
        }),
      );
  });
  port.start?.();
  const call = <T>(method: Method, ...args: unknown[]): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      port.postMessage({ id, method, args });
    });

  let device: Promise<PortUsbDevice> | undefined;
  const source: RecorderSource = {
    async list() {
      device ??= call<{ description: DeviceDescription; port: PortLike }>('openDevicePort').then(
        ({ description, port: devicePort }) => new PortUsbDevice(devicePort, description),
      );
      const d = await device;
      return [
        {
          summary: {
            id: VIRTUAL_ID,
            name: VIRTUAL_RECORDER_NAME,
            kind: 'virtual' as const,
            vendorId: d.vendorId,
            productId: d.productId,
            serial: d.serialNumber,
          },
          device: d,
        },
      ];
    },
  };
  const control: VirtualControl = {
    insertMedia: (name) => call<VirtualDriveState>('insertMedia', name),
    // A Blob crosses the port as a handle to the same bytes: nothing is copied here.
    insertImage: (image, as) => call<VirtualDriveState>('insertImage', image, as),
    pressEjectButton: () => call<VirtualDriveState>('pressEjectButton'),
    state: () => call<VirtualDriveState>('state'),
  };
  return { source, control };
}
