/**
 * The sense the logical unit holds: pending UNIT ATTENTION conditions (SPC-4
 * §5.14) and the sense of the last failed command, kept for the next REQUEST
 * SENSE and dropped by any other command (SPC-4 §5.12 autosense model without
 * ACA).
 */
import type { Sense } from '../../../usb-mass-storage/src/scsi/sense.ts';
import { SENSE, check, type SenseCode } from '../sense-codes.ts';
import type { CommandOutcome } from './command.ts';

export class SenseState {
  #unitAttentions: SenseCode[] = [];
  #pending: Sense | undefined;
  #last: Sense | undefined;

  get lastSense(): Sense | undefined {
    return this.#last;
  }

  get unitAttentions(): readonly SenseCode[] {
    return [...this.#unitAttentions];
  }

  addUnitAttention(ua: SenseCode): void {
    this.#unitAttentions.push(ua);
  }

  /** Queues `ua` unless it is already pending. */
  addUnitAttentionOnce(ua: SenseCode): void {
    if (!this.#unitAttentions.some((u) => u === ua)) this.#unitAttentions.push(ua);
  }

  takeUnitAttention(): SenseCode | undefined {
    return this.#unitAttentions.shift();
  }

  /** Fails the command with the oldest pending unit attention, if any. */
  reportUnitAttention(): void {
    const ua = this.takeUnitAttention();
    if (ua) throw check(ua);
  }

  /** A reset: the pending sense is gone; a power-on attention replaces the others, or none. */
  reset(unitAttention: boolean): void {
    this.#pending = undefined;
    this.#unitAttentions = unitAttention ? [SENSE.PowerOnOrReset] : [];
  }

  dropPending(): void {
    this.#pending = undefined;
  }

  takePending(): Sense | undefined {
    const sense = this.#pending;
    this.#pending = undefined;
    return sense;
  }

  /** The transport failed the command itself (fault injection): REQUEST SENSE reports `sense`. */
  reportTransportFailure(sense: Sense): void {
    this.#pending = sense;
    this.#last = sense;
  }

  /** Records how a command ended. */
  complete(outcome: CommandOutcome): CommandOutcome {
    if (outcome.status === 'check-condition' && outcome.sense) {
      this.#pending = outcome.sense;
      this.#last = outcome.sense;
    } else if (outcome.status === 'reservation-conflict') {
      // BOT cannot say RESERVATION CONFLICT: status 1, then REQUEST SENSE finds nothing.
      this.#pending = { key: 0, asc: 0, ascq: 0 };
    }
    return outcome;
  }
}
