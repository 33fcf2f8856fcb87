/**
 * Time in the MMC target: the nominal durations of mechanical and recording
 * operations, and the long operation in progress (BLANK, CLOSE TRACK/SESSION,
 * SYNCHRONIZE CACHE, FORMAT UNIT). With IMMED the command ends at once and
 * the drive reports NOT READY with the progress indicator until the operation
 * is over (MMC-6 §6.2.2, §6.3.2, §6.5.2).
 */
import type { VirtualClock } from '../clock.ts';
import type { SenseCode } from '../sense-codes.ts';

/** Nominal durations of mechanical and recording operations (drive milliseconds, see clock.ts). */
export const TIMING = {
  spinUpMs: 1500,
  closeTrackMs: 2000,
  closeSessionMs: 20_000,
  finalizeMs: 30_000,
  minimalBlankMs: 30_000,
  /** CLOSE TRACK/SESSION 000b on a DVD+RW: the background format stops. */
  stopBackgroundFormatMs: 1000,
  /** DVD+RW format 26h returns after the lead-in; the rest is background formatting (MMC-6 §4.11.3). */
  dvdPlusRwFormatMs: 2000,
  /** BD-RE quick format (30h subtypes 00b/11b, 31h). */
  bdQuickFormatMs: 10_000,
} as const;

/** A nominal duration on this clock: zero when the clock is off. */
export function nominal(clock: VirtualClock, ms: number): number {
  return clock.mode === 'off' ? 0 : ms;
}

export interface BusyOperation {
  readonly sense: SenseCode;
  readonly start: number;
  readonly end: number;
}

/**
 * A slow drive (the `slow-drive` personality): long operations take
 * `scale` times their nominal time, and an IMMED one holds its status for up
 * to `immedHoldMs` first ("some drives still finish part of the work first":
 * libburn gives IMMED commands 200 s, `spc.h`; growisofs polls with no limit).
 */
export interface Slowness {
  readonly operationScale: number;
  readonly immedHoldMs: number;
}

export class LongOperations {
  readonly #clock: VirtualClock;
  /** Applies what time has done to the whole target (this and the mechanics). */
  readonly #settle: () => void;
  readonly #slowness: Slowness;
  #busy: BusyOperation | undefined;

  constructor(
    clock: VirtualClock,
    settle: () => void,
    slowness: Slowness = { operationScale: 1, immedHoldMs: 0 },
  ) {
    this.#clock = clock;
    this.#settle = settle;
    this.#slowness = slowness;
  }

  /** The IMMED operation in progress, or undefined. */
  get busy(): BusyOperation | undefined {
    return this.#busy;
  }

  /** Drops the operation in progress (a media change). */
  clear(): void {
    this.#busy = undefined;
  }

  /** Ends the operation whose time is over. */
  expire(now: number): void {
    if (this.#busy && now >= this.#busy.end) this.#busy = undefined;
  }

  /** The progress indicator (SPC-4 §4.5.2.4.2): 0..65535 of the operation's span. */
  progress(b: BusyOperation): number {
    const span = b.end - b.start;
    const done = span <= 0 ? 1 : (this.#clock.now() - b.start) / span;
    return Math.max(0, Math.min(65535, Math.floor(done * 65536)));
  }

  /**
   * Starts a long operation. With IMMED the command ends at once and the drive
   * reports NOT READY with progress until `ms` have passed; without, the CSW
   * waits for the end (MMC-6 §6.2.2, §6.3.2, §6.5.2).
   */
  async run(sense: SenseCode, ms: number, immed: boolean): Promise<void> {
    const start = this.#clock.now();
    const span = nominal(this.#clock, ms * this.#slowness.operationScale);
    const end = start + span;
    if (end > start) this.#busy = { sense, start, end };
    const hold = immed ? Math.min(span, nominal(this.#clock, this.#slowness.immedHoldMs)) : span;
    if (hold > 0) {
      await this.#clock.sleepUntil(start + hold);
      this.#settle();
    }
  }
}
