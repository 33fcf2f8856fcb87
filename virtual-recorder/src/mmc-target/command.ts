/**
 * What the BOT engine (device/bot-engine.ts) runs for each command: a
 * `CommandPlan` with an optional data phase, then `finish()` giving the
 * status for the CSW. Also the opcodes the target knows and `Planner`, which
 * turns a handler's work into a plan and keeps the sense of a failed command
 * for REQUEST SENSE (sense-state.ts).
 */
import type { Sense } from '../../../usb-mass-storage/src/scsi/sense.ts';
import { CheckCondition } from '../sense-codes.ts';

// ---- what the BOT engine runs -------------------------------------------------

export interface DataInPhase {
  readonly direction: 'in';
  /** Bytes the device has for this command (after the CDB's allocation length). */
  readonly length: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

export interface DataOutPhase {
  readonly direction: 'out';
  /** Bytes the device expects. */
  readonly length: number;
  write(chunk: Uint8Array): Promise<void>;
}

export interface CommandOutcome {
  readonly status: 'good' | 'check-condition' | 'reservation-conflict';
  readonly sense?: Sense | undefined;
  /** Bytes of an OUT data phase the command used when fewer than it received (residue). */
  readonly processed?: number | undefined;
}

export interface CommandPlan {
  readonly opcode: number;
  readonly name: string;
  readonly data: DataInPhase | DataOutPhase | undefined;
  /** Called once the data phase is over: runs what is left and gives the CSW status. */
  finish(): Promise<CommandOutcome>;
  /** The transport dropped the command (reset, disconnect): stop side effects. */
  abort(): void;
}

export const GOOD: CommandOutcome = { status: 'good' };
const noop = () => {};

// ---- opcodes ------------------------------------------------------------------------

export const Opcode = {
  TestUnitReady: 0x00,
  RequestSense: 0x03,
  FormatUnit: 0x04,
  Inquiry: 0x12,
  Reserve6: 0x16,
  Release6: 0x17,
  StartStopUnit: 0x1b,
  PreventAllowMediumRemoval: 0x1e,
  ReadFormatCapacities: 0x23,
  ReadCapacity: 0x25,
  Read10: 0x28,
  Write10: 0x2a,
  SynchronizeCache: 0x35,
  ReadTocPmaAtip: 0x43,
  GetConfiguration: 0x46,
  GetEventStatusNotification: 0x4a,
  ReadDiscInformation: 0x51,
  ReadTrackInformation: 0x52,
  ReserveTrack: 0x53,
  ModeSelect10: 0x55,
  ModeSense10: 0x5a,
  CloseTrackSession: 0x5b,
  ReadBufferCapacity: 0x5c,
  SendCueSheet: 0x5d,
  Blank: 0xa1,
  GetPerformance: 0xac,
  SetStreaming: 0xb6,
  SetCdSpeed: 0xbb,
  MechanismStatus: 0xbd,
} as const;

// ---- data phases ----------------------------------------------------------------------

/** A data-in phase of `bytes`, cut to the CDB's allocation length (SPC-4 §4.2.5.6). */
export function bytesIn(bytes: Uint8Array, allocation: number): DataInPhase | undefined {
  const length = Math.min(bytes.length, allocation);
  if (length === 0) return undefined;
  return {
    direction: 'in',
    length,
    read: (offset, n) => Promise.resolve(bytes.subarray(offset, offset + n)),
  };
}

/**
 * A data-out phase that collects a parameter list of `length` bytes (MODE
 * SELECT, SEND CUE SHEET, FORMAT UNIT). `complete` tells whether all of it
 * arrived: when not, the transport reports the short data phase.
 */
export function parameterList(length: number): {
  readonly data: DataOutPhase;
  readonly bytes: Uint8Array;
  readonly complete: () => boolean;
} {
  const bytes = new Uint8Array(length);
  let received = 0;
  const data: DataOutPhase = {
    direction: 'out',
    length,
    write: (chunk) => {
      bytes.set(chunk.subarray(0, length - received), received);
      received += Math.min(chunk.length, length - received);
      return Promise.resolve();
    },
  };
  return { data, bytes, complete: () => received >= length };
}

// ---- plans ----------------------------------------------------------------------------

export type Work = () => Promise<CommandOutcome | void> | CommandOutcome | void;

/** Builds plans; `complete` records the outcome (the sense kept for REQUEST SENSE). */
export class Planner {
  readonly #name: (opcode: number) => string;
  readonly #complete: (outcome: CommandOutcome) => CommandOutcome;

  constructor(
    name: (opcode: number) => string,
    complete: (outcome: CommandOutcome) => CommandOutcome,
  ) {
    this.#name = name;
    this.#complete = complete;
  }

  /** A plan whose finish runs `work` (checks thrown there become CHECK CONDITION). */
  plan(
    opcode: number,
    name: string,
    data: DataInPhase | DataOutPhase | undefined,
    work?: Work,
    abort: () => void = noop,
  ): CommandPlan {
    let finished = false;
    return {
      opcode,
      name,
      data,
      abort,
      finish: async () => {
        if (finished) throw new Error('finish() called twice');
        finished = true;
        try {
          const r = await work?.();
          return this.#complete(r ?? GOOD);
        } catch (e) {
          if (e instanceof CheckCondition) {
            return this.#complete({ status: 'check-condition', sense: e.sense });
          }
          throw e;
        }
      },
    };
  }

  /** `plan` under the opcode's name in the command table. */
  run(
    opcode: number,
    data: DataInPhase | DataOutPhase | undefined,
    work?: Work,
    abort?: () => void,
  ): CommandPlan {
    return this.plan(opcode, this.#name(opcode), data, work, abort);
  }

  /** No data, GOOD. */
  good(opcode: number): CommandPlan {
    return this.run(opcode, undefined);
  }

  /** Data in: `bytes` cut to the allocation length. */
  dataIn(opcode: number, bytes: Uint8Array, allocation: number): CommandPlan {
    return this.run(opcode, bytesIn(bytes, allocation));
  }

  failed(opcode: number, name: string, sense: Sense): CommandPlan {
    return this.plan(opcode, name, undefined, () => ({ status: 'check-condition', sense }));
  }

  conflict(opcode: number, name: string): CommandPlan {
    return this.plan(opcode, name, undefined, () => ({ status: 'reservation-conflict' }));
  }
}
