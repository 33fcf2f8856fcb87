/**
 * Cutting a command off and bringing the device back. WebUSB transfers have
 * no timeout of their own, so every transfer is raced against the command's
 * deadline, the caller's AbortSignal and a disconnect. A transfer given up on
 * may still be queued on its endpoint and would swallow later data, so reset
 * recovery (BOT §5.3.4) then returns both pipes to a known state.
 * bot/transport.ts keeps the state around these (gone, unusable, afterReset).
 */
import { clearTimer, now, setTimer, type AbortSignalLike, type TimerHandle } from '../timers.ts';
import { MassStorage, type UsbDeviceLike } from '../usb.ts';
import type { MassStorageInterface } from './interface.ts';

/** Reset recovery is a control request and two CLEAR_FEATUREs: seconds at most. */
export const RESET_TIMEOUT_MS = 5_000;

export interface Deadline {
  readonly at: number;
  readonly ms: number;
  readonly signal: AbortSignalLike | undefined;
}

/** The deadline `ms` from now, cut short by `signal` if it aborts. */
export function deadlineIn(ms: number, signal?: AbortSignalLike): Deadline {
  return { at: now() + ms, ms, signal };
}

/** Thrown inside a command to unwind to the recovery point. */
export class Timeout extends Error {}
export class Aborted extends Error {}

/** Races a transfer against the deadline, the caller's signal and `gone` (a disconnect). */
export function raceDeadline<T>(
  promise: Promise<T>,
  deadline: Deadline,
  gone: Promise<never>,
): Promise<T> {
  // An abandoned transfer must not surface as an unhandled rejection.
  promise.catch(() => undefined);
  const remaining = deadline.at - now();
  if (remaining <= 0) return Promise.reject(new Timeout());
  if (deadline.signal?.aborted) return Promise.reject(new Aborted());
  let timer: TimerHandle | undefined;
  let onAbort: (() => void) | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimer(() => reject(new Timeout()), remaining);
    if (deadline.signal) {
      onAbort = () => reject(new Aborted());
      deadline.signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  return Promise.race([promise, guard, gone]).finally(() => {
    clearTimer(timer);
    if (onAbort) deadline.signal?.removeEventListener('abort', onAbort);
  });
}

/** The time left, as node-usb's per-transfer timeout (a little longer than our own race). */
export function platformTimeout(deadline: Deadline): number {
  return Math.max(1, deadline.at - now()) + 1000;
}

/**
 * Reset recovery's requests, BOT §5.3.4: Bulk-Only Mass Storage Reset (21h/FFh,
 * wIndex = interface), then CLEAR_FEATURE(ENDPOINT_HALT) on bulk-in and
 * bulk-out, each through `race`. Throws when any of them fails.
 */
export async function resetPipes(
  device: UsbDeviceLike,
  iface: MassStorageInterface,
  race: <T>(promise: Promise<T>) => Promise<T>,
): Promise<void> {
  const r = await race(
    device.controlTransferOut(
      {
        requestType: 'class',
        recipient: 'interface',
        request: MassStorage.RequestReset,
        value: 0,
        index: iface.interfaceNumber,
      },
      // node-usb 3.x throws when the data argument is missing.
      new Uint8Array(0),
    ),
  );
  if (r.status === 'stall') throw new Error('the reset request stalled');
  await race(device.clearHalt('in', iface.inEndpoint));
  await race(device.clearHalt('out', iface.outEndpoint));
}
