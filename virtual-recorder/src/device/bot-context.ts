/**
 * What the BOT engine (bot-engine.ts) and the CSW builder (csw.ts) work
 * with: the behaviour switches of the recorder options where BOT 1.0 lets
 * devices differ, and the parts of the recorder they reach.
 */
import type { VirtualClock } from '../clock.ts';
import type { FaultState } from '../faults.ts';
import type { MmcTarget } from '../mmc-target/mmc-target.ts';
import type { Observer } from '../observer.ts';

export interface BotBehaviour {
  /** Case 4/5, host wants more than the device has: STALL bulk-in, or pad with zeros. */
  readonly shortDataIn: 'stall' | 'pad' | 'pad-zero-residue';
  /** Case 9/11, host sends more than the device needs: accept and discard, or STALL bulk-out. */
  readonly excessDataOut: 'discard' | 'stall';
  /** Case 7, host allocation shorter than the data: phase error, or truncate and pass. */
  readonly truncatedDataIn: 'phase-error' | 'truncate';
  /** Get Max LUN: answer 0, or STALL it. */
  readonly maxLun: 'zero' | 'stall';
  readonly maxTransferBytes: number;
  /** A Bulk-Only reset also cancels the host's queued bulk transfers (false: they stay queued, as on real hosts). */
  readonly classResetCancelsTransfers: boolean;
  /** Control transfers to the interface refused with SecurityError, as Chrome does for ordinary pages. */
  readonly protectedControlTransfers: boolean;
}

export interface BotContext {
  readonly bot: BotBehaviour;
  readonly target: MmcTarget;
  readonly faults: FaultState;
  readonly observer: Observer;
  readonly clock: VirtualClock;
}
