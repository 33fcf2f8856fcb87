/**
 * Errors of the virtual recorder.
 *
 * Two kinds: `VirtualRecorderError` for mistakes in the control API (an
 * unknown media name, an image that does not fit), and the WebUSB-style
 * rejections of the simulated USB device. WebUSB rejects with DOMExceptions
 * (WebUSB §6: `NotFoundError` when the device is gone, `InvalidStateError`
 * when it is not open, `NetworkError` for a transfer error or a busy
 * interface, `AbortError` for a cancelled transfer). This realm has no
 * DOMException global, so those are plain Errors whose `name` is the
 * DOMException name: a host that checks `error.name` cannot tell them apart.
 */
import { WebdiscError } from '../../usb-mass-storage/src/errors.ts';

export const VirtualRecorderErrorCode = {
  UnknownMedia: 'unknown-media',
  InvalidOption: 'invalid-option',
  ImageTooLarge: 'image-too-large',
  NoMedium: 'no-medium',
  Disconnected: 'disconnected',
  /** Saved drive state (drive-state.ts) that does not describe a disc. */
  InvalidState: 'invalid-state',
} as const;
export type VirtualRecorderErrorCode =
  (typeof VirtualRecorderErrorCode)[keyof typeof VirtualRecorderErrorCode];

/** A misuse of the virtual recorder's control API (E_INVALIDARG, like IMAPI's bad arguments). */
export class VirtualRecorderError extends WebdiscError {
  readonly code: VirtualRecorderErrorCode;
  constructor(code: VirtualRecorderErrorCode, message: string, options?: { cause?: unknown }) {
    super('E_INVALIDARG', message, options);
    this.code = code;
  }
}

/** The DOMException names WebUSB rejects with (WebIDL §2.8.1 error names). */
export const UsbErrorName = {
  NotFound: 'NotFoundError',
  InvalidState: 'InvalidStateError',
  Network: 'NetworkError',
  Abort: 'AbortError',
  IndexSize: 'IndexSizeError',
  Security: 'SecurityError',
} as const;
export type UsbErrorName = (typeof UsbErrorName)[keyof typeof UsbErrorName];

/** An Error shaped like the DOMException Chrome's WebUSB would reject with. */
export class UsbDomError extends Error {
  constructor(name: UsbErrorName, message: string) {
    super(message);
    this.name = name;
  }
}

/** Chrome's messages (blink/renderer/modules/webusb/usb_device.cc), so logs read the same. */
export const UsbMessages = {
  ProtectedInterface: 'The requested interface implements a protected class.',
  Disconnected: 'The device was disconnected.',
  NotOpened: 'The device must be opened first.',
  NoConfiguration: 'The device must have a configuration selected.',
  ConfigurationNotFound: 'The configuration value provided is not supported by the device.',
  InterfaceNotFound:
    'The interface number provided is not supported by the device in its current configuration.',
  InterfaceNotClaimed: 'The specified interface has not been claimed.',
  EndpointNotFound:
    'The specified endpoint is not part of a claimed and selected alternate interface.',
  EndpointOutOfRange: 'The specified endpoint number is out of range.',
  UnableToClaim: 'Unable to claim interface.',
  TransferError: 'A transfer error has occurred.',
  TransferCancelled: 'The transfer was cancelled.',
} as const;

export function usbError(name: UsbErrorName, message: string): UsbDomError {
  return new UsbDomError(name, message);
}
