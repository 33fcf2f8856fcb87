/**
 * What tests and the UI can watch: a command log (one entry per CSW), running
 * counters, the history of PREVENT ALLOW MEDIUM REMOVAL transitions, and a
 * stream of events. Everything here is a plain, structured-cloneable value.
 */
import type { MediaName } from './media.ts';

export interface SenseTriple {
  readonly key: number;
  readonly asc: number;
  readonly ascq: number;
  readonly information?: number | undefined;
  readonly progress?: number | undefined;
}

export type CommandStatus =
  | 'good'
  | 'check-condition'
  | 'reservation-conflict'
  | 'phase-error'
  /** Cut short by a reset or disconnect before its CSW. */
  | 'aborted';

export interface CommandLogEntry {
  /** 1 for the first command the device received. */
  readonly seq: number;
  /** Drive clock time (ms) when the CSW was produced. */
  readonly time: number;
  readonly opcode: number;
  readonly name: string;
  /** The CDB in lower-case hex. */
  readonly cdb: string;
  readonly tag: number;
  readonly direction: 'none' | 'in' | 'out';
  /** dCBWDataTransferLength. */
  readonly hostLength: number;
  readonly status: CommandStatus;
  /** bCSWStatus as sent (0, 1, 2), or undefined when no CSW was sent. */
  readonly cswStatus: number | undefined;
  readonly sense: SenseTriple | undefined;
  readonly residue: number;
}

export type PreventCause = 'command' | 'bulk-reset' | 'port-reset' | 'power-on';

export interface PreventTransition {
  /** Command sequence number that caused it (the last command seen, for resets). */
  readonly seq: number;
  readonly time: number;
  readonly prevent: boolean;
  readonly persistent: boolean;
  readonly cause: PreventCause;
}

export type RecorderEvent =
  | { readonly type: 'command'; readonly entry: CommandLogEntry }
  | { readonly type: 'invalid-cbw'; readonly reason: string }
  | { readonly type: 'stall'; readonly direction: 'in' | 'out' }
  | { readonly type: 'clear-halt'; readonly direction: 'in' | 'out' }
  | { readonly type: 'bulk-reset' }
  | { readonly type: 'port-reset' }
  | { readonly type: 'disconnect' }
  | { readonly type: 'connect' }
  | { readonly type: 'tray'; readonly open: boolean }
  | { readonly type: 'media'; readonly name: MediaName }
  | { readonly type: 'eject-request' }
  | { readonly type: 'prevent'; readonly transition: PreventTransition }
  | { readonly type: 'mount'; readonly mounted: boolean }
  /** The sector store rejected a read or write; the command failed with MEDIUM ERROR at `lba`. */
  | {
      readonly type: 'store-error';
      readonly operation: 'read' | 'write';
      readonly lba: number;
      /** The store's error: its name ("OpfsQuotaError"), message and, if typed, HRESULT name. */
      readonly name: string;
      readonly message: string;
      readonly hresultName?: string;
    };

export type RecorderListener = (event: RecorderEvent) => void;

export interface RecorderCounters {
  commands: number;
  checkConditions: number;
  phaseErrors: number;
  invalidCbws: number;
  stalls: number;
  clearHalts: number;
  bulkResets: number;
  portResets: number;
  bytesIn: number;
  bytesOut: number;
  sectorsRead: number;
  sectorsWritten: number;
  /** Sectors WRITE(10) took while page 05h TEST WRITE was set: received, not recorded. */
  sectorsSimulated: number;
  /**
   * WRITE data that arrived after the primed write buffer had run dry
   * (buffer-model.ts): the buffer underruns a real drive would have had.
   */
  bufferUnderruns: number;
  /** Commands per opcode, keyed by two lower-case hex digits ("1e"). */
  byOpcode: Record<string, number>;
}

function emptyCounters(): RecorderCounters {
  return {
    commands: 0,
    checkConditions: 0,
    phaseErrors: 0,
    invalidCbws: 0,
    stalls: 0,
    clearHalts: 0,
    bulkResets: 0,
    portResets: 0,
    bytesIn: 0,
    bytesOut: 0,
    sectorsRead: 0,
    sectorsWritten: 0,
    sectorsSimulated: 0,
    bufferUnderruns: 0,
    byOpcode: {},
  };
}

/** The shared sink of the device and the drive. Internal; the recorder exposes read-only views. */
export class Observer {
  readonly #listeners = new Set<RecorderListener>();
  readonly #log: CommandLogEntry[] = [];
  readonly #limit: number;
  readonly #prevent: PreventTransition[] = [];
  counters: RecorderCounters = emptyCounters();
  /** Sequence number given to the next command. */
  nextSeq = 1;

  constructor(logLimit: number) {
    this.#limit = logLimit;
  }

  get log(): readonly CommandLogEntry[] {
    return this.#log;
  }

  get preventHistory(): readonly PreventTransition[] {
    return this.#prevent;
  }

  subscribe(listener: RecorderListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: RecorderEvent): void {
    for (const l of this.#listeners) {
      try {
        l(event);
      } catch {
        // A listener's bug must not break the device.
      }
    }
  }

  command(entry: CommandLogEntry): void {
    const c = this.counters;
    c.commands++;
    const key = entry.opcode.toString(16).padStart(2, '0');
    c.byOpcode[key] = (c.byOpcode[key] ?? 0) + 1;
    if (entry.status === 'check-condition' || entry.status === 'reservation-conflict') {
      c.checkConditions++;
    }
    if (entry.status === 'phase-error') c.phaseErrors++;
    this.#log.push(entry);
    if (this.#log.length > this.#limit) this.#log.splice(0, this.#log.length - this.#limit);
    this.emit({ type: 'command', entry });
  }

  prevent(transition: PreventTransition): void {
    this.#prevent.push(transition);
    this.emit({ type: 'prevent', transition });
  }

  clearLog(): void {
    this.#log.length = 0;
    this.#prevent.length = 0;
    this.counters = emptyCounters();
  }
}
