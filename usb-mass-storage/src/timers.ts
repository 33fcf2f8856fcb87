/**
 * Timers and cancellation without platform globals in the type system.
 * setTimeout/clearTimeout exist in every realm webdisc runs in (page, worker,
 * Node), but this realm's lib (ES only) does not declare them; they are reached
 * through a narrow structural view of globalThis instead of ambient globals.
 * AbortSignal is likewise structural, so a DOM, worker or Node signal fits.
 */
import { CancelledError } from './errors.ts';

interface TimerHost {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
const host = globalThis as unknown as TimerHost;

export type TimerHandle = { readonly __timer: unique symbol };

/**
 * Where the protocol core reads the time and schedules its timers: command
 * deadlines, reset settling, sense backoff and NOT READY budgets all go
 * through it, so a test can run them on a fake clock (testing/fake-clock.ts)
 * and tell a hang from a slow answer without waiting in real time.
 */
export interface HostClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: HostClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => host.setTimeout(callback, ms),
  clearTimeout: (handle) => host.clearTimeout(handle),
};
let clock: HostClock = realClock;

/** Milliseconds since the epoch, from the host clock (Date.now unless a test replaced it). */
export function now(): number {
  return clock.now();
}

/**
 * For tests: runs every later `now`, `setTimer` and `delay` on `replacement`
 * until the returned function restores the real clock.
 */
export function useClock(replacement: HostClock): () => void {
  clock = replacement;
  return () => {
    clock = realClock;
  };
}

export function setTimer(callback: () => void, ms: number): TimerHandle {
  return clock.setTimeout(callback, ms) as TimerHandle;
}

export function clearTimer(handle: TimerHandle | undefined): void {
  if (handle !== undefined) clock.clearTimeout(handle);
}

/** The part of AbortSignal webdisc uses (DOM, WebWorker and Node all fit). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export function throwIfAborted(signal: AbortSignalLike | undefined): void {
  if (signal?.aborted) throw new CancelledError(undefined, { cause: signal.reason });
}

/** Resolves after `ms`, or rejects with CancelledError when `signal` aborts first. */
export function delay(ms: number, signal?: AbortSignalLike): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new CancelledError(undefined, { cause: signal.reason }));
      return;
    }
    const onAbort = () => {
      clearTimer(timer);
      reject(new CancelledError(undefined, { cause: signal?.reason }));
    };
    const timer = setTimer(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
