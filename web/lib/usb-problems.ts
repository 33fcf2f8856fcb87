import type { ErrorValue } from '../../contract/api.ts';
import { AccessProblem } from '../../contract/errors.ts';
import { usbUnrestrictedAllowed } from './isolated-app.ts';

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

/**
 * SecurityErrors that are not the protected-class refusal: the chooser opened
 * without a click, or the `usb` feature is off for this document (an iframe).
 * Explaining those as "install the Isolated Web App" would send people the
 * wrong way, so they stay ordinary errors with Chrome's own words.
 */
const OTHER_SECURITY_CAUSE = /user gesture|permissions? policy/i;

/**
 * Which fixable problem `error` is, or null for any other error.
 * `unrestricted`: this document may claim mass storage (an Isolated Web App
 * with `usb-unrestricted`). There a SecurityError is not Chrome refusing the
 * protected class, so the explanation that says it is never appears.
 */
export function classifyUsbError(
  error: ErrorValue,
  unrestricted: boolean = usbUnrestrictedAllowed(),
): UsbProblemKind | null {
  // The protocol layer says which problem it met (contract AccessProblem); the words are ours.
  if (error.problem === AccessProblem.ProtectedClass)
    return unrestricted ? null : UsbProblemKind.Security;
  if (error.problem === AccessProblem.Busy) return UsbProblemKind.Network;
  const text = `${error.name} ${error.message}`;
  if (error.name === 'SecurityError' || /SecurityError|protected class/i.test(text)) {
    return unrestricted || OTHER_SECURITY_CAUSE.test(text) ? null : UsbProblemKind.Security;
  }
  // The worker's transport reports NetworkError at claimInterface as
  // E_ACCESS_DENIED "The operating system holds this drive (…usb-storage…)".
  if (
    error.name === 'NetworkError' ||
    /NetworkError|unable to claim interface|operating system holds this drive/i.test(text)
  )
    return UsbProblemKind.Network;
  return null;
}

export function usbProblemOf(
  error: ErrorValue,
  unrestricted: boolean = usbUnrestrictedAllowed(),
): UsbProblem | null {
  const kind = classifyUsbError(error, unrestricted);
  return kind ? { kind, error } : null;
}
