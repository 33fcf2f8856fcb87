/**
 * A host clock for tests (timers.ts `useClock`): time stands still until the
 * test moves it, and then it jumps straight to the next timer. A command that
 * waits 30 s for its deadline costs microseconds, and a call that never
 * settles is told from a slow one by fake time, deterministically.
 */
import type { HostClock } from '../timers.ts';

interface Pending {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
}

export class FakeClock implements HostClock {
  #now: number;
  #seq = 0;
  readonly #timers = new Map<number, Pending>();

  constructor(start = 1_700_000_000_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const seq = ++this.#seq;
    this.#timers.set(seq, { at: this.#now + Math.max(0, ms), seq, callback });
    return seq;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  /** Timers scheduled and not yet fired or cleared. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Moves time to the earliest timer and fires it (ties in the order set); false when none is left. */
  fireNext(): boolean {
    let next: Pending | undefined;
    for (const t of this.#timers.values()) {
      if (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq)) next = t;
    }
    if (!next) return false;
    this.#timers.delete(next.seq);
    this.#now = Math.max(this.#now, next.at);
    next.callback();
    return true;
  }

  /** When the earliest timer fires, or undefined when none is set. */
  nextAt(): number | undefined {
    let at: number | undefined;
    for (const t of this.#timers.values()) if (at === undefined || t.at < at) at = t.at;
    return at;
  }
}

/** One turn of the real event loop: every microtask queued so far has run. */
export function macrotask(): Promise<void> {
  const g = globalThis as unknown as {
    setImmediate?: (cb: () => void) => unknown;
    setTimeout(cb: () => void, ms: number): unknown;
  };
  return new Promise((resolve) => {
    if (g.setImmediate) g.setImmediate(resolve);
    else g.setTimeout(resolve, 0);
  });
}

export type Settled<T> =
  | { readonly settled: true; readonly ok: true; readonly value: T; readonly elapsedMs: number }
  | {
      readonly settled: true;
      readonly ok: false;
      readonly error: unknown;
      readonly elapsedMs: number;
    }
  | { readonly settled: false; readonly elapsedMs: number };

/**
 * Runs the fake clock until `promise` settles or `limitMs` of fake time have
 * passed: the real event loop drains between timers, so everything the fake
 * device answers at once happens before time moves. Unsettled at the limit
 * (or with no timer left to fire) is a hang.
 */
export async function settleOn<T>(
  clock: FakeClock,
  promise: Promise<T>,
  limitMs: number,
): Promise<Settled<T>> {
  const start = clock.now();
  let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  promise.then(
    (value) => (outcome = { ok: true, value }),
    (error: unknown) => (outcome = { ok: false, error }),
  );
  for (;;) {
    await macrotask();
    if (outcome) return { settled: true, ...outcome, elapsedMs: clock.now() - start };
    const at = clock.nextAt();
    if (at === undefined || at - start > limitMs) {
      return { settled: false, elapsedMs: clock.now() - start };
    }
    clock.fireNext();
  }
}
