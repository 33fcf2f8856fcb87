/**
 * The virtual bus's wire format: one JSON object per line over a Unix socket
 * (a named pipe on Windows). Requests carry an id; each gets one reply with
 * the same id. Bytes travel as base64. Errors keep WebUSB's DOMException name
 * (NotFoundError, NetworkError, AbortError...) so the client rejects exactly
 * as a real device would.
 */
import type {
  UsbConfigurationLike,
  UsbControlTransferParametersLike,
} from '../../usb-mass-storage/src/usb.ts';

export type Request =
  | { readonly id: number; readonly op: 'describe' }
  | { readonly id: number; readonly op: 'open' | 'close' | 'reset' }
  | { readonly id: number; readonly op: 'selectConfiguration'; readonly value: number }
  | {
      readonly id: number;
      readonly op:
        | 'claimInterface'
        | 'releaseInterface'
        | 'detachKernelDriver'
        | 'attachKernelDriver'
        | 'isKernelDriverActive';
      readonly iface: number;
    }
  | {
      readonly id: number;
      readonly op: 'clearHalt';
      readonly direction: 'in' | 'out';
      readonly ep: number;
    }
  | { readonly id: number; readonly op: 'transferIn'; readonly ep: number; readonly length: number }
  | { readonly id: number; readonly op: 'transferOut'; readonly ep: number; readonly data: string }
  | {
      readonly id: number;
      readonly op: 'controlTransferIn';
      readonly setup: UsbControlTransferParametersLike;
      readonly length: number;
    }
  | {
      readonly id: number;
      readonly op: 'controlTransferOut';
      readonly setup: UsbControlTransferParametersLike;
      readonly data: string | null;
    }
  /** The drive as the world outside the host sees it (tests): PREVENT, tray, who claims. */
  | { readonly id: number; readonly op: 'state' }
  /** Someone presses the drive's eject button (tests): refused while PREVENT holds. */
  | { readonly id: number; readonly op: 'pressEjectButton' };

export type Reply =
  | { readonly id: number; readonly ok: true; readonly value?: unknown }
  | { readonly id: number; readonly ok: false; readonly name: string; readonly message: string };

/** What `describe` answers: the device as WebUSB lists it. */
export interface DeviceDescription {
  readonly vendorId: number;
  readonly productId: number;
  readonly manufacturerName: string;
  readonly productName: string;
  readonly serialNumber: string;
  readonly bus: string;
  readonly address: number;
  readonly configurations: readonly UsbConfigurationLike[];
}

/** The result of a transfer, bytes as base64. */
export interface WireTransferResult {
  readonly status: 'ok' | 'stall' | 'babble' | undefined;
  readonly data?: string | undefined;
  readonly bytesWritten?: number | undefined;
}

/** What `state` answers. */
export interface BusState {
  readonly prevent: boolean;
  readonly persistentPrevent: boolean;
  readonly trayOpen: boolean;
  readonly kernelDriver: boolean;
  /** How many clients hold the interface (0 or 1). */
  readonly claims: number;
  readonly clients: number;
}

export function toBase64(bytes: ArrayBufferView | ArrayBuffer): string {
  const view =
    bytes instanceof ArrayBuffer
      ? new Uint8Array(bytes)
      : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Buffer.from(view).toString('base64');
}

export function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** Splits a stream of text into lines, calling `onLine` for each complete one. */
export function lineReader(onLine: (line: string) => void): (chunk: string) => void {
  let buffered = '';
  return (chunk) => {
    buffered += chunk;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line) onLine(line);
    }
  };
}
