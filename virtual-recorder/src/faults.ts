/**
 * Fault injection. Every fault is armed on demand and, unless stated,
 * fires once and disarms itself. The transport-level faults act in the BOT
 * engine (device/bot-engine.ts, device/csw.ts), the medium-level ones in the
 * MMC target (mmc-target/).
 *
 * | fault                         | what the host sees                                          |
 * |-------------------------------|-------------------------------------------------------------|
 * | stallData()                   | next data phase: the pipe STALLs at once, the command is not  |
 * |                               | run, CSW status 1 with sense B/4B/00 (DATA PHASE ERROR),     |
 * |                               | residue = full length                                        |
 * | stallCsw(times = 1)           | the next CSW read STALLs `times` times (clear halt + retry)   |
 * | phaseError()                  | next command runs, CSW status 2                               |
 * | badCswSignature()             | next CSW has signature "USBX"                                 |
 * | badCswTag()                   | next CSW echoes tag + 1                                       |
 * | noAnswer(at = 'csw')          | the CBW / data / CSW transfer never completes until a reset   |
 * |                               | (pending transfers then reject with AbortError) or disconnect |
 * | disconnectAtCommand(n = 1)    | the n-th CBW from now: the device is unplugged instead        |
 * | disconnectAfterBytes(k)       | unplugged once k more data-phase bytes have moved            |
 * | writeErrorAt(lba)             | the WRITE covering lba records the blocks before it and fails |
 * |                               | 3/0C/00 with INFORMATION = lba                               |
 * | readErrorAt(lba)              | the READ covering lba returns the blocks before it and fails  |
 * |                               | 3/11/00 with INFORMATION = lba                               |
 * | damagedSectors(start, count,  | lasting (not one-shot): a scratched area. Every READ that     |
 * |   failures = Infinity)        | reaches one of these sectors returns the blocks before it and |
 * |                               | fails 3/11/00 with INFORMATION = that LBA; a sector with a    |
 * |                               | finite `failures` reads after failing that many times (weak)  |
 * | corruptSectors(start, count)  | lasting: READs return these sectors with a byte flipped and   |
 * |                               | GOOD status (silent corruption, as a failing disc or drive    |
 * |                               | can give): only checksums find it                            |
 * | lossOfStreaming()             | next WRITE fails 3/0C/09 after its data phase (data dropped) |
 * | powerCalibrationFailure()     | next WRITE fails 3/73/03 before its data phase               |
 * | reservationConflict()         | next command: CSW status 1 and empty (NO SENSE) sense, as     |
 * |                               | BOT reports RESERVATION CONFLICT                             |
 * | mediaChange(name)             | immediate: the disc is swapped (6/28/00 + GESN new media)     |
 */
import type { MediaName } from './media.ts';
import { VirtualRecorderError } from './errors.ts';

export type NoAnswerPoint = 'cbw' | 'data' | 'csw';

/** The armed faults; consumed by the device and the drive. Internal. */
export class FaultState {
  stallData = false;
  stallCsw = 0;
  phaseError = false;
  badCswSignature = false;
  badCswTag = false;
  noAnswer: NoAnswerPoint | undefined;
  disconnectAtCommand: number | undefined;
  disconnectAfterBytes: number | undefined;
  writeErrorAt: number | undefined;
  readErrorAt: number | undefined;
  /** Sectors that read back wrong, without an error. */
  readonly corrupted = new Set<number>();
  /** Damaged sectors: LBA -> failed reads left before it reads (Infinity: never). */
  readonly damaged = new Map<number, number>();
  lossOfStreaming = false;
  powerCalibrationFailure = false;
  reservationConflict = false;
  /** Commands left that complete but report RECOVERED ERROR (1/17/01). */
  recoveredError = 0;
  /** Commands left that end in ABORTED COMMAND (B/00/00); only `abortedOpcode` when set. */
  abortedCommand = 0;
  abortedOpcode: number | undefined;
  /** The next data-in is cut after `bytes` (short packet, no STALL, CSW GOOD). */
  shortDataIn: { readonly bytes: number; readonly residue: 'honest' | 'zero' } | undefined;
  /** Commands left that the short-data-in cut strikes. */
  shortDataInTimes = 0;
  #shortDataInSeq: number | undefined;

  clear(): void {
    this.stallData = false;
    this.stallCsw = 0;
    this.phaseError = false;
    this.badCswSignature = false;
    this.badCswTag = false;
    this.noAnswer = undefined;
    this.disconnectAtCommand = undefined;
    this.disconnectAfterBytes = undefined;
    this.writeErrorAt = undefined;
    this.readErrorAt = undefined;
    this.damaged.clear();
    this.corrupted.clear();
    this.lossOfStreaming = false;
    this.powerCalibrationFailure = false;
    this.reservationConflict = false;
    this.recoveredError = 0;
    this.abortedCommand = 0;
    this.abortedOpcode = undefined;
    this.shortDataIn = undefined;
    this.shortDataInTimes = 0;
    this.#shortDataInSeq = undefined;
  }

  // ---- consuming a fault where it strikes ---------------------------------------------------

  /** Fires a one-shot flag: true (and disarmed) when it was armed. */
  take(
    fault:
      | 'stallData'
      | 'phaseError'
      | 'badCswSignature'
      | 'badCswTag'
      | 'lossOfStreaming'
      | 'powerCalibrationFailure'
      | 'reservationConflict',
  ): boolean {
    const armed = this[fault];
    this[fault] = false;
    return armed;
  }

  /** Fires `noAnswer` when it is armed for `point`. */
  takeNoAnswer(point: NoAnswerPoint): boolean {
    if (this.noAnswer !== point) return false;
    this.noAnswer = undefined;
    return true;
  }

  /** Counts a command down to `disconnectAtCommand`: true when the device must unplug now. */
  disconnectNow(): boolean {
    if (this.disconnectAtCommand === undefined) return false;
    this.disconnectAtCommand--;
    if (this.disconnectAtCommand > 0) return false;
    this.disconnectAtCommand = undefined;
    return true;
  }

  /** Counts `n` data bytes against `disconnectAfterBytes`: false when they cross it (fired). */
  dataBudget(n: number): boolean {
    if (this.disconnectAfterBytes === undefined || n === 0) return true;
    if (n > this.disconnectAfterBytes) {
      this.disconnectAfterBytes = undefined;
      return false;
    }
    this.disconnectAfterBytes -= n;
    return true;
  }

  /** Fires `readErrorAt` / `writeErrorAt` when it falls in `count` blocks from `lba`: its LBA. */
  takeErrorAt(
    fault: 'readErrorAt' | 'writeErrorAt',
    lba: number,
    count: number,
  ): number | undefined {
    const at = this[fault];
    if (at === undefined || at < lba || at >= lba + count) return undefined;
    this[fault] = undefined;
    return at;
  }

  /**
   * The first damaged sector in `count` blocks from `lba` that still fails,
   * counting this failed read against it; undefined when they all read.
   */
  takeDamaged(lba: number, count: number): number | undefined {
    if (this.damaged.size === 0) return undefined;
    let first: number | undefined;
    for (const [at, left] of this.damaged) {
      if (at >= lba && at < lba + count && left > 0 && (first === undefined || at < first))
        first = at;
    }
    if (first === undefined) return undefined;
    const left = this.damaged.get(first)! - 1;
    if (left <= 0) this.damaged.delete(first);
    else this.damaged.set(first, left);
    return first;
  }

  /**
   * The short-data-in cut for command `seq` at data offset `offset`: armed by
   * the first data-in transfer of a command, kept for the rest of it.
   */
  shortDataInAt(
    seq: number,
    offset: number,
  ): { readonly bytes: number; readonly residue: 'honest' | 'zero' } | undefined {
    const cut = this.shortDataIn;
    if (!cut) return undefined;
    if (this.#shortDataInSeq === undefined && offset === 0) this.#shortDataInSeq = seq;
    if (this.#shortDataInSeq !== seq) return undefined;
    return cut;
  }

  /** The cut happened: the fault is spent. */
  spendShortDataIn(): void {
    this.#shortDataInSeq = undefined;
    if (--this.shortDataInTimes <= 0) this.shortDataIn = undefined;
  }

  /** Counts a command against `recoveredError`: true when this one reports it. */
  takeRecoveredError(): boolean {
    if (this.recoveredError <= 0) return false;
    this.recoveredError--;
    return true;
  }

  /** Counts a command with `opcode` against `abortedCommand`: true when this one is aborted. */
  takeAbortedCommand(opcode: number): boolean {
    if (this.abortedCommand <= 0) return false;
    if (this.abortedOpcode !== undefined && this.abortedOpcode !== opcode) return false;
    this.abortedCommand--;
    return true;
  }

  /** Names of the faults still armed. */
  armed(): string[] {
    const out: string[] = [];
    if (this.stallData) out.push('stallData');
    if (this.stallCsw > 0) out.push('stallCsw');
    if (this.phaseError) out.push('phaseError');
    if (this.badCswSignature) out.push('badCswSignature');
    if (this.badCswTag) out.push('badCswTag');
    if (this.noAnswer) out.push('noAnswer');
    if (this.disconnectAtCommand !== undefined) out.push('disconnectAtCommand');
    if (this.disconnectAfterBytes !== undefined) out.push('disconnectAfterBytes');
    if (this.writeErrorAt !== undefined) out.push('writeErrorAt');
    if (this.readErrorAt !== undefined) out.push('readErrorAt');
    if (this.damaged.size > 0) out.push('damagedSectors');
    if (this.corrupted.size > 0) out.push('corruptSectors');
    if (this.lossOfStreaming) out.push('lossOfStreaming');
    if (this.powerCalibrationFailure) out.push('powerCalibrationFailure');
    if (this.reservationConflict) out.push('reservationConflict');
    if (this.recoveredError > 0) out.push('recoveredError');
    if (this.abortedCommand > 0) out.push('abortedCommand');
    if (this.shortDataIn) out.push('shortDataIn');
    return out;
  }
}

function nonNegativeInteger(name: string, v: number, min = 0): number {
  if (!Number.isInteger(v) || v < min) {
    throw new VirtualRecorderError(
      'invalid-option',
      `${name} must be an integer >= ${min}, got ${v}`,
    );
  }
  return v;
}

/** The public fault-injection API (`recorder.faults`). Each method returns `this` for chaining. */
export class VirtualFaults {
  readonly #state: FaultState;
  readonly #changeMedia: (name: MediaName) => void;

  constructor(state: FaultState, changeMedia: (name: MediaName) => void) {
    this.#state = state;
    this.#changeMedia = changeMedia;
  }

  /** The next data phase STALLs immediately; the command is not run (CSW 1, B/4B/00). */
  stallData(): this {
    this.#state.stallData = true;
    return this;
  }

  /** The next CSW read STALLs `times` times in a row (each needs a clear halt). */
  stallCsw(times = 1): this {
    this.#state.stallCsw = nonNegativeInteger('times', times, 1);
    return this;
  }

  /** The next command's CSW reports status 2 (phase error). */
  phaseError(): this {
    this.#state.phaseError = true;
    return this;
  }

  /** The next CSW carries a wrong signature. */
  badCswSignature(): this {
    this.#state.badCswSignature = true;
    return this;
  }

  /** The next CSW carries a tag that does not match its CBW. */
  badCswTag(): this {
    this.#state.badCswTag = true;
    return this;
  }

  /**
   * The device stops answering at `at`: the next CBW is never taken ('cbw'),
   * the next data phase never starts ('data'), or the next CSW is never sent
   * ('csw', the command itself runs). Lasts until a Bulk-Only Mass Storage
   * Reset, a port reset, close() or a disconnect.
   */
  noAnswer(at: NoAnswerPoint = 'csw'): this {
    this.#state.noAnswer = at;
    return this;
  }

  /** The device is unplugged when the n-th CBW from now arrives (n = 1: the next one). */
  disconnectAtCommand(n = 1): this {
    this.#state.disconnectAtCommand = nonNegativeInteger('n', n, 1);
    return this;
  }

  /** The device is unplugged once `bytes` more data-phase bytes have been transferred. */
  disconnectAfterBytes(bytes: number): this {
    this.#state.disconnectAfterBytes = nonNegativeInteger('bytes', bytes);
    return this;
  }

  /** The WRITE that reaches `lba` fails there with 3/0C/00, INFORMATION = lba. */
  writeErrorAt(lba: number): this {
    this.#state.writeErrorAt = nonNegativeInteger('lba', lba);
    return this;
  }

  /** The READ(10) that reaches `lba` fails there with 3/11/00, INFORMATION = lba. */
  readErrorAt(lba: number): this {
    this.#state.readErrorAt = nonNegativeInteger('lba', lba);
    return this;
  }

  /**
   * `count` sectors from `start` are damaged (a scratch): every READ reaching
   * one fails there with 3/11/00, INFORMATION = its LBA, as a drive reports
   * an unrecovered read error after its own retries. With a finite
   * `failures`, each sector reads after failing that many times (a weak
   * sector that a patient host's retries get back). Lasts until clear().
   */
  damagedSectors(start: number, count = 1, failures = Infinity): this {
    nonNegativeInteger('start', start);
    nonNegativeInteger('count', count, 1);
    if (!(failures >= 1))
      throw new VirtualRecorderError(
        'invalid-option',
        `failures must be at least 1, got ${failures}`,
      );
    for (let i = 0; i < count; i++) this.#state.damaged.set(start + i, failures);
    return this;
  }

  /** `count` sectors from `start` read back with a byte flipped and GOOD status, until clear(). */
  corruptSectors(start: number, count = 1): this {
    nonNegativeInteger('start', start);
    nonNegativeInteger('count', count, 1);
    for (let i = 0; i < count; i++) this.#state.corrupted.add(start + i);
    return this;
  }

  /** The next WRITE fails with 3/0C/09 (loss of streaming / buffer underrun) after its data. */
  lossOfStreaming(): this {
    this.#state.lossOfStreaming = true;
    return this;
  }

  /** The next WRITE fails with 3/73/03 (power calibration area error) before its data. */
  powerCalibrationFailure(): this {
    this.#state.powerCalibrationFailure = true;
    return this;
  }

  /** The next command ends in RESERVATION CONFLICT (BOT: status 1, then empty sense). */
  reservationConflict(): this {
    this.#state.reservationConflict = true;
    return this;
  }

  /**
   * The next `times` commands do their work, then report CHECK CONDITION with
   * RECOVERED ERROR 1/17/01 (RECOVERED DATA WITH RETRIES): SPC-4 §4.5.6 says
   * the command completed. A host must take it as success, not abort a burn.
   */
  recoveredError(times = 1): this {
    this.#state.recoveredError = nonNegativeInteger('times', times, 1);
    return this;
  }

  /**
   * The next `times` commands (only those with `opcode`, when given) end in
   * ABORTED COMMAND B/00/00 after their data phase. `Infinity` keeps it up:
   * a drive that never takes the command, which the host must give up on.
   */
  abortedCommand(times = 1, opcode?: number): this {
    this.#state.abortedCommand =
      times === Infinity ? Infinity : nonNegativeInteger('times', times, 1);
    this.#state.abortedOpcode = opcode;
    return this;
  }

  /**
   * The next command with a data-in phase sends only `bytes`, ends with a
   * short packet and no STALL, and reports GOOD: with the true residue, or
   * with residue 0 as some bridges do (issue 13, items 5 and 8).
   */
  shortDataIn(bytes: number, residue: 'honest' | 'zero' = 'honest', times = 1): this {
    this.#state.shortDataIn = { bytes: nonNegativeInteger('bytes', bytes), residue };
    this.#state.shortDataInTimes =
      times === Infinity ? Infinity : nonNegativeInteger('times', times, 1);
    return this;
  }

  /** Swaps the disc now, whatever the tray and PREVENT say (a user forcing it, a changer). */
  mediaChange(name: MediaName): this {
    this.#changeMedia(name);
    return this;
  }

  /** Disarms every pending fault. */
  clear(): this {
    this.#state.clear();
    return this;
  }

  /** Names of the faults still armed (a test can assert one fired). */
  get armed(): readonly string[] {
    return this.#state.armed();
  }
}
