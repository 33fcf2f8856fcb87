import * as Comlink from 'comlink';
import type { WebdiscWorkerApi } from '../../worker/api.ts';

export type WorkerApi = Comlink.Remote<WebdiscWorkerApi>;

/** Starts the dedicated module worker and wraps it with Comlink. */
export function startWorker(): { api: WorkerApi; worker: Worker } {
  const worker = new Worker(new URL('../../worker/main.ts', import.meta.url), {
    type: 'module',
    name: 'webdisc-recorder',
  });
  return { api: Comlink.wrap<WebdiscWorkerApi>(worker), worker };
}
