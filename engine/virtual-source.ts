/**
 * The virtual recorder as a recorder source: its USB device, its "mounted by
 * the OS" switch as IMAPI's force target, and its own controls (media picker,
 * eject button). Used in-process by the CLI and tests, and by the SharedWorker
 * that hosts the one virtual drive every browser session shares.
 */
import {
  MEDIA_NAMES,
  VIRTUAL_RECORDER_NAME,
  isMediaName,
  type VirtualRecorder,
} from '../virtual-recorder/src/index.ts';
import { WebdiscError } from '../usb-mass-storage/src/errors.ts';
import type { VirtualDriveState } from '../contract/api.ts';
import type { OsDriverControl } from './recorder/recorder.ts';
import type { RecorderSource, VirtualControl } from './service.ts';
import { SharedDeviceHandle } from './shared-device.ts';
import { blobSource } from './recording/source.ts';
import type { UsbDeviceLike } from '../usb-mass-storage/src/usb.ts';

export const VIRTUAL_ID = 'virtual';

export function virtualDriveState(recorder: VirtualRecorder): VirtualDriveState {
  const s = recorder.state;
  return {
    media: s.mediaName,
    mediaNames: [...MEDIA_NAMES],
    trayOpen: s.trayOpen,
    prevent: s.prevent,
    persistentPrevent: s.persistentPrevent,
    mountedByOs: s.mountedByOs,
    preventHistory: recorder.preventHistory.map((t) => t.prevent || t.persistent),
  };
}

function unknownMedium(name: string): WebdiscError {
  return new WebdiscError(
    'E_INVALIDARG',
    `Unknown medium "${name}". Choose one of: ${MEDIA_NAMES.join(', ')}.`,
  );
}

export function virtualControl(recorder: VirtualRecorder): VirtualControl {
  return {
    insertMedia(name) {
      if (!isMediaName(name)) return Promise.reject(unknownMedium(name));
      recorder.changeMedia(name);
      return Promise.resolve(virtualDriveState(recorder));
    },
    async insertImage(image, as) {
      if (as !== undefined && !isMediaName(as)) throw unknownMedium(as);
      // Read in slices as it is stored: a 4 GiB image never sits in memory whole.
      await recorder.insertImage(blobSource(image).stream(), as === undefined ? {} : { as });
      return virtualDriveState(recorder);
    },
    pressEjectButton() {
      recorder.pressEjectButton();
      return Promise.resolve(virtualDriveState(recorder));
    },
    state() {
      return Promise.resolve(virtualDriveState(recorder));
    },
  };
}

export function virtualOsDriver(recorder: VirtualRecorder): OsDriverControl {
  return {
    isMounted: () => Promise.resolve(recorder.mountedByOs),
    detach: () => Promise.resolve(recorder.dismount()),
    reattach: () => Promise.resolve(recorder.mount()),
  };
}

/**
 * A source that lists the virtual recorder's current USB device, through a
 * handle of this session's own (`shared`, the default) so that sessions
 * sharing the one drive do not close it under each other.
 */
export function virtualSource(
  recorder: VirtualRecorder,
  options: { shared?: boolean } = {},
): RecorderSource {
  const osDriver = virtualOsDriver(recorder);
  let handle: { device: UsbDeviceLike; view: UsbDeviceLike } | undefined;
  const current = (): UsbDeviceLike => {
    if (options.shared === false) return recorder.device;
    if (handle?.device !== recorder.device) {
      handle = { device: recorder.device, view: new SharedDeviceHandle(recorder.device) };
    }
    return handle.view;
  };
  return {
    list: () =>
      Promise.resolve(
        recorder.state.connected
          ? [
              {
                summary: {
                  id: VIRTUAL_ID,
                  name: VIRTUAL_RECORDER_NAME,
                  kind: 'virtual' as const,
                  vendorId: recorder.device.vendorId,
                  productId: recorder.device.productId,
                  serial: recorder.device.serialNumber ?? null,
                },
                device: current(),
                osDriver,
              },
            ]
          : [],
      ),
  };
}
