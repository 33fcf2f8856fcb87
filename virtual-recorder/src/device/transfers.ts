/**
 * Bulk and control transfers as WebUSB hands them over: the buffers the host
 * passes, the results the device resolves them with, and the transfers
 * waiting for the device (a real device NAKs meanwhile).
 */
import type {
  BufferSourceLike,
  UsbInTransferResultLike,
  UsbOutTransferResultLike,
} from '../../../usb-mass-storage/src/usb.ts';
import type { UsbDomError } from '../errors.ts';

/** A transferIn() the device has not answered yet. */
export interface InWaiter {
  readonly length: number;
  readonly resolve: (r: UsbInTransferResultLike) => void;
  readonly reject: (e: UsbDomError) => void;
}

/** A transferOut() the device has not answered yet. */
export interface OutWaiter {
  readonly data: Uint8Array;
  readonly resolve: (r: UsbOutTransferResultLike) => void;
  readonly reject: (e: UsbDomError) => void;
}

/** The bytes of a host buffer, not copied. */
export function view(data: BufferSourceLike): Uint8Array {
  return data instanceof ArrayBuffer
    ? new Uint8Array(data)
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export function dataView(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export const EMPTY = new Uint8Array(0);

/** An IN transfer that STALLed: status "stall", no data. */
export function stalledIn(): UsbInTransferResultLike {
  return { status: 'stall', data: dataView(EMPTY) };
}
