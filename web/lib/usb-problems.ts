import type { ErrorValue } from '../../worker/api.ts';

/**
 * Why Chrome could not open a USB drive, in the two cases people can fix:
 * - security: Chrome refuses the interface (mass storage is a protected class
 *   for ordinary web pages; the SecurityError of claimInterface/requestDevice).
 * - network: the operating system holds the interface (usb-storage / the
 *   CD-ROM driver is bound to it; the NetworkError "Unable to claim interface").
 */
export const UsbProblemKind = { Security: 'security', Network: 'network' } as const;
export type UsbProblemKind = (typeof UsbProblemKind)[keyof typeof UsbProblemKind];

export interface UsbProblem {
  readonly kind: UsbProblemKind;
  readonly error: ErrorValue;
}

/** Mass-storage interfaces an optical drive exposes: SFF-8020i/MMC (02h) and SCSI transparent (06h). */
export const OPTICAL_USB_FILTERS: USBDeviceFilter[] = [
  { classCode: 0x08, subclassCode: 0x02 },
  { classCode: 0x08, subclassCode: 0x06 },
];

export function classifyUsbError(error: ErrorValue): UsbProblemKind | null {
  const text = `${error.name} ${error.message}`;
  if (error.name === 'SecurityError' || /SecurityError|protected class/i.test(text))
    return UsbProblemKind.Security;
  if (error.name === 'NetworkError' || /NetworkError|unable to claim interface/i.test(text))
    return UsbProblemKind.Network;
  return null;
}

export function usbProblemOf(error: ErrorValue): UsbProblem | null {
  const kind = classifyUsbError(error);
  return kind ? { kind, error } : null;
}
