/**
 * What crossed the bulk pipes of a fake device, and the judge of a success:
 * given the log, did the device really report GOOD (or a recovered error)
 * for this command, with the data the host returned? The device-response
 * campaign (bot/device-responses.fuzz.test.ts) counts a success this judge
 * rejects as a "wrong success".
 */
import { CBW_LENGTH, CBW_SIGNATURE, CSW_LENGTH, decodeCsw, type Csw } from '../bot/wrappers.ts';
import type { CommandResult, ScsiRequest } from '../scsi/command.ts';
import { OPCODE } from '../scsi/opcodes.ts';
import type { UsbDeviceLike, UsbInTransferResultLike } from '../usb.ts';

export type WireEntry =
  | { readonly dir: 'in'; readonly bytes: Uint8Array; readonly status: string }
  | {
      readonly dir: 'out';
      readonly bytes: Uint8Array;
      readonly written: number;
      readonly status: string;
    };

function copy(data: DataView | undefined): Uint8Array {
  return data
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice()
    : new Uint8Array(0);
}

/** Wraps the device's bulk transfers so every completed one is logged, in order. */
export function logWire(device: UsbDeviceLike): WireEntry[] {
  const log: WireEntry[] = [];
  const transferIn = device.transferIn.bind(device);
  const transferOut = device.transferOut.bind(device);
  const d = device as { -readonly [K in 'transferIn' | 'transferOut']: UsbDeviceLike[K] };
  d.transferIn = async (ep, length, timeout): Promise<UsbInTransferResultLike> => {
    const r = await transferIn(ep, length, timeout);
    log.push({ dir: 'in', bytes: copy(r.data), status: r.status ?? 'ok' });
    return r;
  };
  d.transferOut = async (ep, data, timeout) => {
    const r = await transferOut(ep, data, timeout);
    const bytes =
      data instanceof ArrayBuffer
        ? new Uint8Array(data).slice()
        : new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    log.push({ dir: 'out', bytes, written: r.bytesWritten, status: r.status ?? 'ok' });
    return r;
  };
  return log;
}

function isCbw(e: WireEntry): boolean {
  return (
    e.dir === 'out' &&
    e.bytes.length === CBW_LENGTH &&
    new DataView(e.bytes.buffer, e.bytes.byteOffset).getUint32(0, true) === CBW_SIGNATURE
  );
}

function sameCdb(cbw: Uint8Array, cdb: Uint8Array): boolean {
  if (cbw[14] !== cdb.length) return false;
  return cdb.every((b, i) => cbw[15 + i] === b);
}

/**
 * Why `result` (a success for `request`) is not one the device reported, or
 * undefined when it is. The command's last CBW on the wire and what followed
 * it up to the next CBW are its phases: they must end in a valid CSW with the
 * CBW's tag and status 0 (1 when the host kept a recovered error), the data
 * returned must be the data the device sent, no more than H - residue bytes,
 * a block READ must bring every byte, and a data-out must have been taken
 * whole with residue 0 (BOT 1.0 §6.7).
 */
export function wrongSuccess(
  request: ScsiRequest,
  result: CommandResult,
  log: readonly WireEntry[],
): string | undefined {
  let start = -1;
  for (let i = log.length - 1; i >= 0; i--) {
    if (isCbw(log[i]!) && sameCdb(log[i]!.bytes, request.cdb)) {
      start = i;
      break;
    }
  }
  if (start < 0) return 'success with no CBW for the command on the wire';
  const tag = new DataView(log[start]!.bytes.buffer).getUint32(4, true);
  let end = log.length;
  for (let i = start + 1; i < log.length; i++) {
    if (isCbw(log[i]!)) {
      end = i;
      break;
    }
  }
  const phases = log.slice(start + 1, end);
  let cswAt = -1;
  let csw: Csw | undefined;
  for (let i = phases.length - 1; i >= 0; i--) {
    const e = phases[i]!;
    if (e.dir !== 'in' || e.status !== 'ok' || e.bytes.length !== CSW_LENGTH) continue;
    try {
      const c = decodeCsw(e.bytes);
      if (c.tag !== tag) continue;
      cswAt = i;
      csw = c;
      break;
    } catch {
      // Not a CSW.
    }
  }
  if (!csw) return 'success with no valid CSW for the command';
  const wanted = result.recovered ? 1 : 0;
  if (csw.status !== wanted) return `success on CSW status ${csw.status}`;
  const residue = Math.min(csw.residue, request.length);
  if (request.direction === 'in') {
    const sent: number[] = [];
    for (const e of phases.slice(0, cswAt))
      if (e.dir === 'in' && e.status !== 'stall') sent.push(...e.bytes);
    const got = result.data;
    if (got.length > request.length - residue)
      return `${got.length} bytes returned, residue ${csw.residue} allows ${request.length - residue}`;
    if (got.length > sent.length || got.some((b, i) => b !== sent[i]))
      return 'the data returned is not the data the device sent';
    if (
      (request.cdb[0] === OPCODE.READ_10 || request.cdb[0] === OPCODE.READ_12) &&
      got.length < request.length
    )
      return `a READ returned ${got.length} of ${request.length} bytes`;
  }
  if (request.direction === 'out') {
    let taken = 0;
    for (const e of phases.slice(0, cswAt))
      if (e.dir === 'out' && e.status === 'ok') taken += e.written;
    if (taken < request.length || csw.residue !== 0)
      return `data-out taken ${taken} of ${request.length}, residue ${csw.residue}`;
  }
  return undefined;
}
