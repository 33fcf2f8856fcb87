/**
 * One SCSI command as the transport runs it: the CDB, the data phase, and an
 * optional timeout that overrides the per-opcode default (scsi/opcodes.ts).
 */
export interface ScsiRequest {
  readonly cdb: Uint8Array;
  /** 'in': the device sends `length` bytes at most; 'out': `data` is sent. */
  readonly direction: 'none' | 'in' | 'out';
  /** dCBWDataTransferLength: the allocation length for 'in', data.length for 'out', 0 for 'none'. */
  readonly length: number;
  readonly data?: Uint8Array | undefined;
  readonly timeoutMs?: number | undefined;
}

export function noData(cdb: Uint8Array, timeoutMs?: number): ScsiRequest {
  return { cdb, direction: 'none', length: 0, timeoutMs };
}

export function dataIn(cdb: Uint8Array, length: number, timeoutMs?: number): ScsiRequest {
  return { cdb, direction: 'in', length, timeoutMs };
}

export function dataOut(cdb: Uint8Array, data: Uint8Array, timeoutMs?: number): ScsiRequest {
  return { cdb, direction: 'out', length: data.length, data, timeoutMs };
}
