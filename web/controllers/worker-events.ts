import * as Comlink from 'comlink';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { RecorderEvent } from '../../contract/api.ts';
import type { UiApi } from '../lib/api.ts';
import { toErrorValue } from '../lib/errors.ts';
import type { ErrorValue } from '../../contract/api.ts';

/** APIs already subscribed to: the worker API has no unsubscribe, so subscribe once each. */
const subscribed = new WeakMap<object, Set<(event: RecorderEvent) => void>>();

/**
 * Subscribes to the worker's RecorderEvent stream (the listener wrapped with
 * Comlink.proxy so the worker can call back into the page) and forwards each
 * event to `onEvent` while the host is connected.
 */
export class WorkerEventsController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #api: () => Pick<UiApi, 'subscribe'> | undefined;
  readonly #onEvent: (event: RecorderEvent) => void;
  #connected = false;
  /** Why subscribing failed, if it did. */
  error: ErrorValue | null = null;

  constructor(
    host: ReactiveControllerHost,
    api: () => Pick<UiApi, 'subscribe'> | undefined,
    onEvent: (event: RecorderEvent) => void,
  ) {
    this.#host = host;
    this.#api = api;
    this.#onEvent = onEvent;
    host.addController(this);
  }

  readonly #listener = (event: RecorderEvent): void => {
    if (this.#connected) this.#onEvent(event);
  };

  hostConnected(): void {
    this.#connected = true;
    void this.subscribe();
  }

  hostDisconnected(): void {
    this.#connected = false;
  }

  /** Subscribes to the current API once; later calls with the same API do nothing. */
  async subscribe(): Promise<void> {
    const api = this.#api();
    if (!api) return;
    let listeners = subscribed.get(api);
    if (listeners?.has(this.#listener)) return;
    if (!listeners) subscribed.set(api, (listeners = new Set()));
    listeners.add(this.#listener);
    try {
      await api.subscribe(Comlink.proxy(this.#listener));
      this.error = null;
    } catch (error) {
      listeners.delete(this.#listener);
      this.error = toErrorValue(error);
      this.#host.requestUpdate();
    }
  }
}
