/**
 * One SCSI command as a transport runs it: the CDB, the data phase, and an
 * optional timeout that overrides the per-opcode default (scsi/opcodes.ts);
 * what comes back; and the runner interface the SCSI layer talks to. The
 * SCSI layer depends only on this file, never on a transport: BOT
 * (bot/transport.ts) implements `CommandRunner`, as a test double can.
 */
import type { Sense } from './sense.ts';
import type { AbortSignalLike } from '../timers.ts';

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

export interface ExecuteOptions {
  readonly signal?: AbortSignalLike | undefined;
  readonly timeoutMs?: number | undefined;
  /** Skip REQUEST SENSE after status 1 (used for REQUEST SENSE itself). */
  readonly noAutoSense?: boolean;
}

export interface CommandResult {
  /** 'good' = CSW status 0; 'check-condition' = status 1, with auto-sense in `sense`. */
  readonly status: 'good' | 'check-condition';
  /** Data-in bytes actually received (empty for other directions). */
  readonly data: Uint8Array;
  /** Bytes actually moved in the data phase, whatever the device claimed. */
  readonly transferred: number;
  /** The CSW residue, clamped to the requested length (BOT §6.7: never more). */
  readonly residue: number;
  /** Decoded auto-sense when status is 'check-condition'. Undefined if sense was empty. */
  readonly sense?: Sense | undefined;
  /**
   * Status 1 followed by empty sense: how BOT reports RESERVATION CONFLICT,
   * which it cannot express directly (protocol-notes.md).
   */
  readonly emptySense?: boolean;
  /**
   * Set by ScsiDrive when a CHECK CONDITION meant success (RECOVERED ERROR,
   * or NO SENSE 0/00/00): the sense, kept as a note; `status` is then 'good'.
   */
  readonly recovered?: Sense | undefined;
}

/** Anything that runs one SCSI request: the BOT transport, or a test double. */
export interface CommandRunner {
  execute(request: ScsiRequest, options?: ExecuteOptions): Promise<CommandResult>;
}

/**
 * Throws RangeError unless a transport can send `request`: a CDB of 1..16
 * bytes, a u32 length, and a data phase that agrees with both.
 */
export function validateRequest(request: ScsiRequest): void {
  if (request.cdb.length < 1 || request.cdb.length > 16) {
    throw new RangeError(`CDB length ${request.cdb.length} is outside 1..16`);
  }
  if (!Number.isInteger(request.length) || request.length < 0 || request.length > 0xffffffff) {
    throw new RangeError(`data length ${request.length} is not a u32`);
  }
  if ((request.direction === 'none') !== (request.length === 0)) {
    throw new RangeError('a data phase needs a direction and a non-zero length, and only then');
  }
  if (request.direction === 'out' && request.data?.length !== request.length) {
    throw new RangeError('data-out length does not match the data');
  }
}
