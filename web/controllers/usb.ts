import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ErrorValue } from '../../contract/api.ts';
import { toErrorValue } from '../lib/errors.ts';
import { OPTICAL_USB_FILTERS } from '../lib/usb-problems.ts';

/** The subset of navigator.usb the page uses. */
export type UsbLike = Pick<USB, 'requestDevice' | 'addEventListener' | 'removeEventListener'>;

export type RequestOutcome =
  | { readonly kind: 'granted'; readonly device: USBDevice }
  /** The person closed the chooser without picking a drive (NotFoundError). */
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'failed'; readonly error: ErrorValue };

export function defaultUsb(): UsbLike | undefined {
  return typeof navigator !== 'undefined' && 'usb' in navigator ? navigator.usb : undefined;
}

/**
 * navigator.usb in the page: the device chooser and hot-plug. WebUSB
 * `connect`/`disconnect` events call `onHotPlug` while the host is connected.
 * The worker finds granted devices itself with getDevices().
 */
export class UsbController implements ReactiveController {
  readonly #usb: () => UsbLike | undefined;
  readonly #onHotPlug: (event: USBConnectionEvent) => void;
  #listening: UsbLike | undefined;

  constructor(
    host: ReactiveControllerHost,
    usb: () => UsbLike | undefined,
    onHotPlug: (event: USBConnectionEvent) => void,
  ) {
    this.#usb = usb;
    this.#onHotPlug = onHotPlug;
    host.addController(this);
  }

  get supported(): boolean {
    return this.#usb() !== undefined;
  }

  readonly #listener = (event: Event): void => {
    this.#onHotPlug(event as USBConnectionEvent);
  };

  hostConnected(): void {
    const usb = this.#usb();
    if (!usb) return;
    usb.addEventListener('connect', this.#listener);
    usb.addEventListener('disconnect', this.#listener);
    this.#listening = usb;
  }

  hostDisconnected(): void {
    this.#listening?.removeEventListener('connect', this.#listener);
    this.#listening?.removeEventListener('disconnect', this.#listener);
    this.#listening = undefined;
  }

  /** Opens Chrome's device chooser for optical mass-storage drives. */
  async request(): Promise<RequestOutcome> {
    const usb = this.#usb();
    if (!usb) {
      return {
        kind: 'failed',
        error: toErrorValue(
          new DOMException('This browser has no WebUSB (navigator.usb).', 'NotSupportedError'),
        ),
      };
    }
    try {
      const device = await usb.requestDevice({ filters: OPTICAL_USB_FILTERS });
      return { kind: 'granted', device };
    } catch (error) {
      if (error instanceof DOMException && error.name === 'NotFoundError')
        return { kind: 'cancelled' };
      return { kind: 'failed', error: toErrorValue(error) };
    }
  }
}
