import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Re-renders its host every `intervalMs` while `running`, so times shown
 * between two progress events keep moving.
 */
export class ClockController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #intervalMs: number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #running = false;
  #connected = false;

  constructor(host: ReactiveControllerHost, intervalMs = 1000) {
    this.#host = host;
    this.#intervalMs = intervalMs;
    host.addController(this);
  }

  get running(): boolean {
    return this.#running;
  }

  set running(value: boolean) {
    if (value === this.#running) return;
    this.#running = value;
    this.#sync();
  }

  /** Now, for the host's render. */
  now(): number {
    return performance.now();
  }

  hostConnected(): void {
    this.#connected = true;
    this.#sync();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#sync();
  }

  #sync(): void {
    const want = this.#running && this.#connected;
    if (want && this.#timer === undefined) {
      this.#timer = setInterval(() => this.#host.requestUpdate(), this.#intervalMs);
    } else if (!want && this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}
