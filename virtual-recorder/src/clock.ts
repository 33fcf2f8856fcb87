/**
 * Time for the virtual drive. Every duration the drive models (spin-up,
 * buffer drain at the write speed, BLANK, FORMAT UNIT, CLOSE TRACK/SESSION)
 * is a nominal time in drive milliseconds; the clock decides how those map to
 * the wall clock:
 *
 * - `off`: every duration is zero. Operations finish at once, the write
 *   buffer never fills. The default, for tests and benches.
 * - `realtime`: one drive millisecond is one wall-clock millisecond.
 * - `scaled`: `factor` drive milliseconds pass per wall-clock millisecond
 *   (factor 10 runs a 60 s format in 6 s).
 * - `manual`: time moves only when a test calls `advance()`. Deterministic.
 *
 * The drive never polls: state that depends on time (format progress, buffer
 * fill, becoming ready) is computed from `now()` when a command asks.
 */
import { setTimer } from '../../usb-mass-storage/src/timers.ts';
import { VirtualRecorderError } from './errors.ts';

export type ClockMode = 'off' | 'realtime' | 'scaled' | 'manual';

export interface VirtualClock {
  readonly mode: ClockMode;
  /** Drive time in milliseconds (monotonic within one clock). */
  now(): number;
  /** Resolves once `now() >= at` (at once when it already is). */
  sleepUntil(at: number): Promise<void>;
}

/** How `createVirtualRecorder` accepts a clock. */
export type ClockOption =
  'off' | 'realtime' | { readonly mode: 'scaled'; readonly factor: number } | VirtualClock;

/** Wall time from the ES `Date` (no `performance` global in this realm). */
function wallNow(): number {
  return Date.now();
}

class OffClock implements VirtualClock {
  readonly mode = 'off' as const;
  now(): number {
    return 0;
  }
  sleepUntil(): Promise<void> {
    return Promise.resolve();
  }
}

class ScaledClock implements VirtualClock {
  readonly mode: 'realtime' | 'scaled';
  readonly #factor: number;
  readonly #origin = wallNow();
  constructor(factor: number) {
    this.mode = factor === 1 ? 'realtime' : 'scaled';
    this.#factor = factor;
  }
  now(): number {
    return (wallNow() - this.#origin) * this.#factor;
  }
  sleepUntil(at: number): Promise<void> {
    const wait = (at - this.now()) / this.#factor;
    if (wait <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      setTimer(resolve, Math.ceil(wait));
    });
  }
}

/** A clock that moves only when told to: tests advance it explicitly. */
export class ManualClock implements VirtualClock {
  readonly mode = 'manual' as const;
  #now: number;
  #sleepers: { at: number; resolve: () => void }[] = [];

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleepUntil(at: number): Promise<void> {
    if (at <= this.#now) return Promise.resolve();
    return new Promise((resolve) => {
      this.#sleepers.push({ at, resolve });
    });
  }

  /** Moves time forward by `ms` and wakes every sleeper whose time has come. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new VirtualRecorderError('invalid-option', `cannot advance by ${ms} ms`);
    this.#now += ms;
    const due = this.#sleepers.filter((s) => s.at <= this.#now);
    this.#sleepers = this.#sleepers.filter((s) => s.at > this.#now);
    for (const s of due) s.resolve();
  }

  /** Number of callers waiting for time to pass (tests use it to know a transfer is throttled). */
  get sleepers(): number {
    return this.#sleepers.length;
  }
}

/**
 * The clock the app's virtual drive runs on (issue 19, defect 7): drive time
 * at 10 times the wall clock. The drive's nominal times are a real drive's
 * (TIMING in mmc-target/long-operations.ts, the write speed in
 * buffer-model.ts), so with 10 a quick erase (minimal BLANK, 30 s nominal:
 * the dialog's "a minute or so") takes 3 s, and a 30 MB image at 4× on a CD
 * (4 × 150 KiB/s of user data, ~50 s) about 5 s plus the close: long enough
 * to watch the progress, the drive buffer and Cancel, short enough not to
 * bore anyone trying the app. (Off, as before, both ended in milliseconds;
 * real time would make a quick erase half a minute.) Tests and benches keep
 * the default `off` or give a clock of their own.
 */
export const APP_CLOCK = { mode: 'scaled', factor: 10 } as const satisfies ClockOption;

export function createClock(option: ClockOption = 'off'): VirtualClock {
  if (option === 'off') return new OffClock();
  if (option === 'realtime') return new ScaledClock(1);
  if ('factor' in option) {
    if (!(option.factor > 0) || !Number.isFinite(option.factor)) {
      throw new VirtualRecorderError(
        'invalid-option',
        `clock factor must be a positive number, got ${option.factor}`,
      );
    }
    return new ScaledClock(option.factor);
  }
  return option;
}
