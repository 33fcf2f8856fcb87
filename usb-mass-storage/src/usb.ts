/**
 * The structural subset of WebUSB's USBDevice that the transport uses
 * (WebUSB §6). Chrome's `navigator.usb` devices, the npm `usb` package's
 * WebUSB devices and the virtual recorder all fit it with no adapter. Declared
 * here, not taken from @types/w3c-web-usb, because this realm has no WebUSB
 * globals.
 */

/** ArrayBuffer | ArrayBufferView, which is what WebUSB's BufferSource means. */
export type BufferSourceLike = ArrayBufferView | ArrayBuffer;

/** WebUSB §6.2: a stall is a status, not an exception (node-usb 3.x differs; see transport). */
export type UsbTransferStatusLike = 'ok' | 'stall' | 'babble';

export interface UsbInTransferResultLike {
  readonly data?: DataView | undefined;
  readonly status?: UsbTransferStatusLike | undefined;
}

export interface UsbOutTransferResultLike {
  readonly bytesWritten: number;
  readonly status?: UsbTransferStatusLike | undefined;
}

export interface UsbControlTransferParametersLike {
  requestType: 'standard' | 'class' | 'vendor';
  recipient: 'device' | 'interface' | 'endpoint' | 'other';
  request: number;
  value: number;
  index: number;
}

export interface UsbEndpointLike {
  readonly endpointNumber: number;
  readonly direction: 'in' | 'out';
  readonly type: 'bulk' | 'interrupt' | 'isochronous';
  readonly packetSize: number;
}

export interface UsbAlternateInterfaceLike {
  readonly alternateSetting: number;
  readonly interfaceClass: number;
  readonly interfaceSubclass: number;
  readonly interfaceProtocol: number;
  readonly interfaceName?: string | null | undefined;
  readonly endpoints: readonly UsbEndpointLike[];
}

export interface UsbInterfaceLike {
  readonly interfaceNumber: number;
  readonly alternate: UsbAlternateInterfaceLike;
  readonly alternates: readonly UsbAlternateInterfaceLike[];
  readonly claimed: boolean;
}

export interface UsbConfigurationLike {
  readonly configurationValue: number;
  readonly configurationName?: string | null | undefined;
  readonly interfaces: readonly UsbInterfaceLike[];
}

export interface UsbDeviceLike {
  readonly vendorId: number;
  readonly productId: number;
  readonly manufacturerName?: string | null | undefined;
  readonly productName?: string | null | undefined;
  readonly serialNumber?: string | null | undefined;
  readonly opened: boolean;
  readonly configuration: UsbConfigurationLike | null | undefined;
  readonly configurations: readonly UsbConfigurationLike[];
  open(): Promise<void>;
  close(): Promise<void>;
  selectConfiguration(configurationValue: number): Promise<void>;
  claimInterface(interfaceNumber: number): Promise<void>;
  releaseInterface(interfaceNumber: number): Promise<void>;
  controlTransferIn(
    setup: UsbControlTransferParametersLike,
    length: number,
  ): Promise<UsbInTransferResultLike>;
  controlTransferOut(
    setup: UsbControlTransferParametersLike,
    data?: BufferSourceLike,
  ): Promise<UsbOutTransferResultLike>;
  /**
   * `timeoutMs` is not WebUSB (browsers ignore a third argument); the npm
   * `usb` package 3.x reads it, and otherwise times every transfer out after
   * 1000 ms, too short for optical drives (protocol-notes.md, "Quirks").
   */
  transferIn(
    endpointNumber: number,
    length: number,
    timeoutMs?: number,
  ): Promise<UsbInTransferResultLike>;
  transferOut(
    endpointNumber: number,
    data: BufferSourceLike,
    timeoutMs?: number,
  ): Promise<UsbOutTransferResultLike>;
  clearHalt(direction: 'in' | 'out', endpointNumber: number): Promise<void>;
  /**
   * USB port reset (WebUSB §6 reset()): the only call that cancels bulk
   * transfers already queued (a Bulk-Only class reset does not). Chrome's and
   * the npm \`usb\` package's devices have it; a device without it is reset
   * with the class reset alone.
   */
  reset?(): Promise<void>;
}

/** USB MSC class codes (USB MSC Overview 1.4 §2, §3). */
export const MassStorage = {
  InterfaceClass: 0x08,
  /** 02h SFF-8020i/MMC-2 (ATAPI), 05h SFF-8070i, 06h SCSI transparent. */
  Subclasses: [0x02, 0x05, 0x06] as readonly number[],
  ProtocolBulkOnly: 0x50,
  /** Class-specific requests (BOT 1.0 §3.1, §3.2). */
  RequestReset: 0xff,
  RequestGetMaxLun: 0xfe,
} as const;
