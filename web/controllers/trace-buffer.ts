import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { TraceEntry } from '../../contract/api.ts';

/** How many commands the trace keeps (oldest dropped first). */
export const TRACE_LIMIT = 5000;

/**
 * The command trace: a bounded list of TraceEntry from 'trace' events. Bursts
 * (a burn sends thousands of WRITEs) are batched into one host update per
 * animation frame, and `entries` is a new array after each batch so Lit sees
 * the change.
 */
export class TraceBufferController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly limit: number;
  #entries: readonly TraceEntry[] = [];
  #pending: TraceEntry[] = [];
  #frame: number | undefined;
  /** Entries dropped because of the limit since the last clear. */
  dropped = 0;

  constructor(host: ReactiveControllerHost, limit = TRACE_LIMIT) {
    this.#host = host;
    this.limit = limit;
    host.addController(this);
  }

  get entries(): readonly TraceEntry[] {
    return this.#entries;
  }

  add(entry: TraceEntry): void {
    this.#pending.push(entry);
    this.#frame ??= requestAnimationFrame(() => this.flush());
  }

  /** Applies the batched entries now (tests and hostDisconnected call it). */
  flush(): void {
    if (this.#frame !== undefined) cancelAnimationFrame(this.#frame);
    this.#frame = undefined;
    if (this.#pending.length === 0) return;
    const all = this.#entries.concat(this.#pending);
    this.#pending = [];
    const over = all.length - this.limit;
    if (over > 0) this.dropped += over;
    this.#entries = over > 0 ? all.slice(over) : all;
    this.#host.requestUpdate();
  }

  clear(): void {
    this.#pending = [];
    this.#entries = [];
    this.dropped = 0;
    this.#host.requestUpdate();
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.flush();
  }
}
