/**
 * DVD+RW background formatting (MMC-6 §4.11.3, "de-icing"): FORMAT UNIT 26h
 * returns once the lead-in is written and the drive formats the rest while
 * the host already writes; READ DISC INFORMATION byte 7 bits 1:0 (BG FORMAT
 * STATUS, MMC-6 §6.22.3.1.13) report it: 00b not formatted, 01b started and
 * stopped before the end (partly formatted), 10b running, 11b complete.
 *
 * What the hosts do with it (docs/real-drives.md §4): growisofs
 * `poor_mans_setup` formats on 00b and restarts on 01b (FORMAT UNIT 26h with
 * the Restart bit, parameter byte 11 bit 0), then `plus_rw_finalize` stops
 * it with CLOSE TRACK/SESSION 000b ("Stop De-Icing") and closes with 010b
 * (lead-out); libburn restarts on 01b and closes with 010b; dvd+rw-format
 * sends 000b then 010b after formatting. libburn cookbook.txt: "If backup
 * formatting has been started at the beginning of the session, then it may
 * get stopped after the final cache sync by 5Bh CLOSE TRACK SESSION with
 * Close Function 010b", which ends it "in a DVD-ROM compatible way".
 *
 * Model: the formatted extent grows from LBA 0 at the medium's top write
 * speed while running (in drive time: with the clock off it never finishes
 * on its own, as a half-hour format would not during a test). The host may
 * write anywhere meanwhile. Stopped (01b), blocks past the formatted extent
 * cannot be written (5/30/10) until the format is restarted. A lead-out
 * follows the data only after CLOSE 010b or a complete format: until then
 * other drives cannot read the disc (`readableElsewhere`).
 */

export const BgFormat = { None: 0, Stopped: 1, Running: 2, Complete: 3 } as const;
export type BgFormat = (typeof BgFormat)[keyof typeof BgFormat];

/** A background format as plain data (drive-state.ts): what `BackgroundFormat.fromState` rebuilds. */
export interface BackgroundFormatState {
  readonly capacity: number;
  readonly status: BgFormat;
  /** Blocks formatted from LBA 0 when the state was taken. */
  readonly formatted: number;
  /** Blocks a drive millisecond formats while running. */
  readonly rate: number;
  readonly leadOut: boolean;
}

export class BackgroundFormat {
  readonly capacity: number;
  #status: BgFormat;
  /** Blocks formatted from LBA 0 as of `#since` (while running) or for good (stopped). */
  #formatted: number;
  #since = 0;
  /** Blocks a drive millisecond formats while running. */
  #rate = 0;
  #leadOut: boolean;

  private constructor(capacity: number, status: BgFormat, formatted: number, leadOut: boolean) {
    this.capacity = capacity;
    this.#status = status;
    this.#formatted = formatted;
    this.#leadOut = leadOut;
  }

  /** A disc formatted to its end (sold formatted, or with an image on it). */
  static complete(capacity: number): BackgroundFormat {
    return new BackgroundFormat(capacity, BgFormat.Complete, capacity, true);
  }

  /** A disc whose format was stopped at `formatted` blocks and then closed (lead-out written). */
  static stopped(capacity: number, formatted: number): BackgroundFormat {
    return new BackgroundFormat(capacity, BgFormat.Stopped, formatted, true);
  }

  /** FORMAT UNIT 26h on any DVD+RW: formatting runs from LBA 0, no lead-out yet. */
  static started(capacity: number, now: number, rate: number): BackgroundFormat {
    const f = new BackgroundFormat(capacity, BgFormat.Running, 0, false);
    f.#run(now, rate);
    return f;
  }

  /** Plain data, settled to `now` (a running format goes on from there once restored). */
  toState(now: number): BackgroundFormatState {
    this.settle(now);
    return {
      capacity: this.capacity,
      status: this.#status,
      formatted: this.#formatted,
      rate: this.#rate,
      leadOut: this.#leadOut,
    };
  }

  /** The format `toState` described; a running one resumes at `now` (a drive powered on again). */
  static fromState(state: BackgroundFormatState, now: number): BackgroundFormat {
    const f = new BackgroundFormat(state.capacity, state.status, state.formatted, state.leadOut);
    f.#rate = state.rate;
    f.#since = now;
    return f;
  }

  get status(): BgFormat {
    return this.#status;
  }

  /** Blocks formatted from LBA 0 (call `settle` first). */
  get formatted(): number {
    return this.#formatted;
  }

  /** A lead-out follows the recorded data: a DVD-ROM drive reads the disc. */
  get readableElsewhere(): boolean {
    return this.#leadOut;
  }

  /** Applies the time that passed while running: the extent grows, and the format may complete. */
  settle(now: number): void {
    if (this.#status !== BgFormat.Running) return;
    const done = this.#formatted + Math.max(0, now - this.#since) * this.#rate;
    this.#since = now;
    if (done >= this.capacity) {
      this.#formatted = this.capacity;
      this.#status = BgFormat.Complete;
      this.#leadOut = true;
    } else {
      this.#formatted = Math.floor(done);
    }
  }

  /** FORMAT UNIT 26h with the Restart bit: only a stopped format resumes (else false). */
  restart(now: number, rate: number): boolean {
    this.settle(now);
    if (this.#status !== BgFormat.Stopped) return false;
    this.#run(now, rate);
    this.#leadOut = false; // the close rewrites it where the data then ends
    return true;
  }

  /** CLOSE TRACK/SESSION 000b ("Stop De-Icing"): a running format stops where it is. */
  stop(now: number): void {
    this.settle(now);
    if (this.#status === BgFormat.Running) this.#status = BgFormat.Stopped;
  }

  /** CLOSE TRACK/SESSION 010b: stops a running format and writes the lead-out. */
  close(now: number): void {
    this.stop(now);
    this.#leadOut = true;
  }

  /** Drive milliseconds the rest of the format takes at `rate` (CLOSE 011b finishes it). */
  remainingMs(now: number, rate: number): number {
    this.settle(now);
    return rate > 0 ? Math.ceil((this.capacity - this.#formatted) / rate) : 0;
  }

  /** CLOSE TRACK/SESSION 011b: the drive formats the rest, then the disc is complete. */
  finish(now: number): void {
    this.settle(now);
    this.#formatted = this.capacity;
    this.#status = BgFormat.Complete;
    this.#leadOut = true;
  }

  /** Whether blocks up to `end` (exclusive) can be written now (a stopped format's extent limits). */
  writable(end: number, now: number): boolean {
    this.settle(now);
    return this.#status !== BgFormat.Stopped || end <= this.#formatted;
  }

  #run(now: number, rate: number): void {
    this.#status = BgFormat.Running;
    this.#since = now;
    this.#rate = rate;
  }
}
